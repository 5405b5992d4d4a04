//! Backup, restore and the start-up health check (SPEC 10 `pdesk backup | restore | check`):
//! consistent copies while another connection writes, verification, generations, the daily
//! backup, restore round-trip, refusal of bad files, and a damaged database never written.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use pdesk_core::backup::{
    self, daily_backup_plan, install_backup, list_backups, open_checked, open_for_start,
    quick_problem, verify_backup_file, BackupKind, BackupSettings, RestoreOptions, RestoreReport,
    StartCheck, Startup,
};
use pdesk_core::filter::ListQuery;
use pdesk_core::keychain::NoKeychain;
use pdesk_core::mail::{MailSettingsInput, MemorySecrets, SmtpSecurity};
use pdesk_core::model::{ConsentInput, ProfileInput};
use pdesk_core::store::Protection;
use pdesk_core::{Error, Store};
use pdesk_testkit::damage::damage_index;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// The protection of a store on a computer without a keychain (these tests' stores are plain;
/// `at_rest.rs` tests the encrypted ones).
fn plain() -> Protection {
    Protection::Plain("no keychain in this test".into())
}

use crate::{create, created_id, test_store, TestStore};

fn sha(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).expect("read file")))
}

fn count(path: &Path, sql: &str) -> i64 {
    let conn = Connection::open(path).expect("open file directly");
    conn.query_row(sql, [], |r| r.get(0)).expect("count")
}

fn names(store: &Store) -> Vec<String> {
    let admin = store.actor(None).expect("admin");
    let page = store
        .list_page(
            &admin,
            &ListQuery::default(),
            0,
            100,
            &["full_name".to_string()],
        )
        .expect("list");
    let mut names: Vec<String> = page
        .rows
        .into_iter()
        .map(|r| r.cells.get("full_name").cloned().unwrap_or_default())
        .collect();
    names.sort();
    names
}

/// Opens a copy of a backup file as a store (never the backup itself, which stays as taken).
fn open_copy(backup: &Path, dir: &Path) -> Store {
    let copy = dir.join(format!(
        "copy-{}.db",
        backup.file_name().unwrap().to_string_lossy()
    ));
    std::fs::copy(backup, &copy).expect("copy the backup");
    Store::open(&copy).expect("a backup opens as a store")
}

/// Flips the bytes of the b-tree page headers of pages 2..=n/2 (the kind of damage a failing
/// disk or a bad copy leaves): SQLite must notice.
fn damage(path: &Path) {
    let mut bytes = std::fs::read(path).expect("read");
    let page = 4096;
    let pages = bytes.len() / page;
    assert!(pages >= 4, "the database has pages to damage");
    for p in 1..pages.div_ceil(2) {
        for b in &mut bytes[p * page..p * page + 16] {
            *b ^= 0xA5;
        }
    }
    std::fs::write(path, bytes).expect("write the damaged copy");
}

/// "Back up now" as the administrator; the new backup's path.
fn back_up(t: &TestStore) -> PathBuf {
    let report = t.store.backup_plan(&t.admin).unwrap().run().unwrap();
    PathBuf::from(report.entry.path)
}

fn backups_dir(t: &TestStore) -> PathBuf {
    t.dir.path().join("backups")
}

