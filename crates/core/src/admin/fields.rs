//! The field catalogue screen (SPEC 1, 7.1): custom fields of every kind (text, long text,
//! number, date, yes/no, single- and multi-select); labels, hiding, order, mandatory on create,
//! displayed by default and mapping synonyms for every field. A field's type cannot change
//! once it holds data; a custom field with data is deleted only when the caller confirms, and
//! its values go with it (audited with their count). Built-in fields keep their key and type.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{clean_label, invalid, key_from_label};
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::model::{FieldDef, FieldError, FieldKind, SelectOption};
use crate::store::Store;
use pdesk_normalize::fold_for_search;

// The catalogue's bounds are the rule crate's: the sync server checks the same ones.
pub use pdesk_rule::catalogue::{
    CUSTOM_KINDS, IDENTIFIERS, MAX_CUSTOM_FIELDS, MAX_FIELD_LABEL, MAX_OPTIONS, MAX_SYNONYMS,
};

/// A field as the catalogue screen shows it, with what may be done to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct FieldSetting {
    pub field: FieldDef,
    /// Profiles holding a value (custom fields; `None` for built-in ones, which are never
    /// deleted and never change type).
    pub values: Option<u32>,
    /// Why the type cannot change, or `None` when it can.
    pub kind_locked: Option<FieldLock>,
    /// Why the field cannot be hidden, or `None`.
    pub hide_locked: Option<FieldLock>,
    /// Why the field cannot be mandatory on create, or `None`.
    pub mandatory_locked: Option<FieldLock>,
    /// Custom fields can be deleted (with a confirmation when they hold values).
    pub deletable: bool,
}

/// Why a part of a field's settings cannot change, as data: the Fields screen words it in its
/// language from `reason` (and the field's own label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "reason", rename_all = "camelCase")]
pub enum FieldLock {
    /// A built-in field's type is fixed.
    BuiltIn,
    /// A custom field holding values keeps its type; `profiles` hold a value.
    HoldsValues { profiles: u32 },
    /// Full name, phones and e-mails identify profiles: never hidden.
    Identifies,
    /// A system field is set by the app: never mandatory on create.
    SetByApp,
}

/// A new field, or the new state of an existing one (every part given).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct FieldDraft {
    pub label: String,
    pub kind: FieldKind,
    /// Select options; a new option has an empty `value` (the core makes one from its label).
    pub options: Vec<SelectOption>,
    pub synonyms: Vec<String>,
    pub mandatory: bool,
    pub displayed: bool,
    pub hidden: bool,
}

fn is_select(kind: FieldKind) -> bool {
    matches!(kind, FieldKind::Select | FieldKind::MultiSelect)
}

impl Store {
    /// Every field in order, with its value count (custom fields) and what is locked.
    pub fn field_settings(&self, actor: &Actor) -> Result<Vec<FieldSetting>> {
        actor.require(Permission::SettingsManage)?;
        let fields = self.fields()?;
        fields
            .into_iter()
            .map(|field| {
                let values = if field.builtin {
                    None
                } else {
                    Some(self.custom_value_count(&field.key)?)
                };
                let kind_locked = if field.builtin {
                    Some(FieldLock::BuiltIn)
                } else {
                    values
                        .filter(|n| *n > 0)
                        .map(|profiles| FieldLock::HoldsValues { profiles })
                };
                let hide_locked = IDENTIFIERS
                    .contains(&field.key.as_str())
                    .then_some(FieldLock::Identifies);
                let mandatory_locked =
                    (field.kind == FieldKind::System).then_some(FieldLock::SetByApp);
                Ok(FieldSetting {
                    deletable: !field.builtin,
                    field,
                    values,
                    kind_locked,
                    hide_locked,
                    mandatory_locked,
                })
            })
            .collect()
    }

