//! pdsync/1 over HTTP (`docs/sync/protocol.md`): one method per endpoint, blocking (the engine
//! runs on its own thread). HTTPS with the platform's certificate roots, so a corporate CA the
//! computer trusts works; plain `http://` only to this machine. Request bodies of 8 KiB or more
//! go gzip-compressed; answers are decompressed by reqwest. Errors come back as
//! [`SyncError::Problem`] with the server's problem document.

use std::io::Write;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use pdesk_core::sync::ServerTrust;
use pdesk_sync_proto::devices::{
    DeviceRegistered, RegisterDevice, ReplicaStatus, TokenIssued, TokenRequest,
};
use pdesk_sync_proto::hello::Hello;
use pdesk_sync_proto::problem::{Problem, ProblemCode};
use pdesk_sync_proto::pull::{Change, PullResponse};
use pdesk_sync_proto::push::{PushRequest, PushResponse};
use pdesk_sync_proto::{headers, limits, snapshot, PROTOCOL_VERSION};
use reqwest::blocking::{RequestBuilder, Response};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use crate::error::{SyncError, SyncResult};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// A long-poll may last `wait` seconds plus the server's jitter; the answer gets this on top.
const LONG_POLL_MARGIN: Duration = Duration::from_secs(15);

/// One page of the first download.
#[derive(Debug, Clone)]
pub struct SnapshotPage {
    pub changes: Vec<Change>,
    /// The cursor at the snapshot's start: the feed is read from it once the pages are done.
    pub watermark: String,
    /// Where the next page begins; `None` on the last page.
    pub next_after: Option<String>,
    /// How many profiles the server has, on the first page of a snapshot.
    pub total: Option<u64>,
}

/// A server's address, checked: `https://…`, or `http://` to this machine only.
pub fn checked_url(text: &str) -> SyncResult<Url> {
    let trimmed = text.trim().trim_end_matches('/');
    let url = Url::parse(trimmed).map_err(|e| {
        SyncError::BadAddress(format!(
            "“{trimmed}” is not a server address ({e}): write it as https://cdp.example.vn"
        ))
    })?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(SyncError::BadAddress(format!(
            "{trimmed} is plain http:// to another computer: customer data would cross the \
             network unencrypted. Use the server's https:// address"
        ))),
        other => Err(SyncError::BadAddress(format!(
            "{trimmed}: “{other}” is not a web address; use https://"
        ))),
    }
}

pub struct Client {
    http: reqwest::blocking::Client,
    base: String,
    session: String,
    requests: AtomicU64,
}

/// Another handle on the same connection pool and session (a watcher's long-poll runs on it
/// beside the rounds); its requests are numbered on from where this one is.
impl Clone for Client {
    fn clone(&self) -> Client {
        Client {
            http: self.http.clone(),
            base: self.base.clone(),
            session: self.session.clone(),
            requests: AtomicU64::new(self.requests.load(Ordering::Relaxed) + 1_000_000),
        }
    }
}

impl Client {
    /// A client of the server at `server_url`, trusting its certificate as `trust` says.
    pub fn new(server_url: &str, trust: &ServerTrust) -> SyncResult<Client> {
        let url = checked_url(server_url)?;
        // reqwest is built without a default crypto provider; ring is the one the server uses.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let builder = reqwest::blocking::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            // No redirects: a token is never sent anywhere but the server the user named.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("ProfileDesk/", env!("CARGO_PKG_VERSION")));
        let http = crate::trust::configure(builder, trust)?
            .build()
            .map_err(|e| SyncError::Network(format!("the HTTP client could not start: {e}")))?;
        Ok(Client {
            http,
            base: url.as_str().trim_end_matches('/').to_string(),
            session: uuid::Uuid::now_v7().simple().to_string()[20..].to_string(),
            requests: AtomicU64::new(0),
        })
    }

