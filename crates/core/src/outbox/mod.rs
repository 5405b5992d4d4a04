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

mod batch;
pub mod known;
pub mod unsent;
pub mod wire;

pub use batch::OpBatch;
use batch::OpRow;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::Source;
use pdesk_rule::validate::ValidProfile;
use pdesk_sync_proto::profile::{ConsentEvent, ConsentStatus};
use pdesk_sync_proto::push::{
    ConflictChoice, ConflictResolve, ConsentRecord, OpBody, Origin, OriginSource, ProfileCreate,
    ProfileDelete, ProfileMerge, ReviewDecision, ReviewResolve,
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
    /// How long an import's ops are held for its undo window (ms; 0: sent at once).
    import_hold_ms: u64,
    /// Whether an import's new profiles wait for their window ([`unsent`]).
    any_waiting: bool,
}

impl Connected {
    /// Whether profile `id` has yet to go up whole — the initial push's, or an import's new
    /// profile waiting for its window: a change to it makes no op (its create will carry it).
    fn not_sent_yet(&self, conn: &Connection, id: i64) -> Result<bool> {
        Ok(self.initial_push_holds(id) || self.any_waiting && unsent::job_of(conn, id)?.is_some())
    }

    /// Whether the initial push has yet to send profile `id`.
    fn initial_push_holds(&self, id: i64) -> bool {
        id > self.unsent.0 && id <= self.unsent.1
    }
}

fn connected(conn: &Connection) -> Result<Option<Connected>> {
    let state = conn
        .prepare_cached(
            "SELECT replica_id, next_seq, hlc, phase, initial_after, initial_upto,
                    import_hold_minutes
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
                import_hold_ms: r.get::<_, i64>(6)?.max(0) as u64 * 60_000,
                any_waiting: false,
            })
        })
        .optional()?;
    let Some(mut state) = state else {
        return Ok(None);
    };
    state.any_waiting = unsent::any(conn)?;
    Ok(Some(state))
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

/// A stored time from milliseconds since the epoch (the inverse of [`millis_of`]; a held op's
/// `held_until`).
pub fn time_of_millis(ms: i64) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .map(crate::clock::format)
}

/// The op `body` made at `at`, as stored: a tick of the capture clock, and the replica's next
/// seq — unless it is an import's (`source_job`), held without a seq for the undo window.
fn stamp(state: &mut Connected, at: &str, body: &OpBody, source_job: Option<i64>) -> Result<OpRow> {
    stamp_held(state, at, body, source_job, true)
}

/// [`stamp`], the op of import job `source_job` held for its window only when `hold`.
fn stamp_held(
    state: &mut Connected,
    at: &str,
    body: &OpBody,
    source_job: Option<i64>,
    hold: bool,
) -> Result<OpRow> {
    let now = millis_of(at)?;
    let hlc = Hlc::from_u64(state.hlc)
        .tick(now)
        .ok_or_else(|| Error::Internal(format!("the sync clock cannot move past {at}")))?;
    let json = serde_json::to_string(body)
        .map_err(|e| Error::Internal(format!("an op could not be written: {e}")))?;
    let held_until = source_job
        .filter(|_| hold && state.import_hold_ms > 0)
        .map(|_| (now + state.import_hold_ms) as i64);
    let (seq, replica) = match held_until {
        Some(_) => (None, None),
        None => (Some(state.next_seq), Some(state.replica.clone())),
    };
    state.next_seq += i64::from(seq.is_some());
    state.hlc = hlc.to_u64();
    Ok(OpRow {
        seq,
        replica,
        op_id: new_id(),
        kind: body.kind(),
        gid: body.gid().map(str::to_string),
        body: json,
        hlc: hlc.to_u64() as i64,
        source_job,
        held_until,
    })
}

