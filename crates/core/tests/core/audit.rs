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
    t.sales();
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

/// A store whose audit log holds `n` settings changes (entries 1..=n), and a raw connection
/// to its file with the append-only triggers dropped — what someone editing the file behind
/// the app's back could do.
fn tampered_store(n: usize) -> (crate::TestStore, rusqlite::Connection) {
    let mut t = test_store();
    let admin = t.admin.clone();
    let keys = ["city", "company", "job_title", "address", "note"];
    for key in keys.iter().cycle().take(n) {
        let mandatory = !t
            .store
            .fields()
            .unwrap()
            .iter()
            .any(|f| &f.key == key && f.mandatory);
        t.store.set_field_mandatory(&admin, key, mandatory).unwrap();
    }
    assert_eq!(
        t.store.verify_audit(&admin).unwrap().first_broken,
        None,
        "the chain verifies before anyone touches the file"
    );
    let conn = rusqlite::Connection::open(t.store.path()).unwrap();
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    (t, conn)
}

#[test]
fn a_deleted_entry_is_detected_at_the_entry_after_it() {
    let (t, conn) = tampered_store(4);
    conn.execute("DELETE FROM audit_log WHERE id = 2", [])
        .unwrap();
    let v = t.store.verify_audit(&t.admin).unwrap();
    assert_eq!(
        v.first_broken,
        Some(3),
        "entry 3 chains to the hash of the removed entry 2: {}",
        v.message
    );
    assert!(
        v.message.contains("entry 3"),
        "the message names it: {}",
        v.message
    );
}

#[test]
fn a_deleted_first_entry_is_detected() {
    let (t, conn) = tampered_store(3);
    conn.execute("DELETE FROM audit_log WHERE id = 1", [])
        .unwrap();
    let v = t.store.verify_audit(&t.admin).unwrap();
    assert_eq!(
        v.first_broken,
        Some(2),
        "the new first entry does not chain to the genesis hash: {}",
        v.message
    );
}

#[test]
fn reordered_entries_are_detected() {
    let (t, conn) = tampered_store(4);
    // Swap the contents of entries 2 and 3 (ids stay, so the order the chain is read in is
    // the swapped one), keeping each entry's own hashes: a reorder, not an edit.
    conn.execute_batch(
        "CREATE TEMP TABLE swap AS SELECT * FROM audit_log WHERE id IN (2, 3);
         UPDATE audit_log SET (at, actor, action, target, details, prev_hash, hash) =
             (SELECT at, actor, action, target, details, prev_hash, hash FROM swap
               WHERE swap.id = CASE audit_log.id WHEN 2 THEN 3 ELSE 2 END)
          WHERE id IN (2, 3);",
    )
    .unwrap();
    let v = t.store.verify_audit(&t.admin).unwrap();
    assert_eq!(
        v.first_broken,
        Some(2),
        "entry 2 now holds entry 3, which chains to entry 2's hash, not entry 1's: {}",
        v.message
    );
}

#[test]
fn an_edited_hash_chain_recomputed_for_one_entry_still_breaks_the_next() {
    let (t, conn) = tampered_store(3);
    // A careful tamperer edits entry 2 and recomputes its own hash: entry 3 still chains to
    // the old hash.
    conn.execute(
        "UPDATE audit_log SET details = '{\"mandatory\":false}', hash = 'f00d' WHERE id = 2",
        [],
    )
    .unwrap();
    let v = t.store.verify_audit(&t.admin).unwrap();
    assert_eq!(
        v.first_broken,
        Some(2),
        "the edited entry itself: {}",
        v.message
    );
    assert_eq!(v.entries, 2, "the walk stops at the first broken entry");
}

// ---- the log's end (issue 15.11): witnesses outside the database --------------------------

use std::sync::Arc;

use pdesk_core::backup::RestoreOptions;
use pdesk_core::mail::{MemorySecrets, Secrets};

/// Cuts the last `n` entries off the log behind the app's back: what is left is a valid chain.
fn cut_tail(conn: &rusqlite::Connection, n: i64) {
    conn.execute(
        "DELETE FROM audit_log WHERE id > (SELECT max(id) FROM audit_log) - ?1",
        [n],
    )
    .unwrap();
}

fn keychain_store(n: usize) -> (crate::TestStore, rusqlite::Connection, Arc<MemorySecrets>) {
    let (t, conn) = tampered_store(n);
    let keychain = Arc::new(MemorySecrets::default());
    t.store.keep_audit_tail_in(keychain.clone()).unwrap();
    t.store.refresh_audit_tail().unwrap();
    (t, conn, keychain)
}

