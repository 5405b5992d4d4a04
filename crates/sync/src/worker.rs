//! The sync worker's loop: what keeps a store in sync with its server while the app runs,
//! on a thread and a store connection of its own (the app's `sync_worker` gives it both and
//! turns its [`Events`] into webview events; the benchmark runs two, to measure how soon a
//! change made on one laptop shows on the other).
//!
//! When it syncs: at once when asked ([`Signals::sync_now`]: "Sync now", a new connection),
//! when its watcher hears that the server has something new (a long-poll on a thread of its
//! own: a colleague's change shows here within a second or so), within [`TICK`] of a local
//! change (the outbox has ops waiting — the short debounce SYNC.md §6.1 asks for — or an
//! import's undo window closed), and every [`ROUND_EVERY`] otherwise. A failed round waits
//! for the backoff (full jitter, at least the server's `Retry-After`) unless asked again.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use pdesk_core::keychain::Secrets;
use pdesk_core::Store;

use crate::{Backoff, Engine, Heard, RoundProgress, RoundReport, Watcher};

/// How often the worker looks at the outbox: a local change goes up within this (the short
/// debounce SYNC.md §6.1 asks for: a burst of edits goes in one batch).
pub const TICK: Duration = Duration::from_millis(500);
/// How long the watcher's long-poll waits for the server's next change (the protocol's most).
const WATCH_SECS: u32 = 25;
/// A round every so often when nothing waits here: the server's changes come down.
pub const ROUND_EVERY: Duration = Duration::from_secs(15);
/// After an error that waiting does not cure (a revoked device, a refused sign-in): try again
/// this much later (or when asked).
const AFTER_REFUSAL: Duration = Duration::from_secs(300);

/// What the worker tells whoever shows sync (the app's webview, a benchmark).
pub trait Events {
    /// A round is under way with more to send or receive.
    fn progress(&self, progress: &RoundProgress);
    /// A round wrote `written` profiles, links or consent events here (the list reloads).
    fn changed(&self, written: u32);
    /// A round took the server's settings (the catalogue reloads).
    fn config(&self);
    /// A round ended (or was refused): the status to show.
    fn status(&self, store: &Store);
}

/// The worker's wake-ups, shared with whoever asks it to sync (and its watcher thread).
#[derive(Default)]
pub struct Signals {
    asked: Mutex<bool>,
    wake: Condvar,
    /// What the watcher thread heard (taken by the worker), and whether one is listening.
    heard: Mutex<Option<Heard>>,
    watching: AtomicBool,
    stopped: AtomicBool,
}

impl Signals {
    /// Sync now (the user asked, or the connection is new).
    pub fn sync_now(&self) {
        *self.asked.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.wake.notify_all();
    }

    /// Ends [`serve`] at its next wake-up (within [`TICK`]).
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        self.wake.notify_all();
    }

    /// Sleeps up to `TICK`; whether a sync was asked for meanwhile, and what the watcher heard
    /// if it has finished listening.
    fn wait(&self) -> (bool, Option<Heard>) {
        let asked = self.asked.lock().unwrap_or_else(PoisonError::into_inner);
        let (mut asked, _) = self
            .wake
            .wait_timeout_while(asked, TICK, |a| !*a && !self.stopped.load(Ordering::SeqCst))
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

/// Profiles, links and consent events a round wrote here: anything a screen shows.
pub fn written(report: &RoundReport) -> u32 {
    let (down, pulled) = (&report.downloaded, &report.pulled);
    down.profiles
        + down.deleted
        + down.links
        + pulled.profiles
        + pulled.deleted
        + pulled.links
        + pulled.consent_events
        + report.pushed.merged
        // Merge reviews the server opened: the top bar's count and the review screen change.
        + down.reviews
        + pulled.reviews
        + report.pushed.review
}

/// Keeps `store` in sync with its server until [`Signals::stop`] (the app's never stops).
/// Not connected, or paused: it waits, and answers "Sync now" with the status.
pub fn serve(
    store: &mut Store,
    secrets: &dyn Secrets,
    signals: &Arc<Signals>,
    events: &dyn Events,
) {
    let mut engine: Option<Engine> = None;
    let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
    let mut next_round = Instant::now();
    let mut backing_off = false;
    while !signals.stopped.load(Ordering::SeqCst) {
        let (asked, heard) = signals.wait();
        let Ok(Some(cursor)) = store.sync_cursor() else {
            engine = None;
            continue;
        };
        if cursor.paused {
            if asked {
                events.status(store);
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
            engine = match Engine::for_store(store, secrets) {
                Ok(e) => Some(e),
                Err(e) => {
                    let _ = store.sync_note_round(Some((e.kind(), &e.to_string())));
                    next_round = try_again_in(store, AFTER_REFUSAL);
                    events.status(store);
                    continue;
                }
            };
        }
        let Some(live) = engine.as_mut() else {
            continue;
        };
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            live.round_reporting(store, 0, &mut |progress| events.progress(progress))
        }));
        match outcome {
            Ok(Ok(report)) => {
                let written = written(&report);
                if written > 0 {
                    events.changed(written);
                    // A round that wrote (a first download of a million profiles) filled the
                    // connection's page cache: not kept until the next one.
                    let _ = store.release_page_cache();
                }
                if report.downloaded.config + report.pulled.config > 0 {
                    events.config();
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
        events.status(store);
    }
}

/// The next try after a failed round, noted in the store for the status chip ("next try in
/// 40 s").
fn try_again_in(store: &mut Store, pause: Duration) -> Instant {
    let at = store.now_utc() + pause;
    let _ = store.sync_note_next_attempt(Some(&pdesk_core::clock::format(at)));
    Instant::now() + pause
}
