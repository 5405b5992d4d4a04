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
    let err = Store::open(&path)
        .err()
        .expect("a newer schema must be refused");
    assert!(
        matches!(err, Error::Schema(_)),
        "refused as a schema problem: {err}"
    );
    assert!(
        err.to_string().contains("newer version of Profile Desk"),
        "message says why: {err}"
    );
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
