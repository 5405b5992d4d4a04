//! The synchronization rule's guards on real-looking files (issue 17): a shop's own list of 200
//! customers — a switchboard number typed for 42 of them, annotated and double phone cells, old
//! 11-digit mobiles, `n/a`, `0000000000`, `noemail@…`, one customer typed twice, a stranger
//! with an existing customer's phone — written by openpyxl and saved again by LibreOffice
//! (`tests/fixtures/make_fixtures.py realistic`).

use std::ops::ControlFlow;

use pdesk_core::filter::ListQuery;
use pdesk_core::jobs::ImportSource;
use pdesk_core::model::{ConsentInput, MatchKey, ProfileInput, ReviewReason, SaveOutcome};
use pdesk_core::profiles::review::{ReviewQuery, ReviewStatus};
use pdesk_core::profiles::{CreateDecision, EditDecision};

use crate::{create, created_id, file_settings, fixture, test_store, TestStore};

const SWITCHBOARD: &str = "+842838221234";

/// A store holding the customer whose phone the file's last row gives a stranger.
fn store_with_lan() -> (TestStore, i64) {
    let mut t = test_store();
    let lan = created_id(&create(
        &mut t,
        &[("full_name", "Trần Thị Lan"), ("phones", "0935 111 222")],
    ));
    (t, lan)
}

fn profiles_with_phone(t: &TestStore, e164: &str) -> u32 {
    let q = ListQuery::search(e164);
    t.store.count_profiles(&t.admin, &q).unwrap().filtered
}