/// Appends `body` as the next op, stamped at `at`. An import's op (`source_job`) is held for
/// the undo window, without a seq; any other op is released at once — after the held ops of
/// other jobs on the same profile, which are released first so the server gets a profile's
/// changes in the order they were made.
fn append(
    conn: &Connection,
    state: &mut Connected,
    at: &str,
    body: &OpBody,
    source_job: Option<i64>,
) -> Result<()> {
    if let Some(gid) = body.gid() {
        if holds_for_others(conn, gid, source_job)? {
            release(conn, state, &Release::Profile { gid, source_job })?;
        }
    }
    let row = stamp(state, at, body, source_job)?;
    insert(conn, state, row)
}

/// Writes op `row` into the outbox and the capture state it moved.
fn insert(conn: &Connection, state: &Connected, row: OpRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_outbox(seq, replica_id, op_id, kind, gid, body, hlc, source_job, state,
                                 held_until)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(rusqlite::params_from_iter(row.values()))?;
    conn.prepare_cached("UPDATE sync_state SET next_seq = ?1, hlc = ?2 WHERE id = 1")?
        .execute([state.next_seq, state.hlc as i64])?;
    Ok(())
}

/// Whether profile `gid` has held ops of a job other than `source_job` (one index look-up:
/// asked before every captured op, so the release itself runs only when there is one).
fn holds_for_others(conn: &Connection, gid: &str, source_job: Option<i64>) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM sync_outbox
                            WHERE gid = ?1 AND state IN ('held', 'pending', 'inflight')
                              AND state = 'held' AND source_job IS NOT ?2)",
        )?
        .query_row(params![gid, source_job], |r| r.get(0))?)
}

/// Which held ops to release.
pub(crate) enum Release<'a> {
    /// Those whose undo window closed by `now` (ms).
    Due { now: u64 },
    /// All ("Sync now").
    All,
    /// Those on profile `gid` from jobs other than `source_job` (a later change to it is
    /// about to be captured).
    Profile {
        gid: &'a str,
        source_job: Option<i64>,
    },
}

/// Gives the held ops `which` names the replica's next seqs, in the order they were captured,
/// so they go up with the next batch. Answers how many.
fn release(conn: &Connection, state: &mut Connected, which: &Release) -> Result<usize> {
    let (filter, values): (&str, Vec<rusqlite::types::Value>) = match which {
        Release::Due { now } => ("held_until <= ?3", vec![(*now as i64).into()]),
        Release::All => ("1", vec![]),
        // The open ops' gid index serves it (its condition is spelled out for the planner).
        Release::Profile { gid, source_job } => (
            "gid = ?3 AND state IN ('held', 'pending', 'inflight') AND source_job IS NOT ?4",
            vec![gid.to_string().into(), (*source_job).into()],
        ),
    };
    let mut args: Vec<rusqlite::types::Value> =
        vec![state.replica.clone().into(), state.next_seq.into()];
    args.extend(values);
    let released = conn
        .prepare_cached(&format!(
            "UPDATE sync_outbox
                SET state = 'pending', replica_id = ?1, seq = ?2 + held.n - 1, held_until = NULL
               FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM sync_outbox
                      WHERE state = 'held' AND {filter}) AS held
              WHERE sync_outbox.id = held.id"
        ))?
        .execute(rusqlite::params_from_iter(args))?;
    if released > 0 {
        state.next_seq += released as i64;
        conn.prepare_cached("UPDATE sync_state SET next_seq = ?1 WHERE id = 1")?
            .execute([state.next_seq])?;
    }
    // An import's new profiles go too: their creates are made by the rounds that follow, a
    // batch's worth at a time (`sync::push`).
    let due = match which {
        Release::All => unsent::all_due(conn)?,
        Release::Due { .. } | Release::Profile { .. } => 0,
    };
    Ok(released + due)
}

/// Releases the held ops `which` names (see [`Release`]); answers how many.
pub(crate) fn release_held(conn: &Connection, which: &Release) -> Result<usize> {
    match connected(conn)? {
        Some(mut state) => release(conn, &mut state, which),
        None => Ok(0),
    }
}

