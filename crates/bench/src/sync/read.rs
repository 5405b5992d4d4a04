//! What a first sync reads (issue 12: snapshot served at ≥ 20,000 profiles/s): every profile
//! of a big server through `snapshot` pages (as `GET /v1/snapshot` serves them, NDJSON bodies
//! built, HTTP excluded: the `load` figure has it) and through `pull` from the start of the
//! feed. The floor, in the same run on the same backend: the same rows read bare, in the same
//! pages (`SELECT gid, data, meta … ORDER BY gid LIMIT 5000`).

use std::time::Instant;

use pdesk_core::Error;
use pdesk_server::db::{Database, Val};
use pdesk_server::feed::PARTITIONS;
use pdesk_server::{meta, read};
use pdesk_sync_proto::cursor::CursorPosition;
use pdesk_sync_proto::limits;
use pdesk_sync_proto::snapshot::SnapshotQuery;

use super::workload::internal;

/// Reads the whole snapshot, page by page, each page in its own read transaction as the
/// handler does. Answers milliseconds, profiles and bytes.
pub fn snapshot_all(db: &Database) -> Result<(f64, u64, u64), Error> {
    let started = Instant::now();
    let mut query = SnapshotQuery {
        watermark: SnapshotQuery::NEW.into(),
        after: None,
        limit: Some(limits::SNAPSHOT_PAGE),
    };
    let (mut profiles, mut bytes) = (0u64, 0u64);
    loop {
        let page = db
            .read(|sql| read::snapshot(sql, &query))
            .map_err(|e| internal(format!("{e:?}")))?;
        profiles += page.body.matches("\"type\":\"profile\"").count() as u64;
        bytes += page.body.len() as u64;
        match page.next_after {
            Some(after) => {
                query.watermark = page.watermark.0;
                query.after = Some(after);
            }
            None => break,
        }
    }
    Ok((started.elapsed().as_secs_f64() * 1000.0, profiles, bytes))
}

/// Pulls the whole feed from its start, in pages of the protocol's maximum. Answers
/// milliseconds and changes.
pub fn pull_all(db: &Database) -> Result<(f64, u64), Error> {
    let started = Instant::now();
    let epoch = db.read(|sql| meta::epoch(sql)).map_err(internal)?;
    let mut from = CursorPosition::new(epoch, vec![0; PARTITIONS as usize]);
    let mut changes = 0u64;
    loop {
        let page = db
            .read(|sql| read::pull(sql, &from, limits::PULL_MAX_CHANGES))
            .map_err(|e| internal(format!("{e:?}")))?;
        changes += page.changes.len() as u64;
        from = page.cursor;
        if !page.has_more {
            break;
        }
    }
    Ok((started.elapsed().as_secs_f64() * 1000.0, changes))
}

/// The floor: the live profiles' rows, bare, in the snapshot's pages. Answers milliseconds and
/// rows.
pub fn bare_read(db: &Database) -> Result<(f64, u64), Error> {
    let started = Instant::now();
    let mut after = String::new();
    let mut rows_read = 0u64;
    loop {
        let rows = db
            .read(|sql| {
                sql.query(
                    "SELECT gid, data, meta FROM profiles WHERE deleted = 0 AND gid > $1 ORDER BY gid LIMIT $2",
                    &[after.as_str().into(), Val::from(u64::from(limits::SNAPSHOT_PAGE))],
                )
            })
            .map_err(internal)?;
        let Some(last) = rows.last() else { break };
        after = last.text(0);
        rows_read += rows.len() as u64;
        // Touch every value, as building a page would.
        let bytes: usize = rows.iter().map(|r| r.text(1).len() + r.text(2).len()).sum();
        std::hint::black_box(bytes);
        if rows.len() < limits::SNAPSHOT_PAGE as usize {
            break;
        }
    }
    Ok((started.elapsed().as_secs_f64() * 1000.0, rows_read))
}
