//! The import worker: one background thread that runs queued import jobs one after another on
//! its own store connection, woken by `confirm_import` (the thread, its connection and its
//! sleep loop: `work_queue.rs`, shared with the export worker).
//!
//! Events to the webview: `import-progress` (a `JobProgress`: `{ jobId, rowsDone, totalRows }`)
//! when a job starts and after each committed transaction, and `import-finished` (the job's
//! `JobSummary`) when it ends, whatever the outcome. A native notification says it too, in
//! the language of the user who ran the job; it is sent from Rust (the webview has no
//! notification permission).

use std::ops::ControlFlow;

use pdesk_core::jobs::{JobProgress, JobStatus, JobSummary};
use pdesk_core::model::{count_in, Lang};
use pdesk_core::Store;
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::work_queue::{start_worker, Signals, WorkQueue};

pub const PROGRESS_EVENT: &str = "import-progress";
pub const FINISHED_EVENT: &str = "import-finished";

/// The import queue's signals (managed state): `wake` when `confirm_import` queued a job,
/// `cancel` to stop one after its current transaction.
pub type ImportQueue = WorkQueue<Imports>;

/// Marks the import queue's type.
pub enum Imports {}

/// Starts the worker thread (from the app's `setup` hook): jobs interrupted by a crash go back
/// in the queue, then the queue runs.
pub fn start<R: Runtime>(app: &AppHandle<R>) -> Result<(), Box<dyn std::error::Error>> {
    start_worker::<R, Imports>(
        app,
        "import-worker",
        |store| {
            if let Err(e) = store.recover_interrupted_jobs() {
                eprintln!("import worker: cannot recover interrupted jobs: {e}");
            }
        },
        drain,
        |app, store, id, what| match store.fail_job_after_panic(id, what) {
            Ok(summary) => on_job_finished(app, store, &summary),
            Err(e) => eprintln!("import worker: job {id} could not be marked failed: {e}"),
        },
    )
}

