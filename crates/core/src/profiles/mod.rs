//! Profiles: validation, the synchronization rule (SPEC 6) that every creation path goes
//! through, edit in place, the detail view, the duplicate guard and delete (`delete.rs`).

mod create;
pub(crate) mod delete;
mod display;
mod edit;
pub mod mask;
pub mod review;
pub(crate) mod search_index;
pub(crate) mod storage;
pub(crate) mod writes;

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};

use crate::auth::{Actor, Permission};
use crate::catalogue::SyncSettings;
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::Store;
pub use create::{CreateDecision, CreateMatch, CreatePreview};
pub(crate) use delete::delete_pulled;
pub use delete::{MAX_DELETE_PROFILES, MAX_DELETE_REASON_CHARS};
pub use display::{display_value, scalar_text, shown_value};
pub use edit::{EditDecision, EditPreview, SharedIdentifier};
use pdesk_normalize::{email_key, normalize_phone, validate_email};
pub use pdesk_rule::merge::{apply_edit, diff, merge, merge_all, not_kept, MergeSourceId};
pub use pdesk_rule::validate::{validate, ValidProfile};
use pdesk_rule::{Candidates, Guards, MatchPlan, ReviewReason, SharedKeys};
use storage::Stamp;
use writes::Writes;

/// Which identifier the duplicate guard checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum IdentifierKind {
    Phone,
    Email,
}

/// The synchronization rule's look-ups ([`pdesk_rule::Candidates`]) answered from this store's
/// match indexes, inside the caller's transaction.
pub(crate) struct StoreCandidates<'c>(pub &'c Connection);

impl StoreCandidates<'_> {
    fn ids(&self, sql: &str, value: &str) -> Result<Vec<ProfileId>> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let ids = stmt.query_map([value], |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }
}

impl Candidates for StoreCandidates<'_> {
    type Error = Error;
    fn by_phone(&mut self, e164: &str) -> Result<Vec<ProfileId>> {
        self.ids(
            "SELECT DISTINCT profile_id FROM profile_phones WHERE e164 = ?1 ORDER BY profile_id",
            e164,
        )
    }
    fn by_email(&mut self, key: &str) -> Result<Vec<ProfileId>> {
        self.ids(
            "SELECT DISTINCT profile_id FROM profile_emails WHERE email_key = ?1 ORDER BY profile_id",
            key,
        )
    }
    fn by_customer_code(&mut self, code: &str) -> Result<Vec<ProfileId>> {
        self.ids(
            "SELECT id FROM profiles WHERE code_key = ?1 ORDER BY id",
            code,
        )
    }
}

/// Finds the existing profiles that share a match key with `p`, in the configured key order;
/// each profile is listed once, with the first key that tied it (the rule's own look-up).
pub(crate) fn find_matches(
    conn: &Connection,
    p: &ValidProfile,
    keys: &[MatchKey],
) -> Result<Vec<(ProfileId, MatchKey)>> {
    pdesk_rule::find_matches(p, keys, &SharedKeys::default(), &mut StoreCandidates(conn))
}

/// The label of a stored profile (name, else first phone, else first e-mail).
pub(crate) fn stored_label(conn: &Connection, id: ProfileId) -> Result<String> {
    let label: Option<String> = conn
        .prepare_cached(
            "SELECT COALESCE(p.full_name,
                    (SELECT raw FROM profile_phones WHERE profile_id = p.id ORDER BY position LIMIT 1),
                    (SELECT raw FROM profile_emails WHERE profile_id = p.id ORDER BY position LIMIT 1))
               FROM profiles p WHERE p.id = ?1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(label.unwrap_or_else(|| format!("Profile #{id}")))
}

/// Current consent status per channel of a profile (the newest record wins).
fn current_consent(conn: &Connection, id: ProfileId) -> Result<BTreeMap<String, ConsentStatus>> {
    let mut stmt = conn.prepare_cached(
        "SELECT channel, status FROM consent_records
          WHERE id IN (SELECT MAX(id) FROM consent_records WHERE profile_id = ?1 GROUP BY channel)",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (channel, status) = row?;
        out.insert(
            channel,
            ConsentStatus::parse(&status).unwrap_or(ConsentStatus::Unknown),
        );
    }
    Ok(out)
}

