//! `POST /v1/push` (SYNC.md §4.3): a batch of one replica's ops, in seq order, answered with
//! exactly one result per op.
//!
//! Idempotency: the key is `(replica, seq)`. The server keeps `last_seq` per replica and a
//! receipt (the op's body hash and its result) per op. An op at or below `last_seq` whose hash
//! matches is answered `duplicate` with the stored result; a different hash is `422
//! seq_reused`. Seqs must be contiguous within a batch (`validate::check_push`), so a gap can
//! only be at the batch's start: `409 seq_gap` with `expected`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::profile::{ConsentEvent, ConsentStatus, EmailItem, MatchKey, PhoneItem, ProfileFields};
use crate::profile::{ProfileState, TagItem};
use crate::Hlc;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PushRequest {
    /// The replica (one copy of the local database) these seqs belong to.
    pub replica: String,
    /// The `config.version` the client's ops were made under.
    pub config_version: u64,
    pub ops: Vec<Op>,
}

/// One semantic op of the outbox: the envelope every op has, and its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Op {
    /// Gap-free and rising per replica.
    pub seq: u64,
    pub op_id: String,
    pub hlc: Hlc,
    #[serde(flatten)]
    pub body: OpBody,
}

/// What an op does, by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind")]
pub enum OpBody {
    #[serde(rename = "profile.create")]
    ProfileCreate(ProfileCreate),
    #[serde(rename = "profile.update")]
    ProfileUpdate(ProfileUpdate),
    #[serde(rename = "profile.delete")]
    ProfileDelete(ProfileDelete),
    #[serde(rename = "profile.merge")]
    ProfileMerge(ProfileMerge),
    #[serde(rename = "consent.record")]
    ConsentRecord(ConsentRecord),
    #[serde(rename = "review.resolve")]
    ReviewResolve(ReviewResolve),
    #[serde(rename = "conflict.resolve")]
    ConflictResolve(ConflictResolve),
}

impl OpBody {
    /// The `kind` as on the wire.
    pub fn kind(&self) -> &'static str {
        match self {
            OpBody::ProfileCreate(_) => "profile.create",
            OpBody::ProfileUpdate(_) => "profile.update",
            OpBody::ProfileDelete(_) => "profile.delete",
            OpBody::ProfileMerge(_) => "profile.merge",
            OpBody::ConsentRecord(_) => "consent.record",
            OpBody::ReviewResolve(_) => "review.resolve",
            OpBody::ConflictResolve(_) => "conflict.resolve",
        }
    }

    /// The profile the op is about, when it is about one.
    pub fn gid(&self) -> Option<&str> {
        match self {
            OpBody::ProfileCreate(op) => Some(&op.gid),
            OpBody::ProfileUpdate(op) => Some(&op.gid),
            OpBody::ProfileDelete(op) => Some(&op.gid),
            OpBody::ProfileMerge(op) => Some(&op.survivor),
            OpBody::ConsentRecord(op) => Some(&op.gid),
            OpBody::ReviewResolve(_) | OpBody::ConflictResolve(_) => None,
        }
    }
}

/// Where a create came from (history and undo-import on the client; logs on the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Origin {
    pub source: OriginSource,
    /// The import job, for `import` and `paste`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<u64>,
    /// The row of the file or paste (1-based, as the user sees it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OriginSource {
    /// The create form.
    Form,
    Import,
    Paste,
    /// A device's first connection sends its existing profiles as creates (SYNC.md §8).
    InitialPush,
}

/// A new profile with its full data (never a pointer to local state): the server runs the
/// synchronization rule on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProfileCreate {
    pub gid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    pub fields: ProfileFields,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consent: Vec<ConsentEvent>,
    /// On a match, only fill the survivor's empty fields (the import option).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fill_empty_only: bool,
}

/// Field edits on a profile, each with the field version it was based on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProfileUpdate {
    pub gid: String,
    pub base_rev: u64,
    /// Scalar fields by key (built-in key, or a custom field's catalogue key).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set: BTreeMap<String, FieldSet>,
    #[serde(default, skip_serializing_if = "ListAdds::is_empty")]
    pub add: ListAdds,
    #[serde(default, skip_serializing_if = "ListRemoves::is_empty")]
    pub remove: ListRemoves,
}

/// A field's new value (`null` clears it: only the edit form sends that) and its base version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FieldSet {
    /// Required, even when `null`: a `set` whose `v` is missing is malformed, never a clear.
    #[serde(deserialize_with = "present_or_null")]
    #[schema(required = true)]
    pub v: Option<serde_json::Value>,
    pub base_fv: u64,
}

/// An `Option` that must be present in the JSON (`null` is `None`); serde's default for
/// `Option` fields would read a missing field as `None` too.
fn present_or_null<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    Option::deserialize(deserializer)
}

/// OR-set adds: elements with fresh tags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ListAdds {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<PhoneItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<EmailItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<TagItem>,
    /// Multi-select custom fields by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, Vec<TagItem>>,
}

impl ListAdds {
    pub fn is_empty(&self) -> bool {
        self.phones.is_empty()
            && self.emails.is_empty()
            && self.tags.is_empty()
            && self.custom.is_empty()
    }
}

