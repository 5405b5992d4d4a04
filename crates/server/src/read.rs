//! What clients read: `pull` (the feed after a cursor, state-based — an object changed ten
//! times comes once, at its latest state), `snapshot` (current profiles in gid order, in
//! resumable pages) and the anti-entropy bucket listing. Reads run in one read transaction,
//! concurrently with pushes.

use std::collections::HashMap;

use pdesk_sync_proto::buckets::{BucketEntry, BucketPage};
use pdesk_sync_proto::cursor::{Cursor, CursorPosition};
use pdesk_sync_proto::links::LinkedObject;
use pdesk_sync_proto::profile::ConsentStatus;
use pdesk_sync_proto::pull::{
    Change, ChangeOrigin, ConfigChange, ConflictChange, ConflictState, ConsentChange, Cseq,
    ProfileAnswer, ProfileChange, ReviewChange, ReviewState,
};
use pdesk_sync_proto::snapshot::{encode_line, SnapshotQuery};
use pdesk_sync_proto::{limits, ProblemCode};

use crate::config::ServerConfig;
use crate::db::{query_in, DbError, Sql, Val};
use crate::decisions::{load, of_profiles, Table};
use crate::error::{Result, ServerError};
use crate::feed::{self, kind, Entry, PARTITIONS};
use crate::meta;
use crate::record::ProfileRecord;

fn corrupt(what: &str, e: impl std::fmt::Display) -> DbError {
    DbError::new(format!("{what}: stored data does not read: {e}"))
}

/// A cursor of this server's current epoch, or the problem to answer.
pub fn position(sql: &mut dyn Sql, cursor: &Cursor) -> Result<CursorPosition> {
    let position = CursorPosition::decode(cursor)
        .map_err(|e| ServerError::new(ProblemCode::Malformed, e.to_string()))?;
    let epoch = meta::epoch(sql)?;
    if position.epoch != epoch {
        return Err(ServerError::new(
            ProblemCode::EpochChanged,
            "the server was restored from a backup since this cursor was issued: read last_seq \
             per replica, resend what is above it, then take a new snapshot",
        ));
    }
    if position.partitions.len() != PARTITIONS as usize {
        return Err(ServerError::new(
            ProblemCode::Malformed,
            "the cursor does not have one position per partition of this server",
        ));
    }
    if let Some(floor) = meta::get(sql, "gc_floor")? {
        let floor: Vec<u64> = serde_json::from_str(&floor).map_err(|e| corrupt("gc_floor", e))?;
        if position.partitions.iter().zip(&floor).any(|(p, f)| p < f) {
            return Err(ServerError::new(
                ProblemCode::CursorExpired,
                "this cursor is older than the server keeps deletes (the GC horizon): push \
                 everything, then take a new snapshot",
            ));
        }
    }
    Ok(position)
}

/// One feed entry as the change a client applies (`None` when the object is gone, e.g. GC'd).
fn change(sql: &mut dyn Sql, entry: &Entry) -> Result<Option<Change>, DbError> {
    let cseq = Cseq(entry.part as u32, entry.cseq);
    match entry.kind.as_str() {
        kind::PROFILE => Ok(PageProfiles::load(sql, &[entry.id.as_str()])?
            .change(sql, &entry.id, cseq)?
            .map(Change::Profile)),
        kind::CONSENT => consent_change(sql, &entry.id),
        kind::REVIEW => Ok(load(sql, Table::Reviews, &entry.id)?.map(|(rev, state)| {
            Change::Review(ReviewChange {
                id: entry.id.clone(),
                rev,
                state,
            })
        })),
        kind::CONFLICT => Ok(load(sql, Table::Conflicts, &entry.id)?.map(|(rev, state)| {
            Change::Conflict(ConflictChange {
                id: entry.id.clone(),
                rev,
                state,
            })
        })),
        kind::CONFIG => {
            let config = ServerConfig::load(sql)?;
            Ok(Some(config_change(&config)))
        }
        _ => Ok(None),
    }
}

