//! Undo import (SPEC 4.1, issue 15): undo compares every profile with what the import left and
//! never reverts a later change — an edit, a merge, a consent, a delete — but lists the
//! profile it kept; consent the import recorded is undone by new records.

use std::sync::Arc;

use pdesk_core::clock::FakeClock;
use pdesk_core::filter::ListQuery;
use pdesk_core::jobs::{ImportSettings, JobStatus, KeptWhy, UndoResult};
use pdesk_core::model::{ConsentInput, ConsentStatus, ProfileInput, SaveOutcome};
use pdesk_core::profiles::review::ReviewDecision;
use rusqlite::Connection;

use crate::{audit_texts, create, created_id, test_store_on, TestStore};

const SECOND: time::Duration = time::Duration::seconds(1);

/// A store on a fake clock (moved a second between steps, never slept).
fn store() -> (TestStore, Arc<FakeClock>) {
    let clock = Arc::new(FakeClock::default());
    (test_store_on(clock.clone()), clock)
}

fn consent(channel: &str, status: ConsentStatus) -> ConsentInput {
    let mut c = ConsentInput::default();
    c.channels.insert(channel.into(), status);
    c
}

/// Pastes `text` (name, phone, e-mail, city by position) with `consent`, runs the job to the
/// end and returns its id.
fn paste(t: &mut TestStore, text: &str, consent: ConsentInput) -> i64 {
    let settings = ImportSettings {
        consent,
        ..crate::paste_settings(&t.store, text)
    };
    crate::run_paste(t, text, &settings)
}

