//! The types several floors share: profiles as stored and shown, consent, sources, outcomes;
//! and the rule's vocabulary, re-exported from `pdesk-rule`. A type used by one feature only
//! lives with that feature. Every type that crosses the IPC boundary derives `ts_rs::TS`
//! (behind the `ts` feature) so the UI's TypeScript types are generated, never written by hand.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use pdesk_rule::vocab::{
    FieldChange, FieldDef, FieldError, FieldKind, InputValue, MatchKey, MergePolicy, PhoneValue,
    ProfileId, ProfileInput, SelectOption,
};
pub use pdesk_rule::{Guards, ReviewReason, SharedKey};

/// The language a person reads what the core writes for them in (the UI's, ui/src/i18n/lang.ts):
/// the import template, a user's result e-mails, notifications and failed-rows file. Each
/// user's is kept by `users` ([`crate::Store::lang_of`]); `pdesk` writes English.
pub use pdesk_rule::catalogue::Lang;

/// A count as a person reading `lang` writes it: `1,000,000` in English, `1.000.000` in
/// Vietnamese.
pub fn count_in(lang: Lang, n: u64) -> String {
    match lang {
        Lang::En => pdesk_normalize::display::count(n),
        Lang::Vi => pdesk_normalize::display::count_vi(n),
    }
}

/// A consent channel (e-mail, SMS, phone call, and any the admin adds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ConsentChannel {
    pub key: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum ConsentStatus {
    Granted,
    Denied,
    Unknown,
}

pdesk_normalize::text_enum!(pub ConsentStatus {
    Granted => "granted",
    Denied => "denied",
    Unknown => "unknown",
});

impl ConsentStatus {
    /// The status on the sync wire.
    pub fn wire(self) -> pdesk_sync_proto::profile::ConsentStatus {
        use pdesk_sync_proto::profile::ConsentStatus as Wire;
        match self {
            ConsentStatus::Granted => Wire::Granted,
            ConsentStatus::Denied => Wire::Denied,
            ConsentStatus::Unknown => Wire::Unknown,
        }
    }

    /// A status from the sync wire.
    pub fn from_wire(status: pdesk_sync_proto::profile::ConsentStatus) -> ConsentStatus {
        use pdesk_sync_proto::profile::ConsentStatus as Wire;
        match status {
            Wire::Granted => ConsentStatus::Granted,
            Wire::Denied => ConsentStatus::Denied,
            Wire::Unknown => ConsentStatus::Unknown,
        }
    }
}

/// The consent to record with a save: channel key to status. Channels left out are unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ConsentInput {
    pub channels: BTreeMap<String, ConsentStatus>,
}

/// Where a profile (or a change to it) came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Source {
    Manual,
    FileImport {
        #[serde(rename = "fileName")]
        file_name: String,
        #[serde(rename = "jobId")]
        job_id: Option<i64>,
    },
    Paste {
        #[serde(rename = "jobId")]
        job_id: Option<i64>,
    },
    Sync,
}

impl Source {
    /// The file name a paste's job and its profiles' source show.
    pub const PASTED_DATA: &'static str = "Pasted data";

    pub fn kind_str(&self) -> &'static str {
        match self {
            Source::Manual => "manual",
            Source::FileImport { .. } => "file",
            Source::Paste { .. } => "paste",
            Source::Sync => "sync",
        }
    }

    /// The import job this change belongs to, if any.
    pub fn job(&self) -> Option<i64> {
        match self {
            Source::FileImport { job_id, .. } | Source::Paste { job_id } => *job_id,
            Source::Manual | Source::Sync => None,
        }
    }

    /// How users read the source ("File import: customers.xlsx").
    pub fn label(&self) -> String {
        match self {
            Source::Manual => "Manual".into(),
            Source::FileImport { file_name, .. } => format!("File import: {file_name}"),
            Source::Paste { .. } => "Paste".into(),
            Source::Sync => "Sync".into(),
        }
    }
}

