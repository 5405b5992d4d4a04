//! The field catalogue's own rules (SPEC 1, 7.1): what an administrator may do to fields, with
//! the bounds the app's Settings → Fields screen and the sync server's `config set` both check.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::vocab::{FieldDef, FieldError, FieldKind, SelectOption};

/// A language people read Profile Desk in (the UI's `Lang`, ui/src/i18n/lang.ts): what the
/// core writes for people to read in a chosen language (the import template's headers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Vi,
}

pdesk_normalize::text_enum!(pub Lang {
    En => "en",
    Vi => "vi",
});

/// The built-in fields' names as a new catalogue has them (English, `default_fields`' labels)
/// and in Vietnamese: the names the UI shows (`BUILTIN_NAMES_EN` / `builtinNames` in
/// ui/src/ipc/messages.ts, checked equal by this module's tests). Each Vietnamese name is also
/// one of the field's synonyms, so a column titled with it maps back by itself.
const BUILTIN_NAMES: [(&str, &str, &str); 12] = [
    ("full_name", "Full name", "Họ và tên"),
    ("phones", "Phones", "Số điện thoại"),
    ("emails", "E-mails", "Email"),
    ("gender", "Gender", "Giới tính"),
    ("birthday", "Birthday", "Ngày sinh"),
    ("address", "Address", "Địa chỉ"),
    ("city", "City", "Tỉnh/Thành phố"),
    ("company", "Company", "Công ty"),
    ("job_title", "Job title", "Chức vụ"),
    ("customer_code", "Customer code", "Mã khách hàng"),
    ("tags", "Tags", "Nhãn"),
    ("note", "Note", "Ghi chú"),
];

/// The name of the built-in field `key` in `lang` as a new catalogue gives it; `None` for any
/// other key (custom fields, the store's system fields).
pub fn builtin_name(key: &str, lang: Lang) -> Option<&'static str> {
    BUILTIN_NAMES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, vi)| match lang {
            Lang::En => *en,
            Lang::Vi => *vi,
        })
}

/// How `field` is named for people reading `lang`: a built-in field still named as a new
/// catalogue names it takes its name in `lang`; a field an administrator renamed, and every
/// custom field, keeps its stored label in either language.
pub fn field_name(field: &FieldDef, lang: Lang) -> &str {
    match builtin_name(&field.key, Lang::En) {
        Some(default) if field.builtin && field.label == default => {
            builtin_name(&field.key, lang).unwrap_or(&field.label)
        }
        _ => &field.label,
    }
}

/// The kinds an administrator can give a custom field.
pub const CUSTOM_KINDS: [FieldKind; 7] = [
    FieldKind::Text,
    FieldKind::LongText,
    FieldKind::Number,
    FieldKind::Date,
    FieldKind::Boolean,
    FieldKind::Select,
    FieldKind::MultiSelect,
];

/// Fields that identify a profile (SPEC 1): never hidden.
pub const IDENTIFIERS: [&str; 3] = ["full_name", "phones", "emails"];
pub const MAX_FIELD_LABEL: usize = 60;
pub const MAX_OPTIONS: usize = 100;
pub const MAX_SYNONYMS: usize = 30;
/// Custom fields a catalogue may have.
pub const MAX_CUSTOM_FIELDS: usize = 100;
/// Longest key of a custom field.
pub const MAX_FIELD_KEY: usize = 64;

