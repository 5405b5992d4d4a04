//! `pdesk backup DIR | restore FILE | check` (SPEC 10) as scripts use them: output, exit codes,
//! JSON, and the same verification as the app.

use std::path::{Path, PathBuf};

use pdesk_core::model::{ConsentInput, ProfileInput};
use pdesk_core::Store;

use crate::{pdesk, text};

fn store_with(db: &Path, names: &[&str]) {
    let mut store = Store::open(db).expect("store");
    let admin = store.actor(None).expect("admin");
    for name in names {
        let input = ProfileInput::default().with("full_name", name);
        store
            .create_profile(&admin, &input, &ConsentInput::default())
            .expect("create");
    }
}

fn total(db: &Path) -> u32 {
    pdesk_testkit::profile_count(db)
}

/// `pdesk restore FILE` succeeds and says `says`.
fn restore_ok(db: &Path, file: &Path, says: &str) {
    let out = pdesk(db, &["restore", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "restore succeeds: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains(says),
        "the output says “{says}”: {}",
        text(&out.stdout)
    );
}

#[test]
fn backup_check_and_restore_from_the_command_line() {
    let (dir, db) = pdesk_testkit::temp_db();
    store_with(&db, &["Ngô Bảo Châu", "Lý Thị Mai"]);
    let folder = dir.path().join("usb stick");

    let out = pdesk(&db, &["--json", "backup", folder.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "backup succeeds: {}",
        text(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(
        report["profiles"], 2,
        "the backup counts the profiles: {report}"
    );
    let file = PathBuf::from(report["entry"]["path"].as_str().unwrap());
    assert!(
        file.starts_with(&folder),
        "written into DIR: {}",
        file.display()
    );

    let out = pdesk(&db, &["check"]);
    assert!(
        out.status.success(),
        "a sound store checks fine: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("The database is sound"),
        "says so: {}",
        text(&out.stdout)
    );

    store_with(&db, &["Mai Văn Tuấn"]);
    assert_eq!(total(&db), 3);
    restore_ok(&db, &file, "Restored 2 profiles");
    assert_eq!(total(&db), 2, "the backed-up data is back");

    // A file that is not a backup: refused by a rule (exit 1), nothing changes.
    let bogus = dir.path().join("bogus.db");
    std::fs::write(&bogus, "not a database").unwrap();
    let out = pdesk(&db, &["restore", bogus.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a bad backup is refused with exit code 1"
    );
    assert!(
        text(&out.stderr).contains("not a usable Profile Desk backup"),
        "the message names the rule: {}",
        text(&out.stderr)
    );
    assert_eq!(total(&db), 2, "nothing changed");

    // A damaged store: check says so (exit 1) and restore puts the backup back.
    let mut bytes = std::fs::read(&db).unwrap();
    for b in &mut bytes[4096..4096 * 3] {
        *b ^= 0x5A;
    }
    std::fs::write(&db, &bytes).unwrap();
    let out = pdesk(&db, &["--json", "check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a damaged store fails the check"
    );
    let check: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(check["ok"], false, "the report says damaged: {check}");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "check writes nothing");
    restore_ok(&db, &file, "The damaged database is kept as");
    assert_eq!(total(&db), 2, "the backup is in place");
}

/// The result address of the store's administrator, read straight from the file.
fn address(db: &Path) -> Option<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT value FROM user_prefs WHERE key = 'mail.address'",
        [],
        |r| r.get(0),
    )
    .ok()
}

#[test]
fn restore_keeps_the_current_mail_settings_unless_told_and_refuses_foreign_schemas() {
    let (dir, db) = pdesk_testkit::temp_db();
    store_with(&db, &["Ngô Bảo Châu"]);
    {
        let mut store = Store::open(&db).unwrap();
        let admin = store.actor(None).unwrap();
        store
            .set_my_mail_address(&admin, "chau@ours.example")
            .unwrap();
    }
    let folder = dir.path().join("backups-here");
    let out = pdesk(&db, &["--json", "backup", folder.to_str().unwrap()]);
    assert!(out.status.success(), "backup: {}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let good = PathBuf::from(report["entry"]["path"].as_str().unwrap());
    let evil = dir.path().join("evil.db");
    std::fs::copy(&good, &evil).unwrap();
    rusqlite::Connection::open(&evil)
        .unwrap()
        .execute_batch(
            "UPDATE user_prefs SET value = 'thief@evil.example' WHERE key = 'mail.address'",
        )
        .unwrap();

    restore_ok(&db, &evil, "e-mail settings were not taken");
    assert_eq!(address(&db).as_deref(), Some("chau@ours.example"), "kept");
    let out = pdesk(
        &db,
        &["restore", "--keep-mail-settings", evil.to_str().unwrap()],
    );
    assert!(out.status.success(), "restore: {}", text(&out.stderr));
    assert_eq!(
        address(&db).as_deref(),
        Some("thief@evil.example"),
        "--keep-mail-settings takes the backup's"
    );

    let trap = dir.path().join("trap.db");
    std::fs::copy(&good, &trap).unwrap();
    rusqlite::Connection::open(&trap)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER wipe AFTER INSERT ON profiles BEGIN DELETE FROM profiles; END;",
        )
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    let out = pdesk(&db, &["restore", trap.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "refused: {}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("an extra trigger “wipe” on profiles"),
        "names the trigger: {}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the store is untouched"
    );
}

/// `pdesk` sweeps at start what a crashed run left: a backup's and a restore's temporary
/// files (`.*.partial`, held by no live writer) go; other files stay.
#[test]
fn pdesk_sweeps_the_temporary_files_a_crash_left_at_start() {
    let (dir, db) = pdesk_testkit::temp_db();
    assert_eq!(pdesk(&db, &["list"]).status.code(), Some(0));
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let dead_backup = backups.join(".profile-desk-20260105T090000Z-manual.db.partial");
    let dead_restore = dir.path().join(".profiles.db.restore.partial");
    let kept = backups.join("profile-desk-20260105T080000Z-manual.db");
    for f in [&dead_backup, &dead_restore, &kept] {
        std::fs::write(f, b"x").unwrap();
    }
    let out = pdesk(&db, &["list"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!dead_backup.exists() && !dead_restore.exists(), "swept");
    assert!(kept.exists(), "a finished backup is not a leftover");
}
