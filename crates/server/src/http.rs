//! The HTTP face of pdsync/1 (axum): every route of `docs/sync/protocol.md`, the checks every
//! request passes (the `Pdsync-Protocol` header, the bearer token, the rate limit, body size
//! before and after gzip), problem+json answers, the long-poll, `/metrics`, and one log line
//! per request with ids and counts only — never a name, phone or e-mail.

// A refusal is answered at once as problem+json: the size of the error on that cold path does
// not matter, and boxing every `Problem` would only add noise.
#![allow(clippy::result_large_err)]

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use pdesk_sync_proto::buckets::BucketQuery;
use pdesk_sync_proto::cursor::Cursor;
use pdesk_sync_proto::devices::{RegisterDevice, ReplicaStatus, TokenRequest};
use pdesk_sync_proto::hello::{
    ConfigSummary, Hello, HelloDevice, HelloUser, Limits, ProtocolRange,
};
use pdesk_sync_proto::pull::{Checksums, PullQuery, PullResponse};
use pdesk_sync_proto::push::PushRequest;
use pdesk_sync_proto::snapshot::SnapshotQuery;
use pdesk_sync_proto::{headers, limits, media, Hlc, Problem, ProblemCode, PROTOCOL_VERSION};
use rand::Rng;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::watch;

use crate::accounts::{self, Session};
use crate::clock::{rfc3339, Clock};
use crate::config::ServerConfig;
use crate::db::{Database, Val};
use crate::error::ServerError;
use crate::shared_pages::SharedPages;
use crate::{feed, meta, push, read};

/// What the watcher of outside commits saw last: the feed's heads and the commit generation.
#[derive(Debug, Default)]
pub struct OutsideCommits {
    last: Option<(Vec<u64>, u64)>,
}

/// What every handler shares.
pub struct Server {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    hlc: Mutex<Hlc>,
    /// Bumped after every commit that added to the feed: wakes the long-polls.
    commits: watch::Sender<u64>,
    /// Replicas with a push in flight (a second one at once is `409 in_progress`).
    pushing: Mutex<HashSet<String>>,
    rates: Mutex<HashMap<String, Rate>>,
    /// Page reads (pull, snapshot, buckets) running at once. Two hundred devices woken by one
    /// commit would otherwise run two hundred reads at once — each on a thread and a
    /// connection of its own — and starve the writer; beyond the cores, more at once only adds
    /// memory.
    reads: tokio::sync::Semaphore,
    /// The small reads of every request (the token check, hello) running at once: bounded as
    /// well, but apart from page reads, so a push's token check never queues behind pages.
    checks: tokio::sync::Semaphore,
    /// The token checks of pushes, apart from all others: when 200 long-polls wake at once,
    /// their 200 token checks queue up, and a push waiting behind them took 0.4–1.6 s
    /// (measured: every push over 100 ms of a 30 s load fell in those seconds).
    push_checks: tokio::sync::Semaphore,
    /// Password checks running at once (each Argon2id: 19 MiB, tens of milliseconds).
    signing: tokio::sync::Semaphore,
    /// Pull pages shared by the long-polls that ask for the same one.
    pages: SharedPages<PullResponse>,
    /// When each device's last long-poll was answered: the next one answers no sooner than
    /// `LONG_POLL_GATHER` later (see `pull_handler`).
    answered: Mutex<HashMap<String, Instant>>,
    pub metrics: Metrics,
}

/// Token checks and hellos running at once (each a millisecond or less).
const CHECKS_AT_ONCE: usize = 8;
/// Pushes' token checks running at once (a replica pushes one batch at a time).
const PUSH_CHECKS_AT_ONCE: usize = 4;

/// How long a woken long-poll gathers further commits before it answers: with 50 pushes a
/// second, each device then reads one page of a half-second's changes instead of fifty pages
/// of one change (a colleague's change arrives at most this much later).
const LONG_POLL_GATHER: Duration = Duration::from_millis(500);