#[test]
fn backup_while_another_connection_writes_is_one_consistent_snapshot() {
    let mut t = test_store();
    let admin = t.admin.clone();
    t.store
        .seed_demo(&admin, 20_000, 7)
        .expect("seed 20,000 profiles");
    let path = t.store.path().to_path_buf();
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU64::new(0));
    // The writer reports each commit, so the test waits for commits, not for time.
    let (committed, commits) = std::sync::mpsc::channel::<u64>();
    let writer = {
        let (stop, written, path) = (Arc::clone(&stop), Arc::clone(&written), path.clone());
        std::thread::spawn(move || {
            let mut store = Store::open(&path).expect("writer's own connection");
            let actor = store.actor(None).expect("writer acts as the admin");
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let input = ProfileInput::default()
                    .with("full_name", &format!("Writer {i}"))
                    .with_list("phones", &[&format!("09{:08}", 10_000_000 + i)])
                    .with_list("emails", &[&format!("writer{i}@example.com")]);
                store
                    .create_profile(&actor, &input, &ConsentInput::default())
                    .expect("the writer keeps writing during the backup");
                i += 1;
                written.store(i, Ordering::Relaxed);
                let _ = committed.send(i);
            }
            i
        })
    };
    // Returns as soon as the writer reported its `n`th commit; fails at once if the writer
    // died (the channel closes), and after a minute without any commit if it hangs.
    let wait_for = |n: u64| loop {
        let done = commits
            .recv_timeout(Duration::from_secs(60))
            .expect("the writer makes progress");
        if done >= n {
            break;
        }
    };
    wait_for(20);
    let before = written.load(Ordering::Relaxed);
    let report = t
        .store
        .backup_plan(&admin)
        .expect("plan")
        .run()
        .expect("a backup succeeds while another connection writes");
    let after = written.load(Ordering::Relaxed);
    wait_for(after + 20);
    stop.store(true, Ordering::Relaxed);
    let total_written = writer.join().expect("writer thread");

    assert!(
        after > before,
        "the writer committed profiles while the backup ran ({before} → {after}), so the test \
         really backs up under writes"
    );
    let backup = PathBuf::from(&report.entry.path);
    assert_eq!(report.entry.kind, BackupKind::Manual, "a manual backup");
    assert!(
        report.tables >= 20,
        "every table's rows were counted ({} tables)",
        report.tables
    );
    verify_backup_file(&backup, None).expect("the backup passes integrity_check");
    let in_backup = count(&backup, "SELECT count(*) FROM profiles") as u64;
    assert_eq!(in_backup, report.profiles, "the report counts the copy");
    let writer_rows = in_backup - 20_000;
    assert!(
        writer_rows >= before && writer_rows <= after,
        "the copy holds the writer's profiles committed up to one moment during the backup \
         ({before} ≤ {writer_rows} ≤ {after})"
    );
    assert!(
        total_written > writer_rows,
        "the writer went on after the snapshot"
    );
    // One committed state: the writer's profiles form a prefix, each one complete.
    assert_eq!(
        count(&backup, "SELECT max(id) FROM profiles") as u64,
        in_backup,
        "no gap: profile ids 1..n are all there"
    );
    for (what, sql) in [
        (
            "profiles without their phone",
            "SELECT count(*) FROM profiles p WHERE p.full_name LIKE 'Writer %' AND NOT EXISTS \
             (SELECT 1 FROM profile_phones x WHERE x.profile_id = p.id)",
        ),
        (
            "profiles without their e-mail",
            "SELECT count(*) FROM profiles p WHERE p.full_name LIKE 'Writer %' AND NOT EXISTS \
             (SELECT 1 FROM profile_emails x WHERE x.profile_id = p.id)",
        ),
        (
            "profiles without their history",
            "SELECT count(*) FROM profiles p WHERE p.full_name LIKE 'Writer %' AND NOT EXISTS \
             (SELECT 1 FROM profile_history x WHERE x.profile_id = p.id)",
        ),
        (
            "writer names out of sequence",
            "SELECT count(*) FROM profiles WHERE full_name LIKE 'Writer %' AND \
             CAST(substr(full_name, 8) AS INTEGER) >= (SELECT count(*) FROM profiles WHERE \
             full_name LIKE 'Writer %')",
        ),
    ] {
        assert_eq!(count(&backup, sql), 0, "no {what} in the copy");
    }
    // The copy is a working store: search (FTS kept by triggers) finds the last copied profile.
    let restored = open_copy(&backup, t.dir.path());
    let actor = restored.actor(None).expect("admin in the copy");
    let last = format!("Writer {}", writer_rows - 1);
    let found = restored
        .count_profiles(&actor, &ListQuery::search(&last))
        .expect("search the copy");
    assert!(found.filtered >= 1, "the copy's search finds “{last}”");
    assert_eq!(
        restored.verify_audit(&actor).unwrap().first_broken,
        None,
        "the copy's audit chain verifies"
    );
    let journal: String = Connection::open(&backup)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        journal, "delete",
        "a backup is one self-contained file (no WAL)"
    );
}

