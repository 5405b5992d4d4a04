//! The field catalogue screen (SPEC 1, 7.1): custom fields of every kind, renaming, hiding,
//! order, mandatory on create, displayed by default, synonyms; the type locked once a field
//! holds data; deleting a field with data only when confirmed; every change audited and in
//! force at once for the create form, the mapping grid and the import checks.

use pdesk_core::admin::{FieldDraft, FieldLock, FieldSetting};
use pdesk_core::mapping::{SourceColumn, SuggestionReason};
use pdesk_core::model::{ConsentInput, FieldKind, ProfileInput, SelectOption};
use pdesk_core::Error;

use crate::{created_id, test_store, TestStore};

fn draft(label: &str, kind: FieldKind) -> FieldDraft {
    FieldDraft {
        label: label.into(),
        kind,
        options: Vec::new(),
        synonyms: Vec::new(),
        mandatory: false,
        displayed: false,
        hidden: false,
    }
}

fn option(label: &str) -> SelectOption {
    SelectOption {
        value: String::new(),
        label: label.into(),
    }
}

fn setting<'a>(all: &'a [FieldSetting], key: &str) -> &'a FieldSetting {
    all.iter()
        .find(|s| s.field.key == key)
        .unwrap_or_else(|| panic!("field {key}"))
}

fn as_draft(s: &FieldSetting) -> FieldDraft {
    FieldDraft {
        label: s.field.label.clone(),
        kind: s.field.kind,
        options: s.field.options.clone(),
        synonyms: s.field.synonyms.clone(),
        mandatory: s.field.mandatory,
        displayed: s.field.displayed,
        hidden: s.field.hidden,
    }
}

fn field_audits(t: &TestStore) -> usize {
    let page = t
        .store
        .audit_entries(
            &t.admin,
            &pdesk_core::audit_log::AuditQuery {
                action: Some("settings.field".into()),
                limit: 500,
                ..Default::default()
            },
        )
        .unwrap();
    page.total as usize
}

#[test]
fn custom_fields_of_every_kind_are_added_and_hold_values() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let kinds = [
        (
            "Hạng thành viên",
            FieldKind::Select,
            vec![option("Vàng"), option("Bạc")],
            "Vàng",
        ),
        (
            "Sở thích",
            FieldKind::MultiSelect,
            vec![option("Golf"), option("Du lịch")],
            "Golf, Du lịch",
        ),
        ("Số con", FieldKind::Number, vec![], "2"),
        ("Ngày cưới", FieldKind::Date, vec![], "14/02/2015"),
        ("Khách VIP", FieldKind::Boolean, vec![], "có"),
        (
            "Ghi chú nội bộ",
            FieldKind::LongText,
            vec![],
            "Gọi lại sau Tết",
        ),
        ("Mã giới thiệu", FieldKind::Text, vec![], "REF-001"),
    ];
    let mut input = ProfileInput::default().with("full_name", "Nguyễn Thị Hoa");
    for (label, kind, options, value) in &kinds {
        let all = t
            .store
            .add_field(
                &admin,
                &FieldDraft {
                    options: options.clone(),
                    ..draft(label, *kind)
                },
            )
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        let added = all
            .iter()
            .find(|s| &s.field.label == label)
            .expect("listed");
        assert!(
            !added.field.builtin && added.deletable,
            "{label} is a custom field"
        );
        input = input.with(&added.field.key, value);
    }
    let keys: Vec<String> = t
        .store
        .fields()
        .unwrap()
        .iter()
        .filter(|f| !f.builtin)
        .map(|f| f.key.clone())
        .collect();
    assert_eq!(
        keys,
        [
            "hang_thanh_vien",
            "so_thich",
            "so_con",
            "ngay_cuoi",
            "khach_vip",
            "ghi_chu_noi_bo",
            "ma_gioi_thieu"
        ],
        "keys are made from the names, and new fields come before the system fields"
    );
    let id = created_id(
        &t.store
            .create_profile(&admin, &input, &ConsentInput::default())
            .expect("create"),
    );
    let values = t.store.profile_detail(&admin, id).unwrap().profile.values;
    assert_eq!(
        values.get("hang_thanh_vien").map(String::as_str),
        Some("Vàng"),
        "select"
    );
    assert_eq!(
        values.get("so_thich").map(String::as_str),
        Some("Golf, Du lịch"),
        "multi-select"
    );
    assert_eq!(
        values.get("ngay_cuoi").map(String::as_str),
        Some("2015-02-14"),
        "date"
    );
    assert_eq!(
        values.get("so_con").map(String::as_str),
        Some("2"),
        "number"
    );
    assert_eq!(field_audits(&t), kinds.len(), "each addition is audited");
    let err = t
        .store
        .add_field(&admin, &draft("Hạng", FieldKind::Select))
        .expect_err("select without options");
    assert!(err.to_string().contains("at least one option"), "{err}");
    let err = t
        .store
        .add_field(&admin, &draft("city", FieldKind::Text))
        .expect_err("same name as City");
    assert!(
        err.to_string().contains("already a field named “City”"),
        "{err}"
    );
    let err = t
        .store
        .add_field(&admin, &draft("Phones 2", FieldKind::Phones))
        .expect_err("not a custom kind");
    assert_eq!(err.code(), "validation", "{err}");
}