/// A profile, whole, as the detail screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: ProfileId,
    /// Display label: the name, else the first phone, else the first e-mail.
    pub label: String,
    pub phones: Vec<PhoneValue>,
    pub emails: Vec<String>,
    pub tags: Vec<String>,
    /// Every other filled field (built-in and custom) as display text; dates `yyyy-mm-dd`,
    /// multi-select values joined by `, `.
    pub values: BTreeMap<String, String>,
    pub source: Source,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub updated_by: String,
}

/// One row of the profile list: id plus the display text of the requested columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ProfileRow {
    pub id: ProfileId,
    pub cells: BTreeMap<String, String>,
}

/// A page of the profile list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ProfilePage {
    /// Position of the first row in the (filtered) list, 0-based.
    pub offset: u32,
    pub rows: Vec<ProfileRow>,
}

/// Total and filtered counts shown above the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ProfileCounts {
    pub total: u32,
    pub filtered: u32,
}

/// A candidate of a merge review: an existing profile and the key that tied it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct MatchCandidate {
    pub profile_id: ProfileId,
    pub label: String,
    pub matched_by: MatchKey,
}

/// What saving through the synchronization rule did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase", tag = "outcome")]
pub enum SaveOutcome {
    /// No existing profile matched: a new one was created.
    Created {
        #[serde(rename = "profileId")]
        profile_id: ProfileId,
        label: String,
    },
    /// Exactly one existing profile matched and was updated.
    Updated {
        #[serde(rename = "profileId")]
        profile_id: ProfileId,
        label: String,
        #[serde(rename = "matchedBy")]
        matched_by: MatchKey,
        /// Keys of the fields whose value changed.
        #[serde(rename = "changedFields")]
        changed_fields: Vec<String>,
    },
    /// Several different profiles matched: nothing merged, a person must decide.
    Review {
        #[serde(rename = "reviewId")]
        review_id: i64,
        candidates: Vec<MatchCandidate>,
        /// Why the rule did not decide: several matches, a name that differs, the limits.
        reason: ReviewReason,
    },
}

impl SaveOutcome {
    /// The sentence shown to the user after Save.
    pub fn message(&self) -> String {
        match self {
            SaveOutcome::Created { label, .. } => format!("Created profile {label}"),
            SaveOutcome::Updated {
                label, matched_by, ..
            } => {
                format!(
                    "Updated existing profile {label} — matched by {}",
                    matched_by.label()
                )
            }
            SaveOutcome::Review {
                candidates, reason, ..
            } => {
                let labels = candidates
                    .iter()
                    .map(|c| c.label.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                match reason {
                    ReviewReason::NameDiffers => format!(
                        "Matches {labels} by a phone, e-mail or code, but the name is another person's; nothing was merged — a merge review was created"
                    ),
                    ReviewReason::IdentifierLimit => format!(
                        "Matches {labels}, but merging would pass the limit of phones or e-mails a profile may hold; nothing was merged — a merge review was created"
                    ),
                    _ => format!(
                        "Matches {} different profiles ({labels}); nothing was merged — a merge review was created",
                        candidates.len()
                    ),
                }
            }
        }
    }
}

/// An existing profile that already holds a phone or e-mail being typed (duplicate guard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct IdentifierOwner {
    pub profile_id: ProfileId,
    pub label: String,
    pub matched_by: MatchKey,
}

/// One record of consent history (append-only; the newest per channel is current).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ConsentRecord {
    pub channel: String,
    pub status: ConsentStatus,
    pub recorded_by: String,
    pub recorded_at: String,
    pub source: String,
}

/// An account, opportunity, ticket or task linked to a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct LinkedObject {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct LinkedObjects {
    pub accounts: Vec<LinkedObject>,
    pub opportunities: Vec<LinkedObject>,
    pub tickets: Vec<LinkedObject>,
    pub tasks: Vec<LinkedObject>,
}

