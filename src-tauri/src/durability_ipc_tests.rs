//! Panics (issue 15 item 6): a worker that panics is restarted, fails the job it was on with a
//! clear message and tells the webview; a panic inside a command's transaction does not
//! poison the store for the commands after it.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use pdesk_core::clock::{Clock, FakeClock};
use pdesk_core::jobs::{ImportSettings, ImportSource};
use pdesk_core::Store;
use serde_json::json;
use tauri::Listener;
use time::OffsetDateTime;

use crate::ipc_tests::{
    invoke, invoke_on, paste_settings, set_local_smtp, start, wait_for_job, THREE_ROWS,
};
use crate::state::AppState;

/// A fake clock that panics once, on the import worker's thread, after it was armed: the
/// worker's next step fails as a bug in it would.
#[derive(Debug, Default)]
struct TripClock {
    time: FakeClock,
    armed: AtomicBool,
    /// The same for the export worker.
    export_armed: AtomicBool,
}

impl Clock for TripClock {
    fn now_utc(&self) -> OffsetDateTime {
        let on_worker = std::thread::current().name() == Some("import-worker");
        if on_worker && self.armed.swap(false, Ordering::SeqCst) {
            panic!("a bug in the import");
        }
        let on_exporter = std::thread::current().name() == Some("export-worker");
        if on_exporter && self.export_armed.swap(false, Ordering::SeqCst) {
            panic!("a bug in the export");
        }
        self.time.now_utc()
    }
}

#[test]
fn a_panicking_import_worker_fails_its_job_says_so_and_runs_the_next_one() {
    let clock = Arc::new(TripClock::default());
    let h = start(None, |store| store.set_clock(clock.clone()));
    // The worker announces the job it starts (`import-progress`), then claims it: the trip
    // is armed in between, so the worker panics on that job.
    let arm = clock.clone();
    let armed_once = AtomicBool::new(true);
    let listener = h
        .app
        .listen_any(crate::import_worker::PROGRESS_EVENT, move |_| {
            if armed_once.swap(false, Ordering::SeqCst) {
                arm.armed.store(true, Ordering::SeqCst);
            }
        });
    let preview = invoke(&h, "inspect_paste", json!({ "text": THREE_ROWS })).expect("preview");
    let source = json!({ "kind": "paste", "text": THREE_ROWS });
    let settings = paste_settings(&preview);
    let job = invoke(
        &h,
        "confirm_import",
        json!({ "source": source, "settings": settings }),
    )
    .expect("confirmed");
    let failed = wait_for_job(&h, &job["id"]);
    h.app.unlisten(listener);
    assert_eq!(
        failed["status"], "failed",
        "not left queued or running: {failed}"
    );
    let error = failed["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("internal error (a bug in the import)") && error.contains("restarted"),
        "a clear message: {error}"
    );
    // The worker is still there: the next job runs.
    let job = invoke(
        &h,
        "confirm_import",
        json!({ "source": source, "settings": settings }),
    )
    .expect("confirmed");
    let done = wait_for_job(&h, &job["id"]);
    assert_eq!(
        done["status"], "done",
        "the restarted worker ran it: {done}"
    );
    assert_eq!(pdesk_testkit::profile_count(&h.db), 3);
}

/// A paste of `n` customers (name, phone).
fn pasted(n: u32) -> String {
    (1..=n).map(|i| format!("Khách {i}\t09{i:08}\n")).collect()
}

#[test]
fn a_panic_inside_a_commands_transaction_leaves_the_store_to_the_next_command() {
    let (_dir, db) = pdesk_testkit::temp_db();
    let store = Store::open(&db).expect("store");
    let state = AppState::signed_in(store, None);
    let text = pasted(1_000);
    let id = {
        let (mut store, actor) = state.lock().expect("signed in");
        let (columns, _) = pdesk_core::jobs::paste_columns(&text, 1_000, 5, false).unwrap();
        let mut mapping = store.suggest_mapping(&actor, &columns).unwrap();
        mapping[0].target = Some("full_name".into());
        mapping[1].target = Some("phones".into());
        let settings = ImportSettings::new(columns, mapping);
        store
            .queue_import(&actor, &ImportSource::Paste(text.clone()), &settings)
            .expect("queued")
    };
    // The import reports progress after 1,000 rows, inside its open transaction: a panic
    // there unwinds through the transaction while the command holds the store.
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let (mut store, actor) = state.lock().expect("signed in");
        let _ = store.run_job(&actor, id, |p| {
            if p.rows_done >= 1_000 {
                panic!("a bug in a command");
            }
            ControlFlow::Continue(())
        });
    }));
    assert!(panicked.is_err(), "the command panicked");

    let (mut store, actor) = state
        .lock()
        .expect("the next command gets the store, not a poisoned lock");
    let count = |store: &Store| {
        store
            .count_profiles(&actor, &Default::default())
            .unwrap()
            .total
    };
    assert_eq!(count(&store), 0, "the panicked transaction was rolled back");
    store
        .seed_demo(&actor, 5, 1)
        .expect("the next command writes");
    assert_eq!(count(&store), 5);
    drop(store);
    assert_eq!(
        pdesk_testkit::profile_count(&db),
        5,
        "committed for everyone"
    );
}

