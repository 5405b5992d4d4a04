//! Every branch of the synchronization rule (SPEC 6).

use pdesk_core::model::{ConsentInput, MatchKey, MergePolicy, ProfileInput, SaveOutcome, Source};
use pdesk_rule::validate;

use crate::{create, created_id, test_store, TestStore};

fn valid(t: &TestStore, values: &[(&str, &str)]) -> pdesk_core::profiles::ValidProfile {
    let mut input = ProfileInput::default();
    for (k, v) in values {
        input = input.with(k, v);
    }
    let region = t.store.sync_settings().unwrap().region;
    validate(&input, &t.store.fields().unwrap(), region, true).expect("valid input")
}

#[test]
fn no_match_creates_a_profile() {
    let mut t = test_store();
    let out = create(
        &mut t,
        &[("full_name", "Nguyễn Văn A"), ("phones", "0912 345 678")],
    );
    let id = created_id(&out);
    let detail = t.store.profile_detail(&t.admin, id).unwrap();
    assert_eq!(
        detail.profile.phones[0].e164, "+84912345678",
        "phone stored with its match key"
    );
    assert_eq!(detail.profile.phones[0].raw, "0912 345 678", "and as typed");
    assert_eq!(
        detail.history[0].kind, "created",
        "creation is in the history"
    );
}

#[test]
fn a_phone_typed_differently_merges_into_the_existing_profile() {
    let mut t = test_store();
    let first = created_id(&create(
        &mut t,
        &[
            ("full_name", "Nguyễn Văn A"),
            ("phones", "0912 345 678"),
            ("emails", "a@example.vn"),
        ],
    ));
    let out = create(
        &mut t,
        &[
            ("phones", "+84 912 345 678"),
            ("emails", "second@example.vn"),
        ],
    );
    match &out {
        SaveOutcome::Updated {
            profile_id,
            matched_by,
            label,
            ..
        } => {
            assert_eq!(*profile_id, first, "the existing profile was updated");
            assert_eq!(*matched_by, MatchKey::Phone, "tied by the phone key");
            assert_eq!(
                label, "Nguyễn Văn A",
                "the message names the existing profile"
            );
        }
        other => panic!("expected an update, got {other:?}"),
    }
    assert_eq!(
        out.message(),
        "Updated existing profile Nguyễn Văn A — matched by phone",
        "the user is told which profile and which key"
    );
    let detail = t.store.profile_detail(&t.admin, first).unwrap();
    assert_eq!(
        detail.profile.emails,
        ["a@example.vn", "second@example.vn"],
        "e-mails are unioned"
    );
    assert_eq!(
        detail.profile.phones.len(),
        1,
        "the same phone is not added twice"
    );
    assert_eq!(
        t.store
            .count_profiles(&t.admin, &Default::default())
            .unwrap()
            .total,
        1,
        "still one"
    );
    let merged = &detail.history[0];
    assert_eq!(
        (merged.kind.as_str(), merged.matched_by),
        ("merged", Some(MatchKey::Phone)),
        "history"
    );
}

#[test]
fn an_email_with_other_case_and_spaces_merges_by_email() {
    let mut t = test_store();
    let first = created_id(&create(
        &mut t,
        &[
            ("full_name", "Trần Thị B"),
            ("emails", "Tran.B@Example.com"),
        ],
    ));
    let out = create(
        &mut t,
        &[("emails", "  tran.b@example.COM "), ("city", "Huế")],
    );
    assert!(
        matches!(out, SaveOutcome::Updated { profile_id, matched_by: MatchKey::Email, .. } if profile_id == first),
        "matched by e-mail case-insensitively: {out:?}"
    );
    let detail = t.store.profile_detail(&t.admin, first).unwrap();
    assert_eq!(
        detail.profile.values["city"], "Huế",
        "the empty city was filled"
    );
    assert_eq!(
        detail.profile.emails,
        ["Tran.B@Example.com"],
        "stored as first typed, not duplicated"
    );
}

#[test]
fn customer_code_is_a_match_key() {
    let mut t = test_store();
    let first = created_id(&create(
        &mut t,
        &[("full_name", "Phạm C"), ("customer_code", "KH001")],
    ));
    let out = create(
        &mut t,
        &[("full_name", "Phạm Văn C"), ("customer_code", " KH001 ")],
    );
    assert!(
        matches!(out, SaveOutcome::Updated { profile_id, matched_by: MatchKey::CustomerCode, .. } if profile_id == first),
        "matched by trimmed customer code: {out:?}"
    );
}