#[test]
fn restore_round_trip_brings_back_the_backed_up_data_and_keeps_the_current_one() {
    let mut t = test_store();
    let a = created_id(&create(&mut t, &[("full_name", "Trần Thị Ánh")]));
    let b = created_id(&create(&mut t, &[("full_name", "Lê Văn Bình")]));
    assert!(a < b);
    let report = t.store.backup_plan(&t.admin).unwrap().run().unwrap();
    assert_eq!(report.profiles, 2, "the backup holds both profiles");
    let admin = t.admin.clone();
    t.store
        .delete_profiles(&admin, &[b], "Duplicate of another profile")
        .expect("delete B");
    create(&mut t, &[("full_name", "Phạm Minh Châu")]);
    assert_eq!(
        names(&t.store),
        ["Phạm Minh Châu", "Trần Thị Ánh"],
        "before the restore: A and C"
    );
    // Another connection open on the same file (the app's import worker, a running CLI).
    let other = Store::open(t.store.path()).expect("second connection");

    let restored = t
        .store
        .restore_backup(
            &admin,
            Path::new(&report.entry.path),
            RestoreOptions::default(),
        )
        .expect("restore a good backup");

    assert_eq!(
        names(&t.store),
        ["Lê Văn Bình", "Trần Thị Ánh"],
        "after the restore: the backed-up A and B, not C"
    );
    assert_eq!(
        names(&other),
        ["Lê Văn Bình", "Trần Thị Ánh"],
        "other connections see the restored data too"
    );
    assert_eq!(restored.profiles, 2);
    let saved = PathBuf::from(restored.saved_current_as.expect("the current db was saved"));
    assert!(
        saved
            .file_name()
            .unwrap()
            .to_string_lossy()
            .contains("before-restore"),
        "the copy of the replaced data is named for it: {}",
        saved.display()
    );
    let before = open_copy(&saved, t.dir.path());
    assert_eq!(
        names(&before),
        ["Phạm Minh Châu", "Trần Thị Ánh"],
        "the data replaced by the restore is kept in the before-restore backup"
    );
    let actor = t.store.actor(None).unwrap();
    let audit = t.store.verify_audit(&actor).unwrap();
    assert_eq!(audit.first_broken, None, "the restored chain verifies");
    assert_eq!(
        count(
            t.store.path(),
            "SELECT count(*) FROM audit_log WHERE action = 'backup.restore'"
        ),
        1,
        "the restore is audited in the restored database"
    );
    let journal: String = Connection::open(t.store.path())
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal", "the live database stays in WAL mode");
    // The restored store works on: create, search.
    create(&mut t, &[("full_name", "Đặng Văn Dũng")]);
    let found = t
        .store
        .count_profiles(&actor, &ListQuery::search("dang van"))
        .unwrap();
    assert_eq!(found.filtered, 1, "search works after the restore");
}