/// Appends consent records for the channels whose status changes; returns how many.
fn record_consent(
    conn: &Connection,
    writes: &mut Writes,
    id: ProfileId,
    consent: &ConsentInput,
    stamp: &Stamp,
    source: &Source,
) -> Result<usize> {
    if consent.channels.is_empty() {
        return Ok(0);
    }
    let current = current_consent(conn, id)?;
    let mut known = conn.prepare_cached("SELECT 1 FROM consent_channels WHERE key = ?1")?;
    let mut written = 0;
    for (channel, status) in &consent.channels {
        if !known.exists([channel])? {
            return Err(Error::conflict(
                "noChannel",
                serde_json::json!({ "key": channel }),
                format!("There is no consent channel “{channel}”"),
            ));
        }
        let now = current
            .get(channel)
            .copied()
            .unwrap_or(ConsentStatus::Unknown);
        if now != *status {
            storage::append_consent(
                conn,
                &mut writes.ops,
                id,
                channel,
                *status,
                stamp,
                &source.label(),
                source.job(),
            )?;
            written += 1;
        }
    }
    Ok(written)
}

/// The synchronization rule as one call applies it: the configured keys and merge policy, the
/// guards, and the values the current file shares (none outside an import).
pub(crate) struct Rule<'a> {
    pub keys: &'a [MatchKey],
    pub policy: MergePolicy,
    pub guards: &'a Guards,
    pub shared: &'a SharedKeys,
}

/// What [`apply_incoming`] did, and — for an update — the profile as it was before, so that
/// an import can be undone.
pub(crate) struct Applied {
    pub outcome: SaveOutcome,
    pub before: Option<ValidProfile>,
}

/// The synchronization rule inside the caller's transaction (one profile). Every creation
/// path — the create form, imports, pastes, sync — goes through here. The caller checks the
/// permission.
pub(crate) fn apply_incoming(
    conn: &Connection,
    stamp: &Stamp,
    incoming: &ValidProfile,
    consent: &ConsentInput,
    source: &Source,
    rule: &Rule,
    writes: &mut Writes,
) -> Result<Applied> {
    let plan = rule_plan(conn, incoming, rule)?;
    apply_plan(conn, stamp, incoming, consent, source, rule, writes, plan)
}

/// The rule's decision for `incoming` against the store as it is (nothing written): its
/// identifiers checked against the guards, then the profiles it matches.
pub(crate) fn rule_plan(
    conn: &Connection,
    incoming: &ValidProfile,
    rule: &Rule,
) -> Result<MatchPlan> {
    pdesk_rule::require_identifier(incoming).map_err(|e| Error::Validation(vec![e]))?;
    pdesk_rule::require_within_limits(incoming, rule.guards)
        .map_err(|e| Error::Validation(vec![e]))?;
    let found =
        pdesk_rule::find_matches(incoming, rule.keys, rule.shared, &mut StoreCandidates(conn))?;
    Ok(pdesk_rule::plan(found))
}