#[test]
fn a_mandatory_custom_field_is_required_by_the_create_form_and_the_import_checks_at_once() {
    let mut t = test_store();
    let admin = t.admin.clone();
    t.store
        .add_field(
            &admin,
            &FieldDraft {
                mandatory: true,
                synonyms: vec!["Mã CN".into(), "Branch".into()],
                ..draft("Chi nhánh", FieldKind::Text)
            },
        )
        .expect("added");
    let input = ProfileInput::default().with("full_name", "Lê Văn Nam");
    let err = t
        .store
        .create_profile(&admin, &input, &ConsentInput::default())
        .expect_err("the new field is mandatory");
    let Error::Validation(errors) = &err else {
        panic!("{err}")
    };
    assert_eq!(errors[0].field, "chi_nhanh", "the error names the field");
    assert_eq!(errors[0].message, "Chi nhánh is mandatory", "in words");
    let columns = vec![
        SourceColumn {
            index: 0,
            header: "Họ và tên".into(),
            samples: vec!["Lê Văn Nam".into()],
            generated: false,
        },
        SourceColumn {
            index: 1,
            header: "Mã CN".into(),
            samples: vec!["HN01".into()],
            generated: false,
        },
    ];
    let suggestion = t.store.suggest_mapping(&admin, &columns).unwrap();
    assert_eq!(
        suggestion[1].target.as_deref(),
        Some("chi_nhanh"),
        "the mapping grid offers (and suggests, by synonym) the new field: {suggestion:?}"
    );
    assert_eq!(
        suggestion[1].reason,
        SuggestionReason::Synonym,
        "matched by its synonym"
    );
    let mut without = suggestion.clone();
    without[1].target = None;
    let problems = t.store.check_mapping(&t.admin, &columns, &without).unwrap();
    assert!(
        problems.iter().any(|p| p.message.contains("Chi nhánh")),
        "the import checks require the mandatory field to be mapped: {problems:?}"
    );
    let all = t.store.field_settings(&admin).unwrap();
    let mut d = as_draft(setting(&all, "chi_nhanh"));
    d.mandatory = false;
    t.store
        .update_field(&admin, "chi_nhanh", &d)
        .expect("not mandatory any more");
    t.store
        .create_profile(&admin, &input, &ConsentInput::default())
        .expect("created without it now");
}

