//! Devices and tokens (SYNC.md §4.1): a device registers once with the user's password and
//! gets a refresh token (kept in the OS keychain); it trades it for 15-minute access tokens,
//! and each trade rotates the refresh token. The server stores only hashes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /v1/devices`. Exactly one of `password` and `oidc_code` (`validate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RegisterDevice {
    pub user: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc_code: Option<String>,
    /// Shown in `pdesk-server device list`, e.g. "Lan's laptop".
    pub device_name: String,
    /// `linux`, `windows` or `macos` (free text: for the administrator).
    pub platform: String,
}

impl RegisterDevice {
    /// The protocol's own check: one credential, a device name. `Err` says what to send.
    pub fn validate(&self) -> Result<(), String> {
        match (&self.password, &self.oidc_code) {
            (Some(_), Some(_)) => Err("send either password or oidc_code, not both".into()),
            (None, None) => Err("send the user's password (or an oidc_code)".into()),
            _ if self.device_name.trim().is_empty() => {
                Err("device_name is empty: name the device (e.g. \"Lan's laptop\")".into())
            }
            _ => Ok(()),
        }
    }
}

/// The answer to `POST /v1/devices` (201).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeviceRegistered {
    pub device_id: String,
    /// 32 random bytes, base64url. Shown once; the server keeps its SHA-256.
    pub refresh_token: String,
}

/// `POST /v1/token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenRequest {
    pub refresh_token: String,
}

/// The answer to `POST /v1/token`: a new access token and the rotated refresh token (the old
/// one is spent; presenting it again revokes the device).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenIssued {
    pub access_token: String,
    /// Seconds the access token lives (900).
    pub expires_in: u32,
    pub refresh_token: String,
}

/// `GET /v1/replicas/{id}`: how far the server has a replica's ops (after `epoch_changed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReplicaStatus {
    pub last_seq: u64,
}
