//! A laptop back after a month offline (issue 14: "10,000 local changes while 100,000 changed
//! on the server: reconciled in ≤ 30 s"). The store the push figure left (caught up with the
//! server process, signed in) edits 10,000 of its customers offline — each a hand edit through
//! the store, its op captured —; meanwhile a colleague's device sends 100,000 new customers to
//! the server over HTTP. Then one round of the app's engine: the 10,000 go up and the 100,000
//! come down, applied. Beside it, measured in the same run: the same 100,000 changes merely
//! downloaded by HTTP pulls (the server's and the network's share, nothing applied).

use std::path::Path;
use std::time::Instant;

use pdesk_core::keychain::MemorySecrets;
use pdesk_core::model::{ConsentInput, ProfileInput};
use pdesk_core::{Error, Store};
use pdesk_sync_proto::limits;

use super::client::Conn;
use super::load::{pull_until_caught_up, sign_in};
use super::workload::{internal, Space};
use crate::figures::Figure;

/// Edits made on the laptop while offline.
pub const LOCAL_CHANGES: usize = 10_000;
/// Customers a colleague adds on the server meanwhile.
pub const SERVER_CHANGES: u64 = 100_000;
const TARGET_MS: f64 = 30_000.0;
/// The colleague's device: its own gids, op ids and phones (above the load figure's pushers',
/// 20,000,000 to 69,999,999; one create in twenty repeats an earlier customer of the same
/// device and merges into it, as in every push of the benchmark).
const COLLEAGUE: Space = Space {
    prefix: 0x019a_f000,
    phone_base: 80_000_000,
};

/// The parent's side: the colleague's 100,000 go to the server at `addr`, the pull of them is
/// measured as the floor, then `pdesk-bench child offline-month` reconciles the store.
pub fn figure(dir: &Path, addr: &str) -> Result<Figure, Error> {
    let mut conn = Conn::new(addr);
    let reader = sign_in(&mut conn, "bench-reader")?;
    // Where the laptop's feed stands: what comes after it is the colleague's month.
    let head = Store::open(dir.join(super::first_sync::STORE))?
        .sync_cursor()?
        .and_then(|c| c.cursor)
        .ok_or_else(|| internal("the push figure left no caught-up store"))?;
    let colleague = sign_in(&mut conn, "bench-colleague")?;
    let started = Instant::now();
    for first in (1..=SERVER_CHANGES).step_by(1_000) {
        let body = serde_json::to_vec(&COLLEAGUE.creates(first, 1_000)).map_err(internal)?;
        loop {
            let answer = conn
                .send("POST", "/v1/push", Some(&colleague), Some(&body))
                .map_err(internal)?;
            match answer.status {
                200 => break,
                429 | 503 => std::thread::sleep(std::time::Duration::from_millis(500)),
                s => {
                    return Err(internal(format!(
                        "the colleague's push: {s} {}",
                        String::from_utf8_lossy(&answer.body)
                    )))
                }
            }
        }
    }
    eprintln!(
        "  a colleague sent {SERVER_CHANGES} customers in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let (floor_ms, floor_changes, _) = pull_until_caught_up(addr, &reader, &head)?;
    let report = super::first_sync::child(dir, "offline-month", "-")?;
    Ok(Figure {
        name: format!(
            "Sync after a month offline: {LOCAL_CHANGES} local edits up while a colleague sent {SERVER_CHANGES} creates, one round of the app's engine"
        ),
        median_ms: report.ms,
        target_ms: Some(TARGET_MS),
        peak_mb: report.peak_mb,
        memory_target_mb: Some(200.0),
        peer_name: Some("the same changes only downloaded (HTTP pulls)".into()),
        peer_median_ms: Some(floor_ms),
        result: format!("{}; floor {floor_changes} changes", report.result),
    })
}

/// The child's side, on the caught-up store at `db` signed in as `secrets` holds: 10,000 hand
/// edits offline (not timed), then one round, timed.
pub fn measure(db: &Path, secrets: &MemorySecrets) -> Result<(f64, String), Error> {
    let mut store = Store::open(db)?;
    let actor = store.actor(None)?;
    let ids: Vec<i64> = {
        let conn = rusqlite::Connection::open(db)?;
        let mut stmt = conn.prepare("SELECT id FROM profiles ORDER BY id LIMIT ?1")?;
        let ids = stmt
            .query_map([LOCAL_CHANGES as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        ids
    };
    let started = Instant::now();
    for (n, id) in ids.iter().enumerate() {
        let city = ["Đà Nẵng", "Cần Thơ", "Huế", "Hải Phòng"][n % 4];
        let input = ProfileInput::default()
            .with("city", city)
            .with("note", &format!("Gọi lại tháng {}", n % 12 + 1));
        store.update_profile(&actor, *id, &input, &ConsentInput::default())?;
    }
    let waiting = store.sync_status()?.pending_ops;
    eprintln!(
        "  {} edits offline in {:.1} s; {waiting} ops waiting",
        ids.len(),
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let report = pdesk_sync::sync_once(&mut store, secrets).map_err(internal)?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let p = &report.pushed;
    let left = store.sync_status()?.pending_ops;
    Ok((
        ms,
        format!(
            "{waiting} ops up in {} pushes ({} applied, {} rejected); {} profiles down ({} per pull page); {left} waiting after",
            report.batches,
            p.applied,
            p.rejected,
            report.pulled.profiles + report.downloaded.profiles,
            limits::PULL_DEFAULT_CHANGES,
        ),
    ))
}