#[test]
fn restore_refuses_bad_files_and_changes_nothing() {
    let mut t = test_store();
    create(&mut t, &[("full_name", "Nguyễn Văn An")]);
    let good = back_up(&t);
    create(&mut t, &[("full_name", "Hoàng Thị Lan")]);
    let db = t.store.path().to_path_buf();
    let files = t.dir.path().join("bad");
    std::fs::create_dir_all(&files).unwrap();

    let damaged = files.join("damaged.db");
    std::fs::copy(&good, &damaged).unwrap();
    damage(&damaged);
    let truncated = files.join("truncated.db");
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let text = files.join("notes.db");
    std::fs::write(&text, "name,phone\nAn,0912345678\n").unwrap();
    let foreign = files.join("foreign.db");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1); PRAGMA user_version = 1;")
        .unwrap();
    let newer = files.join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", pdesk_core::store::SCHEMA_VERSION + 1)
        .unwrap();

    let admin = t.admin.clone();
    let backups_before = list_backups(&backups_dir(&t)).unwrap().len();
    for (file, why) in [
        (&damaged, "damaged"),
        (&truncated, "damaged"),
        (&text, "not a database file"),
        (&foreign, "not one of Profile Desk"),
        (&newer, "newer version of Profile Desk"),
        (&files.join("missing.db"), "cannot be read"),
    ] {
        let fingerprint = file.exists().then(|| sha(file));
        let err = t
            .store
            .restore_backup(&admin, file, RestoreOptions::default())
            .expect_err("a bad file is refused");
        assert!(
            matches!(err, Error::Backup(_)),
            "{}: refused as a backup problem: {err}",
            file.display()
        );
        let msg = err.to_string();
        assert!(
            msg.contains("not a usable Profile Desk backup") && msg.contains(why),
            "{}: the message says why ({why}): {msg}",
            file.display()
        );
        assert!(
            msg.contains("Nothing was changed"),
            "and that nothing changed: {msg}"
        );
        if let Some(fingerprint) = &fingerprint {
            assert_eq!(&sha(file), fingerprint, "the refused file is not modified");
        }
        assert_eq!(
            names(&t.store),
            ["Hoàng Thị Lan", "Nguyễn Văn An"],
            "the live data is unchanged after refusing {}",
            file.display()
        );
    }
    assert_eq!(
        list_backups(&backups_dir(&t)).unwrap().len(),
        backups_before,
        "no before-restore copy is made for a refused file"
    );
    assert_eq!(db, t.store.path());

    // Only administrators restore (settings.manage).
    let sales = t.store.add_user(&admin, "sales1", "Sales").unwrap();
    let err = t
        .store
        .restore_backup(&sales, &good, RestoreOptions::default())
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Permission {
                permission: "settings.manage",
                ..
            }
        ),
        "Sales cannot restore: {err}"
    );
    let err = t.store.backup_plan(&sales).unwrap_err();
    assert!(
        matches!(err, Error::Permission { .. }),
        "Sales cannot start a backup: {err}"
    );
}

#[test]
fn damaged_database_is_detected_at_start_and_never_written() {
    let mut t = test_store();
    for i in 0..300 {
        create(
            &mut t,
            &[
                ("full_name", &format!("Khách hàng {i}")),
                ("city", "Hà Nội"),
            ],
        );
    }
    let good = back_up(&t);
    let db = t.store.path().to_path_buf();
    let TestStore { store, dir, .. } = t;
    drop(store); // closes cleanly: the WAL is checkpointed into the file
    damage(&db);
    let fingerprint = sha(&db);

    let report = match open_checked(&db, &NoKeychain::default()).expect("the check itself runs") {
        Startup::Damaged(report) => report,
        Startup::Ready { .. } => panic!("a damaged database must be detected at start"),
    };
    assert!(!report.problem.is_empty(), "the problem is named");
    assert_eq!(
        report
            .newest_good_backup
            .as_ref()
            .map(|b| PathBuf::from(&b.path)),
        Some(good.clone()),
        "the newest good backup is offered"
    );
    assert_eq!(
        sha(&db),
        fingerprint,
        "the damaged database was not written"
    );
    // Opening it again (the user restarts the app) still writes nothing.
    assert!(matches!(
        open_checked(&db, &NoKeychain::default()).unwrap(),
        Startup::Damaged(_)
    ));
    assert_eq!(
        sha(&db),
        fingerprint,
        "a second start does not write either"
    );
    let check = backup::health::check_database(&db, &plain()).expect("pdesk check runs");
    assert!(
        !check.ok,
        "pdesk check reports the damage: {}",
        check.message
    );
    assert_eq!(sha(&db), fingerprint, "pdesk check writes nothing");

    let (store, restored) =
        install_backup(&db, &good, None, &plain()).expect("restore the newest backup");
    let kept = PathBuf::from(restored.damaged_kept_as.expect("the damaged file is kept"));
    assert_eq!(
        sha(&kept),
        fingerprint,
        "the damaged file is kept byte for byte for support"
    );
    assert!(
        kept.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("profiles.damaged-"),
        "named as damaged: {}",
        kept.display()
    );
    assert_eq!(restored.profiles, 300, "the backup's profiles are back");
    let admin = store.actor(None).unwrap();
    assert_eq!(
        store
            .count_profiles(&admin, &Default::default())
            .unwrap()
            .total,
        300
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE action = 'backup.recover'"
        ),
        1,
        "the recovery is audited"
    );
    drop(store);
    assert!(
        matches!(
            open_checked(&db, &NoKeychain::default()).unwrap(),
            Startup::Ready { .. }
        ),
        "the restored database passes the start check"
    );
    drop(dir);
}

