//! What the server decides for every client while they are connected (SYNC.md §4.2): the
//! synchronization rule's settings, the field catalogue, the consent channels, and the roles'
//! permissions. Stored in `server_meta` under `config` with a version that `hello` announces;
//! a database starts with the same defaults as a new app store (`crates/core/migrations/
//! 0002_defaults.sql`).

use std::collections::{BTreeMap, BTreeSet};

use pdesk_rule::vocab::{FieldDef, MatchKey, MergePolicy};
use pdesk_rule::Guards;
use serde::{Deserialize, Serialize};

use crate::db::{DbError, Sql};
use crate::meta;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerConfig {
    /// +1 on every change; clients compare it with the version their ops were made under.
    pub version: u64,
    pub keys: Vec<MatchKey>,
    /// ISO region of numbers written without a country code.
    pub default_region: String,
    pub merge_policy: MergePolicy,
    pub guards: Guards,
    pub fields: Vec<FieldDef>,
    pub catalog_version: u64,
    pub channels: Vec<Channel>,
    pub channels_version: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub key: String,
    pub label: String,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            version: 1,
            keys: MatchKey::ALL.to_vec(),
            default_region: "VN".into(),
            merge_policy: MergePolicy::Overwrite,
            guards: Guards::default(),
            // The app's own default catalogue: a new device keeps its synonyms.
            fields: pdesk_rule::catalogue::default_fields(),
            catalog_version: 1,
            channels: vec![
                Channel {
                    key: "email".into(),
                    label: "E-mail".into(),
                },
                Channel {
                    key: "sms".into(),
                    label: "SMS".into(),
                },
                Channel {
                    key: "phone_call".into(),
                    label: "Phone call".into(),
                },
            ],
            channels_version: 1,
        }
    }
}

impl ServerConfig {
    pub fn load(sql: &mut dyn Sql) -> Result<ServerConfig, DbError> {
        match meta::get(sql, "config")? {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| DbError::new(format!("the stored config does not read: {e}"))),
            None => Ok(ServerConfig::default()),
        }
    }

    pub fn save(&self, sql: &mut dyn Sql) -> Result<(), DbError> {
        let json = serde_json::to_string(self).expect("the config serialises");
        meta::set(sql, "config", &json)
    }

    pub fn region(&self) -> &'static pdesk_normalize::PhoneRegion {
        pdesk_normalize::PhoneRegion::by_iso(&self.default_region)
            .or_else(|| pdesk_normalize::PhoneRegion::by_iso("VN"))
            .expect("VN is a known region")
    }

    pub fn field(&self, key: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The rule's part of `hello.config` and of a `config` change.
    pub fn rule(&self) -> pdesk_sync_proto::hello::RuleConfig {
        pdesk_sync_proto::hello::RuleConfig {
            keys: self.keys.iter().map(|k| wire_key(*k)).collect(),
            default_region: self.default_region.clone(),
            merge_policy: serde_json::to_value(self.merge_policy).ok(),
            guards: serde_json::to_value(&self.guards).ok(),
        }
    }
}

/// The rule's match key on the wire.
/// What an administrator edits (`pdesk-server config show` / `config set FILE`): the config
/// without its versions, which the server keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditableConfig {
    pub keys: Vec<MatchKey>,
    pub default_region: String,
    pub merge_policy: MergePolicy,
    pub guards: Guards,
    pub fields: Vec<FieldDef>,
    pub channels: Vec<Channel>,
}

/// Longest consent channel label.
const MAX_CHANNEL_LABEL: usize = 60;

impl ServerConfig {
    pub fn editable(&self) -> EditableConfig {
        EditableConfig {
            keys: self.keys.clone(),
            default_region: self.default_region.clone(),
            merge_policy: self.merge_policy,
            guards: self.guards.clone(),
            fields: self.fields.clone(),
            channels: self.channels.clone(),
        }
    }

    /// This config with `edit` applied, checked by the rule crate's own bounds (the app's
    /// Settings screens check the same): a new `version`, and new catalogue and channel
    /// versions where those changed. `Err` is a sentence naming what is wrong.
    pub fn edited(&self, edit: EditableConfig) -> Result<ServerConfig, String> {
        let mut keys = edit.keys.clone();
        keys.sort();
        keys.dedup();
        if keys.is_empty() || keys.len() != edit.keys.len() {
            return Err("keys: list each match key (phone, email, customerCode) at most once, and at least one".into());
        }
        if pdesk_normalize::PhoneRegion::by_iso(&edit.default_region).is_none() {
            return Err(format!(
                "default_region: {} is not a region this server knows (e.g. VN)",
                edit.default_region
            ));
        }
        let guards = edit
            .guards
            .checked()
            .map_err(|e| format!("guards.{}: {}", e.field, e.message))?;
        pdesk_rule::catalogue::check_catalogue(&edit.fields, &ServerConfig::default().fields)
            .map_err(|e| format!("fields ({}): {}", e.field, e.message))?;
        let mut channel_keys = BTreeSet::new();
        for channel in &edit.channels {
            if !pdesk_rule::catalogue::is_field_key(&channel.key)
                || !channel_keys.insert(channel.key.as_str())
            {
                return Err(format!(
                    "channels: “{}” must be a distinct key of lower-case letters, digits and _",
                    channel.key
                ));
            }
            let label = channel.label.trim();
            if label.is_empty() || label.chars().count() > MAX_CHANNEL_LABEL {
                return Err(format!(
                    "channels: the label of {} must have 1 to {MAX_CHANNEL_LABEL} characters",
                    channel.key
                ));
            }
        }
        let mut next = ServerConfig {
            keys: edit.keys,
            default_region: edit.default_region,
            merge_policy: edit.merge_policy,
            guards,
            fields: edit.fields,
            channels: edit.channels,
            ..self.clone()
        };
        if next != *self {
            next.version = self.version + 1;
        }
        if next.fields != self.fields {
            next.catalog_version = self.catalog_version + 1;
        }
        if next.channels != self.channels {
            next.channels_version = self.channels_version + 1;
        }
        Ok(next)
    }
}

pub fn wire_key(key: MatchKey) -> pdesk_sync_proto::profile::MatchKey {
    use pdesk_sync_proto::profile::MatchKey as Wire;
    match key {
        MatchKey::Phone => Wire::Phone,
        MatchKey::Email => Wire::Email,
        MatchKey::CustomerCode => Wire::CustomerCode,
    }
}

/// The built-in roles and their permissions: the same three as a new app store (SPEC 7.2).
pub const ROLES: [&str; 3] = ["Administrator", "Sales", "Viewer"];

pub fn permissions(role: &str) -> Vec<&'static str> {
    let all = [
        "profile.view",
        "profile.create",
        "profile.edit",
        "profile.import",
        "profile.export",
        "profile.delete",
        "audit.view",
        "settings.manage",
    ];
    match role {
        "Administrator" => all.to_vec(),
        "Sales" => all[..5].to_vec(),
        "Viewer" => all[..1].to_vec(),
        _ => Vec::new(),
    }
}

/// Permission key → "You do not have permission to …" completion.
pub fn permission_action(permission: &str) -> &'static str {
    let actions: BTreeMap<&str, &str> = [
        ("profile.view", "view profiles"),
        ("profile.create", "create profiles"),
        ("profile.edit", "edit profiles"),
        ("profile.import", "import profiles"),
        ("profile.export", "export profiles"),
        ("profile.delete", "delete profiles"),
        ("audit.view", "see the audit log"),
        ("settings.manage", "manage settings"),
    ]
    .into_iter()
    .collect();
    actions.get(permission).copied().unwrap_or("do this")
}
