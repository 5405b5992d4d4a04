//! Between the wire's fields (values with their OR-set tags) and the rule's vocabulary
//! (`ProfileInput` in, `ValidProfile` out). The server never trusts a client's normalisation:
//! it feeds the raw values to `pdesk_rule::validate`, exactly as the app does with a form or
//! an import row, and keeps the client's tags for the values that survive.

use std::collections::BTreeMap;

use pdesk_rule::vocab::{FieldError, InputValue, ProfileInput};
use pdesk_rule::ValidProfile;
use pdesk_sync_proto::profile::{EmailItem, PhoneItem, ProfileFields, TagItem};
use serde_json::Value;

use crate::config::ServerConfig;

/// The built-in scalar fields and how to reach them in [`ProfileFields`].
pub const SCALARS: [&str; 9] = pdesk_rule::validate::SCALAR_COLUMNS;

/// A scalar field's value as JSON (`null` when empty); custom fields by catalogue key.
pub fn get_value(fields: &ProfileFields, key: &str) -> Value {
    match fields.scalar(key) {
        Some(v) => v.clone().map_or(Value::Null, Value::String),
        None => fields.custom.get(key).cloned().unwrap_or(Value::Null),
    }
}

/// Sets a scalar or custom field (`null` clears it).
pub fn set_value(fields: &mut ProfileFields, key: &str, value: Value) {
    if let Some(slot) = fields.scalar_mut(key) {
        *slot = match value {
            Value::Null => None,
            Value::String(s) => Some(s),
            other => Some(other.to_string()),
        };
        return;
    }
    if value.is_null() {
        fields.custom.remove(key);
    } else {
        fields.custom.insert(key.to_string(), value);
    }
}

pub fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One JSON value as raw input for its field.
pub fn input_value(value: &Value) -> InputValue {
    match value {
        Value::Array(items) => InputValue::List(items.iter().map(as_text).collect()),
        other => InputValue::Text(as_text(other)),
    }
}

/// The wire's fields as the raw input a form would have given.
pub fn to_input(fields: &ProfileFields) -> ProfileInput {
    let mut input = ProfileInput::default();
    for key in SCALARS {
        let value = get_value(fields, key);
        if !value.is_null() {
            input.values.insert(key.to_string(), input_value(&value));
        }
    }
    let list = |items: Vec<String>| InputValue::List(items);
    if !fields.phones.is_empty() {
        let raws = fields.phones.iter().map(|p| p.raw.clone()).collect();
        input.values.insert("phones".into(), list(raws));
    }
    if !fields.emails.is_empty() {
        let raws = fields.emails.iter().map(|e| e.raw.clone()).collect();
        input.values.insert("emails".into(), list(raws));
    }
    if !fields.tags.is_empty() {
        let values = fields.tags.iter().map(|t| t.v.clone()).collect();
        input.values.insert("tags".into(), list(values));
    }
    for (key, value) in &fields.custom {
        input.values.insert(key.clone(), input_value(value));
    }
    input
}

/// Validates the wire's fields by the server's catalogue; blocked identifier values are taken
/// out first (they never match and are not stored).
pub fn validate(
    fields: &ProfileFields,
    config: &ServerConfig,
    for_create: bool,
) -> Result<ValidProfile, Vec<FieldError>> {
    let mut input = to_input(fields);
    pdesk_rule::guards::drop_blocked(&mut input, &config.fields, &config.guards);
    pdesk_rule::validate(&input, &config.fields, config.region(), for_create)
}

/// The OR-set key of a list value: phones by E.164, e-mails by match key, tags by value.
pub fn phone_key(phone: &PhoneItem) -> String {
    phone.e164.clone().unwrap_or_else(|| phone.raw.clone())
}
pub fn email_key(email: &EmailItem) -> String {
    pdesk_normalize::email_key(&email.raw)
}

/// The wire's fields of a validated profile. List values keep the tag they have in `sources`
/// (first found wins), new ones get `new_tag()`; scalars and custom values are the validated
/// ones.
pub fn to_fields(
    valid: &ValidProfile,
    sources: &[&ProfileFields],
    region: &pdesk_normalize::PhoneRegion,
    new_tag: &mut dyn FnMut() -> String,
) -> ProfileFields {
    // A source phone is the same value when its E.164 — as sent, or as its raw text reads —
    // is the validated one.
    let e164_of = |p: &PhoneItem| {
        p.e164
            .clone()
            .or_else(|| pdesk_normalize::normalize_phone(&p.raw, region).ok())
    };
    let mut out = ProfileFields::default();
    for (key, value) in &valid.scalars {
        set_value(&mut out, key, Value::String(value.clone()));
    }
    for (key, value) in &valid.custom {
        out.custom.insert(key.clone(), value.clone());
    }
    for phone in &valid.phones {
        let tag = sources
            .iter()
            .flat_map(|f| &f.phones)
            .find(|p| e164_of(p).as_deref() == Some(phone.e164.as_str()))
            .map(|p| p.tag.clone())
            .unwrap_or_else(&mut *new_tag);
        out.phones.push(PhoneItem {
            raw: phone.raw.clone(),
            e164: Some(phone.e164.clone()),
            tag,
        });
    }
    for email in &valid.emails {
        let tag = sources
            .iter()
            .flat_map(|f| &f.emails)
            .find(|e| email_key(e) == email.key)
            .map(|e| e.tag.clone())
            .unwrap_or_else(&mut *new_tag);
        out.emails.push(EmailItem {
            raw: email.raw.clone(),
            tag,
        });
    }
    for value in &valid.tags {
        let tag = sources
            .iter()
            .flat_map(|f| &f.tags)
            .find(|t| &t.v == value)
            .map(|t| t.tag.clone())
            .unwrap_or_else(&mut *new_tag);
        out.tags.push(TagItem {
            v: value.clone(),
            tag,
        });
    }
    out
}

/// Every field key that holds a value (for field versions).
pub fn keys_with_values(fields: &ProfileFields) -> Vec<String> {
    let mut keys: Vec<String> = SCALARS
        .iter()
        .filter(|k| !get_value(fields, k).is_null())
        .map(|k| k.to_string())
        .collect();
    for (list, present) in [
        ("phones", !fields.phones.is_empty()),
        ("emails", !fields.emails.is_empty()),
        ("tags", !fields.tags.is_empty()),
    ] {
        if present {
            keys.push(list.into());
        }
    }
    keys.extend(fields.custom.keys().cloned());
    keys
}

/// The OR-set entries of a profile's lists: `list\u{1f}key` → its tag.
pub fn list_tags(fields: &ProfileFields) -> BTreeMap<String, String> {
    let mut tags = BTreeMap::new();
    for p in &fields.phones {
        tags.insert(format!("phones\u{1f}{}", phone_key(p)), p.tag.clone());
    }
    for e in &fields.emails {
        tags.insert(format!("emails\u{1f}{}", email_key(e)), e.tag.clone());
    }
    for t in &fields.tags {
        tags.insert(format!("tags\u{1f}{}", t.v), t.tag.clone());
    }
    tags
}
