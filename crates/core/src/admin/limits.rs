//! The limits of SPEC 4 and 7.1 — file size, rows per file, paste rows, direct-export rows and
//! the e-mail attachment size — with the SPEC's defaults and bounds an administrator may not
//! go beyond (the import guard's caps are sized for files within them).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::put_setting;
use crate::auth::{Actor, Permission};
use crate::error::Result;
use crate::model::FieldError;
use crate::store::Store;

const MB: u64 = 1024 * 1024;

/// What a limit counts; sizes are shown and typed in megabytes, stored in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum LimitUnit {
    Megabytes,
    Rows,
}

/// One limit as the Limits screen shows it, in its unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct LimitSetting {
    /// `file_size`, `file_rows`, `paste_rows`, `export_direct_rows`, `mail_attachment_size`.
    pub key: String,
    /// The limit's name in English; the app words it (and `hint`) by `key` in its language.
    pub label: String,
    /// What the limit does, in a sentence.
    pub hint: String,
    pub unit: LimitUnit,
    pub value: u32,
    pub default: u32,
    pub min: u32,
    pub max: u32,
}

/// A new value for one limit, in its unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct LimitValue {
    pub key: String,
    pub value: u32,
}

/// The limits as the rules use them (sizes in bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub file_bytes: u64,
    pub file_rows: u32,
    pub paste_rows: u32,
    pub export_direct_rows: u32,
    pub mail_attachment_bytes: u64,
}

/// key, settings key, label, hint, unit, default, min, max (in the unit).
type Def = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    LimitUnit,
    u32,
    u32,
    u32,
);

const DEFS: [Def; 5] = [
    (
        "file_size",
        "limits.file_bytes",
        "File size",
        "Largest .xlsx file an import accepts.",
        LimitUnit::Megabytes,
        10,
        1,
        50,
    ),
    (
        "file_rows",
        "limits.file_rows",
        "Rows per file",
        "Most data rows in one imported file (the header row is not counted).",
        LimitUnit::Rows,
        50_000,
        1,
        200_000,
    ),
    (
        "paste_rows",
        "limits.paste_rows",
        "Paste rows",
        "Most rows one paste may hold.",
        LimitUnit::Rows,
        1_000,
        1,
        10_000,
    ),
    (
        "export_direct_rows",
        "limits.export_direct_rows",
        "Direct-export rows",
        "Exports up to this many rows are saved at once; larger ones run in the background.",
        LimitUnit::Rows,
        1_000,
        1,
        10_000,
    ),
    (
        "mail_attachment_size",
        "limits.mail_attachment_bytes",
        "E-mail attachment size",
        "Larger export files are not attached; the e-mail says where the file was saved.",
        LimitUnit::Megabytes,
        20,
        1,
        50,
    ),
];

/// The stored value (bytes or rows) → the value in the limit's unit.
fn to_unit(unit: LimitUnit, stored: u64) -> u32 {
    let v = match unit {
        LimitUnit::Megabytes => stored / MB,
        LimitUnit::Rows => stored,
    };
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn to_stored(unit: LimitUnit, value: u32) -> u64 {
    match unit {
        LimitUnit::Megabytes => u64::from(value) * MB,
        LimitUnit::Rows => u64::from(value),
    }
}

fn unit_words(unit: LimitUnit, n: u32) -> String {
    match unit {
        LimitUnit::Megabytes => format!("{n} MB"),
        LimitUnit::Rows if n == 1 => "1 row".into(),
        LimitUnit::Rows => format!("{} rows", pdesk_normalize::display::count(u64::from(n))),
    }
}

impl Store {
    /// A limit's stored value (bytes or rows), the SPEC default when unset or unreadable.
    fn stored_limit(&self, def: &Def) -> Result<u64> {
        let (_, setting, _, _, unit, default, ..) = *def;
        Ok(self
            .setting(setting)?
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| to_stored(unit, default)))
    }

    /// The limits as the rules read them (no permission: every rule needs them).
    pub fn limits_config(&self) -> Result<Limits> {
        let [file, rows, paste, export, attachment] = &DEFS;
        let small = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        Ok(Limits {
            file_bytes: self.stored_limit(file)?,
            file_rows: small(self.stored_limit(rows)?),
            paste_rows: small(self.stored_limit(paste)?),
            export_direct_rows: small(self.stored_limit(export)?),
            mail_attachment_bytes: self.stored_limit(attachment)?,
        })
    }

    /// The Limits screen: every limit with its value, default and bounds.
    pub fn limit_settings(&self, actor: &Actor) -> Result<Vec<LimitSetting>> {
        actor.require(Permission::SettingsManage)?;
        DEFS.iter()
            .map(|def| {
                let (key, _, label, hint, unit, default, min, max) = *def;
                Ok(LimitSetting {
                    key: key.into(),
                    label: label.into(),
                    hint: hint.into(),
                    unit,
                    value: to_unit(unit, self.stored_limit(def)?),
                    default,
                    min,
                    max,
                })
            })
            .collect()
    }

    /// Changes limits (all or none): each value must be within its bounds. One audit entry
    /// lists what changed (before → after); nothing changed, nothing audited.
    pub fn set_limits(
        &mut self,
        actor: &Actor,
        values: &[LimitValue],
    ) -> Result<Vec<LimitSetting>> {
        actor.require(Permission::SettingsManage)?;
        let mut errors = Vec::new();
        let mut changes = BTreeMap::new();
        let mut writes = Vec::new();
        for v in values {
            let Some(def) = DEFS.iter().find(|d| d.0 == v.key) else {
                return Err(FieldError::new(
                    &v.key,
                    "unknownLimit",
                    format!("There is no limit “{}”", v.key),
                )
                .with("value", &v.key)
                .into());
            };
            let (key, setting, label, _, unit, _, min, max) = *def;
            if v.value < min || v.value > max {
                errors.push(
                    FieldError::new(
                        key,
                        "outOfRange",
                        format!(
                            "{label} must be between {} and {} (you entered {})",
                            unit_words(unit, min),
                            unit_words(unit, max),
                            unit_words(unit, v.value)
                        ),
                    )
                    .with("label", label)
                    .with("min", min)
                    .with("max", max)
                    .with("value", v.value)
                    .with(
                        "unit",
                        match unit {
                            LimitUnit::Megabytes => "megabytes",
                            LimitUnit::Rows => "rows",
                        },
                    ),
                );
                continue;
            }
            let before = to_unit(unit, self.stored_limit(def)?);
            if before != v.value {
                changes.insert(
                    key,
                    serde_json::json!({ "before": before, "after": v.value }),
                );
                writes.push((setting, to_stored(unit, v.value)));
            }
        }
        if !errors.is_empty() {
            return Err(crate::Error::Validation(errors));
        }
        if !writes.is_empty() {
            let at = self.now();
            let tx = self.conn.transaction()?;
            for (setting, stored) in &writes {
                put_setting(&tx, setting, &stored.to_string())?;
            }
            crate::audit::append(
                &tx,
                &at,
                actor,
                "settings.limits",
                "settings:limits",
                serde_json::json!({ "changes": changes }),
            )?;
            tx.commit()?;
        }
        self.limit_settings(actor)
    }
}