/// The profiles the job's rows touched, in row order, with each row's outcome.
fn job_profiles(t: &TestStore, job: i64) -> Vec<(i64, String)> {
    Connection::open(t.store.path())
        .unwrap()
        .prepare(
            "SELECT profile_id, outcome FROM import_job_rows
              WHERE job_id = ?1 AND profile_id IS NOT NULL ORDER BY row_number",
        )
        .unwrap()
        .query_map([job], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn total(t: &TestStore) -> u32 {
    t.store
        .count_profiles(&t.admin, &ListQuery::default())
        .unwrap()
        .total
}

fn exists(t: &TestStore, id: i64) -> bool {
    t.store.profile_detail(&t.admin, id).is_ok()
}

fn value(t: &TestStore, id: i64, field: &str) -> String {
    let detail = t.store.profile_detail(&t.admin, id).unwrap();
    if field == "full_name" {
        return detail.profile.label;
    }
    detail
        .profile
        .values
        .get(field)
        .cloned()
        .unwrap_or_default()
}

/// Edits one field of profile `id` by hand.
fn edit(t: &mut TestStore, id: i64, field: &str, to: &str) {
    let admin = t.admin.clone();
    t.store
        .update_profile(
            &admin,
            id,
            &ProfileInput::default().with(field, to),
            &ConsentInput::default(),
        )
        .expect("edited");
}

fn undo(t: &mut TestStore, job: i64) -> UndoResult {
    let admin = t.admin.clone();
    t.store.undo_job(&admin, job).expect("undone")
}

fn kept(result: &UndoResult) -> Vec<(i64, KeptWhy)> {
    result.kept.iter().map(|k| (k.profile_id, k.why)).collect()
}

fn consent_records(t: &TestStore, id: i64) -> i64 {
    Connection::open(t.store.path())
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM consent_records WHERE profile_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_created_profile_edited_later_is_kept_and_listed_the_others_removed() {
    let (mut t, clock) = store();
    let job = paste(
        &mut t,
        "Anh Một\t0911000001\t\t\nChị Hai\t0911000002\t\t\nBác Ba\t0911000003\t\t\n",
        ConsentInput::default(),
    );
    let created: Vec<i64> = job_profiles(&t, job).iter().map(|(id, _)| *id).collect();
    assert_eq!(created.len(), 3);
    clock.advance(SECOND);
    edit(&mut t, created[1], "city", "Đà Nẵng");
    clock.advance(SECOND);
    let result = undo(&mut t, job);
    assert_eq!(total(&t), 1, "the edited profile stays, the other two go");
    assert!(exists(&t, created[1]), "the edited one is kept");
    assert_eq!(value(&t, created[1], "city"), "Đà Nẵng", "with its edit");
    assert_eq!(
        (result.removed, result.restored),
        (2, 0),
        "two removed: {}",
        result.message
    );
    assert_eq!(kept(&result), vec![(created[1], KeptWhy::Edited)]);
    assert_eq!(result.kept[0].label, "Chị Hai", "named for people");
    assert!(
        result.message.contains(&format!(
            "1 profile changed since the import was kept: Chị Hai (#{}, edited since)",
            created[1]
        )),
        "{}",
        result.message
    );
    assert_eq!(result.job.status, JobStatus::Undone);
    let audit = audit_texts(t.store.path()).join("\n");
    assert!(
        audit.contains(&format!("\"keptIds\":[{}]", created[1])),
        "the audit entry names the kept profile by id: {audit}"
    );
    assert!(
        !audit.contains("Chị Hai"),
        "and never by name (the audit log gets no personal data)"
    );
}

#[test]
fn an_updated_profile_edited_later_keeps_the_later_edit() {
    let (mut t, clock) = store();
    let old = created_id(&create(
        &mut t,
        &[
            ("full_name", "Trần Lan"),
            ("phones", "0911111111"),
            ("city", "Huế"),
        ],
    ));
    let untouched = created_id(&create(
        &mut t,
        &[("full_name", "Lê Minh"), ("phones", "0922222222")],
    ));
    clock.advance(SECOND);
    let job = paste(
        &mut t,
        "Trần Thị Lan\t0911111111\t\tHà Nội\nLê Văn Minh\t0922222222\t\t\n",
        ConsentInput::default(),
    );
    assert_eq!(value(&t, old, "city"), "Hà Nội", "the import updated it");
    clock.advance(SECOND);
    edit(&mut t, old, "company", "Công ty Mới");
    clock.advance(SECOND);
    let result = undo(&mut t, job);
    assert_eq!(
        value(&t, old, "company"),
        "Công ty Mới",
        "the later edit is never reverted"
    );
    assert_eq!(
        (value(&t, old, "full_name"), value(&t, old, "city")),
        ("Trần Thị Lan".to_string(), "Hà Nội".to_string()),
        "the profile is left as it is now, not half-restored"
    );
    assert_eq!(kept(&result), vec![(old, KeptWhy::Edited)]);
    assert_eq!(
        value(&t, untouched, "full_name"),
        "Lê Minh",
        "the profile nobody touched since gets its previous values back"
    );
    assert_eq!((result.removed, result.restored), (0, 1));
}

#[test]
fn a_created_profile_that_became_the_survivor_of_merge_all_keeps_the_customers_merged_into_it() {
    let (mut t, clock) = store();
    let existing = created_id(&create(
        &mut t,
        &[
            ("full_name", "Nguyễn V. An"),
            ("emails", "an.nguyen@example.vn"),
            ("company", "Công ty ABC"),
        ],
    ));
    clock.advance(SECOND);
    let job = paste(
        &mut t,
        "Nguyễn Văn An\t0912345678\t\t\n",
        ConsentInput::default(),
    );
    let survivor = job_profiles(&t, job)[0].0;
    clock.advance(SECOND);
    // Someone types the customer in again with both identifiers: a merge review between the
    // imported profile and the existing one, resolved by merging all into the imported one.
    let admin = t.admin.clone();
    let review = match t
        .store
        .create_profile(
            &admin,
            &ProfileInput::default()
                .with("full_name", "Nguyễn Văn An")
                .with_list("phones", &["0912345678"])
                .with_list("emails", &["an.nguyen@example.vn"]),
            &ConsentInput::default(),
        )
        .unwrap()
    {
        SaveOutcome::Review { review_id, .. } => review_id,
        other => panic!("expected a merge review, got {other:?}"),
    };
    t.store
        .resolve_merge_review(
            &admin,
            review,
            &ReviewDecision::MergeAll {
                survivor,
                picks: vec![],
            },
            None,
        )
        .expect("merge all");
    assert!(!exists(&t, existing), "the existing customer was merged in");
    clock.advance(SECOND);
    let result = undo(&mut t, job);
    assert!(
        exists(&t, survivor),
        "the survivor holds a customer the import never brought: it is kept"
    );
    assert_eq!(
        value(&t, survivor, "company"),
        "Công ty ABC",
        "with what was merged into it"
    );
    assert_eq!(total(&t), 1);
    assert_eq!(kept(&result), vec![(survivor, KeptWhy::Merged)]);
    assert_eq!(result.removed, 0);
}

#[test]
fn a_profile_whose_consent_changed_later_is_kept() {
    let (mut t, clock) = store();
    let old = created_id(&create(
        &mut t,
        &[("full_name", "Phạm Hà"), ("phones", "0911111111")],
    ));
    clock.advance(SECOND);
    let job = paste(
        &mut t,
        "Phạm Thu Hà\t0911111111\t\t\nVũ Mai\t0933333333\t\t\n",
        ConsentInput::default(),
    );
    let created = job_profiles(&t, job)[1].0;
    clock.advance(SECOND);
    let admin = t.admin.clone();
    for id in [old, created] {
        t.store
            .update_profile(
                &admin,
                id,
                &ProfileInput::default(),
                &consent("sms", ConsentStatus::Granted),
            )
            .expect("consent recorded");
    }
    clock.advance(SECOND);
    let result = undo(&mut t, job);
    assert_eq!(
        value(&t, old, "full_name"),
        "Phạm Thu Hà",
        "the updated profile is not reverted"
    );
    assert!(exists(&t, created), "the created one is not removed");
    assert_eq!(
        t.store.profile_detail(&admin, created).unwrap().consent["sms"],
        ConsentStatus::Granted,
        "and its consent stays"
    );
    assert_eq!(
        kept(&result),
        vec![(old, KeptWhy::Consent), (created, KeptWhy::Consent)]
    );
    assert_eq!((result.removed, result.restored), (0, 0));
}

#[test]
fn consent_the_import_recorded_is_undone_by_new_records() {
    let (mut t, clock) = store();
    let admin = t.admin.clone();
    let denied = created_id(
        &t.store
            .create_profile(
                &admin,
                &ProfileInput::default()
                    .with("full_name", "Từ chối")
                    .with_list("phones", &["0911111111"]),
                &consent("email", ConsentStatus::Denied),
            )
            .unwrap(),
    );
    let never = created_id(&create(
        &mut t,
        &[("full_name", "Chưa hỏi"), ("phones", "0922222222")],
    ));
    clock.advance(SECOND);
    let job = paste(
        &mut t,
        "\t0911111111\t\t\n\t0922222222\t\t\n",
        consent("email", ConsentStatus::Granted),
    );
    let consent_of =
        |t: &TestStore, id: i64| t.store.profile_detail(&t.admin, id).unwrap().consent["email"];
    assert_eq!(consent_of(&t, denied), ConsentStatus::Granted, "imported");
    assert_eq!(consent_of(&t, never), ConsentStatus::Granted, "imported");
    let before = (consent_records(&t, denied), consent_records(&t, never));
    assert_eq!(before, (2, 1));
    clock.advance(SECOND);
    let result = undo(&mut t, job);
    assert_eq!(
        consent_of(&t, denied),
        ConsentStatus::Denied,
        "the consent the profile had before the import is back"
    );
    assert_eq!(
        consent_of(&t, never),
        ConsentStatus::Unknown,
        "a profile never asked is unknown again"
    );
    assert_eq!(
        (consent_records(&t, denied), consent_records(&t, never)),
        (3, 2),
        "by new records: the consent history grows, nothing is deleted"
    );
    let detail = t.store.profile_detail(&admin, denied).unwrap();
    assert!(
        detail.consent_history[0]
            .source
            .contains("Undo of import job"),
        "the newest record says where it came from: {:?}",
        detail.consent_history[0]
    );
    assert_eq!(
        detail.consent_history[1].status,
        ConsentStatus::Granted,
        "the import's record is still in the history"
    );
    assert_eq!(
        (result.removed, result.restored, result.kept.len()),
        (0, 2, 0)
    );
}

#[test]
fn a_profile_deleted_after_the_import_is_reported_not_an_error() {
    let (mut t, clock) = store();
    let job = paste(
        &mut t,
        "Anh Một\t0911000001\t\t\nChị Hai\t0911000002\t\t\n",
        ConsentInput::default(),
    );
    let created: Vec<i64> = job_profiles(&t, job).iter().map(|(id, _)| *id).collect();
    clock.advance(SECOND);
    let admin = t.admin.clone();
    t.store
        .delete_profiles(&admin, &[created[0]], "customer asked to be forgotten")
        .unwrap();
    clock.advance(SECOND);
    let result = undo(&mut t, job);
    assert_eq!(total(&t), 0, "the other created profile is removed");
    assert_eq!(result.removed, 1);
    assert_eq!(kept(&result), vec![(created[0], KeptWhy::Deleted)]);
    assert!(
        result
            .message
            .contains(&format!("#{} (deleted", created[0])),
        "{}",
        result.message
    );
}

#[test]
fn an_untouched_import_with_in_file_duplicates_is_undone_completely() {
    let (mut t, clock) = store();
    let old = created_id(&create(
        &mut t,
        &[
            ("full_name", "Trần Lan"),
            ("phones", "0911111111"),
            ("city", "Huế"),
        ],
    ));
    clock.advance(SECOND);
    // Rows 1 and 3 update the same profile; rows 2 and 4 create one and merge into it again.
    let job = paste(
        &mut t,
        "Trần Thị Lan\t0911111111\t\tHà Nội\nĐỗ Nam\t0922222222\tmoi@x.vn\t\nTrần Thị Lan\t0911111111\t\tĐà Nẵng\nĐỗ Văn Nam\t\tmoi@x.vn\tVinh\n",
        consent("email", ConsentStatus::Granted),
    );
    let rows = job_profiles(&t, job);
    assert_eq!(rows.len(), 4);
    assert_eq!(value(&t, old, "city"), "Đà Nẵng", "the last row won");
    clock.advance(SECOND);
    let result = undo(&mut t, job);
    assert_eq!(
        (result.removed, result.restored, result.kept.len()),
        (1, 1, 0),
        "{}",
        result.message
    );
    assert_eq!(total(&t), 1);
    assert_eq!(
        (value(&t, old, "full_name"), value(&t, old, "city")),
        ("Trần Lan".to_string(), "Huế".to_string()),
        "the values from before the first row are back"
    );
    assert_eq!(
        t.store.profile_detail(&t.admin, old).unwrap().consent["email"],
        ConsentStatus::Unknown
    );
    assert_eq!(
        result.message,
        "Undid the import of Pasted data: 1 profile removed, 1 profile restored."
    );
}

/// Jobs run before the undo marks existed (migration 0011) are compared by time.
#[test]
fn a_job_from_before_the_marks_compares_by_time() {
    let (mut t, clock) = store();
    let job = paste(
        &mut t,
        "Anh Một\t0911000001\t\t\nChị Hai\t0911000002\t\t\n",
        ConsentInput::default(),
    );
    let created: Vec<i64> = job_profiles(&t, job).iter().map(|(id, _)| *id).collect();
    Connection::open(t.store.path())
        .unwrap()
        .execute(
            "UPDATE import_job_rows SET history_mark = NULL, consent_mark = NULL, consent_from = NULL",
            [],
        )
        .unwrap();
    clock.advance(SECOND);
    edit(&mut t, created[0], "city", "Huế");
    clock.advance(SECOND);
    let result = undo(&mut t, job);
    assert_eq!(kept(&result), vec![(created[0], KeptWhy::Edited)]);
    assert_eq!(result.removed, 1);
    assert_eq!(total(&t), 1);
}