#[derive(Default)]
pub struct Metrics {
    pub requests: AtomicU64,
    pub pushes: AtomicU64,
    pub ops: AtomicU64,
    pub push_micros: AtomicU64,
    pub pulls: AtomicU64,
    pub rate_limited: AtomicU64,
    pub problems: AtomicU64,
}

/// A token bucket per access token: requests (20/s, burst 40) and pushes (5/s).
struct Rate {
    tokens: f64,
    pushes: f64,
    at_ms: u64,
}

impl Server {
    pub fn new(db: Database, clock: Arc<dyn Clock>) -> Arc<Server> {
        let now = clock.now_ms();
        Arc::new(Server {
            db,
            hlc: Mutex::new(Hlc::new(now, 0).unwrap_or_default()),
            clock,
            commits: watch::channel(0).0,
            pushing: Mutex::new(HashSet::new()),
            rates: Mutex::new(HashMap::new()),
            reads: tokio::sync::Semaphore::new(
                2 * std::thread::available_parallelism().map_or(2, |n| n.get()),
            ),
            checks: tokio::sync::Semaphore::new(CHECKS_AT_ONCE),
            push_checks: tokio::sync::Semaphore::new(PUSH_CHECKS_AT_ONCE),
            signing: tokio::sync::Semaphore::new(2),
            pages: SharedPages::default(),
            answered: Mutex::new(HashMap::new()),
            metrics: Metrics::default(),
        })
    }

    /// Wakes the long-polls for commits made outside this process — an administrator's
    /// `pdesk-server link add` or `config set` on the database the server runs on — which the
    /// server's own commits do not announce: every `every`, one [`Server::look_for_outside_commits`].
    /// (Without it, a pull page shared within its commit generation hid such a change until the
    /// next push.)
    pub async fn watch_outside_commits(self: Arc<Self>, every: Duration) {
        let mut seen = OutsideCommits::default();
        loop {
            self.look_for_outside_commits(&mut seen).await;
            tokio::time::sleep(every).await;
        }
    }

    /// Reads the feed's heads: heads that moved while no commit of this server was announced
    /// are someone else's, and the long-polls wake. Answers whether they did.
    pub async fn look_for_outside_commits(self: &Arc<Self>, seen: &mut OutsideCommits) -> bool {
        let generation = *self.commits.borrow();
        let s = self.clone();
        let Ok(heads) = blocking(move || Ok(s.db.read(feed::heads)?)).await else {
            return false;
        };
        let outside = seen
            .last
            .as_ref()
            .is_some_and(|(h, g)| *h != heads && *g == generation);
        if outside {
            self.commits.send_modify(|n| *n += 1);
        }
        seen.last = Some((heads, *self.commits.borrow()));
        outside
    }

    /// The server's HLC, moved to `max(own, now)`, and any HLC seen in a request.
    fn tick(&self, seen: Option<Hlc>) -> Hlc {
        let now = self.clock.now_ms();
        let mut hlc = self.hlc.lock().unwrap_or_else(|p| p.into_inner());
        let next = match seen {
            Some(remote) if remote.wall_ms() <= now + limits::MAX_CLOCK_AHEAD_MS => {
                hlc.observe(remote, now)
            }
            _ => hlc.tick(now),
        };
        if let Some(next) = next {
            *hlc = next;
        }
        *hlc
    }

