//! Delete with an audited reason (SPEC 5): limits, reason, permission, what is removed and what
//! is kept, the audit entries and their masked labels, search and counts, and crash safety.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use pdesk_core::filter::ListQuery;
use pdesk_core::model::{ConsentInput, ConsentStatus, ProfileInput};
use pdesk_core::{Error, Store};
use rusqlite::Connection;

use crate::{audit_texts, created_id, link_one_of_each, test_store, TestStore};

const REASON: &str = "Customer asked to be forgotten (ticket 42)";

/// Tables holding rows that belong to one profile (all `profile_id … ON DELETE CASCADE`).
const PROFILE_TABLES: [&str; 10] = [
    "profile_phones",
    "profile_emails",
    "profile_tags",
    "profile_custom_values",
    "consent_records",
    "profile_history",
    "profile_accounts",
    "profile_opportunities",
    "profile_tickets",
    "profile_tasks",
];

/// The linked CRM objects, which deleting a profile must keep.
const OBJECT_TABLES: [&str; 4] = ["accounts", "opportunities", "tickets", "tasks"];

fn db(path: &Path) -> Connection {
    Connection::open(path).expect("open the store file directly")
}

fn rows_of(conn: &Connection, table: &str, id: i64) -> i64 {
    conn.query_row(
        &format!("SELECT COUNT(*) FROM {table} WHERE profile_id = ?1"),
        [id],
        |r| r.get(0),
    )
    .expect("count rows")
}

fn count_all(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .expect("count rows")
}

fn link_rows(conn: &Connection) -> i64 {
    PROFILE_TABLES[6..].iter().map(|t| count_all(conn, t)).sum()
}

fn profile_ids(path: &Path) -> BTreeSet<i64> {
    let conn = db(path);
    let mut stmt = conn.prepare("SELECT id FROM profiles").expect("prepare");
    let ids = stmt
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("ids");
    ids
}

/// The profile ids named by `profile.delete` audit entries, in entry order.
fn audited_deletes(path: &Path) -> Vec<i64> {
    let conn = db(path);
    let mut stmt = conn
        .prepare("SELECT target FROM audit_log WHERE action = 'profile.delete' ORDER BY id")
        .expect("prepare");
    let targets: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("targets");
    targets
        .iter()
        .map(|t| {
            t.strip_prefix("profile:")
                .and_then(|id| id.parse().ok())
                .unwrap_or_else(|| panic!("a delete entry targets profile:<id>, got {t}"))
        })
        .collect()
}

fn total(t: &TestStore) -> u32 {
    t.store
        .count_profiles(&t.admin, &ListQuery::default())
        .expect("count")
        .total
}

/// A profile with a row in every dependent table: phone, e-mail, tag, custom value, consent,
/// two history entries (created, edited) and one linked account, opportunity, ticket and task.
fn full_profile(t: &mut TestStore, name: &str, phone: &str, email: &str) -> i64 {
    let input = ProfileInput::default()
        .with("full_name", name)
        .with_list("phones", &[phone])
        .with_list("emails", &[email])
        .with_list("tags", &["VIP"])
        .with("city", "Huế");
    let mut consent = ConsentInput::default();
    consent
        .channels
        .insert("email".into(), ConsentStatus::Granted);
    let id = created_id(
        &t.store
            .create_profile(&t.admin, &input, &consent)
            .expect("create"),
    );
    t.store
        .update_profile(
            &t.admin,
            id,
            &ProfileInput::default().with("city", "Đà Nẵng"),
            &ConsentInput::default(),
        )
        .expect("edit adds a history entry");
    let conn = db(t.store.path());
    conn.execute(
        "INSERT INTO fields(key, label, kind, position) VALUES ('loyalty', 'Loyalty', 'text', 500)
         ON CONFLICT(key) DO NOTHING",
        [],
    )
    .expect("custom field");
    conn.execute(
        "INSERT INTO profile_custom_values(profile_id, field_key, value) VALUES (?1, 'loyalty', '\"gold\"')",
        [id],
    )
    .expect("custom value");
    link_one_of_each(t.store.path(), id);
    id
}

