//! The OpenAPI 3.1 document of pdsync/1, derived from the types of this crate. The functions
//! below have no body that runs: they carry each endpoint's `#[utoipa::path]` (the server's
//! handlers live in `crates/server`). `document_json()` is what `docs/sync/pdsync-v1.json`
//! holds; `tests/openapi.rs` fails when the committed file differs.

#![allow(dead_code)]

use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, Required};
use utoipa::{Modify, OpenApi};

use crate::buckets::{BucketEntry, BucketPage, BucketQuery};
use crate::cursor::Cursor;
use crate::devices::{DeviceRegistered, RegisterDevice, ReplicaStatus, TokenIssued, TokenRequest};
use crate::hello::RuleConfig;
use crate::hello::{ConfigSummary, Hello, HelloDevice, HelloUser, Limits, ProtocolRange};
use crate::links::{CreateLink, LinkCreated, LinkKind, LinkedObject};
use crate::problem::{Problem, ProblemCode};
use crate::profile::{ConsentEvent, ConsentStatus, EmailItem, MatchKey, PhoneItem};
use crate::profile::{ProfileFields, ProfileState, TagItem};
use crate::pull::{Change, ChangeOrigin, Checksums, ConfigChange, ConflictChange, ConflictState};
use crate::pull::{
    ConsentChange, Cseq, ItemStatus, ProfileAnswer, ProfileChange, PullQuery, PullResponse,
};
use crate::pull::{ReviewChange, ReviewState, Tombstone};
use crate::push::*;
use crate::snapshot::SnapshotQuery;
use crate::Hlc;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "pdsync/1",
        description = "The sync protocol between Profile Desk and a remote CDP server. Human \
                       page: docs/sync/protocol.md. Every request carries `Pdsync-Protocol: 1`; \
                       errors are RFC 9457 application/problem+json; unknown fields are \
                       ignored (additive changes within v1).",
        version = "1",
        license(name = "MIT"),
    ),
    paths(
        register_device, revoke_device, token, replica, profile, hello, push, pull, snapshot, bucket,
        create_link
    ),
    components(schemas(
        Problem, ProblemCode, Hlc, Cursor,
        RegisterDevice, DeviceRegistered, TokenRequest, TokenIssued, ReplicaStatus,
        Hello, ProtocolRange, Limits, ConfigSummary, RuleConfig, HelloUser, HelloDevice,
        PushRequest, Op, OpBody, Origin, OriginSource, ProfileCreate, ProfileUpdate, FieldSet,
        ListAdds, ListRemoves, Removal, ProfileDelete, ProfileMerge, ConsentRecord,
        ReviewResolve, ReviewDecision, ConflictResolve, ConflictChoice,
        PushResponse, OpResult, Outcome, Applied, Merged, ReviewOpened, Duplicate, Rejected,
        RejectCode, FieldConflict,
        PullResponse, Change, Cseq, ProfileChange, ProfileAnswer, ChangeOrigin, Tombstone, ConsentChange,
        ReviewChange, ReviewState, ItemStatus, ConflictChange, ConflictState, ConfigChange,
        Checksums, BucketPage, BucketEntry,
        ProfileFields, PhoneItem, EmailItem, TagItem, ConsentEvent, ConsentStatus, MatchKey,
        ProfileState, LinkedObject, LinkKind, CreateLink, LinkCreated,
    )),
    modifiers(&BearerAuth, &ProtocolHeader),
    security(("bearer" = [])),
    tags((name = "devices"), (name = "sync"), (name = "links")),
)]
pub struct Pdsync;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every request carries `Pdsync-Protocol: 1` (a contract tester then sends it too).
struct ProtocolHeader;

impl Modify for ProtocolHeader {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let header = ParameterBuilder::new()
            .name(crate::headers::PROTOCOL)
            .parameter_in(ParameterIn::Header)
            .required(Required::True)
            .description(Some(
                "The protocol version; outside hello.protocol → 400 unsupported_protocol",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some([crate::PROTOCOL_VERSION.to_string()])),
            ))
            .build();
        for item in openapi.paths.paths.values_mut() {
            item.parameters
                .get_or_insert_with(Vec::new)
                .push(RefOr::T(header.clone()));
        }
    }
}

/// The document as `docs/sync/pdsync-v1.json` holds it: pretty JSON, keys in a stable order,
/// ending with a newline.
pub fn document_json() -> String {
    let mut text = Pdsync::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    text.push('\n');
    text
}

/// Link a new CRM object (account, opportunity, ticket, task) to a live profile; clients get
/// it inside the profile's state (the profile's `rev` rises).
#[utoipa::path(
    post, path = "/v1/links", tag = "links",
    request_body = CreateLink,
    responses(
        (status = 201, description = "Linked", body = LinkCreated),
        (status = 400, description = "malformed", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "token_expired, invalid_credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "forbidden, device_revoked", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found (no live profile with that gid)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited", body = Problem, content_type = "application/problem+json"),
    )
)]
fn create_link() {}

