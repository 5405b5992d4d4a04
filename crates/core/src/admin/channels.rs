//! Consent channels (SPEC 1, 7.1): e-mail, SMS and phone call are built in; administrators add
//! their own (Zalo, post, ...), rename and reorder them. A channel can be removed only when it
//! was added by an administrator and no consent was ever recorded on it: consent history is
//! append-only, so a channel with records stays.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{clean_label, key_from_label};
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::store::Store;

/// Longest channel name, in characters.
pub const MAX_CHANNEL_LABEL: usize = 40;
/// Most channels a store may have (the consent step shows one row per channel).
pub const MAX_CHANNELS: usize = 20;

/// A consent channel as the Consent channels screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ConsentChannelSetting {
    pub key: String,
    pub label: String,
    /// E-mail, SMS and phone call: cannot be removed.
    pub builtin: bool,
    /// Consent records held on this channel (a channel with records cannot be removed).
    pub records: u32,
}

impl Store {
    /// Every channel in order, with whether it is built in and how many records it holds.
    pub fn consent_channel_settings(&self, actor: &Actor) -> Result<Vec<ConsentChannelSetting>> {
        actor.require(Permission::SettingsManage)?;
        let mut stmt = self.conn.prepare(
            "SELECT c.key, c.label, c.builtin,
                    (SELECT COUNT(*) FROM consent_records r WHERE r.channel = c.key)
               FROM consent_channels c ORDER BY c.position, c.key",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ConsentChannelSetting {
                key: r.get(0)?,
                label: r.get(1)?,
                builtin: r.get(2)?,
                records: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Refuses a name another channel (`except` aside) already has, ignoring case and accents.
    fn ensure_channel_label_free(&self, label: &str, except: Option<&str>) -> Result<()> {
        let folded = pdesk_normalize::fold_for_search(label);
        let taken = self.consent_channels()?.iter().any(|c| {
            Some(c.key.as_str()) != except && pdesk_normalize::fold_for_search(&c.label) == folded
        });
        if taken {
            return Err(crate::model::FieldError::new(
                "label",
                "duplicate",
                format!("There is already a consent channel named “{label}”"),
            )
            .with("value", label)
            .into());
        }
        Ok(())
    }

    /// Adds a channel at the end of the list; its key is made from the name.
    pub fn add_consent_channel(
        &mut self,
        actor: &Actor,
        label: &str,
    ) -> Result<Vec<ConsentChannelSetting>> {
        actor.require(Permission::SettingsManage)?;
        crate::store::refuse_if_managed(&self.conn, "The list of consent channels")?;
        let label = clean_label(label, "channel name", MAX_CHANNEL_LABEL)?;
        let channels = self.consent_channels()?;
        if channels.len() >= MAX_CHANNELS {
            return Err(Error::limit(
                "tooManyChannels",
                serde_json::json!({ "limit": MAX_CHANNELS }),
                format!("A store can have at most {MAX_CHANNELS} consent channels"),
            ));
        }
        self.ensure_channel_label_free(&label, None)?;
        let taken: Vec<String> = channels.iter().map(|c| c.key.clone()).collect();
        let key = key_from_label(&label, "channel", &taken);
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO consent_channels(key, label, builtin, position)
             VALUES (?1, ?2, 0, (SELECT COALESCE(MAX(position), 0) + 10 FROM consent_channels))",
            params![key, label],
        )?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "settings.consent_channel",
            &format!("channel:{key}"),
            serde_json::json!({ "change": "added", "label": label }),
        )?;
        tx.commit()?;
        self.consent_channel_settings(actor)
    }

    /// Renames a channel (built-in ones too); the key and the recorded consent stay.
    pub fn rename_consent_channel(
        &mut self,
        actor: &Actor,
        key: &str,
        label: &str,
    ) -> Result<Vec<ConsentChannelSetting>> {
        actor.require(Permission::SettingsManage)?;
        crate::store::refuse_if_managed(&self.conn, "The list of consent channels")?;
        let label = clean_label(label, "channel name", MAX_CHANNEL_LABEL)?;
        let before = self.channel_label(key)?;
        if before == label {
            return self.consent_channel_settings(actor);
        }
        self.ensure_channel_label_free(&label, Some(key))?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE consent_channels SET label = ?2 WHERE key = ?1",
            params![key, label],
        )?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "settings.consent_channel",
            &format!("channel:{key}"),
            serde_json::json!({ "change": "renamed", "before": before, "after": label }),
        )?;
        tx.commit()?;
        self.consent_channel_settings(actor)
    }

    /// Puts the channels in the order of `keys` (every channel exactly once).
    pub fn reorder_consent_channels(
        &mut self,
        actor: &Actor,
        keys: &[String],
    ) -> Result<Vec<ConsentChannelSetting>> {
        actor.require(Permission::SettingsManage)?;
        crate::store::refuse_if_managed(&self.conn, "The list of consent channels")?;
        let current: Vec<String> = self
            .consent_channels()?
            .into_iter()
            .map(|c| c.key)
            .collect();
        let what = (
            "consent_channels",
            "settings.consent_channel",
            "channels",
            "consent channel",
        );
        super::reorder(self, actor, what, &current, keys)?;
        self.consent_channel_settings(actor)
    }

    /// Removes a channel an administrator added, when no consent was ever recorded on it.
    pub fn remove_consent_channel(
        &mut self,
        actor: &Actor,
        key: &str,
    ) -> Result<Vec<ConsentChannelSetting>> {
        actor.require(Permission::SettingsManage)?;
        crate::store::refuse_if_managed(&self.conn, "The list of consent channels")?;
        let channel = self
            .consent_channel_settings(actor)?
            .into_iter()
            .find(|c| c.key == key)
            .ok_or_else(|| no_channel(key))?;
        if channel.builtin {
            return Err(Error::conflict(
                "builtinChannel",
                serde_json::json!({ "key": key, "label": channel.label }),
                format!(
                    "{} is a built-in consent channel and cannot be removed (you can rename it)",
                    channel.label
                ),
            ));
        }
        if channel.records > 0 {
            return Err(Error::conflict(
                "channelHasRecords",
                serde_json::json!({
                    "key": key,
                    "label": channel.label,
                    "records": channel.records,
                }),
                format!(
                    "{} holds {} consent {}; consent history is kept, so the channel cannot be \
                     removed",
                    channel.label,
                    pdesk_normalize::display::count(u64::from(channel.records)),
                    if channel.records == 1 {
                        "record"
                    } else {
                        "records"
                    }
                ),
            ));
        }
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM consent_channels WHERE key = ?1", [key])?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "settings.consent_channel",
            &format!("channel:{key}"),
            serde_json::json!({ "change": "removed", "label": channel.label }),
        )?;
        tx.commit()?;
        self.consent_channel_settings(actor)
    }

    fn channel_label(&self, key: &str) -> Result<String> {
        self.conn
            .query_row(
                "SELECT label FROM consent_channels WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| no_channel(key))
    }
}

fn no_channel(key: &str) -> Error {
    Error::not_found(
        "noChannel",
        serde_json::json!({ "key": key }),
        format!("There is no consent channel “{key}”"),
    )
}
