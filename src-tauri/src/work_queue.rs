//! What the import and the export worker share: the signals between the commands and one
//! background thread (wake up, cancel job N), the thread's start on its OWN store connection
//! (WAL lets it write while the UI reads, so a long job never holds the UI's store mutex), and
//! its sleep loop. The queues themselves live in the database; these signals only say when to
//! look at them.

use std::any::Any;
use std::collections::HashSet;
use std::marker::PhantomData;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use pdesk_core::Store;
use tauri::{AppHandle, Manager, Runtime};

use crate::state::AppState;

/// A safety net only: the worker is woken when work is queued; this bounds how late it notices
/// work queued by another process (the CLI) on the same database.
const IDLE_RECHECK: Duration = Duration::from_secs(60);

/// Managed state shared by the commands and one worker; `K` tells the import queue from the
/// export queue (Tauri finds managed state by type).
pub struct WorkQueue<K> {
    signals: Arc<Signals>,
    kind: PhantomData<K>,
}

impl<K> Default for WorkQueue<K> {
    fn default() -> Self {
        WorkQueue {
            signals: Arc::default(),
            kind: PhantomData,
        }
    }
}

#[derive(Default)]
pub struct Signals {
    /// Set by `wake`, cleared by the worker before it looks at the queue (no lost wake-ups).
    pending: Mutex<bool>,
    wake: Condvar,
    /// Jobs the user asked to cancel; the worker checks it in its progress callback.
    cancelled: Mutex<HashSet<i64>>,
    /// The job the worker is on: failed with the reason if the worker panics on it.
    current: Mutex<Option<i64>>,
}

impl<K> WorkQueue<K> {
    /// New work was queued.
    pub fn wake(&self) {
        if let Ok(mut pending) = self.signals.pending.lock() {
            *pending = true;
        }
        self.signals.wake.notify_all();
    }

    /// Asks the worker to stop job `id` at its next progress report.
    pub fn cancel(&self, id: i64) {
        if let Ok(mut set) = self.signals.cancelled.lock() {
            set.insert(id);
        }
    }
}

impl Signals {
    pub fn is_cancelled(&self, id: i64) -> bool {
        self.cancelled
            .lock()
            .map(|s| s.contains(&id))
            .unwrap_or(false)
    }

    /// Job `id` ended: a cancel asked for it no longer applies.
    pub fn forget(&self, id: i64) {
        if let Ok(mut set) = self.cancelled.lock() {
            set.remove(&id);
        }
        self.working_on(None);
    }

    /// The worker starts on job `id` (`None`: it is on none).
    pub fn working_on(&self, id: Option<i64>) {
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = id;
    }

    fn take_current(&self) -> Option<i64> {
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// Calls `drain` now and after every wake-up (or `IDLE_RECHECK`), sleeping in between,
    /// never busy-polling.
    fn serve(&self, mut drain: impl FnMut()) {
        loop {
            if let Ok(mut pending) = self.pending.lock() {
                *pending = false;
            }
            drain();
            let Ok(pending) = self.pending.lock() else {
                return;
            };
            let _ = self.wake.wait_timeout_while(pending, IDLE_RECHECK, |p| !*p);
        }
    }
}

/// Starts the worker thread `name` of the queue `K` (from the app's `setup` hook): on its own
/// connection to the app's database, it runs `recover` once (work a crash interrupted goes back
/// to the queue), then `drain` whenever woken. A panic in `drain` does not end the worker: the
/// store's unfinished transaction is rolled back, `failed` marks the job it was on as failed
/// (and tells the webview), and the worker goes on serving the queue.
pub fn start_worker<R, K>(
    app: &AppHandle<R>,
    name: &str,
    recover: impl FnOnce(&mut Store) + Send + 'static,
    mut drain: impl FnMut(&AppHandle<R>, &mut Store, &Signals) + Send + 'static,
    mut failed: impl FnMut(&AppHandle<R>, &mut Store, i64, &str) + Send + 'static,
) -> Result<(), Box<dyn std::error::Error>>
where
    R: Runtime,
    K: Send + Sync + 'static,
{
    let state = app.state::<AppState>();
    let db = state.db_path().map_err(|e| e.message)?;
    let mut store = Store::open_protected(&db, state.clock(), state.protection())?;
    let signals = Arc::clone(&app.state::<WorkQueue<K>>().signals);
    let app = app.clone();
    let name = name.to_string();
    std::thread::Builder::new()
        .name(name.clone())
        .spawn(move || {
            recover(&mut store);
            loop {
                let served = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    signals.serve(|| {
                        drain(&app, &mut store, &signals);
                        // The queue is empty: what the jobs read is not kept with the app.
                        let _ = store.release_page_cache();
                    })
                }));
                let Err(panic) = served else {
                    return;
                };
                let what = panic_text(panic.as_ref());
                eprintln!("{name}: restarted after an internal error: {what}");
                store.recover_after_panic();
                if let Some(id) = signals.take_current() {
                    failed(&app, &mut store, id, &what);
                }
            }
        })?;
    Ok(())
}

/// The words of a panic's payload (`panic!("…")` gives a `&str` or a `String`).
fn panic_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an unexpected error".into())
}