#[test]
fn deleting_one_profile_removes_its_rows_and_keeps_the_linked_objects() {
    let mut t = test_store();
    let gone = full_profile(&mut t, "Nguyễn Văn An", "0912345678", "nguyen@gmail.com");
    let kept = full_profile(&mut t, "Trần Thị Bình", "0987654321", "binh@example.vn");
    let conn = db(t.store.path());
    for table in PROFILE_TABLES {
        assert!(
            rows_of(&conn, table, gone) > 0,
            "the fixture gives the profile rows in {table}"
        );
    }
    let objects_before: Vec<i64> = OBJECT_TABLES.iter().map(|t| count_all(&conn, t)).collect();

    let preview = t.store.delete_preview(&t.admin, &[gone]).expect("preview");
    assert_eq!(
        (
            preview.profiles,
            preview.accounts,
            preview.opportunities,
            preview.tickets,
            preview.tasks
        ),
        (1, 1, 1, 1, 1),
        "the dialog learns one linked object of each kind"
    );
    let result = t
        .store
        .delete_profiles(&t.admin, &[gone], REASON)
        .expect("delete");
    assert_eq!(result.deleted, 1, "one profile deleted");
    assert_eq!(result.audit_entries.len(), 1, "one audit entry per profile");

    let exists: i64 = conn
        .query_row("SELECT COUNT(*) FROM profiles WHERE id = ?1", [gone], |r| {
            r.get(0)
        })
        .expect("count");
    assert_eq!(exists, 0, "no soft delete: the row itself is gone");
    for table in PROFILE_TABLES {
        assert_eq!(
            rows_of(&conn, table, gone),
            0,
            "the deleted profile's rows in {table} are gone"
        );
        assert!(
            rows_of(&conn, table, kept) > 0,
            "the other profile keeps its rows in {table}"
        );
    }
    let objects_after: Vec<i64> = OBJECT_TABLES.iter().map(|t| count_all(&conn, t)).collect();
    assert_eq!(
        objects_after, objects_before,
        "accounts, opportunities, tickets and tasks are kept; only the links go"
    );
    let err = t.store.profile_detail(&t.admin, gone).expect_err("gone");
    assert_eq!(
        err.code(),
        "notFound",
        "the detail of a deleted profile: {err}"
    );
    let again = t
        .store
        .delete_profiles(&t.admin, &[gone], REASON)
        .expect_err("already deleted");
    assert!(
        again.to_string().contains(&format!("#{gone}")),
        "deleting it again names the id: {again}"
    );
}

