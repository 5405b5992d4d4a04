//! The server's settings, taken while connected (SYNC.md §4.2; decision 48): the
//! synchronization rule (match keys, phone region, merge policy, guards), the field catalogue
//! and the consent channels come from the server — in a snapshot's first line, and in the pull
//! whenever an administrator changes them — and the local Settings sections are read-only
//! meanwhile (`store::refuse_if_managed`).
//!
//! What the server sends is checked as the Settings screens check an administrator's edit; a
//! part that does not pass here (a catalogue without one of this build's built-in fields, a
//! region this build does not know) is left as it was, and the audit entry says why. Local
//! custom fields the server does not have are hidden, not deleted: their values stay.

use std::collections::BTreeSet;

use rusqlite::{params, Transaction};

use crate::error::Result;
use crate::model::{FieldDef, FieldKind, MatchKey, MergePolicy};
use pdesk_normalize::PhoneRegion;
use pdesk_rule::Guards;
use pdesk_sync_proto::pull::ConfigChange;

/// A consent channel as the server's config lists it.
#[derive(serde::Deserialize)]
struct Channel {
    key: String,
    label: String,
}

/// Takes config `c` from the server inside `tx`: each part that checks out replaces the local
/// one; one audit entry (by `sync`) records the version and anything refused.
pub(super) fn apply(tx: &Transaction, c: &ConfigChange, at: &str) -> Result<()> {
    let mut refused: Vec<String> = Vec::new();
    if let Err(why) = take_rule(tx, c)? {
        refused.push(format!("the synchronization rule: {why}"));
    }
    match serde_json::from_value::<Vec<FieldDef>>(c.catalog.clone()) {
        Ok(fields) => {
            if let Err(why) = take_fields(tx, &fields)? {
                refused.push(format!("the field catalogue: {why}"));
            }
        }
        Err(e) => refused.push(format!("the field catalogue: not readable ({e})")),
    }
    match serde_json::from_value::<Vec<Channel>>(c.channels.clone()) {
        Ok(channels) => take_channels(tx, &channels)?,
        Err(e) => refused.push(format!("the consent channels: not readable ({e})")),
    }
    tx.prepare_cached("UPDATE sync_state SET config_version = ?1 WHERE id = 1")?
        .execute([c.version as i64])?;
    crate::audit::append_as(
        tx,
        at,
        "sync",
        "sync.config",
        "settings",
        serde_json::json!({ "version": c.version, "refused": refused }),
    )?;
    Ok(())
}

/// The rule's keys, region, merge policy and guards, each checked before any is written; the
/// inner `Err` says why they were not taken.
fn take_rule(tx: &Transaction, c: &ConfigChange) -> Result<std::result::Result<(), String>> {
    let keys: Vec<MatchKey> = c
        .rule
        .keys
        .iter()
        .filter_map(|k| serde_json::to_value(k).ok())
        .filter_map(|v| v.as_str().and_then(MatchKey::parse))
        .collect();
    if keys.is_empty() {
        return Ok(Err("no match key this version knows".into()));
    }
    let Some(region) = PhoneRegion::by_iso(&c.rule.default_region) else {
        return Ok(Err(format!(
            "unknown phone region {}",
            c.rule.default_region
        )));
    };
    let policy = match c
        .rule
        .merge_policy
        .clone()
        .map(serde_json::from_value::<MergePolicy>)
    {
        Some(Err(e)) => return Ok(Err(format!("merge policy: {e}"))),
        other => other.and_then(std::result::Result::ok),
    };
    let guards = match &c.rule.guards {
        Some(v) => match serde_json::from_value::<Guards>(v.clone()) {
            Err(e) => return Ok(Err(format!("guards: {e}"))),
            Ok(g) => match g.checked() {
                Err(e) => return Ok(Err(format!("guards: {}", e.message))),
                Ok(g) => Some(g),
            },
        },
        None => None,
    };
    crate::catalogue::write_rule(tx, &keys, region, policy)?;
    if let Some(g) = &guards {
        crate::catalogue::write_guards(tx, g)?;
    }
    Ok(Ok(()))
}

/// The server's catalogue: its fields written over the local ones (a local field keeps its
/// kind), new custom fields added, local custom fields it lacks hidden. The inner `Err` says
/// why the catalogue was not taken.
fn take_fields(tx: &Transaction, fields: &[FieldDef]) -> Result<std::result::Result<(), String>> {
    // The system fields (source, created at, …) are this store's own: the server's catalogue
    // does not list them, and they stay as they are.
    let local = crate::catalogue::read_fields(tx)?;
    let builtins: Vec<FieldDef> = local
        .iter()
        .filter(|f| f.builtin && f.kind != FieldKind::System)
        .cloned()
        .collect();
    if let Err(e) = pdesk_rule::catalogue::check_catalogue(fields, &builtins) {
        return Ok(Err(e.message));
    }
    for f in fields {
        tx.prepare_cached(
            "INSERT INTO fields(key, label, kind, builtin, mandatory, displayed, hidden, position,
                                options, synonyms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT(key) DO UPDATE SET label = excluded.label,
                 mandatory = excluded.mandatory, displayed = excluded.displayed,
                 hidden = excluded.hidden, position = excluded.position,
                 options = excluded.options, synonyms = excluded.synonyms",
        )?
        .execute(params![
            f.key,
            f.label,
            f.kind.as_str(),
            f.builtin,
            f.mandatory,
            f.displayed,
            f.hidden,
            f.position,
            serde_json::to_string(&f.options).unwrap_or_default(),
            serde_json::to_string(&f.synonyms).unwrap_or_default(),
        ])?;
    }
    let kept: BTreeSet<&str> = fields.iter().map(|f| f.key.as_str()).collect();
    for gone in local
        .iter()
        .filter(|f| !f.builtin && !kept.contains(f.key.as_str()))
    {
        tx.prepare_cached("UPDATE fields SET hidden = 1, displayed = 0 WHERE key = ?1")?
            .execute([&gone.key])?;
    }
    Ok(Ok(()))
}

/// The server's consent channels, in its order; a local channel it lacks stays (consent
/// records name it), after them.
fn take_channels(tx: &Transaction, channels: &[Channel]) -> Result<()> {
    for (position, c) in channels.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO consent_channels(key, label, builtin, position) VALUES (?1, ?2, 0, ?3)
             ON CONFLICT(key) DO UPDATE SET label = excluded.label, position = excluded.position",
        )?
        .execute(params![c.key, c.label, position as i64 * 10])?;
    }
    let listed: Vec<&str> = channels.iter().map(|c| c.key.as_str()).collect();
    let mut after = channels.len() as i64 * 10;
    let others: Vec<String> = tx
        .prepare("SELECT key FROM consent_channels ORDER BY position, key")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?
        .into_iter()
        .filter(|k| !listed.contains(&k.as_str()))
        .collect();
    for key in others {
        tx.prepare_cached("UPDATE consent_channels SET position = ?2 WHERE key = ?1")?
            .execute(params![key, after])?;
        after += 10;
    }
    Ok(())
}
