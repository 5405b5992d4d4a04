//! Delete with an audited reason (SPEC 5). Irreversible, no soft delete: in one transaction the
//! profiles go, and with them (the schema's `ON DELETE CASCADE`) their phones, e-mails, tags,
//! custom values, consent records, history and links to accounts, opportunities, tickets and
//! tasks — the linked objects themselves stay. The search index follows through its trigger.
//! Each deleted profile gets one audit entry in the same transaction: reason, removed links per
//! kind and a masked label (see [`super::mask`]), never the person's data.
//!
//! Nor do the import records keep it (issue 15.11, [`redact_traces`]): in the same transaction
//! the rows of import jobs that touched the profile lose their cells and the profile-before
//! (undo reports such a profile as deleted and needs neither), the lines of pasted text that
//! held those rows become `[deleted]`, the column samples drop its values, and open merge
//! reviews that name it as a candidate get a masked label and lose its identifiers from their
//! incoming data. Failed rows that were this person (one of their e-mails, or one of their
//! phones together with their name — a shared switchboard number alone is not enough, so other
//! people's fix-up rows stay) lose their cells too, and the shared values a job listed for its
//! report are masked where they are one of the person's identifiers ([`redact_failed_rows`]).
//! With `secure_delete` (see `store`) the old bytes are zeroed, not left in free pages.

use std::collections::BTreeSet;
use std::rc::Rc;

use rusqlite::types::Value;
use rusqlite::{params, Connection, TransactionBehavior};

use super::mask::{mask_email, mask_name, mask_phone, masked_label, scrub_reason};
use super::storage;
use super::writes::Writes;
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
    if chars == 0 {
        return Err(FieldError::new(
            "reason",
            "required",
            "Enter the reason for deleting (it is kept in the audit log)".to_string(),
        )
        .into());
    }
    if chars > MAX_DELETE_REASON_CHARS {
        return Err(FieldError::new(
            "reason",
            "tooLong",
            format!(
                "The reason can have at most {MAX_DELETE_REASON_CHARS} characters (it has {chars})"
            ),
        )
        .with("max", MAX_DELETE_REASON_CHARS)
        .with("given", chars)
        .into());
    }
    Ok(reason)
}