#[test]
fn up_to_100_profiles_go_in_one_action_and_101_are_refused() {
    let mut t = test_store();
    let admin = t.admin.clone();
    t.store.seed_demo(&admin, 150, 7).expect("seed");
    let path = t.store.path().to_path_buf();
    let ids: Vec<i64> = profile_ids(&path).into_iter().collect();
    let conn = db(&path);
    let objects_before: Vec<i64> = OBJECT_TABLES.iter().map(|t| count_all(&conn, t)).collect();
    assert!(
        objects_before.iter().all(|n| *n > 0),
        "seed_demo links objects to the first profiles: {objects_before:?}"
    );
    let links_before = link_rows(&conn);

    let err = t
        .store
        .delete_profiles(&admin, &ids[..101], REASON)
        .expect_err("101 is over the limit");
    assert_eq!(
        err.to_string(),
        "You selected 101 profiles; at most 100 profiles can be deleted at once",
        "the message names the count and the limit"
    );
    assert_eq!(err.code(), "limit", "refused as a limit");
    let err = t
        .store
        .delete_preview(&admin, &ids[..101])
        .expect_err("the preview applies the same limit");
    assert_eq!(err.code(), "limit", "the dialog shows the same refusal");
    assert_eq!(total(&t), 150, "nothing deleted");
    assert!(audited_deletes(&path).is_empty(), "nothing audited");

    let preview = t
        .store
        .delete_preview(&admin, &ids[..100])
        .expect("preview");
    assert_eq!(preview.profiles, 100, "the preview counts the profiles");
    let result = t
        .store
        .delete_profiles(&admin, &ids[..100], REASON)
        .expect("100 is allowed");
    assert_eq!(result.deleted, 100, "all 100 deleted");
    assert_eq!(result.audit_entries.len(), 100, "one audit entry each");
    assert_eq!(total(&t), 50, "the count follows");
    assert_eq!(
        audited_deletes(&path),
        ids[..100],
        "exactly one audit entry per deleted profile, in selection order"
    );
    for table in PROFILE_TABLES {
        let left: i64 = conn
            .query_row(
                &format!("SELECT COUNT(*) FROM {table} WHERE profile_id <= ?1"),
                [ids[99]],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(left, 0, "no row of a deleted profile is left in {table}");
    }
    let objects_after: Vec<i64> = OBJECT_TABLES.iter().map(|t| count_all(&conn, t)).collect();
    assert_eq!(
        objects_after, objects_before,
        "the linked objects themselves are kept"
    );
    let links_after = link_rows(&conn);
    let expected = preview.accounts + preview.opportunities + preview.tickets + preview.tasks;
    assert!(expected > 0, "the first seeded profiles have links to lose");
    assert_eq!(
        links_before - links_after,
        i64::from(expected),
        "the preview announced exactly the links that were removed (each seeded object has one)"
    );
}

#[test]
fn the_reason_is_required_trimmed_and_at_most_500_characters() {
    let mut t = test_store();
    let id = full_profile(&mut t, "Lê Văn Cường", "0903000111", "cuong@example.vn");
    let admin = t.admin.clone();
    for (reason, code, params) in [
        ("", "required", vec![]),
        ("   \n\t  ", "required", vec![]),
        (
            &"x".repeat(501) as &str,
            "tooLong",
            vec![("given", "501"), ("max", "500")],
        ),
    ] {
        let err = t
            .store
            .delete_profiles(&admin, &[id], reason)
            .expect_err("refused");
        match &err {
            Error::Validation(errors) => assert_eq!(
                (
                    errors[0].field.as_str(),
                    errors[0].code.as_str(),
                    errors[0]
                        .params
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect::<Vec<_>>()
                ),
                ("reason", code, params),
                "the reason field is named with why it was refused, and what the UI words it with"
            ),
            other => panic!("a validation error was expected, got {other}"),
        }
        assert_eq!(total(&t), 1, "nothing deleted after a refused reason");
    }
    let reason = format!("  {}  ", "y".repeat(500));
    t.store
        .delete_profiles(&admin, &[id], &reason)
        .expect("500 characters (after trimming) are allowed");
    let details: String = db(t.store.path())
        .query_row(
            "SELECT details FROM audit_log WHERE action = 'profile.delete'",
            [],
            |r| r.get(0),
        )
        .expect("entry");
    let details: serde_json::Value = serde_json::from_str(&details).expect("json");
    assert_eq!(
        details["reason"],
        "y".repeat(500),
        "the reason is stored trimmed"
    );
}

#[test]
fn audit_entries_keep_the_id_a_masked_label_and_no_personal_data() {
    let mut t = test_store();
    let name = "Nguyễn Văn An";
    let phone = "0912345678";
    let email = "nguyen@gmail.com";
    let named = full_profile(&mut t, name, phone, email);
    let phone_only = created_id(&crate::create(&mut t, &[("phones", "0987 111 222")]));
    let admin = t.admin.clone();
    // The user types the person's data into the reason: it must not reach the audit log either.
    let reason = "Nguyễn Văn An gọi 0912 345 678 và gửi mail từ NGUYEN@gmail.com yêu cầu xóa";
    let result = t
        .store
        .delete_profiles(&admin, &[named, phone_only], reason)
        .expect("delete");
    assert_eq!(result.audit_entries.len(), 2, "one entry per profile");

    let conn = db(t.store.path());
    let mut stmt = conn
        .prepare("SELECT id, actor, action, target, details FROM audit_log WHERE action = 'profile.delete' ORDER BY id")
        .expect("prepare");
    let entries: Vec<(i64, String, String, String, String)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("entries");
    assert_eq!(
        entries.iter().map(|e| e.0).collect::<Vec<_>>(),
        result.audit_entries,
        "the result names the entries written"
    );
    let (_, actor, action, target, details) = &entries[0];
    assert_eq!(actor, &admin.name, "who deleted");
    assert_eq!(action, "profile.delete", "the action");
    assert_eq!(target, &format!("profile:{named}"), "which profile, by id");
    let details: serde_json::Value = serde_json::from_str(details).expect("json details");
    assert_eq!(details["profileId"], named, "the id is kept");
    assert_eq!(
        details["label"], "Ng*** V** A*",
        "the masked label: first letters of each word"
    );
    assert_eq!(
        details["removedLinks"],
        serde_json::json!({ "accounts": 1, "opportunities": 1, "tickets": 1, "tasks": 1 }),
        "how many links of each kind were removed"
    );
    assert_eq!(
        details["reason"], "Ng*** V** A* gọi 09******78 và gửi mail từ n***@gmail.com yêu cầu xóa",
        "the person's name, phone and e-mail typed in the reason are masked"
    );
    let second: serde_json::Value = serde_json::from_str(&entries[1].4).expect("json");
    assert_eq!(
        second["label"], "09******22",
        "a profile without a name is labelled by its masked phone"
    );
    assert_eq!(
        second["removedLinks"],
        serde_json::json!({ "accounts": 0, "opportunities": 0, "tickets": 0, "tasks": 0 }),
        "no links, zero of each"
    );

    let forbidden = [
        name,
        "nguyen van an",
        "Nguyen Van An",
        phone,
        "0912 345 678",
        "+84912345678",
        "84912345678",
        "912345678",
        email,
        "0987 111 222",
        "0987111222",
        "+84987111222",
        "987111222",
    ];
    for text in audit_texts(t.store.path()) {
        for bad in forbidden {
            assert!(
                !text.to_lowercase().contains(&bad.to_lowercase()),
                "the audit log must not hold “{bad}”: found in {text}"
            );
        }
    }
}

#[test]
fn the_audit_chain_still_verifies_after_deletes() {
    let mut t = test_store();
    let admin = t.admin.clone();
    t.store.seed_demo(&admin, 20, 3).expect("seed");
    let ids: Vec<i64> = profile_ids(t.store.path()).into_iter().collect();
    t.store
        .set_field_mandatory(&admin, "city", true)
        .expect("a settings change");
    t.store
        .delete_profiles(&admin, &ids[..5], REASON)
        .expect("delete 5");
    t.sales();
    t.store
        .delete_profiles(&admin, &ids[5..6], "Duplicate")
        .expect("delete 1");
    let v = t.store.verify_audit(&admin).expect("verify");
    assert_eq!(v.first_broken, None, "the chain verifies: {}", v.message);
    assert_eq!(v.entries, 8, "2 settings entries and 6 delete entries");
}

#[test]
fn a_deleted_profile_leaves_search_and_counts() {
    let mut t = test_store();
    let gone = full_profile(&mut t, "Đặng Thị Bình", "0987654321", "binh@example.vn");
    full_profile(&mut t, "Đặng Văn Cường", "0912000111", "cuong@example.vn");
    let admin = t.admin.clone();
    let dang = ListQuery {
        search: "dang".into(),
        ..ListQuery::default()
    };
    // Build the cached position indexes first: deleting must invalidate them.
    assert_eq!(
        t.store
            .count_profiles(&admin, &dang)
            .expect("count")
            .filtered,
        2,
        "both found before"
    );
    t.store
        .list_page(&admin, &dang, 1, 10, &[])
        .expect("a deeper page builds the position index");
    t.store
        .delete_profiles(&admin, &[gone], REASON)
        .expect("delete");
    let counts = t.store.count_profiles(&admin, &dang).expect("count");
    assert_eq!(
        (counts.total, counts.filtered),
        (1, 1),
        "total and filtered counts follow the delete"
    );
    let page = t
        .store
        .list_page(&admin, &dang, 0, 10, &["full_name".into()])
        .expect("page");
    assert!(
        page.rows.iter().all(|r| r.id != gone),
        "the deleted profile is not listed"
    );
    for search in [
        "binh",
        "Đặng Thị Bình",
        "0987654321",
        "+84 987 654 321",
        "binh@example",
    ] {
        let q = ListQuery {
            search: search.into(),
            ..ListQuery::default()
        };
        assert_eq!(
            t.store.count_profiles(&admin, &q).expect("count").filtered,
            0,
            "searching “{search}” no longer finds the deleted profile"
        );
    }
    let fts: i64 = db(t.store.path())
        .query_row(
            "SELECT COUNT(*) FROM profile_search WHERE profile_search MATCH 'binh'",
            [],
            |r| r.get(0),
        )
        .expect("fts");
    assert_eq!(fts, 0, "the search index row is gone (trigger)");
}

#[test]
fn sales_and_viewers_are_refused_and_nothing_is_deleted() {
    let mut t = test_store();
    let id = full_profile(&mut t, "Phạm Minh Đức", "0909123456", "duc@example.vn");
    let admin = t.admin.clone();
    for (user, role) in [("sam", "Sales"), ("vera", "Viewer")] {
        let actor = t.store.add_user(&admin, user, role).expect("user");
        let err = t
            .store
            .delete_profiles(&actor, &[id], REASON)
            .expect_err("refused");
        assert!(
            matches!(
                err,
                Error::Permission {
                    permission: "profile.delete",
                    ..
                }
            ),
            "{role}: the missing permission is named: {err}"
        );
        assert!(
            err.to_string()
                .starts_with("You do not have permission to delete profiles"),
            "{role}: the message is for users: {err}"
        );
        let err = t
            .store
            .delete_preview(&actor, &[id])
            .expect_err("preview refused");
        assert_eq!(
            err.code(),
            "permission",
            "{role}: the preview is refused too"
        );
    }
    assert_eq!(total(&t), 1, "nothing deleted");
    assert!(
        audited_deletes(t.store.path()).is_empty(),
        "no delete entry was written"
    );
}

#[test]
fn unknown_ids_are_named_and_nothing_is_deleted() {
    let mut t = test_store();
    let id = full_profile(&mut t, "Võ Thị Hoa", "0938111222", "hoa@example.vn");
    let admin = t.admin.clone();
    let err = t
        .store
        .delete_profiles(&admin, &[id, 999_999], REASON)
        .expect_err("unknown id");
    assert_eq!(err.code(), "notFound", "an unknown id is not found: {err}");
    assert!(
        err.to_string().contains("#999999"),
        "the message names the id: {err}"
    );
    assert_eq!(total(&t), 1, "all or nothing: the known profile stays");
    let err = t
        .store
        .delete_preview(&admin, &[999_998])
        .expect_err("unknown id");
    assert!(
        err.to_string().contains("#999998"),
        "the preview names it too: {err}"
    );
}

// ---- crash safety -----------------------------------------------------------------------

/// Set (to the store path) in the child process that deletes in a loop.
const WORKER_ENV: &str = "PDESK_DELETE_CRASH_WORKER_DB";

/// The child of [`deletes_survive_being_killed_at_random_moments`]: this same test binary,
/// run with only this test selected and `WORKER_ENV` set. Without the variable it does nothing.
#[test]
fn crash_worker() {
    let Ok(path) = std::env::var(WORKER_ENV) else {
        return;
    };
    let mut store = Store::open(&path).expect("the worker opens the store");
    let admin = store.actor(None).expect("admin");
    println!("READY");
    let mut round = 0usize;
    loop {
        let batch = 1 + round % 7;
        let page = store
            .list_page(&admin, &ListQuery::default(), 0, batch as u32, &[])
            .expect("the newest profiles");
        let ids: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
        if ids.is_empty() {
            return;
        }
        store
            .delete_profiles(&admin, &ids, &format!("crash test round {round}"))
            .expect("delete");
        round += 1;
    }
}

/// After a kill: every profile that is gone has exactly one `profile.delete` entry and every
/// entry's profile is gone; the chain verifies; the file is intact with no orphan rows.
fn check_after_kill(path: &Path, initial: &BTreeSet<i64>, iteration: usize) -> usize {
    let store = Store::open(path).expect("the store opens after a kill");
    let admin = store.actor(None).expect("admin");
    let present = profile_ids(path);
    let gone: BTreeSet<i64> = initial.difference(&present).copied().collect();
    let audited = audited_deletes(path);
    let audited_set: BTreeSet<i64> = audited.iter().copied().collect();
    assert_eq!(
        audited.len(),
        audited_set.len(),
        "kill {iteration}: no profile has two delete entries"
    );
    assert_eq!(
        audited_set, gone,
        "kill {iteration}: deleted ⇔ audited (no deletion without its entry, no entry without its deletion)"
    );
    let v = store.verify_audit(&admin).expect("verify");
    assert_eq!(
        v.first_broken, None,
        "kill {iteration}: the chain verifies: {}",
        v.message
    );
    let conn = db(path);
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(integrity, "ok", "kill {iteration}: the file is intact");
    for table in PROFILE_TABLES {
        let orphans: i64 = conn
            .query_row(
                &format!(
                    "SELECT COUNT(*) FROM {table} WHERE profile_id NOT IN (SELECT id FROM profiles)"
                ),
                [],
                |r| r.get(0),
            )
            .expect("orphans");
        assert_eq!(orphans, 0, "kill {iteration}: no orphan rows in {table}");
    }
    gone.len()
}

#[test]
fn deletes_survive_being_killed_at_random_moments() {
    let mut t = test_store();
    let admin = t.admin.clone();
    t.store.seed_demo(&admin, 4_000, 11).expect("seed");
    let path = t.store.path().to_path_buf();
    let initial = profile_ids(&path);
    let exe = std::env::current_exe().expect("the test binary");
    let mut killed_while_running = 0;
    let mut deleted = 0;
    for iteration in 0..10 {
        let mut child = Command::new(&exe)
            .args([
                "delete::crash_worker",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(WORKER_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the worker");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        loop {
            line.clear();
            let n = out.read_line(&mut line).expect("read the worker's output");
            assert!(
                n > 0,
                "kill {iteration}: the worker ended before it was ready"
            );
            if line.contains("READY") {
                break;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(rand::random_range(1..60)));
        // On Unix, `kill` sends SIGKILL: no destructor, no rollback, no flush runs.
        child.kill().expect("kill the worker");
        let status = child.wait().expect("reap the worker");
        if !status.success() {
            killed_while_running += 1;
        }
        deleted = check_after_kill(&path, &initial, iteration);
    }
    assert!(
        killed_while_running >= 5,
        "most kills hit a worker in the middle of its loop ({killed_while_running} of 10)"
    );
    assert!(
        deleted > 0 && deleted < initial.len(),
        "the workers deleted some profiles, not all ({deleted} of {})",
        initial.len()
    );
}
