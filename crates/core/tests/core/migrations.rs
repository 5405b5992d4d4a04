use pdesk_core::store::SCHEMA_VERSION;
use pdesk_core::{Error, Store};

use crate::test_store;

#[test]
fn migrates_an_empty_database_with_the_defaults() {
    let t = test_store();
    assert_eq!(
        t.store.schema_version().unwrap(),
        SCHEMA_VERSION,
        "a new store is fully migrated"
    );
    let fields = t.store.fields().unwrap();
    for key in [
        "full_name",
        "phones",
        "emails",
        "gender",
        "birthday",
        "customer_code",
        "tags",
        "note",
    ] {
        assert!(
            fields.iter().any(|f| f.key == key),
            "default catalogue has {key}"
        );
    }
    let channels: Vec<String> = t
        .store
        .consent_channels()
        .unwrap()
        .into_iter()
        .map(|c| c.key)
        .collect();
    assert_eq!(
        channels,
        ["email", "sms", "phone_call"],
        "default consent channels"
    );
    assert_eq!(
        t.admin.role, "Administrator",
        "the first user is an administrator"
    );
}

#[test]
fn migrates_in_memory_too() {
    let store = Store::open_in_memory().expect("in-memory store");
    assert_eq!(
        store.schema_version().unwrap(),
        SCHEMA_VERSION,
        "migrations run on :memory:"
    );
}

#[test]
fn reopening_keeps_data_and_does_not_reseed() {
    let mut t = test_store();
    crate::create(&mut t, &[("full_name", "Lê Văn Tám")]);
    let path = t.store.path().to_path_buf();
    drop(t.store);
    let store = Store::open(&path).expect("reopen");
    let admin = store.actor(None).expect("still exactly one administrator");
    let counts = store.count_profiles(&admin, &Default::default()).unwrap();
    assert_eq!(counts.total, 1, "the profile survived the reopen");
    assert_eq!(
        store.fields().unwrap().len(),
        17,
        "defaults were not inserted twice"
    );
}

#[test]
fn refuses_a_database_from_a_newer_version_without_touching_it() {
    let t = test_store();
    let path = t.store.path().to_path_buf();
    drop(t.store);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    // Both ways in: the store itself, and the app's start-up (health check first).
    let refusals = [
        ("Store::open", Store::open(&path).err()),
        (
            "the app's start",
            pdesk_core::backup::open_checked(&path, &NoKeychain::default()).err(),
        ),
    ];
    for (how, err) in refusals {
        let err = err.unwrap_or_else(|| panic!("{how}: a newer schema must be refused"));
        assert!(
            matches!(err, Error::Schema(_)),
            "{how}: refused as a schema problem: {err}"
        );
        assert!(
            err.to_string().contains("newer version of Profile Desk"),
            "{how}: the message says why: {err}"
        );
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the refused file is left unchanged"
    );
}

#[test]
fn enables_wal_and_foreign_keys() {
    let t = test_store();
    let conn = rusqlite::Connection::open(t.store.path()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        mode, "wal",
        "the store runs in WAL mode (persistent in the file)"
    );
}

// ---- upgrades from every earlier schema version ------------------------------------------
//
// The fixtures are built here from the numbered SQL files themselves rather than committed as
// binary .db files: the files ARE the schema history (append-only, and
// `migration_files_are_append_only` below fails if a released one is edited), so applying
// 0001..=v gives exactly the database an app at schema v had; every future migration is then
// tested from every earlier version without anyone making and committing a new fixture; and a
// reviewer reads the fixture data below instead of an opaque blob. What this cannot capture —
// rows the old Rust code wrote besides the SQL (today only the first administrator) — is
// inserted by `fixture_data` as that code wrote it.

use std::path::{Path, PathBuf};

