//! What comes down from the server — snapshot pages, pull pages, the states in push answers —
//! written through the profiles' writer with source "sync" and no op (the server has matched
//! already; the rule does not run again). A state older than what this device knows is
//! skipped (the higher `rev` wins), and one for a profile with ops still on their way up waits
//! in `sync_base` until they are answered.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::push::has_open_ops;
use super::Phase;
use crate::error::{Error, Result};
use crate::model::ConsentStatus;
use crate::outbox::{known, wire};
use crate::profiles::storage::{self, Stamp};
use crate::profiles::writes::Writes;
use crate::store::Store;
use pdesk_sync_proto::profile::{MatchKey, ProfileState};
use pdesk_sync_proto::pull::{Change, ConsentChange, ProfileChange};

/// What one page did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageApplied {
    /// Profiles written (new or changed).
    pub profiles: u32,
    pub deleted: u32,
    pub consent_events: u32,
    /// States that wait for this device's own ops to be answered.
    pub waiting: u32,
    pub conflicts: u32,
    /// Profiles whose linked objects changed.
    #[serde(default)]
    pub links: u32,
    /// The server's settings taken (the rule, the field catalogue, the consent channels).
    #[serde(default)]
    pub config: u32,
    /// Merge reviews the server opened or resolved.
    #[serde(default)]
    pub reviews: u32,
}

/// One transaction's worth of applying: its time, its search-index writes (done once at the
/// end) and its counts.
pub(super) struct Applying {
    at: String,
    pub(super) writes: Writes,
    pub(super) page: PageApplied,
}

impl Applying {
    pub(super) fn new(at: &str) -> Applying {
        Applying {
            at: at.to_string(),
            writes: Writes::deferred(),
            page: PageApplied::default(),
        }
    }

    pub(super) fn finish(&mut self, tx: &Transaction) -> Result<()> {
        self.writes.flush(tx)
    }

    pub(super) fn changed_rows(&self) -> bool {
        self.page.profiles + self.page.deleted + self.page.consent_events + self.page.links > 0
    }
}

/// A server state for profile `state.gid`: applied now, or kept until this device's own ops
/// on it are answered.
pub(super) fn offer_state(tx: &Transaction, state: &ProfileState, a: &mut Applying) -> Result<()> {
    if has_open_ops(tx, &state.gid)? {
        let waiting: Option<i64> = tx
            .prepare_cached("SELECT rev FROM sync_base WHERE gid = ?1")?
            .query_row([&state.gid], |r| r.get(0))
            .optional()?;
        if waiting.is_none_or(|rev| rev as u64 <= state.rev) {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO sync_base(gid, rev, state) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![
                state.gid,
                state.rev as i64,
                serde_json::to_string(state).unwrap_or_default()
            ])?;
        }
        a.page.waiting += 1;
        return Ok(());
    }
    apply_state(tx, state, a)
}

/// The state that waited for profile `gid`'s ops, now that they are answered.
pub(super) fn apply_waiting_base(tx: &Transaction, gid: &str, a: &mut Applying) -> Result<()> {
    let waiting: Option<String> = tx
        .prepare_cached("SELECT state FROM sync_base WHERE gid = ?1")?
        .query_row([gid], |r| r.get(0))
        .optional()?;
    let Some(text) = waiting else {
        return Ok(());
    };
    tx.prepare_cached("DELETE FROM sync_base WHERE gid = ?1")?
        .execute([gid])?;
    let state: ProfileState = serde_json::from_str(&text)
        .map_err(|e| Error::Internal(format!("a waiting server state is unreadable: {e}")))?;
    apply_state(tx, &state, a)
}

/// Writes a server state as the profile's row (created here if new), unless this device
/// already knows a newer rev.
fn apply_state(tx: &Transaction, state: &ProfileState, a: &mut Applying) -> Result<()> {
    let known = known::read(tx, &state.gid)?;
    if known.as_ref().is_some_and(|k| k.rev > state.rev) {
        return Ok(());
    }
    let p = wire::profile_of(&state.fields);
    let stamp = Stamp {
        at: &state.updated_at,
        actor: "sync",
    };
    let id = match storage::id_of_gid(tx, &state.gid)? {
        Some(id) => {
            let current = storage::load(tx, id)?;
            let changes = crate::profiles::diff(&current, &p);
            if !changes.is_empty() {
                storage::update_synced(tx, id, &current, &p, &stamp, &mut a.writes)?;
                storage::record_history(
                    tx,
                    id,
                    &stamp,
                    "synced",
                    &crate::model::Source::Sync,
                    None,
                    &changes,
                )?;
                a.page.profiles += 1;
            }
            id
        }
        None => {
            let created = Stamp {
                at: &state.created_at,
                actor: "sync",
            };
            let id = storage::insert_synced(tx, &state.gid, &p, &created, &mut a.writes)?;
            a.page.profiles += 1;
            id
        }
    };
    if super::links::write(tx, id, &state.links, &a.at)? {
        a.page.links += 1;
    }
    tx.prepare_cached("DELETE FROM sync_base WHERE gid = ?1")?
        .execute([&state.gid])?;
    known::write(
        tx,
        &state.gid,
        &known::Known {
            rev: state.rev,
            fv: state.fv.clone(),
            lists: wire::lists_of(&state.fields),
        },
    )
}

