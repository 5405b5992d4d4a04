//! The sync server's figures (issue 12), on SQLite and — when `cargo xtask bench` started a
//! throwaway cluster and passed its URL in `PDESK_BENCH_POSTGRES` — on PostgreSQL:
//! push into an empty server and into one holding `--profiles` profiles (`push`), the
//! snapshot and the pull of that server (`read`), each next to its floor measured in the same
//! run on the same backend; then the server as a process over HTTP (`load`): the snapshot as a
//! first sync reads it, 200 long-polling devices with 50 pushes/s, and its peak memory; last,
//! how soon a change made on one laptop shows on another (`visibility`).

mod client;
pub(crate) mod conflicts;
pub(crate) mod first_sync;
mod load;
pub(crate) mod offline;
mod push;
mod read;
mod seed;
mod visibility;
mod workload;

use std::path::Path;

use pdesk_core::Error;
use pdesk_server::admin;
use pdesk_server::db::Database;

use crate::figures::Figure;
use push::{OPS, TARGET_OPS_PER_SEC};
use workload::internal;

/// The snapshot target: profiles served per second.
const SNAPSHOT_TARGET_PER_SEC: f64 = 20_000.0;

/// Every sync figure, or with `load_only` the server process's alone (`--only sync-load`).
pub fn figures(dir: &Path, profiles: u64, load_only: bool) -> Result<Vec<Figure>, Error> {
    let mut figures = Vec::new();
    if load_only {
        let seeded = seed::filled_sqlite(dir, profiles)?;
        load_figures(&mut figures, dir, &seeded, profiles, None)?;
        eprintln!("sync: a change on one laptop seen on another, both running the app's worker");
        figures.push(visibility::figure(dir)?);
        return Ok(figures);
    }
    let bodies = push::bodies();

    eprintln!("sync: push into an empty SQLite server");
    let empty = seed::empty_sqlite(&dir.join("bench-server-empty.db"))?;
    let floor_db = seed::empty_sqlite(&dir.join("bench-server-floor.db"))?;
    figures.push(push_figure(
        "empty SQLite server",
        &empty,
        &bodies,
        push::sqlite_floor(&floor_db, &bodies, 0)?,
        "multi-row INSERT",
    )?);
    drop(empty);

    let seeded = seed::filled_sqlite(dir, profiles)?;
    eprintln!("sync: push into a SQLite server holding {profiles} profiles");
    let run = seed::copy_sqlite(&seeded, &dir.join("bench-server-run.db"))?;
    let floor_db = seed::empty_sqlite(&dir.join("bench-server-floor.db"))?;
    figures.push(push_figure(
        &format!("SQLite server holding {profiles}"),
        &run,
        &bodies,
        push::sqlite_floor(&floor_db, &bodies, profiles)?,
        "multi-row INSERT",
    )?);
    drop((run, floor_db));

    eprintln!("sync: snapshot and pull of the SQLite server");
    let db = Database::open(
        seeded
            .to_str()
            .ok_or_else(|| internal("the work dir is not UTF-8"))?,
    )
    .map_err(internal)?;
    let in_process_snapshot = read_figures(&mut figures, "SQLite", &db, profiles)?;
    drop(db);

    if let Ok(admin_url) = std::env::var("PDESK_BENCH_POSTGRES") {
        eprintln!("sync: push into an empty PostgreSQL server");
        let (empty, url) = seed::empty_postgres(&admin_url, "bench_empty")?;
        let floor = push::postgres_floor(&url, &bodies, 0)?;
        figures.push(push_figure(
            "empty PostgreSQL server",
            &empty,
            &bodies,
            floor,
            "COPY",
        )?);
        drop(empty);
        eprintln!("sync: push into a PostgreSQL server holding {profiles} profiles");
        let (db, url) = seed::copied_postgres(&admin_url, "bench_filled", &seeded)?;
        let floor = push::postgres_floor(&url, &bodies, profiles)?;
        figures.push(push_figure(
            &format!("PostgreSQL server holding {profiles}"),
            &db,
            &bodies,
            floor,
            "COPY",
        )?);
        eprintln!("sync: snapshot and pull of the PostgreSQL server");
        read_figures(&mut figures, "PostgreSQL", &db, profiles + OPS)?;
        drop(db);
        // The same load as on SQLite below, on this PostgreSQL database (issue 14: p95 ≤ 250 ms
        // on 2 cores), the server a process of its own.
        eprintln!("sync: the PostgreSQL server as a process under load");
        let served = load::start_on(url.as_ref(), &dir.join("bench-server-pg.log"))?;
        let mut conn = client::Conn::new(&served.addr);
        let token = load::sign_in(&mut conn, "pg-first-sync")?;
        let snapshot = load::snapshot(&served.addr, &token)?;
        let report = load::long_poll_and_push(&served.addr, &snapshot.watermark)?;
        let (peak, _) = served.memory_mb();
        figures.push(load_figure("PostgreSQL", &report, peak));
        drop(served);
    } else {
        eprintln!("sync: PDESK_BENCH_POSTGRES is not set: no PostgreSQL figures (cargo xtask bench starts a cluster when PostgreSQL is installed)");
    }

    load_figures(
        &mut figures,
        dir,
        &seeded,
        profiles,
        Some(in_process_snapshot),
    )?;
    eprintln!("sync: a change on one laptop seen on another, both running the app's worker");
    figures.push(visibility::figure(dir)?);
    Ok(figures)
}

