//! The administration screens' rules (SPEC 7.1): limits and consent channels — defaults,
//! bounds, audit, and that a change takes effect at once for the rules that read it.

use pdesk_core::admin::{LimitUnit, LimitValue};
use pdesk_core::model::{ConsentInput, ConsentStatus, ProfileInput};
use pdesk_core::Error;

use crate::{create, created_id, test_store, TestStore};

fn audit_actions(t: &TestStore) -> Vec<String> {
    let conn = rusqlite::Connection::open(t.store.path()).expect("open the file");
    let mut stmt = conn
        .prepare("SELECT action FROM audit_log ORDER BY id")
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<Vec<String>>>()
        .expect("actions");
    rows
}

fn last_audit_details(t: &TestStore) -> serde_json::Value {
    let conn = rusqlite::Connection::open(t.store.path()).expect("open the file");
    let details: String = conn
        .query_row(
            "SELECT details FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("an entry");
    serde_json::from_str(&details).expect("JSON details")
}

#[test]
fn limits_start_at_the_spec_defaults() {
    let t = test_store();
    let limits = t.store.limit_settings(&t.admin).expect("limits");
    let shown: Vec<(&str, u32, LimitUnit)> = limits
        .iter()
        .map(|l| (l.key.as_str(), l.value, l.unit))
        .collect();
    assert_eq!(
        shown,
        [
            ("file_size", 10, LimitUnit::Megabytes),
            ("file_rows", 50_000, LimitUnit::Rows),
            ("paste_rows", 1_000, LimitUnit::Rows),
            ("export_direct_rows", 1_000, LimitUnit::Rows),
            ("mail_attachment_size", 20, LimitUnit::Megabytes),
        ],
        "SPEC 4.1/4.2/4.3 defaults: 10 MB, 50,000 rows, 1,000 pasted rows, 1,000 direct-export rows"
    );
    assert!(
        limits.iter().all(|l| l.value == l.default),
        "a new store holds the defaults"
    );
    let config = t.store.limits_config().expect("config");
    assert_eq!(
        config.file_bytes,
        10 * 1024 * 1024,
        "sizes in bytes for the rules"
    );
    assert_eq!(config.paste_rows, 1_000, "rows as rows");
}

#[test]
fn a_changed_limit_is_audited_and_holds_at_once_for_pastes() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let text: String = (0..6)
        .map(|i| format!("Khách {i}\t091234567{i}\n"))
        .collect();
    assert!(
        t.store.preview_paste(&admin, &text).is_ok(),
        "six rows are within the default paste limit"
    );
    let after = t
        .store
        .set_limits(
            &admin,
            &[LimitValue {
                key: "paste_rows".into(),
                value: 5,
            }],
        )
        .expect("set");
    assert_eq!(
        after
            .iter()
            .find(|l| l.key == "paste_rows")
            .map(|l| l.value),
        Some(5),
        "the screen reads the new value back"
    );
    let err = t
        .store
        .preview_paste(&admin, &text)
        .expect_err("over the new limit");
    assert!(
        err.to_string().contains('5'),
        "the paste check uses the new limit at once: {err}"
    );
    assert_eq!(
        audit_actions(&t).last().map(String::as_str),
        Some("settings.limits"),
        "the change is audited"
    );
    assert_eq!(
        last_audit_details(&t)["changes"]["paste_rows"],
        serde_json::json!({ "before": 1000, "after": 5 }),
        "the entry says what changed"
    );
    let entries = audit_actions(&t).len();
    t.store
        .set_limits(
            &admin,
            &[LimitValue {
                key: "paste_rows".into(),
                value: 5,
            }],
        )
        .expect("same value");
    assert_eq!(
        audit_actions(&t).len(),
        entries,
        "no change, no audit entry"
    );
}

#[test]
fn limits_out_of_bounds_are_refused_with_the_bounds_and_nothing_changes() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let err = t
        .store
        .set_limits(
            &admin,
            &[
                LimitValue {
                    key: "file_rows".into(),
                    value: 40_000,
                },
                LimitValue {
                    key: "file_size".into(),
                    value: 500,
                },
                LimitValue {
                    key: "paste_rows".into(),
                    value: 0,
                },
            ],
        )
        .expect_err("out of bounds");
    let Error::Validation(errors) = &err else {
        panic!("a validation error, got {err}");
    };
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "File size must be between 1 MB and 50 MB (you entered 500 MB)",
            "Paste rows must be between 1 row and 10,000 rows (you entered 0 rows)",
        ],
        "each bad value names its limit and the bounds"
    );
    let limits = t.store.limit_settings(&admin).expect("limits");
    assert_eq!(
        limits
            .iter()
            .find(|l| l.key == "file_rows")
            .map(|l| l.value),
        Some(50_000),
        "all or nothing: the valid value was not saved either"
    );
    let err = t
        .store
        .set_limits(
            &admin,
            &[LimitValue {
                key: "speed".into(),
                value: 1,
            }],
        )
        .expect_err("unknown");
    assert!(
        err.to_string().contains("speed"),
        "names the unknown limit: {err}"
    );
}