/// Carries out [`rule_plan`]'s decision for `incoming` (the second half of [`apply_incoming`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn apply_plan(
    conn: &Connection,
    stamp: &Stamp,
    incoming: &ValidProfile,
    consent: &ConsentInput,
    source: &Source,
    rule: &Rule,
    writes: &mut Writes,
    plan: MatchPlan,
) -> Result<Applied> {
    // A merge or a creation is written here; a review, with its candidates, below.
    let (candidates, reason) = match plan {
        MatchPlan::Create => {
            let outcome = create_new(conn, stamp, incoming, consent, source, writes, &[])?;
            return Ok(Applied {
                outcome,
                before: None,
            });
        }
        MatchPlan::Merge {
            profile_id: id,
            key,
        } => {
            // The name guard first, on the stored name alone: an import into a large store
            // sends most rows to review this way, and reading each whole profile was a fifth
            // of its writer's time. A name that differs is never empty: it is the label.
            let name = storage::load_name(conn, id)?;
            let guarded = match pdesk_rule::name_guard(&name, incoming) {
                Err(reason) => Err((reason, name)),
                Ok(()) => {
                    let existing = storage::load(conn, id)?;
                    match pdesk_rule::guarded_merge(&existing, incoming, rule.policy, rule.guards) {
                        Ok(merged) => Ok((existing, merged)),
                        Err(reason) => Err((reason, existing.label(id))),
                    }
                }
            };
            match guarded {
                Ok((existing, merged)) => {
                    let (outcome, before) = merge_into(
                        conn,
                        stamp,
                        (id, key),
                        existing,
                        merged,
                        incoming,
                        consent,
                        source,
                        writes,
                    )?;
                    return Ok(Applied { outcome, before });
                }
                Err((reason, label)) => {
                    let candidate = MatchCandidate {
                        profile_id: id,
                        label,
                        matched_by: key,
                    };
                    (vec![candidate], reason)
                }
            }
        }
        MatchPlan::Review(several) => (labelled(conn, several)?, ReviewReason::SeveralMatches),
    };
    let outcome = leave_review(
        conn,
        stamp,
        incoming,
        consent,
        source,
        rule.policy,
        candidates,
        reason,
    )?;
    Ok(Applied {
        outcome,
        before: None,
    })
}

/// Creates a profile from `incoming` (the rule found no match, or a person chose a separate
/// profile); `notes` go into its first history entry.
pub(crate) fn create_new(
    conn: &Connection,
    stamp: &Stamp,
    incoming: &ValidProfile,
    consent: &ConsentInput,
    source: &Source,
    writes: &mut Writes,
    notes: &[FieldChange],
) -> Result<SaveOutcome> {
    let id = storage::insert(conn, incoming, source, stamp, writes)?;
    let mut history = conversions(incoming);
    history.extend_from_slice(notes);
    storage::record_history(conn, id, stamp, "created", source, None, &history)?;
    record_consent(conn, writes, id, consent, stamp, source)?;
    Ok(SaveOutcome::Created {
        profile_id: id,
        label: incoming.label(id),
    })
}

/// Writes a merge decided by the rule or by a person: profile `id` (tied by `key`) becomes
/// `merged`; the history keeps the changes and the phone conversions; consent is recorded.
/// Returns the outcome and, when anything changed, the profile as it was (for undo).
pub(crate) fn merge_into(
    conn: &Connection,
    stamp: &Stamp,
    (id, key): (ProfileId, MatchKey),
    existing: ValidProfile,
    (merged, changes): (ValidProfile, Vec<FieldChange>),
    incoming: &ValidProfile,
    consent: &ConsentInput,
    source: &Source,
    writes: &mut Writes,
) -> Result<(SaveOutcome, Option<ValidProfile>)> {
    let mut before = None;
    if !changes.is_empty() {
        storage::update(conn, id, &existing, &merged, source, stamp, writes)?;
        before = Some(existing);
    }
    let mut noted = changes.clone();
    noted.extend(conversions(incoming));
    storage::record_history(
        conn,
        id,
        stamp,
        "merged",
        source,
        Some(key.as_str()),
        &noted,
    )?;
    if record_consent(conn, writes, id, consent, stamp, source)? > 0 && changes.is_empty() {
        conn.execute(
            "UPDATE profiles SET updated_at = ?2, updated_by = ?3 WHERE id = ?1",
            params![id, stamp.at, stamp.actor],
        )?;
    }
    let outcome = SaveOutcome::Updated {
        profile_id: id,
        label: merged.label(id),
        matched_by: key,
        changed_fields: changes.iter().map(|c| c.field.clone()).collect(),
    };
    Ok((outcome, before))
}