/// The server as a process over HTTP: the snapshot a first sync reads, then the long-poll and
/// push load, with the server's peak memory.
fn load_figures(
    figures: &mut Vec<Figure>,
    dir: &Path,
    seeded: &Path,
    profiles: u64,
    in_process_snapshot: Option<f64>,
) -> Result<(), Error> {
    eprintln!("sync: the server as a process, over HTTP");
    let load_db = dir.join("bench-server-load.db");
    drop(seed::copy_sqlite(seeded, &load_db)?);
    let served = load::start(&load_db)?;
    let mut conn = client::Conn::new(&served.addr);
    let token = load::sign_in(&mut conn, "first-sync")?;
    let snapshot = load::snapshot(&served.addr, &token)?;
    let (peak_after_snapshot, _) = served.memory_mb();
    figures.push(Figure {
        name: format!("Sync snapshot over HTTP: {profiles} profiles, SQLite server process"),
        median_ms: snapshot.ms,
        target_ms: Some(profiles as f64 / SNAPSHOT_TARGET_PER_SEC * 1000.0),
        peak_mb: peak_after_snapshot,
        memory_target_mb: Some(load::RSS_TARGET_MB),
        peer_name: in_process_snapshot.map(|_| "the same pages built in-process".into()),
        peer_median_ms: in_process_snapshot,
        result: format!(
            "{:.0} profiles/s ({} profiles, {:.0} MB of NDJSON); server peak RSS",
            snapshot.profiles as f64 / (snapshot.ms / 1000.0),
            snapshot.profiles,
            snapshot.bytes as f64 / 1e6
        ),
    });
    eprintln!("sync: a first sync of the app's engine from the server process");
    figures.push(first_sync::figure(
        dir,
        &format!("http://{}", served.addr),
        profiles,
        snapshot.ms,
    )?);
    let report = load::long_poll_and_push(&served.addr, &snapshot.watermark)?;
    let (peak, _) = served.memory_mb();
    figures.push(load_figure("SQLite", &report, peak));
    // After the load, which its 50,000 new profiles would otherwise feed to every long-poll.
    eprintln!("sync: 50,000 changes made offline, pushed by the app's engine");
    let workbook = dir.join("import-50000.xlsx");
    if !workbook.exists() {
        pdesk_testkit::files::write_import_workbook(&workbook, 50_000)?;
    }
    let pushed = first_sync::push_figure(dir, &workbook);
    // Then the same laptop back after a month offline, while a colleague added 100,000.
    let month = pushed.is_ok().then(|| {
        eprintln!("sync: a laptop back after a month offline");
        offline::figure(dir, &served.addr)
    });
    first_sync::remove_store(dir);
    figures.push(pushed?);
    if let Some(month) = month {
        figures.push(month?);
    }
    drop(served);
    Ok(())
}