    fn rate_limit(&self, token: &str, is_push: bool) -> Result<(), Problem> {
        let now = self.clock.now_ms();
        let mut rates = self.rates.lock().unwrap_or_else(|p| p.into_inner());
        let rate = rates.entry(token.to_string()).or_insert(Rate {
            tokens: f64::from(limits::RATE_BURST),
            pushes: f64::from(limits::RATE_PUSHES_PER_SEC),
            at_ms: now,
        });
        let secs = now.saturating_sub(rate.at_ms) as f64 / 1000.0;
        rate.at_ms = now;
        rate.tokens = (rate.tokens + secs * f64::from(limits::RATE_REQUESTS_PER_SEC))
            .min(f64::from(limits::RATE_BURST));
        rate.pushes = (rate.pushes + secs * f64::from(limits::RATE_PUSHES_PER_SEC))
            .min(f64::from(limits::RATE_PUSHES_PER_SEC));
        let short = rate.tokens < 1.0 || (is_push && rate.pushes < 1.0);
        if short {
            self.metrics.rate_limited.fetch_add(1, Ordering::Relaxed);
            return Err(Problem::new(
                ProblemCode::RateLimited,
                format!(
                    "more than {} requests a second (or {} pushes) on this token: wait and retry",
                    limits::RATE_REQUESTS_PER_SEC,
                    limits::RATE_PUSHES_PER_SEC
                ),
            )
            .retry_after_ms(1000));
        }
        rate.tokens -= 1.0;
        if is_push {
            rate.pushes -= 1.0;
        }
        Ok(())
    }
}

/// The router of every pdsync/1 route and `/metrics`.
pub fn router(server: Arc<Server>) -> Router {
    Router::new()
        .route("/v1/devices", post(register_device))
        .route("/v1/devices/{id}", delete(revoke_device))
        .route("/v1/token", post(token))
        .route("/v1/links", post(create_link))
        .route("/v1/replicas/{id}", get(replica))
        .route("/v1/profiles/{gid}", get(profile))
        .route("/v1/hello", get(hello))
        .route("/v1/push", post(push_handler))
        .route("/v1/pull", get(pull_handler))
        .route("/v1/snapshot", get(snapshot_handler))
        .route("/v1/buckets/{b}", get(bucket_handler))
        .route("/metrics", get(metrics_handler))
        .fallback(not_found)
        .with_state(server)
}

/// A problem as its HTTP answer.
pub fn problem_response(problem: Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let retry = problem.retry_after_ms;
    let body = serde_json::to_vec(&problem).expect("a problem serialises");
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media::PROBLEM),
    );
    if let Some(ms) = retry {
        let secs = ms.div_ceil(1000).max(1);
        response
            .headers_mut()
            .insert(headers::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

fn json_response<T: Serialize>(status: StatusCode, value: &T) -> Response {
    let body = serde_json::to_vec(value).expect("an answer serialises");
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media::JSON));
    response
}

type Answer = Result<Response, Problem>;

fn finish(
    server: &Server,
    route: &str,
    started: Instant,
    device: Option<&str>,
    answer: Answer,
) -> Response {
    server.metrics.requests.fetch_add(1, Ordering::Relaxed);
    let response = answer.unwrap_or_else(|problem| {
        server.metrics.problems.fetch_add(1, Ordering::Relaxed);
        problem_response(problem)
    });
    // One line per request: route, status, time, device id. No personal data. A closed stderr
    // (a service manager that drops it) must not fail the request: the write error is ignored.
    let _ = writeln!(
        std::io::stderr().lock(),
        "{{\"at\":\"{}\",\"route\":\"{route}\",\"status\":{},\"ms\":{},\"device\":{}}}",
        rfc3339(server.clock.now_ms()),
        response.status().as_u16(),
        started.elapsed().as_millis(),
        device.map_or("null".to_string(), |d| format!("\"{d}\""))
    );
    response
}

async fn not_found() -> Response {
    problem_response(Problem::new(
        ProblemCode::NotFound,
        "there is no such pdsync/1 route: see docs/sync/protocol.md",
    ))
}