#[test]
fn after_a_clean_exit_the_store_opens_at_once_and_the_later_check_still_finds_damage() {
    let mut t = test_store();
    for i in 0..50 {
        create(&mut t, &[("full_name", &format!("Khách hàng {i}"))]);
    }
    let db = t.store.path().to_path_buf();
    let TestStore { store, dir, .. } = t;
    drop(store);

    // Damage that stops the open (half the pages' headers): the start still reports it as
    // damage (the check runs when the open fails) and writes nothing.
    let unopenable = dir.path().join("unopenable.db");
    std::fs::copy(&db, &unopenable).unwrap();
    damage(&unopenable);
    let fingerprint = sha(&unopenable);
    match open_for_start(
        &unopenable,
        &NoKeychain::default(),
        StartCheck::AfterFirstPage,
    ) {
        Ok(Startup::Damaged(report)) => assert!(!report.problem.is_empty()),
        Ok(Startup::Ready { .. }) => panic!("a database that cannot be read is not ready"),
        Err(e) => panic!("a damaged file is reported as damaged, not as an error: {e}"),
    }
    assert_eq!(sha(&unopenable), fingerprint, "and it was not written");

    // Damage the open never reads: the store opens without the check, so the first page is
    // not kept waiting; the check the app runs after it finds the damage.
    damage_index(&db, "profiles_company").unwrap();
    assert!(
        quick_problem(&db, None).unwrap().is_some(),
        "the damage is real"
    );
    match open_for_start(&db, &NoKeychain::default(), StartCheck::AfterFirstPage).unwrap() {
        Startup::Ready { store, .. } => assert_eq!(names(&store).len(), 50, "the list shows"),
        Startup::Damaged(_) => panic!("after a clean exit the check does not run before the list"),
    }
    assert!(
        quick_problem(&db, None).unwrap().is_some(),
        "the check after the first page reports it"
    );
    assert!(
        matches!(
            open_for_start(&db, &NoKeychain::default(), StartCheck::Now).unwrap(),
            Startup::Damaged(_)
        ),
        "after an unclean exit it is found before opening"
    );
    drop(dir);
}

#[test]
fn generations_keep_the_newest_and_never_touch_other_files() {
    let mut t = test_store();
    create(&mut t, &[("full_name", "Vũ Thị Hà")]);
    let admin = t.admin.clone();
    let folder = t.dir.path().join("my backups");
    let overview = t
        .store
        .set_backup_settings(
            &admin,
            BackupSettings {
                folder: folder.display().to_string(),
                keep: 3,
                auto_daily: true,
            },
        )
        .expect("valid settings are saved");
    assert_eq!(overview.settings.keep, 3);
    std::fs::write(folder.join("notes.txt"), "mine").unwrap();
    std::fs::write(folder.join("profiles.db"), "also mine").unwrap();
    let mut taken = Vec::new();
    for _ in 0..5 {
        let r = t.store.backup_plan(&admin).unwrap().run().unwrap();
        taken.push(r.entry.file_name.clone());
    }
    let left: Vec<String> = list_backups(&folder)
        .unwrap()
        .into_iter()
        .map(|e| e.file_name)
        .collect();
    let newest: Vec<String> = taken.iter().rev().take(3).cloned().collect();
    assert_eq!(left, newest, "the 3 newest backups are kept, newest first");
    assert!(
        folder.join("notes.txt").exists(),
        "other files are left alone"
    );
    assert!(
        folder.join("profiles.db").exists(),
        "other files are left alone"
    );
    let partials = std::fs::read_dir(&folder)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".partial")
        })
        .count();
    assert_eq!(partials, 0, "no temp file is left behind");
    assert_eq!(
        count(
            t.store.path(),
            "SELECT count(*) FROM audit_log WHERE action = 'backup.write'"
        ),
        5,
        "every manual backup is audited"
    );
    assert_eq!(
        count(
            t.store.path(),
            "SELECT count(*) FROM audit_log WHERE action = 'settings.backup'"
        ),
        1,
        "the settings change is audited"
    );
}

