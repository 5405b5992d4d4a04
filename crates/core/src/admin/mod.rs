//! The administration screens' rules (SPEC 7.1): limits, consent channels, the field catalogue
//! and the synchronization rule. Every change needs `settings.manage`, is validated here, is
//! written together with its audit entry in one transaction, and takes effect at once: the
//! rules (create, mapping, imports) read the catalogue and settings afresh on every call.

mod channels;
mod fields;
mod limits;
mod sync_rule;

pub(crate) use crate::error::invalid;
pub(crate) use crate::store::put_setting;

use rusqlite::params;

pub use channels::ConsentChannelSetting;
pub use fields::{FieldDraft, FieldLock, FieldSetting, CUSTOM_KINDS};
pub use limits::{LimitSetting, LimitUnit, LimitValue, Limits};
pub use sync_rule::{ExampleProfile, ExampleValue, SyncExample, SyncRuleDraft, SyncRuleSetting};

use crate::auth::Actor;
use crate::error::{Error, Result};
use crate::store::Store;
use pdesk_normalize::{clean_text, fold_for_search};

/// Puts the rows of `table` (keyed by `key`, ordered by `position`) in the order of `keys`,
/// which must list every one of `current` exactly once, and audits it as `action` (`what`,
/// singular, names the rows in the refusal). Returns false when the order did not change.
pub(crate) fn reorder(
    store: &mut Store,
    actor: &Actor,
    (table, action, target, what): (&str, &str, &str, &str),
    current: &[String],
    keys: &[String],
) -> Result<bool> {
    let (mut a, mut b) = (current.to_vec(), keys.to_vec());
    a.sort();
    b.sort();
    if a != b {
        return Err(Error::conflict(
            "orderIncomplete",
            serde_json::json!({ "what": what }),
            format!("The new order must list every {what} exactly once; reload and try again"),
        ));
    }
    if current == keys {
        return Ok(false);
    }
    let at = store.now();
    let tx = store.conn.transaction()?;
    for (i, key) in keys.iter().enumerate() {
        tx.execute(
            &format!("UPDATE {table} SET position = ?2 WHERE key = ?1"),
            params![key, (i as i64 + 1) * 10],
        )?;
    }
    crate::audit::append(
        &tx,
        &at,
        actor,
        action,
        target,
        serde_json::json!({ "change": "reordered", "order": keys }),
    )?;
    tx.commit()?;
    Ok(true)
}

/// A label as users type it: trimmed, NFC, 1 to `max` characters.
pub(crate) fn clean_label(label: &str, what: &str, max: usize) -> Result<String> {
    let label = clean_text(label);
    let n = label.chars().count();
    if n == 0 {
        return Err(invalid("label", "required", format!("Enter the {what}")));
    }
    if n > max {
        return Err(crate::model::FieldError::new(
            "label",
            "tooLong",
            format!("The {what} can have at most {max} characters (it has {n})"),
        )
        .with("max", max)
        .with("given", n)
        .into());
    }
    Ok(label)
}

/// A stable key made from a label (`Hạng thành viên` → `hang_thanh_vien`), unique among
/// `taken`: keys never change once made, so labels can be renamed freely.
pub(crate) fn key_from_label(label: &str, fallback: &str, taken: &[String]) -> String {
    let folded: String = fold_for_search(label)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let mut base: String = folded
        .split('_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    base.truncate(40);
    if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        base = format!("{fallback}_{base}")
            .trim_end_matches('_')
            .to_string();
    }
    let mut key = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&key)) {
        key = format!("{base}_{n}");
        n += 1;
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_folded_ascii_and_unique() {
        let taken = vec!["zalo".to_string(), "zalo_2".to_string()];
        assert_eq!(
            key_from_label("Hạng thành viên", "field", &[]),
            "hang_thanh_vien",
            "Vietnamese labels fold to ASCII words"
        );
        assert_eq!(
            key_from_label("Zalo", "channel", &taken),
            "zalo_3",
            "a taken key gets the next free number"
        );
        assert_eq!(
            key_from_label("2024 campaign", "field", &[]),
            "field_2024_campaign",
            "keys never start with a digit"
        );
        assert_eq!(
            key_from_label("???", "channel", &[]),
            "channel",
            "a label without letters still gets a key"
        );
    }

    #[test]
    fn labels_are_trimmed_and_bounded() {
        assert_eq!(
            clean_label("  Zalo ", "channel name", 40).expect("label"),
            "Zalo",
            "trimmed"
        );
        let err = clean_label("   ", "channel name", 40).expect_err("empty");
        assert_eq!(
            err.to_string(),
            "Enter the channel name",
            "names what is missing"
        );
        let err = clean_label(&"x".repeat(41), "channel name", 40).expect_err("long");
        assert!(
            err.to_string()
                .contains("at most 40 characters (it has 41)"),
            "names the limit: {err}"
        );
    }
}