#[test]
fn labels_hiding_display_and_order_change_and_built_in_types_stay() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let all = t.store.field_settings(&admin).unwrap();
    for s in &all {
        t.store
            .update_field(&admin, &s.field.key, &as_draft(s))
            .unwrap_or_else(|e| panic!("saving {} unchanged must work: {e}", s.field.key));
    }
    assert_eq!(
        field_audits(&t),
        0,
        "saving without a change audits nothing"
    );
    let mut city = as_draft(setting(&all, "city"));
    city.label = "Tỉnh / Thành phố".into();
    city.displayed = false;
    let after = t
        .store
        .update_field(&admin, "city", &city)
        .expect("renamed");
    assert_eq!(
        setting(&after, "city").field.label,
        "Tỉnh / Thành phố",
        "renamed"
    );
    assert!(
        !t.store
            .list_columns(&admin)
            .unwrap()
            .contains(&"city".to_string()),
        "no longer a default column"
    );
    let mut note = as_draft(setting(&all, "note"));
    note.hidden = true;
    t.store.update_field(&admin, "note", &note).expect("hidden");
    let err = t
        .store
        .validate_profile(
            &admin,
            &ProfileInput::default()
                .with("full_name", "A")
                .with("note", "x"),
            true,
        )
        .unwrap();
    assert!(
        err.is_empty(),
        "a hidden field is still known to the rules (old data stays): {err:?}"
    );
    let cols = vec![SourceColumn {
        index: 0,
        header: "Ghi chú".into(),
        samples: vec![],
        generated: false,
    }];
    assert_eq!(
        t.store.suggest_mapping(&admin, &cols).unwrap()[0].target,
        None,
        "a hidden field is no longer offered for mapping"
    );
    let mut name = as_draft(setting(&all, "full_name"));
    name.hidden = true;
    let err = t
        .store
        .update_field(&admin, "full_name", &name)
        .expect_err("identifier");
    assert!(err.to_string().contains("identifies profiles"), "{err}");
    let mut gender = as_draft(setting(&all, "gender"));
    gender.kind = FieldKind::Text;
    let err = t
        .store
        .update_field(&admin, "gender", &gender)
        .expect_err("built-in type");
    assert!(
        err.to_string().contains("built in: its type is fixed"),
        "{err}"
    );
    let mut created = as_draft(setting(&all, "created_at"));
    created.mandatory = true;
    let err = t
        .store
        .update_field(&admin, "created_at", &created)
        .expect_err("system");
    assert!(err.to_string().contains("set by the app"), "{err}");
    let mut order: Vec<String> = all.iter().map(|s| s.field.key.clone()).collect();
    order.swap(0, 1);
    let reordered = t.store.reorder_fields(&admin, &order).expect("reordered");
    assert_eq!(reordered[0].field.key, "phones", "phones first now");
    let err = t
        .store
        .reorder_fields(&admin, &order[1..])
        .expect_err("one missing");
    assert!(err.to_string().contains("every field"), "{err}");
    assert_eq!(field_audits(&t), 3, "rename, hide and reorder are audited");
}

#[test]
fn synonyms_mean_one_field_only() {
    let mut t = test_store();
    let admin = t.admin.clone();
    let err = t
        .store
        .add_field(
            &admin,
            &FieldDraft {
                synonyms: vec!["SĐT".into()],
                ..draft("Số phụ", FieldKind::Text)
            },
        )
        .expect_err("SĐT means phones");
    assert!(err.to_string().contains("already means Phones"), "{err}");
    let all = t
        .store
        .add_field(
            &admin,
            &FieldDraft {
                synonyms: vec![" Zalo ".into(), "zalo".into(), "".into()],
                ..draft("Zalo ID", FieldKind::Text)
            },
        )
        .expect("added");
    assert_eq!(
        setting(&all, "zalo_id").field.synonyms,
        ["Zalo"],
        "trimmed and deduplicated"
    );
}

