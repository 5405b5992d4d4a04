//! Conflict review at scale (issue 14; SYNC.md §11: "opens in ≤ 200 ms with 10,000 open
//! conflicts"): what the screen asks the core when it opens — every open conflict with its
//! profile's label, then the latest decided ones (`Store::sync_conflicts`) — on a store with
//! 5,000 profiles of which each has two open conflicts, next to its floor: the same rows read
//! by SQLite alone with the same joins, no label and nothing built from them.

use std::path::Path;

use pdesk_core::{Error, Store};

use crate::figures::{median_ms, Figure};
use crate::run::remove_db;

/// Open conflicts in the store, two per profile.
const CONFLICTS: u64 = 10_000;
const RUNS: usize = 11;
const TARGET_MS: f64 = 200.0;

pub fn figure(dir: &Path) -> Result<Figure, Error> {
    let path = dir.join("bench-conflicts.db");
    remove_db(&path);
    let mut store = Store::open(&path)?;
    let actor = store.actor(None)?;
    store.seed_demo(&actor, CONFLICTS / 2, 11)?;
    drop(store);
    let conn = rusqlite::Connection::open(&path)?;
    // Two fields of every profile met a colleague's edit: the server kept the colleague's
    // value (who, which device, when), this computer's lost.
    for (field, kept, lost) in [
        ("city", "\"Huế\"", "\"Hà Nội\""),
        ("company", "\"Công ty An Phát\"", "\"An Phát JSC\""),
    ] {
        conn.execute(
            "INSERT INTO sync_conflicts(id, gid, field, kept, lost, status, at, kept_by, lost_by,
                                        kept_at, lost_at, kept_device, lost_device, ours)
             SELECT 'cf_' || ?1 || '_' || id, gid, ?1, ?2, ?3, 'open', '2026-12-04T08:00:00.000Z',
                    'minh', 'lan', '2026-12-04T07:59:00.000Z', '2026-12-04T07:58:00.000Z',
                    'Laptop của Minh', 'Laptop của Lan', 'lost'
               FROM profiles",
            rusqlite::params![field, kept, lost],
        )?;
    }
    let store = Store::open(&path)?;
    let actor = store.actor(None)?;
    let (ms, shown) = median_ms(RUNS, || store.sync_conflicts(&actor).map(|c| c.len()))?;
    let (floor_ms, rows) = median_ms(RUNS, || {
        let mut stmt = conn.prepare_cached(
            "SELECT c.id, c.gid, p.id, c.field, c.kept, c.kept_by, c.kept_device, c.kept_at,
                    c.lost, c.lost_by, c.lost_device, c.lost_at, c.ours, c.job, j.file_name,
                    c.status, c.at
               FROM sync_conflicts c LEFT JOIN profiles p ON p.gid = c.gid
               LEFT JOIN import_jobs j ON j.id = c.job
              WHERE c.status = 'open' ORDER BY c.gid, c.at, c.id",
        )?;
        let mut rows = stmt.query([])?;
        let mut n = 0usize;
        while let Some(row) = rows.next()? {
            let _: String = row.get(0)?;
            n += 1;
        }
        Ok(n)
    })?;
    drop((store, conn));
    remove_db(&path);
    Ok(Figure {
        name: format!(
            "Conflict review opens: {CONFLICTS} open conflicts on {} profiles, with their labels",
            CONFLICTS / 2
        ),
        peer_name: Some("floor: the same rows read by SQLite alone".into()),
        peer_median_ms: Some(floor_ms),
        ..Figure::new(
            ms,
            Some(TARGET_MS),
            format!("{shown} conflicts listed ({rows} rows in the floor)"),
        )
    })
}
