//! The export worker: one background thread that writes queued background exports (over the
//! direct-export limit) one after another on its own store connection, so the UI stays free.
//! Exports interrupted by a crash are queued again at start and written from the beginning.
//!
//! Events to the webview: `export-progress` (an `ExportProgress`) after every chunk, and
//! `export-finished` (the `ExportJob`) when an export ends, whatever the outcome. A native
//! notification says it too, and the result e-mail goes out (`on_export_finished`); a mail
//! failure is recorded on the export, never changes its status.

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use pdesk_core::export::{ExportJob, ExportStatus};
use pdesk_core::Store;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::state::AppState;

pub const PROGRESS_EVENT: &str = "export-progress";
pub const FINISHED_EVENT: &str = "export-finished";

/// A safety net: the worker is woken when an export is queued; this bounds how late it notices
/// one queued by another process on the same database.
const IDLE_RECHECK: Duration = Duration::from_secs(60);

/// Shared between the commands and the worker thread (managed state).
#[derive(Default)]
pub struct ExportQueue {
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    pending: Mutex<bool>,
    wake: Condvar,
    cancelled: Mutex<HashSet<i64>>,
}

impl ExportQueue {
    /// An export was queued.
    pub fn wake(&self) {
        if let Ok(mut pending) = self.shared.pending.lock() {
            *pending = true;
        }
        self.shared.wake.notify_all();
    }

    /// Asks the worker to stop export `id` after its current chunk.
    pub fn cancel(&self, id: i64) {
        if let Ok(mut set) = self.shared.cancelled.lock() {
            set.insert(id);
        }
    }
}

impl Shared {
    fn is_cancelled(&self, id: i64) -> bool {
        self.cancelled
            .lock()
            .map(|s| s.contains(&id))
            .unwrap_or(false)
    }

    fn forget(&self, id: i64) {
        if let Ok(mut set) = self.cancelled.lock() {
            set.remove(&id);
        }
    }
}

/// Starts the worker thread (from the app's `setup` hook).
pub fn start<R: Runtime>(app: &AppHandle<R>) -> Result<(), Box<dyn std::error::Error>> {
    let db = app.state::<AppState>().db_path().map_err(|e| e.message)?;
    let store = Store::open(&db)?;
    let shared = Arc::clone(&app.state::<ExportQueue>().shared);
    let app = app.clone();
    std::thread::Builder::new()
        .name("export-worker".into())
        .spawn(move || run(app, store, shared))?;
    Ok(())
}

fn run<R: Runtime>(app: AppHandle<R>, mut store: Store, shared: Arc<Shared>) {
    if let Err(e) = store.recover_interrupted_exports() {
        eprintln!("export worker: cannot recover interrupted exports: {e}");
    }
    loop {
        if let Ok(mut pending) = shared.pending.lock() {
            *pending = false;
        }
        drain(&app, &mut store, &shared);
        let Ok(pending) = shared.pending.lock() else {
            return;
        };
        let _ = shared
            .wake
            .wait_timeout_while(pending, IDLE_RECHECK, |p| !*p);
    }
}

fn drain<R: Runtime>(app: &AppHandle<R>, store: &mut Store, shared: &Shared) {
    loop {
        let id = match store.next_queued_export() {
            Ok(Some(id)) => id,
            Ok(None) => return,
            Err(e) => {
                eprintln!("export worker: cannot read the queue: {e}");
                return;
            }
        };
        // Each export runs as the user who asked for it (their current permissions).
        let actor = match store.export_owner(id) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("export worker: no acting user for export {id}: {e}");
                return;
            }
        };
        if shared.is_cancelled(id) {
            shared.forget(id);
            match store.cancel_export(&actor, id) {
                Ok(job) => on_export_finished(app, &job),
                Err(e) => eprintln!("export worker: cannot cancel export {id}: {e}"),
            }
            continue;
        }
        let result = store.run_export(&actor, id, |p| {
            let _ = app.emit(PROGRESS_EVENT, p);
            if shared.is_cancelled(p.job_id) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        shared.forget(id);
        match result {
            Ok(job) => on_export_finished(app, &job),
            Err(e) => {
                // A failure is recorded on the export by the core (status failed + reason);
                // refusals before it started (the owner lost profile.export) leave it queued.
                eprintln!("export worker: export {id}: {e}");
                match store.export_job(&actor, id) {
                    Ok(job) if job.status == ExportStatus::Failed => on_export_finished(app, &job),
                    _ => return,
                }
            }
        }
    }
}

/// An export ended: the webview's event, the OS notification, and the result e-mail.
pub fn on_export_finished<R: Runtime>(app: &AppHandle<R>, job: &ExportJob) {
    let _ = app.emit(FINISHED_EVENT, job);
    let (title, body) = notification_text(job);
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        eprintln!("export worker: notification not shown: {e}");
    }
    crate::mail_hooks::export_finished(app, job);
}

/// "Export finished" / "1,234 profiles in Profiles 2026-11-28 1430.xlsx".
pub fn notification_text(job: &ExportJob) -> (String, String) {
    let file = job.file_name().unwrap_or_else(|| "the export".into());
    match job.status {
        ExportStatus::Done => (
            "Export finished".into(),
            format!("{} profiles in {file}", job.rows_done),
        ),
        ExportStatus::Cancelled => ("Export cancelled".into(), job.description.clone()),
        _ => (
            "Export failed".into(),
            job.error
                .clone()
                .unwrap_or_else(|| "the export stopped".into()),
        ),
    }
}
