//! The app's side of a first sync (issue 13): a new store connects to the server process on
//! loopback and downloads every profile with the engine the app and `pdesk sync` run
//! (`pdesk-sync`): snapshot pages applied through the store's writer, each with its resume
//! point. Measured in a child process of its own, for its peak memory; beside it, the same
//! pages merely downloaded (the server's snapshot over HTTP, measured just before).
//!
//! Then the same store, caught up, imports 50,000 rows offline and syncs them: the push of
//! 50,000 changes end to end (issue 13: ≤ 20 s), the import's own time beside it.

use std::path::Path;
use std::process::Command;

use pdesk_core::keychain::{MemorySecrets, Secrets};
use pdesk_core::Store;

use super::workload::{internal, PASSWORD};
use crate::figures::Figure;
use crate::run::ChildReport;
use pdesk_core::Error;

/// Issue 13's bar: a first sync of 1,000,000 profiles in 60 s (scaled to the run's size).
const TARGET_MS_PER_MILLION: f64 = 60_000.0;
/// And in 200 MB.
const MEMORY_TARGET_MB: f64 = 200.0;
/// The client's store in the work dir (the first sync makes it, the push and the month
/// offline use it, the month offline removes it).
pub(super) const STORE: &str = "bench-first-sync.db";

/// The figure: `pdesk-bench child first-sync` against the server at `url` (holding
/// `profiles`), beside `download_ms`, the same pages downloaded without applying them.
pub fn figure(dir: &Path, url: &str, profiles: u64, download_ms: f64) -> Result<Figure, Error> {
    let store = dir.join(STORE);
    crate::run::remove_db(&store);
    let report = child(dir, "first-sync", url)?;
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

/// `pdesk-bench child WHAT` on the benchmark's sync store; `arg`: the server's URL, or the
/// workbook to import.
pub(super) fn child(dir: &Path, what: &str, arg: &str) -> Result<ChildReport, Error> {
    let out = Command::new(std::env::current_exe()?)
        .args(["child", what, "--work-dir"])
        .arg(dir)
        .args(["--store", STORE, arg])
        .output()?;
    if !out.status.success() {
        crate::run::remove_db(&dir.join(STORE));
        return Err(internal(format!(
            "child {what} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    serde_json::from_slice(&out.stdout).map_err(internal)
}

/// Where the first-sync child leaves its device's refresh token for the push child.
fn token_file(db: &Path) -> std::path::PathBuf {
    db.with_extension("token")
}

/// The first sync's device, signed in with the refresh token that child left.
pub fn signed_in(db: &Path) -> Result<MemorySecrets, Error> {
    let secrets = MemorySecrets::default();
    let (key, token) = std::fs::read_to_string(token_file(db))?
        .split_once('\t')
        .map(|(k, t)| (k.to_string(), t.to_string()))
        .ok_or_else(|| internal("the first sync left no sign-in"))?;
    secrets.set(&key, &token).map_err(internal)?;
    Ok(secrets)
}

/// Removes the client's store and its sign-in (after the month offline).
pub fn remove_store(dir: &Path) {
    let store = dir.join(STORE);
    crate::run::remove_db(&store);
    let _ = std::fs::remove_file(token_file(&store));
}

/// Issue 13's bar for a push of 50,000 changes, end to end.
const PUSH_TARGET_MS: f64 = 20_000.0;

/// The push figure: the store the first sync left (caught up, signed in) imports `file`
/// (50,000 rows) offline, then one round sends them to its server — `pdesk-bench child
/// client-push`; the store stays for the month offline (`offline`).
pub fn push_figure(dir: &Path, file: &Path) -> Result<Figure, Error> {
    let copy = dir.join("bench-client-push.xlsx");
    std::fs::copy(file, &copy)?;
    let report = child(dir, "client-push", &copy.to_string_lossy());
    let _ = std::fs::remove_file(&copy);
    let report = report?;
    let (import_ms, result) = report
        .result
        .split_once('|')
        .map(|(ms, rest)| (ms.parse::<f64>().ok(), rest.to_string()))
        .unwrap_or((None, report.result.clone()));
    Ok(Figure {
        name: "Sync push of 50,000 changes made offline (an import), the app's engine: one round to the server process".into(),
        median_ms: report.ms,
        target_ms: Some(PUSH_TARGET_MS),
        peak_mb: report.peak_mb,
        memory_target_mb: Some(MEMORY_TARGET_MB),
        peer_name: Some("the import that made them".into()),
        peer_median_ms: import_ms,
        result,
    })
}

/// The child side of [`push_figure`]: imports `file` into the caught-up store at `db` with
/// the undo window off (its ops go at once), then times one round. Answers the round's time
/// and "import ms|what it did".
pub fn measure_push(db: &Path, file: &Path) -> Result<(f64, String), Error> {
    let mut store = Store::open(db)?;
    let actor = store.actor(None)?;
    let secrets = signed_in(db)?;
    store.sync_set_import_hold(&actor, 0)?;
    let (import_ms, imported) =
        crate::import::measure_import(db, file, crate::import::ImportRun::Import)?;
    let waiting = store.sync_status()?.pending_ops;
    let started = std::time::Instant::now();
    let report = pdesk_sync::sync_once(&mut store, &secrets).map_err(internal)?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let p = &report.pushed;
    Ok((
        ms,
        format!(
            "{import_ms:.0}|{:.0} changes/s: {waiting} waiting after the import ({imported}); sent in {} pushes: {} applied, {} merged, {} to review, {} rejected; {} pulled back",
            waiting as f64 / (ms / 1000.0),
            report.batches,
            p.applied,
            p.merged,
            p.review,
            p.rejected,
            report.pulled.profiles + report.downloaded.profiles,
        ),
    ))
}

/// Connects `store` to the server at `url` as the benchmark's administrator, a device named
/// `device` whose sign-in stays in `secrets`.
pub(super) fn connect_as_admin(
    store: &mut Store,
    secrets: &MemorySecrets,
    url: &str,
    device: &str,
) -> Result<(), Error> {
    let actor = store.actor(None)?;
    pdesk_sync::connect(
        store,
        &actor,
        secrets,
        url,
        "admin",
        PASSWORD,
        device,
        &pdesk_core::sync::ServerTrust::default(),
    )
    .map_err(internal)?;
    Ok(())
}

/// The child side: connects a new store at `db` to the server at `url` as the benchmark's
/// administrator and runs one round; answers its time and what it wrote.
pub fn measure(db: &Path, url: &str) -> Result<(f64, String), Error> {
    let mut store = Store::open(db)?;
    let secrets = MemorySecrets::default();
    connect_as_admin(&mut store, &secrets, url, "pdesk-bench")?;
    let started = std::time::Instant::now();
    let report = pdesk_sync::sync_once(&mut store, &secrets).map_err(internal)?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    // The device's sign-in for the next child (`client-push`): the keychain here is memory.
    if let Some(cursor) = store.sync_cursor()? {
        let key = pdesk_sync::token_key(&cursor.device_id);
        if let Some(token) = secrets.get(&key).map_err(internal)? {
            std::fs::write(token_file(db), format!("{key}\t{token}"))?;
        }
    }
    let written = report.downloaded.profiles + report.pulled.profiles;
    Ok((
        ms,
        format!(
            "{:.0} profiles/s ({written} profiles written)",
            f64::from(written) / (ms / 1000.0),
        ),
    ))
}
