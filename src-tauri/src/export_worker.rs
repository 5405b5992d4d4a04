//! The export worker: one background thread that writes queued background exports (over the
//! direct-export limit) one after another on its own store connection, so the UI stays free
//! (the thread and its sleep loop: `work_queue.rs`, shared with the import worker).
//! Exports interrupted by a crash are queued again at start and written from the beginning.
//!
//! Events to the webview: `export-progress` (an `ExportProgress`) after every chunk, and
//! `export-finished` (the `ExportJob`) when an export ends, whatever the outcome. A native
//! notification says it too, and the result e-mail goes out (`on_export_finished`); a mail
//! failure is recorded on the export, never changes its status.

use std::ops::ControlFlow;

use pdesk_core::export::{ExportJob, ExportStatus};
use pdesk_core::Store;
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::work_queue::{start_worker, Signals, WorkQueue};

pub const PROGRESS_EVENT: &str = "export-progress";
pub const FINISHED_EVENT: &str = "export-finished";

/// The export queue's signals (managed state): `wake` when an export is queued, `cancel` to
/// stop one after its current chunk.
pub type ExportQueue = WorkQueue<Exports>;

/// Marks the export queue's type.
pub enum Exports {}

/// Starts the worker thread (from the app's `setup` hook).
pub fn start<R: Runtime>(app: &AppHandle<R>) -> Result<(), Box<dyn std::error::Error>> {
    start_worker::<R, Exports>(
        app,
        "export-worker",
        |store| {
            if let Err(e) = store.recover_interrupted_exports() {
                eprintln!("export worker: cannot recover interrupted exports: {e}");
            }
        },
        drain,
        |app, store, id, what| match store.fail_export_after_panic(id, what) {
            Ok(job) => on_export_finished(app, &job),
            Err(e) => eprintln!("export worker: export {id} could not be marked failed: {e}"),
        },
    )
}

fn drain<R: Runtime>(app: &AppHandle<R>, store: &mut Store, signals: &Signals) {
    loop {
        signals.working_on(None);
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
        signals.working_on(Some(id));
        if signals.is_cancelled(id) {
            signals.forget(id);
            match store.cancel_export(&actor, id) {
                Ok(job) => on_export_finished(app, &job),
                Err(e) => eprintln!("export worker: cannot cancel export {id}: {e}"),
            }
            continue;
        }
        let result = store.run_export(&actor, id, |p| {
            let _ = app.emit(PROGRESS_EVENT, p);
            if signals.is_cancelled(p.job_id) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        signals.forget(id);
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
