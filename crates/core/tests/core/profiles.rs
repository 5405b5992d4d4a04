//! Validation, edit in place, consent and the duplicate guard.

use pdesk_core::model::{ConsentInput, ConsentStatus, MatchKey, ProfileInput};
use pdesk_core::{Error, IdentifierKind};

use crate::{create, created_id, test_store};

fn codes(errors: &[pdesk_core::model::FieldError]) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|e| (e.field.clone(), e.code.clone()))
        .collect()
}

#[test]
fn creation_needs_an_identifier() {
    let t = test_store();
    let input = ProfileInput::default().with("city", "Huế");
    let errors = t.store.validate_profile(&t.admin, &input, true).unwrap();
    assert_eq!(
        codes(&errors),
        [(
            "identification".to_string(),
            "identificationRequired".to_string()
        )],
        "a profile with only a city has no identifier"
    );
}

#[test]
fn inline_errors_name_the_field_and_the_problem() {
    let t = test_store();
    let input = ProfileInput::default()
        .with("full_name", "X")
        .with_list("emails", &["not-an-email"])
        .with_list("phones", &["09ab"])
        .with("birthday", "31/02/1990")
        .with("gender", "dragon");
    let errors = t.store.validate_profile(&t.admin, &input, true).unwrap();
    let got = codes(&errors);
    for expected in [
        ("emails.0", "invalidEmail"),
        ("phones.0", "invalidPhone"),
        ("birthday", "invalidDate"),
        ("gender", "invalidOption"),
    ] {
        assert!(
            got.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} expected among {got:?}"
        );
    }
    let phone = errors
        .iter()
        .find(|e| e.field == "phones.0")
        .expect("the first phone is named");
    assert!(
        phone.message.contains("is not a phone number"),
        "says why: {}",
        phone.message
    );
    // The UI words each error in its language from the code and the params (issue 16).
    let param = |field: &str, name: &str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .and_then(|e| e.params.get(name))
            .map(String::as_str)
    };
    assert_eq!(param("phones.0", "value"), Some("09ab"));
    assert!(param("phones.0", "reason").is_some(), "{phone:?}");
    assert_eq!(param("emails.0", "value"), Some("not-an-email"));
    assert_eq!(param("emails.0", "reason"), Some("noAt"));
    assert_eq!(param("birthday", "reason"), Some("noSuchDay"));
    assert_eq!(param("birthday", "days"), Some("28"));
    assert_eq!(param("gender", "value"), Some("dragon"));
}

#[test]
fn admin_mandatory_fields_are_required_on_create() {
    let mut t = test_store();
    let admin = t.admin.clone();
    t.store.set_field_mandatory(&admin, "city", true).unwrap();
    let input = ProfileInput::default().with("full_name", "Bùi K");
    let err = t
        .store
        .create_profile(&admin, &input, &ConsentInput::default())
        .unwrap_err();
    let Error::Validation(errors) = err else {
        panic!("validation error expected")
    };
    assert_eq!(
        codes(&errors),
        [("city".to_string(), "required".to_string())],
        "city is mandatory now"
    );
    assert_eq!(
        errors[0].message, "City is mandatory",
        "the message names the field's label"
    );
}

#[test]
fn dates_are_stored_iso_and_text_is_nfc() {
    let mut t = test_store();
    let id = created_id(&create(
        &mut t,
        &[
            ("full_name", "Nguye\u{0302}\u{0303}n  "),
            ("birthday", "05/09/1990"),
        ],
    ));
    let values = t.store.profile_detail(&t.admin, id).unwrap().profile.values;
    assert_eq!(
        values["birthday"], "1990-09-05",
        "dd/mm/yyyy is stored as an ISO date"
    );
    assert_eq!(
        values["full_name"], "Nguyễn",
        "names are trimmed and composed (NFC)"
    );
}

