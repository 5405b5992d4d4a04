//! The server as a process, over HTTP on loopback (issue 12): the snapshot of a big server as a
//! first sync reads it, then 200 devices long-polling `pull` while 50 of them push (one push a
//! second each: 50 pushes/s of 2 creates — a push carries what a user saved since the last one), with the push latency's percentiles and
//! the server's peak resident memory. The generator is bounded: each device has one request in
//! flight, so a slow server is measured, not drowned.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pdesk_core::Error;
use pdesk_sync_proto::devices::{DeviceRegistered, TokenIssued};
use pdesk_sync_proto::{headers, limits};

use super::client::Conn;
use super::workload::{internal, Space, PASSWORD};

pub const DEVICES: usize = 200;
pub const PUSHERS: usize = 50;
pub const OPS_PER_PUSH: u64 = 2;
pub const SECONDS: u64 = 30;
/// The target for the push latency's 95th percentile.
pub const P95_TARGET_MS: f64 = 250.0;
/// The target for the server's resident memory.
pub const RSS_TARGET_MB: f64 = 300.0;

/// `pdesk-server serve` on `db`, stopped when dropped.
pub struct Served {
    child: Child,
    pub addr: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// The peak and the current resident memory of the server process, in MB (Linux).
    pub fn memory_mb(&self) -> (Option<f64>, Option<f64>) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
                .map(|kb| kb / 1024.0)
        };
        (field("VmHWM:"), field("VmRSS:"))
    }
}

/// The `pdesk-server` built next to this benchmark (`cargo xtask bench` builds both).
fn server_binary() -> Result<PathBuf, Error> {
    let exe = std::env::current_exe().map_err(internal)?;
    let path = exe.with_file_name(format!("pdesk-server{}", std::env::consts::EXE_SUFFIX));
    if path.exists() {
        Ok(path)
    } else {
        Err(internal(format!(
            "{} is missing: build it with the benchmark (cargo xtask bench does)",
            path.display()
        )))
    }
}

pub fn start(db: &Path) -> Result<Served, Error> {
    start_on(db.as_os_str(), &db.with_extension("log"))
}

/// The server on `db` — a SQLite file or a postgres:// URL —, its log lines kept in `log`.
pub fn start_on(db: &std::ffi::OsStr, log: &Path) -> Result<Served, Error> {
    let mut child = Command::new(server_binary()?)
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(db)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(internal)?;
    let mut stderr = BufReader::new(child.stderr.take().expect("piped"));
    let mut addr = None;
    for _ in 0..5 {
        let mut line = String::new();
        if stderr.read_line(&mut line).map_err(internal)? == 0 {
            break;
        }
        if let Some(at) = line.find("://") {
            addr = line[at + 3..].split_whitespace().next().map(str::to_string);
            break;
        }
    }
    // Its log lines (one per request, with the server's own milliseconds) are kept next to
    // the database, read as they come so they never block it.
    let mut log = std::fs::File::create(log).map_err(internal)?;
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut log));
    let addr = addr.ok_or_else(|| internal("pdesk-server printed no address"))?;
    Ok(Served { child, addr })
}