/// The load figure of the server on `backend`: its push latency and peak memory.
fn load_figure(backend: &str, report: &load::LoadReport, peak: Option<f64>) -> Figure {
    Figure {
        name: format!(
            "Sync load on {backend}: {} long-polling devices, {} pushes/s of {} creates, {} s; push p95",
            load::DEVICES,
            load::PUSHERS,
            load::OPS_PER_PUSH,
            load::SECONDS
        ),
        median_ms: report.p95_ms,
        target_ms: Some(load::P95_TARGET_MS),
        peak_mb: peak,
        memory_target_mb: Some(load::RSS_TARGET_MB),
        peer_name: None,
        peer_median_ms: None,
        result: format!(
            "p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; {} pushes ok, {} failed; {} pulls answered with {} changes; {} answered 429; 200 sign-ins {:.1} s",
            report.p50_ms,
            report.p99_ms,
            report.max_ms,
            report.pushes,
            report.push_failures,
            report.pulls,
            report.pulled_changes,
            report.rate_limited,
            report.sign_in_ms / 1000.0
        ),
    }
}

fn push_figure(
    server: &str,
    db: &Database,
    bodies: &[Vec<u8>],
    floor_ms: f64,
    floor: &str,
) -> Result<Figure, Error> {
    let (ms, statuses) = push::push_all(db, bodies, "bench")?;
    let report = admin::check(db).map_err(internal)?;
    if !report.ok {
        return Err(internal(report.problems.join("; ")));
    }
    let outcome: Vec<String> = statuses.iter().map(|(s, n)| format!("{n} {s}")).collect();
    Ok(Figure {
        name: format!(
            "Sync push: {OPS} creates, {} per push, {server}",
            push::BATCH
        ),
        median_ms: ms,
        target_ms: Some(OPS as f64 / TARGET_OPS_PER_SEC * 1000.0),
        peer_name: Some(format!("floor: {floor} of the same rows")),
        peer_median_ms: Some(floor_ms),
        result: format!(
            "{:.0} ops/s ({}; {} profiles after); floor {:.0} rows/s",
            OPS as f64 / (ms / 1000.0),
            outcome.join(", "),
            report.profiles,
            OPS as f64 / (floor_ms / 1000.0)
        ),
        ..Figure::default()
    })
}

/// The snapshot and pull figures of `db`; answers the snapshot's milliseconds.
fn read_figures(
    figures: &mut Vec<Figure>,
    backend: &str,
    db: &Database,
    profiles: u64,
) -> Result<f64, Error> {
    let (floor_ms, floor_rows) = read::bare_read(db)?;
    let (ms, read_profiles, bytes) = read::snapshot_all(db)?;
    figures.push(Figure {
        name: format!("Sync snapshot: {profiles} profiles, {backend} server"),
        median_ms: ms,
        target_ms: Some(profiles as f64 / SNAPSHOT_TARGET_PER_SEC * 1000.0),
        peer_name: Some("floor: the same rows by bare SELECT pages".into()),
        peer_median_ms: Some(floor_ms),
        result: format!(
            "{:.0} profiles/s ({read_profiles} profiles, {:.0} MB); floor {floor_rows} rows",
            read_profiles as f64 / (ms / 1000.0),
            bytes as f64 / 1e6
        ),
        ..Figure::default()
    });
    let (pull_ms, changes) = read::pull_all(db)?;
    figures.push(Figure {
        name: format!("Sync pull from the start: {profiles} profiles, {backend} server"),
        median_ms: pull_ms,
        target_ms: Some(profiles as f64 / SNAPSHOT_TARGET_PER_SEC * 1000.0),
        peer_name: Some("floor: the same rows by bare SELECT pages".into()),
        peer_median_ms: Some(floor_ms),
        result: format!(
            "{:.0} changes/s ({changes} changes)",
            changes as f64 / (pull_ms / 1000.0)
        ),
        ..Figure::default()
    });
    Ok(ms)
}
