//! Delete with an audited reason (SPEC 5). Irreversible, no soft delete: in one transaction the
//! profiles go, and with them (the schema's `ON DELETE CASCADE`) their phones, e-mails, tags,
//! custom values, consent records, history and links to accounts, opportunities, tickets and
//! tasks — the linked objects themselves stay. The search index follows through its trigger.
//! Each deleted profile gets one audit entry in the same transaction: reason, removed links per
//! kind and a masked label (see [`super::mask`]), never the person's data.

use std::collections::BTreeSet;
use std::rc::Rc;

use rusqlite::types::Value;
use rusqlite::{Connection, TransactionBehavior};

use super::mask::{masked_label, scrub_reason};
use super::search_index::SearchIndex;
use super::storage;
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::model::{DeletePreview, DeleteResult, FieldError, ProfileId};
use crate::store::Store;
use pdesk_rule::validate::ValidProfile;

/// Most profiles one delete action may remove (SPEC 5).
pub const MAX_DELETE_PROFILES: usize = 100;
/// Longest deletion reason, in characters.
pub const MAX_DELETE_REASON_CHARS: usize = 500;

/// The link tables: kind (as in the preview and the audit details), table, object column.
pub(super) const LINKS: [(&str, &str, &str); 4] = [
    ("accounts", "profile_accounts", "account_id"),
    ("opportunities", "profile_opportunities", "opportunity_id"),
    ("tickets", "profile_tickets", "ticket_id"),
    ("tasks", "profile_tasks", "task_id"),
];

/// The reason, trimmed and in NFC; refused when empty or longer than the limit.
fn check_reason(reason: &str) -> Result<String> {
    let reason = pdesk_normalize::clean_text(reason);
    let chars = reason.chars().count();
    let problem = if chars == 0 {
        Some((
            "required",
            "Enter the reason for deleting (it is kept in the audit log)".to_string(),
        ))
    } else if chars > MAX_DELETE_REASON_CHARS {
        Some((
            "tooLong",
            format!(
                "The reason can have at most {MAX_DELETE_REASON_CHARS} characters (it has {chars})"
            ),
        ))
    } else {
        None
    };
    match problem {
        Some((code, message)) => Err(Error::Validation(vec![FieldError {
            field: "reason".into(),
            code: code.into(),
            message,
        }])),
        None => Ok(reason),
    }
}

/// The distinct ids in the order given; refused when none or more than the limit.
fn check_ids(ids: &[ProfileId]) -> Result<Vec<ProfileId>> {
    let mut seen = BTreeSet::new();
    let ids: Vec<ProfileId> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    if ids.is_empty() {
        return Err(Error::Validation(vec![FieldError {
            field: "profiles".into(),
            code: "required".into(),
            message: "Select at least one profile to delete".into(),
        }]));
    }
    if ids.len() > MAX_DELETE_PROFILES {
        return Err(Error::Limit(format!(
            "You selected {} profiles; at most {MAX_DELETE_PROFILES} profiles can be deleted at once",
            ids.len()
        )));
    }
    Ok(ids)
}

fn id_array(ids: &[ProfileId]) -> Rc<Vec<Value>> {
    Rc::new(ids.iter().map(|&id| Value::from(id)).collect())
}

