//! The capture side of sync (SYNC.md §3): while the store is connected to a server, every
//! change to a profile appends one semantic op to `sync_outbox`, in the change's transaction,
//! with a gap-free `seq` and a hybrid logical clock. `profiles::storage` — the only writer of
//! profile rows — calls [`created`], [`updated`], [`deleted`] and [`consent_recorded`];
//! changes that came *from* the server are written without an op.
//!
//! What the ops need to know of the server's state (a profile's rev, its field versions, the
//! OR-set tags of its list values) is in `sync_known` ([`known`]); how a local profile reads
//! on the wire is [`wire`].
//!
//! **An op is never a pointer to the current row**: a create carries the whole profile, an
//! update the changed fields' new values, so a batch sent again is the same batch.

pub mod known;
pub mod wire;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::Source;
use pdesk_rule::validate::ValidProfile;
use pdesk_sync_proto::profile::{ConsentEvent, ConsentStatus};
use pdesk_sync_proto::push::{
    ConflictChoice, ConflictResolve, ConsentRecord, OpBody, Origin, OriginSource, ProfileCreate,
    ProfileDelete,
};
use pdesk_sync_proto::Hlc;

/// A new global id: UUIDv7 text (time-ordered, so new rows append to the `gid` index).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The connection's capture state: present only while connected.
struct Connected {
    replica: String,
    next_seq: i64,
    hlc: u64,
    /// The local ids the initial push has still to send, `(after, up to]`: changes to them
    /// make no op (the initial push sends their state as it is then, consent included).
    unsent: (i64, i64),
}

impl Connected {
    fn not_sent_yet(&self, id: i64) -> bool {
        id > self.unsent.0 && id <= self.unsent.1
    }
}

fn connected(conn: &Connection) -> Result<Option<Connected>> {
    Ok(conn
        .prepare_cached(
            "SELECT replica_id, next_seq, hlc, phase, initial_after, initial_upto
               FROM sync_state WHERE id = 1",
        )?
        .query_row([], |r| {
            let pushing = r.get::<_, String>(3)? == "initial_push";
            Ok(Connected {
                replica: r.get(0)?,
                next_seq: r.get(1)?,
                hlc: r.get::<_, i64>(2)? as u64,
                unsent: if pushing {
                    (r.get(4)?, r.get(5)?)
                } else {
                    (0, 0)
                },
            })
        })
        .optional()?)
}

/// Whether changes are being captured (the store is connected to a server).
pub fn is_capturing(conn: &Connection) -> Result<bool> {
    Ok(connected(conn)?.is_some())
}

/// Milliseconds since the epoch of a stored time (`2026-11-28T15:35:29.123Z`).
pub fn millis_of(at: &str) -> Result<u64> {
    let t = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .map_err(|e| Error::Internal(format!("not a stored time: {at}: {e}")))?;
    Ok((t.unix_timestamp_nanos() / 1_000_000).max(0) as u64)
}

/// Appends `body` as the next op of the replica, stamped at `at`.
fn append(
    conn: &Connection,
    state: &Connected,
    at: &str,
    body: &OpBody,
    source_job: Option<i64>,
) -> Result<()> {
    let hlc = Hlc::from_u64(state.hlc)
        .tick(millis_of(at)?)
        .ok_or_else(|| Error::Internal(format!("the sync clock cannot move past {at}")))?;
    let json = serde_json::to_string(body)
        .map_err(|e| Error::Internal(format!("an op could not be written: {e}")))?;
    conn.prepare_cached(
        "INSERT INTO sync_outbox(seq, replica_id, op_id, kind, gid, body, hlc, source_job, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending')",
    )?
    .execute(params![
        state.next_seq,
        state.replica,
        new_id(),
        body.kind(),
        body.gid(),
        json,
        hlc.to_u64() as i64,
        source_job
    ])?;
    conn.prepare_cached("UPDATE sync_state SET next_seq = next_seq + 1, hlc = ?1 WHERE id = 1")?
        .execute([hlc.to_u64() as i64])?;
    Ok(())
}

fn origin_of(source: &Source) -> (Option<Origin>, Option<i64>) {
    let origin = |source, job: &Option<i64>| Origin {
        source,
        job: job.map(|j| j as u64),
        row: None,
    };
    match source {
        Source::Manual => (Some(origin(OriginSource::Form, &None)), None),
        Source::FileImport { job_id, .. } => (Some(origin(OriginSource::Import, job_id)), *job_id),
        Source::Paste { job_id } => (Some(origin(OriginSource::Paste, job_id)), *job_id),
        Source::Sync => (None, None),
    }
}

