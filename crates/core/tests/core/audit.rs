use pdesk_core::model::MatchKey;
use pdesk_core::model::MergePolicy;

use crate::test_store;

#[test]
fn settings_changes_are_audited_in_a_verifiable_chain() {
    let mut t = test_store();
    let admin = t.admin.clone();
    t.store.set_field_mandatory(&admin, "city", true).unwrap();
    t.store
        .set_sync_settings(
            &admin,
            &[MatchKey::Phone, MatchKey::Email],
            "VN",
            MergePolicy::Overwrite,
        )
        .unwrap();
    t.store.add_user(&admin, "sam", "Sales").unwrap();
    let v = t.store.verify_audit(&admin).unwrap();
    assert_eq!(v.entries, 3, "one entry per sensitive change");
    assert_eq!(
        v.first_broken, None,
        "an untouched chain verifies: {}",
        v.message
    );
}

#[test]
fn the_audit_table_refuses_update_and_delete() {
    let mut t = test_store();
    let admin = t.admin.clone();
    t.store.set_field_mandatory(&admin, "city", true).unwrap();
    let conn = rusqlite::Connection::open(t.store.path()).unwrap();
    let upd = conn.execute("UPDATE audit_log SET actor = 'x'", []);
    assert!(
        upd.is_err(),
        "UPDATE on the audit log must be refused by its trigger"
    );
    let del = conn.execute("DELETE FROM audit_log", []);
    assert!(
        del.is_err(),
        "DELETE on the audit log must be refused by its trigger"
    );
}

#[test]
fn tampering_behind_the_triggers_is_detected() {
    let mut t = test_store();
    let admin = t.admin.clone();
    for key in ["city", "company", "job_title"] {
        t.store.set_field_mandatory(&admin, key, true).unwrap();
    }
    let conn = rusqlite::Connection::open(t.store.path()).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET details = '{\"mandatory\":false}' WHERE id = 2;",
    )
    .unwrap();
    let v = t.store.verify_audit(&admin).unwrap();
    assert_eq!(
        v.first_broken,
        Some(2),
        "the edited entry is the first broken one: {}",
        v.message
    );
}