/// The audit entry of a profile a person saved from the create form (`profile.create`, or
/// `profile.edit` when it updated a matching profile), in the caller's transaction: a masked
/// label and field names, never values. Imports are audited once per job (`import.confirm`),
/// not per row; a merge review is audited when it is resolved.
pub(crate) fn audit_saved(
    conn: &Connection,
    at: &str,
    actor: &Actor,
    outcome: &SaveOutcome,
    incoming: &ValidProfile,
) -> Result<()> {
    let (action, id, fields) = match outcome {
        SaveOutcome::Created { profile_id, .. } => {
            let mut fields: Vec<String> = ["phones", "emails", "tags"]
                .into_iter()
                .filter(|k| incoming.has(k))
                .map(String::from)
                .collect();
            fields.extend(incoming.scalars.keys().cloned());
            fields.extend(incoming.custom.keys().cloned());
            fields.sort();
            ("profile.create", *profile_id, fields)
        }
        SaveOutcome::Updated {
            profile_id,
            changed_fields,
            ..
        } => ("profile.edit", *profile_id, changed_fields.clone()),
        SaveOutcome::Review { .. } => return Ok(()),
    };
    let label =
        mask::masked_label(&storage::load(conn, id)?).unwrap_or_else(|| format!("Profile #{id}"));
    crate::audit::append(
        conn,
        at,
        actor,
        action,
        &format!("profile:{id}"),
        serde_json::json!({ "profileId": id, "label": label, "fields": fields, "via": "create" }),
    )?;
    Ok(())
}

/// The old 11-digit mobiles converted while reading `incoming`, as history lines (the number as
/// typed → the number stored).
fn conversions(incoming: &ValidProfile) -> Vec<FieldChange> {
    incoming
        .converted_phones
        .iter()
        .map(|(old, new)| FieldChange {
            field: "phones".into(),
            before: old.clone(),
            after: new.clone(),
        })
        .collect()
}

/// The profiles the rule found, each with its stored label.
fn labelled(conn: &Connection, found: Vec<(ProfileId, MatchKey)>) -> Result<Vec<MatchCandidate>> {
    found
        .into_iter()
        .map(|(id, key)| {
            Ok(MatchCandidate {
                profile_id: id,
                label: stored_label(conn, id)?,
                matched_by: key,
            })
        })
        .collect()
}

/// Leaves incoming data for a person to decide (a merge review), with the candidates the rule
/// found and why it did not decide itself.
#[allow(clippy::too_many_arguments)]
fn leave_review(
    conn: &Connection,
    stamp: &Stamp,
    incoming: &ValidProfile,
    consent: &ConsentInput,
    source: &Source,
    policy: MergePolicy,
    candidates: Vec<MatchCandidate>,
    reason: ReviewReason,
) -> Result<SaveOutcome> {
    conn.prepare_cached(
        "INSERT INTO merge_reviews(created_at, created_by, source, incoming, candidates, job_id, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        stamp.at,
        stamp.actor,
        serde_json::to_string(source).unwrap_or_default(),
        review::incoming_json(incoming, consent, policy),
        serde_json::to_string(&candidates).unwrap_or_default(),
        review::source_job(source),
        reason.as_str(),
    ])?;
    Ok(SaveOutcome::Review {
        review_id: conn.last_insert_rowid(),
        candidates,
        reason,
    })
}

/// A form's validation: the catalogue's, and — since a person typed it — a blocked value
/// (`0000000000`, `test@test.com`) is refused with the rule named rather than dropped, as an
/// import drops it.
pub(crate) fn validate_form(
    input: &ProfileInput,
    fields: &[FieldDef],
    settings: &SyncSettings,
    for_create: bool,
) -> std::result::Result<ValidProfile, Vec<FieldError>> {
    let mut errors = match validate(input, fields, settings.region, for_create) {
        Ok(valid) => {
            let blocked =
                pdesk_rule::guards::drop_blocked(&mut input.clone(), fields, &settings.guards);
            if blocked.is_empty() {
                return Ok(valid);
            }
            Vec::new()
        }
        Err(errors) => errors,
    };
    for (field, value) in
        pdesk_rule::guards::drop_blocked(&mut input.clone(), fields, &settings.guards)
    {
        errors.retain(|e| !e.field.starts_with(&field));
        errors.push(
            FieldError::new(
                &field,
                "blockedValue",
                format!(
                    "“{value}” is on the list of blocked values: it never identifies a person (Settings → Synchronization rule)"
                ),
            )
            .with("value", &value),
        );
    }
    Err(errors)
}

