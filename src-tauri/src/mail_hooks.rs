//! The result e-mails of finished jobs, sent off the workers' threads: each e-mail gets a short
//! thread with its own store connection, so a slow or dead SMTP server never delays the next
//! job, and a failure never changes a job's outcome — the core records it on the job (shown
//! with a Retry button) and it is logged. `job-mail` tells the webview (a `JobMail`).

use pdesk_core::export::ExportJob;
use pdesk_core::jobs::JobSummary;
use pdesk_core::mail::{JobKind, JobMail, OsKeychain};
use pdesk_core::Store;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::AppState;

pub const MAIL_EVENT: &str = "job-mail";

/// The OS keychain under the app's identifier (development builds have their own).
pub fn keychain() -> OsKeychain {
    OsKeychain::new(pdesk_core::store::app_identifier(cfg!(debug_assertions)))
}

pub fn export_finished<R: Runtime>(app: &AppHandle<R>, job: &ExportJob) {
    spawn(app, JobKind::Export, job.id);
}

pub fn import_finished<R: Runtime>(app: &AppHandle<R>, job: &JobSummary) {
    spawn(app, JobKind::Import, job.id);
}

fn spawn<R: Runtime>(app: &AppHandle<R>, kind: JobKind, id: i64) {
    let clock = app.state::<AppState>().clock();
    let protection = app.state::<AppState>().protection();
    let db = match app.state::<AppState>().db_path() {
        Ok(db) => db,
        Err(e) => {
            eprintln!("mail: no database for job {id}: {}", e.message);
            return;
        }
    };
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("job-mail".into())
        .spawn(move || match send(&db, clock, protection, kind, id) {
            Ok(mail) => {
                if let Some(detail) = mail
                    .detail
                    .as_deref()
                    .filter(|_| mail.status != pdesk_core::mail::MailStatus::Sent)
                {
                    eprintln!("mail: job {id}: {detail}");
                }
                let _ = app.emit(MAIL_EVENT, mail);
            }
            Err(e) => eprintln!("mail: job {id}: {e}"),
        });
    if let Err(e) = spawned {
        eprintln!("mail: cannot start the mail thread: {e}");
    }
}

fn send(
    db: &std::path::Path,
    clock: std::sync::Arc<dyn pdesk_core::clock::Clock>,
    protection: pdesk_core::store::Protection,
    kind: JobKind,
    id: i64,
) -> pdesk_core::Result<JobMail> {
    let store = Store::open_protected(db, clock, protection)?;
    let secrets = keychain();
    match kind {
        JobKind::Export => {
            let owner = store.export_owner(id)?;
            Ok(store.send_export_mail(&store.export_job(&owner, id)?, &secrets))
        }
        JobKind::Import => {
            let owner = store.job_owner(id)?;
            Ok(store.send_import_mail(&store.job(&owner, id)?, &secrets))
        }
    }
}