#[test]
fn daily_backup_runs_when_the_newest_is_older_than_a_day() {
    let mut t = test_store();
    let db = t.store.path().to_path_buf();
    assert!(
        daily_backup_plan(&db, &plain()).unwrap().is_none(),
        "a store that never held anything (first start) is not backed up"
    );
    create(&mut t, &[("full_name", "Bùi Thị Thu")]);
    let plan = daily_backup_plan(&db, &plain())
        .unwrap()
        .expect("no backup yet: the daily one is due");
    let first = plan.run().expect("daily backup");
    assert_eq!(first.entry.kind, BackupKind::Daily);
    assert!(
        daily_backup_plan(&db, &plain()).unwrap().is_none(),
        "not due again the same day"
    );
    // Pretend the backup was taken two days ago.
    let old_at = time::OffsetDateTime::now_utc() - time::Duration::days(2);
    let stamp = old_at
        .format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .unwrap();
    let path = PathBuf::from(&first.entry.path);
    std::fs::rename(
        &path,
        path.with_file_name(format!("profile-desk-{stamp}-daily.db")),
    )
    .unwrap();
    assert!(
        daily_backup_plan(&db, &plain()).unwrap().is_some(),
        "due again when the newest backup is older than a day"
    );
    let admin = t.admin.clone();
    t.store
        .set_backup_settings(
            &admin,
            BackupSettings {
                folder: String::new(),
                keep: 7,
                auto_daily: false,
            },
        )
        .unwrap();
    assert!(
        daily_backup_plan(&db, &plain()).unwrap().is_none(),
        "switched off: never due"
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE action = 'backup.write'"
        ),
        0,
        "automatic backups are not audit entries (they are listed in the folder)"
    );
}

#[test]
fn backup_settings_are_validated() {
    let t = test_store();
    let mut store = t.store;
    let admin = t.admin.clone();
    for (settings, why) in [
        (
            BackupSettings {
                folder: "relative/folder".into(),
                keep: 7,
                auto_daily: true,
            },
            "full path",
        ),
        (
            BackupSettings {
                folder: String::new(),
                keep: 0,
                auto_daily: true,
            },
            "between 1 and 100",
        ),
        (
            BackupSettings {
                folder: t.dir.path().join("a-file").display().to_string(),
                keep: 7,
                auto_daily: true,
            },
            "cannot be written",
        ),
    ] {
        std::fs::write(t.dir.path().join("a-file"), "x").unwrap();
        let err = store
            .set_backup_settings(&admin, settings)
            .expect_err("invalid settings are refused");
        assert!(
            err.to_string().contains(why),
            "the message says why ({why}): {err}"
        );
    }
    let overview = store.backup_overview(&admin).unwrap();
    assert_eq!(overview.settings.keep, 7, "defaults: 7 generations");
    assert!(overview.settings.auto_daily, "defaults: daily backup on");
    assert_eq!(
        PathBuf::from(&overview.settings.folder),
        t.dir.path().join("backups"),
        "defaults: a backups folder next to the database"
    );
}