/// Registers a device of the administrator and answers its access token.
pub fn sign_in(conn: &mut Conn, name: &str) -> Result<String, Error> {
    let body = serde_json::json!({"user": "admin", "password": PASSWORD, "device_name": name, "platform": "linux"});
    let answer = conn
        .send(
            "POST",
            "/v1/devices",
            None,
            Some(body.to_string().as_bytes()),
        )
        .map_err(internal)?;
    if answer.status != 201 {
        return Err(internal(format!(
            "registering a device: {} {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        )));
    }
    let registered: DeviceRegistered = serde_json::from_slice(&answer.body).map_err(internal)?;
    let body = serde_json::json!({"refresh_token": registered.refresh_token});
    let answer = conn
        .send("POST", "/v1/token", None, Some(body.to_string().as_bytes()))
        .map_err(internal)?;
    let issued: TokenIssued = serde_json::from_slice(&answer.body).map_err(internal)?;
    Ok(issued.access_token)
}

pub struct HttpSnapshot {
    pub ms: f64,
    pub profiles: u64,
    pub bytes: u64,
    pub watermark: String,
}

/// Reads the whole snapshot over HTTP, as a first sync does.
pub fn snapshot(addr: &str, token: &str) -> Result<HttpSnapshot, Error> {
    let mut conn = Conn::new(addr);
    let started = Instant::now();
    let (mut profiles, mut bytes) = (0u64, 0u64);
    let mut watermark = "new".to_string();
    let mut after: Option<String> = None;
    loop {
        let mut path = format!(
            "/v1/snapshot?watermark={watermark}&limit={}",
            limits::SNAPSHOT_PAGE
        );
        if let Some(after) = &after {
            path.push_str(&format!("&after={after}"));
        }
        let answer = conn
            .send("GET", &path, Some(token), None)
            .map_err(internal)?;
        if answer.status == 429 {
            // Faster than the server's 20 requests a second per token: wait as it asks and
            // fetch the same page again, as the engine does (the wait is in the time).
            let wait = serde_json::from_slice::<serde_json::Value>(&answer.body)
                .ok()
                .and_then(|v| v["retry_after_ms"].as_u64())
                .unwrap_or(1_000);
            std::thread::sleep(std::time::Duration::from_millis(wait));
            continue;
        }
        if answer.status != 200 {
            return Err(internal(format!(
                "snapshot page: {} {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            )));
        }
        profiles += answer
            .body
            .split(|b| *b == b'\n')
            .filter(|l| l.starts_with(b"{\"type\":\"profile\""))
            .count() as u64;
        bytes += answer.body.len() as u64;
        watermark = answer
            .header(headers::WATERMARK)
            .ok_or_else(|| internal("a snapshot page without its watermark"))?
            .to_string();
        match answer.header(headers::NEXT_AFTER) {
            Some(next) => after = Some(next.to_string()),
            None => break,
        }
    }
    Ok(HttpSnapshot {
        ms: started.elapsed().as_secs_f64() * 1000.0,
        profiles,
        bytes,
        watermark,
    })
}

/// Pulls from `cursor` until the server has nothing more (no long-poll wait), as fast as the
/// server lets one token; answers the milliseconds, the changes read and the cursor reached.
pub fn pull_until_caught_up(
    addr: &str,
    token: &str,
    cursor: &str,
) -> Result<(f64, u64, String), Error> {
    let mut conn = Conn::new(addr);
    let started = Instant::now();
    let mut cursor = cursor.to_string();
    let mut changes = 0u64;
    loop {
        let path = format!(
            "/v1/pull?cursor={cursor}&limit={}&wait=0",
            limits::PULL_DEFAULT_CHANGES
        );
        let answer = conn
            .send("GET", &path, Some(token), None)
            .map_err(internal)?;
        if answer.status == 429 {
            std::thread::sleep(Duration::from_millis(200));
            continue;
        }
        if answer.status != 200 {
            return Err(internal(format!(
                "pull page: {} {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            )));
        }
        let page: PullHead = serde_json::from_slice(&answer.body).map_err(internal)?;
        changes += page.changes.len() as u64;
        cursor = page.cursor;
        if !page.has_more {
            break;
        }
    }
    Ok((started.elapsed().as_secs_f64() * 1000.0, changes, cursor))
}

/// A pull page as [`pull_until_caught_up`] reads it.
#[derive(serde::Deserialize)]
struct PullHead {
    cursor: String,
    has_more: bool,
    changes: Vec<serde::de::IgnoredAny>,
}

/// What a simulated device reads of a pull page: its cursor and how many changes it held (the
/// changes themselves are skipped, not built: the generator's own work stays small next to the
/// server's on the same two cores).
#[derive(serde::Deserialize)]
struct PageHead {
    cursor: String,
    changes: Vec<serde::de::IgnoredAny>,
}

#[derive(Debug, Default)]
pub struct LoadReport {
    pub pushes: u64,
    pub push_failures: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub pulls: u64,
    pub pulled_changes: u64,
    pub rate_limited: u64,
    pub sign_in_ms: f64,
}

/// 200 devices long-poll from `cursor`; 50 of them push once a second for `SECONDS`.
pub fn long_poll_and_push(addr: &str, cursor: &str) -> Result<LoadReport, Error> {
    let started = Instant::now();
    let mut tokens = Vec::with_capacity(DEVICES);
    let mut conn = Conn::new(addr);
    for i in 0..DEVICES {
        tokens.push(sign_in(&mut conn, &format!("load-{i}"))?);
    }
    let sign_in_ms = started.elapsed().as_secs_f64() * 1000.0;
    let stop = Arc::new(AtomicBool::new(false));
    let pulls = Arc::new(AtomicU64::new(0));
    let pulled = Arc::new(AtomicU64::new(0));
    let limited = Arc::new(AtomicU64::new(0));
    for token in &tokens {
        let (addr, token, cursor) = (addr.to_string(), token.clone(), cursor.to_string());
        let (stop, pulls, pulled, limited) =
            (stop.clone(), pulls.clone(), pulled.clone(), limited.clone());
        std::thread::spawn(move || {
            let mut conn = Conn::new(&addr);
            let mut cursor = cursor;
            while !stop.load(Ordering::Relaxed) {
                let path = format!("/v1/pull?cursor={cursor}&wait={}", limits::MAX_WAIT_SECS);
                let Ok(answer) = conn.send("GET", &path, Some(&token), None) else {
                    return;
                };
                match answer.status {
                    200 => {
                        let Ok(page) = serde_json::from_slice::<PageHead>(&answer.body) else {
                            return;
                        };
                        pulls.fetch_add(1, Ordering::Relaxed);
                        pulled.fetch_add(page.changes.len() as u64, Ordering::Relaxed);
                        cursor = page.cursor;
                    }
                    429 => {
                        limited.fetch_add(1, Ordering::Relaxed);
                        let secs = answer
                            .header(headers::RETRY_AFTER)
                            .and_then(|s| s.parse::<u64>().ok())
                            .unwrap_or(1);
                        std::thread::sleep(Duration::from_secs(secs));
                    }
                    _ => return,
                }
            }
        });
    }
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let failures = Arc::new(AtomicU64::new(0));
    let begin = Instant::now() + Duration::from_millis(500);
    let pushers: Vec<_> = tokens
        .iter()
        .take(PUSHERS)
        .enumerate()
        .map(|(i, token)| {
            let (addr, token) = (addr.to_string(), token.clone());
            let (latencies, failures, limited) =
                (latencies.clone(), failures.clone(), limited.clone());
            let space = Space {
                prefix: 0x019a_e000 + i as u32,
                phone_base: 20_000_000 + i as u64 * 1_000_000,
            };
            std::thread::spawn(move || {
                let mut conn = Conn::new(&addr);
                // Staggered: pusher i pushes at i/50 of every second.
                let offset = Duration::from_millis(1000 * i as u64 / PUSHERS as u64);
                for k in 0..SECONDS {
                    let due = begin + offset + Duration::from_secs(k);
                    let now = Instant::now();
                    if due > now {
                        std::thread::sleep(due - now);
                    }
                    let request = space.creates(1 + k * OPS_PER_PUSH, OPS_PER_PUSH);
                    let body = serde_json::to_vec(&request).expect("serialises");
                    let sent = Instant::now();
                    let answer = conn.send("POST", "/v1/push", Some(&token), Some(&body));
                    let ms = sent.elapsed().as_secs_f64() * 1000.0;
                    match answer {
                        Ok(a) if a.status == 200 => {
                            latencies.lock().expect("not poisoned").push(ms)
                        }
                        Ok(a) if a.status == 429 => {
                            limited.fetch_add(1, Ordering::Relaxed);
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                        _ => {
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    for pusher in pushers {
        let _ = pusher.join();
    }
    stop.store(true, Ordering::Relaxed);
    let mut latencies = std::mem::take(&mut *latencies.lock().expect("not poisoned"));
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[i]
    };
    Ok(LoadReport {
        pushes: latencies.len() as u64,
        push_failures: failures.load(Ordering::Relaxed),
        p50_ms: pct(0.50),
        p95_ms: pct(0.95),
        p99_ms: pct(0.99),
        max_ms: latencies.last().copied().unwrap_or(0.0),
        pulls: pulls.load(Ordering::Relaxed),
        pulled_changes: pulled.load(Ordering::Relaxed),
        rate_limited: limited.load(Ordering::Relaxed),
        sign_in_ms,
    })
}
