//! Edit safety (issue 15 items 3 and 11): an edit opened on an old version never overwrites a
//! field someone changed since (`editConflict` with both values, nothing saved) but keeps the
//! changes it does not touch; creates and edits are audited with masked labels; a deleted
//! profile leaves nothing readable in the import records and merge reviews.

use std::sync::Arc;

use pdesk_core::clock::FakeClock;
use pdesk_core::jobs::KeptWhy;
use pdesk_core::model::{ConsentInput, EditBase, ProfileInput};
use pdesk_core::profiles::review::{ReviewQuery, ReviewStatus};
use pdesk_core::profiles::EditDecision;
use pdesk_core::Error;
use rusqlite::Connection;

use crate::{audit_texts, create, created_id, test_store_on, TestStore};

const SECOND: time::Duration = time::Duration::seconds(1);

fn store() -> (TestStore, Arc<FakeClock>) {
    let clock = Arc::new(FakeClock::default());
    (test_store_on(clock.clone()), clock)
}

/// Pastes `text` (name, phone, e-mail, city by position), runs the job, returns its id.
fn paste(t: &mut TestStore, text: &str) -> i64 {
    let settings = crate::paste_settings(&t.store, text);
    crate::run_paste(t, text, &settings)
}

fn city(t: &TestStore, id: i64) -> String {
    let d = t.store.profile_detail(&t.admin, id).unwrap();
    d.profile.values.get("city").cloned().unwrap_or_default()
}

/// What the form was opened on: the detail's version and the texts of `fields`.
fn base_of(t: &TestStore, id: i64, fields: &[&str]) -> EditBase {
    let d = t.store.profile_detail(&t.admin, id).unwrap();
    EditBase {
        version: d.version,
        values: fields
            .iter()
            .map(|f| {
                (
                    f.to_string(),
                    d.profile.values.get(*f).cloned().unwrap_or_default(),
                )
            })
            .collect(),
    }
}

fn edit_on(
    t: &mut TestStore,
    id: i64,
    input: &ProfileInput,
    base: &EditBase,
) -> pdesk_core::Result<pdesk_core::model::ProfileDetail> {
    let admin = t.admin.clone();
    t.store.update_profile_on(
        &admin,
        id,
        input,
        &ConsentInput::default(),
        EditDecision::Ask,
        Some(base),
    )
}

#[test]
fn an_edit_of_a_field_an_import_changed_meanwhile_is_refused_with_both_values() {
    let (mut t, clock) = store();
    let id = created_id(&create(
        &mut t,
        &[
            ("full_name", "Lan"),
            ("phones", "0911000001"),
            ("city", "Huế"),
        ],
    ));
    // The person opens the form on this version ...
    let opened = base_of(&t, id, &["city"]);
    clock.advance(SECOND);
    // ... an import changes the city meanwhile ...
    paste(&mut t, "Lan\t0911000001\t\tĐà Nẵng\n");
    assert_eq!(city(&t, id), "Đà Nẵng", "the import updated the city");
    let history = t.store.profile_detail(&t.admin, id).unwrap().history.len();
    clock.advance(SECOND);
    // ... and saves their own city on the old version.
    let mine = ProfileInput::default().with("city", "Hà Nội");
    let err = edit_on(&mut t, id, &mine, &opened).expect_err("a lost update");
    assert_eq!(err.code(), "editConflict");
    let Error::EditConflict(c) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(c.conflicts.len(), 1, "{c:?}");
    let f = &c.conflicts[0];
    assert_eq!(
        (
            f.field.as_str(),
            f.label.as_str(),
            f.yours.as_str(),
            f.theirs.as_str(),
            f.base.as_str()
        ),
        ("city", "City", "Hà Nội", "Đà Nẵng", "Huế"),
        "the conflict names the field with both values and the one opened on"
    );
    assert!(
        err.to_string()
            .contains("City — yours: Hà Nội, now: Đà Nẵng"),
        "{err}"
    );
    let details = err.details();
    assert_eq!(details["conflicts"][0]["theirs"], "Đà Nẵng", "{details}");
    assert_eq!(city(&t, id), "Đà Nẵng", "nothing was saved");
    assert_eq!(
        t.store.profile_detail(&t.admin, id).unwrap().history.len(),
        history,
        "no history entry for the refused edit"
    );
    // "Use mine": sent again on the version and value the conflict reported.
    let again = EditBase {
        version: c.version.clone(),
        values: [("city".to_string(), f.theirs.clone())].into(),
    };
    edit_on(&mut t, id, &mine, &again).expect("saved on the current version");
    assert_eq!(city(&t, id), "Hà Nội");
}

