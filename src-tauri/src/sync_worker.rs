//! The sync worker: one background thread that keeps a store connected to a CDP server in
//! sync with it (the engine: `pdesk-sync`), on its OWN store connection like the import and
//! export workers, so the UI never waits on the network.
//!
//! When it syncs: at once when asked ("Sync now", a new connection), when its watcher hears
//! that the server has something new (a long-poll on a thread of its own: a colleague's change
//! shows here within a second or so), within `TICK` of a local change (the outbox has ops
//! waiting — the short debounce SYNC.md §6.1 asks for — or an import's undo window closed),
//! and every `ROUND_EVERY` otherwise. A failed round waits for the
//! backoff (full jitter, at least the server's `Retry-After`) unless the user asks again.
//! After every round the webview gets `sync-status` (a `SyncStatus`), and `sync-changed` when
//! the round wrote profiles here; during a long one, `sync-progress`.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use pdesk_core::Store;
use pdesk_sync::{Backoff, Engine, Heard, Watcher};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::AppState;

pub const STATUS_EVENT: &str = "sync-status";
/// A round is under way with more to send or receive (a `RoundProgress`): the chip says
/// "Uploading 12,000 / 50,000" or "Downloading 430,000" until the round's `sync-status`.
pub const PROGRESS_EVENT: &str = "sync-progress";
/// A round wrote profiles here (what came down, merges done on the server): the list reloads.
/// The payload is how many profiles were written or removed.
pub const CHANGED_EVENT: &str = "sync-changed";
/// A round took the server's settings (the rule, the field catalogue, the consent channels):
/// the forms and the list reload the catalogue.
pub const CONFIG_EVENT: &str = "sync-config";

/// How often the worker looks at the outbox: a local change goes up within this (the short
/// debounce SYNC.md §6.1 asks for: a burst of edits goes in one batch).
const TICK: Duration = Duration::from_millis(500);
/// How long the watcher's long-poll waits for the server's next change (the protocol's most).
const WATCH_SECS: u32 = 25;
/// A round every so often when nothing waits here: the server's changes come down.
const ROUND_EVERY: Duration = Duration::from_secs(15);
/// After an error that waiting does not cure (a revoked device, a refused sign-in): try again
/// this much later (or when the user asks).
const AFTER_REFUSAL: Duration = Duration::from_secs(300);

/// Managed state: the commands' way to the worker.
#[derive(Default)]
pub struct SyncWorker {
    signals: Arc<Signals>,
}

#[derive(Default)]
struct Signals {
    asked: Mutex<bool>,
    wake: Condvar,
    /// What the watcher thread heard (taken by the worker), and whether one is listening.
    heard: Mutex<Option<Heard>>,
    watching: AtomicBool,
}

impl SyncWorker {
    /// Sync now (the user asked, or the connection is new).
    pub fn sync_now(&self) {
        *self
            .signals
            .asked
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = true;
        self.signals.wake.notify_all();
    }
}

impl Signals {
    /// Sleeps up to `TICK`; whether a sync was asked for meanwhile, and what the watcher heard
    /// if it has finished listening.
    fn wait(&self) -> (bool, Option<Heard>) {
        let asked = self.asked.lock().unwrap_or_else(PoisonError::into_inner);
        let (mut asked, _) = self
            .wake
            .wait_timeout_while(asked, TICK, |a| !*a)
            .unwrap_or_else(PoisonError::into_inner);
        let asked = std::mem::take(&mut *asked);
        let heard = self
            .heard
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        (asked, heard)
    }

    /// Listens for the server's next change on a thread of its own (one at a time): when it
    /// hears one, the worker wakes for a round, so a colleague's change shows here within a
    /// second or so of reaching the server instead of at the next scheduled round.
    fn watch(self: &Arc<Self>, watcher: Watcher) {
        if self.watching.swap(true, Ordering::SeqCst) {
            return;
        }
        let signals = Arc::clone(self);
        let started = std::thread::Builder::new()
            .name("sync-watch".into())
            .spawn(move || {
                let heard = watcher.listen(WATCH_SECS);
                *signals.heard.lock().unwrap_or_else(PoisonError::into_inner) = Some(heard);
                signals.watching.store(false, Ordering::SeqCst);
                if heard == Heard::Changed {
                    *signals.asked.lock().unwrap_or_else(PoisonError::into_inner) = true;
                }
                signals.wake.notify_all();
            });
        if started.is_err() {
            self.watching.store(false, Ordering::SeqCst);
        }
    }
}