/// A new profile `gid` was written: its whole data goes up as a `profile.create` (the server
/// runs the synchronization rule on it), with fresh OR-set tags for its list values.
pub fn created(
    conn: &Connection,
    gid: &str,
    p: &ValidProfile,
    source: &Source,
    at: &str,
) -> Result<()> {
    let Some(state) = connected(conn)? else {
        return Ok(());
    };
    let (origin, job) = origin_of(source);
    create_op(conn, &state, gid, p, origin, Vec::new(), job, at)
}

#[allow(clippy::too_many_arguments)]
fn create_op(
    conn: &Connection,
    state: &Connected,
    gid: &str,
    p: &ValidProfile,
    origin: Option<Origin>,
    consent: Vec<ConsentEvent>,
    job: Option<i64>,
    at: &str,
) -> Result<()> {
    let mut lists = known::Lists::default();
    let fields = wire::fields_of(p, &mut lists);
    known::write(conn, gid, &known::Known::unsent(lists))?;
    let body = OpBody::ProfileCreate(ProfileCreate {
        gid: gid.to_string(),
        origin,
        fields,
        consent,
        fill_empty_only: false,
    });
    append(conn, state, at, &body, job)
}

/// Profile `id` (`gid`) went from `current` to `after`: the changed fields go up as a
/// `profile.update` on the versions this device last saw (nothing when nothing changed, or
/// when the initial push has yet to send the profile).
#[allow(clippy::too_many_arguments)]
pub fn updated(
    conn: &Connection,
    id: i64,
    gid: &str,
    current: &ValidProfile,
    after: &ValidProfile,
    source: &Source,
    at: &str,
) -> Result<()> {
    let Some(state) = connected(conn)?.filter(|s| !s.not_sent_yet(id)) else {
        return Ok(());
    };
    let mut known = known::read(conn, gid)?.unwrap_or_default();
    let Some(update) = wire::update_of(gid, &mut known, current, after) else {
        return Ok(());
    };
    known::write(conn, gid, &known)?;
    let (_, job) = origin_of(source);
    append(conn, &state, at, &OpBody::ProfileUpdate(update), job)
}

/// Profile `id` (`gid`) was deleted for `reason` (no op when the server never had it: the
/// initial push had yet to send it).
pub fn deleted(conn: &Connection, id: i64, gid: &str, reason: &str, at: &str) -> Result<()> {
    let Some(state) = connected(conn)?.filter(|s| !s.not_sent_yet(id)) else {
        return Ok(());
    };
    let base_rev = known::read(conn, gid)?.map_or(0, |k| k.rev);
    let body = OpBody::ProfileDelete(ProfileDelete {
        gid: gid.to_string(),
        base_rev,
        reason: reason.to_string(),
        reason_code: None,
    });
    append(conn, &state, at, &body, None)
}

/// A consent event was recorded on profile `id` (`gid`) (no op while the initial push has yet
/// to send the profile: it sends the consent history with it).
#[allow(clippy::too_many_arguments)]
pub fn consent_recorded(
    conn: &Connection,
    id: i64,
    gid: &str,
    event_id: &str,
    channel: &str,
    status: ConsentStatus,
    by: &str,
    at: &str,
) -> Result<()> {
    let Some(state) = connected(conn)?.filter(|s| !s.not_sent_yet(id)) else {
        return Ok(());
    };
    let body = OpBody::ConsentRecord(ConsentRecord {
        gid: gid.to_string(),
        event_id: event_id.to_string(),
        channel: channel.to_string(),
        status,
        recorded_at: at.to_string(),
        recorded_by: Some(by.to_string()),
    });
    append(conn, &state, at, &body, None)
}

/// A person decided a field conflict the server kept for review.
pub fn conflict_resolved(
    conn: &Connection,
    conflict: &str,
    choice: ConflictChoice,
    base_fv: u64,
    at: &str,
) -> Result<()> {
    let Some(state) = connected(conn)? else {
        return Err(Error::Conflict(
            "This store is not connected to a server: conflicts are decided there".into(),
        ));
    };
    let body = OpBody::ConflictResolve(ConflictResolve {
        conflict: conflict.to_string(),
        choice,
        value: None,
        base_fv,
    });
    append(conn, &state, at, &body, None)
}

/// A profile held before the first connection goes up as a `profile.create` with its consent
/// history (the "initial push", SYNC.md §8), so the server's rule matches it against the
/// customers it has and answers with where it went.
pub fn initial_create(
    conn: &Connection,
    gid: &str,
    p: &ValidProfile,
    consent: Vec<ConsentEvent>,
    at: &str,
) -> Result<()> {
    let Some(state) = connected(conn)? else {
        return Ok(());
    };
    let origin = Some(Origin {
        source: OriginSource::InitialPush,
        job: None,
        row: None,
    });
    create_op(conn, &state, gid, p, origin, consent, None, at)
}
