//! The field catalogue, consent channels and the settings the rules read (SPEC 7.1), plus the
//! per-user list columns.

use rusqlite::{params, OptionalExtension};

use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::model::{ConsentChannel, FieldDef, FieldKind, MatchKey, MergePolicy};
use crate::store::{put_setting, Store};
use pdesk_normalize::PhoneRegion;
use pdesk_rule::Guards;

/// The synchronization rule's settings (SPEC 6, 7.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncSettings {
    pub match_keys: Vec<MatchKey>,
    pub region: &'static PhoneRegion,
    pub merge_policy: MergePolicy,
    /// What stops the rule from merging strangers (limits, shared keys, blocked values).
    pub guards: Guards,
}

/// A field of the catalogue as stored: its kind, options and synonyms still text, to be parsed
/// (with an error naming the field) into the [`FieldDef`].
struct FieldRow {
    /// The field, its kind, options and synonyms not yet filled in.
    field: FieldDef,
    kind: String,
    /// JSON list.
    options: String,
    /// JSON list.
    synonyms: String,
}

impl FieldRow {
    /// The columns of `fields` [`FieldRow::from_row`] reads, in its order.
    const COLUMNS: &'static str =
        "key, label, kind, builtin, mandatory, displayed, hidden, position, options, synonyms";

    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(Self {
            field: FieldDef {
                key: r.get(0)?,
                label: r.get(1)?,
                kind: FieldKind::Text,
                builtin: r.get(3)?,
                mandatory: r.get(4)?,
                displayed: r.get(5)?,
                hidden: r.get(6)?,
                position: r.get(7)?,
                options: Vec::new(),
                synonyms: Vec::new(),
            },
            kind: r.get(2)?,
            options: r.get(8)?,
            synonyms: r.get(9)?,
        })
    }
}

/// The whole catalogue as stored on `conn`, ordered by position (hidden fields included).
pub(crate) fn read_fields(conn: &rusqlite::Connection) -> Result<Vec<FieldDef>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM fields ORDER BY position, key",
        FieldRow::COLUMNS
    ))?;
    let rows = stmt.query_map([], FieldRow::from_row)?;
    let mut fields = Vec::new();
    for row in rows {
        let FieldRow {
            mut field,
            kind,
            options,
            synonyms,
        } = row?;
        field.kind = FieldKind::parse(&kind).ok_or_else(|| {
            Error::Schema(format!("field {} has an unknown kind {kind}", field.key))
        })?;
        field.options = serde_json::from_str(&options)
            .map_err(|e| Error::Schema(format!("field {} options: {e}", field.key)))?;
        field.synonyms = serde_json::from_str(&synonyms)
            .map_err(|e| Error::Schema(format!("field {} synonyms: {e}", field.key)))?;
        fields.push(field);
    }
    Ok(fields)
}

/// How a merge policy is stored (`sync.merge_policy`).
fn policy_name(policy: MergePolicy) -> &'static str {
    match policy {
        MergePolicy::Overwrite => "overwrite",
        MergePolicy::FillEmptyOnly => "fill_empty_only",
    }
}

/// Writes the rule's match keys, phone region and (when given) merge policy, checked by the
/// caller: what Settings saves, and what the server sends while connected.
pub(crate) fn write_rule(
    conn: &rusqlite::Connection,
    keys: &[MatchKey],
    region: &PhoneRegion,
    policy: Option<MergePolicy>,
) -> Result<()> {
    let names: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
    put_setting(
        conn,
        "sync.match_keys",
        &serde_json::to_string(&names).unwrap_or_default(),
    )?;
    put_setting(conn, "sync.default_region", region.iso)?;
    if let Some(policy) = policy {
        put_setting(conn, "sync.merge_policy", policy_name(policy))?;
    }
    Ok(())
}

/// Writes the rule's guards, already checked against their bounds.
pub(crate) fn write_guards(conn: &rusqlite::Connection, guards: &Guards) -> Result<()> {
    put_setting(conn, "sync.max_phones", &guards.max_phones.to_string())?;
    put_setting(conn, "sync.max_emails", &guards.max_emails.to_string())?;
    put_setting(
        conn,
        "sync.shared_key_rows",
        &guards.shared_key_rows.to_string(),
    )?;
    put_setting(
        conn,
        "sync.blocked_values",
        &serde_json::to_string(&guards.blocked).unwrap_or_default(),
    )
}

impl Store {
    /// The whole catalogue, ordered by position (hidden fields included; callers filter).
    pub fn fields(&self) -> Result<Vec<FieldDef>> {
        read_fields(&self.conn)
    }

