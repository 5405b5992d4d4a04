//! The profile vocabulary on the wire: field values, list elements with their OR-set tags,
//! consent events, a profile's server state. Ids (`gid`, `op_id`, `event_id`, tags, replica
//! ids) are UUIDv7 text; review and conflict ids are the server's (`rv_…`, `cf_…`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A phone as the user typed it, its E.164 form when it has one, and its OR-set tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PhoneItem {
    pub raw: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e164: Option<String>,
    /// The element's OR-set tag (UUID): a remove deletes only the tags it observed.
    pub tag: String,
}

/// An e-mail address as typed, with its OR-set tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EmailItem {
    pub raw: String,
    pub tag: String,
}

/// A tag (or a multi-select option) with its OR-set tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TagItem {
    pub v: String,
    pub tag: String,
}

/// The fields of a profile: built-in scalars (absent = not set by this op), the three lists,
/// and custom fields by catalogue key. Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProfileFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<PhoneItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<EmailItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<TagItem>,
    /// Custom fields by catalogue key: text, a number, a boolean or a list of option values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, serde_json::Value>,
}

impl ProfileFields {
    /// The built-in scalar fields, by key (the same keys as the app's columns).
    pub const SCALARS: [&'static str; 9] = [
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

    /// The built-in scalar field `key` (`None` for another key).
    pub fn scalar(&self, key: &str) -> Option<&Option<String>> {
        Some(match key {
            "full_name" => &self.full_name,
            "gender" => &self.gender,
            "birthday" => &self.birthday,
            "address" => &self.address,
            "city" => &self.city,
            "company" => &self.company,
            "job_title" => &self.job_title,
            "customer_code" => &self.customer_code,
            "note" => &self.note,
            _ => return None,
        })
    }

    /// The built-in scalar field `key`, to set (`None` for another key).
    pub fn scalar_mut(&mut self, key: &str) -> Option<&mut Option<String>> {
        Some(match key {
            "full_name" => &mut self.full_name,
            "gender" => &mut self.gender,
            "birthday" => &mut self.birthday,
            "address" => &mut self.address,
            "city" => &mut self.city,
            "company" => &mut self.company,
            "job_title" => &mut self.job_title,
            "customer_code" => &mut self.customer_code,
            "note" => &mut self.note,
            _ => return None,
        })
    }
}

/// A consent channel's status (the app's `consent_records.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    Granted,
    Denied,
    Unknown,
}

/// One consent event: append-only, deduplicated by `event_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConsentEvent {
    pub event_id: String,
    pub channel: String,
    pub status: ConsentStatus,
    /// When the person recorded it, on their device (RFC 3339).
    pub recorded_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
}

/// The identifier that made a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchKey {
    Phone,
    Email,
    CustomerCode,
}

/// A profile as the server holds it: what a client writes to its store as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProfileState {
    pub gid: String,
    /// Server revision: +1 per applied change.
    pub rev: u64,
    pub fields: ProfileFields,
    /// Field versions: the cseq of the change that last set each field (by field key); a
    /// client sends it back as `base_fv`.
    #[serde(default)]
    pub fv: BTreeMap<String, u64>,
    /// An open merge review holds this profile (it matched several others on the server).
    #[serde(default)]
    pub review_open: bool,
    /// The CRM objects linked to the profile (accounts, opportunities, tickets, tasks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<crate::links::LinkedObject>,
    /// RFC 3339, the server's clock.
    pub created_at: String,
    pub updated_at: String,
}