fn realistic_file_goes_through(file: &str) {
    let (mut t, lan) = store_with_lan();
    let path = fixture(file);
    let s = file_settings(&t.store, &path);
    let targets: Vec<Option<&str>> = s.mapping.iter().map(|m| m.target.as_deref()).collect();
    assert!(
        targets.contains(&Some("phones")) && targets.contains(&Some("full_name")),
        "{file}: the Vietnamese headers are mapped: {targets:?}"
    );
    let admin = t.admin.clone();
    let source = ImportSource::File(path);
    let dry = t.store.dry_run(&admin, &source, &s).unwrap();
    let c = &dry.counts;
    assert_eq!(c.rows, 200, "{file}: every row read");
    assert_eq!(
        c.failed, 0,
        "{file}: no row refused: {:?}",
        dry.first_errors
    );
    assert_eq!(
        dry.shared_keys.len(),
        1,
        "{file}: one shared value, the switchboard: {:?}",
        dry.shared_keys
    );
    let shared = &dry.shared_keys[0];
    assert_eq!(
        (
            shared.key,
            shared.normalized.as_str(),
            shared.rows,
            shared.names
        ),
        (MatchKey::Phone, SWITCHBOARD, 42, 42),
        "{file}: the switchboard in 42 rows with 42 names"
    );
    assert_eq!(c.shared_key_rows, 42, "{file}: 42 rows hold it");
    assert_eq!(c.name_differs, 1, "{file}: the stranger with Lan's phone");
    assert_eq!(
        c.blocked_values, 4,
        "{file}: n/a, 0000000000 and two noemail@ dropped"
    );
    assert_eq!(c.duplicates, 1, "{file}: the customer typed twice");
    assert_eq!(c.reviews, 1, "{file}: only the stranger waits for a person");

    let id = t.store.queue_import(&admin, &source, &s).unwrap();
    assert_eq!(
        t.store.job(&admin, id).unwrap().shared_keys,
        dry.shared_keys,
        "{file}: the job takes the keys its dry run found (no second read of the file for them)"
    );
    let job = t
        .store
        .run_job(&admin, id, |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(
        job.counts, dry.counts,
        "{file}: the job did what the dry run said"
    );
    assert_eq!(
        job.shared_keys, dry.shared_keys,
        "{file}: the report keeps the shared values the dry run listed"
    );
    let reviews = t
        .store
        .merge_reviews(
            &admin,
            &ReviewQuery {
                status: ReviewStatus::Open,
                job_id: Some(job.id),
            },
        )
        .unwrap();
    assert_eq!(
        reviews.items.iter().map(|r| r.reason).collect::<Vec<_>>(),
        [ReviewReason::NameDiffers],
        "{file}: the review says why the rule did not merge"
    );
    assert_eq!(
        t.store
            .count_profiles(&admin, &ListQuery::default())
            .unwrap()
            .total,
        1 + 200 - 1 - 1,
        "{file}: Lan, then one profile per row less the duplicate and the review"
    );
    assert_eq!(
        profiles_with_phone(&t, SWITCHBOARD),
        42,
        "{file}: 42 customers keep the switchboard number, none merged into another"
    );
    let lan_now = t.store.profile_detail(&admin, lan).unwrap();
    assert_eq!(
        lan_now.profile.label, "Trần Thị Lan",
        "{file}: Lan is not renamed"
    );
    assert_eq!(
        lan_now.profile.phones.len(),
        1,
        "{file}: nor given the stranger's data"
    );

    // Every profile stays within the identifier limits.
    let page = t
        .store
        .list_page(
            &admin,
            &ListQuery::default(),
            0,
            500,
            &["phones".into(), "emails".into()],
        )
        .unwrap();
    for row in &page.rows {
        let phones = row
            .cells
            .get("phones")
            .map(|p| p.split(", ").count())
            .unwrap_or(0);
        assert!(phones <= 5, "{file}: {row:?} holds {phones} phones");
    }
    // Old numbers are shown as their current ones.
    let converted = page
        .rows
        .iter()
        .filter_map(|r| r.cells.get("phones"))
        .filter(|p| p.split(", ").any(|n| n.len() == 10 && n.starts_with('0')))
        .count();
    assert!(
        converted > 0,
        "{file}: numbers are shown in their national form"
    );
}

#[test]
fn an_openpyxl_customer_list_merges_no_strangers() {
    realistic_file_goes_through("realistic-customers-openpyxl.xlsx");
}

#[test]
fn the_same_list_saved_by_libreoffice_does_the_same() {
    realistic_file_goes_through("realistic-customers-libreoffice.xlsx");
}

#[test]
fn a_rule_changed_after_the_dry_run_has_the_job_find_its_shared_values_again() {
    let (mut t, _) = store_with_lan();
    let path = fixture("realistic-customers-openpyxl.xlsx");
    let s = file_settings(&t.store, &path);
    let admin = t.admin.clone();
    let source = ImportSource::File(path);
    let dry = t.store.dry_run(&admin, &source, &s).unwrap();
    assert_eq!(dry.shared_keys.len(), 1, "the switchboard");
    // An administrator raises the bar above the switchboard's 42 rows before Confirm.
    let mut guards = t.store.sync_settings().unwrap().guards;
    guards.shared_key_rows = 50;
    t.store.set_rule_guards(&admin, &guards).unwrap();
    let id = t.store.queue_import(&admin, &source, &s).unwrap();
    assert!(
        t.store.job(&admin, id).unwrap().shared_keys.is_empty(),
        "the dry run's keys were found under another rule: not taken"
    );
    let job = t
        .store
        .run_job(&admin, id, |_| ControlFlow::Continue(()))
        .unwrap();
    assert!(
        job.shared_keys.is_empty() && job.counts.shared_key_rows == 0,
        "found again under the rule as it now is: 42 rows are no longer too many: {:?}",
        job.shared_keys
    );
}

#[test]
fn the_user_may_use_a_shared_value_anyway() {
    let (mut t, _) = store_with_lan();
    let path = fixture("realistic-customers-openpyxl.xlsx");
    let mut s = file_settings(&t.store, &path);
    s.use_shared_keys = Some(vec![SWITCHBOARD.into()]);
    let admin = t.admin.clone();
    let dry = t
        .store
        .dry_run(&admin, &ImportSource::File(path), &s)
        .unwrap();
    assert_eq!(
        dry.counts.shared_key_rows, 0,
        "the value is used: no row skips it"
    );
    assert!(
        dry.counts.reviews + dry.counts.duplicates > 1,
        "matching on the switchboard ties strangers together (reviews, as their names differ): {:?}",
        dry.counts
    );
}

#[test]
fn old_mobiles_are_stored_as_their_current_numbers_and_the_history_keeps_them() {
    let mut t = test_store();
    let out = create(
        &mut t,
        &[
            ("full_name", "Lý Gia Bảo"),
            ("phones", "0186.5868.199 (Zalo)"),
        ],
    );
    let id = created_id(&out);
    let detail = t.store.profile_detail(&t.admin, id).unwrap();
    let phone = &detail.profile.phones[0];
    assert_eq!(
        (
            phone.raw.as_str(),
            phone.e164.as_str(),
            phone.label.as_deref()
        ),
        ("0565868199", "+84565868199", Some("Zalo")),
        "0186 became 056; the annotation is its label"
    );
    let history = format!("{:?}", detail.history);
    assert!(
        history.contains("0186.5868.199") && history.contains("0565868199"),
        "the number as typed is in the history: {history}"
    );
    let found = t
        .store
        .identifier_owner(
            &t.admin,
            pdesk_core::IdentifierKind::Phone,
            "0565 868 199",
            None,
        )
        .unwrap();
    assert!(found.is_some(), "the current number finds the profile");
}

#[test]
fn a_form_refuses_a_blocked_value_and_names_the_rule() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let err = t
        .store
        .create_profile(
            &admin,
            &ProfileInput::default()
                .with("full_name", "Khách lẻ")
                .with("emails", "test@test.com"),
            &ConsentInput::default(),
        )
        .unwrap_err();
    let text = format!("{err:?}");
    assert!(
        text.contains("blockedValue") && text.contains("Synchronization rule"),
        "{text}"
    );
    let _ = &mut t;
}

