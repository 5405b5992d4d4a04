//! `GET /v1/hello` (SYNC.md §4.2): what a client learns before it pushes or pulls.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::limits;
use crate::profile::MatchKey;
use crate::Hlc;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Hello {
    pub protocol: ProtocolRange,
    /// Rotated when the server's database is restored from a backup (§9 F9).
    pub server_epoch: String,
    /// RFC 3339 with milliseconds; the client warns when its clock is > 2 min off.
    pub server_time: String,
    pub hlc: Hlc,
    pub limits: Limits,
    pub config: ConfigSummary,
    pub user: HelloUser,
    pub device: HelloDevice,
}

/// The protocol versions the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProtocolRange {
    pub min: u32,
    pub max: u32,
}

impl ProtocolRange {
    pub fn accepts(self, version: u32) -> bool {
        (self.min..=self.max).contains(&version)
    }
}

/// The limits the server enforces (SYNC.md §4.7). The first five are the ones SYNC.md names;
/// the rest are additive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Limits {
    pub max_ops: u32,
    pub max_body_bytes: u64,
    pub max_op_bytes: u64,
    pub pull_max: u32,
    pub snapshot_page: u32,
    #[serde(default = "default_inflated")]
    pub max_inflated_body_bytes: u64,
    #[serde(default = "default_pull_bytes")]
    pub pull_max_bytes: u64,
    #[serde(default = "default_wait")]
    pub max_wait_secs: u32,
}

fn default_inflated() -> u64 {
    limits::MAX_INFLATED_BODY_BYTES as u64
}
fn default_pull_bytes() -> u64 {
    limits::PULL_MAX_BYTES as u64
}
fn default_wait() -> u32 {
    limits::MAX_WAIT_SECS
}

impl Limits {
    /// The limits of pdsync/1 (`crate::limits`).
    pub const V1: Limits = Limits {
        max_ops: limits::MAX_OPS_PER_PUSH as u32,
        max_body_bytes: limits::MAX_BODY_BYTES as u64,
        max_op_bytes: limits::MAX_OP_BYTES as u64,
        pull_max: limits::PULL_MAX_CHANGES,
        snapshot_page: limits::SNAPSHOT_PAGE,
        max_inflated_body_bytes: limits::MAX_INFLATED_BODY_BYTES as u64,
        pull_max_bytes: limits::PULL_MAX_BYTES as u64,
        max_wait_secs: limits::MAX_WAIT_SECS,
    };
}

/// The server-authoritative settings' versions and the rule's keys; a client whose versions
/// differ pulls the `config` change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConfigSummary {
    pub version: u64,
    pub rule: RuleConfig,
    pub catalog_version: u64,
    pub channels_version: u64,
}

/// The synchronization rule's settings the server runs with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RuleConfig {
    pub keys: Vec<MatchKey>,
    /// ISO 3166 region for phones without a country code (`VN`).
    pub default_region: String,
    /// How a match merges incoming values (`overwrite`, `fillEmptyOnly`), and the guards
    /// against merging strangers (`maxPhones`, `maxEmails`, `sharedKeyRows`, `blocked`): what
    /// a connected app's own imports use meanwhile. Absent from servers before decision 48.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_policy: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guards: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HelloUser {
    pub id: String,
    pub roles: Vec<String>,
    /// Permission keys as the app names them (`profile.create`, …).
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HelloDevice {
    pub id: String,
    /// The replica the server last saw from this device, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica: Option<String>,
    #[serde(default)]
    pub last_seq: u64,
}
