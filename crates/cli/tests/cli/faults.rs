//! Faults (issue 15): a full disk, and a write failing at a given byte, under real `pdesk`
//! processes on real files. The child runs with every file it writes capped at N bytes
//! (`RLIMIT_FSIZE` through `prlimit`, no privileges needed) and `SIGXFSZ` ignored, so the write
//! that crosses N fails with `EFBIG` exactly as a full disk fails with `ENOSPC` (SQLite reports
//! both as an I/O error of that write). After each fault: a clear error, no half-written file
//! under a final name, no job left running, and the store opens and passes `integrity_check`;
//! an import (or a delete) stopped by the fault goes on, once the disk has room, from its last
//! commit — every row applied exactly once.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::import::{job_state, let_the_lease_pass};
use crate::{pdesk, text};

/// `pdesk --db DB ARGS` on a disk where no file may grow past `cap` bytes.
fn pdesk_with_cap(db: &Path, args: &[&str], cap: u64) -> Output {
    Command::new("sh")
        .arg("-c")
        // `trap ''` ignores SIGXFSZ, and an ignored signal stays ignored across `exec`.
        .arg(r#"trap '' XFSZ; exec prlimit --fsize="$0" -- "$@""#)
        .arg(cap.to_string())
        .arg(env!("CARGO_BIN_EXE_pdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run pdesk under prlimit")
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// The store opens (through `pdesk check`, which also runs the integrity check) and SQLite's
/// `integrity_check` finds nothing.
fn store_is_sound(db: &Path) {
    let out = pdesk(db, &["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "pdesk check: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let conn = rusqlite::Connection::open(db).expect("open");
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(ok, "ok");
}

fn count(db: &Path, sql: &str) -> u64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row(sql, [], |r| r.get::<_, i64>(0)).expect(sql) as u64
}

/// Moves the write-ahead log into the database file, so what follows starts from an empty log.
fn checkpoint(db: &Path) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
}

/// Names in `folder` (none of ours may be a temporary file or a half-written final one).
fn names(folder: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(folder)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    n.sort();
    n
}

fn no_temp_files(folder: &Path) {
    let left: Vec<String> = names(folder)
        .into_iter()
        .filter(|n| n.ends_with(".part") || n.ends_with(".partial"))
        .collect();
    assert!(
        left.is_empty(),
        "temporary files left in {}: {left:?}",
        folder.display()
    );
}

#[test]
fn an_import_stopped_by_a_full_disk_says_so_and_resumes_from_its_last_commit() {
    let (dir, db) = pdesk_testkit::temp_db();
    let file = dir.path().join("customers.xlsx");
    pdesk_testkit::files::write_import_workbook(&file, 12_000).expect("workbook");
    let file = file.to_str().unwrap();
    assert_eq!(
        pdesk(&db, &["list"]).status.code(),
        Some(0),
        "the store exists"
    );
    // Room for the first transactions of the import (5,000 rows each) but not all of them.
    let cap = size(&db) + 6_000_000;
    let out = pdesk_with_cap(&db, &["import", file], cap);
    let err = text(&out.stderr);
    assert_ne!(
        out.status.code(),
        Some(0),
        "the import did not finish: {err}"
    );
    assert!(
        err.contains("disk is full or failing"),
        "a clear error: {err}"
    );
    let (status, done, profiles, recorded) = job_state(&db).expect("a job record");
    assert!(
        done > 0 && done < 12_000,
        "stopped mid-way, after {done} rows: {err}"
    );
    assert!(
        err.contains(&format!("after row {done}")),
        "it says where: {err}"
    );
    assert_eq!((profiles, recorded), (done, done), "data and record agree");
    if status == "running" {
        // The disk took no write at all any more: as after a crash, the lease passes.
        let_the_lease_pass(&db);
    } else {
        assert_eq!(status, "queued", "waiting to resume, not running");
    }
    store_is_sound(&db);
    let out = pdesk(&db, &["--json", "jobs", "--run"]);
    assert_eq!(out.status.code(), Some(0), "resumed: {}", text(&out.stderr));
    let (status, done, profiles, recorded) = job_state(&db).expect("a job record");
    assert_eq!(status, "done");
    assert_eq!(
        (done, profiles, recorded),
        (12_000, 12_000, 12_000),
        "each row once"
    );
}

#[test]
fn a_write_failing_in_a_delete_leaves_every_profile_and_the_audit_chain_as_they_were() {
    let (_dir, db) = pdesk_testkit::temp_db();
    let seeded = pdesk(&db, &["seed-demo", "--profiles", "300"]);
    assert_eq!(seeded.status.code(), Some(0), "{}", text(&seeded.stderr));
    // Start from a checkpointed file: the delete's pages go to a fresh write-ahead log.
    checkpoint(&db);
    let before = count(&db, "SELECT count(*) FROM profiles");
    let audit = count(&db, "SELECT count(*) FROM audit_log");
    let ids: Vec<String> = (1..=100).map(|i| i.to_string()).collect();
    let mut args = vec!["delete", "--reason", "cleanup"];
    args.extend(ids.iter().map(String::as_str));
    // The log may take 40 kB: the delete's transaction (100 profiles, their history, search
    // index and audit entries) needs more.
    let out = pdesk_with_cap(&db, &args, 40_000);
    assert_ne!(out.status.code(), Some(0), "refused: {}", text(&out.stdout));
    assert!(!text(&out.stderr).is_empty(), "with a message");
    store_is_sound(&db);
    assert_eq!(
        count(&db, "SELECT count(*) FROM profiles"),
        before,
        "nothing deleted"
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM audit_log"),
        audit,
        "nothing audited"
    );
    let verify = pdesk(&db, &["audit", "verify"]);
    assert_eq!(
        verify.status.code(),
        Some(0),
        "the chain holds: {}",
        text(&verify.stderr)
    );
    // With room again, the same delete goes through.
    let out = pdesk(&db, &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(count(&db, "SELECT count(*) FROM profiles"), before - 100);
}

#[test]
fn backup_restore_and_export_on_a_full_disk_leave_no_file_and_nothing_running() {
    let (dir, db) = pdesk_testkit::temp_db();
    let seeded = pdesk(&db, &["seed-demo", "--profiles", "2000"]);
    assert_eq!(seeded.status.code(), Some(0), "{}", text(&seeded.stderr));
    checkpoint(&db);
    let half = size(&db) / 2;

    // Backup: the copy cannot be written whole.
    let folder = dir.path().join("backups");
    let out = pdesk_with_cap(&db, &["backup", folder.to_str().unwrap()], half);
    let err = text(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("No backup was written"),
        "a clear error: {err}"
    );
    assert!(
        names(&folder).is_empty(),
        "no file at all: {:?}",
        names(&folder)
    );
    store_is_sound(&db);

    // Restore: a good backup, but its copy next to the database cannot be written.
    let out = pdesk(&db, &["--json", "backup", folder.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let backup: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let backup = backup["entry"]["path"]
        .as_str()
        .expect("the backup's path")
        .to_string();
    let profiles = count(&db, "SELECT count(*) FROM profiles");
    let out = pdesk_with_cap(&db, &["restore", &backup], half);
    let err = text(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("Nothing was changed"), "a clear error: {err}");
    no_temp_files(dir.path());
    no_temp_files(&folder);
    assert_eq!(
        names(&folder).iter().filter(|n| n.ends_with(".db")).count(),
        1,
        "only the good backup (and its audit manifest): {:?}",
        names(&folder)
    );
    store_is_sound(&db);
    assert_eq!(count(&db, "SELECT count(*) FROM profiles"), profiles);

    // Export: the workbook cannot be written whole.
    let out_file = dir.path().join("customers.xlsx");
    let out = pdesk_with_cap(
        &db,
        &[
            "export",
            "--out",
            out_file.to_str().unwrap(),
            "--fields",
            "all",
        ],
        40_000,
    );
    let err = text(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(
        !out_file.exists(),
        "no half-written workbook under its name"
    );
    no_temp_files(dir.path());
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM export_jobs WHERE status IN ('running', 'queued')"
        ),
        0,
        "no export left running"
    );
    store_is_sound(&db);
}

#[test]
fn a_migration_on_a_full_disk_fails_clearly_and_the_store_opens_afterwards() {
    let (_dir, db) = pdesk_testkit::temp_db();
    {
        // A store of schema 1 (the first release), as its own migration wrote it.
        let conn = rusqlite::Connection::open(&db).expect("create");
        conn.execute_batch(include_str!("../../../core/migrations/0001_schema.sql"))
            .expect("schema 1");
        conn.execute_batch("PRAGMA user_version = 1")
            .expect("version");
    }
    let out = pdesk_with_cap(&db, &["list"], size(&db) + 40_000);
    let err = text(&out.stderr);
    assert_ne!(
        out.status.code(),
        Some(0),
        "the migration could not be written: {err}"
    );
    assert!(!err.is_empty(), "a message");
    let stopped_at = count(&db, "PRAGMA user_version");
    assert!(
        err.contains("disk is full or failing"),
        "a clear error: {err}"
    );
    // With room, the same file migrates (each step is its own transaction: it goes on from
    // the last one that committed) and opens.
    let out = pdesk(&db, &["list"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    store_is_sound(&db);
    assert!(
        count(&db, "PRAGMA user_version") > stopped_at,
        "stopped before the end"
    );
}