/// The built-in fields a new catalogue starts with — the app's new store (its migration
/// `0002_defaults.sql`, checked equal by `pdesk-core`'s tests) and a new sync server alike —
/// with the column names sales staff's files use for them (Vietnamese and English). The
/// store's own system fields (source, created at, …) are not among them.
pub fn default_fields() -> Vec<FieldDef> {
    let field = |key: &str, label: &str, kind, displayed, position, synonyms: &[&str]| FieldDef {
        key: key.into(),
        label: label.into(),
        kind,
        builtin: true,
        mandatory: false,
        displayed,
        hidden: false,
        position,
        options: Vec::new(),
        synonyms: synonyms.iter().map(|s| s.to_string()).collect(),
    };
    let mut gender = field(
        "gender",
        "Gender",
        FieldKind::Select,
        false,
        40,
        &["Giới tính", "Gender", "Sex"],
    );
    gender.options = [
        ("male", "Male"),
        ("female", "Female"),
        ("other", "Other"),
        ("unknown", "Unknown"),
    ]
    .iter()
    .map(|(value, label)| SelectOption {
        value: value.to_string(),
        label: label.to_string(),
    })
    .collect();
    vec![
        field(
            "full_name",
            "Full name",
            FieldKind::Text,
            true,
            10,
            &[
                "Họ và tên",
                "Họ tên",
                "Tên khách hàng",
                "Tên",
                "Full name",
                "Name",
                "Customer name",
                "Ho va ten",
            ],
        ),
        field(
            "phones",
            "Phones",
            FieldKind::Phones,
            true,
            20,
            &[
                "SĐT",
                "SDT",
                "Số điện thoại",
                "Điện thoại",
                "Di động",
                "Phone",
                "Phone number",
                "Mobile",
                "Tel",
                "Telephone",
            ],
        ),
        field(
            "emails",
            "E-mails",
            FieldKind::Emails,
            true,
            30,
            &["Email", "E-mail", "Thư điện tử", "Mail", "Email address"],
        ),
        gender,
        field(
            "birthday",
            "Birthday",
            FieldKind::Date,
            false,
            50,
            &["Ngày sinh", "Sinh nhật", "Birthday", "Date of birth", "DOB"],
        ),
        field(
            "address",
            "Address",
            FieldKind::Text,
            false,
            60,
            &["Địa chỉ", "Address"],
        ),
        field(
            "city",
            "City",
            FieldKind::Text,
            true,
            70,
            &[
                "Thành phố",
                "Tỉnh/Thành phố",
                "Tỉnh thành",
                "Tỉnh",
                "City",
                "Province",
            ],
        ),
        field(
            "company",
            "Company",
            FieldKind::Text,
            true,
            80,
            &[
                "Công ty",
                "Tên công ty",
                "Doanh nghiệp",
                "Company",
                "Organisation",
                "Organization",
            ],
        ),
        field(
            "job_title",
            "Job title",
            FieldKind::Text,
            false,
            90,
            &["Chức vụ", "Chức danh", "Job title", "Title", "Position"],
        ),
        field(
            "customer_code",
            "Customer code",
            FieldKind::Text,
            true,
            100,
            &[
                "Mã khách hàng",
                "Mã KH",
                "Customer code",
                "Customer ID",
                "CIF",
                "Code",
            ],
        ),
        field(
            "tags",
            "Tags",
            FieldKind::Tags,
            false,
            110,
            &["Nhãn", "Thẻ", "Tags", "Labels"],
        ),
        field(
            "note",
            "Note",
            FieldKind::LongText,
            false,
            120,
            &["Ghi chú", "Note", "Notes", "Comment"],
        ),
    ]
}