use pdesk_core::backup::{list_backups, open_checked, Startup};
use pdesk_core::filter::ListQuery;
use pdesk_core::keychain::NoKeychain;
use pdesk_core::model::{ConsentInput, ProfileInput, SaveOutcome};
use pdesk_core::profiles::review::{ReviewDecision, ReviewQuery, ReviewStatus};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// The released migration files and their SHA-256. A migration that has shipped is never
/// edited; a new one is appended here with its checksum (`sha256sum crates/core/migrations/*`).
const RELEASED_MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_schema.sql",
        "edf359954c2fdfd4b8d77da0f652717b409bc8f2c7fddb5688d74d73c69ccce2",
    ),
    (
        "0002_defaults.sql",
        "3f0e9ee09ab781348ce6b4693e3976e35e2e0328417fe69378fc99d1cf212626",
    ),
    (
        "0003_import_jobs.sql",
        "970b0494ef94852407116b422b49c7bdd8da3149b2e21d11d964224403cb52e8",
    ),
    (
        "0004_sign_in.sql",
        "4fac3a5c8b619fb48bf1dff13c9d49b597ba0018f89fe729962e9a732e86a2d5",
    ),
    (
        "0005_filters_segments.sql",
        "3f3b41caa8a8d78f1ea2ea6f7f60a24e907d9229fa4ddbdbaeada52fd953e365",
    ),
    (
        "0006_search_index_writes.sql",
        "84acfba35cc366da547b3aa17c136d331df34a9c64df2a9a90049bab02838bc2",
    ),
    (
        "0007_merge_review_resolution.sql",
        "30f7d1a48a3769b9f21bbef5acb0aa5ec404b66c74ee2aaa4edef8cd92ffa8e4",
    ),
    (
        "0008_export_mail.sql",
        "13392cb7f5840797c96a7504e828de4163988f793d1ec00e070c1060640e9d71",
    ),
    (
        "0009_rule_guards.sql",
        "9c15f5f753c37a04bd55fc2d2c7332ccac7e08e6cfabb3f86b2751b82c479bd7",
    ),
    (
        "0010_job_runner_lease.sql",
        "a45047aeaa19f16a9ff0a13eeb3e8fa992cdbac6f0b07c4ca1b9a35b95a45632",
    ),
    (
        "0011_undo_marks.sql",
        "e6eddadd0297b21a6cf092d8e687ba88e81c238849d5a5d969ab8895dd58a2d7",
    ),
    (
        "0012_import_file_fingerprint.sql",
        "537e015ea3f256b78ba5a530ac5a46a5bc35318f77e70cbf1a37a049b1a7ffb1",
    ),
    (
        "0013_job_mail_reason.sql",
        "27fdbbdb15430f054e757aa29779659e8886f0ec0400ea7acf6aae839813f555",
    ),
    (
        "0014_refused_uploads.sql",
        "52ae55f259f85db9616cc363f026256f22f1742128e614943dc740e1cc5bc1d2",
    ),
    (
        "0015_sync.sql",
        "7657d274bf1daf7e2c3bb57b624fd68f06c41472d7f28263363997cefc1c3a29",
    ),
    (
        "0016_sync_status.sql",
        "b9841dcb60d14c62bdf128bf9b8222740a8cfd8cf4213457e255bf579e67bc13",
    ),
    (
        "0017_sync_hold.sql",
        "b1bd7f2a71306f3c5e0f68594a4410200efae3b2b217a72d1ae057dcd3895621",
    ),
    (
        "0018_sync_outbox_indexes.sql",
        "702c8fd00e1c68ee35e5e336dcd5be948ce03bf89e786122bd8264f10b24ea44",
    ),
    (
        "0019_sync_conflict_review.sql",
        "26952c95f6f36ccd7026aa850bec3d42d1c635f187a715d7e7586677358ae02b",
    ),
    (
        "0020_sync_links.sql",
        "0d767139316304e572ae8ac269f692dcf0362b3227b67743990c0dbd47318782",
    ),
    (
        "0021_sync_trust.sql",
        "a437043ab830084b987be47eb78a3f724b3141a04c82f350348e36faccc96abc",
    ),
    (
        "0022_city_gender_index.sql",
        "5e8cb514fdae4712806d2248412f5185683f58db972a140635f9c900d9f92813",
    ),
    (
        "0023_import_shared_keys_basis.sql",
        "4966595738e37c9afa6c0a399198e3a9208f41ed1c96a58f887f050f38711e4a",
    ),
    (
        "0024_refused_upload_details.sql",
        "b4ed7e09c544097c0c637fa461f599b77fc7bba5cb6f28985e03367707c9bafc",
    ),
    (
        "0025_import_fixes.sql",
        "d2e3bb32f1251fc6c90c131fa2d939a4d484328681ffa656e8023d571e098b25",
    ),
    (
        "0026_job_error_details.sql",
        "38402fffee97b4c7bea882915a2c468e9f7690990ac0711aefac9d420a75c3a5",
    ),
    (
        "0027_failed_row_problem.sql",
        "29a956171bc61cc2a51e839ffcd7f1594c38a6e54a92238cbfa28bbc0f6547e9",
    ),
    (
        "0028_sync_reviews.sql",
        "81f5a0f15b4c9dc63e5a834a6698e29444958d78b488ca0934503153e92829a3",
    ),
    (
        "0029_sync_unsent.sql",
        "2affdc519c59f937b6bef35dd2b70058d3a6601dac313c03a936c1aac8fabaa5",
    ),
];

