//! The profile vocabulary the rule speaks: field kinds and definitions, raw input, field
//! errors, phone values, match keys, merge policies and field changes. The core re-exports
//! these from its `model`; every type here that crosses the app's IPC derives `ts_rs::TS`
//! (behind the `ts` feature).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Row id of a profile. Ids only grow, so "newest first" is "highest id first".
pub type ProfileId = i64;

/// What kind of value a catalogue field holds; decides parsing, validation and storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Several lines of text (notes).
    LongText,
    /// List of phone numbers, matched by E.164.
    Phones,
    /// List of e-mail addresses, matched case-insensitively.
    Emails,
    /// List of free-text tags.
    Tags,
    /// One value out of `options`.
    Select,
    /// Several values out of `options`.
    MultiSelect,
    /// A calendar date, stored as `yyyy-mm-dd`.
    Date,
    /// A decimal number.
    Number,
    /// Yes / no.
    Boolean,
    /// Maintained by the app (source, timestamps, authors); never typed by users.
    System,
}

impl FieldKind {
    /// List kinds hold several values and may be fed by several source columns.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            FieldKind::Phones | FieldKind::Emails | FieldKind::Tags | FieldKind::MultiSelect
        )
    }
}

pdesk_normalize::text_enum!(pub FieldKind {
    Text => "text",
    LongText => "longText",
    Phones => "phones",
    Emails => "emails",
    Tags => "tags",
    Select => "select",
    MultiSelect => "multiSelect",
    Date => "date",
    Number => "number",
    Boolean => "boolean",
    System => "system",
});

/// One entry of the field catalogue (SPEC 7.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct FieldDef {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    /// Built-in fields cannot be removed and keep their kind.
    pub builtin: bool,
    /// Must be filled when a profile is created (set by an administrator).
    pub mandatory: bool,
    /// Shown as a column of the profile list by default.
    pub displayed: bool,
    /// Hidden fields are neither shown in forms nor offered for mapping.
    pub hidden: bool,
    pub position: i64,
    /// Allowed values of select and multi-select fields.
    pub options: Vec<SelectOption>,
    /// Other column names that mean this field (used by the import mapping).
    pub synonyms: Vec<String>,
}

/// An allowed value of a select field: the stored value and the label users see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SelectOption {
    pub value: String,
    pub label: String,
}

/// A value typed or pasted by a user, before validation: one text or a list of texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(untagged)]
pub enum InputValue {
    Text(String),
    List(Vec<String>),
}

/// A profile as entered in the create/edit form (or read from an import row): field key to
/// raw value. The core validates and normalises it; nothing here is trusted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ProfileInput {
    pub values: BTreeMap<String, InputValue>,
}

impl ProfileInput {
    /// Convenience for code and tests: set one text field.
    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.values
            .insert(key.to_string(), InputValue::Text(value.to_string()));
        self
    }

    /// Convenience for code and tests: set one list field.
    pub fn with_list(mut self, key: &str, values: &[&str]) -> Self {
        let list = values.iter().map(|v| v.to_string()).collect();
        self.values.insert(key.to_string(), InputValue::List(list));
        self
    }
}

/// One problem with one field of a form or row; `field` is the catalogue key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    /// Catalogue key of the field (`phones.1` for the second entry of a list field), or
    /// `"identification"` for the at-least-one-identifier rule.
    pub field: String,
    /// Machine code the UI may branch on (`invalidPhone`, `invalidEmail`, `required`, ...).
    pub code: String,
    /// The sentence in English: what the CLI prints, and the UI's fallback for a code it does
    /// not know.
    pub message: String,
    /// What the sentence needs, by name (`value`, `max`, `given`, a phone's `reason` ...): the UI
    /// words the error in its own language from `code` and these, never from `message`.
    // Left out of JSON when empty (ts-rs makes it optional in TypeScript from these attributes).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

impl FieldError {
    /// An error on `field` with no parameters yet (add them with [`FieldError::with`]).
    pub fn new(field: &str, code: &str, message: String) -> Self {
        FieldError {
            field: field.to_string(),
            code: code.to_string(),
            message,
            params: BTreeMap::new(),
        }
    }

    /// Adds one parameter of the sentence.
    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.params.insert(name.to_string(), value.to_string());
        self
    }

    /// Adds parameters named by a lower crate (a phone's, an e-mail's or a date's problem).
    pub fn with_all(mut self, params: impl IntoIterator<Item = (&'static str, String)>) -> Self {
        self.params
            .extend(params.into_iter().map(|(k, v)| (k.to_string(), v)));
        self
    }
}

/// A phone number as typed and as matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct PhoneValue {
    pub raw: String,
    pub e164: String,
    /// What the source wrote beside the number: `Zalo`, `nhà`, `anh Nam`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub label: Option<String>,
}

/// The match key of the synchronization rule that tied incoming data to an existing profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum MatchKey {
    Phone,
    Email,
    CustomerCode,
}

impl MatchKey {
    pub const ALL: [MatchKey; 3] = [MatchKey::Phone, MatchKey::Email, MatchKey::CustomerCode];

    /// The words users read in "matched by phone".
    pub fn label(self) -> &'static str {
        match self {
            MatchKey::Phone => "phone",
            MatchKey::Email => "e-mail",
            MatchKey::CustomerCode => "customer code",
        }
    }
}

pdesk_normalize::text_enum!(pub MatchKey {
    Phone => "phone",
    Email => "email",
    CustomerCode => "customer_code",
});

/// How a match merges incoming values into the existing profile (SPEC 6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum MergePolicy {
    /// Non-empty incoming values replace existing ones (the default).
    #[default]
    Overwrite,
    /// Incoming values only fill fields that are empty.
    FillEmptyOnly,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}
