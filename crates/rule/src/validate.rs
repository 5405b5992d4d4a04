//! Turns raw input (a form, an import row) into a [`ValidProfile`]: every value parsed for its
//! field kind, cleaned, normalised; or the list of field errors that say what is wrong.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::vocab::{FieldDef, FieldError, FieldKind, InputValue, PhoneValue, ProfileInput};
use pdesk_normalize::{
    clean_text, email_key, parse_date, read_phone_cell, validate_email, PhoneRegion,
};

/// Built-in single-value fields that are columns of the `profiles` table.
pub const SCALAR_COLUMNS: [&str; 9] = [
    "full_name",
    "gender",
    "birthday",
    "address",
    "city",
    "company",
    "job_title",
    "customer_code",
    "note",
];

/// Longest text accepted in a one-line field, and in a long-text field (characters).
pub const MAX_TEXT_CHARS: usize = 1_000;
pub const MAX_LONG_TEXT_CHARS: usize = 10_000;
/// Most values a list field (phones, e-mails, tags) may hold.
pub const MAX_LIST_VALUES: usize = 20;

/// An e-mail as typed and its match key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailValue {
    pub raw: String,
    pub key: String,
}

/// A validated, normalised profile (or part of one): only non-empty values are held; `given`
/// lists every field the input mentioned, so an edit can tell "cleared" from "not touched".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ValidProfile {
    pub scalars: BTreeMap<String, String>,
    pub phones: Vec<PhoneValue>,
    pub emails: Vec<EmailValue>,
    pub tags: Vec<String>,
    pub custom: BTreeMap<String, serde_json::Value>,
    pub given: BTreeSet<String>,
    /// Old 11-digit Vietnamese mobiles converted while reading: (as typed, as stored). Not
    /// stored with the profile; the store writes them into its history.
    #[serde(skip)]
    pub converted_phones: Vec<(String, String)>,
}

impl ValidProfile {
    /// Has at least one identifier (SPEC 1: full name, phone or e-mail).
    pub fn is_identified(&self) -> bool {
        self.scalars.contains_key("full_name") || !self.phones.is_empty() || !self.emails.is_empty()
    }

    /// Whether `key` holds a value.
    pub fn has(&self, key: &str) -> bool {
        match key {
            "phones" => !self.phones.is_empty(),
            "emails" => !self.emails.is_empty(),
            "tags" => !self.tags.is_empty(),
            k => self.scalars.contains_key(k) || self.custom.contains_key(k),
        }
    }

    /// Display label: the name, else the first phone, else the first e-mail.
    pub fn label(&self, id: i64) -> String {
        self.scalars
            .get("full_name")
            .cloned()
            .or_else(|| self.phones.first().map(|p| p.raw.clone()))
            .or_else(|| self.emails.first().map(|e| e.raw.clone()))
            .unwrap_or_else(|| format!("Profile #{id}"))
    }
}

/// A number in E.164 as people of its region write it: `+84565868199` → `0565868199` (the trunk
/// prefix instead of the calling code); other regions' numbers stay international.
pub fn national_form(e164: &str, region: &PhoneRegion) -> String {
    match (
        e164.strip_prefix('+')
            .and_then(|d| d.strip_prefix(region.calling_code)),
        region.trunk,
    ) {
        (Some(national), Some(trunk)) => format!("{trunk}{national}"),
        _ => e164.to_string(),
    }
}

/// Where an error in one entry of a list field points: `phones.1` is the second non-empty
/// phone, so a form can mark the right input.
fn item_path(key: &str, index: usize) -> String {
    format!("{key}.{index}")
}

/// An error on `field` whose sentence names the field by its `label`.
fn labelled(field: &FieldDef, path: &str, code: &str, message: String) -> FieldError {
    FieldError::new(path, code, message).with("label", &field.label)
}

/// Splits a list cell: lists arrive as arrays from forms, or as one text separated by `,`, `;`
/// or new lines from imports and pastes.
fn list_items(value: &InputValue) -> Vec<String> {
    let raw: Vec<&str> = match value {
        InputValue::Text(t) => t.split([',', ';', '\n']).collect(),
        InputValue::List(items) => items.iter().map(String::as_str).collect(),
    };
    raw.into_iter()
        .map(clean_text)
        .filter(|s| !s.is_empty())
        .collect()
}

fn single_text(field: &FieldDef, value: &InputValue) -> Result<String, FieldError> {
    match value {
        InputValue::Text(t) => Ok(clean_text(t)),
        InputValue::List(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|s| clean_text(s))
                .filter(|s| !s.is_empty())
                .collect();
            match items.as_slice() {
                [] => Ok(String::new()),
                [one] => Ok(one.clone()),
                _ => Err(labelled(
                    field,
                    &field.key,
                    "severalValues",
                    format!(
                        "{} holds one value, but {} were given",
                        field.label,
                        items.len()
                    ),
                )
                .with("given", items.len())),
            }
        }
    }
}