/// The live database's bytes: the file and its write-ahead log (the `-shm` index is shared
/// memory that readers write too).
fn live_fingerprint(db: &Path) -> Vec<Option<String>> {
    ["", "-wal"]
        .iter()
        .map(|suffix| {
            let mut path = db.as_os_str().to_owned();
            path.push(suffix);
            let path = PathBuf::from(path);
            path.exists().then(|| sha(&path))
        })
        .collect()
}

fn restore(t: &mut TestStore, file: &Path, keep_mail: bool) -> pdesk_core::Result<RestoreReport> {
    let admin = t.admin.clone();
    let options = RestoreOptions {
        keep_backup_mail_settings: keep_mail,
    };
    t.store.restore_backup(&admin, file, options)
}

/// Files left next to the live database (a restore's staged copy must not stay behind).
fn files_next_to(db: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    names.sort();
    names
}

/// A refused restore: a backup problem saying `why`, and nothing changed — the live database
/// byte for byte, its data, the backup folder.
fn assert_refused(t: &mut TestStore, file: &Path, why: &str) {
    let db = t.store.path().to_path_buf();
    let before = live_fingerprint(&db);
    let names_before = names(&t.store);
    let backups_before = list_backups(&backups_dir(t)).unwrap().len();
    let err = restore(t, file, false).expect_err("the file is refused");
    let msg = err.to_string();
    assert!(
        matches!(err, Error::Backup(_)),
        "{}: a backup problem: {msg}",
        file.display()
    );
    assert!(
        msg.contains(why) && msg.contains("Nothing was changed"),
        "{}: the message says why ({why}) and that nothing changed: {msg}",
        file.display()
    );
    assert_eq!(
        live_fingerprint(&db),
        before,
        "{}: the live database is byte for byte as it was",
        file.display()
    );
    assert_eq!(names(&t.store), names_before, "the live data is unchanged");
    assert_eq!(
        list_backups(&backups_dir(t)).unwrap().len(),
        backups_before,
        "no before-restore copy for a refused file"
    );
    assert_eq!(
        files_next_to(&db),
        Vec::<String>::new(),
        "no staged copy is left"
    );
}

#[test]
fn a_backup_that_fails_to_migrate_is_refused_and_the_live_database_stays_untouched() {
    let mut t = test_store();
    create(&mut t, &[("full_name", "Nguyễn Văn An")]);
    let good = back_up(&t);
    let db = t.store.path().to_path_buf();
    // A schema-1 file whose data makes the next migration (0002_defaults) fail: it already
    // holds a setting that migration inserts.
    let old = t.dir.path().join("old.db");
    Connection::open(&old)
        .unwrap()
        .execute_batch(&format!(
            "{}
             INSERT INTO settings(key, value) VALUES ('sync.match_keys', '[]');
             PRAGMA user_version = 1;",
            include_str!("../../migrations/0001_schema.sql")
        ))
        .unwrap();
    assert_eq!(
        verify_backup_file(&old, None).unwrap().schema_version,
        1,
        "the file itself passes the checks of a schema-1 backup"
    );
    let newer = t.dir.path().join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", pdesk_core::store::SCHEMA_VERSION + 1)
        .unwrap();

    assert_refused(
        &mut t,
        &old,
        "cannot be brought to this version's format (migration 0002_defaults failed",
    );
    assert_refused(&mut t, &newer, "newer version of Profile Desk");

    let again = Store::open(&db).expect("the live database still opens");
    assert_eq!(names(&again), ["Nguyễn Văn An"]);
    assert!(
        backup::check_database(&db, &plain()).unwrap().ok,
        "and passes the full check"
    );
}