/// Refuses, naming them, when some of `ids` are not (or no longer) in the store.
fn ensure_exist(conn: &Connection, ids: &[ProfileId]) -> Result<()> {
    let found: BTreeSet<ProfileId> = conn
        .prepare_cached("SELECT id FROM profiles WHERE id IN rarray(?1)")?
        .query_map([id_array(ids)], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let missing: Vec<String> = ids
        .iter()
        .filter(|id| !found.contains(*id))
        .map(|id| format!("#{id}"))
        .collect();
    match missing.as_slice() {
        [] => Ok(()),
        [one] => Err(Error::NotFound(format!(
            "Profile {one} does not exist; nothing was deleted"
        ))),
        several => Err(Error::NotFound(format!(
            "Profiles {} do not exist; nothing was deleted",
            several.join(", ")
        ))),
    }
}

/// Distinct linked objects per kind (in [`LINKS`] order) for the profiles `ids`.
pub(super) fn link_counts(conn: &Connection, ids: &[ProfileId]) -> Result<[u32; 4]> {
    let mut counts = [0u32; 4];
    for (count, (_, table, column)) in counts.iter_mut().zip(LINKS) {
        *count = conn
            .prepare_cached(&format!(
                "SELECT COUNT(DISTINCT {column}) FROM {table} WHERE profile_id IN rarray(?1)"
            ))?
            .query_row([id_array(ids)], |r| r.get(0))?;
    }
    Ok(counts)
}

impl Store {
    /// What deleting `ids` would remove: the number of profiles and of linked accounts,
    /// opportunities, tickets and tasks that would lose their link (each object counted once).
    /// Same permission, limit and existence checks as [`Store::delete_profiles`].
    pub fn delete_preview(&self, actor: &Actor, ids: &[ProfileId]) -> Result<DeletePreview> {
        actor.require(Permission::ProfileDelete)?;
        let ids = check_ids(ids)?;
        ensure_exist(&self.conn, &ids)?;
        let [accounts, opportunities, tickets, tasks] = link_counts(&self.conn, &ids)?;
        Ok(DeletePreview {
            profiles: ids.len() as u32,
            accounts,
            opportunities,
            tickets,
            tasks,
        })
    }

    /// Deletes the profiles `ids` (at most [`MAX_DELETE_PROFILES`]) for `reason`, all or
    /// nothing, writing one `profile.delete` audit entry per profile in the same transaction.
    pub fn delete_profiles(
        &mut self,
        actor: &Actor,
        ids: &[ProfileId],
        reason: &str,
    ) -> Result<DeleteResult> {
        actor.require(Permission::ProfileDelete)?;
        let reason = check_reason(reason)?;
        let ids = check_ids(ids)?;
        let region = self.sync_settings()?.region;
        let at = self.now();
        // IMMEDIATE takes the write lock up front: the existence check, the deletes and the
        // audit chain (which reads the last hash) all see the same, final state.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        ensure_exist(&tx, &ids)?;
        let people: Vec<ValidProfile> = ids
            .iter()
            .map(|&id| storage::load(&tx, id))
            .collect::<Result<_>>()?;
        let reason = scrub_reason(&reason, &people.iter().collect::<Vec<_>>(), region);
        let mut audit_entries = Vec::with_capacity(ids.len());
        for (&id, person) in ids.iter().zip(&people) {
            let mut removed = serde_json::Map::new();
            for (kind, table, _) in LINKS {
                let n: u32 = tx
                    .prepare_cached(&format!(
                        "SELECT COUNT(*) FROM {table} WHERE profile_id = ?1"
                    ))?
                    .query_row([id], |r| r.get(0))?;
                removed.insert(kind.into(), n.into());
            }
            storage::delete(&tx, id, &mut SearchIndex::Immediate)?;
            let label = masked_label(person).unwrap_or_else(|| format!("Profile #{id}"));
            audit_entries.push(crate::audit::append(
                &tx,
                &at,
                actor,
                "profile.delete",
                &format!("profile:{id}"),
                serde_json::json!({
                    "profileId": id,
                    "label": label,
                    "reason": reason,
                    "removedLinks": removed,
                    "batchSize": ids.len(),
                }),
            )?);
        }
        tx.commit()?;
        self.touched();
        Ok(DeleteResult {
            deleted: ids.len() as u32,
            audit_entries,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_trimmed_and_bounded() {
        assert_eq!(
            check_reason("  duplicate  ").expect("a reason"),
            "duplicate",
            "the reason is stored trimmed"
        );
        for bad in ["", "   \n\t "] {
            let err = check_reason(bad).expect_err("empty");
            assert_eq!(
                err.code(),
                "validation",
                "an empty reason is a validation error"
            );
        }
        let long = "ễ".repeat(MAX_DELETE_REASON_CHARS);
        assert!(
            check_reason(&long).is_ok(),
            "500 characters are allowed, however many bytes they take"
        );
        let err = check_reason(&format!("{long}x")).expect_err("too long");
        assert!(
            err.to_string()
                .contains("at most 500 characters (it has 501)"),
            "the message names the limit and the length: {err}"
        );
    }

    #[test]
    fn ids_are_deduplicated_before_the_limit() {
        assert_eq!(
            check_ids(&[3, 1, 3, 2]).expect("ids"),
            [3, 1, 2],
            "the same profile selected twice is deleted once"
        );
        let many: Vec<ProfileId> = (1..=101).collect();
        let err = check_ids(&many).expect_err("too many");
        assert_eq!(
            err.to_string(),
            "You selected 101 profiles; at most 100 profiles can be deleted at once",
            "the message names the count and the limit"
        );
        assert_eq!(err.code(), "limit", "a limit refusal");
        assert_eq!(
            check_ids(&[]).expect_err("none").code(),
            "validation",
            "an empty selection is refused"
        );
    }
}
