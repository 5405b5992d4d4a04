//! The import worker: one background thread that runs queued import jobs one after another on
//! its OWN store connection (WAL lets it write while the UI reads), so a long job never holds
//! the UI's store mutex. It sleeps on a condition variable until `confirm_import` wakes it.
//!
//! Events to the webview: `import-progress` (a `JobProgress`: `{ jobId, rowsDone, totalRows }`)
//! when a job starts and after each committed transaction, and `import-finished` (the job's
//! `JobSummary`) when it ends, whatever the outcome. A native notification says it too; it is
//! sent from Rust (the webview has no notification permission).

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use pdesk_core::jobs::{JobProgress, JobStatus, JobSummary};
use pdesk_core::Store;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::state::AppState;

pub const PROGRESS_EVENT: &str = "import-progress";
pub const FINISHED_EVENT: &str = "import-finished";

/// A safety net only: the worker is woken by `confirm_import`; this bounds how late it notices
/// a job queued by another process (the CLI) on the same database.
const IDLE_RECHECK: Duration = Duration::from_secs(60);

/// Shared between the commands and the worker thread (managed state).
#[derive(Default)]
pub struct ImportQueue {
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    /// Set by `wake`, cleared by the worker before it looks at the queue (no lost wake-ups).
    pending: Mutex<bool>,
    wake: Condvar,
    /// Jobs the user asked to cancel; the worker checks it in its progress callback.
    cancelled: Mutex<HashSet<i64>>,
}

impl ImportQueue {
    /// New work was queued.
    pub fn wake(&self) {
        if let Ok(mut pending) = self.shared.pending.lock() {
            *pending = true;
        }
        self.shared.wake.notify_all();
    }

    /// Asks the worker to stop job `id` after its current transaction.
    pub fn cancel(&self, id: i64) {
        if let Ok(mut set) = self.shared.cancelled.lock() {
            set.insert(id);
        }
    }

    fn is_cancelled(shared: &Shared, id: i64) -> bool {
        shared
            .cancelled
            .lock()
            .map(|s| s.contains(&id))
            .unwrap_or(false)
    }
}

/// Starts the worker thread (from the app's `setup` hook): it opens its own connection to the
/// app's database, puts jobs interrupted by a crash back in the queue, then runs the queue.
pub fn start<R: Runtime>(app: &AppHandle<R>) -> Result<(), Box<dyn std::error::Error>> {
    let state = app.state::<AppState>();
    let db: PathBuf = state.db_path().map_err(|e| e.message)?;
    let store = Store::open(&db)?;
    let shared = Arc::clone(&app.state::<ImportQueue>().shared);
    let app = app.clone();
    std::thread::Builder::new()
        .name("import-worker".into())
        .spawn(move || run(app, store, shared))?;
    Ok(())
}

fn run<R: Runtime>(app: AppHandle<R>, mut store: Store, shared: Arc<Shared>) {
    if let Err(e) = store.recover_interrupted_jobs() {
        eprintln!("import worker: cannot recover interrupted jobs: {e}");
    }
    loop {
        if let Ok(mut pending) = shared.pending.lock() {
            *pending = false;
        }
        drain(&app, &mut store, &shared);
        let Ok(pending) = shared.pending.lock() else {
            return;
        };
        // Sleep until woken (or the safety-net timeout), never busy-polling.
        let _ = shared
            .wake
            .wait_timeout_while(pending, IDLE_RECHECK, |p| !*p);
    }
}

/// Runs queued jobs until the queue is empty, or until a job cannot be started (then the
/// worker waits for the next wake-up instead of retrying in a loop).
fn drain<R: Runtime>(app: &AppHandle<R>, store: &mut Store, shared: &Shared) {
    loop {
        let id = match store.next_queued_job() {
            Ok(Some(id)) => id,
            Ok(None) => return,
            Err(e) => {
                eprintln!("import worker: cannot read the queue: {e}");
                return;
            }
        };
        // Each job runs as the user who confirmed it, resolved per job, so the core checks
        // their current permissions (whoever is signed in meanwhile).
        let actor = match store.job_owner(id) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("import worker: no acting user: {e}");
                return;
            }
        };
        if ImportQueue::is_cancelled(shared, id) {
            // Cancelled before it started: the core marks it cancelled without running it.
            match store.cancel_job(&actor, id) {
                Ok(summary) if summary.status == JobStatus::Cancelled => {
                    on_job_finished(app, &summary);
                    continue;
                }
                Ok(_) => {}
                Err(e) => {
                    eprintln!("import worker: cannot cancel job {id}: {e}");
                    return;
                }
            }
        }
        if let Ok(job) = store.job(&actor, id) {
            let _ = app.emit(
                PROGRESS_EVENT,
                JobProgress {
                    job_id: id,
                    rows_done: job.rows_done,
                    total_rows: job.total_rows,
                },
            );
        }
        let result = store.run_job(&actor, id, |progress| {
            let _ = app.emit(PROGRESS_EVENT, progress);
            if ImportQueue::is_cancelled(shared, progress.job_id) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        if let Ok(mut set) = shared.cancelled.lock() {
            set.remove(&id);
        }
        match result {
            Ok(summary) => on_job_finished(app, &summary),
            Err(e) => {
                // Refused before it started (e.g. the user lost the import permission): the job
                // stays queued for a user who may run it.
                eprintln!("import worker: job {id} did not run: {e}");
                return;
            }
        }
    }
}

/// Everything that happens when a job ends: the webview's event, the OS notification and the
/// result e-mail (sent on its own thread; its failure never changes the job).
pub fn on_job_finished<R: Runtime>(app: &AppHandle<R>, summary: &JobSummary) {
    let _ = app.emit(FINISHED_EVENT, summary);
    let (title, body) = notification_text(summary);
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        eprintln!("import worker: notification not shown: {e}");
    }
    crate::mail_hooks::import_finished(app, summary);
}

/// The notification's title and body, e.g. "Import finished" /
/// "customers.xlsx: 3 created, 1 updated, 0 failed".
pub fn notification_text(summary: &JobSummary) -> (String, String) {
    let c = &summary.counts;
    let counts = format!(
        "{}: {} created, {} updated, {} failed",
        summary.file_name, c.created, c.updated, c.failed
    );
    match summary.status {
        JobStatus::Cancelled => ("Import cancelled".into(), counts),
        JobStatus::Failed => (
            "Import failed".into(),
            format!(
                "{}: {}",
                summary.file_name,
                summary.error.as_deref().unwrap_or("the import stopped")
            ),
        ),
        _ => ("Import finished".into(), counts),
    }
}