fn origin_of(source: &Source) -> (Option<Origin>, Option<i64>) {
    let job = source.job();
    let kind = match source {
        Source::Manual => OriginSource::Form,
        Source::FileImport { .. } => OriginSource::Import,
        Source::Paste { .. } => OriginSource::Paste,
        Source::Sync => return (None, None),
    };
    let origin = Origin {
        source: kind,
        job: job.map(|j| j as u64),
        row: None,
    };
    (Some(origin), job)
}

/// A new profile `gid` was written: its whole data goes up as a `profile.create` (the server
/// runs the synchronization rule on it), with fresh OR-set tags for its list values.
pub fn created(
    conn: &Connection,
    batch: &mut OpBatch,
    id: i64,
    gid: &str,
    p: &ValidProfile,
    source: &Source,
    at: &str,
) -> Result<()> {
    let (origin, job) = origin_of(source);
    if batch.is_deferred() {
        // Not connected (or a dry run's batch): no op, and no body made for nothing — an
        // import into a store that does not sync made one a row.
        let Some(hold_ms) = batch.state(conn)?.map(|state| state.import_hold_ms) else {
            return Ok(());
        };
        // An import's new profile waits for the undo window as an id ([`unsent`]).
        if let (Some(job), Some(origin), true) = (job, &origin, hold_ms > 0) {
            let held_until = (millis_of(at)? + hold_ms) as i64;
            batch.wait(unsent::Waiting {
                id,
                job,
                origin: origin.source,
                held_until,
            });
            return Ok(());
        }
        let (known, body) = create_body(gid, p, origin, Vec::new());
        return batch.record(conn, gid, Some(known), at, &body, job);
    }
    let Some(mut state) = connected(conn)? else {
        return Ok(());
    };
    create_op(conn, &mut state, gid, p, origin, Vec::new(), job, at)
}

/// A new profile's `profile.create`, and what this device then knows of it (the tags it gave
/// its list values; no rev yet).
fn create_body(
    gid: &str,
    p: &ValidProfile,
    origin: Option<Origin>,
    consent: Vec<ConsentEvent>,
) -> (known::Known, OpBody) {
    let mut lists = known::Lists::default();
    let fields = wire::fields_of(p, &mut lists);
    let body = OpBody::ProfileCreate(ProfileCreate {
        gid: gid.to_string(),
        origin,
        fields,
        consent,
        fill_empty_only: false,
    });
    (known::Known::unsent(lists), body)
}

#[allow(clippy::too_many_arguments)]
fn create_op(
    conn: &Connection,
    state: &mut Connected,
    gid: &str,
    p: &ValidProfile,
    origin: Option<Origin>,
    consent: Vec<ConsentEvent>,
    job: Option<i64>,
    at: &str,
) -> Result<()> {
    let (known, body) = create_body(gid, p, origin, consent);
    known::write(conn, gid, &known)?;
    append(conn, state, at, &body, job)
}

/// Profile `id` went from `current` to `after`: the changed fields go up as a
/// `profile.update` on the versions this device last saw (nothing when nothing changed, or
/// when the initial push has yet to send the profile). `gid` reads the profile's global id
/// (only while connected).
#[allow(clippy::too_many_arguments)]
pub fn updated(
    conn: &Connection,
    batch: &mut OpBatch,
    id: i64,
    gid: impl FnOnce() -> Result<String>,
    current: &ValidProfile,
    after: &ValidProfile,
    source: &Source,
    at: &str,
) -> Result<()> {
    let (_, job) = origin_of(source);
    let Some(gid) = batch_gid(conn, batch, id, gid)? else {
        return Ok(());
    };
    if batch.holds(&gid) {
        let update = batch
            .known_mut(&gid)
            .and_then(|known| wire::update_of(&gid, known, current, after));
        return match update {
            Some(update) => batch.record(conn, &gid, None, at, &OpBody::ProfileUpdate(update), job),
            None => Ok(()),
        };
    }
    let Some(mut state) = sending(conn, id)? else {
        return Ok(());
    };
    let mut known = known::read(conn, &gid)?.unwrap_or_default();
    let Some(update) = wire::update_of(&gid, &mut known, current, after) else {
        return Ok(());
    };
    known::write(conn, &gid, &known)?;
    append(conn, &mut state, at, &OpBody::ProfileUpdate(update), job)
}