/// The distinct ids in the order given; refused when none or more than the limit.
fn check_ids(ids: &[ProfileId]) -> Result<Vec<ProfileId>> {
    let mut seen = BTreeSet::new();
    let ids: Vec<ProfileId> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    if ids.is_empty() {
        return Err(FieldError::new(
            "profiles",
            "required",
            "Select at least one profile to delete".into(),
        )
        .into());
    }
    if ids.len() > MAX_DELETE_PROFILES {
        return Err(Error::limit(
            "tooManyToDelete",
            serde_json::json!({ "selected": ids.len(), "limit": MAX_DELETE_PROFILES }),
            format!(
                "You selected {} profiles; at most {MAX_DELETE_PROFILES} profiles can be deleted \
                 at once",
                ids.len()
            ),
        ));
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
    let missing: Vec<ProfileId> = ids
        .iter()
        .filter(|id| !found.contains(*id))
        .copied()
        .collect();
    let names: Vec<String> = missing.iter().map(|id| format!("#{id}")).collect();
    let message = match names.as_slice() {
        [] => return Ok(()),
        [one] => format!("Profile {one} does not exist; nothing was deleted"),
        several => format!(
            "Profiles {} do not exist; nothing was deleted",
            several.join(", ")
        ),
    };
    Err(Error::not_found(
        "profilesMissing",
        serde_json::json!({ "ids": missing }),
        message,
    ))
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

/// What replaces a redacted cell or line.
pub(crate) const REDACTED: &str = "[deleted]";

/// Whether `text` holds one of the person's values: the name, a phone (as typed or E.164) or an
/// e-mail (any case).
fn names_person(text: &str, person: &ValidProfile) -> bool {
    let t = text.trim();
    if t.is_empty() {
        return false;
    }
    person
        .scalars
        .get("full_name")
        .is_some_and(|n| t.to_lowercase().contains(&n.to_lowercase()))
        || holds_phone_of(t, person)
        || holds_email_of(t, person)
}

/// Whether `text` holds one of the person's phones: as typed, or its digits (national or
/// E.164, with or without the country code).
fn holds_phone_of(text: &str, person: &ValidProfile) -> bool {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    person.phones.iter().any(|p| {
        let own: String = p.raw.chars().filter(char::is_ascii_digit).collect();
        let e164: String = p.e164.chars().filter(char::is_ascii_digit).collect();
        text.contains(&p.raw)
            || (!own.is_empty() && digits.contains(&own))
            || (!e164.is_empty() && digits.contains(&e164))
            || (e164.len() > 2 && digits.contains(&e164[2..]))
    })
}

/// Whether `text` holds one of the person's e-mails (any case).
fn holds_email_of(text: &str, person: &ValidProfile) -> bool {
    let lower = text.to_lowercase();
    person
        .emails
        .iter()
        .any(|e| lower.contains(&e.raw.to_lowercase()))
}

/// Pasted text written back so that the paste parser reads the same rows from it (a cell with
/// a tab, a line break or a leading quote is quoted).
fn paste_text_of(rows: &[Vec<String>]) -> String {
    rows.iter()
        .map(|cells| {
            cells
                .iter()
                .map(|c| {
                    if c.contains(['\t', '\n', '\r']) || c.starts_with('"') {
                        format!("\"{}\"", c.replace('"', "\"\""))
                    } else {
                        c.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Removes what import records and open merge reviews still hold of the profile `id` (being
/// deleted in the caller's transaction); see the module doc.
fn redact_traces(conn: &Connection, id: ProfileId, person: &ValidProfile) -> Result<()> {
    // Open reviews naming the profile (resolved ones keep only masked labels already).
    let reviews: Vec<(i64, String, String)> = conn
        .prepare_cached(
            "SELECT id, incoming, candidates FROM merge_reviews
              WHERE status = 'open' AND json_valid(candidates)
                AND EXISTS (SELECT 1 FROM json_each(merge_reviews.candidates)
                             WHERE json_extract(value, '$.profileId') = ?1)",
        )?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut review_ids = Vec::with_capacity(reviews.len());
    for (review, incoming, candidates) in reviews {
        review_ids.push(review);
        let mut candidates: serde_json::Value =
            serde_json::from_str(&candidates).unwrap_or_default();
        for c in candidates.as_array_mut().into_iter().flatten() {
            if c["profileId"].as_i64() == Some(id) {
                let label = c["label"].as_str().unwrap_or_default();
                let masked = if label.contains('@') {
                    mask_email(label)
                } else if person.phones.iter().any(|p| p.raw == label) {
                    mask_phone(label)
                } else {
                    mask_name(label)
                };
                c["label"] = masked.into();
            }
        }
        let mut incoming: serde_json::Value = serde_json::from_str(&incoming).unwrap_or_default();
        if let Ok(mut profile) = serde_json::from_value::<ValidProfile>(incoming["profile"].take())
        {
            profile
                .phones
                .retain(|p| !person.phones.iter().any(|q| q.e164 == p.e164));
            profile
                .emails
                .retain(|e| !person.emails.iter().any(|q| q.key == e.key));
            profile
                .scalars
                .retain(|k, v| person.scalars.get(k) != Some(v) && !names_person(v, person));
            incoming["profile"] = serde_json::to_value(&profile).unwrap_or_default();
        }
        conn.prepare_cached(
            "UPDATE merge_reviews SET incoming = ?2, candidates = ?3 WHERE id = ?1",
        )?
        .execute(params![
            review,
            incoming.to_string(),
            candidates.to_string()
        ])?;
    }
    // The rows of import jobs that touched the profile, or left a review naming it.
    let rows: Vec<(i64, u32)> = conn
        .prepare_cached(
            "SELECT job_id, row_number FROM import_job_rows
              WHERE profile_id = ?1 OR review_id IN rarray(?2)",
        )?
        .query_map(params![id, id_array(&review_ids)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    conn.prepare_cached(
        "UPDATE import_job_rows SET original = NULL, before = NULL, value = NULL
          WHERE profile_id = ?1 OR review_id IN rarray(?2)",
    )?
    .execute(params![id, id_array(&review_ids)])?;
    let jobs: BTreeSet<i64> = rows.iter().map(|(job, _)| *job).collect();
    for job in jobs {
        let (paste, settings): (Option<String>, String) = conn
            .prepare_cached("SELECT paste_text, settings FROM import_jobs WHERE id = ?1")?
            .query_row([job], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let paste = match paste {
            Some(text) => match pdesk_xlsx::parse_paste(&text, usize::MAX) {
                Ok(mut parsed) => {
                    for (_, n) in rows.iter().filter(|(j, _)| *j == job) {
                        let at = (*n as usize).checked_sub(1).unwrap_or(usize::MAX);
                        if let Some(cells) = parsed.get_mut(at) {
                            for (i, c) in cells.iter_mut().enumerate() {
                                *c = if i == 0 {
                                    REDACTED.into()
                                } else {
                                    String::new()
                                };
                            }
                        }
                    }
                    Some(paste_text_of(&parsed))
                }
                Err(_) => Some(REDACTED.into()),
            },
            None => None,
        };
        let settings = match serde_json::from_str::<serde_json::Value>(&settings) {
            Ok(mut parsed) => {
                for column in parsed["columns"].as_array_mut().into_iter().flatten() {
                    if let Some(samples) = column["samples"].as_array_mut() {
                        samples.retain(|v| !v.as_str().is_some_and(|t| names_person(t, person)));
                    }
                }
                parsed.to_string()
            }
            Err(_) => settings,
        };
        conn.prepare_cached("UPDATE import_jobs SET paste_text = ?2, settings = ?3 WHERE id = ?1")?
            .execute(params![job, paste, settings])?;
    }
    Ok(())
}

/// Whether the failed row with `cells` was `person`: one of their e-mails, or one of their phones
/// together with their name (a phone alone may be a shop's switchboard shared by strangers).
fn failed_row_is_person(cells: &[String], person: &ValidProfile) -> bool {
    let name = |c: &String| {
        person
            .scalars
            .get("full_name")
            .is_some_and(|n| !n.trim().is_empty() && c.trim().to_lowercase() == n.to_lowercase())
    };
    cells.iter().any(|c| holds_email_of(c, person))
        || (cells.iter().any(|c| holds_phone_of(c, person)) && cells.iter().any(name))
}

/// Removes profile `id` because the server deleted it (someone else's delete, pulled): the
/// same erasure of its traces as a local delete (search, paste texts, failed-row files), and
/// one audit entry with the server's reason and who deleted it there. No op: it came from
/// the server. `merged_into`: the profile was merged into that local profile on the server;
/// its links, consent and history move there first.
pub(crate) fn delete_pulled(
    conn: &Connection,
    id: ProfileId,
    merged_into: Option<ProfileId>,
    reason: &str,
    by: &str,
    at: &str,
) -> Result<()> {
    let person = storage::load(conn, id)?;
    if let Some(survivor) = merged_into {
        super::review::absorb(conn, id, survivor)?;
    }
    storage::delete_synced(conn, id, &mut Writes::immediate())?;
    redact_traces(conn, id, &person)?;
    redact_failed_rows(conn, std::slice::from_ref(&person))?;
    let label = masked_label(&person).unwrap_or_else(|| format!("Profile #{id}"));
    let action = if merged_into.is_some() {
        "profile.merge"
    } else {
        "profile.delete"
    };
    crate::audit::append_as(
        conn,
        at,
        "sync",
        action,
        &format!("profile:{id}"),
        serde_json::json!({
            "profileId": id,
            "label": label,
            "reason": reason,
            "deletedBy": by,
            "mergedInto": merged_into,
            "source": "sync",
        }),
    )?;
    Ok(())
}

/// The failed rows and the jobs' shared-value lists that still hold one of `people` (being
/// deleted in the caller's transaction); see the module doc. One pass for the whole batch.
fn redact_failed_rows(conn: &Connection, people: &[ValidProfile]) -> Result<()> {
    let failed: Vec<(i64, u32, String)> = conn
        .prepare_cached(
            "SELECT job_id, row_number, original FROM import_job_rows
              WHERE outcome = 'failed' AND original IS NOT NULL",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (job, row, original) in failed {
        let cells: Vec<String> = serde_json::from_str(&original).unwrap_or_default();
        if people.iter().any(|p| failed_row_is_person(&cells, p)) {
            conn.prepare_cached(
                "UPDATE import_job_rows SET original = NULL, value = NULL, reason = ?3,
                        problem = NULL
                  WHERE job_id = ?1 AND row_number = ?2",
            )?
            // The reason may quote the cell ("“bao@@bad” is not an e-mail address").
            .execute(params![job, row, REDACTED])?;
        }
    }
    let lists: Vec<(i64, String)> = conn
        .prepare_cached("SELECT id, shared_keys FROM import_jobs WHERE shared_keys IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (job, list) in lists {
        let Ok(mut keys) = serde_json::from_str::<Vec<pdesk_rule::guards::SharedKey>>(&list) else {
            continue;
        };
        let mut changed = false;
        for key in &mut keys {
            let theirs = people.iter().any(|p| {
                p.phones.iter().any(|ph| ph.e164 == key.normalized)
                    || p.emails.iter().any(|e| e.key == key.normalized)
            });
            if theirs {
                let masked = if key.value.contains('@') {
                    mask_email(&key.value)
                } else {
                    mask_phone(&key.value)
                };
                key.normalized = masked.clone();
                key.value = masked;
                changed = true;
            }
        }
        if changed {
            conn.prepare_cached("UPDATE import_jobs SET shared_keys = ?2 WHERE id = ?1")?
                .execute(params![
                    job,
                    serde_json::to_string(&keys).unwrap_or_default()
                ])?;
        }
    }
    Ok(())
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
            server: crate::store::sync_server(&self.conn)?,
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
            storage::delete(&tx, id, &reason, &at, &mut Writes::immediate())?;
            redact_traces(&tx, id, person)?;
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
        redact_failed_rows(&tx, &people)?;
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