#[test]
fn a_backup_with_objects_we_never_create_is_refused_naming_them() {
    let mut t = test_store();
    create(&mut t, &[("full_name", "Nguyễn Văn An")]);
    let good = back_up(&t);
    create(&mut t, &[("full_name", "Hoàng Thị Lan")]);
    let version = pdesk_core::store::SCHEMA_VERSION;
    for (name, sql, named) in [
        (
            "trigger.db",
            "CREATE TRIGGER wipe_profiles AFTER INSERT ON profiles BEGIN DELETE FROM profiles; END;"
                .to_string(),
            "an extra trigger “wipe_profiles” on profiles",
        ),
        (
            "view.db",
            "CREATE VIEW leak AS SELECT * FROM profiles;".to_string(),
            "an extra view “leak”",
        ),
        (
            "table.db",
            "CREATE TABLE stash(x); INSERT INTO stash VALUES (1);".to_string(),
            "an extra table “stash”",
        ),
        (
            "index.db",
            "CREATE INDEX users_by_hash ON users(password_hash);".to_string(),
            "an extra index “users_by_hash” on users",
        ),
        (
            "dropped.db",
            "DROP TRIGGER audit_log_no_delete;".to_string(),
            "no trigger “audit_log_no_delete”",
        ),
        // Today's schema labelled one version older: the next migration would fail on it. The
        // newest migration (0029) adds the table of an import's profiles not sent yet.
        (
            "relabelled.db",
            format!("PRAGMA user_version = {};", version - 1),
            "an extra table “sync_unsent”",
        ),
    ] {
        let file = t.dir.path().join(name);
        std::fs::copy(&good, &file).unwrap();
        Connection::open(&file)
            .unwrap()
            .execute_batch(&sql)
            .unwrap();
        let fingerprint = sha(&file);
        assert_refused(&mut t, &file, named);
        assert_eq!(sha(&file), fingerprint, "the refused file is not modified");
    }
    let db = t.store.path().to_path_buf();
    let again = Store::open(&db).expect("the live database still opens");
    assert_eq!(names(&again), ["Hoàng Thị Lan", "Nguyễn Văn An"]);
}

#[test]
fn a_restore_keeps_the_current_mail_settings_and_result_addresses_unless_asked() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let secrets = MemorySecrets::default();
    let ours = MailSettingsInput {
        host: "smtp.ours.example".into(),
        port: 587,
        security: SmtpSecurity::StartTls,
        username: String::new(),
        sender: "desk@ours.example".into(),
        password: None,
    };
    t.store.set_mail_settings(&admin, &ours, &secrets).unwrap();
    t.store
        .set_my_mail_address(&admin, "an@ours.example")
        .unwrap();
    create(&mut t, &[("full_name", "Nguyễn Văn An")]);
    let good = back_up(&t);
    // The backup was changed on its way: its mail would go to evil.example.
    let evil = t.dir.path().join("evil.db");
    std::fs::copy(&good, &evil).unwrap();
    Connection::open(&evil)
        .unwrap()
        .execute_batch(
            "UPDATE settings SET value = 'smtp.evil.example' WHERE key = 'mail.host';
             UPDATE settings SET value = 'desk@evil.example' WHERE key = 'mail.sender';
             UPDATE user_prefs SET value = 'thief@evil.example' WHERE key = 'mail.address';",
        )
        .unwrap();
    create(&mut t, &[("full_name", "Hoàng Thị Lan")]);

    let report = restore(&mut t, &evil, false).expect("restore");
    assert_eq!(
        names(&t.store),
        ["Nguyễn Văn An"],
        "the backup's data is back"
    );
    let mail = t.store.mail_settings(&admin, &secrets).unwrap();
    assert_eq!(
        (mail.host.as_str(), mail.sender.as_str()),
        ("smtp.ours.example", "desk@ours.example"),
        "the current mail server and sender are kept"
    );
    assert_eq!(
        t.store.my_mail_address(&admin).unwrap().as_deref(),
        Some("an@ours.example"),
        "the current result address is kept"
    );
    assert!(
        report.message.contains("e-mail settings were not taken"),
        "the report says so: {}",
        report.message
    );

    restore(&mut t, &evil, true).expect("restore, taking the backup's mail settings");
    let mail = t.store.mail_settings(&admin, &secrets).unwrap();
    assert_eq!(
        mail.host, "smtp.evil.example",
        "asked for: the backup's server"
    );
    assert_eq!(
        t.store.my_mail_address(&admin).unwrap().as_deref(),
        Some("thief@evil.example"),
        "asked for: the backup's result address"
    );
}
