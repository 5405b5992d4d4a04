//! The sync worker: one background thread that keeps a store connected to a CDP server in
//! sync with it, on its OWN store connection like the import and export workers, so the UI
//! never waits on the network. The loop itself — when to sync, the watcher's long-poll, the
//! backoff — is `pdesk_sync::worker` (the benchmark runs the same loop); here it gets its
//! thread, its connection and the keychain, and what it tells becomes webview events: after
//! every round `sync-status` (a `SyncStatus`), `sync-changed` when the round wrote profiles
//! here, `sync-config` when it took the server's settings; during a long one, `sync-progress`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use pdesk_core::Store;
use pdesk_sync::worker::{self, Events, Signals};
use pdesk_sync::RoundProgress;
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

/// Managed state: the commands' way to the worker.
#[derive(Default)]
pub struct SyncWorker {
    signals: Arc<Signals>,
}

impl SyncWorker {
    /// Sync now (the user asked, or the connection is new).
    pub fn sync_now(&self) {
        self.signals.sync_now();
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
        .spawn(move || {
            let keychain = crate::startup::store_keychain();
            worker::serve(&mut store, &*keychain, &signals, &Webview(app));
        })?;
    Ok(())
}

/// The worker's news, as webview events.
struct Webview<R: Runtime>(AppHandle<R>);

impl<R: Runtime> Events for Webview<R> {
    fn progress(&self, progress: &RoundProgress) {
        let _ = self.0.emit(PROGRESS_EVENT, progress.clone());
    }

    fn changed(&self, written: u32) {
        let _ = self.0.emit(CHANGED_EVENT, written);
    }

    fn config(&self) {
        let _ = self.0.emit(CONFIG_EVENT, ());
    }

    fn status(&self, store: &Store) {
        if let Ok(status) = store.sync_status() {
            let _ = self.0.emit(STATUS_EVENT, status);
        }
    }
}
