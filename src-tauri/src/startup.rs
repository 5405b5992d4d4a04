//! The app's start once the window exists: the database's health check and opening run on a
//! thread of their own (the window paints at once; `quick_check` of a large store takes
//! seconds), then the import, export and sync workers and the automatic daily backup start.

use pdesk_core::backup::{daily_backup_plan, open_checked, AutoBackupStatus, Startup};
use pdesk_core::Store;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::{AppState, LaunchOptions};

/// Sent when the automatic daily backup finished (an `AutoBackupStatus`).
pub const AUTO_BACKUP_EVENT: &str = "auto-backup-finished";

/// From the app's `setup`: opens the store in the background, unless it is already open (the
/// IPC tests hand one in), then [`on_ready`].
pub fn start<R: Runtime>(app: &AppHandle<R>) -> Result<(), Box<dyn std::error::Error>> {
    if !app.state::<AppState>().is_opening() {
        return on_ready(app);
    }
    let app = app.clone();
    std::thread::Builder::new()
        .name("open-store".into())
        .spawn(move || {
            let state = app.state::<AppState>();
            let launch = state.launch().clone();
            let opened = if launch.demo {
                Store::open_demo(&launch.db).map(|store| Startup::Ready {
                    store,
                    notice: None,
                })
            } else {
                adopt_roaming_store(&launch)
                    .and_then(|moved| {
                        open_checked(&launch.db, &*store_keychain()).map(|s| (s, moved))
                    })
                    .map(|(startup, moved)| with_notice(startup, moved))
            };
            match opened {
                Ok(Startup::Ready { store, notice }) => {
                    state.set_ready(store, notice);
                    if let Err(e) = on_ready(&app) {
                        eprintln!("Profile Desk: {e}");
                    }
                }
                // Nothing is started on a damaged database: no worker, no backup, no writes.
                Ok(Startup::Damaged(report)) => state.set_damaged(report),
                Err(e) => state.set_failed(e.into()),
            }
        })?;
    Ok(())
}

/// Where the store's key is kept: the OS keychain (see `pdesk_core::store::cipher`).
pub fn store_keychain() -> Box<dyn pdesk_core::keychain::Secrets> {
    pdesk_core::store::cipher::store_keychain()
}

/// The app's own store (no `--db`), moved out of Windows' roaming folder when an older version
/// left it there; what to tell the user about it.
fn adopt_roaming_store(launch: &LaunchOptions) -> pdesk_core::Result<Option<String>> {
    let dev = cfg!(debug_assertions);
    if launch.db != pdesk_core::default_db_path(dev)? {
        return Ok(None);
    }
    Ok(pdesk_core::backup::relocate::adopt_roaming_store(dev)?.map(|moved| moved.message))
}

/// `startup` with `moved` told first.
fn with_notice(startup: Startup, moved: Option<String>) -> Startup {
    match (startup, moved) {
        (Startup::Ready { store, notice }, Some(moved)) => Startup::Ready {
            store,
            notice: Some(match notice {
                Some(notice) => format!("{moved} {notice}"),
                None => moved,
            }),
        },
        (startup, _) => startup,
    }
}

/// Once the store is open (at start, or after a damaged database was replaced by a backup):
/// the sweep of crash leftovers, the import and export workers, then the daily backup when it is due (never in demo mode).
pub fn on_ready<R: Runtime>(app: &AppHandle<R>) -> Result<(), Box<dyn std::error::Error>> {
    // Before the workers start: the temporary files of jobs and operations a crash interrupted
    // (those of another live process are kept).
    if let Ok(store) = app.state::<AppState>().store() {
        if let Err(e) = store.sweep_crash_leftovers() {
            eprintln!("Profile Desk: the leftovers of an earlier crash were not swept: {e}");
        }
    }
    crate::import_worker::start(app)?;
    crate::export_worker::start(app)?;
    let state = app.state::<AppState>();
    if state.launch().demo {
        return Ok(());
    }
    // A demo store never syncs; any other may be connected to a server.
    crate::sync_worker::start(app)?;
    let plan = match daily_backup_plan(&state.launch().db, &state.protection()) {
        Ok(Some(plan)) => plan,
        Ok(None) => return Ok(()),
        Err(e) => {
            state.set_auto_backup(AutoBackupStatus::Failed {
                message: e.to_string(),
            });
            return Ok(());
        }
    };
    state.set_auto_backup(AutoBackupStatus::Running);
    let app = app.clone();
    std::thread::Builder::new()
        .name("daily-backup".into())
        .spawn(move || {
            let status = match plan.run() {
                Ok(report) => AutoBackupStatus::Done { report },
                Err(e) => AutoBackupStatus::Failed {
                    message: format!("The automatic daily backup failed: {e}"),
                },
            };
            app.state::<AppState>().set_auto_backup(status.clone());
            let _ = app.emit(AUTO_BACKUP_EVENT, status);
        })?;
    Ok(())
}
