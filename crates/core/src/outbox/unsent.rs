//! An import's new profiles waiting for their undo window (issue 13; migration 0029): kept as
//! ids in `sync_unsent`, not as ops. Like the initial push's range (SYNC.md §8), a change to
//! such a profile makes no op; when the window closes (or at *Sync now*) its create goes up
//! with the profile as it is then, consent included (`sync::push` makes it, a batch's worth
//! per round); an undo removes it as if the store were not connected, and deleting the profile
//! forgets it. Capturing each created row's op — its body, what this device knows of it, an
//! outbox row and its indexes — cost a connected import a third of its time.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;
use crate::store::insert_many;
use pdesk_sync_proto::push::OriginSource;

/// A new profile of an import, waiting (as the import's transaction collects them).
pub(super) struct Waiting {
    pub id: i64,
    pub job: i64,
    /// The create's origin: an import, or a paste.
    pub origin: OriginSource,
    pub held_until: i64,
}

/// Writes `rows` (an import transaction's new profiles) in their order.
pub(super) fn write_many(conn: &Connection, rows: &[Waiting]) -> Result<()> {
    insert_many(
        conn,
        "INSERT INTO sync_unsent(profile_id, job, origin, held_until)",
        "",
        rows.iter().map(|w| {
            [
                w.id.into(),
                w.job.into(),
                origin_text(w.origin).to_string().into(),
                w.held_until.into(),
            ]
        }),
    )
}

/// The import job profile `id` waits for (`None`: it does not wait).
pub fn job_of(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT job FROM sync_unsent WHERE profile_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Whether any profile waits (read with the capture state, so a store with none asks no more).
pub(super) fn any(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM sync_unsent)")?
        .query_row([], |r| r.get(0))?)
}

/// A profile whose window has closed: its create is made now.
#[derive(Debug)]
pub struct Due {
    pub id: i64,
    pub gid: String,
    pub job: i64,
    pub origin: OriginSource,
}

/// The profiles whose window closed by `now` (ms), oldest first, at most `limit`.
pub fn due(conn: &Connection, now: u64, limit: usize) -> Result<Vec<Due>> {
    Ok(conn
        .prepare_cached(
            "SELECT u.profile_id, p.gid, u.job, u.origin
               FROM sync_unsent u JOIN profiles p ON p.id = u.profile_id
              WHERE u.held_until <= ?1 ORDER BY u.profile_id LIMIT ?2",
        )?
        .query_map([now as i64, limit as i64], due_row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// Profile `id`, when it waits.
pub fn one(conn: &Connection, id: i64) -> Result<Option<Due>> {
    Ok(conn
        .prepare_cached(
            "SELECT u.profile_id, p.gid, u.job, u.origin
               FROM sync_unsent u JOIN profiles p ON p.id = u.profile_id
              WHERE u.profile_id = ?1",
        )?
        .query_row([id], due_row)
        .optional()?)
}

/// A [`Due`] from a row of `profile_id, gid, job, origin`.
fn due_row(r: &rusqlite::Row) -> rusqlite::Result<Due> {
    Ok(Due {
        id: r.get(0)?,
        gid: r.get(1)?,
        job: r.get(2)?,
        origin: origin_of_text(&r.get::<_, String>(3)?),
    })
}

/// How `sync_unsent.origin` keeps where a waiting profile came from: `paste`, else `import`.
fn origin_text(origin: OriginSource) -> &'static str {
    match origin {
        OriginSource::Paste => "paste",
        _ => "import",
    }
}

/// The origin `text` ([`origin_text`]) keeps.
fn origin_of_text(text: &str) -> OriginSource {
    match text {
        "paste" => OriginSource::Paste,
        _ => OriginSource::Import,
    }
}

/// Every waiting profile is due now (*Sync now*). Answers how many.
pub(super) fn all_due(conn: &Connection) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE sync_unsent SET held_until = 0 WHERE held_until > 0",
        [],
    )?)
}

/// Profile `id` is due now: its create goes up with the next round (a change was made to it).
pub(super) fn due_now(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE sync_unsent SET held_until = 0 WHERE profile_id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Profile `id` no longer waits (its create was made, or its import undone).
pub(super) fn forget(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_unsent WHERE profile_id = ?1")?
        .execute([id])?;
    Ok(())
}

/// How many of job `job`'s new profiles wait, and when the first window closes (ms).
pub fn of_job(conn: &Connection, job: i64) -> Result<(u64, Option<i64>)> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*), MIN(held_until) FROM sync_unsent WHERE job = ?1")?
        .query_row([job], |r| {
            Ok((r.get::<_, i64>(0)?.max(0) as u64, r.get(1)?))
        })?)
}

/// How many profiles still wait at `now` (ms) — their window open — and when the first of
/// those windows closes.
pub fn still_waiting(conn: &Connection, now: u64) -> Result<(u64, Option<i64>)> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*), MIN(held_until) FROM sync_unsent WHERE held_until > ?1")?
        .query_row([now as i64], |r| {
            Ok((r.get::<_, i64>(0)?.max(0) as u64, r.get(1)?))
        })?)
}

/// How many profiles wait whose window closed by `now` (ms): creates about to go up.
pub fn due_count(conn: &Connection, now: u64) -> Result<u64> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM sync_unsent WHERE held_until <= ?1")?
        .query_row([now as i64], |r| r.get::<_, i64>(0))?
        .max(0) as u64)
}