/// The gid of profile `id` when a change to it makes an op: `None` when not connected or the
/// initial push has yet to send it. A change to a profile the batch does not hold writes what
/// the batch collected first, so the single-op path that follows sees it.
fn batch_gid(
    conn: &Connection,
    batch: &mut OpBatch,
    id: i64,
    gid: impl FnOnce() -> Result<String>,
) -> Result<Option<String>> {
    if batch.is_deferred() {
        if batch.waits(id) {
            return Ok(None);
        }
        match batch.state(conn)? {
            Some(state) if !state.not_sent_yet(conn, id)? => {}
            _ => return Ok(None),
        }
        let gid = gid()?;
        if !batch.holds(&gid) {
            batch.flush(conn)?;
        }
        return Ok(Some(gid));
    }
    match sending(conn, id)? {
        Some(_) => Ok(Some(gid()?)),
        None => Ok(None),
    }
}

/// The capture state when a change to profile `id` makes an op: connected, and the profile
/// not waiting to go up whole ([`Connected::not_sent_yet`]).
fn sending(conn: &Connection, id: i64) -> Result<Option<Connected>> {
    let Some(state) = connected(conn)? else {
        return Ok(None);
    };
    if state.any_waiting && unsent::job_of(conn, id)?.is_some() {
        // An import's new profile still waiting for its window, changed by someone: it goes
        // up with the next round, the change in it, as a held op changed later did.
        unsent::due_now(conn, id)?;
        return Ok(None);
    }
    Ok((!state.initial_push_holds(id)).then_some(state))
}

/// Profile `id` (`gid`) was deleted for `reason` (no op when the server never had it: the
/// initial push had yet to send it).
pub fn deleted(
    conn: &Connection,
    batch: &mut OpBatch,
    id: i64,
    gid: &str,
    reason: &str,
    at: &str,
) -> Result<()> {
    // A delete takes the single-op path: what a batch collected goes first.
    batch.flush(conn)?;
    let Some(mut state) = sending(conn, id)? else {
        return Ok(());
    };
    let base_rev = known::read(conn, gid)?.map_or(0, |k| k.rev);
    let body = OpBody::ProfileDelete(ProfileDelete {
        gid: gid.to_string(),
        base_rev,
        reason: reason.to_string(),
        reason_code: None,
    });
    append(conn, &mut state, at, &body, None)
}

/// Profiles `absorbed` (id, gid) were merged into `survivor` here (a merge review's "merge
/// all"): one `profile.merge` op, so the server moves their links, consent and identifiers to
/// the survivor as this store did — sent as deletes, the server would drop the links the
/// absorbed profiles had there. The survivor's own changes went up just before as its update.
/// A held op of an absorbed profile (an import's) goes first, so the server knows what it merges;
/// a profile the initial push has yet to send is not named (it never goes up). While the
/// survivor itself waits for the initial push, the absorbed profiles go up as deletes with
/// `reason`, as the push will send the survivor whole.
pub fn merged(
    conn: &Connection,
    batch: &mut OpBatch,
    survivor: (i64, &str),
    absorbed: &[(i64, String)],
    reason: &str,
    at: &str,
) -> Result<()> {
    batch.flush(conn)?;
    let Some(mut state) = connected(conn)? else {
        return Ok(());
    };
    if state.not_sent_yet(conn, survivor.0)? {
        for (id, gid) in absorbed {
            deleted(conn, batch, *id, gid, reason, at)?;
        }
        return Ok(());
    }
    let mut sent: Vec<&(i64, String)> = Vec::with_capacity(absorbed.len());
    for profile in absorbed {
        if !state.not_sent_yet(conn, profile.0)? {
            sent.push(profile);
        }
    }
    if sent.is_empty() {
        return Ok(());
    }
    let mut base_revs = std::collections::BTreeMap::new();
    base_revs.insert(
        survivor.1.to_string(),
        known::read(conn, survivor.1)?.map_or(0, |k| k.rev),
    );
    for (_, gid) in &sent {
        if holds_for_others(conn, gid, None)? {
            release(
                conn,
                &mut state,
                &Release::Profile {
                    gid,
                    source_job: None,
                },
            )?;
        }
        base_revs.insert(gid.clone(), known::read(conn, gid)?.map_or(0, |k| k.rev));
    }
    let body = OpBody::ProfileMerge(ProfileMerge {
        survivor: survivor.1.to_string(),
        absorbed: sent.iter().map(|(_, gid)| gid.clone()).collect(),
        base_revs,
        choices: std::collections::BTreeMap::new(),
    });
    append(conn, &mut state, at, &body, None)
}

