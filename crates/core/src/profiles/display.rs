//! How a stored value reads as text: in the list, the detail, merge reviews and exports.

use pdesk_normalize::PhoneRegion;
use pdesk_rule::validate::{national_form, ValidProfile};

use crate::model::{FieldDef, FieldKind};

/// The text of one field as the screens show it (the list, merge review): phones as the stored
/// numbers in the region's national form, which the UI groups as the detail does, whatever each
/// source typed (`912345678`, `+84 912…`; issue 16, "show them one way"); everything else as
/// [`display_value`]. Exports keep what was typed ([`display_value`]).
pub fn shown_value(field: &FieldDef, p: &ValidProfile, region: &PhoneRegion) -> String {
    match field.kind {
        FieldKind::Phones => p
            .phones
            .iter()
            .map(|x| national_form(&x.e164, region))
            .collect::<Vec<_>>()
            .join(", "),
        _ => display_value(field, p),
    }
}

/// The display text of one field of a profile: lists joined with `, `, select values shown by
/// their label, numbers without a trailing `.0`, booleans as Yes/No.
pub fn display_value(field: &FieldDef, p: &ValidProfile) -> String {
    let option_label = |v: &str| option_label(field, v);
    match field.kind {
        FieldKind::Phones => p
            .phones
            .iter()
            .map(|x| x.raw.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        FieldKind::Emails => p
            .emails
            .iter()
            .map(|x| x.raw.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        FieldKind::Tags => p.tags.join(", "),
        _ => {
            if let Some(s) = p.scalars.get(&field.key) {
                return scalar_text(field, s.clone());
            }
            match p.custom.get(&field.key) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) if field.kind == FieldKind::Select => {
                    option_label(s)
                }
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Bool(b)) => if *b { "Yes" } else { "No" }.to_string(),
                Some(serde_json::Value::Number(n)) => match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
                    _ => n.to_string(),
                },
                Some(serde_json::Value::Array(items)) => items
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(option_label)
                            .unwrap_or_else(|| v.to_string())
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                Some(other) => other.to_string(),
            }
        }
    }
}

/// The display text of `s`, the stored value of a built-in single-value column (a select's
/// value shown by its label): [`display_value`]'s rule for those columns, which the list's rows
/// also apply straight to a column read from the store.
pub fn scalar_text(field: &FieldDef, s: String) -> String {
    if field.kind == FieldKind::Select {
        option_label(field, &s)
    } else {
        s
    }
}

/// The label of the option `value` of a select field, or `value` itself when it is not one.
fn option_label(field: &FieldDef, value: &str) -> String {
    field
        .options
        .iter()
        .find(|o| o.value == value)
        .map_or_else(|| value.to_string(), |o| o.label.clone())
}