/// Maps a select input to one of the field's option values, by value or label, ignoring case;
/// gender also understands the Vietnamese words (Nam / Nữ).
fn select_value(field: &FieldDef, text: &str) -> Option<String> {
    let t = pdesk_normalize::fold_for_search(text);
    if field.key == "gender" {
        let alias = match t.as_str() {
            "nam" | "m" | "man" => Some("male"),
            "nu" | "f" | "woman" => Some("female"),
            "khac" => Some("other"),
            _ => None,
        };
        if let Some(a) = alias {
            return Some(a.to_string());
        }
    }
    field
        .options
        .iter()
        .find(|o| {
            pdesk_normalize::fold_for_search(&o.value) == t
                || pdesk_normalize::fold_for_search(&o.label) == t
        })
        .map(|o| o.value.clone())
}

fn parse_bool(text: &str) -> Option<bool> {
    match pdesk_normalize::fold_for_search(text).as_str() {
        "yes" | "y" | "true" | "1" | "co" | "x" => Some(true),
        "no" | "n" | "false" | "0" | "khong" => Some(false),
        _ => None,
    }
}

fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Validates `input` against the catalogue. `for_create` adds the creation rules: at least one
/// identifier and every field the admin marked mandatory.
pub fn validate(
    input: &ProfileInput,
    fields: &[FieldDef],
    region: &PhoneRegion,
    for_create: bool,
) -> Result<ValidProfile, Vec<FieldError>> {
    let mut out = ValidProfile::default();
    let mut errors = Vec::new();
    for (key, value) in &input.values {
        let Some(field) = fields.iter().find(|f| &f.key == key) else {
            errors.push(FieldError::new(
                key,
                "unknownField",
                format!("There is no field “{key}”"),
            ));
            continue;
        };
        if field.kind == FieldKind::System {
            errors.push(labelled(
                field,
                key,
                "readOnly",
                format!("{} is set by the app", field.label),
            ));
            continue;
        }
        out.given.insert(key.clone());
        if let Err(e) = validate_field(field, value, region, &mut out) {
            errors.extend(e);
        }
    }
    if for_create {
        if !out.is_identified() {
            errors.push(FieldError::new(
                "identification",
                "identificationRequired",
                "A profile needs at least one identifier: full name, phone or e-mail".into(),
            ));
        }
        for f in fields
            .iter()
            .filter(|f| f.mandatory && !f.hidden && f.kind != FieldKind::System)
        {
            if !out.has(&f.key) && !errors.iter().any(|e| e.field == f.key) {
                errors.push(labelled(
                    f,
                    &f.key,
                    "required",
                    format!("{} is mandatory", f.label),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn validate_field(
    field: &FieldDef,
    value: &InputValue,
    region: &PhoneRegion,
    out: &mut ValidProfile,
) -> Result<(), Vec<FieldError>> {
    let key = field.key.as_str();
    let too_many = |n: usize| {
        vec![labelled(
            field,
            key,
            "tooManyValues",
            format!(
                "{} holds at most {MAX_LIST_VALUES} values ({n} given)",
                field.label
            ),
        )
        .with("max", MAX_LIST_VALUES)
        .with("given", n)]
    };
    match field.kind {
        FieldKind::Phones => {
            // Each item is a cell as typed: it may hold several numbers, annotations that
            // become labels (`0377920611 (Zalo)`), old 11-digit mobiles (converted).
            let items: Vec<&str> = match value {
                InputValue::Text(t) => vec![t.as_str()],
                InputValue::List(items) => items.iter().map(String::as_str).collect(),
            };
            let mut errors = Vec::new();
            let mut read = 0;
            for item in items {
                let cell = read_phone_cell(item, region);
                for problem in cell.problems {
                    errors.push(
                        FieldError::new(&item_path(key, read), "invalidPhone", problem.to_string())
                            .with_all(problem.params()),
                    );
                    read += 1;
                }
                for number in cell.numbers {
                    read += 1;
                    if out.phones.iter().any(|p| p.e164 == number.e164) {
                        continue;
                    }
                    let raw = match &number.converted_from {
                        // Shown as the number it is now; the old one goes into the history.
                        Some(old) => {
                            let now = national_form(&number.e164, region);
                            out.converted_phones.push((old.clone(), now.clone()));
                            now
                        }
                        None => number.raw,
                    };
                    out.phones.push(PhoneValue {
                        raw,
                        e164: number.e164,
                        label: number.label,
                    });
                }
            }
            if out.phones.len() > MAX_LIST_VALUES {
                return Err(too_many(out.phones.len()));
            }
            if errors.is_empty() {
                Ok(())
            } else {
                Err(errors)
            }
        }
        FieldKind::Emails => {
            let items = list_items(value);
            if items.len() > MAX_LIST_VALUES {
                return Err(too_many(items.len()));
            }
            let mut errors = Vec::new();
            for (i, raw) in items.into_iter().enumerate() {
                match validate_email(&raw) {
                    Ok(()) => {
                        let k = email_key(&raw);
                        if !out.emails.iter().any(|e| e.key == k) {
                            out.emails.push(EmailValue { raw, key: k });
                        }
                    }
                    Err(e) => errors.push(
                        FieldError::new(&item_path(key, i), "invalidEmail", e.to_string())
                            .with_all(e.params()),
                    ),
                }
            }
            if errors.is_empty() {
                Ok(())
            } else {
                Err(errors)
            }
        }
        FieldKind::Tags | FieldKind::MultiSelect => {
            let items = list_items(value);
            if items.len() > MAX_LIST_VALUES {
                return Err(too_many(items.len()));
            }
            let mut values: Vec<String> = Vec::new();
            for item in items {
                let v = if field.kind == FieldKind::MultiSelect {
                    select_value(field, &item).ok_or_else(|| {
                        vec![labelled(
                            field,
                            key,
                            "invalidOption",
                            format!("“{item}” is not one of the options of {}", field.label),
                        )
                        .with("value", &item)]
                    })?
                } else {
                    item
                };
                if !values.contains(&v) {
                    values.push(v);
                }
            }
            if field.kind == FieldKind::Tags {
                out.tags = values;
            } else if !values.is_empty() {
                out.custom
                    .insert(key.to_string(), serde_json::json!(values));
            }
            Ok(())
        }
        _ => {
            let text = single_text(field, value).map_err(|e| vec![e])?;
            if text.is_empty() {
                return Ok(());
            }
            let max = if field.kind == FieldKind::LongText {
                MAX_LONG_TEXT_CHARS
            } else {
                MAX_TEXT_CHARS
            };
            if text.chars().count() > max {
                return Err(vec![labelled(
                    field,
                    key,
                    "tooLong",
                    format!("{} is limited to {max} characters", field.label),
                )
                .with("max", max)
                .with("given", text.chars().count())]);
            }
            let stored: serde_json::Value = match field.kind {
                FieldKind::Date => {
                    let d =
                        parse_date(&text).map_err(|e| {
                            vec![FieldError::new(key, "invalidDate", e.to_string())
                                .with_all(e.params())]
                        })?;
                    serde_json::json!(d.to_string())
                }
                FieldKind::Select => {
                    let v = select_value(field, &text).ok_or_else(|| {
                        vec![labelled(
                            field,
                            key,
                            "invalidOption",
                            format!("“{text}” is not one of the options of {}", field.label),
                        )
                        .with("value", &text)]
                    })?;
                    serde_json::json!(v)
                }
                FieldKind::Number => {
                    let n = parse_number(&text).ok_or_else(|| {
                        vec![FieldError::new(
                            key,
                            "invalidNumber",
                            format!("“{text}” is not a number"),
                        )
                        .with("value", &text)]
                    })?;
                    serde_json::json!(n)
                }
                FieldKind::Boolean => {
                    let b = parse_bool(&text).ok_or_else(|| {
                        vec![FieldError::new(
                            key,
                            "invalidBoolean",
                            format!("“{text}” is not yes or no"),
                        )
                        .with("value", &text)]
                    })?;
                    serde_json::json!(b)
                }
                _ => serde_json::json!(text),
            };
            if SCALAR_COLUMNS.contains(&key) {
                let s = match stored {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                out.scalars.insert(key.to_string(), s);
            } else {
                out.custom.insert(key.to_string(), stored);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::default_fields;

    fn vn() -> &'static PhoneRegion {
        PhoneRegion::by_iso("VN").expect("VN is a known region")
    }

    /// The errors of `input` as an edit (no identifier needed, so only its own errors).
    fn refused(input: ProfileInput) -> Vec<FieldError> {
        validate(&input, &default_fields(), vn(), false).expect_err("the input is refused")
    }

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// A phone's error names what was typed and why, with the numbers its sentence needs, so
    /// the UI can say it in Vietnamese; the English stays the message.
    #[test]
    fn a_short_phone_names_its_digits_and_the_expected_length() {
        let errors = refused(ProfileInput::default().with_list("phones", &["0912 345"]));
        let [e] = errors.as_slice() else {
            panic!("one error: {errors:?}")
        };
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            ("phones.0", "invalidPhone")
        );
        assert_eq!(
            e.params,
            params(&[
                ("value", "0912 345"),
                ("reason", "tooShort"),
                ("region", "VN"),
                ("callingCode", "84"),
                ("typed", "7"),
                ("kind", "mobile"),
                ("min", "10"),
                ("max", "10"),
                ("trunk", "0"),
            ])
        );
        assert_eq!(
            e.message,
            "“0912 345” is not a phone number: it is too short: 7 digits, where a mobile number in \
             Vietnam (region VN) has 10 digits with its leading 0"
        );
    }

    #[test]
    fn phone_reasons_have_their_own_names() {
        for (typed, reason) in [
            ("09l2345678", "letters"),
            ("091234567890", "tooLong"),
            ("+84 912 345", "tooShort"),
            ("01101234567", "oldPrefix"),
            ("0412 345 678", "notInPlan"),
        ] {
            let errors = refused(ProfileInput::default().with_list("phones", &[typed]));
            let reasons: Vec<&str> = errors
                .iter()
                .filter_map(|e| e.params.get("reason").map(String::as_str))
                .collect();
            assert_eq!(reasons, [reason], "{typed}: {errors:?}");
        }
        let intl = refused(ProfileInput::default().with_list("phones", &["+84 912 345"]));
        assert_eq!(intl[0].params.get("intl").map(String::as_str), Some("true"));
        assert_eq!(intl[0].params.get("trunk"), None, "no trunk after +84");
    }

    #[test]
    fn an_email_names_the_value_and_the_problem() {
        let errors = refused(ProfileInput::default().with_list("emails", &["an.example.com"]));
        assert_eq!(errors[0].code, "invalidEmail");
        assert_eq!(
            errors[0].params,
            params(&[("value", "an.example.com"), ("reason", "noAt")])
        );
        assert_eq!(
            errors[0].message,
            "“an.example.com” is not a valid e-mail address: it has no @"
        );
    }

    #[test]
    fn a_date_names_the_day_the_month_does_not_have() {
        let errors = refused(
            ProfileInput::default()
                .with("full_name", "An")
                .with("birthday", "31/02/1990"),
        );
        assert_eq!(errors[0].code, "invalidDate");
        assert_eq!(
            errors[0].params,
            params(&[
                ("value", "31/02/1990"),
                ("reason", "noSuchDay"),
                ("month", "2"),
                ("year", "1990"),
                ("days", "28"),
            ])
        );
    }

    #[test]
    fn limits_name_the_limit_and_what_was_given() {
        let long = "x".repeat(MAX_TEXT_CHARS + 1);
        let errors = refused(ProfileInput::default().with("full_name", &long));
        let too_long = errors
            .iter()
            .find(|e| e.code == "tooLong")
            .expect("tooLong");
        assert_eq!(
            too_long.params,
            params(&[("label", "Full name"), ("max", "1000"), ("given", "1001")])
        );
        let tags: Vec<String> = (0..=MAX_LIST_VALUES).map(|i| format!("t{i}")).collect();
        let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
        let errors = refused(
            ProfileInput::default()
                .with("full_name", "An")
                .with_list("tags", &tags),
        );
        assert_eq!(errors[0].code, "tooManyValues");
        assert_eq!(
            errors[0].params,
            params(&[("label", "Tags"), ("max", "20"), ("given", "21")])
        );
    }

    #[test]
    fn values_that_fit_no_kind_are_named() {
        let errors = refused(
            ProfileInput::default()
                .with("full_name", "An")
                .with("gender", "robot"),
        );
        assert_eq!(errors[0].code, "invalidOption");
        assert_eq!(
            errors[0].params,
            params(&[("label", "Gender"), ("value", "robot")])
        );
        let none = validate(&ProfileInput::default(), &default_fields(), vn(), true)
            .expect_err("a new profile needs an identifier");
        assert_eq!(none[0].code, "identificationRequired");
        assert!(none[0].params.is_empty(), "the sentence needs nothing");
    }

    /// Params travel only when there are some: an older UI and the CLI's JSON read the same
    /// three fields as before.
    #[test]
    fn params_are_left_out_of_json_when_empty() {
        let bare = FieldError::new("identification", "identificationRequired", "x".into());
        let json = serde_json::to_value(&bare).expect("serialises");
        assert_eq!(json.get("params"), None);
        let back: FieldError =
            serde_json::from_value(serde_json::json!({"field": "a", "code": "b", "message": "c"}))
                .expect("an error without params reads");
        assert!(back.params.is_empty());
        let with = serde_json::to_value(bare.with("max", 3)).expect("serialises");
        assert_eq!(with["params"]["max"], "3");
    }
}
