//! The export worker: one background thread that writes queued background exports (over the
//! direct-export limit) one after another on its own store connection, so the UI stays free
//! (the thread and its sleep loop: `work_queue.rs`, shared with the import worker).
//! Exports interrupted by a crash are queued again at start and written from the beginning.
//!
//! Events to the webview: `export-progress` (an `ExportProgress`) after every chunk, and
//! `export-finished` (the `ExportJob`) when an export ends, whatever the outcome. A native
//! notification says it too (in the language of the user who asked for it), and the result
//! e-mail goes out (`on_export_finished`); a mail failure is recorded on the export, never
//! changes its status.

use std::ops::ControlFlow;

use pdesk_core::export::{ExportJob, ExportStatus};
use pdesk_core::model::{count_in, Lang};
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
            Ok(job) => on_export_finished(app, store, &job),
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
                Ok(job) => on_export_finished(app, store, &job),
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
            Ok(job) => on_export_finished(app, store, &job),
            Err(e) => {
                // A failure is recorded on the export by the core (status failed + reason);
                // refusals before it started (the owner lost profile.export) leave it queued.
                eprintln!("export worker: export {id}: {e}");
                match store.export_job(&actor, id) {
                    Ok(job) if job.status == ExportStatus::Failed => {
                        on_export_finished(app, store, &job)
                    }
                    _ => return,
                }
            }
        }
    }
}

/// An export ended: the webview's event, the OS notification (in the language of the user who
/// asked for it), and the result e-mail.
pub fn on_export_finished<R: Runtime>(app: &AppHandle<R>, store: &Store, job: &ExportJob) {
    let _ = app.emit(FINISHED_EVENT, job);
    let lang = store.lang_of(&job.created_by).unwrap_or_default();
    let filter = store
        .export_description_in(job, lang)
        .unwrap_or_else(|_| job.description.clone());
    let (title, body) = notification_text(job, lang, &filter);
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        eprintln!("export worker: notification not shown: {e}");
    }
    crate::mail_hooks::export_finished(app, job);
}

/// The notification's title and body in `lang`: "Export finished" / "1234 profiles in
/// Profiles 2026-11-28 1430.xlsx" ("Đã xuất xong" / "1.234 hồ sơ trong tệp …"); a cancelled
/// export's body is its `filter` in words (in `lang` too).
pub fn notification_text(job: &ExportJob, lang: Lang, filter: &str) -> (String, String) {
    let vi = lang == Lang::Vi;
    match job.status {
        ExportStatus::Done => {
            let file = job.file_name().unwrap_or_else(|| match lang {
                Lang::En => "the export".into(),
                Lang::Vi => "tệp xuất".into(),
            });
            if vi {
                (
                    "Đã xuất xong".into(),
                    format!(
                        "{} hồ sơ trong tệp {file}",
                        count_in(lang, job.rows_done.into())
                    ),
                )
            } else {
                (
                    "Export finished".into(),
                    format!("{} profiles in {file}", job.rows_done),
                )
            }
        }
        ExportStatus::Cancelled => {
            let title = if vi {
                "Đã hủy lượt xuất"
            } else {
                "Export cancelled"
            };
            (title.into(), filter.into())
        }
        _ => {
            let (title, stopped) = match lang {
                Lang::En => ("Export failed", "the export stopped"),
                Lang::Vi => ("Lượt xuất thất bại", "lượt xuất đã dừng"),
            };
            (
                title.into(),
                job.error_in(lang).unwrap_or_else(|| stopped.into()),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use pdesk_core::export::ExportFields;

    use super::*;

    fn export(status: ExportStatus, error: Option<&str>) -> ExportJob {
        ExportJob {
            id: 2,
            status,
            background: true,
            description: "All profiles".into(),
            fields: ExportFields::Displayed,
            created_by: "lan".into(),
            created_at: "2026-12-04T10:00:00Z".into(),
            started_at: None,
            finished_at: None,
            total_rows: 1_234,
            rows_done: 1_234,
            path: Some("/exports/Profiles 2026-12-04 1000.xlsx".into()),
            file_bytes: Some(90_000),
            error: error.map(String::from),
            error_code: None,
            error_details: serde_json::Value::Null,
        }
    }

    #[test]
    fn the_notification_speaks_the_language_of_the_user_who_exported() {
        let cases = [
            (
                ExportStatus::Done,
                Lang::En,
                "All profiles",
                "Export finished",
                "1234 profiles in Profiles 2026-12-04 1000.xlsx",
            ),
            (
                ExportStatus::Done,
                Lang::Vi,
                "Tất cả hồ sơ",
                "Đã xuất xong",
                "1.234 hồ sơ trong tệp Profiles 2026-12-04 1000.xlsx",
            ),
            (
                ExportStatus::Cancelled,
                Lang::En,
                "All profiles",
                "Export cancelled",
                "All profiles",
            ),
            (
                ExportStatus::Cancelled,
                Lang::Vi,
                "Tất cả hồ sơ",
                "Đã hủy lượt xuất",
                "Tất cả hồ sơ",
            ),
            (
                ExportStatus::Failed,
                Lang::En,
                "All profiles",
                "Export failed",
                "the export stopped",
            ),
            (
                ExportStatus::Failed,
                Lang::Vi,
                "Tất cả hồ sơ",
                "Lượt xuất thất bại",
                "lượt xuất đã dừng",
            ),
        ];
        for (status, lang, filter, title, body) in cases {
            assert_eq!(
                notification_text(&export(status, None), lang, filter),
                (title.to_string(), body.to_string()),
                "{status:?} in {lang:?}"
            );
        }
    }
}