    fn custom_value_count(&self, key: &str) -> Result<u32> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM profile_custom_values WHERE field_key = ?1",
            [key],
            |r| r.get(0),
        )?)
    }

    /// Profiles whose value of select field `key` is (or, multi-select, includes) `value`.
    fn option_use(&self, key: &str, kind: FieldKind, value: &str) -> Result<u32> {
        let sql = if kind == FieldKind::MultiSelect {
            "SELECT COUNT(*) FROM profile_custom_values v
              WHERE v.field_key = ?1
                AND EXISTS (SELECT 1 FROM json_each(v.value) j WHERE j.value = ?2)"
        } else {
            "SELECT COUNT(*) FROM profile_custom_values WHERE field_key = ?1 AND value = json_quote(?2)"
        };
        Ok(self
            .conn
            .query_row(sql, params![key, value], |r| r.get(0))?)
    }

    /// Checks a draft against the catalogue (`existing`: the field being changed) and returns
    /// it cleaned: label and options trimmed, new option values made, synonyms deduplicated.
    fn check_draft(
        &self,
        draft: &FieldDraft,
        existing: Option<&FieldDef>,
        all: &[FieldDef],
    ) -> Result<FieldDraft> {
        let label = clean_label(&draft.label, "field name", MAX_FIELD_LABEL)?;
        let others: Vec<&FieldDef> = all
            .iter()
            .filter(|f| existing.is_none_or(|e| e.key != f.key))
            .collect();
        let folded = fold_for_search(&label);
        if let Some(f) = others.iter().find(|f| fold_for_search(&f.label) == folded) {
            return Err(FieldError::new(
                "label",
                "duplicate",
                format!("There is already a field named “{}”", f.label),
            )
            .with("value", &f.label)
            .into());
        }
        match existing {
            Some(e) if e.builtin && draft.kind != e.kind => {
                return Err(FieldError::new(
                    "kind",
                    "kindLocked",
                    format!("{} is built in: its type is fixed", e.label),
                )
                .with("label", &e.label)
                .into())
            }
            Some(e) if !e.builtin && draft.kind != e.kind => {
                let n = self.custom_value_count(&e.key)?;
                if n > 0 {
                    return Err(FieldError::new(
                        "kind",
                        "kindInUse",
                        format!(
                            "{} holds values on {} {}: its type cannot change",
                            e.label,
                            pdesk_normalize::display::count(u64::from(n)),
                            if n == 1 { "profile" } else { "profiles" }
                        ),
                    )
                    .with("label", &e.label)
                    .with("count", n)
                    .into());
                }
            }
            _ => {}
        }
        let builtin = existing.is_some_and(|e| e.builtin);
        if !builtin && !CUSTOM_KINDS.contains(&draft.kind) {
            return Err(invalid(
                "kind",
                "unknownKind",
                "A custom field is text, long text, number, date, yes/no, single-select or multi-select".into(),
            ));
        }
        if draft.hidden && IDENTIFIERS.contains(&existing.map_or("", |e| e.key.as_str())) {
            return Err(FieldError::new(
                "hidden",
                "identifier",
                format!("{label} identifies profiles and cannot be hidden"),
            )
            .with("label", &label)
            .into());
        }
        if draft.mandatory && draft.kind == FieldKind::System {
            return Err(FieldError::new(
                "mandatory",
                "system",
                format!("{label} is set by the app"),
            )
            .with("label", &label)
            .into());
        }
        if draft.mandatory && draft.hidden {
            return Err(FieldError::new(
                "mandatory",
                "hidden",
                format!("{label} is hidden, so it cannot be mandatory"),
            )
            .with("label", &label)
            .into());
        }
        let options = if builtin {
            // Built-in options (gender) are the values the rules know: they stay as they are.
            existing.map(|e| e.options.clone()).unwrap_or_default()
        } else if is_select(draft.kind) {
            self.check_options(draft, existing, &label)?
        } else {
            Vec::new()
        };
        let synonyms = check_synonyms(&draft.synonyms, &label, &others)?;
        Ok(FieldDraft {
            label,
            kind: draft.kind,
            options,
            synonyms,
            mandatory: draft.mandatory,
            displayed: draft.displayed,
            hidden: draft.hidden,
        })
    }

    fn check_options(
        &self,
        draft: &FieldDraft,
        existing: Option<&FieldDef>,
        label: &str,
    ) -> Result<Vec<SelectOption>> {
        if draft.options.is_empty() {
            return Err(FieldError::new(
                "options",
                "noOptions",
                format!("{label} needs at least one option to choose from"),
            )
            .with("label", label)
            .into());
        }
        if draft.options.len() > MAX_OPTIONS {
            return Err(FieldError::new(
                "options",
                "tooMany",
                format!("A select field can have at most {MAX_OPTIONS} options"),
            )
            .with("max", MAX_OPTIONS)
            .into());
        }
        let mut out: Vec<SelectOption> = Vec::new();
        for o in &draft.options {
            let text = clean_label(&o.label, "option", MAX_FIELD_LABEL).map_err(|_| {
                FieldError::new(
                    "options",
                    "emptyOption",
                    format!("Every option needs a name of 1 to {MAX_FIELD_LABEL} characters"),
                )
                .with("max", MAX_FIELD_LABEL)
            })?;
            if out
                .iter()
                .any(|x| fold_for_search(&x.label) == fold_for_search(&text))
            {
                return Err(FieldError::new(
                    "options",
                    "duplicate",
                    format!("The option “{text}” is listed twice"),
                )
                .with("value", &text)
                .into());
            }
            let kept = existing.and_then(|e| {
                e.options
                    .iter()
                    .find(|x| x.value == o.value && !o.value.is_empty())
            });
            let value = match kept {
                Some(k) => k.value.clone(),
                None => {
                    let taken: Vec<String> = existing
                        .map(|e| {
                            e.options
                                .iter()
                                .map(|x| x.value.clone())
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default()
                        .into_iter()
                        .chain(out.iter().map(|x| x.value.clone()))
                        .collect();
                    key_from_label(&text, "option", &taken)
                }
            };
            out.push(SelectOption { value, label: text });
        }
        if let Some(e) = existing.filter(|e| e.kind == draft.kind) {
            for gone in e
                .options
                .iter()
                .filter(|o| !out.iter().any(|x| x.value == o.value))
            {
                let n = self.option_use(&e.key, e.kind, &gone.value)?;
                if n > 0 {
                    return Err(FieldError::new(
                        "options",
                        "inUse",
                        format!(
                            "The option “{}” is used by {} {}; it cannot be removed (rename it instead)",
                            gone.label,
                            pdesk_normalize::display::count(u64::from(n)),
                            if n == 1 { "profile" } else { "profiles" }
                        ),
                    )
                    .with("value", &gone.label)
                    .with("count", n)
                    .into());
                }
            }
        }
        Ok(out)
    }

    /// Adds a custom field after the other editable fields; its key is made from its name.
    pub fn add_field(&mut self, actor: &Actor, draft: &FieldDraft) -> Result<Vec<FieldSetting>> {
        actor.require(Permission::SettingsManage)?;
        crate::store::refuse_if_managed(&self.conn, "The field catalogue")?;
        let all = self.fields()?;
        if all.iter().filter(|f| !f.builtin).count() >= MAX_CUSTOM_FIELDS {
            return Err(Error::limit(
                "tooManyFields",
                serde_json::json!({ "limit": MAX_CUSTOM_FIELDS }),
                format!("A store can have at most {MAX_CUSTOM_FIELDS} custom fields"),
            ));
        }
        let d = self.check_draft(draft, None, &all)?;
        let taken: Vec<String> = all.iter().map(|f| f.key.clone()).collect();
        let key = key_from_label(&d.label, "field", &taken);
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO fields(key, label, kind, builtin, mandatory, displayed, hidden, position,
                                options, synonyms)
             VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6,
                     (SELECT COALESCE(MAX(position), 0) + 10 FROM fields WHERE kind <> 'system'),
                     ?7, ?8)",
            params![
                key,
                d.label,
                d.kind.as_str(),
                d.mandatory,
                d.displayed,
                d.hidden,
                serde_json::to_string(&d.options).unwrap_or_default(),
                serde_json::to_string(&d.synonyms).unwrap_or_default(),
            ],
        )?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "settings.field",
            &format!("field:{key}"),
            serde_json::json!({
                "change": "added", "label": d.label, "kind": d.kind.as_str(),
                "mandatory": d.mandatory, "displayed": d.displayed, "hidden": d.hidden,
                "options": d.options.iter().map(|o| &o.label).collect::<Vec<_>>(),
                "synonyms": d.synonyms,
            }),
        )?;
        tx.commit()?;
        self.field_settings(actor)
    }

    /// Changes a field (label, type, options, synonyms, mandatory, displayed, hidden); the
    /// audit entry lists what changed, before and after.
    pub fn update_field(
        &mut self,
        actor: &Actor,
        key: &str,
        draft: &FieldDraft,
    ) -> Result<Vec<FieldSetting>> {
        actor.require(Permission::SettingsManage)?;
        crate::store::refuse_if_managed(&self.conn, "The field catalogue")?;
        let all = self.fields()?;
        let before = all
            .iter()
            .find(|f| f.key == key)
            .cloned()
            .ok_or_else(|| no_field(key))?;
        let d = self.check_draft(draft, Some(&before), &all)?;
        let mut changes = serde_json::Map::new();
        let mut note = |name: &str, a: serde_json::Value, b: serde_json::Value| {
            if a != b {
                changes.insert(name.into(), serde_json::json!([a, b]));
            }
        };
        note("label", before.label.clone().into(), d.label.clone().into());
        note("kind", before.kind.as_str().into(), d.kind.as_str().into());
        note("mandatory", before.mandatory.into(), d.mandatory.into());
        note("displayed", before.displayed.into(), d.displayed.into());
        note("hidden", before.hidden.into(), d.hidden.into());
        let labels =
            |o: &[SelectOption]| serde_json::json!(o.iter().map(|x| &x.label).collect::<Vec<_>>());
        note("options", labels(&before.options), labels(&d.options));
        note(
            "synonyms",
            serde_json::json!(before.synonyms),
            serde_json::json!(d.synonyms),
        );
        if changes.is_empty() {
            return self.field_settings(actor);
        }
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE fields SET label = ?2, kind = ?3, mandatory = ?4, displayed = ?5, hidden = ?6,
                               options = ?7, synonyms = ?8
              WHERE key = ?1",
            params![
                key,
                d.label,
                d.kind.as_str(),
                d.mandatory,
                d.displayed,
                d.hidden,
                serde_json::to_string(&d.options).unwrap_or_default(),
                serde_json::to_string(&d.synonyms).unwrap_or_default(),
            ],
        )?;
        changes.insert("change".into(), "updated".into());
        crate::audit::append(
            &tx,
            &at,
            actor,
            "settings.field",
            &format!("field:{key}"),
            serde_json::Value::Object(changes),
        )?;
        tx.commit()?;
        self.touched();
        self.field_settings(actor)
    }

    /// Puts the fields in the order of `keys` (every field exactly once): the order of the
    /// create form, the detail screen, the mapping grid's choices and the column chooser.
    pub fn reorder_fields(&mut self, actor: &Actor, keys: &[String]) -> Result<Vec<FieldSetting>> {
        actor.require(Permission::SettingsManage)?;
        crate::store::refuse_if_managed(&self.conn, "The field catalogue")?;
        let current: Vec<String> = self.fields()?.into_iter().map(|f| f.key).collect();
        let what = ("fields", "settings.field", "fields", "field");
        super::reorder(self, actor, what, &current, keys)?;
        self.field_settings(actor)
    }

    /// Deletes a custom field. When it holds values, `confirm` must be true (the screen asks
    /// first): the values go with the field, and the audit entry says how many.
    pub fn delete_field(
        &mut self,
        actor: &Actor,
        key: &str,
        confirm: bool,
    ) -> Result<Vec<FieldSetting>> {
        actor.require(Permission::SettingsManage)?;
        crate::store::refuse_if_managed(&self.conn, "The field catalogue")?;
        let field: Option<(String, bool)> = self
            .conn
            .query_row(
                "SELECT label, builtin FROM fields WHERE key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((label, builtin)) = field else {
            return Err(no_field(key));
        };
        if builtin {
            return Err(Error::conflict(
                "builtinField",
                serde_json::json!({ "key": key, "label": label }),
                format!("{label} is a built-in field and cannot be deleted (you can hide it)"),
            ));
        }
        let values = self.custom_value_count(key)?;
        if values > 0 && !confirm {
            return Err(Error::conflict(
                "fieldHasValues",
                serde_json::json!({ "key": key, "label": label, "profiles": values }),
                format!(
                    "{label} holds values on {} {}; confirm to delete the field and its values",
                    pdesk_normalize::display::count(u64::from(values)),
                    if values == 1 { "profile" } else { "profiles" }
                ),
            ));
        }
        let at = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM profile_custom_values WHERE field_key = ?1",
            [key],
        )?;
        tx.execute("DELETE FROM fields WHERE key = ?1", [key])?;
        crate::audit::append(
            &tx,
            &at,
            actor,
            "settings.field",
            &format!("field:{key}"),
            serde_json::json!({ "change": "deleted", "label": label, "values": values }),
        )?;
        tx.commit()?;
        self.touched();
        self.field_settings(actor)
    }
}