/// This device's create `from` was merged on the server into `into` (matched by `key`): the
/// local profile takes the id `into`, or — when this store has `into` already — goes into it
/// (links, consent and history moved, as a merge review does).
pub(super) fn merged_on_server(
    tx: &Transaction,
    from: &str,
    into: &str,
    key: MatchKey,
    a: &mut Applying,
) -> Result<()> {
    let Some(id) = storage::id_of_gid(tx, from)? else {
        return Ok(());
    };
    let matched_by = match key {
        MatchKey::Phone => "phone",
        MatchKey::Email => "email",
        MatchKey::CustomerCode => "customer_code",
    };
    let stamp = Stamp {
        at: &a.at,
        actor: "sync",
    };
    match storage::id_of_gid(tx, into)? {
        Some(survivor) if survivor != id => {
            let reason = format!("merged on the server (matched by {matched_by})");
            crate::profiles::delete_pulled(tx, id, Some(survivor), &reason, "sync", &a.at)?;
            a.writes.search.deleted(id);
            a.page.deleted += 1;
        }
        Some(_) => {}
        None => {
            tx.prepare_cached("UPDATE profiles SET gid = ?2 WHERE id = ?1")?
                .execute(params![id, into])?;
            storage::record_history_as(
                tx,
                id,
                &stamp,
                "merged",
                "Sync: merged on the server into an existing customer",
                Some(matched_by),
                &[],
            )?;
        }
    }
    known::forget(tx, from)
}

/// Writes `value` (JSON) into field `field` of profile `gid` here, as a person's decision of a
/// conflict: no op of its own (the `conflict.resolve` op carries it).
pub(super) fn take_value(
    tx: &Transaction,
    gid: &str,
    field: &str,
    value: &str,
    at: &str,
) -> Result<()> {
    let Some(id) = storage::id_of_gid(tx, gid)? else {
        return Ok(());
    };
    let value: serde_json::Value = serde_json::from_str(value).unwrap_or(serde_json::Value::Null);
    let current = storage::load(tx, id)?;
    let mut after = current.clone();
    if pdesk_rule::validate::SCALAR_COLUMNS.contains(&field) {
        match value {
            serde_json::Value::String(s) if !s.is_empty() => {
                after.scalars.insert(field.to_string(), s);
            }
            serde_json::Value::Null => {
                after.scalars.remove(field);
            }
            other => {
                after.scalars.insert(field.to_string(), other.to_string());
            }
        }
    } else if value.is_null() {
        after.custom.remove(field);
    } else {
        after.custom.insert(field.to_string(), value);
    }
    let changes = crate::profiles::diff(&current, &after);
    if changes.is_empty() {
        return Ok(());
    }
    let stamp = Stamp { at, actor: "sync" };
    storage::update_synced(tx, id, &current, &after, &stamp, &mut Writes::immediate())?;
    storage::record_history(
        tx,
        id,
        &stamp,
        "conflictResolved",
        &crate::model::Source::Sync,
        None,
        &changes,
    )
}

/// A profile's change as the server sent it: its state offered (or kept while this device's
/// ops on it are on their way), or its deletion applied. Also what *Discard* goes back to.
pub(super) fn apply_profile_change(
    tx: &Transaction,
    change: &ProfileChange,
    a: &mut Applying,
) -> Result<()> {
    if !change.deleted {
        if let Some(state) = &change.state {
            offer_state(tx, state, a)?;
        }
        return Ok(());
    }
    let tombstone = change.tombstone.as_ref();
    let mut survivor = None;
    if let Some(state) = &change.survivor {
        offer_state(tx, state, a)?;
        survivor = storage::id_of_gid(tx, &state.gid)?;
    }
    if let Some(id) = storage::id_of_gid(tx, &change.gid)? {
        let reason = tombstone
            .and_then(|t| t.reason.clone())
            .unwrap_or_else(|| "deleted on the server".into());
        let by = tombstone.and_then(|t| t.by.clone()).unwrap_or_default();
        let merged_into = survivor.filter(|s| *s != id);
        crate::profiles::delete_pulled(tx, id, merged_into, &reason, &by, &a.at)?;
        a.writes.search.deleted(id);
        a.page.deleted += 1;
    }
    tx.prepare_cached("DELETE FROM sync_base WHERE gid = ?1")?
        .execute([&change.gid])?;
    known::forget(tx, &change.gid)
}

