//! A server on a temp-dir database with a hand-moved clock, its users, and requests sent
//! through the real router.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use pdesk_server::accounts;
use pdesk_server::clock::ManualClock;
use pdesk_server::db::Database;
use pdesk_server::http::{router, Server};
use pdesk_server::{admin, ids};
use pdesk_sync_proto::push::{Op, OpBody, PushRequest, PushResponse};
use pdesk_sync_proto::Hlc;
use serde_json::{json, Value};
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse 1";
/// 2026-12-02T10:00:00Z.
pub const T0: u64 = 1_796_205_600_000;

pub struct TestServer {
    pub dir: tempfile::TempDir,
    pub server: Arc<Server>,
    pub clock: Arc<ManualClock>,
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_string()
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// When set (`cargo xtask test` sets it), every test runs on its own new database of this
/// PostgreSQL cluster instead of a SQLite file: the same tests, on both backends.
pub const POSTGRES_ENV: &str = "PDESK_TEST_POSTGRES";

/// Runs storage work on a plain thread: the PostgreSQL client blocks on a runtime of its own,
/// which it may not do inside a test's async runtime (the server runs it on blocking threads).
fn off_runtime<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|scope| scope.spawn(f).join().unwrap())
}

/// A new, empty database: a fresh database of the test cluster, or a file in `dir`.
fn new_database(dir: &std::path::Path) -> Database {
    match std::env::var(POSTGRES_ENV) {
        Ok(admin_url) => off_runtime(|| {
            let name = format!(
                "t_{}",
                &ids::new_token().to_lowercase().replace(['-', '_'], "")[..20]
            );
            let mut client = postgres::Client::connect(&admin_url, postgres::NoTls).unwrap();
            client
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .unwrap();
            let (base, _) = admin_url.rsplit_once('/').unwrap();
            Database::open(&format!("{base}/{name}")).unwrap()
        }),
        Err(_) => Database::open(dir.join("server.db").to_str().unwrap()).unwrap(),
    }
}

