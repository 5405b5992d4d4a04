//! Editing a profile in place (detail screen), and the question an edit asks when it gives the
//! profile a phone or e-mail another profile already holds (SPEC 6 "Guards": an edit that
//! shares an identifier asks, as Create individually does, instead of saving with a warning).
//!
//! The store enforces the question: [`EditDecision::Ask`] refuses such an edit with the owners
//! named (`sharedIdentifier`), so no caller can save it silently. [`EditDecision::KeepSeparate`]
//! is the person's answer "these are different people": the edit is saved, and the decision is
//! written in the profile's history and the audit log. Later imports do not merge the two
//! silently: a row holding their shared identifier matches both, and the rule leaves a review.
//!
//! Lost updates: the app sends only the fields the person changed, with the version and the
//! values the form was opened on ([`EditBase`]). A sent field whose stored value changed since
//! (an import, `pdesk`, a merge, another edit) refuses the whole edit with both values
//! (`editConflict`, nothing saved); fields changed meanwhile that the edit does not send are
//! simply kept. Every saved edit writes one `profile.edit` audit entry in its transaction: a
//! masked label and the names of the changed fields, never their values.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use super::display::display_value;
use super::mask::masked_label;
use super::storage::{self, Stamp};
use super::writes::Writes;
use super::{apply_edit, record_consent, stored_label, validate_form};
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::model::{
    ConsentInput, EditBase, EditConflict, EditConflicts, FieldChange, FieldDef, FieldError,
    MatchKey, ProfileDetail, ProfileId, ProfileInput, Source,
};
use crate::store::Store;
use pdesk_rule::ValidProfile;

/// A phone or e-mail the edit adds that another profile already holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SharedIdentifier {
    /// The value as typed.
    pub value: String,
    pub kind: MatchKey,
    pub profile_id: ProfileId,
    pub label: String,
}

/// What Save would share, for the detail screen to ask before it saves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct EditPreview {
    /// Empty: Save saves without asking.
    pub shared: Vec<SharedIdentifier>,
}

/// The person's answer to "this phone already belongs to …".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum EditDecision {
    /// No answer yet: an edit that shares an identifier is refused with the owners named.
    #[default]
    Ask,
    /// They are different people: save, and record that they were kept apart.
    KeepSeparate,
}

/// The version of a profile's values: a digest of them, so any change of any field — by
/// whatever path — gives a new version, and nothing else does.
pub(crate) fn profile_version(p: &ValidProfile) -> String {
    use sha2::{Digest, Sha256};
    let mut values = p.clone();
    values.given.clear();
    let json = serde_json::to_vec(&values).unwrap_or_default();
    hex::encode(&Sha256::digest(&json)[..12])
}

/// The fields of `edited` that someone changed since `base` and that the edit would set to
/// something else than they hold now (the same change made twice is no conflict).
fn edit_conflicts(
    fields: &[FieldDef],
    existing: &ValidProfile,
    edited: &ValidProfile,
    base: &EditBase,
) -> Vec<EditConflict> {
    if base.version == profile_version(existing) {
        return Vec::new();
    }
    edited
        .given
        .iter()
        .filter_map(|key| {
            let def = fields.iter().find(|f| &f.key == key)?;
            let theirs = display_value(def, existing);
            let was = base.values.get(key).cloned().unwrap_or_default();
            let yours = display_value(def, edited);
            (theirs != was && yours != theirs).then(|| EditConflict {
                field: key.clone(),
                label: def.label.clone(),
                yours,
                theirs,
                base: was,
            })
        })
        .collect()
}