/// A snapshot page holds every live profile of the server in its gid range — after the
/// previous page's last gid, up to `next_after` (to the end on the last page) —, so a profile
/// here in that range that the server confirmed once (it is known) and that is not on the
/// page, with no op of this device on its way, is gone from the server: a delete this device
/// never pulled, because the download began again (a server restored from a backup, a cursor
/// older than the server keeps deletes) and a snapshot carries no tombstones. Without this it
/// stayed here for good (found by the model test, issue 14; SYNC.md §4.6).
fn drop_what_the_server_lacks(
    tx: &Transaction,
    changes: &[Change],
    next_after: Option<&str>,
    a: &mut Applying,
) -> Result<()> {
    let after: Option<String> = tx
        .query_row(
            "SELECT snapshot_after FROM sync_state WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let on_page: std::collections::BTreeSet<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Profile(p) if !p.deleted => Some(p.gid.as_str()),
            _ => None,
        })
        .collect();
    let here: Vec<(i64, String)> = tx
        .prepare(
            "SELECT p.id, p.gid FROM profiles p JOIN sync_known k ON k.gid = p.gid
              WHERE p.gid > coalesce(?1, '') AND (?2 IS NULL OR p.gid <= ?2)",
        )?
        .query_map(params![after, next_after], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // The page holds each of its profiles' whole consent history: a profile with no op of this
    // device on its way keeps only the events the server has (found by the model test, issue
    // 14: an event pulled here that a server restore lost, refused when its device sent it
    // again, stayed here alone).
    let mut events: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> = on_page
        .iter()
        .map(|gid| (*gid, Default::default()))
        .collect();
    for change in changes {
        if let Change::Consent(c) = change {
            events
                .entry(c.gid.as_str())
                .or_default()
                .insert(c.event_id.as_str());
        }
    }
    // One look-up per page finds the page's profiles that hold consent events here (none on a
    // first download, where a query per profile cost a million-profile sync 8 s).
    let page_gids =
        serde_json::Value::from(on_page.iter().copied().collect::<Vec<_>>()).to_string();
    let with_consent: Vec<(i64, String)> = tx
        .prepare_cached(
            "SELECT p.id, p.gid FROM profiles p
              WHERE p.gid IN (SELECT value FROM json_each(?1))
                AND EXISTS (SELECT 1 FROM consent_records c WHERE c.profile_id = p.id)",
        )?
        .query_map([page_gids], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, gid) in with_consent {
        if has_open_ops(tx, &gid)? {
            continue;
        }
        let on_server = events.get(gid.as_str()).cloned().unwrap_or_default();
        if storage::drop_consent_not_on_server(tx, id, &on_server)? > 0 {
            a.page.profiles += 1;
        }
    }
    for (id, gid) in here {
        if on_page.contains(gid.as_str()) || has_open_ops(tx, &gid)? {
            continue;
        }
        crate::profiles::delete_pulled(tx, id, None, "no longer on the server", "sync", &a.at)?;
        a.writes.search.deleted(id);
        a.page.deleted += 1;
        tx.prepare_cached("DELETE FROM sync_base WHERE gid = ?1")?
            .execute([&gid])?;
        known::forget(tx, &gid)?;
    }
    Ok(())
}

/// A consent event the server has, on its profile here (an event already here, or on a
/// profile this store does not have, changes nothing).
pub(super) fn apply_consent_change(
    tx: &Transaction,
    c: &ConsentChange,
    a: &mut Applying,
) -> Result<()> {
    if let Some(id) = storage::id_of_gid(tx, &c.gid)? {
        let new = storage::append_consent_synced(
            tx,
            id,
            &c.event_id,
            &c.channel,
            ConsentStatus::from_wire(c.status),
            c.by.as_deref().unwrap_or("sync"),
            &c.recorded_at,
        )?;
        if new {
            a.page.consent_events += 1;
        }
    }
    Ok(())
}

fn apply_change(tx: &Transaction, change: &Change, a: &mut Applying) -> Result<()> {
    match change {
        Change::Profile(p) => apply_profile_change(tx, p, a),
        Change::Consent(c) => apply_consent_change(tx, c, a),
        Change::Conflict(c) => {
            super::conflicts::record_pulled(tx, c, &a.at)?;
            a.page.conflicts += 1;
            Ok(())
        }
        Change::Config(c) => {
            super::config::apply(tx, c, &a.at)?;
            a.page.config += 1;
            Ok(())
        }
        Change::Review(r) => {
            super::reviews::record_pulled(tx, r, &a.at)?;
            a.page.reviews += 1;
            Ok(())
        }
    }
}