/// Runs queued jobs until the queue is empty, or until a job cannot be started (then the
/// worker waits for the next wake-up instead of retrying in a loop).
fn drain<R: Runtime>(app: &AppHandle<R>, store: &mut Store, signals: &Signals) {
    loop {
        signals.working_on(None);
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
        signals.working_on(Some(id));
        if signals.is_cancelled(id) {
            // Cancelled before it started: the core marks it cancelled without running it.
            match store.cancel_job(&actor, id) {
                Ok(summary) if summary.status == JobStatus::Cancelled => {
                    on_job_finished(app, store, &summary);
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
            if signals.is_cancelled(progress.job_id) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        signals.forget(id);
        match result {
            Ok(summary) => on_job_finished(app, store, &summary),
            Err(e) => {
                // Refused before it started (e.g. the user lost the import permission): the job
                // stays queued for a user who may run it.
                eprintln!("import worker: job {id} did not run: {e}");
                return;
            }
        }
    }
}

/// Everything that happens when a job ends: the webview's event, the OS notification (in the
/// language of the user who ran it) and the result e-mail (sent on its own thread; its failure
/// never changes the job).
pub fn on_job_finished<R: Runtime>(app: &AppHandle<R>, store: &Store, summary: &JobSummary) {
    let _ = app.emit(FINISHED_EVENT, summary);
    let lang = store.lang_of(&summary.created_by).unwrap_or_default();
    let (title, body) = notification_text(summary, lang);
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        eprintln!("import worker: notification not shown: {e}");
    }
    crate::mail_hooks::import_finished(app, summary);
}

/// The notification's title and body in `lang`, e.g. "Import finished" /
/// "customers.xlsx: 3 created, 1 updated, 0 failed" ("Đã nhập xong" / "customers.xlsx: 3 đã
/// tạo, 1 đã cập nhật, 0 lỗi").
pub fn notification_text(summary: &JobSummary, lang: Lang) -> (String, String) {
    let c = &summary.counts;
    let file = &summary.file_name;
    let n = |n: u32| count_in(lang, n.into());
    let counts = match lang {
        Lang::En => format!(
            "{file}: {} created, {} updated, {} failed",
            c.created, c.updated, c.failed
        ),
        Lang::Vi => format!(
            "{file}: {} đã tạo, {} đã cập nhật, {} lỗi",
            n(c.created),
            n(c.updated),
            n(c.failed)
        ),
    };
    match (summary.status, lang) {
        (JobStatus::Cancelled, Lang::En) => ("Import cancelled".into(), counts),
        (JobStatus::Cancelled, Lang::Vi) => ("Đã hủy lượt nhập".into(), counts),
        (JobStatus::Failed, _) => {
            let (title, stopped) = match lang {
                Lang::En => ("Import failed", "the import stopped"),
                Lang::Vi => ("Lượt nhập thất bại", "lượt nhập đã dừng"),
            };
            (
                title.into(),
                format!(
                    "{file}: {}",
                    summary.error_in(lang).unwrap_or_else(|| stopped.into())
                ),
            )
        }
        (_, Lang::En) => ("Import finished".into(), counts),
        (_, Lang::Vi) => ("Đã nhập xong".into(), counts),
    }
}

#[cfg(test)]
mod tests {
    use pdesk_core::jobs::ImportCounts;

    use super::*;

    fn job(status: JobStatus, error: Option<&str>) -> JobSummary {
        JobSummary {
            id: 4,
            kind: "file".into(),
            file_name: "khach-hang.xlsx".into(),
            status,
            created_by: "lan".into(),
            created_at: "2026-12-04T10:00:00Z".into(),
            started_at: None,
            finished_at: None,
            total_rows: 1_305,
            rows_done: 1_305,
            counts: ImportCounts {
                rows: 1_305,
                created: 1_200,
                updated: 100,
                failed: 5,
                ..ImportCounts::default()
            },
            error: error.map(String::from),
            error_code: None,
            error_details: serde_json::Value::Null,
            shared_keys: Vec::new(),
        }
    }

    #[test]
    fn the_notification_speaks_the_language_of_the_user_who_ran_the_job() {
        let cases = [
            (
                JobStatus::Done,
                Lang::En,
                "Import finished",
                "khach-hang.xlsx: 1200 created, 100 updated, 5 failed",
            ),
            (
                JobStatus::Done,
                Lang::Vi,
                "Đã nhập xong",
                "khach-hang.xlsx: 1.200 đã tạo, 100 đã cập nhật, 5 lỗi",
            ),
            (
                JobStatus::Cancelled,
                Lang::En,
                "Import cancelled",
                "khach-hang.xlsx: 1200 created, 100 updated, 5 failed",
            ),
            (
                JobStatus::Cancelled,
                Lang::Vi,
                "Đã hủy lượt nhập",
                "khach-hang.xlsx: 1.200 đã tạo, 100 đã cập nhật, 5 lỗi",
            ),
            (
                JobStatus::Failed,
                Lang::En,
                "Import failed",
                "khach-hang.xlsx: the import stopped",
            ),
            (
                JobStatus::Failed,
                Lang::Vi,
                "Lượt nhập thất bại",
                "khach-hang.xlsx: lượt nhập đã dừng",
            ),
        ];
        for (status, lang, title, body) in cases {
            assert_eq!(
                notification_text(&job(status, None), lang),
                (title.to_string(), body.to_string()),
                "{status:?} in {lang:?}"
            );
        }
        assert_eq!(
            notification_text(&job(JobStatus::Failed, Some("disk full")), Lang::Vi).1,
            "khach-hang.xlsx: disk full",
            "a reason without Vietnamese words is passed on as the core wrote it"
        );
        let changed = JobSummary {
            error_code: Some("conflict".into()),
            error_details: serde_json::json!({
                "reason": "fileChanged", "file": "khach-hang.xlsx", "before": 10, "now": 12
            }),
            ..job(JobStatus::Failed, Some("khach-hang.xlsx changed after …"))
        };
        assert!(
            notification_text(&changed, Lang::Vi).1.starts_with(
                "khach-hang.xlsx: khach-hang.xlsx đã thay đổi sau khi bạn xác nhận nhập"
            ),
            "a failed job's reason is worded in the user's language"
        );
    }
}