fn check_protocol(headers: &HeaderMap) -> Result<(), Problem> {
    let version = headers
        .get(headers::PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u32>().ok());
    match version {
        Some(PROTOCOL_VERSION) => Ok(()),
        Some(v) => Err(Problem::new(
            ProblemCode::UnsupportedProtocol,
            format!("this server speaks pdsync/{PROTOCOL_VERSION}, not {v}: update the app"),
        )),
        None => Err(Problem::new(
            ProblemCode::UnsupportedProtocol,
            format!("send the header {}: {PROTOCOL_VERSION}", headers::PROTOCOL),
        )),
    }
}

/// Blocking database work holding one of `slots` (the bounds of `Server`: page reads, token
/// checks, password checks) while it runs.
async fn bounded<T: Send + 'static>(
    slots: &tokio::sync::Semaphore,
    f: impl FnOnce() -> Result<T, ServerError> + Send + 'static,
) -> Result<T, Problem> {
    let _slot = slots
        .acquire()
        .await
        .expect("the semaphore is never closed");
    blocking(f).await
}

/// Runs blocking database work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ServerError> + Send + 'static,
) -> Result<T, Problem> {
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result.map_err(|e| {
            if let ServerError::Db(db) = &e {
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "{{\"error\":\"storage\",\"detail\":{:?}}}",
                    db.message
                );
            }
            e.into_problem()
        }),
        Err(_) => Err(Problem::new(
            ProblemCode::Internal,
            "the request's worker stopped",
        )),
    }
}

fn bearer(headers: &HeaderMap) -> Result<String, Problem> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Problem::new(
                ProblemCode::InvalidCredentials,
                "send Authorization: Bearer <access token> (POST /v1/token gives one)",
            )
        })
}

/// The protocol header, the token, the rate limit: the session a request runs for.
async fn session(
    server: &Arc<Server>,
    headers: &HeaderMap,
    is_push: bool,
) -> Result<Session, Problem> {
    check_protocol(headers)?;
    let token = bearer(headers)?;
    server.rate_limit(&crate::ids::sha256_hex(token.as_bytes()), is_push)?;
    let s = server.clone();
    let slots = if is_push {
        &server.push_checks
    } else {
        &server.checks
    };
    bounded(slots, move || {
        let now = s.clock.now_ms();
        s.db.read(|sql| accounts::authenticate(sql, &token, now))
    })
    .await
}

/// A JSON request body: `application/json`, at most 1 MiB as sent and 8 MiB inflated.
async fn json_body<T: DeserializeOwned>(headers: &HeaderMap, body: Body) -> Result<T, Problem> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with(media::JSON) {
        return Err(Problem::new(
            ProblemCode::UnsupportedMediaType,
            format!("send the body as {} (Content-Type)", media::JSON),
        ));
    }
    let too_large = |what: &str, limit: usize| {
        let mut p = Problem::new(
            ProblemCode::PayloadTooLarge,
            format!("the body is larger than {limit} bytes {what}: send fewer ops per push"),
        );
        p.limit = Some(limit as u64);
        p
    };
    let bytes: Bytes = axum::body::to_bytes(body, limits::MAX_BODY_BYTES)
        .await
        .map_err(|_| too_large("as sent", limits::MAX_BODY_BYTES))?;
    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity");
    let inflated: Vec<u8> = match encoding {
        "gzip" => {
            let mut out = Vec::new();
            let cap = limits::MAX_INFLATED_BODY_BYTES as u64;
            flate2::read::GzDecoder::new(&bytes[..])
                .take(cap + 1)
                .read_to_end(&mut out)
                .map_err(|e| {
                    Problem::new(
                        ProblemCode::Malformed,
                        format!("the gzip body does not inflate: {e}"),
                    )
                })?;
            if out.len() as u64 > cap {
                return Err(too_large(
                    "after decompression",
                    limits::MAX_INFLATED_BODY_BYTES,
                ));
            }
            out
        }
        "identity" => bytes.to_vec(),
        other => {
            return Err(Problem::new(
                ProblemCode::UnsupportedMediaType,
                format!("Content-Encoding {other} is not accepted: send gzip or nothing"),
            ))
        }
    };
    serde_json::from_slice(&inflated).map_err(|e| {
        Problem::new(
            ProblemCode::Malformed,
            format!("the body is not a pdsync/1 request: {e}"),
        )
    })
}