impl Store {
    /// Applies `changes` and then `resume` (which records where the next page begins) in one
    /// transaction: a page and its resume point commit together.
    fn apply_page(
        &mut self,
        changes: &[Change],
        first: impl FnOnce(&Transaction, &mut Applying) -> Result<()>,
        resume: impl FnOnce(&Transaction, &mut Applying) -> Result<()>,
    ) -> Result<PageApplied> {
        let at = self.now();
        let tx = self.conn.transaction()?;
        let mut a = Applying::new(&at);
        first(&tx, &mut a)?;
        // Consent events go after every other change of the page: a new profile's event is
        // stamped before the profile in the feed (a transaction's entries go by kind), and a
        // profile's entry moves on with each later change while its events stay, so a page can
        // carry an event before its profile — which would find no profile and be dropped
        // (found by the model test, issue 14).
        let (consent, others): (Vec<&Change>, Vec<&Change>) = changes
            .iter()
            .partition(|c| matches!(c, Change::Consent(_)));
        for change in others.into_iter().chain(consent) {
            apply_change(&tx, change, &mut a)?;
        }
        resume(&tx, &mut a)?;
        a.finish(&tx)?;
        tx.commit()?;
        if a.changed_rows() {
            self.touched();
        }
        Ok(a.page)
    }

    /// Server states that wait in `sync_base` for ops that will never be answered — an undo
    /// took back the import's held ops they waited for — are applied (one transaction, at the
    /// start of a round). Without this the profile kept its last known rev (0 for its own
    /// create) until someone changed it on the server, and this device's next edit of it went
    /// up on that stale base as a concurrent one (found by the model test, issue 14). Answers
    /// how many were applied.
    pub fn sync_apply_waiting(&mut self) -> Result<u32> {
        let at = self.now();
        let tx = self.conn.transaction()?;
        let waiting: Vec<String> = tx
            .prepare("SELECT gid FROM sync_base ORDER BY gid")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut a = Applying::new(&at);
        let mut applied = 0;
        for gid in waiting {
            if !has_open_ops(&tx, &gid)? {
                apply_waiting_base(&tx, &gid, &mut a)?;
                applied += 1;
            }
        }
        a.finish(&tx)?;
        tx.commit()?;
        if a.changed_rows() {
            self.touched();
        }
        Ok(applied)
    }

    /// Applies one snapshot page in one transaction with the resume point: `next_after` is
    /// where the next page begins, `None` after the last page — then the feed is read from the
    /// snapshot's `watermark`.
    pub fn sync_apply_snapshot_page(
        &mut self,
        watermark: &str,
        changes: &[Change],
        next_after: Option<&str>,
    ) -> Result<PageApplied> {
        // The sweep goes first: a profile it drops may hold events of the page (a create the
        // server merged here and a restored server then kept apart), which must be written
        // after it, not found present and then swept away with it (found by the model test).
        let sweep = |tx: &Transaction, a: &mut Applying| {
            drop_what_the_server_lacks(tx, changes, next_after, a)
        };
        self.apply_page(changes, sweep, |tx, _| {
            match next_after {
                Some(after) => tx.execute(
                    "UPDATE sync_state SET snapshot_watermark = ?1, snapshot_after = ?2
                      WHERE id = 1",
                    params![watermark, after],
                )?,
                None => tx.execute(
                    "UPDATE sync_state SET snapshot_watermark = NULL, snapshot_after = NULL,
                            cursor = ?1, phase = ?2 WHERE id = 1",
                    params![watermark, Phase::Pull.as_str()],
                )?,
            };
            Ok(())
        })
    }

    /// Applies one pull page in one transaction with the cursor after it, and one audit entry
    /// for the page (deletes have their own).
    pub fn sync_apply_pull_page(
        &mut self,
        changes: &[Change],
        cursor: &str,
    ) -> Result<PageApplied> {
        self.apply_page(
            changes,
            |_, _| Ok(()),
            |tx, a| {
                tx.execute("UPDATE sync_state SET cursor = ?1 WHERE id = 1", [cursor])?;
                if a.page.profiles + a.page.consent_events > 0 {
                    crate::audit::append_as(
                        tx,
                        &a.at,
                        "sync",
                        "sync.pull",
                        "sync",
                        serde_json::json!({
                            "profiles": a.page.profiles,
                            "deleted": a.page.deleted,
                            "consentEvents": a.page.consent_events,
                        }),
                    )?;
                }
                Ok(())
            },
        )
    }
}