impl Store {
    /// Validates a form without saving: the inline errors of the create and edit screens.
    pub fn validate_profile(
        &self,
        actor: &Actor,
        input: &ProfileInput,
        for_create: bool,
    ) -> Result<Vec<FieldError>> {
        actor.require(if for_create {
            Permission::ProfileCreate
        } else {
            Permission::ProfileEdit
        })?;
        let settings = self.sync_settings()?;
        let fields = self.fields()?;
        Ok(validate_form(input, &fields, &settings, for_create)
            .err()
            .unwrap_or_default())
    }

    /// Creates a profile by hand (SPEC 3): validation, then the synchronization rule.
    pub fn create_profile(
        &mut self,
        actor: &Actor,
        input: &ProfileInput,
        consent: &ConsentInput,
    ) -> Result<SaveOutcome> {
        self.create_profile_decided(actor, input, consent, &CreateDecision::Rule)
    }

    /// The synchronization rule (SPEC 6) for one profile, in one transaction: no match →
    /// create; exactly one matching profile → merge into it and record the key that matched;
    /// several different profiles → a merge-review item, nothing merged.
    pub fn save_incoming(
        &mut self,
        actor: &Actor,
        incoming: &ValidProfile,
        consent: &ConsentInput,
        source: &Source,
        policy: MergePolicy,
    ) -> Result<SaveOutcome> {
        actor.require(Permission::ProfileCreate)?;
        let settings = self.sync_settings()?;
        let at = self.now();
        let tx = self.conn.transaction()?;
        let applied = apply_incoming(
            &tx,
            &Stamp {
                at: &at,
                actor: &actor.name,
            },
            incoming,
            consent,
            source,
            &Rule {
                keys: &settings.match_keys,
                policy,
                guards: &settings.guards,
                shared: &SharedKeys::default(),
            },
            &mut Writes::immediate(),
        )?;
        audit_saved(&tx, &at, actor, &applied.outcome, incoming)?;
        tx.commit()?;
        self.touched();
        Ok(applied.outcome)
    }

