//! Data at rest (issue 15, item 9): owner-only files, the store and its backups encrypted with
//! a key from the keychain (a memory keychain here; `crates/cli/tests/cli/keychain.rs` runs a
//! real Secret Service), a plain store encrypted at its first start with a keychain, and the
//! store moved out of Windows' roaming folder.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use pdesk_core::backup::relocate::relocate_store;
use pdesk_core::backup::{open_store, verify_backup_file, BackupKind, RestoreOptions};
use pdesk_core::clock::SystemClock;
use pdesk_core::keychain::{MemorySecrets, NoKeychain, Secrets};
use pdesk_core::model::{ConsentInput, ProfileInput};
use pdesk_core::store::cipher::{is_plain_file, key_entry};
use pdesk_core::{Error, Store};

/// A name and a phone that must never be found in clear in an encrypted file.
const NAME: &str = "Trần Thị Bí Mật";
const PHONE: &str = "0912 345 678";
const PHONE_STORED: &str = "+84912345678";

fn clock() -> Arc<SystemClock> {
    Arc::new(SystemClock)
}

fn open(db: &Path, secrets: &dyn Secrets) -> (Store, Option<String>) {
    open_store(db, secrets, clock()).expect("the store opens")
}

fn add_customer(store: &mut Store, name: &str, phone: &str) {
    let admin = store.actor(None).unwrap();
    let input = ProfileInput::default()
        .with("full_name", name)
        .with("phones", phone);
    store
        .create_profile(&admin, &input, &ConsentInput::default())
        .expect("create a customer");
}

