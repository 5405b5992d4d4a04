//! The app's start once the window exists. The store opens on a thread of its own (the window
//! paints at once); the database's `quick_check` — seconds for a million profiles — runs
//! before it only when the last run did not close the database cleanly (`instance.rs`).
//! Nothing else stands in front of the list's first page (issue 18): once the window has it
//! (or after [`FIRST_PAGE_WAIT`], when nobody signs in), the deferred check after a clean exit
//! runs, then the import, export and sync workers start, then the daily backup when it is due.
//! A late check that finds damage puts the app in its damaged state (every command refuses)
//! and tells the window, which shows the recovery screen; no worker was started on it.

use std::time::Duration;

use pdesk_core::backup::{
    daily_backup_plan, health::damage_report, open_for_start, quick_problem, AutoBackupStatus,
    DamageReport, StartCheck, Startup,
};
use pdesk_core::Store;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::{AppState, LaunchOptions};

/// Sent whenever the automatic daily backup starts or ends (an `AutoBackupStatus`).
pub const AUTO_BACKUP_EVENT: &str = "auto-backup";

/// Sent when the health check run after the first page found the database damaged (a
/// `DamageReport`): the window shows the recovery screen.
pub const DAMAGED_EVENT: &str = "database-damaged";

/// How long the deferred work waits for the list's first page before it starts anyway (the
/// sign-in screen may stay up for minutes; a role may not see the list at all).
const FIRST_PAGE_WAIT: Duration = Duration::from_secs(5);

/// From the app's `setup`: opens the store in the background, unless it is already open (the
/// IPC tests hand one in), then [`on_ready`].
pub fn start<R: Runtime>(app: &AppHandle<R>) -> Result<(), Box<dyn std::error::Error>> {
    if !app.state::<AppState>().is_opening() {
        let started = on_ready(app);
        app.state::<AppState>().start_finished();
        return started;
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
                        open_for_start(&launch.db, &*store_keychain(), launch.start_check)
                            .map(|s| (s, moved))
                    })
                    .map(|(startup, moved)| with_notice(startup, moved))
            };
            match opened {
                Ok(Startup::Ready { store, notice }) => {
                    state.set_ready(store, notice);
                    after_first_page(&app, &launch);
                }
                // Nothing is started on a damaged database: no worker, no backup, no writes.
                Ok(Startup::Damaged(report)) => state.set_damaged(report),
                Err(e) => state.set_failed(e.into()),
            }
            state.start_finished();
        })?;
    Ok(())
}

/// What waits for the list's first page: the health check the start skipped after a clean
/// exit, then [`on_ready`] — unless that check finds damage.
fn after_first_page<R: Runtime>(app: &AppHandle<R>, launch: &LaunchOptions) {
    let state = app.state::<AppState>();
    state.wait_for_first_page(FIRST_PAGE_WAIT);
    if launch.start_check == StartCheck::AfterFirstPage && !launch.demo {
        if let Some(report) = late_damage(&state, launch) {
            state.set_damaged(report.clone());
            let _ = app.emit(DAMAGED_EVENT, report);
            return;
        }
    }
    if let Err(e) = on_ready(app) {
        eprintln!("Profile Desk: {e}");
    }
}

/// The deferred `quick_check` on a read-only connection of its own (commands go on meanwhile):
/// the damage found, if any. A check that cannot run at all is not damage: it is logged.
fn late_damage(state: &AppState, launch: &LaunchOptions) -> Option<DamageReport> {
    let protection = state.protection();
    match quick_problem(&launch.db, protection.key()) {
        Ok(None) => None,
        Ok(Some(problem)) => Some(DamageReport {
            found_after_opening: true,
            ..damage_report(&launch.db, problem.clone(), protection.key()).unwrap_or_else(|e| {
                // Still damaged: the recovery screen, without the backups it could not list.
                eprintln!("Profile Desk: the backups for the recovery were not listed: {e}");
                DamageReport {
                    database: launch.db.display().to_string(),
                    problem,
                    newest_good_backup: None,
                    backup_folder: String::new(),
                    backups_found: 0,
                    found_after_opening: true,
                }
            })
        }),
        Err(e) => {
            eprintln!("Profile Desk: the health check after the first page did not run: {e}");
            None
        }
    }
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
    let _ = app.emit(AUTO_BACKUP_EVENT, AutoBackupStatus::Running);
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