/// A send runs on a connection of its own (`AppState::connection`), which must open an
/// encrypted store with its key: the send then fails for what the e-mail settings say, never
/// because the store could not be opened.
#[test]
fn a_test_mail_from_an_encrypted_store_reaches_the_smtp_step() {
    use pdesk_core::store::cipher::{Protection, StoreKey};
    let (dir, db) = pdesk_testkit::temp_db();
    let store = Store::open_protected(
        &db,
        std::sync::Arc::new(pdesk_core::clock::SystemClock),
        Protection::Encrypted(StoreKey::generate()),
    )
    .expect("an encrypted store");
    let h = crate::ipc_tests::start_with(AppState::signed_in(store, None), dir);
    // Nothing listens on this port: the send can only fail at the SMTP step.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    set_local_smtp(&h, port);
    let sent = invoke(&h, "send_test_mail", json!({ "to": "an@example.vn" }));
    let error = sent.expect_err("nothing listens on the port").to_string();
    assert!(
        !error.contains("without its key") && !error.contains("encrypted"),
        "the send's own connection could not open the store: {error}"
    );
}

/// An SMTP server that accepts and then says nothing: a send waits for its timeout (20 s).
/// Meanwhile other commands must go on — the send holds no lock on the app's store.
#[test]
fn a_slow_smtp_server_does_not_hold_up_the_other_commands() {
    use std::sync::mpsc::channel;
    use std::time::Duration;
    let h = start(None, |_| {});
    let server = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = server.local_addr().unwrap().port();
    set_local_smtp(&h, port);
    let (accepted, connected) = channel();
    let (release, released) = channel::<()>();
    let silent = std::thread::spawn(move || {
        let (conn, _) = server.accept().expect("the send connects");
        accepted.send(()).unwrap();
        let _ = released.recv(); // silent until the test is done
        drop(conn);
    });
    let webview = h.webview.clone();
    let send = std::thread::spawn(move || {
        invoke_on(&webview, "send_test_mail", json!({ "to": "an@example.vn" }))
    });
    connected
        .recv_timeout(Duration::from_secs(20))
        .expect("the send reached the server");
    // The send is now waiting on the server. Another command answers at once.
    let webview = h.webview.clone();
    let (answered, answer) = channel();
    std::thread::spawn(move || {
        let _ = answered.send(invoke_on(&webview, "users", json!({})));
    });
    let listed = answer.recv_timeout(Duration::from_secs(10));
    release.send(()).unwrap();
    silent.join().unwrap();
    let sent = send.join().unwrap();
    assert!(
        sent.is_err(),
        "the silent server made the send fail: {sent:?}"
    );
    let listed = listed.expect("another command answered while the send waited");
    assert!(listed.is_ok(), "{listed:?}");
}

/// The app sweeps at start what a crash left: a dead backup's temporary file goes before the
/// workers start.
#[test]
fn the_app_sweeps_the_temporary_files_a_crash_left_at_start() {
    let mut leftover = None;
    let h = start(None, |store| {
        let backups = store.path().parent().unwrap().join("backups");
        std::fs::create_dir_all(&backups).unwrap();
        let file = backups.join(".profile-desk-20260105T090000Z-manual.db.partial");
        std::fs::write(&file, b"half a backup").unwrap();
        leftover = Some(file);
    });
    let leftover = leftover.expect("made");
    assert!(!leftover.exists(), "swept at start");
    drop(h);
}

/// The export worker too: a panic fails the export it was on, and the worker goes on.
#[test]
fn a_panicking_export_worker_fails_its_export_and_runs_the_next_one() {
    let clock = Arc::new(TripClock::default());
    let h = start(None, |store| {
        store.set_clock(clock.clone());
        let admin = store.actor(None).unwrap();
        store.seed_demo(&admin, 3, 1).unwrap();
    });
    let (finished, ends) = std::sync::mpsc::channel();
    let listener = h
        .app
        .listen_any(crate::export_worker::FINISHED_EVENT, move |e| {
            let _ = finished.send(e.payload().to_string());
        });
    // Armed once the export has started (its first progress report, after its claim): the
    // worker panics while writing it.
    let arm = clock.clone();
    let armed_once = AtomicBool::new(true);
    let arming = h
        .app
        .listen_any(crate::export_worker::PROGRESS_EVENT, move |_| {
            if armed_once.swap(false, Ordering::SeqCst) {
                arm.export_armed.store(true, Ordering::SeqCst);
            }
        });
    let request = json!({
        "query": { "search": "", "filter": [], "sort": null, "utcOffsetMinutes": 0 },
        "fields": "all", "columns": [], "ids": null
    });
    let job = invoke(&h, "start_export", json!({ "request": request })).expect("queued");
    let first: serde_json::Value = serde_json::from_str(
        &ends
            .recv_timeout(std::time::Duration::from_secs(20))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["id"], job["id"]);
    assert_eq!(first["status"], "failed", "{first}");
    assert!(
        first["error"]
            .as_str()
            .unwrap_or_default()
            .contains("internal error"),
        "{first}"
    );
    let job = invoke(&h, "start_export", json!({ "request": request })).expect("queued");
    let second: serde_json::Value = serde_json::from_str(
        &ends
            .recv_timeout(std::time::Duration::from_secs(20))
            .unwrap(),
    )
    .unwrap();
    h.app.unlisten(listener);
    h.app.unlisten(arming);
    assert_eq!(second["id"], job["id"]);
    assert_eq!(
        second["status"], "done",
        "the restarted worker ran it: {second}"
    );
}
