//! Create individually when the typed identifiers match (SPEC 6: "Creating by hand with
//! identifiers that match asks"): before Save the form shows each matching profile side by side
//! with what updating it would change, and the person chooses — **Update this profile**,
//! **Create a separate profile** or go back. Without a choice Save applies the rule as an
//! import would.
//!
//! A separate profile is the second documented exception to "every creation goes through the
//! rule" (with a merge review's "create new"): a person saw the match and decided against it.
//! The decision is written in the new profile's history and in the audit log. Later imports
//! do not merge the two silently: a row holding their shared identifier now matches both, and
//! the rule leaves a review.

use serde::{Deserialize, Serialize};

use super::storage::{self, Stamp};
use super::writes::Writes;
use super::{audit_saved, create_new, find_matches, merge_into, stored_label, validate_form};
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::model::{
    ConsentInput, FieldChange, MatchKey, ProfileId, ProfileInput, ReviewReason, SaveOutcome, Source,
};
use crate::store::Store;
use pdesk_rule::guards::keep_accents;
use pdesk_rule::{guarded_merge, merge, same_person, MatchPlan};

/// One existing profile the typed identifiers match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct CreateMatch {
    pub profile_id: ProfileId,
    pub label: String,
    pub matched_by: MatchKey,
    /// Field by field, what "Update this profile" would change in it.
    pub changes: Vec<FieldChange>,
    /// The names are clearly different people's (the rule alone would not merge them).
    pub name_differs: bool,
}

/// What Save would do with the typed profile, for the form to show before it saves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct CreatePreview {
    /// The existing profiles the identifiers match (none: Save creates a new profile).
    pub matches: Vec<CreateMatch>,
    /// Why the rule by itself would leave a merge review, if it would.
    pub review_reason: Option<ReviewReason>,
}

/// What the person chose for a create whose identifiers match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum CreateDecision {
    /// No choice: the synchronization rule decides, as for an import row.
    Rule,
    /// Update this profile (one of the preview's matches) with the typed values.
    Update {
        #[serde(rename = "profileId")]
        profile_id: ProfileId,
    },
    /// Create a separate profile although it matches.
    Separate,
}

impl Store {
    /// The matches of a typed profile and what updating each would change (nothing is saved).
    pub fn preview_create(&self, actor: &Actor, input: &ProfileInput) -> Result<CreatePreview> {
        actor.require(Permission::ProfileCreate)?;
        let settings = self.sync_settings()?;
        let fields = self.fields()?;
        let incoming = validate_form(input, &fields, &settings, true).map_err(Error::Validation)?;
        let found = find_matches(&self.conn, &incoming, &settings.match_keys)?;
        let name =
            |p: &pdesk_rule::ValidProfile| p.scalars.get("full_name").cloned().unwrap_or_default();
        let mut matches = Vec::new();
        for (id, key) in &found {
            let existing = storage::load(&self.conn, *id)?;
            let mut typed = incoming.clone();
            keep_accents(&existing, &mut typed);
            let (_, changes) = merge(&existing, &typed, settings.merge_policy);
            matches.push(CreateMatch {
                profile_id: *id,
                label: stored_label(&self.conn, *id)?,
                matched_by: *key,
                changes,
                name_differs: !same_person(&name(&existing), &name(&incoming)),
            });
        }
        let review_reason = match pdesk_rule::plan(found) {
            MatchPlan::Create => None,
            MatchPlan::Review(_) => Some(ReviewReason::SeveralMatches),
            MatchPlan::Merge { profile_id, .. } => {
                let existing = storage::load(&self.conn, profile_id)?;
                guarded_merge(
                    &existing,
                    &incoming,
                    settings.merge_policy,
                    &settings.guards,
                )
                .err()
            }
        };
        Ok(CreatePreview {
            matches,
            review_reason,
        })
    }

    /// Creates a profile by hand with the person's choice (see the module doc).
    pub fn create_profile_decided(
        &mut self,
        actor: &Actor,
        input: &ProfileInput,
        consent: &ConsentInput,
        decision: &CreateDecision,
    ) -> Result<SaveOutcome> {
        actor.require(Permission::ProfileCreate)?;
        let settings = self.sync_settings()?;
        let fields = self.fields()?;
        let incoming = validate_form(input, &fields, &settings, true).map_err(Error::Validation)?;
        let (profile_id, separate) = match decision {
            CreateDecision::Rule => {
                return self.save_incoming(
                    actor,
                    &incoming,
                    consent,
                    &Source::Manual,
                    settings.merge_policy,
                )
            }
            CreateDecision::Update { profile_id } => (Some(*profile_id), false),
            CreateDecision::Separate => (None, true),
        };
        pdesk_rule::require_within_limits(&incoming, &settings.guards)
            .map_err(|e| Error::Validation(vec![e]))?;
        let found = find_matches(&self.conn, &incoming, &settings.match_keys)?;
        let at = self.now();
        let stamp = Stamp {
            at: &at,
            actor: &actor.name,
        };
        let tx = self.conn.transaction()?;
        let mut writes = Writes::immediate();
        let outcome = if separate {
            let apart: Vec<String> = found
                .iter()
                .map(|(id, _)| Ok(format!("#{id} {}", stored_label(&tx, *id)?)))
                .collect::<Result<_>>()?;
            let note = FieldChange {
                field: "synchronization rule".into(),
                before: String::new(),
                after: format!(
                    "created separately from {} by {}'s choice",
                    if apart.is_empty() {
                        "no match".to_string()
                    } else {
                        apart.join(", ")
                    },
                    actor.display_name
                ),
            };
            let outcome = create_new(
                &tx,
                &stamp,
                &incoming,
                consent,
                &Source::Manual,
                &mut writes,
                &[note],
            )?;
            if let SaveOutcome::Created { profile_id, .. } = &outcome {
                crate::audit::append(
                    &tx,
                    &at,
                    actor,
                    "profile.create_separate",
                    &format!("profile:{profile_id}"),
                    serde_json::json!({
                        "keptApartFrom": found.iter().map(|(id, _)| id).collect::<Vec<_>>(),
                    }),
                )?;
            }
            outcome
        } else {
            let id = profile_id.unwrap_or_default();
            let Some((_, key)) = found.iter().find(|(f, _)| *f == id) else {
                return Err(Error::conflict(
                    "profileNoLongerMatches",
                    serde_json::json!({ "id": id }),
                    format!(
                        "Profile #{id} no longer matches what was typed; go back and check the \
                         identifiers"
                    ),
                ));
            };
            let existing = storage::load(&tx, id)?;
            let mut typed = incoming.clone();
            keep_accents(&existing, &mut typed);
            let (merged, changes) = merge(&existing, &typed, settings.merge_policy);
            if !settings.guards.within_limits(&merged) && merged != existing {
                return Err(Error::limit(
                    "updateOverIdentifierLimit",
                    serde_json::json!({
                        "profile": existing.label(id),
                        "maxPhones": settings.guards.max_phones,
                        "maxEmails": settings.guards.max_emails,
                    }),
                    format!(
                        "Updating {} would give it more than {} phones or {} e-mails (Settings → \
                         Synchronization rule); remove some first",
                        existing.label(id),
                        settings.guards.max_phones,
                        settings.guards.max_emails
                    ),
                ));
            }
            merge_into(
                &tx,
                &stamp,
                (id, *key),
                existing,
                (merged, changes),
                &typed,
                consent,
                &Source::Manual,
                &mut writes,
            )?
            .0
        };
        audit_saved(&tx, &at, actor, &outcome, &incoming)?;
        tx.commit()?;
        self.touched();
        Ok(outcome)
    }
}