async fn register_device(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let answer = async {
        check_protocol(&headers)?;
        let request: RegisterDevice = json_body(&headers, body).await?;
        // The password check (Argon2id) runs in a read, a few at a time: outside the writer,
        // so sign-ins never hold up pushes, and with bounded memory.
        let (s, asked) = (server.clone(), request.clone());
        let user_id = bounded(&server.signing, move || {
            s.db.read(|sql| accounts::check_credentials(sql, &asked))
        })
        .await?;
        let s = server.clone();
        let registered = blocking(move || {
            let now = s.clock.now_ms();
            s.db.write(|sql| accounts::add_device(sql, &user_id, &request, now))
        })
        .await?;
        Ok(json_response(StatusCode::CREATED, &registered))
    }
    .await;
    finish(&server, "devices.register", started, None, answer)
}

async fn token(State(server): State<Arc<Server>>, headers: HeaderMap, body: Body) -> Response {
    let started = Instant::now();
    let answer = async {
        check_protocol(&headers)?;
        let request: TokenRequest = json_body(&headers, body).await?;
        let s = server.clone();
        let issued = blocking(move || {
            let now = s.clock.now_ms();
            s.db.write(|sql| {
                accounts::refresh(sql, &request.refresh_token, now).map_err(ServerError::from)
            })?
        })
        .await?;
        Ok(json_response(StatusCode::OK, &issued))
    }
    .await;
    finish(&server, "token", started, None, answer)
}

async fn create_link(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let mut device = None;
    let answer = async {
        let session = session(&server, &headers, false).await?;
        device = Some(session.device_id.clone());
        if !session.can("profile.edit") {
            let mut problem = Problem::new(
                ProblemCode::Forbidden,
                format!(
                    "You do not have permission to edit profiles (role {})",
                    session.role
                ),
            );
            problem.permission = Some("profile.edit".into());
            return Err(problem);
        }
        let request: pdesk_sync_proto::links::CreateLink = json_body(&headers, body).await?;
        let s = server.clone();
        let (created, _) = blocking(move || {
            let now = s.clock.now_ms();
            s.db.write(|sql| crate::links::create(sql, &request, now))
        })
        .await?;
        server.commits.send_modify(|n| *n += 1);
        Ok(json_response(StatusCode::CREATED, &created))
    }
    .await;
    finish(&server, "links", started, device.as_deref(), answer)
}

async fn revoke_device(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let started = Instant::now();
    let answer = async {
        let session = session(&server, &headers, false).await?;
        let s = server.clone();
        blocking(move || {
            let now = s.clock.now_ms();
            s.db.write(|sql| accounts::revoke_by(sql, &session, &id, now))
        })
        .await?;
        Ok(StatusCode::NO_CONTENT.into_response())
    }
    .await;
    finish(&server, "devices.revoke", started, None, answer)
}

async fn replica(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let started = Instant::now();
    let answer = async {
        let session = session(&server, &headers, false).await?;
        let s = server.clone();
        let status = bounded(&server.checks, move || {
            s.db.read(|sql| {
                let row = sql.query_opt(
                    "SELECT last_seq FROM replicas WHERE id = $1 AND device_id = $2",
                    &[id.as_str().into(), session.device_id.as_str().into()],
                )?;
                row.map(|r| ReplicaStatus { last_seq: r.u64(0) })
                    .ok_or_else(|| {
                        ServerError::new(
                            ProblemCode::NotFound,
                            "this device has no replica with that id",
                        )
                    })
            })
        })
        .await?;
        Ok(json_response(StatusCode::OK, &status))
    }
    .await;
    finish(&server, "replicas", started, None, answer)
}