    /// Everything the detail screen shows about one profile.
    pub fn profile_detail(&self, actor: &Actor, id: ProfileId) -> Result<ProfileDetail> {
        actor.require(Permission::ProfileView)?;
        let fields = self.fields()?;
        let stored = storage::load(&self.conn, id)?;
        let meta = self.conn.query_row(
            &format!(
                "SELECT {} FROM profiles WHERE id = ?1",
                storage::ProfileMeta::COLUMNS
            ),
            [id],
            storage::ProfileMeta::from_row,
        )?;
        let mut values = BTreeMap::new();
        for f in &fields {
            let text = display_value(f, &stored);
            // Phones, e-mails and tags have their own lists; multi-select values are joined.
            let own_list = matches!(
                f.kind,
                FieldKind::Phones | FieldKind::Emails | FieldKind::Tags
            );
            if !text.is_empty() && !own_list {
                values.insert(f.key.clone(), text);
            }
        }
        for key in storage::ProfileMeta::FIELDS {
            values.extend(meta.text(key).map(|text| (key.to_string(), text)));
        }
        let source = meta.source;
        let version = edit::profile_version(&stored);
        let profile = Profile {
            id,
            label: stored.label(id),
            phones: stored.phones.clone(),
            emails: stored.emails.iter().map(|e| e.raw.clone()).collect(),
            tags: stored.tags.clone(),
            values,
            source,
            created_at: meta.created_at,
            updated_at: meta.updated_at,
            created_by: meta.created_by,
            updated_by: meta.updated_by,
        };
        let mut consent = current_consent(&self.conn, id)?;
        for ch in self.consent_channels()? {
            consent.entry(ch.key).or_insert(ConsentStatus::Unknown);
        }
        let consent_history = self
            .conn
            .prepare_cached(
                "SELECT channel, status, recorded_by, recorded_at, source FROM consent_records
                  WHERE profile_id = ?1 ORDER BY id DESC",
            )?
            .query_map([id], |r| {
                let status: String = r.get(1)?;
                Ok(ConsentRecord {
                    channel: r.get(0)?,
                    status: ConsentStatus::parse(&status).unwrap_or(ConsentStatus::Unknown),
                    recorded_by: r.get(2)?,
                    recorded_at: r.get(3)?,
                    source: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let history = self
            .conn
            .prepare_cached(
                "SELECT at, actor, kind, source, matched_by, changes FROM profile_history
                  WHERE profile_id = ?1 ORDER BY id DESC",
            )?
            .query_map([id], |r| {
                let matched: Option<String> = r.get(4)?;
                let changes: String = r.get(5)?;
                Ok(HistoryEntry {
                    at: r.get(0)?,
                    actor: r.get(1)?,
                    kind: r.get(2)?,
                    source: r.get(3)?,
                    matched_by: matched.as_deref().and_then(MatchKey::parse),
                    changes: serde_json::from_str(&changes).unwrap_or_default(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ProfileDetail {
            profile,
            consent,
            consent_history,
            links: self.links(id)?,
            history,
            version,
        })
    }

    fn links(&self, id: ProfileId) -> Result<LinkedObjects> {
        let fetch = |sql: &str| -> Result<Vec<LinkedObject>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map([id], |r| {
                Ok(LinkedObject {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    status: r.get(2)?,
                    updated_at: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(LinkedObjects {
            accounts: fetch(
                "SELECT a.id, a.name, a.status, a.updated_at FROM accounts a
                   JOIN profile_accounts l ON l.account_id = a.id WHERE l.profile_id = ?1 ORDER BY a.id",
            )?,
            opportunities: fetch(
                "SELECT o.id, o.title, o.status, o.updated_at FROM opportunities o
                   JOIN profile_opportunities l ON l.opportunity_id = o.id WHERE l.profile_id = ?1
                  ORDER BY o.id",
            )?,
            tickets: fetch(
                "SELECT t.id, t.title, t.status, t.updated_at FROM tickets t
                   JOIN profile_tickets l ON l.ticket_id = t.id WHERE l.profile_id = ?1 ORDER BY t.id",
            )?,
            tasks: fetch(
                "SELECT t.id, t.title, t.status, t.updated_at FROM tasks t
                   JOIN profile_tasks l ON l.task_id = t.id WHERE l.profile_id = ?1 ORDER BY t.id",
            )?,
        })
    }

    /// Duplicate guard (SPEC 3 step 5): the profile that already holds this phone or e-mail,
    /// if any. A value that is not (yet) a valid phone or e-mail has no owner.
    pub fn identifier_owner(
        &self,
        actor: &Actor,
        kind: IdentifierKind,
        value: &str,
        exclude: Option<ProfileId>,
    ) -> Result<Option<IdentifierOwner>> {
        actor.require(Permission::ProfileView)?;
        let exclude = exclude.unwrap_or(0);
        let (sql, key, matched_by) = match kind {
            IdentifierKind::Phone => {
                let region = self.sync_settings()?.region;
                let Ok(e164) = normalize_phone(value, region) else {
                    return Ok(None);
                };
                (
                    "SELECT profile_id FROM profile_phones WHERE e164 = ?1 AND profile_id <> ?2
                      ORDER BY profile_id LIMIT 1",
                    e164,
                    MatchKey::Phone,
                )
            }
            IdentifierKind::Email => {
                if validate_email(value).is_err() {
                    return Ok(None);
                }
                (
                    "SELECT profile_id FROM profile_emails WHERE email_key = ?1 AND profile_id <> ?2
                      ORDER BY profile_id LIMIT 1",
                    email_key(value),
                    MatchKey::Email,
                )
            }
        };
        let owner: Option<ProfileId> = self
            .conn
            .query_row(sql, params![key, exclude], |r| r.get(0))
            .optional()?;
        owner
            .map(|id| {
                Ok(IdentifierOwner {
                    profile_id: id,
                    label: stored_label(&self.conn, id)?,
                    matched_by,
                })
            })
            .transpose()
    }
}
