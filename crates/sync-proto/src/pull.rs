//! `GET /v1/pull` (SYNC.md §4.4): the changes since the cursor, state-based and compacted (a
//! row appears once, at its latest cseq), long-polled when there is nothing new.

use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type,
};
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, ToSchema};

use crate::base64url;
use crate::cursor::Cursor;
use crate::hello::RuleConfig;
use crate::limits;
use crate::profile::{ConsentStatus, ProfileState};

/// The query of `GET /v1/pull`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// The cursor of the previous pull (or the snapshot's watermark).
    pub cursor: String,
    /// Changes wanted, at most 5000 (default 2000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Seconds to hold the request when nothing is new, at most 25 (default 0: answer at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<u32>,
}

impl PullQuery {
    /// The page size the server serves: `limit` clamped to the protocol's bounds.
    pub fn page_size(&self) -> u32 {
        self.limit
            .unwrap_or(limits::PULL_DEFAULT_CHANGES)
            .clamp(1, limits::PULL_MAX_CHANGES)
    }

    /// The long-poll the server holds, clamped.
    pub fn wait_secs(&self) -> u32 {
        self.wait.unwrap_or(0).min(limits::MAX_WAIT_SECS)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PullResponse {
    pub changes: Vec<Change>,
    /// Send it back unchanged on the next pull; store it in the same transaction as the
    /// changes applied.
    pub cursor: Cursor,
    pub has_more: bool,
    /// Only with `has_more = false`: the bucket sums as of this page, to verify convergence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksums: Option<Checksums>,
}

/// A `(partition, cseq)` position, on the wire `[partition, cseq]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Cseq(pub u32, pub u64);

impl utoipa::PartialSchema for Cseq {
    fn schema() -> RefOr<Schema> {
        let integer = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(0));
        ArrayBuilder::new()
            .items(integer)
            .min_items(Some(2))
            .max_items(Some(2))
            .description(Some(
                "`[partition, cseq]`: a position in a server partition.",
            ))
            .examples([serde_json::json!([3, 88121])])
            .into()
    }
}

impl ToSchema for Cseq {}

/// One changed object, by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Change {
    Profile(ProfileChange),
    Consent(ConsentChange),
    Review(ReviewChange),
    Conflict(ConflictChange),
    Config(ConfigChange),
}

/// A profile's latest state, or its tombstone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProfileChange {
    pub gid: String,
    pub rev: u64,
    pub cseq: Cseq,
    /// The full row (fields and `fv`); absent when `deleted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ProfileState>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tombstone: Option<Tombstone>,
    /// With a `merged_into` tombstone: the survivor's state, so one change applies a merge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survivor: Option<ProfileState>,
    /// The op that made this state, so a client recognises its own echo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<ChangeOrigin>,
}

/// `GET /v1/profiles/{gid}`: the profile as the server has it now, with its consent events
/// (in recording order) while it is live — a *Discard* of a refused change brings back the
/// profile's consent with it (a refused delete had cascaded it away on the laptop). Older
/// servers send the change alone: `consent` is then empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProfileAnswer {
    #[serde(flatten)]
    pub change: ProfileChange,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consent: Vec<ConsentChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChangeOrigin {
    pub replica: String,
    pub seq: u64,
}

/// Why a profile is gone: deleted by a person (`by`, `reason`) or merged into another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Tombstone {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// RFC 3339.
    pub at: String,
    /// Edits that arrived after the delete and lost to it (SYNC.md §5.3: delete wins), latest
    /// last, at most [`Tombstone::MAX_LOST_EDITS`]. Field names only: the values are not kept,
    /// as the delete erased the customer's data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lost_edits: Vec<LostEdit>,
}

impl Tombstone {
    pub const MAX_LOST_EDITS: usize = 20;
}

/// An edit refused because its profile had been deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LostEdit {
    /// Who made the edit (the user name).
    pub by: String,
    /// When the server refused it (RFC 3339).
    pub at: String,
    /// The fields it would have changed.
    pub fields: Vec<String>,
    /// Which copy of the database sent it, and its op's seq there.
    pub replica: String,
    pub seq: u64,
}

/// A consent event (append-only; apply by `event_id`, once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConsentChange {
    pub event_id: String,
    pub gid: String,
    pub channel: String,
    pub status: ConsentStatus,
    pub recorded_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// e.g. `sync:<device>`, `form`, `import`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A server merge review (a synced object).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReviewChange {
    pub id: String,
    pub rev: u64,
    pub state: ReviewState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReviewState {
    /// The incoming profile, stored and flagged `review_open`.
    pub gid: String,
    pub candidates: Vec<String>,
    /// Why it is a review: `several_matches`, `deleted_recently`, `identifier_limit`, …
    pub reason: String,
    pub status: ItemStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<crate::push::ReviewDecision>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Open,
    Resolved,
}

/// A field conflict (a synced object): both values, who, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ConflictChange {
    pub id: String,
    pub rev: u64,
    pub state: ConflictState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ConflictState {
    pub gid: String,
    pub field: String,
    pub kept: serde_json::Value,
    pub lost: serde_json::Value,
    pub kept_by: String,
    pub lost_by: String,
    pub kept_hlc: crate::Hlc,
    pub lost_hlc: crate::Hlc,
    pub status: ItemStatus,
    /// The replica each value came from, and the name of its device (what conflict review
    /// shows as "which device", and how a client knows which value was its own). Absent from
    /// conflicts a server recorded before it kept them (decision 44).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_replica: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost_replica: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_device: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost_device: Option<String>,
}

/// New server-authoritative settings: the rule, the field catalogue, the consent channels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ConfigChange {
    pub version: u64,
    pub rule: RuleConfig,
    /// The field catalogue, as the server's admin API defines it.
    pub catalog: serde_json::Value,
    pub channels: serde_json::Value,
}

/// Anti-entropy sums: `buckets` is base64url of 256 little-endian u64, bucket `b`'s sum being
/// `Σ xxh3(gid ‖ rev) mod 2⁶⁴` over its live profiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Checksums {
    /// `sum64-xxh3`.
    pub algo: String,
    pub buckets: String,
}

impl Checksums {
    pub const ALGO: &'static str = "sum64-xxh3";

    pub fn from_sums(sums: &[u64; limits::BUCKETS]) -> Checksums {
        let bytes: Vec<u8> = sums.iter().flat_map(|s| s.to_le_bytes()).collect();
        Checksums {
            algo: Self::ALGO.into(),
            buckets: base64url::encode(&bytes),
        }
    }

    /// `None` when the algorithm is not ours or the text is not 256 sums.
    pub fn sums(&self) -> Option<[u64; limits::BUCKETS]> {
        if self.algo != Self::ALGO {
            return None;
        }
        let bytes = base64url::decode(&self.buckets)?;
        if bytes.len() != 8 * limits::BUCKETS {
            return None;
        }
        let mut sums = [0u64; limits::BUCKETS];
        for (sum, chunk) in sums.iter_mut().zip(bytes.chunks_exact(8)) {
            *sum = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        }
        Some(sums)
    }
}