#[test]
fn a_cut_off_tail_is_a_valid_chain_but_the_keychain_record_catches_it() {
    let (t, conn, keychain) = keychain_store(4);
    let v = t.store.verify_audit(&t.admin).unwrap();
    assert_eq!(v.first_broken, None, "{}", v.message);
    assert!(
        v.tail
            .iter()
            .any(|s| s.contains("keychain") && s.contains("entry 4")),
        "the end was compared with the keychain's record: {:?}",
        v.tail
    );
    cut_tail(&conn, 2);
    // The app refreshes the record after every command: a cut log must not move it.
    t.store.refresh_audit_tail().unwrap();
    let v = t.store.verify_audit(&t.admin).unwrap();
    assert_eq!(
        v.first_broken,
        Some(3),
        "the first entry the log lost: {}",
        v.message
    );
    assert!(
        v.message.contains("cut short") && v.message.contains("now ends at entry 2"),
        "{}",
        v.message
    );
    assert_eq!(
        keychain
            .get(&format!(
                "audit-tail:{}",
                pdesk_core::backup::store_key(t.store.path())
            ))
            .unwrap()
            .map(|j| j.contains("\"lastId\":4")),
        Some(true),
        "the record still names entry 4"
    );
}

#[test]
fn without_a_witness_the_cut_passes_and_the_result_says_nothing_was_compared() {
    // Today's behaviour without a keychain record or backup: the walk alone cannot see it.
    let (t, conn) = tampered_store(4);
    cut_tail(&conn, 2);
    let v = t.store.verify_audit(&t.admin).unwrap();
    assert_eq!(v.first_broken, None, "{}", v.message);
    assert!(
        v.tail.iter().any(|s| s.contains("No keychain"))
            && v.tail.iter().any(|s| s.contains("No backup manifest")),
        "it says what it could not compare with: {:?}",
        v.tail
    );
}

#[test]
fn the_newest_backups_manifest_catches_a_cut_even_without_a_keychain() {
    let mut t = test_store();
    let admin = t.admin.clone();
    for key in ["city", "company", "job_title"] {
        t.store.set_field_mandatory(&admin, key, true).unwrap();
    }
    let report = t.store.backup_plan(&admin).unwrap().run().unwrap();
    let conn = rusqlite::Connection::open(t.store.path()).unwrap();
    conn.execute_batch("DROP TRIGGER audit_log_no_delete")
        .unwrap();
    let manifest = format!("{}.manifest.json", report.entry.path);
    let text = std::fs::read_to_string(&manifest).expect("a manifest next to the backup");
    assert!(
        text.contains("\"lastId\": 4"),
        "it names the backup's own entry: {text}"
    );
    cut_tail(&conn, 1);
    let v = t.store.verify_audit(&admin).unwrap();
    assert_eq!(v.first_broken, Some(4), "{}", v.message);
    assert!(v.message.contains(&report.entry.file_name), "{}", v.message);
    // A genuine restore replaces the log on purpose: the older manifest no longer counts, and
    // the keychain is re-anchored on the restored log.
    t.store.set_field_mandatory(&admin, "city", false).unwrap();
    let keychain = Arc::new(MemorySecrets::default());
    t.store.keep_audit_tail_in(keychain.clone()).unwrap();
    drop(conn);
    let repaired = tempfile::tempdir().unwrap();
    let older = repaired.path().join("older.db");
    std::fs::copy(&report.entry.path, &older).unwrap();
    t.store
        .restore_backup(
            &admin,
            &older,
            RestoreOptions {
                keep_backup_mail_settings: false,
            },
        )
        .unwrap();
    let v = t.store.verify_audit(&admin).unwrap();
    assert_eq!(
        v.first_broken, None,
        "after a restore: {} {:?}",
        v.message, v.tail
    );
    assert!(
        v.tail.iter().any(|s| s.contains("keychain")),
        "re-anchored: {:?}",
        v.tail
    );
}

#[test]
fn pruning_a_backup_removes_its_manifest() {
    let (mut t, _conn) = tampered_store(1);
    let admin = t.admin.clone();
    let mut settings = t.store.backup_overview(&admin).unwrap().settings;
    settings.keep = 1;
    t.store.set_backup_settings(&admin, settings).unwrap();
    let first = t.store.backup_plan(&admin).unwrap().run().unwrap();
    let second = t.store.backup_plan(&admin).unwrap().run().unwrap();
    assert_eq!(second.removed, std::slice::from_ref(&first.entry.file_name));
    assert!(!std::path::Path::new(&format!("{}.manifest.json", first.entry.path)).exists());
    assert!(std::path::Path::new(&format!("{}.manifest.json", second.entry.path)).exists());
}

// ---- the audit screen ---------------------------------------------------------------------

use pdesk_core::audit_log::AuditQuery;

fn query(limit: u32) -> AuditQuery {
    AuditQuery {
        limit,
        ..Default::default()
    }
}