/// OR-set removes: a value and the tags the client saw; a concurrent add (unseen tag) stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Removal {
    pub v: String,
    pub observed: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ListRemoves {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Removal>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<Removal>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Removal>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, Vec<Removal>>,
}

impl ListRemoves {
    pub fn is_empty(&self) -> bool {
        self.phones.is_empty()
            && self.emails.is_empty()
            && self.tags.is_empty()
            && self.custom.is_empty()
    }
}

/// Delete with the reason the user gave (SPEC §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProfileDelete {
    pub gid: String,
    pub base_rev: u64,
    pub reason: String,
    /// A machine-readable reason (`erasure_request`, `duplicate`, …) when the UI offers one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
}

/// A merge decided by a person: `absorbed` profiles go into `survivor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProfileMerge {
    pub survivor: String,
    pub absorbed: Vec<String>,
    /// The rev each profile (survivor included) had when the person decided.
    pub base_revs: BTreeMap<String, u64>,
    /// Which profile's value each scalar field takes (field key → gid).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub choices: BTreeMap<String, String>,
}

/// One consent event on an existing profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConsentRecord {
    pub gid: String,
    pub event_id: String,
    pub channel: String,
    pub status: ConsentStatus,
    pub recorded_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
}

/// A person's answer to a server merge review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReviewResolve {
    pub review: String,
    pub base_rev: u64,
    pub decision: ReviewDecision,
    /// The candidate to attach to (`attach` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// Merge the incoming profile into `target`.
    Attach,
    /// Keep the incoming profile as a separate customer.
    CreateNew,
    /// Merge every candidate and the incoming profile into `target`.
    MergeAll,
}

/// A person's answer to a field conflict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ConflictResolve {
    pub conflict: String,
    pub choice: ConflictChoice,
    /// The value typed by the person (`edited` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    pub base_fv: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConflictChoice {
    /// Keep the value the policy kept.
    Kept,
    /// Use the value that lost.
    Lost,
    /// Use a new value (`value`).
    Edited,
}

/// The answer to a push (200): one result per op sent, in the order sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PushResponse {
    /// The replica's `last_seq` after this batch.
    pub acked_through: u64,
    pub hlc: Hlc,
    pub results: Vec<OpResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OpResult {
    pub seq: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What became of an op, by `status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Applied(Applied),
    Merged(Merged),
    Review(ReviewOpened),
    /// Seen before (same `(replica, seq)`, same body hash): the stored result.
    Duplicate(Duplicate),
    Rejected(Rejected),
}

impl Outcome {
    pub fn status(&self) -> &'static str {
        match self {
            Outcome::Applied(_) => "applied",
            Outcome::Merged(_) => "merged",
            Outcome::Review(_) => "review",
            Outcome::Duplicate(_) => "duplicate",
            Outcome::Rejected(_) => "rejected",
        }
    }
}

/// The op took effect. Concurrent edits the field policy decided are listed in `conflicts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Applied {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gid: Option<String>,
    pub rev: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<FieldConflict>,
    /// The profile's state after the op, when the client needs it to converge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ProfileState>,
}

/// A create matched exactly one profile and was merged into it: the client rewrites `gid` to
/// `into` and moves history, links and consent there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Merged {
    pub gid: String,
    pub into: String,
    pub matched_by: MatchKey,
    pub rev: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ProfileState>,
}

/// A create matched several profiles (or a recently deleted one): it was stored under its own
/// gid, flagged, and a merge review opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReviewOpened {
    pub review: String,
    pub candidates: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gid: Option<String>,
}

/// The stored result of the op's first delivery (never itself `duplicate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Duplicate {
    #[schema(no_recursion)]
    pub original: Box<Outcome>,
    /// The op's profile as the server has it now, when it has been deleted or merged away
    /// since (its tombstone, with the survivor, as a pull delivers it): a device sending an op
    /// again — having restored a backup, or lost the answer — may hold the profile again while
    /// its pull has passed that tombstone, and would otherwise keep it for good.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<Box<crate::pull::ProfileChange>>,
}

/// The op was refused. It still advanced `last_seq`: the client records it in its rejected
/// changes and shows it; it is never retried as is when `permanent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Rejected {
    pub code: RejectCode,
    /// The missing permission (`forbidden`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    /// The field at fault (`invalid`, `unknown_field`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub permanent: bool,
    /// For the person: what rule, and what to do.
    pub detail: String,
}

/// Why an op was rejected. A client that meets a code it does not know reads `unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RejectCode {
    /// The user lacks the permission named in `permission`.
    Forbidden,
    /// A value breaks a validation rule (`field`).
    Invalid,
    /// A custom field the server's catalogue does not have (`field`); retry after an admin adds it.
    UnknownField,
    /// The profile, review or conflict does not exist on the server.
    NotFound,
    /// The profile was deleted (delete wins; the edit is kept in the tombstone).
    Deleted,
    /// Someone resolved the review first.
    ReviewAlreadyResolved,
    /// Someone resolved the conflict first.
    ConflictAlreadyResolved,
    /// The op is larger than `max_op_bytes`.
    OpTooLarge,
    #[serde(other)]
    Unknown,
}

/// A concurrent edit of one field that the policy decided; the losing value is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FieldConflict {
    pub id: String,
    pub field: String,
    pub kept: serde_json::Value,
    pub lost: serde_json::Value,
}