#[test]
fn two_different_matches_create_a_review_and_merge_nothing() {
    let mut t = test_store();
    let a = created_id(&create(
        &mut t,
        &[("full_name", "A"), ("phones", "0912345678")],
    ));
    let b = created_id(&create(&mut t, &[("full_name", "B"), ("emails", "b@x.vn")]));
    let out = create(
        &mut t,
        &[
            ("full_name", "A or B"),
            ("phones", "0912345678"),
            ("emails", "b@x.vn"),
        ],
    );
    let SaveOutcome::Review { candidates, .. } = &out else {
        panic!("expected a review, got {out:?}")
    };
    let ids: Vec<i64> = candidates.iter().map(|c| c.profile_id).collect();
    assert_eq!(ids, [a, b], "both candidates listed, in match-key order");
    assert_eq!(candidates[0].matched_by, MatchKey::Phone, "A tied by phone");
    assert_eq!(
        candidates[1].matched_by,
        MatchKey::Email,
        "B tied by e-mail"
    );
    let detail_a = t.store.profile_detail(&t.admin, a).unwrap();
    assert_eq!(detail_a.profile.label, "A", "nothing was merged into A");
    assert!(
        detail_a.profile.emails.is_empty(),
        "B's e-mail did not leak into A"
    );
    assert_eq!(
        t.store
            .count_profiles(&t.admin, &Default::default())
            .unwrap()
            .total,
        2,
        "no new profile"
    );
}

#[test]
fn fill_empty_only_never_overwrites() {
    let mut t = test_store();
    let first = created_id(&create(
        &mut t,
        &[
            ("full_name", "Đỗ D"),
            ("phones", "0987654321"),
            ("company", "Old"),
        ],
    ));
    let incoming = valid(
        &t,
        &[
            ("phones", "0987 654 321"),
            ("company", "New"),
            ("city", "Vinh"),
        ],
    );
    let out = t
        .store
        .save_incoming(
            &t.admin,
            &incoming,
            &ConsentInput::default(),
            &Source::Manual,
            MergePolicy::FillEmptyOnly,
        )
        .unwrap();
    assert!(
        matches!(out, SaveOutcome::Updated { .. }),
        "merged: {out:?}"
    );
    let values = t
        .store
        .profile_detail(&t.admin, first)
        .unwrap()
        .profile
        .values;
    assert_eq!(
        values["company"], "Old",
        "fill-empty-only keeps the stored company"
    );
    assert_eq!(values["city"], "Vinh", "but fills the empty city");
}

#[test]
fn empty_incoming_values_never_erase() {
    let mut t = test_store();
    let first = created_id(&create(
        &mut t,
        &[
            ("full_name", "Hồ E"),
            ("phones", "0911111111"),
            ("city", "Huế"),
            ("note", "VIP"),
        ],
    ));
    let out = create(
        &mut t,
        &[
            ("phones", "0911111111"),
            ("city", "   "),
            ("note", ""),
            ("full_name", ""),
        ],
    );
    let SaveOutcome::Updated { changed_fields, .. } = &out else {
        panic!("expected update: {out:?}")
    };
    assert!(
        changed_fields.is_empty(),
        "nothing changed: {changed_fields:?}"
    );
    let values = t
        .store
        .profile_detail(&t.admin, first)
        .unwrap()
        .profile
        .values;
    assert_eq!(
        (values["city"].as_str(), values["note"].as_str()),
        ("Huế", "VIP"),
        "kept"
    );
    assert_eq!(values["full_name"], "Hồ E", "the name was not erased");
}

#[test]
fn match_keys_follow_the_configured_order_and_choice() {
    let mut t = test_store();
    let admin = t.admin.clone();
    t.store
        .set_sync_settings(&admin, &[MatchKey::Email], "VN", MergePolicy::Overwrite)
        .unwrap();
    created_id(&create(
        &mut t,
        &[("full_name", "F"), ("phones", "0922222222")],
    ));
    let out = create(&mut t, &[("full_name", "G"), ("phones", "0922222222")]);
    assert!(
        matches!(out, SaveOutcome::Created { .. }),
        "phone is no longer a match key: {out:?}"
    );
}