/// Whether `key` can name a custom field: lower-case ASCII letters, digits and `_`, starting
/// with a letter (the keys the app makes from a field's name).
pub fn is_field_key(key: &str) -> bool {
    key.len() <= MAX_FIELD_KEY
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Checks a whole catalogue: every built-in field of `builtins` kept with its kind, keys
/// unique and well formed, custom fields of a custom kind and within their number, labels,
/// options and synonyms within bounds, identifiers never hidden. The first problem is named by
/// the field's key.
pub fn check_catalogue(fields: &[FieldDef], builtins: &[FieldDef]) -> Result<(), FieldError> {
    let mut keys = BTreeSet::new();
    for field in fields {
        if !keys.insert(field.key.as_str()) {
            return Err(FieldError::new(
                &field.key,
                "duplicateKey",
                format!("The catalogue has two fields with the key {}", field.key),
            ));
        }
        let builtin = builtins.iter().find(|b| b.key == field.key);
        match builtin {
            Some(b) if b.kind != field.kind || !field.builtin => {
                return Err(FieldError::new(
                    &field.key,
                    "builtinChanged",
                    format!(
                        "The built-in field {} keeps its kind and stays built-in",
                        field.key
                    ),
                ))
            }
            None if field.builtin => {
                return Err(FieldError::new(
                    &field.key,
                    "notBuiltin",
                    format!("{} is not a built-in field: mark it as custom", field.key),
                ))
            }
            None if !is_field_key(&field.key) => {
                return Err(FieldError::new(
                    &field.key,
                    "badKey",
                    format!(
                        "The key “{}” must be lower-case letters, digits and _, starting with a \
                         letter, at most {MAX_FIELD_KEY} characters",
                        field.key
                    ),
                )
                .with("max", MAX_FIELD_KEY))
            }
            None if !CUSTOM_KINDS.contains(&field.kind) => {
                return Err(FieldError::new(
                    &field.key,
                    "badKind",
                    "A custom field is text, long text, number, date, yes/no, single-select or \
                     multi-select"
                        .into(),
                ))
            }
            _ => {}
        }
        let label = field.label.trim();
        if label.is_empty() || label.chars().count() > MAX_FIELD_LABEL {
            return Err(FieldError::new(
                &field.key,
                "badLabel",
                format!(
                    "The name of {} must have 1 to {MAX_FIELD_LABEL} characters",
                    field.key
                ),
            )
            .with("max", MAX_FIELD_LABEL));
        }
        if field.hidden && IDENTIFIERS.contains(&field.key.as_str()) {
            return Err(FieldError::new(
                &field.key,
                "identifierHidden",
                format!("{} identifies a profile and cannot be hidden", field.key),
            ));
        }
        let is_select = matches!(field.kind, FieldKind::Select | FieldKind::MultiSelect);
        if is_select && (field.options.is_empty() || field.options.len() > MAX_OPTIONS) {
            return Err(FieldError::new(
                &field.key,
                "options",
                format!("A select field has 1 to {MAX_OPTIONS} options"),
            )
            .with("max", MAX_OPTIONS));
        }
        let mut values = BTreeSet::new();
        for option in &field.options {
            if option.value.trim().is_empty() || !values.insert(option.value.as_str()) {
                return Err(FieldError::new(
                    &field.key,
                    "optionValues",
                    format!(
                        "The options of {} need distinct, non-empty values",
                        field.key
                    ),
                ));
            }
        }
        if field.synonyms.len() > MAX_SYNONYMS {
            return Err(FieldError::new(
                &field.key,
                "synonyms",
                format!("{} can have at most {MAX_SYNONYMS} synonyms", field.key),
            )
            .with("max", MAX_SYNONYMS));
        }
    }
    if let Some(missing) = builtins.iter().find(|b| !keys.contains(b.key.as_str())) {
        return Err(FieldError::new(
            &missing.key,
            "builtinRemoved",
            format!("The built-in field {} cannot be removed", missing.key),
        ));
    }
    let custom = fields.iter().filter(|f| !f.builtin).count();
    if custom > MAX_CUSTOM_FIELDS {
        return Err(FieldError::new(
            "fields",
            "tooMany",
            format!("A catalogue can have at most {MAX_CUSTOM_FIELDS} custom fields"),
        )
        .with("max", MAX_CUSTOM_FIELDS));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::SelectOption;

    fn field(key: &str, kind: FieldKind, builtin: bool) -> FieldDef {
        FieldDef {
            key: key.into(),
            label: key.into(),
            kind,
            builtin,
            mandatory: false,
            displayed: true,
            hidden: false,
            position: 0,
            options: Vec::new(),
            synonyms: Vec::new(),
        }
    }

    fn builtins() -> Vec<FieldDef> {
        vec![
            field("full_name", FieldKind::Text, true),
            field("phones", FieldKind::Phones, true),
        ]
    }

    /// `"field:<key>": "<name>",` lines of the object literal that starts at `start` in `ts`.
    fn ts_names(ts: &str, start: &str) -> Vec<(String, String)> {
        let at = ts
            .find(start)
            .unwrap_or_else(|| panic!("ui/src/ipc/messages.ts has `{start}`"));
        let body = &ts[at..];
        let end = ["};", "});"]
            .iter()
            .filter_map(|e| body.find(e))
            .min()
            .unwrap_or(body.len());
        body[..end]
            .lines()
            .filter_map(|line| {
                let rest = line.trim().strip_prefix("\"field:")?;
                let (key, rest) = rest.split_once('"')?;
                let name = rest.trim_start_matches(':').trim().strip_prefix('"')?;
                let name = name
                    .strip_suffix("\",")
                    .or_else(|| name.strip_suffix('"'))?;
                Some((key.to_string(), name.to_string()))
            })
            .collect()
    }

    #[test]
    fn builtin_names_are_the_uis_in_both_languages() {
        let path = format!(
            "{}/../../ui/src/ipc/messages.ts",
            std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR")
        );
        let ts = std::fs::read_to_string(path).expect("read ui/src/ipc/messages.ts");
        for (lang, start) in [
            (Lang::En, "export const BUILTIN_NAMES_EN = {"),
            (Lang::Vi, "export const builtinNames = messages("),
        ] {
            let ui = ts_names(&ts, start);
            assert!(
                ui.len() >= BUILTIN_NAMES.len(),
                "the UI's {lang:?} names are read: {ui:?}"
            );
            for (key, _, _) in BUILTIN_NAMES {
                let shown = ui.iter().find(|(k, _)| k == key).map(|(_, n)| n.as_str());
                assert_eq!(
                    shown,
                    builtin_name(key, lang),
                    "{key} is named alike here and in the UI ({lang:?})"
                );
            }
        }
    }

    #[test]
    fn builtin_names_name_the_default_fields_and_map_back_as_synonyms() {
        let defaults = default_fields();
        assert_eq!(
            defaults.len(),
            BUILTIN_NAMES.len(),
            "one name per built-in field"
        );
        for f in &defaults {
            assert_eq!(
                builtin_name(&f.key, Lang::En),
                Some(f.label.as_str()),
                "the English name is the new catalogue's label of {}",
                f.key
            );
            let vi = builtin_name(&f.key, Lang::Vi).expect("a Vietnamese name");
            assert!(
                f.synonyms.iter().any(|s| s == vi),
                "{vi} is a synonym of {}, so a column named so maps back",
                f.key
            );
        }
        assert_eq!(
            builtin_name("source", Lang::Vi),
            None,
            "system fields: none"
        );
        assert_eq!(
            builtin_name("hang_khach", Lang::En),
            None,
            "custom fields: none"
        );
    }

    #[test]
    fn a_renamed_builtin_keeps_its_label_in_both_languages() {
        let mut city = default_fields()
            .into_iter()
            .find(|f| f.key == "city")
            .unwrap();
        assert_eq!(field_name(&city, Lang::Vi), "Tỉnh/Thành phố");
        assert_eq!(field_name(&city, Lang::En), "City");
        city.label = "Chi nhánh".into();
        assert_eq!(
            field_name(&city, Lang::Vi),
            "Chi nhánh",
            "renamed: as typed"
        );
        assert_eq!(field_name(&city, Lang::En), "Chi nhánh", "in English too");
        let mut custom = field("city_code", FieldKind::Text, false);
        custom.label = "City".into();
        assert_eq!(
            field_name(&custom, Lang::Vi),
            "City",
            "custom fields as typed"
        );
        assert_eq!(Lang::parse("vi"), Some(Lang::Vi));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(serde_json::to_string(&Lang::Vi).unwrap(), "\"vi\"");
    }

    #[test]
    fn a_catalogue_keeps_its_builtins_and_takes_well_formed_custom_fields() {
        let mut fields = builtins();
        let mut tier = field("hang_khach", FieldKind::Select, false);
        tier.options = vec![SelectOption {
            value: "vip".into(),
            label: "VIP".into(),
        }];
        fields.push(tier);
        assert_eq!(check_catalogue(&fields, &builtins()), Ok(()));
        let code = |fields: &[FieldDef]| check_catalogue(fields, &builtins()).unwrap_err().code;
        assert_eq!(code(&fields[1..]), "builtinRemoved");
        let mut changed = fields.clone();
        changed[1].kind = FieldKind::Text;
        assert_eq!(code(&changed), "builtinChanged");
        let mut hidden = fields.clone();
        hidden[0].hidden = true;
        assert_eq!(code(&hidden), "identifierHidden");
        let mut bad = fields.clone();
        bad.push(field("Hạng", FieldKind::Text, false));
        assert_eq!(code(&bad), "badKey");
        let mut twice = fields.clone();
        twice.push(field("hang_khach", FieldKind::Text, false));
        assert_eq!(code(&twice), "duplicateKey");
        let mut no_options = fields.clone();
        no_options[2].options.clear();
        assert_eq!(code(&no_options), "options");
        let mut phones = fields.clone();
        phones.push(field("zalo", FieldKind::Phones, false));
        assert_eq!(code(&phones), "badKind");
        let mut many = builtins();
        many.extend(
            (0..=MAX_CUSTOM_FIELDS).map(|i| field(&format!("f{i}"), FieldKind::Text, false)),
        );
        assert_eq!(code(&many), "tooMany");
    }
}