#[test]
fn an_edit_of_fields_nobody_changed_keeps_the_change_made_meanwhile() {
    let (mut t, clock) = store();
    let id = created_id(&create(
        &mut t,
        &[
            ("full_name", "Minh"),
            ("phones", "0911000002"),
            ("city", "Huế"),
        ],
    ));
    let opened = base_of(&t, id, &["job_title"]);
    clock.advance(SECOND);
    // A second edit (another window, pdesk) changes the city meanwhile.
    let admin = t.admin.clone();
    t.store
        .update_profile(
            &admin,
            id,
            &ProfileInput::default().with("city", "Đà Nẵng"),
            &ConsentInput::default(),
        )
        .unwrap();
    clock.advance(SECOND);
    let saved = edit_on(
        &mut t,
        id,
        &ProfileInput::default().with("job_title", "Kế toán"),
        &opened,
    )
    .expect("only an untouched field changed meanwhile");
    assert_eq!(saved.profile.values["job_title"], "Kế toán");
    assert_eq!(
        saved.profile.values["city"], "Đà Nẵng",
        "the change made meanwhile is kept"
    );
    // The same change made by both is no conflict either.
    let stale = base_of(&t, id, &["city"]);
    clock.advance(SECOND);
    t.store
        .update_profile(
            &admin,
            id,
            &ProfileInput::default().with("city", "Hà Nội"),
            &ConsentInput::default(),
        )
        .unwrap();
    edit_on(
        &mut t,
        id,
        &ProfileInput::default().with("city", "Hà Nội"),
        &stale,
    )
    .expect("both typed the same city");
}

#[test]
fn creates_and_edits_are_audited_with_masked_labels_and_field_names_only() {
    let (mut t, clock) = store();
    let id = created_id(&create(
        &mut t,
        &[
            ("full_name", "Nguyễn Thị Lan"),
            ("phones", "0911222333"),
            ("city", "Huế"),
        ],
    ));
    clock.advance(SECOND);
    let admin = t.admin.clone();
    t.store
        .update_profile(
            &admin,
            id,
            &ProfileInput::default().with("city", "Quảng Trị"),
            &ConsentInput::default(),
        )
        .unwrap();
    let conn = Connection::open(t.store.path()).unwrap();
    let entries: Vec<(String, String, String)> = conn
        .prepare("SELECT action, target, details FROM audit_log WHERE action LIKE 'profile.%' ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let actions: Vec<&str> = entries.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(actions, ["profile.create", "profile.edit"], "{entries:?}");
    let create: serde_json::Value = serde_json::from_str(&entries[0].2).unwrap();
    assert_eq!(create["profileId"], id);
    assert_eq!(
        create["fields"],
        serde_json::json!(["city", "full_name", "phones"])
    );
    let edit: serde_json::Value = serde_json::from_str(&entries[1].2).unwrap();
    assert_eq!(edit["fields"], serde_json::json!(["city"]), "names only");
    assert_ne!(edit["label"], "", "a masked label");
    for text in audit_texts(t.store.path()) {
        for secret in [
            "Nguyễn Thị Lan",
            "Lan",
            "0911222333",
            "911222333",
            "Huế",
            "Quảng Trị",
        ] {
            assert!(
                !text.contains(secret),
                "the audit log holds {secret:?}: {text}"
            );
        }
    }
}

/// Every text of every column of `table` (rows matching `filter`).
fn texts_of(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    let columns = stmt.column_count();
    let mut rows = stmt.query([]).unwrap();
    let mut out = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        for i in 0..columns {
            if let rusqlite::types::Value::Text(s) =
                row.get::<_, rusqlite::types::Value>(i).unwrap()
            {
                out.push(s);
            }
        }
    }
    out
}

