//! `pdesk delete` and `pdesk audit verify` as scripts use them: exit codes, output, and the
//! same rules as the app (reason, limit, permission, audit).

use std::path::{Path, PathBuf};

use pdesk_core::model::{ConsentInput, ProfileInput};

struct Fixture {
    db: PathBuf,
    _dir: tempfile::TempDir,
}

/// A store with `n` profiles (ids 1..=n) and a Sales user `sam`.
fn fixture(n: usize) -> Fixture {
    let mut t = pdesk_testkit::temp_store();
    for i in 0..n {
        let input = ProfileInput::default().with("full_name", &format!("Khách hàng {i}"));
        t.store
            .create_profile(&t.admin, &input, &ConsentInput::default())
            .expect("create");
    }
    t.sales();
    let (dir, db) = t.close();
    Fixture { db, _dir: dir }
}

use crate::{pdesk, text};

fn remaining(db: &Path) -> u32 {
    pdesk_testkit::profile_count(db)
}

#[test]
fn delete_prints_the_count_or_the_result_as_json() {
    let f = fixture(3);
    let out = pdesk(&f.db, &["delete", "1", "2", "--reason", "Duplicates"]);
    assert_eq!(out.status.code(), Some(0), "success: {}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim(),
        "Deleted 2 profiles",
        "the count, in words"
    );
    let out = pdesk(&f.db, &["--json", "delete", "3", "--reason", "Asked to"]);
    assert_eq!(out.status.code(), Some(0), "success: {}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(json["deleted"], 1, "the DeleteResult: {json}");
    assert_eq!(
        json["auditEntries"].as_array().map(Vec::len),
        Some(1),
        "one audit entry: {json}"
    );
    assert_eq!(remaining(&f.db), 0, "all three are gone");
}

#[test]
fn delete_needs_a_reason_on_the_command_line_and_in_the_core() {
    let f = fixture(1);
    let out = pdesk(&f.db, &["delete", "1"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a missing --reason is a usage error"
    );
    let out = pdesk(&f.db, &["delete", "1", "--reason", "   "]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a blank reason is refused by a rule"
    );
    assert!(
        text(&out.stderr).contains("reason"),
        "the message names the reason: {}",
        text(&out.stderr)
    );
    assert_eq!(remaining(&f.db), 1, "nothing deleted");
}

#[test]
fn delete_applies_the_limit_and_the_permission() {
    let f = fixture(2);
    let many: Vec<String> = (1..=101).map(|i| i.to_string()).collect();
    let mut args = vec!["delete"];
    args.extend(many.iter().map(String::as_str));
    args.extend(["--reason", "Cleanup"]);
    let out = pdesk(&f.db, &args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "over the limit is refused by a rule"
    );
    assert!(
        text(&out.stderr)
            .contains("You selected 101 profiles; at most 100 profiles can be deleted at once"),
        "the message names the count and the limit: {}",
        text(&out.stderr)
    );
    let out = pdesk(
        &f.db,
        &["--user", "sam", "delete", "1", "--reason", "Cleanup"],
    );
    assert_eq!(out.status.code(), Some(1), "Sales may not delete");
    assert!(
        text(&out.stderr).contains("You do not have permission to delete profiles"),
        "the permission message: {}",
        text(&out.stderr)
    );
    assert_eq!(remaining(&f.db), 2, "nothing deleted");
}

#[test]
fn audit_verify_reports_the_chain_and_fails_when_it_is_broken() {
    let f = fixture(2);
    let out = pdesk(&f.db, &["delete", "1", "--reason", "Duplicate"]);
    assert_eq!(out.status.code(), Some(0), "delete: {}", text(&out.stderr));
    let out = pdesk(&f.db, &["audit", "verify"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "an intact chain: {}",
        text(&out.stderr)
    );
    assert_eq!(
        text(&out.stdout).lines().next(),
        Some("Audit log verified, 4 entries"),
        "the two profile.create entries, the user.add entry and the delete entry"
    );
    assert!(
        text(&out.stdout).contains("No backup manifest since the last restore"),
        "it says what the log's end was compared with: {}",
        text(&out.stdout)
    );
    let out = pdesk(&f.db, &["--user", "sam", "audit", "verify"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "Sales may not read the audit log"
    );

    let conn = rusqlite::Connection::open(&f.db).expect("open");
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET details = '{\"reason\":\"edited\"}' WHERE action = 'profile.delete';",
    )
    .expect("tamper behind the triggers");
    let out = pdesk(&f.db, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "a broken chain exits 1");
    assert!(
        text(&out.stderr).contains("entry 4 does not match the chain"),
        "the message names the broken entry: {}",
        text(&out.stderr)
    );
    let out = pdesk(&f.db, &["--json", "audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "also with --json");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["firstBroken"], 4, "the verification as JSON: {json}");
}

#[test]
fn audit_verify_catches_entries_cut_from_the_end_through_the_backup_manifest() {
    let f = fixture(2);
    let out = pdesk(&f.db, &["delete", "1", "--reason", "Duplicate"]);
    assert_eq!(out.status.code(), Some(0), "delete: {}", text(&out.stderr));
    let out = pdesk(&f.db, &["backup"]);
    assert_eq!(out.status.code(), Some(0), "backup: {}", text(&out.stderr));
    let out = pdesk(&f.db, &["delete", "2", "--reason", "Asked to be forgotten"]);
    assert_eq!(out.status.code(), Some(0), "delete: {}", text(&out.stderr));
    // Someone hides the backup's entry and the second delete: what is left is a valid chain.
    let conn = rusqlite::Connection::open(&f.db).expect("open");
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_delete;
         DELETE FROM audit_log WHERE action IN ('backup.write', 'profile.delete') AND id > 4;",
    )
    .expect("cut behind the triggers");
    let out = pdesk(&f.db, &["audit", "verify"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a cut-off end exits 1: {}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("cut short") && text(&out.stderr).contains("manifest of backup"),
        "the message names the witness: {}",
        text(&out.stderr)
    );
}