/// One profile as the server has it now — its state, or its tombstone — as the pull would
/// deliver it (`GET /v1/profiles/{gid}`: what *Discard* of a refused change goes back to).
/// `None`: the server never had it.
pub fn profile(sql: &mut dyn Sql, gid: &str) -> Result<Option<ProfileAnswer>, DbError> {
    let position = sql
        .query_opt(
            "SELECT part, cseq FROM feed WHERE kind = $1 AND id = $2",
            &[kind::PROFILE.into(), gid.into()],
        )?
        .map(|r| Cseq(r.u64(0) as u32, r.u64(1)))
        .unwrap_or(Cseq(feed::partition_of(gid) as u32, 0));
    let Some(change) = PageProfiles::load(sql, &[gid])?.change(sql, gid, position)? else {
        return Ok(None);
    };
    // A deleted profile's events stay on the server (append-only) but go with no state.
    let consent = if change.deleted {
        Vec::new()
    } else {
        consent_by_profile(sql, &[gid])?
            .remove(gid)
            .unwrap_or_default()
    };
    Ok(Some(ProfileAnswer { change, consent }))
}

pub fn config_change(config: &ServerConfig) -> Change {
    Change::Config(ConfigChange {
        version: config.version,
        rule: config.rule(),
        catalog: serde_json::to_value(&config.fields).expect("fields serialise"),
        channels: serde_json::to_value(&config.channels).expect("channels serialise"),
    })
}

fn profile_change(
    sql: &mut dyn Sql,
    record: &ProfileRecord,
    links: Vec<LinkedObject>,
    cseq: Cseq,
) -> Result<ProfileChange, DbError> {
    let survivor = match &record.merged_into {
        Some(into) => match ProfileRecord::load_following(sql, into)?.filter(|s| !s.deleted) {
            Some(survivor) => Some(survivor.state(sql)?),
            None => None,
        },
        None => None,
    };
    Ok(ProfileChange {
        gid: record.gid.clone(),
        rev: record.rev,
        cseq,
        state: if record.deleted {
            None
        } else {
            Some(record.state_with(links))
        },
        deleted: record.deleted,
        tombstone: record.tombstone.clone(),
        survivor,
        origin: record.origin.as_ref().map(|(replica, seq)| ChangeOrigin {
            replica: replica.clone(),
            seq: *seq,
        }),
    })
}

/// The profiles of one page and their links, each loaded for the whole page in a few set
/// queries (on PostgreSQL every query is a round trip: one per profile would cap a first
/// sync at a few thousand profiles a second).
struct PageProfiles {
    records: HashMap<String, ProfileRecord>,
    links: HashMap<String, Vec<LinkedObject>>,
}

impl PageProfiles {
    fn load(sql: &mut dyn Sql, gids: &[&str]) -> Result<PageProfiles, DbError> {
        Ok(PageProfiles {
            records: ProfileRecord::load_many(sql, gids)?,
            links: crate::links::of_profiles(sql, gids)?,
        })
    }

    /// The page of records already read, with their links.
    fn of_records(sql: &mut dyn Sql, records: Vec<ProfileRecord>) -> Result<PageProfiles, DbError> {
        let gids: Vec<&str> = records.iter().map(|r| r.gid.as_str()).collect();
        let links = crate::links::of_profiles(sql, &gids)?;
        Ok(PageProfiles {
            records: records.into_iter().map(|r| (r.gid.clone(), r)).collect(),
            links,
        })
    }

    /// The change of profile `gid` at `cseq` (`None` when it is gone, e.g. GC'd).
    fn change(
        &mut self,
        sql: &mut dyn Sql,
        gid: &str,
        cseq: Cseq,
    ) -> Result<Option<ProfileChange>, DbError> {
        let Some(record) = self.records.remove(gid) else {
            return Ok(None);
        };
        let links = self.links.remove(gid).unwrap_or_default();
        profile_change(sql, &record, links, cseq).map(Some)
    }
}

fn consent_row(r: &crate::db::Row) -> Result<ConsentChange, DbError> {
    let status: ConsentStatus = serde_json::from_value(serde_json::Value::String(r.text(3)))
        .map_err(|e| corrupt("consent status", e))?;
    Ok(ConsentChange {
        event_id: r.text(0),
        gid: r.text(1),
        channel: r.text(2),
        status,
        recorded_at: r.text(4),
        by: r.opt_text(5),
        source: r.opt_text(6),
    })
}

