//! Start-up (issue 18): from process start to the list's first page, with the benchmark's
//! store (1,000,000 profiles by default). Each run is a child process of this binary, timed by
//! the parent from the spawn to the line the child prints once it holds the page:
//!
//! - after a clean exit — the app's start (`open_for_start` with the health check deferred
//!   until after the first page, then the page the list asks for);
//! - after an unclean exit — the same with `quick_check` first, as every start did before;
//! - the floor — a bare SQLite open of the same file and a `LIMIT 100` page, in a process.
//!
//! With root on Linux the OS file cache is also dropped before a second series (the first
//! start after a reboot), else those lines are left out.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use pdesk_core::backup::{open_for_start, StartCheck, Startup};
use pdesk_core::filter::ListQuery;
use pdesk_core::keychain::NoKeychain;
use pdesk_core::{Error, Result};

use crate::figures::{median, raw_offset_page, Figure};
use crate::run::ChildReport;

/// Runs of each kind of start (each a fresh process).
const RUNS: usize = 5;
/// Runs after the OS file cache was dropped (each reads the file from disk again).
const COLD_RUNS: usize = 3;
/// The target: the first rows within a second of launch.
const TARGET_MS: f64 = 1_000.0;

/// The start-up figures on the store `db` of the work dir `dir`.
pub fn figures(dir: &Path, db: &Path, profiles: u64) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    let mut series = vec![(false, RUNS)];
    if can_drop_cache() {
        series.push((true, COLD_RUNS));
    } else {
        eprintln!("Start-up: the OS file cache cannot be dropped here (not root on Linux); the cold starts are left out");
    }
    for (cold, runs) in series {
        let (floor, _) = timed_starts("startup-floor", dir, db, runs, cold)?;
        let when = if cold {
            ", OS file cache dropped (first start after a reboot)"
        } else {
            ""
        };
        for (what, name, target) in [
            (
                "startup-clean",
                "after a clean exit (check after the list)",
                Some(TARGET_MS),
            ),
            ("startup-unclean", "after a crash (quick_check first)", None),
        ] {
            let (ms, report) = timed_starts(what, dir, db, runs, cold)?;
            figures.push(Figure {
                name: format!(
                    "Start-up {name}: process start → first page of 100 rows, {profiles} profiles{when}"
                ),
                peer_name: Some("bare SQLite open + LIMIT 100, in a process".into()),
                peer_median_ms: Some(floor),
                peak_mb: report.peak_mb,
                ..Figure::new(
                    ms,
                    target,
                    format!("{}; {:.1} ms of it inside the process", report.result, report.ms),
                )
            });
        }
    }
    Ok(figures)
}

/// `runs` children doing `what`, each timed from its spawn to its first line; the median and
/// the last child's report.
fn timed_starts(
    what: &str,
    dir: &Path,
    db: &Path,
    runs: usize,
    cold: bool,
) -> Result<(f64, ChildReport)> {
    let name = db
        .file_name()
        .ok_or_else(|| Error::Internal(format!("{} names no file", db.display())))?;
    let mut times = Vec::with_capacity(runs);
    let mut report = None;
    for _ in 0..runs {
        if cold {
            drop_file_cache()?;
        }
        let started = Instant::now();
        let mut child = Command::new(std::env::current_exe()?)
            .arg("child")
            .arg(what)
            .arg("--work-dir")
            .arg(dir)
            .arg("--store")
            .arg(name)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let mut line = String::new();
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| Error::Internal("no stdout".into()))?;
        BufReader::new(stdout).read_line(&mut line)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        let status = child.wait()?;
        if !status.success() || line.trim().is_empty() {
            return Err(Error::Internal(format!("child {what} failed ({status})")));
        }
        report = Some(
            serde_json::from_str(line.trim())
                .map_err(|e| Error::Internal(format!("child {what}: {e}: {line}")))?,
        );
    }
    let report = report.ok_or_else(|| Error::Internal(format!("no run of {what}")))?;
    Ok((median(&mut times), report))
}

/// The child side of one start: opens `db` as `what` says and reads the first page; what it
/// returned, and its own time from this call (the process's start is the parent's to time).
pub fn start_once(what: &str, db: &Path) -> Result<(f64, String)> {
    let t = Instant::now();
    let rows = match what {
        "startup-floor" => {
            let raw = rusqlite::Connection::open_with_flags(
                db,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            raw_offset_page(&raw, 0)?
        }
        _ => {
            let check = match what {
                "startup-clean" => StartCheck::AfterFirstPage,
                _ => StartCheck::Now,
            };
            // The benchmark's stores are plain: no keychain, as on a computer without one.
            let store = match open_for_start(db, &NoKeychain::default(), check)? {
                Startup::Ready { store, .. } => store,
                Startup::Damaged(report) => {
                    return Err(Error::Internal(format!("damaged: {}", report.problem)))
                }
            };
            let actor = store.actor(None)?;
            let columns = store.list_columns(&actor)?;
            store
                .list_page(&actor, &ListQuery::default(), 0, 100, &columns)?
                .rows
                .len()
        }
    };
    Ok((t.elapsed().as_secs_f64() * 1000.0, format!("{rows} rows")))
}

const DROP_CACHES: &str = "/proc/sys/vm/drop_caches";

fn can_drop_cache() -> bool {
    std::fs::OpenOptions::new()
        .write(true)
        .open(DROP_CACHES)
        .is_ok()
}

/// Writes dirty pages out and drops the OS file cache, as a reboot would.
fn drop_file_cache() -> Result<()> {
    let _ = Command::new("sync").status();
    std::fs::write(DROP_CACHES, "3")?;
    Ok(())
}