    /// Marks a field mandatory on create (or not). Administrators only; audited.
    pub fn set_field_mandatory(&mut self, actor: &Actor, key: &str, mandatory: bool) -> Result<()> {
        actor.require(Permission::SettingsManage)?;
        crate::store::refuse_if_managed(&self.conn, "The field catalogue")?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE fields SET mandatory = ?2 WHERE key = ?1 AND kind <> 'system'",
            params![key, mandatory],
        )?;
        if changed == 0 {
            return Err(Error::not_found(
                "noEditableField",
                serde_json::json!({ "key": key }),
                format!("There is no editable field “{key}”"),
            ));
        }
        crate::audit::append(
            &tx,
            &at,
            actor,
            "settings.field",
            &format!("field:{key}"),
            serde_json::json!({ "mandatory": mandatory }),
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn consent_channels(&self) -> Result<Vec<ConsentChannel>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, label FROM consent_channels ORDER BY position, key")?;
        let rows = stmt.query_map([], |r| {
            Ok(ConsentChannel {
                key: r.get(0)?,
                label: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The synchronization rule as configured.
    pub fn sync_settings(&self) -> Result<SyncSettings> {
        let keys = self.setting("sync.match_keys")?.unwrap_or_default();
        let keys: Vec<String> = serde_json::from_str(&keys).unwrap_or_default();
        let mut match_keys: Vec<MatchKey> =
            keys.iter().filter_map(|k| MatchKey::parse(k)).collect();
        if match_keys.is_empty() {
            match_keys = MatchKey::ALL.to_vec();
        }
        let iso = self
            .setting("sync.default_region")?
            .unwrap_or_else(|| "VN".into());
        let region = PhoneRegion::by_iso(&iso)
            .or_else(|| PhoneRegion::by_iso("VN"))
            .ok_or_else(|| Error::Internal("no phone region table".into()))?;
        let merge_policy = match self.setting("sync.merge_policy")?.as_deref() {
            Some("fill_empty_only") => MergePolicy::FillEmptyOnly,
            _ => MergePolicy::Overwrite,
        };
        Ok(SyncSettings {
            match_keys,
            region,
            merge_policy,
            guards: self.stored_guards()?,
        })
    }

    /// The guards as stored, each unset or unreadable value at its default.
    fn stored_guards(&self) -> Result<Guards> {
        let defaults = Guards::default();
        let number = |key: &str, default: u32| -> Result<u32> {
            Ok(self
                .setting(key)?
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(default))
        };
        Ok(Guards {
            max_phones: number("sync.max_phones", defaults.max_phones)?,
            max_emails: number("sync.max_emails", defaults.max_emails)?,
            shared_key_rows: number("sync.shared_key_rows", defaults.shared_key_rows)?,
            blocked: match self.setting("sync.blocked_values")? {
                Some(json) => serde_json::from_str(&json).unwrap_or(defaults.blocked),
                None => defaults.blocked,
            },
        })
    }

    /// Changes the rule's guards (Settings → Synchronization rule). Administrators only;
    /// validated against their bounds; audited.
    pub fn set_rule_guards(&mut self, actor: &Actor, guards: &Guards) -> Result<Guards> {
        actor.require(Permission::SettingsManage)?;
        crate::store::refuse_if_managed(&self.conn, "The synchronization rule")?;
        let guards = guards.checked().map_err(Error::from)?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        write_guards(&tx, &guards)?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "settings.sync_rule",
            "settings",
            serde_json::json!({
                "maxPhones": guards.max_phones,
                "maxEmails": guards.max_emails,
                "sharedKeyRows": guards.shared_key_rows,
                "blockedValues": guards.blocked.len(),
            }),
        )?;
        tx.commit()?;
        Ok(guards)
    }

    /// Changes the synchronization rule. Administrators only; audited.
    pub fn set_sync_settings(
        &mut self,
        actor: &Actor,
        match_keys: &[MatchKey],
        region_iso: &str,
        merge_policy: MergePolicy,
    ) -> Result<()> {
        actor.require(Permission::SettingsManage)?;
        crate::store::refuse_if_managed(&self.conn, "The synchronization rule")?;
        let region = PhoneRegion::by_iso(region_iso).ok_or_else(|| {
            Error::not_found(
                "unknownRegion",
                serde_json::json!({ "region": region_iso }),
                format!("Unknown phone region “{region_iso}”"),
            )
        })?;
        if match_keys.is_empty() {
            return Err(Error::conflict(
                "noMatchKey",
                serde_json::Value::Null,
                "The synchronization rule needs at least one match key",
            ));
        }
        let keys: Vec<&str> = match_keys.iter().map(|k| k.as_str()).collect();
        let policy = policy_name(merge_policy);
        let at = self.now();
        let tx = self.conn.transaction()?;
        write_rule(&tx, match_keys, region, Some(merge_policy))?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "settings.sync_rule",
            "settings",
            serde_json::json!({ "matchKeys": keys, "region": region.iso, "mergePolicy": policy }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The user's list columns, in order; the catalogue's default columns until they choose.
    pub fn list_columns(&self, actor: &Actor) -> Result<Vec<String>> {
        actor.require(Permission::ProfileView)?;
        let fields = self.fields()?;
        let saved: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM user_prefs WHERE user_id = ?1 AND key = 'list.columns'",
                [actor.user_id],
                |r| r.get(0),
            )
            .optional()?;
        let known = |k: &String| fields.iter().any(|f| &f.key == k && !f.hidden);
        if let Some(saved) = saved {
            let cols: Vec<String> = serde_json::from_str(&saved).unwrap_or_default();
            let cols: Vec<String> = cols.into_iter().filter(known).collect();
            if !cols.is_empty() {
                return Ok(cols);
            }
        }
        Ok(fields
            .iter()
            .filter(|f| f.displayed && !f.hidden)
            .map(|f| f.key.clone())
            .collect())
    }

    /// Remembers the user's list columns (unknown keys dropped, duplicates removed).
    pub fn set_list_columns(&mut self, actor: &Actor, columns: &[String]) -> Result<Vec<String>> {
        actor.require(Permission::ProfileView)?;
        let fields = self.fields()?;
        let mut cols: Vec<String> = Vec::new();
        for c in columns {
            if fields.iter().any(|f| &f.key == c && !f.hidden) && !cols.contains(c) {
                cols.push(c.clone());
            }
        }
        if cols.is_empty() {
            return Err(Error::conflict(
                "noDisplayColumns",
                serde_json::Value::Null,
                "Choose at least one column to display",
            ));
        }
        self.conn.execute(
            "INSERT INTO user_prefs(user_id, key, value) VALUES (?1, 'list.columns', ?2)
             ON CONFLICT(user_id, key) DO UPDATE SET value = excluded.value",
            params![
                actor.user_id,
                serde_json::to_string(&cols).unwrap_or_default()
            ],
        )?;
        Ok(cols)
    }
}