/// One entry of a profile's change history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub at: String,
    pub actor: String,
    /// `created`, `updated`, `merged`, `edited`, `consent`.
    pub kind: String,
    pub source: String,
    pub matched_by: Option<MatchKey>,
    pub changes: Vec<FieldChange>,
}

/// Everything the detail screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ProfileDetail {
    pub profile: Profile,
    /// Current consent per channel (channels never recorded are `unknown`).
    pub consent: BTreeMap<String, ConsentStatus>,
    pub consent_history: Vec<ConsentRecord>,
    pub links: LinkedObjects,
    pub history: Vec<HistoryEntry>,
    /// The version of the profile's field values shown here (a digest of them): an edit form
    /// sends it back with the values it was opened on ([`EditBase`]).
    pub version: String,
}

/// What an edit form was opened on: the profile's `version` and, for every field the edit
/// sends, its text then — the detail's text of the field (`Profile::values`; phones, e-mails
/// and tags as their items joined with `, `). A field that changed since and that the edit
/// touches is a conflict ([`EditConflict`]); fields the edit does not send are never compared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct EditBase {
    pub version: String,
    pub values: BTreeMap<String, String>,
}

/// A field an edit touches that someone else changed since the form was opened: nothing was
/// saved (error `editConflict`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct EditConflict {
    pub field: String,
    pub label: String,
    /// The value the edit would save.
    pub yours: String,
    /// The value stored now.
    pub theirs: String,
    /// The value when the form was opened.
    pub base: String,
}

/// The details of an `editConflict` refusal: the conflicting fields and the profile's current
/// version (the base to send again with "Use mine").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct EditConflicts {
    pub conflicts: Vec<EditConflict>,
    pub version: String,
}

/// The signed-in user as the UI needs to know them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub user_name: String,
    pub display_name: String,
    pub role: String,
    pub permissions: Vec<String>,
}

/// What the About box and the status bar show about the running app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub product_name: String,
    /// From the app's Cargo.toml.
    pub version: String,
    pub publisher: String,
    pub description: String,
    /// `com.profiledesk.app`, or `com.profiledesk.app.dev` for development builds.
    pub identifier: String,
    /// Where the database file lives.
    pub data_path: String,
    /// A development build (own identifier and data folder).
    pub dev: bool,
    /// Demo mode: a separate database of generated profiles, never the user's own.
    pub demo: bool,
    /// Whether the database is encrypted at rest (and why not, when it is not).
    pub encryption: EncryptionStatus,
}

/// The result of Save on the create screen: what the rule did and the sentence to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SaveResult {
    pub outcome: SaveOutcome,
    pub message: String,
}

impl From<SaveOutcome> for SaveResult {
    fn from(outcome: SaveOutcome) -> Self {
        let message = outcome.message();
        SaveResult { outcome, message }
    }
}

/// What deleting a selection would remove (the delete dialog states it before asking for a
/// reason): how many profiles, and how many linked objects of each kind would lose their link
/// (each object counted once; the objects themselves are kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct DeletePreview {
    pub profiles: u32,
    pub accounts: u32,
    pub opportunities: u32,
    pub tickets: u32,
    pub tasks: u32,
    /// The server the delete goes to as well (its URL), when this store syncs: the links are
    /// removed there too.
    pub server: Option<String>,
}

/// What a delete action did: how many profiles were removed and the ids of their audit entries
/// (one per profile, written in the same transaction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct DeleteResult {
    pub deleted: u32,
    pub audit_entries: Vec<i64>,
}

/// Whether the open store is encrypted at rest, in words (Settings → Backup, About, `pdesk`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct EncryptionStatus {
    pub encrypted: bool,
    pub message: String,
}

impl EncryptionStatus {
    /// The status of an encrypted store.
    pub fn encrypted() -> EncryptionStatus {
        EncryptionStatus {
            encrypted: true,
            message: "The database and its backups are encrypted; the key is in this computer's \
                      keychain."
                .into(),
        }
    }
}
