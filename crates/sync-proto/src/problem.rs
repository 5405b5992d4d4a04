//! Errors as RFC 9457 `application/problem+json`: `{type, title, status, code, retryable,
//! detail, retry_after_ms?}` plus the fields some codes need (`expected` for `seq_gap`, `seq` for
//! `seq_reused`,
//! `permission` for `forbidden`, `limit` for the size refusals). `ProblemCode` is the one
//! table of codes: HTTP status, title, whether the same request may be retried as is, and the
//! client's duty (docs/sync/protocol.md shows the same table; a test keeps them equal).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// `urn:pdsync:problem:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub code: ProblemCode,
    pub retryable: bool,
    /// For the person: what rule, and what to do.
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u64>,
    /// `seq_gap`: the seq the server expects next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<u64>,
    /// `seq_reused`: the seq the server has with another body (the ops before it in the batch
    /// were the ones it has, or new).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// `forbidden`: the missing permission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    /// `payload_too_large`, `too_many_ops`: the limit that was passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
}

impl Problem {
    /// A problem of `code` with its documented type, title, status and retryability.
    pub fn new(code: ProblemCode, detail: impl Into<String>) -> Problem {
        Problem {
            type_uri: code.type_uri(),
            title: code.title().into(),
            status: code.status(),
            code,
            retryable: code.retryable(),
            detail: detail.into(),
            retry_after_ms: None,
            expected: None,
            seq: None,
            permission: None,
            limit: None,
        }
    }

    pub fn retry_after_ms(mut self, ms: u64) -> Problem {
        self.retry_after_ms = Some(ms);
        self
    }

    /// `409 seq_gap`: the server's next seq for the replica.
    pub fn seq_gap(expected: u64) -> Problem {
        let mut problem = Problem::new(
            ProblemCode::SeqGap,
            format!(
                "the server has this replica's ops up to seq {}: resend from seq {expected}",
                expected.saturating_sub(1)
            ),
        );
        problem.expected = Some(expected);
        problem
    }
}

/// Every error code of pdsync/1. A client meeting a code it does not know reads `unknown` and
/// falls back on the HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// 400: the body or query does not follow the protocol (bad JSON, unknown op kind, seqs out
    /// of order, a cursor the server did not issue). A client bug.
    Malformed,
    /// 400: `Pdsync-Protocol` missing or a version outside `hello.protocol`.
    UnsupportedProtocol,
    /// 401: wrong user or password at device registration.
    InvalidCredentials,
    /// 401: the access token expired or is unknown.
    TokenExpired,
    /// 401: a spent refresh token was presented again; the device is revoked.
    RefreshReused,
    /// 403: the device was revoked.
    DeviceRevoked,
    /// 403: the user lacks the permission for this endpoint (`permission`).
    Forbidden,
    /// 404: no such device or replica (or not the caller's).
    NotFound,
    /// 409: the replica's previous push is still running.
    InProgress,
    /// 409: the batch starts after the server's next seq (`expected`).
    SeqGap,
    /// 409: the server was restored from a backup; its epoch changed.
    EpochChanged,
    /// 410: the cursor is older than the GC horizon.
    CursorExpired,
    /// 413: the body passes the size limit (before or after decompression).
    PayloadTooLarge,
    /// 413: more ops in one push than `max_ops`.
    TooManyOps,
    /// 415: the body is not JSON (or not gzip-compressed JSON).
    UnsupportedMediaType,
    /// 422: the same `(replica, seq)` came with a different body.
    SeqReused,
    /// 429: the token's rate limit.
    RateLimited,
    /// 500: the server failed; the outcome is unknown.
    Internal,
    /// 503: the server is overloaded or in maintenance.
    Unavailable,
    #[serde(other)]
    Unknown,
}

impl ProblemCode {
    /// Every code, in the order of the documentation's table.
    pub const ALL: [ProblemCode; 20] = [
        ProblemCode::Malformed,
        ProblemCode::UnsupportedProtocol,
        ProblemCode::InvalidCredentials,
        ProblemCode::TokenExpired,
        ProblemCode::RefreshReused,
        ProblemCode::DeviceRevoked,
        ProblemCode::Forbidden,
        ProblemCode::NotFound,
        ProblemCode::InProgress,
        ProblemCode::SeqGap,
        ProblemCode::EpochChanged,
        ProblemCode::CursorExpired,
        ProblemCode::PayloadTooLarge,
        ProblemCode::TooManyOps,
        ProblemCode::UnsupportedMediaType,
        ProblemCode::SeqReused,
        ProblemCode::RateLimited,
        ProblemCode::Internal,
        ProblemCode::Unavailable,
        ProblemCode::Unknown,
    ];

