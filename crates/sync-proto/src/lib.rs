//! `pdsync/1`, the wire protocol between Profile Desk and a remote CDP server (the reference
//! server `pdesk-server` and the app's sync client share this crate).
//!
//! Pure: serde types, the problem codes, the limits, the HLC's text form and the checks that
//! belong to the protocol itself (batch size, op size, seq order). No I/O, no async runtime,
//! no database. The OpenAPI document `docs/sync/pdsync-v1.json` is generated from these types
//! (`openapi::document`); a test fails when the committed file drifts.
//!
//! The wire types are our own, not `pdesk-rule`'s: the rule's types are the app's IPC shapes
//! (camelCase) and may change with the rule; the wire must not. The server and the client
//! convert. Human page: `docs/sync/protocol.md`; decisions: `docs/sync/decisions.md`.
//!
//! Every type ignores unknown fields (additive changes within v1) and serialises to JSON that
//! reads back to itself (property tests in `tests/roundtrip.rs`).

pub mod base64url;
pub mod buckets;
pub mod cursor;
pub mod devices;
pub mod hello;
pub mod hlc;
pub mod limits;
pub mod links;
pub mod openapi;
pub mod pin;
pub mod problem;
pub mod profile;
pub mod pull;
pub mod push;
pub mod snapshot;
pub mod validate;

pub use hlc::Hlc;
pub use problem::{Problem, ProblemCode};

/// The protocol version this crate speaks (`Pdsync-Protocol` header, `hello.protocol`).
pub const PROTOCOL_VERSION: u32 = 1;

/// Request and response header names.
pub mod headers {
    /// Sent on every request: the protocol version (`1`). A version the server does not speak
    /// gets `400 unsupported_protocol`.
    pub const PROTOCOL: &str = "Pdsync-Protocol";
    /// `<replica>-<session>-<n>`: correlates a request with the server's logs.
    pub const REQUEST_ID: &str = "Pdsync-Request-Id";
    /// The push batch's UUID (IETF Idempotency-Key draft); logs only, dedupe is per op.
    pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";
    /// Snapshot page: the cursor vector at the snapshot's start, to pull from afterwards.
    pub const WATERMARK: &str = "Pdsync-Watermark";
    /// Snapshot page: the `after` of the next page; absent on the last page.
    pub const NEXT_AFTER: &str = "Pdsync-Next-After";
    /// Snapshot page: how many live profiles the server holds at the snapshot's start (first
    /// page only): what "Downloading 430,000 / 1,000,000" counts towards.
    pub const TOTAL: &str = "Pdsync-Total";
    /// Seconds to wait before retrying (429, 503, 409 in_progress).
    pub const RETRY_AFTER: &str = "Retry-After";
}

/// Media types of the protocol.
pub mod media {
    pub const JSON: &str = "application/json";
    pub const PROBLEM: &str = "application/problem+json";
    /// Snapshot pages: one JSON change per line.
    pub const NDJSON: &str = "application/x-ndjson";
}
