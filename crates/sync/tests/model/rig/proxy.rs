//! The fault-injecting HTTP proxy between the engine's reqwest client and the server: a hyper
//! server on a loopback port (its own tokio runtime, in-process) that hands each request to
//! the real router — or does not. The test arms it with a queue of faults before a step; each
//! request of the sync protocol takes the next one (none left: forwarded as is). The device
//! and token endpoints are never faulted: a lost refresh answer is the refresh grace's story
//! (decision 42, tested by the server), and here it would only sign devices out.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use pdesk_server::http::{problem_response, router, Server};
use pdesk_sync_proto::problem::{Problem, ProblemCode};
use tower::ServiceExt;

/// What the proxy does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forwarded, answered.
    Pass,
    /// The connection is closed before the server sees the request (SYNC.md F1).
    DropRequest,
    /// Forwarded — the server commits — then the connection is closed: the answer is lost (F2).
    DropResponse,
    /// Forwarded twice (a retrying middlebox); the client gets the second answer (F3).
    Duplicate,
    /// Answered without forwarding: 413 payload too large (the engine halves the batch).
    TooLarge,
    /// 429 with Retry-After (F16).
    RateLimited,
    /// 503 with Retry-After.
    Unavailable,
    /// 401 token expired (F13): the engine refreshes and sends again.
    Unauthorized,
}

/// The connection is closed without an answer: hyper aborts an HTTP/1 connection whose
/// service fails.
#[derive(Debug)]
struct Cut;

impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection cut by the proxy")
    }
}

impl std::error::Error for Cut {}

/// Which requests of a round the armed faults are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Pushes: where a lost answer or a duplicate matters most.
    Push,
    /// Pulls and snapshot pages.
    Pull,
    /// Any request of the protocol, hello included.
    Any,
}

impl Route {
    fn takes(self, path: &str) -> bool {
        match self {
            Route::Push => path == "/v1/push",
            Route::Pull => path == "/v1/pull" || path == "/v1/snapshot",
            Route::Any => true,
        }
    }
}

struct Plan {
    route: Route,
    faults: VecDeque<Fault>,
    /// What happened, for the case's log: (path, fault).
    seen: Vec<(String, Fault)>,
}

pub struct Proxy {
    pub url: String,
    plan: Arc<Mutex<Plan>>,
    _runtime: tokio::runtime::Runtime,
}

impl Proxy {
    /// Serves on a free loopback port; forwards to whatever server `current` holds at the time.
    pub fn start(current: Arc<Mutex<Arc<Server>>>) -> Proxy {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let plan = Arc::new(Mutex::new(Plan {
            route: Route::Any,
            faults: VecDeque::new(),
            seen: Vec::new(),
        }));
        let shared = plan.clone();
        runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let current = current.clone();
                let plan = shared.clone();
                tokio::spawn(async move {
                    let service =
                        service_fn(move |request| handle(request, current.clone(), plan.clone()));
                    // A cut connection ends here with an error: expected.
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Proxy {
            url: format!("http://{addr}"),
            plan,
            _runtime: runtime,
        }
    }

    /// The next requests of `route` meet `faults`, in order.
    pub fn arm(&self, route: Route, faults: &[Fault]) {
        let mut plan = self.plan.lock().unwrap();
        plan.route = route;
        plan.faults = faults.iter().copied().collect();
    }

    /// No more faults (those not used are dropped).
    pub fn disarm(&self) {
        self.plan.lock().unwrap().faults.clear();
    }

    /// How many requests met each fault so far (for the soak's summary).
    pub fn faults_met(&self) -> std::collections::BTreeMap<String, usize> {
        let plan = self.plan.lock().unwrap();
        let mut met = std::collections::BTreeMap::new();
        for (_, fault) in &plan.seen {
            *met.entry(format!("{fault:?}")).or_insert(0) += 1;
        }
        met
    }
}

fn faultable(path: &str) -> bool {
    !(path.starts_with("/v1/token") || path.starts_with("/v1/devices"))
}

async fn forward(
    server: Arc<Server>,
    parts: &hyper::http::request::Parts,
    body: &Bytes,
) -> (hyper::http::response::Parts, Bytes) {
    let mut request = Request::builder()
        .method(parts.method.clone())
        .uri(parts.uri.clone())
        .version(parts.version);
    for (name, value) in &parts.headers {
        request = request.header(name, value);
    }
    let request = request.body(Body::from(body.clone())).unwrap();
    let response = router(server).oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (parts, bytes)
}

fn answer(parts: hyper::http::response::Parts, body: Bytes) -> Response<Full<Bytes>> {
    Response::from_parts(parts, Full::new(body))
}

/// The server's own problem answer (status, problem+json, Retry-After), never forwarded.
async fn problem(code: ProblemCode, retry_after_ms: Option<u64>) -> Response<Full<Bytes>> {
    let mut p = Problem::new(code, "injected by the model test's proxy");
    if let Some(ms) = retry_after_ms {
        p = p.retry_after_ms(ms);
    }
    let (parts, body) = problem_response(p).into_parts();
    answer(parts, body.collect().await.unwrap().to_bytes())
}

async fn handle(
    request: Request<hyper::body::Incoming>,
    current: Arc<Mutex<Arc<Server>>>,
    plan: Arc<Mutex<Plan>>,
) -> Result<Response<Full<Bytes>>, Cut> {
    let path = request.uri().path().to_string();
    let fault = {
        let mut plan = plan.lock().unwrap();
        let fault = if faultable(&path) && plan.route.takes(&path) {
            plan.faults.pop_front().unwrap_or(Fault::Pass)
        } else {
            Fault::Pass
        };
        plan.seen.push((path.clone(), fault));
        fault
    };
    let (parts, body) = request.into_parts();
    // The whole request is read first, as a server does before it answers.
    let Ok(collected) = body.collect().await else {
        return Err(Cut);
    };
    let body = collected.to_bytes();
    let server = current.lock().unwrap().clone();
    match fault {
        Fault::Pass => {
            let (p, b) = forward(server, &parts, &body).await;
            Ok(answer(p, b))
        }
        Fault::DropRequest => Err(Cut),
        Fault::DropResponse => {
            let _ = forward(server, &parts, &body).await;
            Err(Cut)
        }
        Fault::Duplicate => {
            let _ = forward(server.clone(), &parts, &body).await;
            let (p, b) = forward(server, &parts, &body).await;
            Ok(answer(p, b))
        }
        Fault::TooLarge => Ok(problem(ProblemCode::PayloadTooLarge, None).await),
        Fault::RateLimited => Ok(problem(ProblemCode::RateLimited, Some(1_000)).await),
        Fault::Unavailable => Ok(problem(ProblemCode::Unavailable, Some(2_000)).await),
        Fault::Unauthorized => Ok(problem(ProblemCode::TokenExpired, None).await),
    }
}