const CONSENT_COLUMNS: &str = "event_id, gid, channel, status, recorded_at, recorded_by, source";

fn consent_change(sql: &mut dyn Sql, event_id: &str) -> Result<Option<Change>, DbError> {
    Ok(consent_by_event(sql, &[event_id])?
        .remove(event_id)
        .map(Change::Consent))
}

/// Consent events by event id, in a few set queries.
fn consent_by_event(
    sql: &mut dyn Sql,
    event_ids: &[&str],
) -> Result<HashMap<String, ConsentChange>, DbError> {
    query_in(
        sql,
        &format!("SELECT {CONSENT_COLUMNS} FROM consent_events WHERE event_id"),
        &[],
        event_ids,
        "",
    )?
    .iter()
    .map(|r| consent_row(r).map(|c| (c.event_id.clone(), c)))
    .collect()
}

/// Each profile's consent events in recording order, in a few set queries.
fn consent_by_profile(
    sql: &mut dyn Sql,
    gids: &[&str],
) -> Result<HashMap<String, Vec<ConsentChange>>, DbError> {
    let mut events: HashMap<String, Vec<ConsentChange>> = HashMap::new();
    for r in query_in(
        sql,
        &format!("SELECT {CONSENT_COLUMNS} FROM consent_events WHERE gid"),
        &[],
        gids,
        "ORDER BY gid, recorded_at, event_id",
    )? {
        let event = consent_row(&r)?;
        events.entry(event.gid.clone()).or_default().push(event);
    }
    Ok(events)
}

/// One page of pull.
#[derive(Debug, Clone)]
pub struct PullPage {
    pub changes: Vec<Change>,
    pub cursor: CursorPosition,
    pub has_more: bool,
}

/// The changes after `from`, at most `limit` and about `PULL_MAX_BYTES`, partition by
/// partition; the returned cursor covers exactly what the page holds.
pub fn pull(sql: &mut dyn Sql, from: &CursorPosition, limit: u32) -> Result<PullPage> {
    let mut cursor = from.clone();
    let mut changes = Vec::new();
    let mut bytes = 0usize;
    let mut has_more = false;
    for part in 0..PARTITIONS {
        let room = u64::from(limit).saturating_sub(changes.len() as u64);
        if room == 0 || bytes >= limits::PULL_MAX_BYTES {
            has_more = true;
            break;
        }
        let after = cursor.partitions[part as usize];
        let mut entries = feed::entries_after(sql, part, after, room + 1)?;
        if entries.len() as u64 > room {
            has_more = true;
            entries.truncate(room as usize);
        }
        let ids_of = |k: &str| -> Vec<&str> {
            entries
                .iter()
                .filter(|e| e.kind == k)
                .map(|e| e.id.as_str())
                .collect()
        };
        let mut profiles = PageProfiles::load(sql, &ids_of(kind::PROFILE))?;
        let mut consent = consent_by_event(sql, &ids_of(kind::CONSENT))?;
        for entry in &entries {
            if bytes >= limits::PULL_MAX_BYTES {
                has_more = true;
                break;
            }
            let cseq = Cseq(entry.part as u32, entry.cseq);
            let change = match entry.kind.as_str() {
                kind::PROFILE => profiles.change(sql, &entry.id, cseq)?.map(Change::Profile),
                kind::CONSENT => consent.remove(&entry.id).map(Change::Consent),
                _ => change(sql, entry)?,
            };
            if let Some(change) = change {
                bytes += serde_json::to_vec(&change).map(|v| v.len()).unwrap_or(0);
                changes.push(change);
            }
            cursor.partitions[part as usize] = entry.cseq;
        }
    }
    Ok(PullPage {
        changes,
        cursor,
        has_more,
    })
}

/// One snapshot page: NDJSON lines, the watermark, and the next page's `after`.
#[derive(Debug, Clone)]
pub struct SnapshotPage {
    pub body: String,
    pub watermark: Cursor,
    pub next_after: Option<String>,
    /// How many live profiles there are, on a snapshot's first page.
    pub total: Option<u64>,
}