#[test]
fn a_stranger_typed_by_hand_with_a_customers_phone_is_not_merged() {
    let (mut t, lan) = store_with_lan();
    let out = create(
        &mut t,
        &[("full_name", "Phạm Văn Hùng"), ("phones", "0935111222")],
    );
    assert!(
        matches!(&out, SaveOutcome::Review { reason: ReviewReason::NameDiffers, candidates, .. }
            if candidates.len() == 1 && candidates[0].profile_id == lan
                && candidates[0].label == "Trần Thị Lan"),
        "the customer the stranger's phone belongs to, by her stored name: {out:?}"
    );
    let same = create(
        &mut t,
        &[
            ("full_name", "Tran Thi Lan"),
            ("phones", "0935111222"),
            ("city", "Huế"),
        ],
    );
    assert!(matches!(same, SaveOutcome::Updated { .. }), "{same:?}");
    let detail = t.store.profile_detail(&t.admin, lan).unwrap();
    assert_eq!(detail.profile.label, "Trần Thị Lan", "the accents are kept");
}

#[test]
fn create_individually_shows_the_match_and_does_what_the_person_chose() {
    let (mut t, lan) = store_with_lan();
    let admin = t.admin.clone();
    let typed = ProfileInput::default()
        .with("full_name", "Nguyen Van Anh")
        .with("phones", "0935 111 222")
        .with("city", "Huế");
    let preview = t.store.preview_create(&admin, &typed).unwrap();
    assert_eq!(preview.matches.len(), 1, "Lan's phone: {preview:?}");
    let m = &preview.matches[0];
    assert_eq!((m.profile_id, m.matched_by), (lan, MatchKey::Phone));
    assert!(m.name_differs, "Nguyen Van Anh is not Trần Thị Lan");
    assert_eq!(
        preview.review_reason,
        Some(ReviewReason::NameDiffers),
        "the rule alone would leave a review"
    );
    assert!(
        m.changes
            .iter()
            .any(|c| c.field == "city" && c.after == "Huế"),
        "what Update would change, field by field: {:?}",
        m.changes
    );

    // Create a separate profile: a new one, the decision in its history and the audit log.
    let separate = t
        .store
        .create_profile_decided(
            &admin,
            &typed,
            &ConsentInput::default(),
            &CreateDecision::Separate,
        )
        .unwrap();
    let new_id = created_id(&separate);
    assert_ne!(new_id, lan);
    let history = format!(
        "{:?}",
        t.store.profile_detail(&admin, new_id).unwrap().history
    );
    assert!(history.contains("created separately from #"), "{history}");
    assert_eq!(
        profiles_with_phone(&t, "+84935111222"),
        2,
        "two people share the number"
    );
    // A later import row with the number matches both: a review, never a silent merge.
    let again = create(&mut t, &[("phones", "0935111222")]);
    assert!(
        matches!(
            again,
            SaveOutcome::Review {
                reason: ReviewReason::SeveralMatches,
                ..
            }
        ),
        "{again:?}"
    );

    // Update this profile: the person's choice, accents kept, even when the name guard
    // would have stopped the rule.
    let update = t
        .store
        .create_profile_decided(
            &admin,
            &ProfileInput::default()
                .with("full_name", "Tran Thi Lan")
                .with("phones", "0935 111 222")
                .with("city", "Đà Lạt"),
            &ConsentInput::default(),
            &CreateDecision::Update { profile_id: lan },
        )
        .unwrap();
    assert!(matches!(update, SaveOutcome::Updated { profile_id, .. } if profile_id == lan));
    let detail = t.store.profile_detail(&admin, lan).unwrap();
    assert_eq!(detail.profile.label, "Trần Thị Lan");
    assert_eq!(detail.profile.values["city"], "Đà Lạt");

    // A profile that does not match cannot be picked.
    let err = t
        .store
        .create_profile_decided(
            &admin,
            &ProfileInput::default().with("phones", "0909 000 111"),
            &ConsentInput::default(),
            &CreateDecision::Update { profile_id: lan },
        )
        .unwrap_err();
    assert!(format!("{err}").contains("no longer matches"), "{err}");
}

