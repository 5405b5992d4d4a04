//! The app's side of a first sync (issue 13): a new store connects to the server process on
//! loopback and downloads every profile with the engine the app and `pdesk sync` run
//! (`pdesk-sync`): snapshot pages applied through the store's writer, each with its resume
//! point. Measured in a child process of its own, for its peak memory; beside it, the same
//! pages merely downloaded (the server's snapshot over HTTP, measured just before).

use std::path::Path;
use std::process::Command;

use pdesk_core::keychain::MemorySecrets;
use pdesk_core::Store;

use super::workload::{internal, PASSWORD};
use crate::figures::Figure;
use crate::run::ChildReport;
use pdesk_core::Error;

/// Issue 13's bar: a first sync of 1,000,000 profiles in 60 s (scaled to the run's size).
const TARGET_MS_PER_MILLION: f64 = 60_000.0;
/// And in 200 MB.
const MEMORY_TARGET_MB: f64 = 200.0;
/// The client's store in the work dir.
const STORE: &str = "bench-first-sync.db";

/// The figure: `pdesk-bench child first-sync` against the server at `url` (holding
/// `profiles`), beside `download_ms`, the same pages downloaded without applying them.
pub fn figure(dir: &Path, url: &str, profiles: u64, download_ms: f64) -> Result<Figure, Error> {
    let store = dir.join(STORE);
    crate::run::remove_db(&store);
    let out = Command::new(std::env::current_exe()?)
        .args(["child", "first-sync", "--work-dir"])
        .arg(dir)
        .args(["--store", STORE, url])
        .output()?;
    crate::run::remove_db(&store);
    if !out.status.success() {
        return Err(internal(format!(
            "child first-sync failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    let report: ChildReport = serde_json::from_slice(&out.stdout).map_err(internal)?;
    Ok(Figure {
        name: format!(
            "Sync first download into an empty store: {profiles} profiles from the server process (the app's engine)"
        ),
        median_ms: report.ms,
        target_ms: Some(profiles as f64 / 1_000_000.0 * TARGET_MS_PER_MILLION),
        peak_mb: report.peak_mb,
        memory_target_mb: Some(MEMORY_TARGET_MB),
        peer_name: Some("the same pages downloaded, not applied".into()),
        peer_median_ms: Some(download_ms),
        result: report.result,
    })
}

/// The child side: connects a new store at `db` to the server at `url` as the benchmark's
/// administrator and runs one round; answers its time and what it wrote.
pub fn measure(db: &Path, url: &str) -> Result<(f64, String), Error> {
    let mut store = Store::open(db)?;
    let actor = store.actor(None)?;
    let secrets = MemorySecrets::default();
    pdesk_sync::connect(
        &mut store,
        &actor,
        &secrets,
        url,
        "admin",
        PASSWORD,
        "pdesk-bench",
    )
    .map_err(internal)?;
    let started = std::time::Instant::now();
    let report = pdesk_sync::sync_once(&mut store, &secrets).map_err(internal)?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let written = report.downloaded.profiles + report.pulled.profiles;
    Ok((
        ms,
        format!(
            "{:.0} profiles/s ({written} profiles written)",
            f64::from(written) / (ms / 1000.0),
        ),
    ))
}