#[test]
fn a_deleted_profile_leaves_nothing_in_import_rows_reviews_or_pasted_text() {
    let (mut t, clock) = store();
    // Another customer, so that a row can match two profiles and leave a review.
    let other = created_id(&create(
        &mut t,
        &[("full_name", "Phạm Thu"), ("emails", "thu@example.vn")],
    ));
    clock.advance(SECOND);
    let first = paste(
        &mut t,
        "Trần Văn Bảo\t0912000002\tbao@example.vn\tHuế\nLê Hoa\t0912000003\t\tVinh\n",
    );
    clock.advance(SECOND);
    // Updates Bảo (the row keeps Bảo as he was, for undo) and leaves a review naming him.
    let second = paste(
        &mut t,
        "Trần Văn Bảo\t0912000002\t\tĐà Nẵng\nTrần Văn Bảo\t0912 000 002\tthu@example.vn\t\n",
    );
    let conn = Connection::open(t.store.path()).unwrap();
    let bao: i64 = conn
        .query_row(
            "SELECT profile_id FROM profile_phones WHERE e164 = '+84912000002'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let reviews: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM merge_reviews WHERE status = 'open'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reviews, 1, "the row matching Bảo and Thu left a review");
    let secrets = [
        "Trần Văn Bảo",
        "0912000002",
        "0912 000 002",
        "912000002",
        "bao@example.vn",
    ];
    let scan = |conn: &Connection| -> Vec<String> {
        let mut texts = texts_of(conn, "SELECT * FROM import_job_rows");
        texts.extend(texts_of(conn, "SELECT * FROM merge_reviews"));
        texts.extend(texts_of(
            conn,
            "SELECT paste_text, settings FROM import_jobs",
        ));
        texts
            .into_iter()
            .filter(|t| secrets.iter().any(|s| t.contains(s)))
            .collect()
    };
    assert!(
        !scan(&conn).is_empty(),
        "before the delete the records hold Bảo's data (the test sees it)"
    );
    clock.advance(SECOND);
    let admin = t.admin.clone();
    t.store
        .delete_profiles(&admin, &[bao], "asked to be forgotten")
        .unwrap();
    let left = scan(&conn);
    assert!(left.is_empty(), "still readable after the delete: {left:?}");
    let paste_text: String = conn
        .query_row(
            "SELECT paste_text FROM import_jobs WHERE id = ?1",
            [first],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        paste_text.contains("Lê Hoa\t0912000003"),
        "the other lines stay: {paste_text}"
    );
    // The review still offers Thu, and undo still works on both jobs.
    let query = ReviewQuery {
        status: ReviewStatus::Open,
        job_id: None,
    };
    let list = t.store.merge_reviews(&admin, &query).unwrap();
    assert_eq!(list.items.len(), 1);
    assert!(
        list.items[0]
            .candidates
            .iter()
            .any(|c| c.profile_id == other),
        "{list:?}"
    );
    t.store
        .merge_review(&admin, list.items[0].id)
        .expect("the review still opens");
    clock.advance(SECOND);
    let undone = t
        .store
        .undo_job(&admin, second)
        .expect("undo after a delete");
    assert!(
        undone
            .kept
            .iter()
            .any(|k| k.profile_id == bao && k.why == KeptWhy::Deleted),
        "{undone:?}"
    );
    let undone = t
        .store
        .undo_job(&admin, first)
        .expect("undo after a delete");
    assert_eq!(undone.removed, 1, "Lê Hoa is removed: {undone:?}");
}

#[test]
fn a_deleted_profile_leaves_nothing_in_failed_rows_or_shared_values_but_strangers_keep_theirs() {
    let (mut t, clock) = store();
    // Bảo's phone is a number four different names share (not used for matching, listed in the
    // job's report), and two rows fail on their e-mail: one is Bảo, one is Lan on his number.
    let job = paste(
        &mut t,
        "Trần Văn Bảo\t0912000002\tbao@example.vn\tHuế\n\
         Ngô Lan\t0912000002\tlan@example.vn\tVinh\n\
         Đỗ Minh\t0912000002\tminh@example.vn\tVinh\n\
         Vũ Hà\t0912000002\tha@example.vn\tVinh\n\
         Trần Văn Bảo\t0912 000 002\tbao@@bad\tHuế\n\
         Ngô Lan\t0912000002\tlan@@bad\tVinh\n",
    );
    let conn = Connection::open(t.store.path()).unwrap();
    let failed = |conn: &Connection| -> Vec<Option<String>> {
        conn.prepare(
            "SELECT original || reason FROM import_job_rows
              WHERE job_id = ?1 AND outcome = 'failed' ORDER BY row_number",
        )
        .unwrap()
        .query_map([job], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let shared = |conn: &Connection| -> String {
        conn.query_row(
            "SELECT shared_keys FROM import_jobs WHERE id = ?1",
            [job],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(failed(&conn).len(), 2, "two rows failed on their e-mail");
    assert!(
        failed(&conn)[0]
            .as_deref()
            .unwrap()
            .contains("Trần Văn Bảo"),
        "before the delete Bảo's failed row holds his cells (the test sees it)"
    );
    assert!(
        shared(&conn).contains("+84912000002"),
        "before the delete the report lists his number as shared: {}",
        shared(&conn)
    );
    let bao: i64 = conn
        .query_row(
            "SELECT profile_id FROM profile_emails WHERE email_key = 'bao@example.vn'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    clock.advance(SECOND);
    let admin = t.admin.clone();
    t.store
        .delete_profiles(&admin, &[bao], "asked to be forgotten")
        .unwrap();
    let rows = failed(&conn);
    assert_eq!(rows[0], None, "Bảo's failed row lost its cells: {rows:?}");
    assert!(
        rows[1].as_deref().is_some_and(|c| c.contains("Ngô Lan")),
        "Lan's failed row (on the same switchboard number) stays for her fix-up file: {rows:?}"
    );
    let list = shared(&conn);
    assert!(
        !list.contains("0912000002") && !list.contains("912000002"),
        "the shared value is masked: {list}"
    );
    let job = t.store.job(&admin, job).unwrap();
    assert_eq!(
        job.shared_keys.len(),
        1,
        "the report still says one value was shared: {job:?}"
    );
}