    /// The server's address as the store records it.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn request(&self, method: reqwest::Method, path: &str, access: Option<&str>) -> RequestBuilder {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        let mut r = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(headers::PROTOCOL, PROTOCOL_VERSION.to_string())
            .header(headers::REQUEST_ID, format!("pdesk-{}-{n}", self.session));
        if let Some(token) = access {
            r = r.bearer_auth(token);
        }
        r
    }

    fn with_json<T: serde::Serialize>(r: RequestBuilder, body: &T) -> SyncResult<RequestBuilder> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| SyncError::Protocol(format!("a request could not be written: {e}")))?;
        let r = r.header(reqwest::header::CONTENT_TYPE, pdesk_sync_proto::media::JSON);
        if bytes.len() < limits::GZIP_REQUEST_FROM_BYTES {
            return Ok(r.body(bytes));
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&bytes)
            .and_then(|_| gz.finish())
            .map(|zipped| {
                r.header(reqwest::header::CONTENT_ENCODING, "gzip")
                    .body(zipped)
            })
            .map_err(|e| SyncError::Protocol(format!("a request could not be compressed: {e}")))
    }

    fn send(r: RequestBuilder) -> SyncResult<Response> {
        let answer = r.send().map_err(|e| SyncError::Network(describe(&e)))?;
        if answer.status().is_success() {
            return Ok(answer);
        }
        Err(problem_of(answer))
    }

    fn json<T: DeserializeOwned>(answer: Response) -> SyncResult<T> {
        let bytes = answer
            .bytes()
            .map_err(|e| SyncError::Network(describe(&e)))?;
        serde_json::from_slice(&bytes)
            .map_err(|e| SyncError::Protocol(format!("not a pdsync/1 answer: {e}")))
    }

    /// `POST /v1/devices`: registers this device for `user`; answers its id and first refresh
    /// token.
    pub fn register(&self, body: &RegisterDevice) -> SyncResult<DeviceRegistered> {
        let r = Self::with_json(
            self.request(reqwest::Method::POST, "/v1/devices", None),
            body,
        )?;
        Self::json(Self::send(r)?)
    }

    /// `POST /v1/token`: an access token for a refresh token, which it spends (the answer
    /// carries the next one).
    pub fn token(&self, refresh_token: &str) -> SyncResult<TokenIssued> {
        let body = TokenRequest {
            refresh_token: refresh_token.to_string(),
        };
        let r = Self::with_json(
            self.request(reqwest::Method::POST, "/v1/token", None),
            &body,
        )?;
        Self::json(Self::send(r)?)
    }

    /// `DELETE /v1/devices/{id}`.
    pub fn revoke(&self, access: &str, device_id: &str) -> SyncResult<()> {
        let path = format!("/v1/devices/{device_id}");
        Self::send(self.request(reqwest::Method::DELETE, &path, Some(access)))?;
        Ok(())
    }

    pub fn hello(&self, access: &str) -> SyncResult<Hello> {
        Self::json(Self::send(self.request(
            reqwest::Method::GET,
            "/v1/hello",
            Some(access),
        ))?)
    }

    /// `GET /v1/replicas/{id}`: how far the server has one of this device's replicas (`None`:
    /// it has none of its ops).
    pub fn replica(&self, access: &str, id: &str) -> SyncResult<Option<ReplicaStatus>> {
        let path = format!("/v1/replicas/{id}");
        match Self::send(self.request(reqwest::Method::GET, &path, Some(access))) {
            Ok(answer) => Self::json(answer).map(Some),
            Err(e) if e.code() == Some(ProblemCode::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `GET /v1/profiles/{gid}`: the profile as the server has it now, with its consent events
    /// (`None`: it never had it).
    pub fn profile(
        &self,
        access: &str,
        gid: &str,
    ) -> SyncResult<Option<pdesk_sync_proto::pull::ProfileAnswer>> {
        let path = format!("/v1/profiles/{gid}");
        match Self::send(self.request(reqwest::Method::GET, &path, Some(access))) {
            Ok(answer) => Self::json(answer).map(Some),
            Err(e) if e.code() == Some(ProblemCode::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn push(&self, access: &str, batch: &PushRequest) -> SyncResult<PushResponse> {
        let r = self
            .request(reqwest::Method::POST, "/v1/push", Some(access))
            .header(headers::IDEMPOTENCY_KEY, uuid::Uuid::now_v7().to_string());
        Self::json(Self::send(Self::with_json(r, batch)?)?)
    }

    /// `GET /v1/pull`: the changes after `cursor`; with `wait` > 0 the server holds the request
    /// until something changes or `wait` seconds pass.
    pub fn pull(
        &self,
        access: &str,
        cursor: &str,
        limit: u32,
        wait: u32,
    ) -> SyncResult<PullResponse> {
        let r = self
            .request(reqwest::Method::GET, "/v1/pull", Some(access))
            .query(&[
                ("cursor", cursor.to_string()),
                ("limit", limit.to_string()),
                ("wait", wait.to_string()),
            ])
            .timeout(Duration::from_secs(u64::from(wait)) + LONG_POLL_MARGIN + REQUEST_TIMEOUT);
        Self::json(Self::send(r)?)
    }

    /// `GET /v1/snapshot`: one page of the server's profiles in gid order.
    pub fn snapshot(
        &self,
        access: &str,
        watermark: Option<&str>,
        after: Option<&str>,
        limit: u32,
    ) -> SyncResult<SnapshotPage> {
        let mut query = vec![
            (
                "watermark",
                watermark
                    .unwrap_or(pdesk_sync_proto::snapshot::SnapshotQuery::NEW)
                    .to_string(),
            ),
            ("limit", limit.to_string()),
        ];
        if let Some(after) = after {
            query.push(("after", after.to_string()));
        }
        let answer = Self::send(
            self.request(reqwest::Method::GET, "/v1/snapshot", Some(access))
                .query(&query),
        )?;
        let header = |name: &str| {
            answer
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let watermark = header(headers::WATERMARK).ok_or_else(|| {
            SyncError::Protocol("a snapshot page came without its watermark".into())
        })?;
        let next_after = header(headers::NEXT_AFTER);
        let total = header(headers::TOTAL).and_then(|t| t.parse().ok());
        let body = answer
            .text()
            .map_err(|e| SyncError::Network(describe(&e)))?;
        let changes = snapshot::decode_page(&body).map_err(SyncError::Protocol)?;
        Ok(SnapshotPage {
            changes,
            watermark,
            next_after,
            total,
        })
    }
}

/// A failed request in words, with its cause (reqwest's own message stops at "error sending
/// request").
fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    let mut certificate = false;
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        // rustls's error reaches here wrapped (hyper, an io::Error) under types this crate
        // does not name: its words are what stays stable ("invalid peer certificate: …").
        certificate |= cause.to_string().starts_with("invalid peer certificate");
        source = cause.source();
    }
    // A pinned key that did not match says so itself; other refusals get the way out.
    if certificate && !text.contains("not the pinned") {
        text.push_str(
            ". This computer does not trust the server's certificate: for a self-hosted server, \
             connect with its CA file or with the pin of its key (pdesk-server prints the pin \
             when it starts over HTTPS)",
        );
    }
    text
}

/// A non-2xx answer as the server's problem document, or one made from the status when the
/// body is not one (a proxy's error page).
fn problem_of(answer: Response) -> SyncError {
    let status = answer.status();
    let retry_after_ms = answer
        .headers()
        .get(headers::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| s * 1000);
    let body = answer.bytes().unwrap_or_default();
    let mut problem = serde_json::from_slice::<Problem>(&body).unwrap_or_else(|_| {
        let code = match status {
            StatusCode::UNAUTHORIZED => ProblemCode::TokenExpired,
            StatusCode::FORBIDDEN => ProblemCode::Forbidden,
            StatusCode::NOT_FOUND => ProblemCode::NotFound,
            StatusCode::PAYLOAD_TOO_LARGE => ProblemCode::PayloadTooLarge,
            StatusCode::TOO_MANY_REQUESTS => ProblemCode::RateLimited,
            StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::BAD_GATEWAY
            | StatusCode::GATEWAY_TIMEOUT => ProblemCode::Unavailable,
            s if s.is_server_error() => ProblemCode::Internal,
            _ => ProblemCode::Unknown,
        };
        let mut p = Problem::new(
            code,
            format!(
                "HTTP {status} without a pdsync/1 problem document: {}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            ),
        );
        p.status = status.as_u16();
        p.retryable = status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS;
        p
    });
    if problem.retry_after_ms.is_none() {
        problem.retry_after_ms = retry_after_ms;
    }
    SyncError::Problem(Box::new(problem))
}