/// Synonyms trimmed, deduplicated (ignoring case and accents), bounded, and not already
/// meaning another field (its key, label or one of its synonyms).
fn check_synonyms(synonyms: &[String], label: &str, others: &[&FieldDef]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for s in synonyms {
        let s = pdesk_normalize::clean_text(s);
        if s.is_empty() {
            continue;
        }
        if s.chars().count() > MAX_FIELD_LABEL {
            return Err(FieldError::new(
                "synonyms",
                "tooLong",
                format!("A synonym can have at most {MAX_FIELD_LABEL} characters"),
            )
            .with("max", MAX_FIELD_LABEL)
            .with("value", &s)
            .into());
        }
        // Exact repeats go (ignoring case); accent variants stay, as people list them.
        if out.iter().any(|x| x.to_lowercase() == s.to_lowercase()) {
            continue;
        }
        let folded = fold_for_search(&s);
        if let Some(f) = others.iter().find(|f| {
            fold_for_search(&f.label) == folded
                || fold_for_search(&f.key.replace('_', " ")) == folded
                || f.synonyms.iter().any(|x| fold_for_search(x) == folded)
        }) {
            return Err(FieldError::new(
                "synonyms",
                "taken",
                format!(
                    "“{s}” already means {} in the mapping; a column name can mean one field only",
                    f.label
                ),
            )
            .with("value", &s)
            .with("other", &f.label)
            .into());
        }
        out.push(s);
    }
    if out.len() > MAX_SYNONYMS {
        return Err(FieldError::new(
            "synonyms",
            "tooMany",
            format!("{label} can have at most {MAX_SYNONYMS} synonyms"),
        )
        .with("label", label)
        .with("max", MAX_SYNONYMS)
        .into());
    }
    Ok(out)
}

fn no_field(key: &str) -> Error {
    Error::not_found(
        "noField",
        serde_json::json!({ "key": key }),
        format!("There is no field “{key}”"),
    )
}