pub fn snapshot(sql: &mut dyn Sql, query: &SnapshotQuery) -> Result<SnapshotPage> {
    let epoch = meta::epoch(sql)?;
    let starts = query.watermark == SnapshotQuery::NEW && query.after.is_none();
    // Counted once, when the snapshot starts (a count of a million rows is not free).
    let total = if starts {
        let row = sql.query_opt("SELECT COUNT(*) FROM profiles WHERE deleted = 0", &[])?;
        row.map(|r| r.u64(0))
    } else {
        None
    };
    let watermark = if query.watermark == SnapshotQuery::NEW {
        CursorPosition::new(epoch, feed::heads(sql)?).encode()
    } else {
        let cursor = Cursor(query.watermark.clone());
        position(sql, &cursor)?;
        cursor
    };
    let limit = u64::from(query.page_size());
    let after = query.after.clone().unwrap_or_default();
    // The page's rows are read once, whole: the gids of the page come from them.
    let mut records = ProfileRecord::live_after(sql, &after, limit + 1)?;
    let more = records.len() as u64 > limit;
    records.truncate(limit as usize);
    let gids: Vec<String> = records.iter().map(|r| r.gid.clone()).collect();
    let refs: Vec<&str> = gids.iter().map(String::as_str).collect();
    let mut profiles = PageProfiles::of_records(sql, records)?;
    let positions: HashMap<String, (u64, u64)> = query_in(
        sql,
        "SELECT id, part, cseq FROM feed WHERE kind = $1 AND id",
        &[kind::PROFILE.into()],
        &refs,
        "",
    )?
    .iter()
    .map(|r| (r.text(0), (r.u64(1), r.u64(2))))
    .collect();
    let mut consent = consent_by_profile(sql, &refs)?;
    let mut reviews = of_profiles::<ReviewState>(sql, Table::Reviews, &refs)?;
    let mut conflicts = of_profiles::<ConflictState>(sql, Table::Conflicts, &refs)?;
    let mut body = String::new();
    // A snapshot's first line is the server's config: a new device takes the rule, the field
    // catalogue and the consent channels before any profile (decision 48).
    if starts {
        body.push_str(&encode_line(&config_change(&ServerConfig::load(sql)?)));
    }
    for gid in &refs {
        let (part, cseq) = positions
            .get(*gid)
            .copied()
            .unwrap_or((feed::partition_of(gid), 0));
        let Some(change) = profiles.change(sql, gid, Cseq(part as u32, cseq))? else {
            continue;
        };
        body.push_str(&encode_line(&Change::Profile(change)));
        for event in consent.remove(*gid).unwrap_or_default() {
            body.push_str(&encode_line(&Change::Consent(event)));
        }
        for (id, rev, state) in reviews.remove(*gid).unwrap_or_default() {
            body.push_str(&encode_line(&Change::Review(ReviewChange {
                id,
                rev,
                state,
            })));
        }
        for (id, rev, state) in conflicts.remove(*gid).unwrap_or_default() {
            body.push_str(&encode_line(&Change::Conflict(ConflictChange {
                id,
                rev,
                state,
            })));
        }
    }
    Ok(SnapshotPage {
        body,
        watermark,
        next_after: if more { gids.last().cloned() } else { None },
        total,
    })
}

/// `/v1/buckets/{b}`: a bucket's live profiles `(gid, rev)` in gid order, after `after`, and
/// the `after` of the next page.
pub fn bucket_entries(sql: &mut dyn Sql, bucket: u32, after: &str) -> Result<BucketPage> {
    let limit = u64::from(limits::BUCKET_PAGE);
    let rows = sql.query(
        "SELECT gid, rev FROM profiles WHERE bucket = $1 AND deleted = 0 AND gid > $2 ORDER BY gid LIMIT $3",
        &[Val::from(bucket), after.into(), Val::from(limit + 1)],
    )?;
    let more = rows.len() as u64 > limit;
    let entries: Vec<BucketEntry> = rows
        .iter()
        .take(limit as usize)
        .map(|r| BucketEntry {
            gid: r.text(0),
            rev: r.u64(1),
        })
        .collect();
    let next = if more {
        entries.last().map(|e| e.gid.clone())
    } else {
        None
    };
    Ok(BucketPage {
        bucket,
        entries,
        next,
    })
}