/// One profile as the server has it now (state or tombstone): what a device goes back to when
/// it discards a change the server refused.
async fn profile(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    Path(gid): Path<String>,
) -> Response {
    let started = Instant::now();
    let mut device = None;
    let answer = async {
        let session = session(&server, &headers, false).await?;
        device = Some(session.device_id.clone());
        let s = server.clone();
        let change = bounded(&server.checks, move || {
            s.db.read(|sql| {
                read::profile(sql, &gid)?.ok_or_else(|| {
                    ServerError::new(ProblemCode::NotFound, "the server has no such profile")
                })
            })
        })
        .await?;
        Ok(json_response(StatusCode::OK, &change))
    }
    .await;
    finish(&server, "profiles", started, device.as_deref(), answer)
}

async fn hello(State(server): State<Arc<Server>>, headers: HeaderMap) -> Response {
    let started = Instant::now();
    let answer = async {
        let session = session(&server, &headers, false).await?;
        let s = server.clone();
        let device = session.device_id.clone();
        let (epoch, config, replica) = bounded(&server.checks, move || {
            s.db.read(|sql| {
                let epoch = meta::epoch(sql)?;
                let config = ServerConfig::load(sql)?;
                let replica = sql.query_opt(
                    "SELECT id, last_seq FROM replicas WHERE device_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
                    &[Val::from(device.as_str())],
                )?;
                Ok::<_, ServerError>((epoch, config, replica.map(|r| (r.text(0), r.u64(1)))))
            })
        })
        .await?;
        let now = server.clock.now_ms();
        let hello = Hello {
            protocol: ProtocolRange {
                min: PROTOCOL_VERSION,
                max: PROTOCOL_VERSION,
            },
            server_epoch: epoch,
            server_time: rfc3339(now),
            hlc: server.tick(None),
            limits: Limits::V1,
            config: ConfigSummary {
                version: config.version,
                rule: config.rule(),
                catalog_version: config.catalog_version,
                channels_version: config.channels_version,
            },
            user: HelloUser {
                id: session.user_id.clone(),
                roles: vec![session.role.clone()],
                permissions: session.permissions().iter().map(|p| p.to_string()).collect(),
            },
            device: HelloDevice {
                id: session.device_id.clone(),
                last_seq: replica.as_ref().map_or(0, |(_, seq)| *seq),
                replica: replica.map(|(id, _)| id),
            },
        };
        Ok(json_response(StatusCode::OK, &hello))
    }
    .await;
    finish(&server, "hello", started, None, answer)
}

/// Releases a replica's in-flight mark when the push ends, however it ends.
struct InFlight<'a>(&'a Server, String);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0
            .pushing
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.1);
    }
}

async fn push_handler(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let mut device = None;
    let answer = async {
        let session = session(&server, &headers, true).await?;
        device = Some(session.device_id.clone());
        let request: PushRequest = json_body(&headers, body).await?;
        let fresh = server
            .pushing
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(request.replica.clone());
        if !fresh {
            return Err(Problem::new(
                ProblemCode::InProgress,
                "another push of this replica is being processed: retry the same ops in a second",
            )
            .retry_after_ms(1000));
        }
        let _in_flight = InFlight(&server, request.replica.clone());
        let seen = request.ops.iter().map(|op| op.hlc).max();
        let hlc = server.tick(seen);
        let ops = request.ops.len() as u64;
        let s = server.clone();
        let done = blocking(move || {
            let now = s.clock.now_ms();
            s.db.write(|sql| push::push(sql, &session, &request, hlc, now))
        })
        .await?;
        if !done.touched.is_empty() {
            server.commits.send_modify(|n| *n += 1);
        }
        server.metrics.pushes.fetch_add(1, Ordering::Relaxed);
        server.metrics.ops.fetch_add(ops, Ordering::Relaxed);
        server
            .metrics
            .push_micros
            .fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
        Ok(json_response(StatusCode::OK, &done.response))
    }
    .await;
    finish(&server, "push", started, device.as_deref(), answer)
}