/// A consent event was recorded on profile `id` (`gid`), by import job `job` if any (no op
/// while the initial push has yet to send the profile: it sends the consent history with it).
#[allow(clippy::too_many_arguments)]
pub fn consent_recorded(
    conn: &Connection,
    batch: &mut OpBatch,
    id: i64,
    gid: impl FnOnce() -> Result<String>,
    event_id: &str,
    channel: &str,
    status: ConsentStatus,
    by: &str,
    at: &str,
    job: Option<i64>,
) -> Result<()> {
    let Some(gid) = batch_gid(conn, batch, id, gid)? else {
        return Ok(());
    };
    let body = OpBody::ConsentRecord(ConsentRecord {
        gid: gid.clone(),
        event_id: event_id.to_string(),
        channel: channel.to_string(),
        status,
        recorded_at: at.to_string(),
        recorded_by: Some(by.to_string()),
    });
    if batch.holds(&gid) {
        return batch.record(conn, &gid, None, at, &body, job);
    }
    let Some(mut state) = connected(conn)? else {
        return Ok(());
    };
    append(conn, &mut state, at, &body, job)
}

/// A person decided a field conflict the server kept for review (`value`: the one typed, for
/// `edited`).
pub fn conflict_resolved(
    conn: &Connection,
    conflict: &str,
    choice: ConflictChoice,
    value: Option<serde_json::Value>,
    base_fv: u64,
    at: &str,
) -> Result<()> {
    let body = OpBody::ConflictResolve(ConflictResolve {
        conflict: conflict.to_string(),
        choice,
        value,
        base_fv,
    });
    decided(conn, &body, at)
}

/// A person's answer to a merge review the server opened goes up as a `review.resolve` op.
pub fn review_resolved(
    conn: &Connection,
    review: &str,
    base_rev: u64,
    decision: ReviewDecision,
    target: Option<String>,
    at: &str,
) -> Result<()> {
    let body = OpBody::ReviewResolve(ReviewResolve {
        review: review.to_string(),
        base_rev,
        decision,
        target,
    });
    decided(conn, &body, at)
}

/// Appends a person's decision on something the server keeps (a conflict, a review): only a
/// connected store has such things to decide.
fn decided(conn: &Connection, body: &OpBody, at: &str) -> Result<()> {
    let Some(mut state) = connected(conn)? else {
        return Err(Error::conflict(
            "notConnectedToDecide",
            serde_json::Value::Null,
            "This store is not connected to a server: its conflicts and reviews are decided there",
        ));
    };
    append(conn, &mut state, at, body, None)
}