#[test]
fn an_edit_that_shares_a_phone_asks_and_a_kept_apart_profile_is_reviewed_later() {
    let (mut t, lan) = store_with_lan();
    let admin = t.admin.clone();
    let hung = created_id(&create(
        &mut t,
        &[("full_name", "Phạm Văn Hùng"), ("phones", "0912 000 111")],
    ));
    let edit = ProfileInput::default().with("phones", "0912 000 111\n0935111222");
    let preview = t.store.preview_edit(&admin, hung, &edit).unwrap();
    assert_eq!(
        preview
            .shared
            .iter()
            .map(|s| (s.profile_id, s.kind, s.label.as_str()))
            .collect::<Vec<_>>(),
        [(lan, MatchKey::Phone, "Trần Thị Lan")],
        "only the added number is Lan's: {preview:?}"
    );

    // Saving without an answer is refused with the owner named, and changes nothing.
    let err = t
        .store
        .update_profile(&admin, hung, &edit, &ConsentInput::default())
        .unwrap_err();
    let text = format!("{err:?}");
    assert!(
        text.contains("sharedIdentifier") && text.contains("Trần Thị Lan"),
        "{text}"
    );
    assert_eq!(profiles_with_phone(&t, "+84935111222"), 1, "nothing saved");

    // "They are different people": saved, and the choice is in the history and the audit log.
    let detail = t
        .store
        .update_profile_decided(
            &admin,
            hung,
            &edit,
            &ConsentInput::default(),
            EditDecision::KeepSeparate,
        )
        .unwrap();
    assert_eq!(detail.profile.phones.len(), 2);
    let history = format!("{:?}", detail.history);
    assert!(
        history.contains(&format!("kept apart from #{lan}")),
        "{history}"
    );
    let audit = format!(
        "{:?}",
        t.store
            .audit_entries(
                &admin,
                &pdesk_core::audit_log::AuditQuery {
                    limit: 50,
                    ..Default::default()
                }
            )
            .unwrap()
            .entries
    );
    assert!(audit.contains("profile.edit_shared"), "{audit}");
    // Editing again without touching the shared number does not ask again.
    t.store
        .update_profile(
            &admin,
            hung,
            &ProfileInput::default().with("city", "Huế"),
            &ConsentInput::default(),
        )
        .expect("nothing new is shared");

    // A later row holding the shared number matches both: the rule leaves a review.
    let later = create(
        &mut t,
        &[("full_name", "Trần Thị Lan"), ("phones", "0935111222")],
    );
    assert!(
        matches!(&later, SaveOutcome::Review { reason: ReviewReason::SeveralMatches, candidates, .. }
            if candidates.len() == 2),
        "{later:?}"
    );
}