/// Once per process: a second start (after a restored database) would sync the same outbox
/// twice at once.
static STARTED: AtomicBool = AtomicBool::new(false);

/// Starts the worker thread (from `startup::on_ready`).
pub fn start<R: Runtime>(app: &AppHandle<R>) -> Result<(), Box<dyn std::error::Error>> {
    if STARTED.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    let state = app.state::<AppState>();
    let db = state.db_path().map_err(|e| e.message)?;
    let mut store = Store::open_protected(&db, state.clock(), state.protection())?;
    let signals = Arc::clone(&app.state::<SyncWorker>().signals);
    let app = app.clone();
    std::thread::Builder::new()
        .name("sync-worker".into())
        .spawn(move || serve(&app, &mut store, &signals))?;
    Ok(())
}

fn serve<R: Runtime>(app: &AppHandle<R>, store: &mut Store, signals: &Arc<Signals>) {
    let keychain = crate::startup::store_keychain();
    let mut engine: Option<Engine> = None;
    let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
    let mut next_round = Instant::now();
    let mut backing_off = false;
    loop {
        let (asked, heard) = signals.wait();
        let Ok(Some(cursor)) = store.sync_cursor() else {
            engine = None;
            continue;
        };
        if cursor.paused {
            if asked {
                emit_status(app, store);
            }
            continue;
        }
        let waiting = store.sync_due().unwrap_or(false);
        let due = asked || Instant::now() >= next_round || (waiting && !backing_off);
        if !due {
            // Nothing new within the long-poll: listen again.
            if heard == Some(Heard::Quiet) && !backing_off {
                if let Some(watcher) = engine.as_ref().and_then(|e| e.watcher(store)) {
                    signals.watch(watcher);
                }
            }
            continue;
        }
        if !engine.as_ref().is_some_and(|e| e.serves(store)) {
            engine = match Engine::for_store(store, &*keychain) {
                Ok(e) => Some(e),
                Err(e) => {
                    let _ = store.sync_note_round(Some((e.kind(), &e.to_string())));
                    next_round = try_again_in(store, AFTER_REFUSAL);
                    emit_status(app, store);
                    continue;
                }
            };
        }
        let Some(live) = engine.as_mut() else {
            continue;
        };
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            live.round_reporting(store, 0, &mut |progress| {
                let _ = app.emit(PROGRESS_EVENT, progress.clone());
            })
        }));
        match outcome {
            Ok(Ok(report)) => {
                let (down, pulled) = (&report.downloaded, &report.pulled);
                // Anything a screen shows: profiles, their linked objects and consent.
                let written = down.profiles
                    + down.deleted
                    + down.links
                    + pulled.profiles
                    + pulled.deleted
                    + pulled.links
                    + pulled.consent_events
                    + report.pushed.merged;
                if written > 0 {
                    let _ = app.emit(CHANGED_EVENT, written);
                }
                if down.config + pulled.config > 0 {
                    let _ = app.emit(CONFIG_EVENT, ());
                }
                backoff.reset();
                backing_off = false;
                next_round = Instant::now() + ROUND_EVERY;
                if let Some(watcher) = live.watcher(store) {
                    signals.watch(watcher);
                }
            }
            Ok(Err(e)) if e.retryable() => {
                backing_off = true;
                let pause = backoff.next(e.retry_after_ms().map(Duration::from_millis));
                next_round = try_again_in(store, pause);
            }
            Ok(Err(_)) => {
                backing_off = true;
                next_round = try_again_in(store, AFTER_REFUSAL);
            }
            Err(_) => {
                eprintln!("sync worker: a round stopped on an internal error; it will try again");
                store.recover_after_panic();
                engine = None;
                backing_off = true;
                next_round = try_again_in(store, backoff.next(None));
            }
        }
        emit_status(app, store);
    }
}

/// The next try after a failed round, noted in the store for the status chip ("next try in
/// 40 s").
fn try_again_in(store: &mut Store, pause: Duration) -> Instant {
    let at = store.now_utc() + pause;
    let _ = store.sync_note_next_attempt(Some(&pdesk_core::clock::format(at)));
    Instant::now() + pause
}

fn emit_status<R: Runtime>(app: &AppHandle<R>, store: &Store) {
    if let Ok(status) = store.sync_status() {
        let _ = app.emit(STATUS_EVENT, status);
    }
}
