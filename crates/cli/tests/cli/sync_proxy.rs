//! Issue 14, "Real network, real processes": a fault-injecting TCP proxy between the laptops'
//! `pdesk sync` (its HTTP client) and a real `pdesk-server` on loopback. Each connection the
//! proxy takes gets one fault from a seeded plan — added latency, a slow line, a reset before
//! anything is forwarded, a request cut mid-body, or a response cut after N bytes (the
//! "committed but the answer was lost" case: the server applied a push whose answer never
//! arrived, and the retry must be answered from its receipt, not applied again) — while two
//! laptops import new customers and update their earlier ones, round after round. With the
//! faults off, both laptops sync until quiet; the end checks are the kill loop's: every
//! customer once on both, every update once, nothing waits, nothing refused.
//!
//! `PDESK_PROXY_ROUNDS` sets the number of rounds (default 80, in CI).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crate::keychain::keyring_available;
use crate::sync_kills::{
    assert_converged, env_number, free_port, round_rows, rounds_setup, run_rounds,
    server_and_laptops_script, Plan,
};

/// What the proxy does to one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Fault {
    /// Forwarded as it is.
    Pass,
    /// Each chunk, both ways, 20–120 ms late.
    Latency,
    /// About 64 KB/s both ways (512-byte pieces).
    SlowLine,
    /// Closed before a byte is forwarded.
    Reset,
    /// The request's first bytes reach the server, then both sides are closed.
    CutRequest,
    /// The request reaches the server; the answer is cut after some bytes.
    CutResponse,
}

/// The proxy: listens on a loopback port, forwards to `upstream`; faults come from the plan
/// until `calm` exists (then every connection passes).
pub(crate) struct FaultProxy {
    pub port: u16,
    stop: Arc<AtomicBool>,
    pub seen: Arc<Mutex<HashMap<Fault, u32>>>,
}

impl FaultProxy {
    pub(crate) fn start(upstream: u16, seed: u64, calm: PathBuf) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let seen: Arc<Mutex<HashMap<Fault, u32>>> = Arc::default();
        let (stop_flag, counts) = (stop.clone(), seen.clone());
        thread::spawn(move || {
            let mut plan = Plan(seed);
            while !stop_flag.load(Ordering::Relaxed) {
                let client = match listener.accept() {
                    Ok((client, _)) => client,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        thread::sleep(Duration::from_millis(5));
                        continue;
                    }
                    Err(_) => continue,
                };
                let fault = if calm.exists() {
                    Fault::Pass
                } else {
                    match plan.next(10) {
                        0 => Fault::Reset,
                        1 => Fault::CutRequest,
                        2 | 3 => Fault::CutResponse,
                        4 | 5 => Fault::Latency,
                        6 => Fault::SlowLine,
                        _ => Fault::Pass,
                    }
                };
                *counts.lock().unwrap().entry(fault).or_default() += 1;
                // Anywhere in the connection's answers: hello's, a push's (applied, its answer lost), a pull's.
                let cut_at = 1 + plan.next(3_000) as usize;
                let delay = 20 + plan.next(100);
                thread::spawn(move || serve(client, upstream, fault, cut_at, delay));
            }
        });
        FaultProxy { port, stop, seen }
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// One connection, through `fault`.
fn serve(client: TcpStream, upstream: u16, fault: Fault, cut_at: usize, delay_ms: u64) {
    client.set_nonblocking(false).unwrap();
    if fault == Fault::Reset {
        let _ = client.shutdown(Shutdown::Both);
        return;
    }
    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let up_limit = (fault == Fault::CutRequest).then_some(cut_at);
    let down_limit = (fault == Fault::CutResponse).then_some(cut_at);
    let up = thread::spawn(move || pipe(client, server, fault, up_limit, delay_ms));
    pipe(s2, c2, fault, down_limit, delay_ms);
    let _ = up.join();
}

/// Copies `from` → `to` with `fault`'s timing; after `limit` bytes (if any), closes both ends
/// of both connections (the other direction's copy then ends too).
fn pipe(mut from: TcpStream, mut to: TcpStream, fault: Fault, limit: Option<usize>, delay_ms: u64) {
    let piece = if fault == Fault::SlowLine {
        512
    } else {
        16 * 1024
    };
    let mut buf = vec![0u8; piece];
    let mut sent = 0usize;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let n = limit.map_or(n, |l| n.min(l - sent));
        match fault {
            Fault::Latency => thread::sleep(Duration::from_millis(delay_ms)),
            Fault::SlowLine => thread::sleep(Duration::from_millis(8)),
            _ => {}
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
        sent += n;
        if limit.is_some_and(|l| sent >= l) {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}

#[cfg(target_os = "linux")]
#[test]
fn laptops_syncing_through_a_faulty_network_lose_and_double_nothing() {
    if !keyring_available() {
        eprintln!("skipped: needs dbus-run-session and gnome-keyring-daemon");
        return;
    }
    let rounds = env_number("PDESK_PROXY_ROUNDS", 80) as u32;
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path();
    let home = work.join("home");
    let server_port = free_port();
    let calm = work.join("calm");
    let proxy = FaultProxy::start(server_port, 20_261_205, calm.clone());
    let laptops = rounds_setup(work, &home, &format!("http://127.0.0.1:{}", proxy.port));

    // Connecting goes through the proxy calm (a device signs in once); the rounds do not.
    std::fs::write(&calm, "").unwrap();
    let mut script = server_and_laptops_script();
    script.push_str("rm -f \"$W/calm\"\n");
    for i in 1..=rounds {
        std::fs::write(work.join(format!("round-{i}.tsv")), round_rows(i)).unwrap();
        let laptop = if i % 2 == 1 { "$A" } else { "$B" };
        script.push_str(&format!(
            "\"$PDESK\" --db \"{laptop}\" paste --file \"$W/round-{i}.tsv\" --columns full_name,phones,city >/dev/null\n\
             \"$PDESK\" --db \"{laptop}\" sync --once >/dev/null 2>&1 || true\n"
        ));
    }
    // Quiescence with the network well again: each laptop sends what waits and takes what the
    // other sent, twice over; every run must succeed.
    script.push_str(
        "touch \"$W/calm\"\n\
         for L in \"$A\" \"$B\" \"$A\" \"$B\"; do \"$PDESK\" --db \"$L\" sync --once >/dev/null; done\n\
         down\n",
    );
    run_rounds(&laptops, &script, server_port);
    let seen = proxy.seen.lock().unwrap().clone();
    eprintln!("{rounds} rounds, connections by fault: {seen:?}");
    for fault in [
        Fault::Reset,
        Fault::CutRequest,
        Fault::CutResponse,
        Fault::Latency,
        Fault::SlowLine,
    ] {
        assert!(
            seen.get(&fault).copied().unwrap_or(0) > 0,
            "the plan met {fault:?}: {seen:?}"
        );
    }
    assert_converged(&laptops, rounds);
}