/// The identifiers `after` holds that `before` did not, each with every other profile holding
/// it (phones compare by their E.164 form, e-mails by their match key).
fn shared_identifiers(
    conn: &Connection,
    id: ProfileId,
    before: &ValidProfile,
    after: &ValidProfile,
) -> Result<Vec<SharedIdentifier>> {
    let mut out = Vec::new();
    let mut owners = |sql: &str, key: &str, value: &str, kind: MatchKey| -> Result<()> {
        let ids: Vec<ProfileId> = conn
            .prepare_cached(sql)?
            .query_map(params![key, id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for profile_id in ids {
            out.push(SharedIdentifier {
                value: value.to_string(),
                kind,
                profile_id,
                label: stored_label(conn, profile_id)?,
            });
        }
        Ok(())
    };
    for p in &after.phones {
        if !before.phones.iter().any(|b| b.e164 == p.e164) {
            owners(
                "SELECT DISTINCT profile_id FROM profile_phones
                  WHERE e164 = ?1 AND profile_id <> ?2 ORDER BY profile_id",
                &p.e164,
                &p.raw,
                MatchKey::Phone,
            )?;
        }
    }
    for e in &after.emails {
        if !before.emails.iter().any(|b| b.key == e.key) {
            owners(
                "SELECT DISTINCT profile_id FROM profile_emails
                  WHERE email_key = ?1 AND profile_id <> ?2 ORDER BY profile_id",
                &e.key,
                &e.raw,
                MatchKey::Email,
            )?;
        }
    }
    Ok(out)
}

/// The refusal of an unanswered edit: one error per shared value, on its field.
fn shared_refusal(shared: &[SharedIdentifier]) -> Error {
    Error::Validation(
        shared
            .iter()
            .map(|s| {
                FieldError::new(
                    match s.kind {
                        MatchKey::Email => "emails",
                        _ => "phones",
                    },
                    "sharedIdentifier",
                    format!(
                        "{} already belongs to {} (#{}): choose to keep both profiles, or open the other one",
                        s.value, s.label, s.profile_id
                    ),
                )
                .with("value", &s.value)
                .with("profile", &s.label)
                .with("profileId", s.profile_id)
            })
            .collect(),
    )
}

impl Store {
    /// The phones and e-mails an edit would share with other profiles (nothing is saved).
    pub fn preview_edit(
        &self,
        actor: &Actor,
        id: ProfileId,
        input: &ProfileInput,
    ) -> Result<EditPreview> {
        actor.require(Permission::ProfileEdit)?;
        let settings = self.sync_settings()?;
        let fields = self.fields()?;
        let edited = validate_form(input, &fields, &settings, false).map_err(Error::Validation)?;
        let existing = storage::load(&self.conn, id)?;
        let (after, _) = apply_edit(&existing, &edited);
        Ok(EditPreview {
            shared: shared_identifiers(&self.conn, id, &existing, &after)?,
        })
    }

    /// Edits a profile in place, asking when the edit shares an identifier (see the module
    /// doc): [`Store::update_profile_decided`] with [`EditDecision::Ask`].
    pub fn update_profile(
        &mut self,
        actor: &Actor,
        id: ProfileId,
        input: &ProfileInput,
        consent: &ConsentInput,
    ) -> Result<ProfileDetail> {
        self.update_profile_decided(actor, id, input, consent, EditDecision::Ask)
    }

    /// Edits a profile in place (detail screen): fields present in `input` take the given value
    /// (empty clears them), others stay; same validation as create, and the profile must keep
    /// an identifier. Recorded in the profile history and the audit log. Without a base (the
    /// CLI, tests) the edit is not checked for changes made meanwhile; see
    /// [`Store::update_profile_on`].
    pub fn update_profile_decided(
        &mut self,
        actor: &Actor,
        id: ProfileId,
        input: &ProfileInput,
        consent: &ConsentInput,
        decision: EditDecision,
    ) -> Result<ProfileDetail> {
        self.update_profile_on(actor, id, input, consent, decision, None)
    }

    /// [`Store::update_profile_decided`] for an edit form opened on `base`: a field of `input`
    /// that changed since `base` refuses the edit (`editConflict`, with both values; nothing is
    /// saved); fields `input` does not hold are kept as they are now, whoever changed them.
    pub fn update_profile_on(
        &mut self,
        actor: &Actor,
        id: ProfileId,
        input: &ProfileInput,
        consent: &ConsentInput,
        decision: EditDecision,
        base: Option<&EditBase>,
    ) -> Result<ProfileDetail> {
        actor.require(Permission::ProfileEdit)?;
        let settings = self.sync_settings()?;
        let fields = self.fields()?;
        let edited = validate_form(input, &fields, &settings, false).map_err(Error::Validation)?;
        let at = self.now();
        let stamp = Stamp {
            at: &at,
            actor: &actor.name,
        };
        let tx = self.conn.transaction()?;
        let existing = storage::load(&tx, id)?;
        if let Some(base) = base {
            let conflicts = edit_conflicts(&fields, &existing, &edited, base);
            if !conflicts.is_empty() {
                return Err(Error::EditConflict(EditConflicts {
                    conflicts,
                    version: profile_version(&existing),
                }));
            }
        }
        let (after, mut changes) = apply_edit(&existing, &edited);
        let changed_fields: Vec<String> = changes.iter().map(|c| c.field.clone()).collect();
        pdesk_rule::matching::require_identifier(&after)?;
        let shared = shared_identifiers(&tx, id, &existing, &after)?;
        if !shared.is_empty() {
            if decision == EditDecision::Ask {
                return Err(shared_refusal(&shared));
            }
            let mut apart: Vec<String> = shared
                .iter()
                .map(|s| format!("#{} {}", s.profile_id, s.label))
                .collect();
            apart.dedup();
            changes.push(FieldChange {
                field: "synchronization rule".into(),
                before: String::new(),
                after: format!(
                    "kept apart from {} by {}'s choice",
                    apart.join(", "),
                    actor.display_name
                ),
            });
            let mut ids: Vec<ProfileId> = shared.iter().map(|s| s.profile_id).collect();
            ids.dedup();
            crate::audit::append(
                &tx,
                &at,
                actor,
                "profile.edit_shared",
                &format!("profile:{id}"),
                serde_json::json!({ "profileId": id, "keptApartFrom": ids }),
            )?;
        }
        let consent_changes = record_consent(
            &tx,
            &mut Writes::immediate(),
            id,
            consent,
            &stamp,
            &Source::Manual,
        )?;
        if !changes.is_empty() {
            storage::update(
                &tx,
                id,
                &existing,
                &after,
                &Source::Manual,
                &stamp,
                &mut Writes::immediate(),
            )?;
            storage::record_history(&tx, id, &stamp, "edited", &Source::Manual, None, &changes)?;
        } else if consent_changes > 0 {
            tx.execute(
                "UPDATE profiles SET updated_at = ?2, updated_by = ?3 WHERE id = ?1",
                params![id, stamp.at, stamp.actor],
            )?;
        }
        if consent_changes > 0 {
            storage::record_history(&tx, id, &stamp, "consent", &Source::Manual, None, &[])?;
        }
        if !changed_fields.is_empty() || consent_changes > 0 {
            crate::audit::append(
                &tx,
                &at,
                actor,
                "profile.edit",
                &format!("profile:{id}"),
                serde_json::json!({
                    "profileId": id,
                    "label": masked_label(&after).unwrap_or_else(|| format!("Profile #{id}")),
                    "fields": changed_fields,
                    "consentChannels": consent_changes,
                }),
            )?;
        }
        tx.commit()?;
        self.touched();
        self.profile_detail(actor, id)
    }
}