#[test]
fn edit_in_place_changes_clears_and_records_history() {
    let mut t = test_store();
    let id = created_id(&create(
        &mut t,
        &[
            ("full_name", "Lý M"),
            ("city", "Huế"),
            ("phones", "0933333333"),
        ],
    ));
    let admin = t.admin.clone();
    let edit = ProfileInput::default()
        .with("city", "")
        .with("company", "Saigon Retail")
        .with_list("phones", &["0933333333", "0944 444 444"]);
    let detail = t
        .store
        .update_profile(&admin, id, &edit, &ConsentInput::default())
        .unwrap();
    assert!(
        !detail.profile.values.contains_key("city"),
        "an emptied field is cleared by an edit"
    );
    assert_eq!(
        detail.profile.values["company"], "Saigon Retail",
        "a new value is stored"
    );
    assert_eq!(
        detail.profile.phones.len(),
        2,
        "the phone list is replaced by the edited list"
    );
    let last = &detail.history[0];
    assert_eq!(last.kind, "edited", "the edit is in the history");
    let fields: Vec<&str> = last.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        ["city", "company", "phones"],
        "with every changed field"
    );
}

#[test]
fn an_edit_cannot_remove_every_identifier() {
    let mut t = test_store();
    let id = created_id(&create(&mut t, &[("full_name", "Mai N")]));
    let admin = t.admin.clone();
    let err = t.store.update_profile(
        &admin,
        id,
        &ProfileInput::default().with("full_name", ""),
        &ConsentInput::default(),
    );
    assert!(
        matches!(err, Err(Error::Validation(_))),
        "clearing the only identifier is refused"
    );
    assert_eq!(
        t.store.profile_detail(&admin, id).unwrap().profile.label,
        "Mai N",
        "and nothing changed"
    );
}

#[test]
fn consent_is_append_only_and_latest_wins() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let mut consent = ConsentInput::default();
    consent
        .channels
        .insert("email".into(), ConsentStatus::Granted);
    let out = t
        .store
        .create_profile(
            &admin,
            &ProfileInput::default().with("full_name", "Cao P"),
            &consent,
        )
        .unwrap();
    let id = created_id(&out);
    consent
        .channels
        .insert("email".into(), ConsentStatus::Denied);
    let detail = t
        .store
        .update_profile(&admin, id, &ProfileInput::default(), &consent)
        .unwrap();
    assert_eq!(
        detail.consent["email"],
        ConsentStatus::Denied,
        "the latest record is current"
    );
    assert_eq!(
        detail.consent["sms"],
        ConsentStatus::Unknown,
        "unrecorded channels are unknown"
    );
    assert_eq!(detail.consent_history.len(), 2, "both records are kept");
    let conn = rusqlite::Connection::open(t.store.path()).unwrap();
    assert!(
        conn.execute("UPDATE consent_records SET status = 'granted'", [])
            .is_err(),
        "consent history cannot be rewritten"
    );
}

#[test]
fn duplicate_guard_finds_the_owner_in_any_format() {
    let mut t = test_store();
    let id = created_id(&create(
        &mut t,
        &[
            ("full_name", "Đinh Q"),
            ("phones", "0912 345 678"),
            ("emails", "q@x.vn"),
        ],
    ));
    let admin = t.admin.clone();
    let owner = t
        .store
        .identifier_owner(&admin, IdentifierKind::Phone, "+84912345678", None)
        .unwrap();
    let owner = owner.expect("the phone belongs to a profile");
    assert_eq!(
        (owner.profile_id, owner.label.as_str(), owner.matched_by),
        (id, "Đinh Q", MatchKey::Phone)
    );
    let email = t
        .store
        .identifier_owner(&admin, IdentifierKind::Email, " Q@X.VN", None)
        .unwrap();
    assert_eq!(
        email.map(|o| o.profile_id),
        Some(id),
        "e-mails match case-insensitively"
    );
    let own = t
        .store
        .identifier_owner(&admin, IdentifierKind::Phone, "0912345678", Some(id))
        .unwrap();
    assert!(
        own.is_none(),
        "editing a profile does not warn about its own phone"
    );
    let partial = t
        .store
        .identifier_owner(&admin, IdentifierKind::Phone, "0912", None)
        .unwrap();
    assert!(partial.is_none(), "an incomplete number has no owner yet");
}