fn query<T: DeserializeOwned>(map: HashMap<String, String>) -> Result<T, Problem> {
    serde_json::from_value(serde_json::to_value(map).expect("a map serialises")).map_err(|e| {
        Problem::new(
            ProblemCode::Malformed,
            format!("the query string does not read: {e}"),
        )
    })
}

fn number_query<T: DeserializeOwned>(
    map: HashMap<String, String>,
    numbers: &[&str],
) -> Result<T, Problem> {
    let mut object = serde_json::Map::new();
    for (k, v) in map {
        let value = if numbers.contains(&k.as_str()) {
            v.parse::<u64>().map(serde_json::Value::from).map_err(|_| {
                Problem::new(
                    ProblemCode::Malformed,
                    format!("{k} must be a whole number"),
                )
            })?
        } else {
            serde_json::Value::String(v)
        };
        object.insert(k, value);
    }
    serde_json::from_value(serde_json::Value::Object(object)).map_err(|e| {
        Problem::new(
            ProblemCode::Malformed,
            format!("the query string does not read: {e}"),
        )
    })
}

async fn pull_handler(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    Query(raw): Query<HashMap<String, String>>,
) -> Response {
    let started = Instant::now();
    let mut device = None;
    let answer = async {
        let session = session(&server, &headers, false).await?;
        device = Some(session.device_id.clone());
        let q: PullQuery = number_query(raw, &["limit", "wait"])?;
        let wait = Duration::from_secs(q.wait_secs().into());
        let mut commits = server.commits.subscribe();
        let deadline = Instant::now()
            + wait
            + if wait.is_zero() {
                Duration::ZERO
            } else {
                Duration::from_millis(
                    rand::rng().random_range(0..u64::from(limits::LONG_POLL_JITTER_MS)),
                )
            };
        // A device that is kept busy by a stream of commits reads at most one long-poll page
        // per gathering window: with 50 pushes a second, 200 devices would otherwise each read
        // as fast as they can, every read a little different from the others'.
        if !wait.is_zero() {
            let last = server
                .answered
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&session.device_id)
                .copied();
            if let Some(next) = last.map(|at| at + LONG_POLL_GATHER) {
                let now = Instant::now();
                if next > now {
                    tokio::time::sleep(next.min(deadline) - now).await;
                }
            }
        }
        loop {
            let generation = *commits.borrow_and_update();
            let limit = q.page_size();
            let read_page = || {
                let s = server.clone();
                let cursor = Cursor(q.cursor.clone());
                bounded(&server.reads, move || {
                    s.db.read(|sql| {
                        let from = read::position(sql, &cursor)?;
                        let page = read::pull(sql, &from, limit)?;
                        let sums = if page.has_more {
                            None
                        } else {
                            Some(feed::bucket_sums(sql)?)
                        };
                        Ok::<_, ServerError>(PullResponse {
                            changes: page.changes,
                            cursor: page.cursor.encode(),
                            has_more: page.has_more,
                            checksums: sums.map(|s| Checksums::from_sums(&s)),
                        })
                    })
                })
            };
            // A pull that does not wait ("Sync now") never takes an empty page from the
            // cache: a change written beside the server (an administrator's `link add`) does
            // not move the generation until the watcher sees it (decision 47).
            let page = server
                .pages
                .get_with(
                    generation,
                    server.clock.now_ms(),
                    &q.cursor,
                    limit,
                    !wait.is_zero(),
                    |page| !page.changes.is_empty(),
                    read_page,
                )
                .await?;
            let now = Instant::now();
            let idle = page.changes.is_empty() && !page.has_more && now < deadline;
            if idle
                && tokio::time::timeout(deadline - now, commits.changed())
                    .await
                    .is_ok()
            {
                let gather =
                    LONG_POLL_GATHER.min(deadline.saturating_duration_since(Instant::now()));
                tokio::time::sleep(gather).await;
                continue;
            }
            server.metrics.pulls.fetch_add(1, Ordering::Relaxed);
            if !wait.is_zero() {
                let mut answered = server.answered.lock().unwrap_or_else(|p| p.into_inner());
                if answered.len() > 100_000 {
                    answered.retain(|_, at| at.elapsed() < LONG_POLL_GATHER);
                }
                answered.insert(session.device_id.clone(), Instant::now());
            }
            return Ok(json_response(StatusCode::OK, &*page));
        }
    }
    .await;
    finish(&server, "pull", started, device.as_deref(), answer)
}