/// A change the server refused goes up again, as it was, under a new op id and seq (*Retry*).
pub fn send_again(conn: &Connection, body: &OpBody, at: &str) -> Result<()> {
    let Some(mut state) = connected(conn)? else {
        return Err(Error::conflict(
            "notConnectedToSend",
            serde_json::Value::Null,
            "This store is not connected to a server: nothing can be sent",
        ));
    };
    append(conn, &mut state, at, body, None)
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
    let Some(mut state) = connected(conn)? else {
        return Ok(());
    };
    let origin = Some(Origin {
        source: OriginSource::InitialPush,
        job: None,
        row: None,
    });
    create_op(conn, &mut state, gid, p, origin, consent, None, at)
}

/// The create of an import's new profile whose window closed ([`unsent::Due`]), made now from
/// the profile `p` as it is and its consent history, and sent with the next batch. Its op id
/// comes from the profile's gid: a laptop restoring a backup taken before the create was made
/// makes it again with the same id, which the server answers as the op it had (SYNC.md F7).
pub fn unsent_create(
    conn: &Connection,
    due: &unsent::Due,
    p: &ValidProfile,
    consent: Vec<ConsentEvent>,
    at: &str,
) -> Result<()> {
    unsent::forget(conn, due.id)?;
    let Some(mut state) = connected(conn)? else {
        return Ok(());
    };
    let origin = Origin {
        source: due.origin,
        job: Some(due.job as u64),
        row: None,
    };
    let (known, body) = create_body(&due.gid, p, Some(origin), consent);
    known::write(conn, &due.gid, &known)?;
    let mut row = stamp_held(&mut state, at, &body, Some(due.job), false)?;
    row.op_id = create_op_id(&due.gid)?;
    insert(conn, &state, row)
}

/// The op id of the create of profile `gid` made when its window closed: the gid's bits under
/// UUID version 8, so never an id `new_id` makes.
fn create_op_id(gid: &str) -> Result<String> {
    let gid = uuid::Uuid::parse_str(gid)
        .map_err(|e| Error::Internal(format!("the global id {gid} is not a UUID: {e}")))?;
    Ok(uuid::Uuid::new_v8(*gid.as_bytes()).to_string())
}

/// How far an import job's change to one profile has gone, as undo sees it (SYNC.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobChange {
    /// Not connected, or nothing of it was captured: undo works as it always did.
    Local,
    /// Its ops are held for the undo window: undo takes them back, and the server never
    /// hears of the import's change nor of its undo.
    Held,
    /// Sent (or released to be sent): the server has it, and undo leaves the profile alone.
    Sent,
}