#[test]
fn an_added_channel_is_offered_and_recorded_at_once() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let channels = t
        .store
        .add_consent_channel(&admin, "  Zalo ")
        .expect("added");
    let keys: Vec<&str> = channels.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        ["email", "sms", "phone_call", "zalo"],
        "the new channel comes last, with a key made from its name"
    );
    assert!(
        !channels[3].builtin && channels[0].builtin,
        "built-in and added channels are told apart"
    );
    assert_eq!(
        t.store.consent_channels().expect("channels")[3].label,
        "Zalo",
        "the create form's consent step offers it"
    );
    let mut consent = ConsentInput::default();
    consent
        .channels
        .insert("zalo".into(), ConsentStatus::Granted);
    let input = ProfileInput::default().with("full_name", "Phạm Thu Hà");
    let outcome = t
        .store
        .create_profile(&admin, &input, &consent)
        .expect("consent on the new channel is accepted");
    let id = created_id(&outcome);
    let detail = t.store.profile_detail(&admin, id).expect("detail");
    assert_eq!(
        detail.consent.get("zalo"),
        Some(&ConsentStatus::Granted),
        "consent is recorded on the new channel"
    );
    let err = t
        .store
        .add_consent_channel(&admin, "ZALO")
        .expect_err("same name");
    assert!(
        err.to_string().contains("already a consent channel named"),
        "names are unique, ignoring case and accents: {err}"
    );
    assert!(
        audit_actions(&t).contains(&"settings.consent_channel".to_string()),
        "adding is audited"
    );
}

#[test]
fn channels_are_renamed_reordered_and_removed_only_when_unused() {
    let mut t = test_store();
    let admin = t.admin.clone();
    t.store.add_consent_channel(&admin, "Post").expect("post");
    t.store.add_consent_channel(&admin, "Zalo").expect("zalo");
    let renamed = t
        .store
        .rename_consent_channel(&admin, "sms", "SMS / text")
        .expect("rename a built-in");
    assert_eq!(
        renamed[1].label, "SMS / text",
        "built-in channels can be renamed"
    );
    let order: Vec<String> = ["zalo", "email", "sms", "phone_call", "post"]
        .map(String::from)
        .to_vec();
    let reordered = t
        .store
        .reorder_consent_channels(&admin, &order)
        .expect("reorder");
    let keys: Vec<&str> = reordered.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        ["zalo", "email", "sms", "phone_call", "post"],
        "the new order holds"
    );
    let err = t
        .store
        .reorder_consent_channels(&admin, &order[..4])
        .expect_err("one missing");
    assert!(err.to_string().contains("every consent channel"), "{err}");

    let err = t
        .store
        .remove_consent_channel(&admin, "email")
        .expect_err("built in");
    assert!(
        err.to_string().contains("built-in"),
        "built-in channels stay: {err}"
    );

    let mut consent = ConsentInput::default();
    consent
        .channels
        .insert("zalo".into(), ConsentStatus::Denied);
    create(&mut t, &[("full_name", "Lê Văn Tám")]);
    let input = ProfileInput::default().with("full_name", "Đỗ Minh Quân");
    t.store
        .create_profile(&admin, &input, &consent)
        .expect("a record on zalo");
    let err = t
        .store
        .remove_consent_channel(&admin, "zalo")
        .expect_err("has records");
    assert!(
        err.to_string().contains("holds 1 consent record;"),
        "a channel with history stays: {err}"
    );
    let left = t
        .store
        .remove_consent_channel(&admin, "post")
        .expect("unused");
    assert!(
        left.iter().all(|c| c.key != "post"),
        "an unused added channel is removed"
    );
    let changes: Vec<String> = audit_actions(&t)
        .into_iter()
        .filter(|a| a == "settings.consent_channel")
        .collect();
    assert_eq!(
        changes.len(),
        5,
        "add, add, rename, reorder, remove: each audited"
    );
}

#[test]
fn sales_and_viewers_cannot_see_or_change_limits_or_channels() {
    let mut t = test_store();
    let admin = t.admin.clone();
    for role in ["Sales", "Viewer"] {
        let user = t
            .store
            .add_user(&admin, &format!("user-{role}"), role)
            .expect("user");
        let refusals = [
            t.store.limit_settings(&user).map(|_| ()),
            t.store.set_limits(&user, &[]).map(|_| ()),
            t.store.consent_channel_settings(&user).map(|_| ()),
            t.store.add_consent_channel(&user, "Zalo").map(|_| ()),
            t.store
                .rename_consent_channel(&user, "sms", "Text")
                .map(|_| ()),
            t.store
                .reorder_consent_channels(&user, &["email".into()])
                .map(|_| ()),
            t.store.remove_consent_channel(&user, "sms").map(|_| ()),
        ];
        for (i, r) in refusals.into_iter().enumerate() {
            let err = r.expect_err("refused");
            assert!(
                matches!(
                    err,
                    Error::Permission {
                        permission: "settings.manage",
                        ..
                    }
                ),
                "{role}, operation {i}: refused naming settings.manage: {err}"
            );
        }
    }
    assert_eq!(
        t.store.consent_channels().expect("channels").len(),
        3,
        "nothing was added"
    );
}

