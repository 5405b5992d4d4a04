//! The field catalogue's own rules (SPEC 1, 7.1): what an administrator may do to fields, with
//! the bounds the app's Settings → Fields screen and the sync server's `config set` both check.

use std::collections::BTreeSet;

use crate::vocab::{FieldDef, FieldError, FieldKind, SelectOption};

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

fn refused(field: &str, code: &str, message: String) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
        message,
    }
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
            return Err(refused(
                &field.key,
                "duplicate",
                format!("The catalogue has two fields with the key {}", field.key),
            ));
        }
        let builtin = builtins.iter().find(|b| b.key == field.key);
        match builtin {
            Some(b) if b.kind != field.kind || !field.builtin => {
                return Err(refused(
                    &field.key,
                    "builtinChanged",
                    format!(
                        "The built-in field {} keeps its kind and stays built-in",
                        field.key
                    ),
                ))
            }
            None if field.builtin => {
                return Err(refused(
                    &field.key,
                    "notBuiltin",
                    format!("{} is not a built-in field: mark it as custom", field.key),
                ))
            }
            None if !is_field_key(&field.key) => {
                return Err(refused(
                    &field.key,
                    "badKey",
                    format!(
                        "The key “{}” must be lower-case letters, digits and _, starting with a \
                         letter, at most {MAX_FIELD_KEY} characters",
                        field.key
                    ),
                ))
            }
            None if !CUSTOM_KINDS.contains(&field.kind) => {
                return Err(refused(
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
            return Err(refused(
                &field.key,
                "badLabel",
                format!(
                    "The name of {} must have 1 to {MAX_FIELD_LABEL} characters",
                    field.key
                ),
            ));
        }
        if field.hidden && IDENTIFIERS.contains(&field.key.as_str()) {
            return Err(refused(
                &field.key,
                "identifierHidden",
                format!("{} identifies a profile and cannot be hidden", field.key),
            ));
        }
        let is_select = matches!(field.kind, FieldKind::Select | FieldKind::MultiSelect);
        if is_select && (field.options.is_empty() || field.options.len() > MAX_OPTIONS) {
            return Err(refused(
                &field.key,
                "options",
                format!("A select field has 1 to {MAX_OPTIONS} options"),
            ));
        }
        let mut values = BTreeSet::new();
        for option in &field.options {
            if option.value.trim().is_empty() || !values.insert(option.value.as_str()) {
                return Err(refused(
                    &field.key,
                    "options",
                    format!(
                        "The options of {} need distinct, non-empty values",
                        field.key
                    ),
                ));
            }
        }
        if field.synonyms.len() > MAX_SYNONYMS {
            return Err(refused(
                &field.key,
                "synonyms",
                format!("{} can have at most {MAX_SYNONYMS} synonyms", field.key),
            ));
        }
    }
    if let Some(missing) = builtins.iter().find(|b| !keys.contains(b.key.as_str())) {
        return Err(refused(
            &missing.key,
            "builtinRemoved",
            format!("The built-in field {} cannot be removed", missing.key),
        ));
    }
    let custom = fields.iter().filter(|f| !f.builtin).count();
    if custom > MAX_CUSTOM_FIELDS {
        return Err(refused(
            "fields",
            "tooMany",
            format!("A catalogue can have at most {MAX_CUSTOM_FIELDS} custom fields"),
        ));
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
        assert_eq!(code(&twice), "duplicate");
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