impl TestServer {
    /// A new database with `admin` (Administrator), `lan` (Sales) and `vy` (Viewer).
    pub fn new() -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let db = new_database(dir.path());
        off_runtime(|| {
            admin::init(&db, "admin", PASSWORD, T0).unwrap();
            db.write(|sql| {
                accounts::add_user(sql, "lan", "Sales", PASSWORD, T0)?;
                accounts::add_user(sql, "vy", "Viewer", PASSWORD, T0)
            })
            .unwrap();
        });
        let clock = Arc::new(ManualClock::at(T0));
        let server = Server::new(db, clock.clone());
        TestServer { dir, server, clock }
    }

    /// Direct storage work in a test (checks, counts), off the async runtime.
    pub fn db<R: Send>(&self, f: impl FnOnce(&Database) -> R + Send) -> R {
        off_runtime(|| f(&self.server.db))
    }

    pub fn on_postgres(&self) -> bool {
        matches!(self.server.db, Database::Postgres(_))
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = router(self.server.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Answer {
        let mut request = Request::post(path)
            .header("Pdsync-Protocol", "1")
            .header("Content-Type", "application/json");
        if let Some(t) = token {
            request = request.header("Authorization", format!("Bearer {t}"));
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        let request = Request::get(path)
            .header("Pdsync-Protocol", "1")
            .header("Authorization", format!("Bearer {token}"));
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// Registers a device for `user` and answers (device id, refresh token, access token).
    pub async fn sign_in(&self, user: &str) -> Device {
        let registered = self
            .post(
                "/v1/devices",
                None,
                &json!({"user": user, "password": PASSWORD, "device_name": format!("{user}'s laptop"), "platform": "linux"}),
            )
            .await;
        assert_eq!(
            registered.status,
            StatusCode::CREATED,
            "{}",
            registered.text()
        );
        let r = registered.json();
        let refresh = r["refresh_token"].as_str().unwrap().to_string();
        let issued = self
            .post("/v1/token", None, &json!({"refresh_token": refresh}))
            .await;
        assert_eq!(issued.status, StatusCode::OK, "{}", issued.text());
        let t = issued.json();
        Device {
            id: r["device_id"].as_str().unwrap().to_string(),
            refresh: t["refresh_token"].as_str().unwrap().to_string(),
            token: t["access_token"].as_str().unwrap().to_string(),
            replica: ids::new_id("", T0),
            next_seq: 1,
            clock_ms: T0,
        }
    }

    /// Pushes `bodies` as the device's next ops.
    pub async fn push(
        &self,
        device: &mut Device,
        bodies: Vec<OpBody>,
    ) -> (Answer, Option<PushResponse>) {
        let request = device.batch(bodies);
        self.push_request(device, &request).await
    }

    pub async fn push_request(
        &self,
        device: &Device,
        request: &PushRequest,
    ) -> (Answer, Option<PushResponse>) {
        let answer = self
            .post(
                "/v1/push",
                Some(&device.token),
                &serde_json::to_value(request).unwrap(),
            )
            .await;
        let parsed = (answer.status == StatusCode::OK)
            .then(|| serde_json::from_slice(&answer.body).unwrap());
        (answer, parsed)
    }

    /// Every change from a new snapshot's watermark… i.e. a full pull from the start.
    pub async fn pull_all(&self, device: &Device, cursor: &str) -> (Vec<Value>, String, Value) {
        let mut cursor = cursor.to_string();
        let mut changes = Vec::new();
        loop {
            let page = self
                .get(&format!("/v1/pull?cursor={cursor}&limit=50"), &device.token)
                .await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.text());
            let body = page.json();
            changes.extend(body["changes"].as_array().unwrap().iter().cloned());
            cursor = body["cursor"].as_str().unwrap().to_string();
            if !body["has_more"].as_bool().unwrap() {
                return (changes, cursor, body["checksums"].clone());
            }
        }
    }

    /// The watermark of a new snapshot (the cursor of "now").
    pub async fn watermark(&self, device: &Device) -> String {
        let page = self
            .get("/v1/snapshot?watermark=new&limit=1", &device.token)
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        page.headers["Pdsync-Watermark"]
            .to_str()
            .unwrap()
            .to_string()
    }
}

pub struct Device {
    pub id: String,
    pub refresh: String,
    pub token: String,
    pub replica: String,
    pub next_seq: u64,
    pub clock_ms: u64,
}

impl Device {
    /// The next ops of this replica, with rising seqs and HLCs.
    pub fn batch(&mut self, bodies: Vec<OpBody>) -> PushRequest {
        let ops = bodies
            .into_iter()
            .map(|body| {
                let seq = self.next_seq;
                self.next_seq += 1;
                self.clock_ms += 1;
                Op {
                    seq,
                    op_id: ids::new_id("", self.clock_ms),
                    hlc: Hlc::new(self.clock_ms, 0).unwrap(),
                    body,
                }
            })
            .collect();
        PushRequest {
            replica: self.replica.clone(),
            config_version: 1,
            ops,
        }
    }
}

/// A `profile.create` body from JSON fields (`{"full_name": …, "phones": [{"raw": …}]}`);
/// tags are filled in.
pub fn create(gid: &str, fields: Value) -> OpBody {
    let mut fields = fields;
    for list in ["phones", "emails", "tags"] {
        if let Some(items) = fields.get_mut(list).and_then(|v| v.as_array_mut()) {
            for item in items {
                if item.get("tag").is_none() {
                    item["tag"] = json!(ids::new_id("", T0));
                }
            }
        }
    }
    serde_json::from_value(json!({"kind": "profile.create", "gid": gid, "fields": fields})).unwrap()
}

/// An op body from its JSON (`{"kind": "profile.update", …}`).
pub fn op(body: Value) -> OpBody {
    serde_json::from_value(body).unwrap()
}

/// The n-th test profile's gid: a fixed UUIDv7, so a test names the same profile twice.
pub fn gid(n: u64) -> String {
    format!("019ad9a4-0000-7000-8000-{n:012x}")
}