/// Every byte of `path` and its `-wal`.
fn bytes_of(path: &Path) -> Vec<u8> {
    let mut all = std::fs::read(path).unwrap_or_default();
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    all.extend(std::fs::read(PathBuf::from(wal)).unwrap_or_default());
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Profiles, users and audit entries of `store`, read through its public functions.
fn counts(store: &Store) -> (u32, usize, u64) {
    let admin = store.actor(None).unwrap();
    (
        store
            .count_profiles(&admin, &Default::default())
            .unwrap()
            .total,
        store.users(&admin).unwrap().len(),
        store.verify_audit(&admin).unwrap().entries,
    )
}

#[test]
fn a_new_store_is_encrypted_and_nothing_of_a_customer_is_in_clear() {
    let (_dir, db) = pdesk_testkit::temp_db();
    let secrets = MemorySecrets::default();
    let (mut store, notice) = open(&db, &secrets);
    assert_eq!(notice, None, "a new store is simply created encrypted");
    assert!(store.encryption().encrypted, "{:?}", store.encryption());
    add_customer(&mut store, NAME, PHONE);
    let on_disk = bytes_of(&db);
    assert!(
        !is_plain_file(&db).unwrap(),
        "the file has no SQLite header"
    );
    assert!(
        !contains(&on_disk, NAME),
        "the name is not in the file nor its WAL"
    );
    assert!(!contains(&on_disk, PHONE_STORED), "nor the phone");
    drop(store);

    let refused = Store::open(&db).err().expect("no key, no store");
    assert!(
        refused
            .to_string()
            .contains("is encrypted and was opened without its key"),
        "{refused}"
    );
    let wrong = MemorySecrets::default();
    wrong.set(&key_entry(&db), &"ab".repeat(32)).unwrap();
    let refused = open_store(&db, &wrong, clock()).err().expect("another key");
    assert!(refused.to_string().contains("does not open"), "{refused}");
    let forgotten = open_store(&db, &MemorySecrets::default(), clock())
        .err()
        .expect("a keychain without its key");
    assert!(
        forgotten.to_string().contains("keychain has no key for it"),
        "{forgotten}"
    );

    let (store, _) = open(&db, &secrets);
    let admin = store.actor(None).unwrap();
    let found = store
        .count_profiles(&admin, &Default::default())
        .unwrap()
        .total;
    assert_eq!(found, 1, "with its key the store reads as before");
}

#[test]
fn a_plain_store_is_encrypted_at_its_first_start_with_a_keychain_and_keeps_everything() {
    let mut t = crate::test_store();
    for i in 0..40 {
        add_customer(
            &mut t.store,
            &format!("{NAME} {i}"),
            &format!("0912 345 {i:03}"),
        );
    }
    pdesk_testkit::users::add_sales(&mut t.store);
    let before = counts(&t.store);
    let chain_before = t.store.verify_audit(&t.admin).unwrap();
    let db = t.store.path().to_path_buf();
    drop(t.store);
    assert!(is_plain_file(&db).unwrap());
    assert!(
        contains(&bytes_of(&db), NAME),
        "the plain store holds names in clear"
    );

    // A crash of an earlier attempt left its half-written copy: it is simply overwritten.
    let leftover = db.with_file_name(format!(
        ".profiles.db.encrypting-{}.partial",
        std::process::id()
    ));
    std::fs::write(&leftover, b"half a copy").unwrap();

    let secrets = MemorySecrets::default();
    let (store, notice) = open(&db, &secrets);
    let notice = notice.expect("the user is told");
    assert!(
        notice.contains("encrypted this database (40 profiles)"),
        "{notice}"
    );
    assert!(store.encryption().encrypted);
    assert!(!is_plain_file(&db).unwrap());
    assert!(!contains(&bytes_of(&db), NAME), "no name left in clear");
    assert!(!leftover.exists(), "no temp file left behind");
    assert_eq!(
        counts(&store),
        before,
        "every profile, user and audit entry is kept"
    );
    let chain_after = store.verify_audit(&t.admin).unwrap();
    assert_eq!(
        chain_after, chain_before,
        "the audit chain is the same and verifies"
    );

    let backups =
        pdesk_core::backup::list_backups(&pdesk_core::backup::default_folder(&db)).unwrap();
    let before_upgrade = backups
        .iter()
        .find(|b| b.kind == BackupKind::BeforeUpgrade)
        .expect("a verified backup was taken first");
    let path = PathBuf::from(&before_upgrade.path);
    assert!(!is_plain_file(&path).unwrap(), "and it is encrypted too");
    assert!(!contains(&std::fs::read(&path).unwrap(), NAME));
    let key = store.protection().key().cloned();
    assert_eq!(
        verify_backup_file(&path, key.as_ref()).unwrap().profiles,
        40
    );
}

#[test]
fn a_store_open_elsewhere_is_encrypted_at_a_later_start_and_works_plain_meanwhile() {
    let t = crate::test_store();
    let db = t.store.path().to_path_buf();
    let secrets = MemorySecrets::default();
    // `pdesk` (or another app) has the plain store open: it is not swapped under its feet.
    let (store, notice) = open(&db, &secrets);
    let notice = notice.expect("said");
    assert!(notice.contains("NOT encrypted yet"), "{notice}");
    assert!(!store.encryption().encrypted);
    assert!(is_plain_file(&db).unwrap());
    drop(store);
    drop(t.store);
    let (store, notice) = open(&db, &secrets);
    assert!(notice.unwrap().contains("encrypted this database"));
    assert!(store.encryption().encrypted);
}

#[test]
fn backups_of_an_encrypted_store_are_encrypted_and_restore_into_it() {
    let (_dir, db) = pdesk_testkit::temp_db();
    let secrets = MemorySecrets::default();
    let (mut store, _) = open(&db, &secrets);
    add_customer(&mut store, NAME, PHONE);
    let admin = store.actor(None).unwrap();
    let report = store.backup_plan(&admin).unwrap().run().expect("backup");
    let backup = PathBuf::from(&report.entry.path);
    assert!(!is_plain_file(&backup).unwrap(), "the backup is encrypted");
    assert!(!contains(&std::fs::read(&backup).unwrap(), NAME));
    let key = store.protection().key().cloned();
    assert!(verify_backup_file(&backup, key.as_ref()).is_ok());
    let refused = verify_backup_file(&backup, None).expect_err("no key");
    assert!(refused.to_string().contains("encrypted"), "{refused}");
    let overview = store.backup_overview(&admin).unwrap();
    assert!(overview.encryption.encrypted, "Settings → Backup says so");

    add_customer(&mut store, "Lê Văn Sau", "0987 654 321");
    let restored = store
        .restore_backup(&admin, &backup, RestoreOptions::default())
        .expect("an encrypted backup restores");
    assert_eq!(restored.profiles, 1);
    assert!(!is_plain_file(&db).unwrap(), "the store stays encrypted");
    let saved = PathBuf::from(restored.saved_current_as.unwrap());
    assert!(
        !is_plain_file(&saved).unwrap(),
        "the copy kept before is encrypted"
    );

    // A plain backup (from before the store was encrypted) restores too, encrypted on the way.
    let plain = crate::test_store();
    let plain_backup = plain.dir.path().join("plain.db");
    let mut p = plain.store;
    add_customer(&mut p, "Phạm Văn Cũ", "0903 000 111");
    let padmin = p.actor(None).unwrap();
    let written = p
        .backup_plan(&padmin)
        .unwrap()
        .into_folder(plain.dir.path())
        .run()
        .unwrap();
    std::fs::rename(&written.entry.path, &plain_backup).unwrap();
    let restored = store
        .restore_backup(&admin, &plain_backup, RestoreOptions::default())
        .expect("a plain backup restores into the encrypted store");
    assert_eq!(restored.profiles, 1);
    assert!(!is_plain_file(&db).unwrap());
    assert!(!contains(&bytes_of(&db), "Phạm Văn Cũ"));
}

#[test]
fn without_a_keychain_the_store_stays_plain_and_says_so() {
    let (_dir, db) = pdesk_testkit::temp_db();
    let (store, notice) = open(&db, &NoKeychain::default());
    assert_eq!(notice, None);
    let status = store.encryption();
    assert!(!status.encrypted);
    assert!(
        status.message.contains("NOT encrypted"),
        "{}",
        status.message
    );
    assert!(
        status.message.contains("no Secret Service"),
        "{}",
        status.message
    );
    let admin = store.actor(None).unwrap();
    assert_eq!(store.backup_overview(&admin).unwrap().encryption, status);
}

#[cfg(unix)]
#[test]
fn every_file_profile_desk_writes_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = data.join("profiles.db");
    let (mut store, _) = open(&db, &MemorySecrets::default());
    add_customer(&mut store, NAME, PHONE);
    let admin = store.actor(None).unwrap();
    let backup = store.backup_plan(&admin).unwrap().run().unwrap();
    let mut settings = store.backup_overview(&admin).unwrap().settings;
    settings.keep = 3;
    store.set_backup_settings(&admin, settings).unwrap();
    let export = data.join("exports").join("list.xlsx");
    let request = pdesk_core::export::ExportRequest {
        query: Default::default(),
        fields: pdesk_core::export::ExportFields::All,
        columns: Vec::new(),
        ids: None,
    };
    store
        .export_direct(&admin, &request, &export)
        .expect("export");

    assert_eq!(mode(&data), 0o700, "the data folder");
    assert_eq!(mode(&data.join("backups")), 0o700, "the backup folder");
    for file in [
        db.clone(),
        data.join("profiles.db-wal"),
        data.join("profiles.db-shm"),
        PathBuf::from(&backup.entry.path),
        pdesk_core::backup::settings_path(&db),
        export,
    ] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}