#[test]
fn entries_are_filtered_by_action_user_and_time_newest_first() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let sam = t.store.add_user(&admin, "sam", "Administrator").unwrap();
    t.store.set_field_mandatory(&admin, "city", true).unwrap();
    t.store.set_field_mandatory(&sam, "company", true).unwrap();
    t.store.add_consent_channel(&sam, "Zalo").unwrap();
    let all = t.store.audit_entries(&admin, &query(50)).unwrap();
    let actions: Vec<&str> = all.entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "settings.consent_channel",
            "settings.field",
            "settings.field",
            "user.add"
        ],
        "newest first"
    );
    assert_eq!(all.total, 4, "the total of the filter");
    assert_eq!(
        all.entries[0].summary, "Added the consent channel Zalo",
        "each entry reads as a sentence"
    );
    let by_sam = t
        .store
        .audit_entries(
            &admin,
            &AuditQuery {
                actor: Some("sam".into()),
                ..query(50)
            },
        )
        .unwrap();
    assert_eq!(by_sam.total, 2, "two entries by sam");
    let fields_by_sam = t
        .store
        .audit_entries(
            &admin,
            &AuditQuery {
                actor: Some("sam".into()),
                action: Some("settings.field".into()),
                ..query(50)
            },
        )
        .unwrap();
    assert_eq!(fields_by_sam.total, 1, "filters combine with AND");
    let future = t
        .store
        .audit_entries(
            &admin,
            &AuditQuery {
                from: Some("2999-01-01T00:00:00Z".into()),
                ..query(50)
            },
        )
        .unwrap();
    assert_eq!(future.total, 0, "nothing after the year 2999");
    let past = t
        .store
        .audit_entries(
            &admin,
            &AuditQuery {
                from: Some("2000-01-01T00:00:00+07:00".into()),
                to: Some("2999-01-01T00:00:00Z".into()),
                ..query(50)
            },
        )
        .unwrap();
    assert_eq!(
        past.total, 4,
        "a range with offsets covers everything since 2000"
    );
    let err = t
        .store
        .audit_entries(
            &admin,
            &AuditQuery {
                from: Some("yesterday".into()),
                ..query(50)
            },
        )
        .expect_err("not a time");
    assert!(err.to_string().contains("yesterday"), "{err}");
    let first = t.store.audit_entries(&admin, &query(3)).unwrap();
    assert!(first.has_more, "a page of three out of four has more");
    let rest = t
        .store
        .audit_entries(
            &admin,
            &AuditQuery {
                before_id: first.entries.last().map(|e| e.id),
                ..query(3)
            },
        )
        .unwrap();
    assert_eq!(rest.entries.len(), 1, "the next page holds the last one");
    assert!(!rest.has_more, "and no more");
    let filters = t.store.audit_filters(&admin).unwrap();
    assert_eq!(
        filters.actors.len(),
        2,
        "both users are offered: {filters:?}"
    );
    assert!(
        filters.actions.contains(&"user.add".to_string()),
        "{filters:?}"
    );
}

#[test]
fn the_export_writes_the_filtered_entries_and_is_audited() {
    use pdesk_xlsx::{read_sheet, Cell, FileLimits};
    let mut t = test_store();
    let admin = t.admin.clone();
    t.store.set_field_mandatory(&admin, "city", true).unwrap();
    t.store
        .add_consent_channel(&admin, "=HYPERLINK(\"x\")")
        .unwrap();
    let out = t.dir.path().join("audit.xlsx");
    let rows = t
        .store
        .export_audit(&admin, &AuditQuery::default(), &out)
        .unwrap();
    assert_eq!(rows, 2, "both entries are written");
    // Read back with the app's own streaming reader (never a whole-sheet range).
    let mut sheet: Vec<Vec<Cell>> = Vec::new();
    read_sheet(&out, &FileLimits::default(), |_, cells| {
        sheet.push(cells.to_vec());
        std::ops::ControlFlow::Continue(())
    })
    .expect("a real .xlsx");
    let header: Vec<String> = sheet[0].iter().map(|c| c.to_text()).collect();
    assert_eq!(
        header,
        [
            "Entry",
            "Time (UTC)",
            "User",
            "Action",
            "Target",
            "What happened",
            "Details"
        ],
        "the columns"
    );
    let first = &sheet[1];
    assert!(
        matches!(first[1], Cell::DateTime(_)),
        "times are Excel dates: {:?}",
        first[1]
    );
    assert_eq!(
        first[3].to_text(),
        "settings.consent_channel",
        "newest first"
    );
    assert!(
        first[5]
            .to_text()
            .starts_with("Added the consent channel =HYPERLINK"),
        "a label that looks like a formula is text: {:?}",
        first[5]
    );
    let after = t.store.audit_entries(&admin, &query(1)).unwrap();
    assert_eq!(
        after.entries[0].action, "audit.export",
        "the export is audited"
    );
    assert_eq!(
        after.entries[0].summary, "Exported 2 audit entries",
        "with its count"
    );
}