/// The numbered migration files, in order.
fn migration_files() -> Vec<PathBuf> {
    let dir = Path::new(
        &std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
    )
    .join("migrations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the migrations folder")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    for (i, f) in files.iter().enumerate() {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(&format!("{:04}_", i + 1)),
            "migration files are numbered 0001, 0002, … without gaps: {name} is number {}",
            i + 1
        );
    }
    files
}

#[test]
fn migration_files_are_append_only() {
    let files = migration_files();
    assert_eq!(
        files.len() as u32,
        SCHEMA_VERSION,
        "every numbered file is embedded, one schema version each"
    );
    for (name, expected) in RELEASED_MIGRATIONS {
        let path = files
            .iter()
            .find(|f| f.file_name().is_some_and(|n| n == *name))
            .unwrap_or_else(|| panic!("released migration {name} was removed or renamed"));
        let actual = hex::encode(Sha256::digest(std::fs::read(path).unwrap()));
        assert_eq!(
            &actual, expected,
            "released migration {name} was edited: add a new numbered migration instead"
        );
    }
    assert_eq!(
        RELEASED_MIGRATIONS.len(),
        files.len(),
        "a new migration file: append its name and SHA-256 to RELEASED_MIGRATIONS"
    );
}

/// A database as an app at schema `version` left it: the migrations 1..=version applied the
/// way the app applies them (one transaction each, with `user_version`), then its data.
fn fixture_at(version: u32, path: &Path) {
    let mut conn = Connection::open(path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // The app's connections have the store's SQL functions; migration 0015 calls one to give
    // existing profiles their global ids.
    let next = std::sync::atomic::AtomicU64::new(1);
    conn.create_scalar_function(
        "pdesk_uuid7",
        0,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8,
        move |_| {
            let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(format!("00000000-0000-7000-8000-{n:012}"))
        },
    )
    .unwrap();
    for (i, file) in migration_files().iter().take(version as usize).enumerate() {
        let tx = conn.transaction().unwrap();
        tx.execute_batch(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{} applies: {e}", file.display()));
        tx.pragma_update(None, "user_version", i as u32 + 1)
            .unwrap();
        tx.commit().unwrap();
    }
    fixture_data(&conn, version);
    if version >= 15 {
        // From 0015 on, the app writes every profile with its global id and every consent
        // record with its event id (the rows above use the columns every version has).
        conn.execute_batch(
            "UPDATE profiles SET gid = pdesk_uuid7() WHERE gid IS NULL;
             DROP TRIGGER consent_records_no_update;
             UPDATE consent_records SET event_id = pdesk_uuid7() WHERE event_id IS NULL;
             CREATE TRIGGER consent_records_no_update BEFORE UPDATE ON consent_records BEGIN
                 SELECT RAISE(ABORT, 'consent history is append-only');
             END;",
        )
        .unwrap();
    }
}

/// The audit hash of SPEC 1 (length-prefixed fields, SHA-256), written out independently of the
/// core so that a change of the hash format — which would break old chains — fails this test.
fn audit_hash(parts: [&str; 6]) -> String {
    let mut h = Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Data an app at schema `version` could have written, in SQL valid at that version. A store
/// at version 1 only ever existed between two migrations of the first start (the defaults and
/// the administrator come later), so it holds the schema alone.
fn fixture_data(conn: &Connection, version: u32) {
    if version >= 2 {
        conn.execute_batch(
            "INSERT INTO users(id, name, display_name, role_id, created_at)
                 VALUES (1, 'fixture.admin', 'Fixture Admin', 1, '2025-01-02T03:04:05.000Z');
             INSERT INTO profiles(id, full_name, name_key, city, customer_code, code_key,
                     source_kind, created_at, updated_at, created_by, updated_by) VALUES
                 (1, 'Nguyễn Văn An', 'nguyen van an', 'Hà Nội', 'KH-001', 'KH-001', 'manual',
                  '2025-01-02T03:04:05.000Z', '2025-01-02T03:04:05.000Z', 'fixture.admin', 'fixture.admin'),
                 (2, 'Đặng Thị Bích', 'dang thi bich', 'Đà Nẵng', NULL, NULL, 'manual',
                  '2025-01-03T03:04:05.000Z', '2025-01-03T03:04:05.000Z', 'fixture.admin', 'fixture.admin'),
                 (3, NULL, NULL, NULL, NULL, NULL, 'manual',
                  '2025-01-04T03:04:05.000Z', '2025-01-04T03:04:05.000Z', 'fixture.admin', 'fixture.admin');
             INSERT INTO profile_phones(profile_id, position, raw, e164) VALUES
                 (1, 0, '0912 345 678', '+84912345678'), (1, 1, '+84 987 654 321', '+84987654321'),
                 (3, 0, '0903 111 222', '+84903111222');
             INSERT INTO profile_emails(profile_id, position, raw, email_key) VALUES
                 (1, 0, 'An.Nguyen@Example.com', 'an.nguyen@example.com'),
                 (2, 0, 'bich.dang@example.vn', 'bich.dang@example.vn');
             INSERT INTO profile_tags(profile_id, position, tag) VALUES (1, 0, 'VIP');
             INSERT INTO consent_records(profile_id, channel, status, recorded_by, recorded_at, source)
                 VALUES (1, 'email', 'granted', 'fixture.admin', '2025-01-02T03:04:05.000Z', 'manual');
             INSERT INTO profile_history(profile_id, at, actor, kind, source, matched_by, changes) VALUES
                 (1, '2025-01-02T03:04:05.000Z', 'fixture.admin', 'created', 'manual', NULL, '[]'),
                 (2, '2025-01-03T03:04:05.000Z', 'fixture.admin', 'created', 'manual', NULL, '[]'),
                 (3, '2025-01-04T03:04:05.000Z', 'fixture.admin', 'created', 'manual', NULL, '[]');
             INSERT INTO accounts(id, name, status, created_at, updated_at)
                 VALUES (1, 'Công ty An Phát', 'active', '2025-01-02T03:04:05.000Z', '2025-01-02T03:04:05.000Z');
             INSERT INTO profile_accounts(profile_id, account_id) VALUES (1, 1);",
        )
        .expect("fixture data for schema 2");
        if version >= 6 {
            // From 0006 on, `profiles/storage.rs` writes the name search index, not a trigger.
            conn.execute_batch(
                "INSERT INTO profile_search(rowid, name_key)
                     SELECT id, name_key FROM profiles WHERE name_key IS NOT NULL ORDER BY id;",
            )
            .expect("search index as storage.rs writes it");
        }
        let mut prev = pdesk_core::audit::GENESIS.to_string();
        for (at, action, target, details) in [
            (
                "2025-01-02T03:05:00.000Z",
                "settings.sync_rule",
                "settings",
                r#"{"defaultRegion":"VN"}"#,
            ),
            (
                "2025-01-03T03:05:00.000Z",
                "profile.delete",
                "profile 4",
                r#"{"label":"Tr** V** C","links":0}"#,
            ),
        ] {
            let hash = audit_hash([&prev, at, "fixture.admin", action, target, details]);
            conn.execute(
                "INSERT INTO audit_log(at, actor, action, target, details, prev_hash, hash)
                 VALUES (?1, 'fixture.admin', ?2, ?3, ?4, ?5, ?6)",
                (at, action, target, details, &prev, &hash),
            )
            .unwrap();
            prev = hash;
        }
    }
    if version >= 3 {
        conn.execute_batch(
            "INSERT INTO import_jobs(id, kind, file_name, file_path, settings, status, created_by,
                     created_at, started_at, finished_at, total_rows, rows_done, created, failed)
                 VALUES (1, 'file', 'customers.xlsx', '/home/sales/customers.xlsx', '{}', 'done',
                     'fixture.admin', '2025-01-05T03:04:05.000Z', '2025-01-05T03:04:06.000Z',
                     '2025-01-05T03:04:07.000Z', 2, 2, 1, 1);
             UPDATE profiles SET source_kind = 'file', source_detail = 'customers.xlsx', source_job = 1
                 WHERE id = 2;
             INSERT INTO import_job_rows(job_id, row_number, outcome, profile_id, column_name, value, reason)
                 VALUES (1, 2, 'created', 2, NULL, NULL, NULL),
                        (1, 3, 'failed', NULL, 'E-mail', 'not-an-email', 'Not a valid e-mail address');
             -- Row 4 matched profile 1 by phone and profile 2 by e-mail: a merge review, as the
             -- rule wrote it before 0007 (no job_id column, no merge policy in `incoming`).
             INSERT INTO merge_reviews(id, created_at, created_by, source, incoming, candidates)
                 VALUES (1, '2025-01-05T03:04:07.000Z', 'fixture.admin',
                     '{\"kind\":\"fileImport\",\"fileName\":\"customers.xlsx\",\"jobId\":1}',
                     '{\"profile\":{\"scalars\":{\"full_name\":\"An Nguyễn\"},\"phones\":[{\"raw\":\"0912345678\",\"e164\":\"+84912345678\"}],\"emails\":[{\"raw\":\"bich.dang@example.vn\",\"key\":\"bich.dang@example.vn\"}],\"tags\":[],\"custom\":{},\"given\":[]},\"consent\":{\"channels\":{}}}',
                     '[{\"profileId\":1,\"label\":\"Nguyễn Văn An\",\"matchedBy\":\"phone\"},{\"profileId\":2,\"label\":\"Đặng Thị Bích\",\"matchedBy\":\"email\"}]');
             INSERT INTO import_job_rows(job_id, row_number, outcome, review_id) VALUES (1, 4, 'review', 1);",
        )
        .expect("fixture data for schema 3");
    }
    if version >= 7 {
        // From 0007 on the app writes a review's job with the review.
        conn.execute_batch(
            "UPDATE merge_reviews SET job_id = json_extract(source, '$.jobId')
              WHERE json_valid(source) AND json_extract(source, '$.jobId') IS NOT NULL;",
        )
        .expect("fixture data for schema 7");
    }
}

#[test]
fn migrates_from_every_earlier_schema_version() {
    for version in 1..SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("profiles.db");
        fixture_at(version, &db);

        let (mut store, notice) =
            match open_checked(&db, &NoKeychain::default()).expect("an older database opens") {
                Startup::Ready { store, notice } => (store, notice),
                Startup::Damaged(r) => panic!("schema {version}: reported damaged: {}", r.problem),
            };
        assert_eq!(
            store.schema_version().unwrap(),
            SCHEMA_VERSION,
            "schema {version} is migrated to {SCHEMA_VERSION}"
        );
        let notice = notice.unwrap_or_default();
        assert!(
            notice.contains(&format!("schema {version} → {SCHEMA_VERSION}")),
            "schema {version}: the user is told about the upgrade: {notice}"
        );
        let kept = list_backups(&dir.path().join("backups")).unwrap();
        assert_eq!(
            kept.len(),
            1,
            "schema {version}: one copy kept before the upgrade"
        );
        let kept_version: u32 = Connection::open(&kept[0].path)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            kept_version, version,
            "the before-upgrade copy is the old database, unmigrated"
        );
        assert!(
            notice.contains(&kept[0].path),
            "the notice says where the copy is: {notice}"
        );

        let admin = store
            .actor(None)
            .expect("one administrator after the upgrade");
        let counts = store.count_profiles(&admin, &ListQuery::default()).unwrap();
        if version < 2 {
            assert_eq!(counts.total, 0, "schema 1 held no data");
            assert_eq!(store.fields().unwrap().len(), 17, "the defaults arrive");
            continue;
        }
        assert_eq!(admin.name, "fixture.admin", "the old administrator is kept");
        assert_eq!(counts.total, 3, "schema {version}: every profile survives");
        for (search, want) in [
            ("nguyen van", 1),
            ("dang", 1),
            ("0912345678", 1),
            ("KH-001", 1),
        ] {
            let found = store
                .count_profiles(&admin, &ListQuery::search(search))
                .unwrap();
            assert_eq!(
                found.filtered, want,
                "schema {version}: search “{search}” still finds the old profile"
            );
        }
        let detail = store.profile_detail(&admin, 1).expect("old profile detail");
        assert_eq!(detail.profile.phones.len(), 2, "phones kept");
        assert_eq!(
            detail.profile.emails,
            ["An.Nguyen@Example.com"],
            "e-mails kept as typed"
        );
        assert_eq!(detail.profile.tags, ["VIP"], "tags kept");
        assert_eq!(detail.links.accounts.len(), 1, "links kept");
        assert_eq!(detail.consent_history.len(), 1, "consent history kept");
        assert!(!detail.history.is_empty(), "history kept");
        let audit = store.verify_audit(&admin).unwrap();
        assert_eq!(
            (audit.entries, audit.first_broken),
            (2, None),
            "schema {version}: the old audit chain still verifies"
        );
        // Sync (0015): every old profile and consent record got its global id, all distinct.
        let file = Connection::open(&db).unwrap();
        let (profiles, gids): (i64, i64) = file
            .query_row(
                "SELECT COUNT(*), COUNT(DISTINCT gid) FROM profiles",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            gids, profiles,
            "schema {version}: every profile has its gid"
        );
        let missing: i64 = file
            .query_row(
                "SELECT COUNT(*) FROM consent_records WHERE event_id IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            missing, 0,
            "schema {version}: every consent record has its event id"
        );
        // The upgraded store works on: the synchronization rule matches an old profile.
        let outcome = store
            .create_profile(
                &admin,
                &ProfileInput::default()
                    .with("full_name", "Nguyễn Văn An")
                    .with_list("phones", &["+84 912 345 678"])
                    .with("job_title", "Giám đốc"),
                &ConsentInput::default(),
            )
            .unwrap();
        assert!(
            matches!(outcome, SaveOutcome::Updated { profile_id: 1, .. }),
            "schema {version}: a new save merges into the old profile by phone: {outcome:?}"
        );
        if version >= 3 {
            let jobs = store.jobs(&admin).unwrap();
            assert_eq!(
                jobs.len(),
                1,
                "schema {version}: the import report keeps its jobs"
            );
            assert_eq!(jobs[0].file_name, "customers.xlsx");
            let reviews = store
                .merge_reviews(
                    &admin,
                    &ReviewQuery {
                        status: ReviewStatus::Open,
                        job_id: Some(1),
                    },
                )
                .unwrap();
            assert_eq!(
                reviews.matching, 1,
                "schema {version}: the old review is found under its job (job_id filled in)"
            );
            assert_eq!(
                reviews.items[0].origin, "customers.xlsx, row 4",
                "schema {version}: with the row it came from"
            );
            let detail = store.merge_review(&admin, 1).unwrap();
            assert_eq!(
                detail.columns.len(),
                3,
                "schema {version}: incoming, profile 1, profile 2: {:?}",
                detail.columns
            );
            let done = store
                .resolve_merge_review(
                    &admin,
                    1,
                    &ReviewDecision::Attach { profile_id: 2 },
                    Some(&detail.version),
                )
                .unwrap();
            assert_eq!(
                done.profile_id,
                Some(2),
                "schema {version}: the old review resolves"
            );
        }
        drop(store);
        assert!(
            matches!(
                open_checked(&db, &NoKeychain::default()).unwrap(),
                Startup::Ready { notice: None, .. }
            ),
            "schema {version}: the next start is a plain start (no second upgrade copy)"
        );
    }
}