/// Register a device with the user's password; answers the refresh token once.
#[utoipa::path(
    post, path = "/v1/devices", tag = "devices", security(()),
    request_body = RegisterDevice,
    responses(
        (status = 201, description = "Registered", body = DeviceRegistered),
        (status = 400, description = "malformed", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "invalid_credentials", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited", body = Problem, content_type = "application/problem+json"),
    )
)]
fn register_device() {}

/// Revoke a device (an administrator, or the device's own user).
#[utoipa::path(
    delete, path = "/v1/devices/{id}", tag = "devices",
    params(("id" = String, Path, description = "The device id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "token_expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "forbidden, device_revoked", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found", body = Problem, content_type = "application/problem+json"),
    )
)]
fn revoke_device() {}

/// Trade a refresh token for an access token (15 min); the refresh token rotates.
#[utoipa::path(
    post, path = "/v1/token", tag = "devices", security(()),
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Issued", body = TokenIssued),
        (status = 400, description = "malformed", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "refresh_reused (device revoked), invalid_credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "device_revoked", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited", body = Problem, content_type = "application/problem+json"),
    )
)]
fn token() {}

/// How far the server has a replica's ops (after `epoch_changed`).
#[utoipa::path(
    get, path = "/v1/replicas/{id}", tag = "sync",
    params(("id" = String, Path, description = "A replica id the calling device used")),
    responses(
        (status = 200, description = "The replica's last seq", body = ReplicaStatus),
        (status = 401, description = "token_expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "device_revoked", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found (unknown, or another device's)", body = Problem, content_type = "application/problem+json"),
    )
)]
fn replica() {}

/// One profile as the server has it now: its state with its consent events, or its tombstone
/// (what a device goes back to when it discards a change the server refused).
#[utoipa::path(
    get, path = "/v1/profiles/{gid}", tag = "sync",
    params(("gid" = String, Path, description = "The profile's gid")),
    responses(
        (status = 200, description = "The profile as a pull would deliver it, with its consent events", body = ProfileAnswer),
        (status = 401, description = "token_expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "device_revoked", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found (the server never had it)", body = Problem, content_type = "application/problem+json"),
    )
)]
fn profile() {}

/// Protocol range, epoch, limits, settings, the user's permissions, server time and HLC.
#[utoipa::path(
    get, path = "/v1/hello", tag = "sync",
    responses(
        (status = 200, description = "Hello", body = Hello),
        (status = 400, description = "unsupported_protocol", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "token_expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "device_revoked", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
fn hello() {}

/// Push a batch of one replica's ops; one result per op.
#[utoipa::path(
    post, path = "/v1/push", tag = "sync",
    request_body = PushRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "The batch's UUID (logs)")),
    responses(
        (status = 200, description = "One result per op sent, in order", body = PushResponse),
        (status = 400, description = "malformed, unsupported_protocol", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "token_expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "device_revoked", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "in_progress (Retry-After: 1), seq_gap (expected), epoch_changed", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large, too_many_ops", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "unsupported_media_type", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "seq_reused", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited", body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "internal: outcome unknown, retry the same ops", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
fn push() {}

/// Changes since the cursor, compacted; long-polls up to `wait` seconds when nothing is new.
#[utoipa::path(
    get, path = "/v1/pull", tag = "sync",
    params(PullQuery),
    responses(
        (status = 200, description = "A page of changes", body = PullResponse),
        (status = 400, description = "malformed (a cursor the server did not issue)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "token_expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "device_revoked", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "epoch_changed", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "cursor_expired: push everything, then re-snapshot", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
fn pull() {}

/// A resumable page of current profiles in gid order, as NDJSON (one `Change` per line).
#[utoipa::path(
    get, path = "/v1/snapshot", tag = "sync",
    params(SnapshotQuery),
    responses(
        (status = 200, description = "NDJSON: one profile or consent change per line",
         content_type = "application/x-ndjson", body = Change,
         headers(
             ("Pdsync-Watermark" = String, description = "The cursor at the snapshot's start: pull from it when the pages are done"),
             ("Pdsync-Next-After" = String, description = "The `after` of the next page; absent on the last page"),
             ("Pdsync-Total" = u64, description = "First page only: how many live profiles the server holds at the snapshot's start"),
         )),
        (status = 400, description = "malformed (a watermark the server did not issue)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "token_expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "device_revoked", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "epoch_changed", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "cursor_expired (the watermark is too old): start again with watermark=new", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited", body = Problem, content_type = "application/problem+json"),
    )
)]
fn snapshot() {}

/// The `(gid, rev)` of a bucket's live profiles, for anti-entropy.
#[utoipa::path(
    get, path = "/v1/buckets/{b}", tag = "sync",
    params(("b" = u32, Path, description = "Bucket, 0..=255"), BucketQuery),
    responses(
        (status = 200, description = "A page of the bucket", body = BucketPage),
        (status = 400, description = "malformed (bucket out of range, bad cursor)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "token_expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "device_revoked", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "epoch_changed", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited", body = Problem, content_type = "application/problem+json"),
    )
)]
fn bucket() {}