#[test]
fn a_field_with_data_keeps_its_type_and_is_deleted_only_when_confirmed() {
    let mut t = test_store();
    let admin = t.admin.clone();
    t.store
        .add_field(
            &admin,
            &FieldDraft {
                options: vec![option("Vàng"), option("Bạc")],
                ..draft("Hạng", FieldKind::Select)
            },
        )
        .unwrap();
    t.store
        .add_field(&admin, &draft("Nguồn khác", FieldKind::Text))
        .unwrap();
    let input = ProfileInput::default()
        .with("full_name", "Trần Văn Bảy")
        .with("hang", "Bạc");
    t.store
        .create_profile(&admin, &input, &ConsentInput::default())
        .unwrap();
    let all = t.store.field_settings(&admin).unwrap();
    let hang = setting(&all, "hang");
    assert_eq!(hang.values, Some(1), "one profile holds a value");
    assert_eq!(
        hang.kind_locked,
        Some(FieldLock::HoldsValues { profiles: 1 }),
        "the screen can say why the type is locked"
    );
    let locks = |key: &str| {
        let s = setting(&all, key);
        (s.kind_locked, s.hide_locked, s.mandatory_locked)
    };
    assert_eq!(
        [locks("nguon_khac"), locks("full_name"), locks("created_at")],
        [
            (None, None, None),
            (Some(FieldLock::BuiltIn), Some(FieldLock::Identifies), None),
            (Some(FieldLock::BuiltIn), None, Some(FieldLock::SetByApp)),
        ],
        "why each part is locked, as a reason the screen words: a custom field without \
         values, an identifier, a field the app sets"
    );
    let mut d = as_draft(hang);
    d.kind = FieldKind::Text;
    let err = t
        .store
        .update_field(&admin, "hang", &d)
        .expect_err("type locked");
    assert!(err.to_string().contains("its type cannot change"), "{err}");
    let mut d = as_draft(hang);
    d.options.retain(|o| o.label == "Vàng");
    let err = t
        .store
        .update_field(&admin, "hang", &d)
        .expect_err("option in use");
    assert!(
        err.to_string().contains("“Bạc” is used by 1 profile"),
        "{err}"
    );
    let mut d = as_draft(hang);
    d.options[1].label = "Bạch kim".into();
    d.options.push(option("Kim cương"));
    let after = t
        .store
        .update_field(&admin, "hang", &d)
        .expect("rename and add options");
    let values: Vec<&str> = setting(&after, "hang")
        .field
        .options
        .iter()
        .map(|o| o.value.as_str())
        .collect();
    assert_eq!(
        values,
        ["vang", "bac", "kim_cuong"],
        "renamed options keep their stored value"
    );
    let mut empty = as_draft(setting(&after, "nguon_khac"));
    empty.kind = FieldKind::Number;
    t.store
        .update_field(&admin, "nguon_khac", &empty)
        .expect("an empty field may change type");

    let err = t
        .store
        .delete_field(&admin, "hang", false)
        .expect_err("needs confirmation");
    assert!(
        err.to_string()
            .contains("confirm to delete the field and its values"),
        "{err}"
    );
    assert!(
        t.store.fields().unwrap().iter().any(|f| f.key == "hang"),
        "still there"
    );
    t.store
        .delete_field(&admin, "hang", true)
        .expect("confirmed");
    assert!(
        !t.store.fields().unwrap().iter().any(|f| f.key == "hang"),
        "gone"
    );
    let conn = rusqlite::Connection::open(t.store.path()).unwrap();
    let left: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM profile_custom_values WHERE field_key = 'hang'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "its values went with it");
    let last = t
        .store
        .audit_entries(
            &admin,
            &pdesk_core::audit_log::AuditQuery {
                limit: 1,
                ..Default::default()
            },
        )
        .unwrap();
    assert!(
        last.entries[0].details.contains("\"values\":1")
            && last.entries[0].details.contains("deleted"),
        "the deletion is audited with the count: {:?}",
        last.entries[0]
    );
    let err = t
        .store
        .delete_field(&admin, "city", true)
        .expect_err("built in");
    assert!(err.to_string().contains("cannot be deleted"), "{err}");
}

/// The app's new store and a new sync server start from one catalogue (`pdesk_rule`): a device
/// that connects keeps its fields' synonyms, list columns and options.
#[test]
fn a_new_store_starts_with_the_rule_crates_default_catalogue() {
    let t = crate::test_store();
    let stored: Vec<_> = t
        .store
        .fields()
        .unwrap()
        .into_iter()
        .filter(|f| f.kind != pdesk_core::model::FieldKind::System)
        .collect();
    assert_eq!(stored, pdesk_rule::catalogue::default_fields());
}
