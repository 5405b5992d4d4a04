//! Data at rest through the real `pdesk` (issue 15, item 9): owner-only files whatever the
//! umask, and a store that cannot be encrypted (no keychain) said so on every run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::text;

/// `pdesk --db DB ARGS...` started by a shell under `umask 022` (a usual desktop umask, which
/// leaves new files readable by everyone).
#[cfg(unix)]
fn pdesk_under_umask_022(db: &Path, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg("umask 022; exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_pdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("PROFILE_DESK_KEYCHAIN", "off")
        .output()
        .expect("run pdesk")
}

#[cfg(unix)]
#[test]
fn pdesk_writes_owner_only_files_under_umask_022_and_says_the_store_is_not_encrypted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = data.join("profiles.db");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;

    let seeded = pdesk_under_umask_022(&db, &["seed-demo", "--profiles", "30"]);
    assert_eq!(seeded.status.code(), Some(0), "{}", text(&seeded.stderr));
    assert!(
        text(&seeded.stderr).contains("The database is NOT encrypted"),
        "never silently plain: {}",
        text(&seeded.stderr)
    );
    let backup = pdesk_under_umask_022(&db, &["backup"]);
    assert_eq!(backup.status.code(), Some(0), "{}", text(&backup.stderr));
    let out = data.join("exports").join("all.xlsx");
    let export = pdesk_under_umask_022(
        &db,
        &["export", "--out", out.to_str().unwrap(), "--fields", "all"],
    );
    assert_eq!(export.status.code(), Some(0), "{}", text(&export.stderr));
    let check = pdesk_under_umask_022(&db, &["check"]);
    assert!(
        text(&check.stdout).contains("NOT encrypted"),
        "pdesk check says it too: {}",
        text(&check.stdout)
    );

    assert_eq!(mode(&data), 0o700, "the data folder pdesk created");
    assert_eq!(mode(&data.join("backups")), 0o700, "the backup folder");
    let backups: Vec<_> = std::fs::read_dir(data.join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "db"))
        .collect();
    assert_eq!(backups.len(), 1);
    for file in [
        db.clone(),
        data.join("profiles.db-wal"),
        data.join("profiles.db-shm"),
        backups[0].clone(),
        PathBuf::from(format!("{}.manifest.json", backups[0].display())),
        out,
    ] {
        if file.exists() {
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
    }
    assert_eq!(mode(&db), 0o600);
}