// ---- synchronization rule screen ------------------------------------------------------------

use pdesk_core::admin::SyncRuleDraft;
use pdesk_core::model::{MatchKey, MergePolicy};

fn rule(keys: &[MatchKey], region: &str, policy: MergePolicy) -> SyncRuleDraft {
    SyncRuleDraft {
        match_keys: keys.to_vec(),
        region: region.into(),
        merge_policy: policy,
    }
}

#[test]
fn the_live_example_follows_the_proposed_rule() {
    let t = test_store();
    let ex = |keys: &[MatchKey], policy| {
        t.store
            .sync_rule_example(&t.admin, &rule(keys, "VN", policy))
            .expect("example")
    };
    let both = ex(
        &[MatchKey::Phone, MatchKey::Email, MatchKey::CustomerCode],
        MergePolicy::Overwrite,
    );
    assert_eq!(
        both.outcome, "review",
        "phone ties #1, e-mail ties #2: a person decides"
    );
    assert!(
        both.message.contains("nothing was merged"),
        "{}",
        both.message
    );
    let phone = ex(&[MatchKey::Phone], MergePolicy::Overwrite);
    assert_eq!(
        phone.outcome, "updated",
        "only the phone counts: #1 is updated"
    );
    assert!(
        phone.message.contains("matched by phone"),
        "{}",
        phone.message
    );
    let changed: Vec<(&str, &str, &str)> = phone
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str()))
        .collect();
    assert!(
        changed.contains(&("City", "Hà Nội", "Đà Nẵng")),
        "overwrite replaces the city: {changed:?}"
    );
    assert!(
        changed.contains(&("Company", "", "Công ty ABC")),
        "an empty field is filled: {changed:?}"
    );
    let fill = ex(&[MatchKey::Phone], MergePolicy::FillEmptyOnly);
    assert!(
        !fill.changes.iter().any(|c| c.field == "City"),
        "fill-empty-only keeps the city: {:?}",
        fill.changes
    );
    let email = ex(&[MatchKey::Email], MergePolicy::Overwrite);
    assert!(
        email.message.contains("matched by e-mail"),
        "{}",
        email.message
    );
    let code = ex(&[MatchKey::CustomerCode], MergePolicy::Overwrite);
    assert_eq!(
        code.outcome, "created",
        "the row has no code: a new profile"
    );
    let th = t
        .store
        .sync_rule_example(
            &t.admin,
            &rule(&[MatchKey::Phone], "TH", MergePolicy::Overwrite),
        )
        .unwrap();
    assert!(
        th.region_note.contains("Thailand (+66)") && th.region_note.contains("+66912345678"),
        "the region note reads the local number in Thailand: {}",
        th.region_note
    );
    let err = t
        .store
        .sync_rule_example(&t.admin, &rule(&[], "VN", MergePolicy::Overwrite))
        .expect_err("no key");
    assert!(err.to_string().contains("at least one match key"), "{err}");
}

#[test]
fn a_saved_rule_is_audited_and_used_by_the_create_form_at_once() {
    let mut t = test_store();
    let admin = t.admin.clone();
    create(
        &mut t,
        &[("full_name", "Võ Thị Sáu"), ("emails", "sau@example.vn")],
    );
    let saved = t
        .store
        .set_sync_rule(
            &admin,
            &rule(&[MatchKey::Phone], "VN", MergePolicy::FillEmptyOnly),
        )
        .expect("saved");
    assert_eq!(saved.rule.match_keys, [MatchKey::Phone], "read back");
    let input = ProfileInput::default()
        .with("full_name", "Võ Sáu")
        .with("emails", "SAU@example.vn");
    let outcome = t
        .store
        .create_profile(&admin, &input, &ConsentInput::default())
        .expect("create");
    assert!(
        matches!(outcome, pdesk_core::model::SaveOutcome::Created { .. }),
        "e-mail no longer matches: a new profile ({outcome:?})"
    );
    let entries = audit_actions(&t).len();
    t.store
        .set_sync_rule(
            &admin,
            &rule(&[MatchKey::Phone], "VN", MergePolicy::FillEmptyOnly),
        )
        .unwrap();
    assert_eq!(
        audit_actions(&t).len(),
        entries,
        "the same rule again audits nothing"
    );
    assert!(
        audit_actions(&t).contains(&"settings.sync_rule".to_string()),
        "the change is audited"
    );
}