/// What job `job` (which ended at `job_ended`) did to profile `id` (`gid`), as far as sync is
/// concerned.
pub fn job_change(
    conn: &Connection,
    job: i64,
    id: i64,
    gid: &str,
    job_ended: &str,
) -> Result<JobChange> {
    let Some(state) = connected(conn)? else {
        return Ok(JobChange::Local);
    };
    if let Some(waits_for) = unsent::job_of(conn, id)? {
        // A new profile waiting for its window: this job's own goes back unsent; a later
        // job's change to it made no op.
        return Ok(if waits_for == job {
            JobChange::Held
        } else {
            JobChange::Local
        });
    }
    if state.not_sent_yet(conn, id)? {
        return Ok(JobChange::Local);
    }
    let connected_at: String = conn.query_row(
        "SELECT connected_at FROM sync_state WHERE id = 1",
        [],
        |r| r.get(0),
    )?;
    if job_ended < connected_at.as_str() {
        // Imported before connecting: the initial push sent the profile as it was.
        return Ok(JobChange::Sent);
    }
    let (sent, held): (bool, bool) = conn
        .prepare_cached(
            "SELECT IFNULL(MAX(state <> 'held'), 0), IFNULL(MAX(state = 'held'), 0)
               FROM sync_outbox WHERE source_job = ?1 AND gid = ?2",
        )?
        .query_row(params![job, gid], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(match (sent, held) {
        (true, _) => JobChange::Sent,
        (false, true) => JobChange::Held,
        (false, false) => JobChange::Local,
    })
}

/// Takes back the held ops of job `job` on profile `gid` (undo, in its transaction); when the
/// job created the profile, what this device noted for the server about it goes too.
pub fn take_back_held(conn: &Connection, job: i64, gid: &str, created: bool) -> Result<usize> {
    if let Some(id) = conn
        .prepare_cached("SELECT id FROM profiles WHERE gid = ?1")?
        .query_row([gid], |r| r.get::<_, i64>(0))
        .optional()?
    {
        if unsent::job_of(conn, id)? == Some(job) {
            unsent::forget(conn, id)?;
        }
    }
    let taken = conn
        .prepare_cached(
            "DELETE FROM sync_outbox WHERE state = 'held' AND source_job = ?1 AND gid = ?2",
        )?
        .execute(params![job, gid])?;
    if created {
        conn.prepare_cached("DELETE FROM sync_known WHERE gid = ?1")?
            .execute([gid])?;
    }
    Ok(taken)
}

/// Gives this copy of the database a new replica id (SYNC.md §9 F7: a restored backup or a
/// copied file would otherwise reuse seqs the server already has from the original, and its
/// new changes would be taken for duplicates). The ops already numbered keep their replica and
/// seq — the server answers those it has as it did — and every op from now on is numbered
/// under the new one. Answers whether the store is connected (nothing to rotate otherwise).
pub fn rotate_replica(conn: &Connection) -> Result<bool> {
    let rotated = conn.execute(
        "UPDATE sync_state SET replica_id = ?1, next_seq = 1 WHERE id = 1",
        [new_id()],
    )?;
    Ok(rotated == 1)
}

/// The server has another op at `(replica, seq)` (`422 seq_reused`): this copy's ops of
/// `replica` from `seq` on, not yet answered, are numbered again under a new replica, in the
/// order they were made; when `replica` is the current one, the new replica becomes current.
/// Answers how many ops were numbered again.
pub fn renumber_from(conn: &Connection, replica: &str, seq: u64) -> Result<usize> {
    let fresh = new_id();
    let moved = conn.execute(
        "UPDATE sync_outbox SET replica_id = ?1, seq = moved.n, state = 'pending'
           FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM sync_outbox
                  WHERE replica_id = ?2 AND seq >= ?3 AND state IN ('pending', 'inflight')) AS moved
          WHERE sync_outbox.id = moved.id",
        params![fresh, replica, seq as i64],
    )?;
    conn.execute(
        "UPDATE sync_state SET replica_id = ?1, next_seq = ?2 + 1 WHERE id = 1 AND replica_id = ?3",
        params![fresh, moved as i64, replica],
    )?;
    Ok(moved)
}

/// The replicas this store has numbered ops under that the server acknowledged (kept 30
/// days), to ask a restored server how far it has each (SYNC.md §9 F9).
pub fn acked_replicas(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare(
            "SELECT DISTINCT replica_id FROM sync_outbox
              WHERE state = 'acked' AND replica_id IS NOT NULL",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// A server restored from an older backup has `replica`'s ops only up to `last_seq`: the ones
/// after it that it had answered (acknowledged or refused) are sent again, with the same seqs
/// and bodies, and answered again. Answers how many.
pub fn resend_after(conn: &Connection, replica: &str, last_seq: u64) -> Result<usize> {
    conn.execute(
        "DELETE FROM sync_rejections WHERE op_id IN
           (SELECT op_id FROM sync_outbox WHERE replica_id = ?1 AND seq > ?2 AND state = 'rejected')",
        params![replica, last_seq as i64],
    )?;
    Ok(conn.execute(
        "UPDATE sync_outbox SET state = 'pending', result = NULL, acked_at = NULL
          WHERE replica_id = ?1 AND seq > ?2 AND state IN ('acked', 'rejected')",
        params![replica, last_seq as i64],
    )?)
}

/// Whether the outbox still holds op `(replica, seq)`.
pub fn holds(conn: &Connection, replica: &str, seq: u64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sync_outbox WHERE replica_id = ?1 AND seq = ?2")?
        .exists(params![replica, seq as i64])?)
}