    /// The code as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::Malformed => "malformed",
            ProblemCode::UnsupportedProtocol => "unsupported_protocol",
            ProblemCode::InvalidCredentials => "invalid_credentials",
            ProblemCode::TokenExpired => "token_expired",
            ProblemCode::RefreshReused => "refresh_reused",
            ProblemCode::DeviceRevoked => "device_revoked",
            ProblemCode::Forbidden => "forbidden",
            ProblemCode::NotFound => "not_found",
            ProblemCode::InProgress => "in_progress",
            ProblemCode::SeqGap => "seq_gap",
            ProblemCode::EpochChanged => "epoch_changed",
            ProblemCode::CursorExpired => "cursor_expired",
            ProblemCode::PayloadTooLarge => "payload_too_large",
            ProblemCode::TooManyOps => "too_many_ops",
            ProblemCode::UnsupportedMediaType => "unsupported_media_type",
            ProblemCode::SeqReused => "seq_reused",
            ProblemCode::RateLimited => "rate_limited",
            ProblemCode::Internal => "internal",
            ProblemCode::Unavailable => "unavailable",
            ProblemCode::Unknown => "unknown",
        }
    }

    pub fn type_uri(self) -> String {
        format!("urn:pdsync:problem:{}", self.as_str())
    }

    pub fn status(self) -> u16 {
        match self {
            ProblemCode::Malformed | ProblemCode::UnsupportedProtocol => 400,
            ProblemCode::InvalidCredentials
            | ProblemCode::TokenExpired
            | ProblemCode::RefreshReused => 401,
            ProblemCode::DeviceRevoked | ProblemCode::Forbidden => 403,
            ProblemCode::NotFound => 404,
            ProblemCode::InProgress | ProblemCode::SeqGap | ProblemCode::EpochChanged => 409,
            ProblemCode::CursorExpired => 410,
            ProblemCode::PayloadTooLarge | ProblemCode::TooManyOps => 413,
            ProblemCode::UnsupportedMediaType => 415,
            ProblemCode::SeqReused => 422,
            ProblemCode::RateLimited => 429,
            ProblemCode::Internal | ProblemCode::Unknown => 500,
            ProblemCode::Unavailable => 503,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ProblemCode::Malformed => "The request does not follow pdsync/1",
            ProblemCode::UnsupportedProtocol => "Protocol version not supported",
            ProblemCode::InvalidCredentials => "Wrong user name or password",
            ProblemCode::TokenExpired => "Access token expired",
            ProblemCode::RefreshReused => "Refresh token already used; device revoked",
            ProblemCode::DeviceRevoked => "This device was revoked",
            ProblemCode::Forbidden => "Permission missing",
            ProblemCode::NotFound => "Not found",
            ProblemCode::InProgress => "The previous push of this replica is still running",
            ProblemCode::SeqGap => "Earlier ops are missing",
            ProblemCode::EpochChanged => "The server was restored from a backup",
            ProblemCode::CursorExpired => "The cursor is too old",
            ProblemCode::PayloadTooLarge => "Request too large",
            ProblemCode::TooManyOps => "Too many ops in one push",
            ProblemCode::UnsupportedMediaType => "The body must be JSON",
            ProblemCode::SeqReused => "A seq was reused with a different op",
            ProblemCode::RateLimited => "Too many requests",
            ProblemCode::Internal => "Server error",
            ProblemCode::Unavailable => "Server busy",
            ProblemCode::Unknown => "Unknown problem",
        }
    }

    /// May the client send the *same* request again (after a wait, or after refreshing its
    /// access token)? Not retryable means something else must happen first: a fix, a smaller
    /// batch, a new replica, a re-snapshot, a sign-in.
    pub fn retryable(self) -> bool {
        match self {
            ProblemCode::TokenExpired
            | ProblemCode::InProgress
            | ProblemCode::RateLimited
            | ProblemCode::Internal
            | ProblemCode::Unavailable
            | ProblemCode::Unknown => true,
            ProblemCode::Malformed
            | ProblemCode::UnsupportedProtocol
            | ProblemCode::InvalidCredentials
            | ProblemCode::RefreshReused
            | ProblemCode::DeviceRevoked
            | ProblemCode::Forbidden
            | ProblemCode::NotFound
            | ProblemCode::SeqGap
            | ProblemCode::EpochChanged
            | ProblemCode::CursorExpired
            | ProblemCode::PayloadTooLarge
            | ProblemCode::TooManyOps
            | ProblemCode::UnsupportedMediaType
            | ProblemCode::SeqReused => false,
        }
    }

    /// What the client must do (SYNC.md §4.3, §4.4, §9).
    pub fn client_duty(self) -> &'static str {
        match self {
            ProblemCode::Malformed => "Block the queue, show the problem, report it. Never drop the ops.",
            ProblemCode::UnsupportedProtocol => "Stop syncing and tell the user to update the app (hello.protocol says what the server speaks).",
            ProblemCode::InvalidCredentials => "Ask for the password again.",
            ProblemCode::TokenExpired => "Refresh the access token once (POST /v1/token) and retry; if that fails, pause and ask to sign in again.",
            ProblemCode::RefreshReused => "Pause; the user signs in again to register the device anew. Keep the outbox.",
            ProblemCode::DeviceRevoked => "Pause. Keep the outbox.",
            ProblemCode::Forbidden => "Show which permission is missing; do not retry until an administrator grants it.",
            ProblemCode::NotFound => "Stop this request; re-read hello.",
            ProblemCode::InProgress => "Wait Retry-After (1 s), then retry the same ops.",
            ProblemCode::SeqGap => "Resend from seq `expected`; if the outbox no longer holds it, rotate the replica (SYNC.md §9 F7).",
            ProblemCode::EpochChanged => "Read last_seq per replica (GET /v1/replicas/{id}), resend acked ops above it, then re-snapshot (SYNC.md §9 F9).",
            ProblemCode::CursorExpired => "Push everything, then re-snapshot.",
            ProblemCode::PayloadTooLarge => "Halve the batch and retry.",
            ProblemCode::TooManyOps => "Send at most hello.limits.max_ops ops per push.",
            ProblemCode::UnsupportedMediaType => "Send application/json (gzip-encoded above 8 KiB). A client bug: block and report.",
            ProblemCode::SeqReused => "Rotate replica_id, re-register, resend the pending ops under new seqs (SYNC.md §9 F7).",
            ProblemCode::RateLimited => "Wait max(Retry-After, backoff), then retry.",
            ProblemCode::Internal => "The outcome is unknown: retry the same ops with the same seqs, with backoff.",
            ProblemCode::Unavailable => "Wait max(Retry-After, backoff), then retry the same ops.",
            ProblemCode::Unknown => "Act on the HTTP status; retry the same ops with backoff.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_from_its_text() {
        for code in ProblemCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ProblemCode>(&json).unwrap(), code);
        }
        let future: ProblemCode = serde_json::from_str("\"quota_exceeded\"").unwrap();
        assert_eq!(
            future,
            ProblemCode::Unknown,
            "codes added within v1 do not break a client"
        );
    }

    #[test]
    fn the_codes_of_sync_md_have_their_status_and_retryability() {
        let table = [
            ("malformed", 400, false),
            ("device_revoked", 403, false),
            ("in_progress", 409, true),
            ("seq_gap", 409, false),
            ("epoch_changed", 409, false),
            ("payload_too_large", 413, false),
            ("seq_reused", 422, false),
            ("rate_limited", 429, true),
            ("unavailable", 503, true),
            ("cursor_expired", 410, false),
            ("token_expired", 401, true),
        ];
        for (text, status, retryable) in table {
            let code: ProblemCode = serde_json::from_str(&format!("\"{text}\"")).unwrap();
            assert_eq!(
                (code.status(), code.retryable()),
                (status, retryable),
                "{text}"
            );
        }
    }

    #[test]
    fn a_problem_is_rfc_9457_shaped() {
        let problem = Problem::seq_gap(4812).retry_after_ms(0);
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(json["type"], "urn:pdsync:problem:seq_gap");
        assert_eq!(json["status"], 409);
        assert_eq!(json["code"], "seq_gap");
        assert_eq!(json["retryable"], false);
        assert_eq!(json["expected"], 4812);
        assert!(json["detail"]
            .as_str()
            .unwrap()
            .contains("resend from seq 4812"));
        assert!(json.get("permission").is_none());
    }
}