#[test]
fn the_store_lives_in_the_local_not_the_roaming_data_folder() {
    let db = pdesk_core::default_db_path(false).unwrap();
    assert!(
        db.starts_with(dirs::data_local_dir().unwrap()),
        "{} is under the local app-data folder",
        db.display()
    );
}

#[test]
fn a_store_left_in_the_roaming_folder_is_moved_to_the_local_one() {
    let mut t = crate::test_store();
    let roaming = t.dir.path().to_path_buf();
    for i in 0..5 {
        add_customer(
            &mut t.store,
            &format!("{NAME} {i}"),
            &format!("0912 345 {i:03}"),
        );
    }
    t.store.backup_plan(&t.admin).unwrap().run().unwrap();
    let audit_before = counts(&t.store);
    drop(t.store);
    let local_parent = tempfile::tempdir().unwrap();
    let local = local_parent.path().join("com.profiledesk.app");

    let moved = relocate_store(&roaming, &local, Path::new("profiles.db"))
        .unwrap()
        .expect("moved");
    assert_eq!(moved.backups, 1);
    assert!(
        !roaming.join("profiles.db").exists(),
        "the old store is removed"
    );
    assert!(!roaming.join("backups").exists(), "and its backups moved");
    let store = Store::open(local.join("profiles.db")).unwrap();
    assert_eq!(counts(&store), audit_before, "everything came along");
    let settings = pdesk_core::backup::load_settings(&local.join("profiles.db"));
    assert_eq!(PathBuf::from(settings.folder), local.join("backups"));
    assert_eq!(
        pdesk_core::backup::list_backups(&local.join("backups"))
            .unwrap()
            .len(),
        1
    );
    drop(store);
    assert_eq!(
        relocate_store(&roaming, &local, Path::new("profiles.db")).unwrap(),
        None,
        "nothing to move the second time"
    );

    // A local store already there wins: the roaming one is left alone.
    let other = crate::test_store();
    let other_dir = other.dir.path().to_path_buf();
    drop(other.store);
    assert_eq!(
        relocate_store(&other_dir, &local, Path::new("profiles.db")).unwrap(),
        None
    );
    assert!(other_dir.join("profiles.db").exists());
}

#[test]
fn a_damaged_looking_file_without_a_key_is_not_taken_for_a_new_store() {
    let (_dir, db) = pdesk_testkit::temp_db();
    std::fs::write(&db, [7u8; 4096]).unwrap();
    let e = open_store(&db, &MemorySecrets::default(), clock())
        .err()
        .expect("refused");
    assert!(matches!(e, Error::Schema(_)), "{e}");
}
