//! How soon a change made on one laptop shows in a colleague's list (issue 13: ≤ 3 s p95):
//! two stores connected to the server process on loopback, each with the app's sync worker
//! (`pdesk_sync::worker`, the loop the app runs on its own thread and connection). On laptop
//! A a person creates a profile (through a second connection, as the app's UI writes); the
//! time runs until laptop B's store counts it. Beside it, the floor: the same change sent and
//! fetched by hand (one round of A's engine, then one of B's), measured in the same run.

use std::path::Path;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pdesk_core::filter::ListQuery;
use pdesk_core::keychain::MemorySecrets;
use pdesk_core::model::{ConsentInput, ProfileInput};
use pdesk_core::{Error, Store};
use pdesk_sync::worker::{self, Events, Signals};
use pdesk_sync::RoundProgress;

use super::workload::internal;
use super::{load, seed};
use crate::figures::Figure;

/// Changes timed (the p95 of 20 is the 19th).
const CHANGES: usize = 20;
/// Issue 13's bar.
const TARGET_MS: f64 = 3_000.0;
/// Longest a change may take before the run is called failed.
const GIVE_UP: Duration = Duration::from_secs(60);

/// A laptop: its store's path and its worker (its own connection, its own keychain).
struct Laptop {
    db: std::path::PathBuf,
    signals: Arc<Signals>,
    worker: Option<std::thread::JoinHandle<()>>,
}

impl Laptop {
    /// A new store at `db`, connected to `url` and caught up with one round.
    fn connect(db: &Path, url: &str, name: &str) -> Result<(Store, MemorySecrets), Error> {
        crate::run::remove_db(db);
        let mut store = Store::open(db)?;
        let secrets = MemorySecrets::default();
        super::first_sync::connect_as_admin(&mut store, &secrets, url, name)?;
        pdesk_sync::sync_once(&mut store, &secrets).map_err(internal)?;
        Ok((store, secrets))
    }

    /// Starts the app's worker on `store`; what it writes here is told to `changed`.
    fn start(
        db: &Path,
        mut store: Store,
        secrets: MemorySecrets,
        changed: Option<mpsc::Sender<Instant>>,
    ) -> Laptop {
        let signals = Arc::new(Signals::default());
        let theirs = Arc::clone(&signals);
        let worker = std::thread::spawn(move || {
            worker::serve(&mut store, &secrets, &theirs, &Told(changed));
        });
        Laptop {
            db: db.to_path_buf(),
            signals,
            worker: Some(worker),
        }
    }
}

impl Drop for Laptop {
    fn drop(&mut self) {
        self.signals.stop();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
        crate::run::remove_db(&self.db);
    }
}

/// The worker's news: when a round wrote profiles here.
struct Told(Option<mpsc::Sender<Instant>>);

impl Events for Told {
    fn progress(&self, _: &RoundProgress) {}
    fn changed(&self, _: u32) {
        if let Some(tx) = &self.0 {
            let _ = tx.send(Instant::now());
        }
    }
    fn config(&self) {}
    fn status(&self, _: &Store) {}
}

fn new_customer(i: usize) -> ProfileInput {
    ProfileInput::default()
        .with("full_name", &format!("Khách mới {i}"))
        .with(
            "phones",
            &format!(
                "0{}",
                pdesk_core::demo::unique_mobile_nsn(900_000 + i as u64)
            ),
        )
}

fn count(store: &Store) -> Result<u32, Error> {
    let actor = store.actor(None)?;
    Ok(store.count_profiles(&actor, &ListQuery::default())?.total)
}

/// The figure, against a fresh server process in `dir`.
pub fn figure(dir: &Path) -> Result<Figure, Error> {
    let server_db = dir.join("bench-server-visibility.db");
    drop(seed::empty_sqlite(&server_db)?);
    let served = load::start(&server_db)?;
    let url = format!("http://{}", served.addr);
    let (a_db, b_db) = (dir.join("bench-laptop-a.db"), dir.join("bench-laptop-b.db"));

    // The floor first: a change sent by A's round and fetched by B's, nothing else running.
    let (mut a, a_secrets) = Laptop::connect(&a_db, &url, "Laptop A")?;
    let (mut b, b_secrets) = Laptop::connect(&b_db, &url, "Laptop B")?;
    let actor = a.actor(None)?;
    let mut floors = Vec::new();
    for i in 0..CHANGES {
        let started = Instant::now();
        a.create_profile(&actor, &new_customer(i), &ConsentInput::default())?;
        pdesk_sync::sync_once(&mut a, &a_secrets).map_err(internal)?;
        pdesk_sync::sync_once(&mut b, &b_secrets).map_err(internal)?;
        floors.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let floor_ms = median(&mut floors);

    // Then the workers: A's person writes through a connection of their own.
    let (tx, heard) = mpsc::channel();
    let laptop_a = Laptop::start(&a_db, a, a_secrets, None);
    let laptop_b = Laptop::start(&b_db, b, b_secrets, Some(tx));
    let mut person = Store::open(&a_db)?;
    let reader = Store::open(&b_db)?;
    let mut seen = count(&reader)?;
    let mut times = Vec::new();
    for i in 0..CHANGES {
        let started = Instant::now();
        person.create_profile(&actor, &new_customer(CHANGES + i), &ConsentInput::default())?;
        loop {
            let left = GIVE_UP.saturating_sub(started.elapsed());
            if left.is_zero() {
                return Err(internal(format!(
                    "change {i} did not reach laptop B in {GIVE_UP:?}"
                )));
            }
            // A round on B wrote something: is it this change?
            if heard.recv_timeout(left).is_ok() && count(&reader)? > seen {
                break;
            }
        }
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        seen = count(&reader)?;
    }
    drop((laptop_a, laptop_b, person, reader, served));
    let _ = std::fs::remove_file(&server_db);
    times.sort_by(f64::total_cmp);
    let p95 = times[(CHANGES * 95).div_ceil(100) - 1];
    Ok(Figure {
        name: "Sync: a profile created on laptop A shows in laptop B's list (both running the app's sync worker, server process); p95 of 20".into(),
        median_ms: p95,
        target_ms: Some(TARGET_MS),
        peak_mb: None,
        memory_target_mb: None,
        peer_name: Some("the same change sent and fetched by hand (A's round, B's round)".into()),
        peer_median_ms: Some(floor_ms),
        result: format!(
            "median {:.0} ms, max {:.0} ms; the worker looks at its outbox every {} ms and hears the server by long-poll",
            times[CHANGES / 2],
            times[CHANGES - 1],
            worker::TICK.as_millis()
        ),
    })
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