async fn snapshot_handler(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    Query(raw): Query<HashMap<String, String>>,
) -> Response {
    let started = Instant::now();
    let mut device = None;
    let answer = async {
        let session = session(&server, &headers, false).await?;
        device = Some(session.device_id.clone());
        let q: SnapshotQuery = number_query(raw, &["limit"])?;
        let s = server.clone();
        let page = bounded(&server.reads, move || {
            s.db.read(|sql| read::snapshot(sql, &q))
        })
        .await?;
        let mut response = (StatusCode::OK, page.body).into_response();
        let h = response.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(media::NDJSON),
        );
        h.insert(
            headers::WATERMARK,
            HeaderValue::from_str(&page.watermark.0).expect("a cursor is a header value"),
        );
        if let Some(total) = page.total {
            h.insert(headers::TOTAL, HeaderValue::from(total));
        }
        if let Some(next) = page.next_after {
            h.insert(
                headers::NEXT_AFTER,
                HeaderValue::from_str(&next).map_err(|_| {
                    Problem::new(ProblemCode::Internal, "a gid is not a header value")
                })?,
            );
        }
        Ok(response)
    }
    .await;
    finish(&server, "snapshot", started, device.as_deref(), answer)
}

async fn bucket_handler(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    Path(b): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Response {
    let started = Instant::now();
    let answer = async {
        session(&server, &headers, false).await?;
        let bucket = b
            .parse::<u32>()
            .ok()
            .filter(|b| (*b as usize) < limits::BUCKETS)
            .ok_or_else(|| {
                Problem::new(ProblemCode::Malformed, "a bucket is a number from 0 to 255")
            })?;
        let q: BucketQuery = query(raw)?;
        let s = server.clone();
        let after = q.cursor.unwrap_or_default();
        let page = bounded(&server.reads, move || {
            s.db.read(|sql| read::bucket_entries(sql, bucket, &after))
        })
        .await?;
        Ok(json_response(StatusCode::OK, &page))
    }
    .await;
    finish(&server, "buckets", started, None, answer)
}

/// Prometheus text: counts and the push latency's sum; no labels that could hold personal data.
async fn metrics_handler(State(server): State<Arc<Server>>) -> Response {
    let m = &server.metrics;
    let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
    let text = format!(
        "# TYPE pdesk_requests_total counter\npdesk_requests_total {}\n\
         # TYPE pdesk_problems_total counter\npdesk_problems_total {}\n\
         # TYPE pdesk_pushes_total counter\npdesk_pushes_total {}\n\
         # TYPE pdesk_ops_total counter\npdesk_ops_total {}\n\
         # TYPE pdesk_push_seconds_sum counter\npdesk_push_seconds_sum {:.6}\n\
         # TYPE pdesk_pulls_total counter\npdesk_pulls_total {}\n\
         # TYPE pdesk_rate_limited_total counter\npdesk_rate_limited_total {}\n",
        get(&m.requests),
        get(&m.problems),
        get(&m.pushes),
        get(&m.ops),
        get(&m.push_micros) as f64 / 1e6,
        get(&m.pulls),
        get(&m.rate_limited),
    );
    let mut response = (StatusCode::OK, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    response
}
