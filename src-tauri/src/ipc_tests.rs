//! IPC tests: the real command set and the real capabilities (`tauri.conf.json`) on a mock
//! runtime, against a temp-dir store. They prove that the boundary adds nothing and removes
//! nothing: the core's permission checks and validation reach the webview as `{code, ...}`.

use pdesk_core::model::{ConsentInput, ProfileInput};
use pdesk_core::Store;
use pdesk_testkit::users;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

use crate::state::AppState;

pub(crate) struct Harness {
    pub(crate) app: tauri::App<MockRuntime>,
    pub(crate) webview: WebviewWindow<MockRuntime>,
    pub(crate) db: std::path::PathBuf,
    pub(crate) _dir: tempfile::TempDir,
}

/// The app on a fresh store, acting as `user` (None: the administrator). `prepare` may add
/// users or data first.
pub(crate) fn start(user: Option<&str>, prepare: impl FnOnce(&mut Store)) -> Harness {
    launch(prepare, |store| {
        AppState::signed_in(store, user.map(String::from))
    })
}

/// The app as it really starts on the store `prepare` made: first run, sign-in screen, or the
/// only user signed in (`AppState::new`).
fn start_for_real(prepare: impl FnOnce(&mut Store)) -> Harness {
    launch(prepare, |store| AppState::new(store, None))
}

fn launch(prepare: impl FnOnce(&mut Store), state: impl FnOnce(Store) -> AppState) -> Harness {
    let (dir, db) = pdesk_testkit::temp_db();
    let mut store = Store::open(&db).expect("store");
    prepare(&mut store);
    start_with(state(store), dir)
}

/// The app around `state` (its database inside `dir`), started as the real app starts (with
/// the build's context: `app_context`).
pub(crate) fn start_with(state: AppState, dir: tempfile::TempDir) -> Harness {
    let db = state.launch().db.clone();
    let context = crate::app_context(state.launch());
    let mut app = crate::builder(mock_builder(), state)
        .build(context)
        .expect("app builds with the real config");
    // A mock app never runs its event loop, so its setup (the config's windows, then the
    // `setup` hook that starts the import worker) would never run: one iteration runs it,
    // exactly as the real app's start does.
    #[allow(deprecated)]
    app.run_iteration(|_, _| {});
    let webview = app
        .get_webview_window("main")
        .expect("the config's main window");
    Harness {
        app,
        webview,
        db,
        _dir: dir,
    }
}

/// Settings → E-mail saved as an SMTP server on loopback `port`, no TLS, no password; returns
/// what the command answered.
pub(crate) fn set_local_smtp(h: &Harness, port: u16) -> Value {
    invoke(
        h,
        "set_mail_settings",
        json!({ "input": { "host": "127.0.0.1", "port": port, "security": "none",
                           "username": "", "sender": "desk@example.vn", "password": null } }),
    )
    .expect("saved")
}

pub(crate) fn invoke(h: &Harness, cmd: &str, args: Value) -> Result<Value, Value> {
    invoke_on(&h.webview, cmd, args)
}

/// [`invoke`] through `webview` (a clone of the harness's, e.g. from another thread).
pub(crate) fn invoke_on(
    webview: &WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(webview, request).map(|body| match body {
        tauri::ipc::InvokeResponseBody::Json(s) => serde_json::from_str(&s).expect("json"),
        tauri::ipc::InvokeResponseBody::Raw(_) => Value::Null,
    })
}

fn profile_count(h: &Harness) -> u32 {
    pdesk_testkit::profile_count(&h.db)
}

#[test]
fn the_administrator_creates_a_profile_through_ipc() {
    let h = start(None, |_| {});
    let input = json!({ "values": { "full_name": "Nguyễn Văn A", "phones": ["0912 345 678"] } });
    let out = invoke(
        &h,
        "create_profile",
        json!({ "input": input, "consent": { "channels": {} } }),
    )
    .expect("created");
    assert_eq!(out["outcome"]["outcome"], "created", "a new profile: {out}");
    assert_eq!(
        out["message"], "Created profile Nguyễn Văn A",
        "the sentence for the toast"
    );
    assert_eq!(profile_count(&h), 1, "the profile is in the store");
}

#[test]
fn a_viewers_create_is_refused_by_the_core_and_the_store_is_unchanged() {
    let h = start(Some(users::VIEWER), |store| {
        users::add_viewer(store);
    });
    let input = json!({ "values": { "full_name": "Should Not Exist" } });
    let err = invoke(
        &h,
        "create_profile",
        json!({ "input": input, "consent": { "channels": {} } }),
    )
    .expect_err("a viewer cannot create");
    assert_eq!(
        err["code"], "permission",
        "the UI branches on the code: {err}"
    );
    assert_eq!(
        err["details"]["permission"], "profile.create",
        "details name the permission"
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("You do not have permission to create profiles"),
        "the message is for users: {err}"
    );
    assert_eq!(profile_count(&h), 0, "nothing was written");
    let session = invoke(&h, "session", json!({})).expect("session");
    assert_eq!(session["role"], "Viewer", "the session says who is acting");
}

#[test]
fn invalid_input_comes_back_as_field_errors() {
    let h = start(None, |_| {});
    let input = json!({ "values": { "emails": ["not-an-email"] } });
    let err = invoke(
        &h,
        "create_profile",
        json!({ "input": input, "consent": { "channels": {} } }),
    )
    .expect_err("invalid");
    assert_eq!(
        err["code"], "validation",
        "validation errors are typed: {err}"
    );
    let fields: Vec<&str> = err["details"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        ["emails.0", "identification"],
        "each problem names its field and entry"
    );
    assert_eq!(profile_count(&h), 0, "nothing was written");
}

#[test]
fn commands_outside_the_app_set_are_not_reachable() {
    let h = start(None, |_| {});
    let err = invoke(&h, "plugin:fs|read_file", json!({ "path": "/etc/passwd" }));
    assert!(
        err.is_err(),
        "no filesystem plugin is exposed to the webview: {err:?}"
    );
    let err = invoke(&h, "execute_sql", json!({ "sql": "DROP TABLE profiles" }));
    assert!(err.is_err(), "there is no generic SQL command: {err:?}");
}

#[test]
fn list_and_detail_round_trip() {
    let h = start(None, |store| {
        let admin = store.actor(None).expect("admin");
        let input = ProfileInput::default()
            .with("full_name", "Đặng Thị Bình")
            .with("city", "Huế");
        store
            .create_profile(&admin, &input, &ConsentInput::default())
            .expect("create");
    });
    let counts = invoke(
        &h,
        "count_profiles",
        json!({ "query": { "search": "dang" } }),
    )
    .expect("count");
    assert_eq!(
        counts,
        json!({ "total": 1, "filtered": 1 }),
        "accent-insensitive count"
    );
    let page = invoke(
        &h,
        "list_profiles",
        json!({ "query": { "search": "" }, "offset": 0, "limit": 50, "columns": ["full_name", "city"] }),
    )
    .expect("page");
    assert_eq!(
        page["rows"][0]["cells"]["full_name"], "Đặng Thị Bình",
        "the row's cells: {page}"
    );
    let id = page["rows"][0]["id"].clone();
    let detail = invoke(&h, "get_profile", json!({ "id": id })).expect("detail");
    assert_eq!(
        detail["profile"]["values"]["city"], "Huế",
        "detail values: {detail}"
    );
}

/// Prepares a store with one profile (id 1).
fn with_one_profile(store: &mut Store) {
    let admin = store.actor(None).expect("admin");
    let input = ProfileInput::default()
        .with("full_name", "Nguyễn Văn An")
        .with("phones", "0912345678");
    store
        .create_profile(&admin, &input, &ConsentInput::default())
        .expect("create");
}

/// How many entries the audit log holds (read through the core, as an administrator).
fn audit_entries(h: &Harness) -> u64 {
    let store = Store::open(&h.db).expect("reopen");
    let admin = store.actor(None).expect("admin");
    store.verify_audit(&admin).expect("verify").entries
}

#[test]
fn a_viewers_delete_is_refused_by_the_core_and_the_store_is_unchanged() {
    let h = start(Some(users::VIEWER), |store| {
        with_one_profile(store);
        users::add_viewer(store);
    });
    let entries = audit_entries(&h);
    let err = invoke(
        &h,
        "delete_profiles",
        json!({ "ids": [1], "reason": "Customer asked to be forgotten" }),
    )
    .expect_err("a viewer cannot delete");
    assert_eq!(
        err["code"], "permission",
        "the UI branches on the code: {err}"
    );
    assert_eq!(
        err["details"]["permission"], "profile.delete",
        "details name the permission"
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("You do not have permission to delete profiles"),
        "the message is for users: {err}"
    );
    let err = invoke(&h, "delete_preview", json!({ "ids": [1] })).expect_err("no preview");
    assert_eq!(
        err["code"], "permission",
        "the preview is refused too: {err}"
    );
    assert_eq!(profile_count(&h), 1, "nothing was deleted");
    assert_eq!(audit_entries(&h), entries, "nothing was audited");
}

#[test]
fn a_delete_without_a_reason_is_refused_and_the_store_is_unchanged() {
    let h = start(None, with_one_profile);
    let entries = audit_entries(&h);
    let err = invoke(
        &h,
        "delete_profiles",
        json!({ "ids": [1], "reason": "   " }),
    )
    .expect_err("a reason is required");
    assert_eq!(err["code"], "validation", "typed as validation: {err}");
    assert_eq!(
        err["details"][0]["field"], "reason",
        "the field error names the reason: {err}"
    );
    assert_eq!(profile_count(&h), 1, "nothing was deleted");
    assert_eq!(audit_entries(&h), entries, "nothing was audited");
}

#[test]
fn the_administrator_previews_and_deletes_through_ipc() {
    let h = start(None, with_one_profile);
    let preview = invoke(&h, "delete_preview", json!({ "ids": [1] })).expect("preview");
    assert_eq!(
        preview,
        json!({ "profiles": 1, "accounts": 0, "opportunities": 0, "tickets": 0, "tasks": 0, "server": null }),
        "camelCase counts for the dialog (no server: the store does not sync)"
    );
    let result = invoke(
        &h,
        "delete_profiles",
        json!({ "ids": [1], "reason": "Duplicate" }),
    )
    .expect("deleted");
    assert_eq!(result["deleted"], 1, "one deleted: {result}");
    assert_eq!(
        result["auditEntries"].as_array().map(Vec::len),
        Some(1),
        "one audit entry id: {result}"
    );
    assert_eq!(profile_count(&h), 0, "the profile is gone");
    let ids: Vec<u32> = (1..=101).collect();
    let err = invoke(
        &h,
        "delete_profiles",
        json!({ "ids": ids, "reason": "Too many" }),
    )
    .expect_err("over the limit");
    assert_eq!(err["code"], "limit", "the limit is the core's: {err}");
}

/// Three pasted customers (name, phone), as Excel puts them on the clipboard.
pub(crate) const THREE_ROWS: &str =
    "Nguyễn Văn An\t0912345671\nTrần Thị Bình\t0912345672\nLê Văn Cường\t0912345673\n";

/// The settings the wizard sends: the preview's columns and mapping, the first column mapped
/// to the name, the second to phones and a third (if any) to the city by the user (a paste
/// has no headers), no consent, the default policy.
pub(crate) fn paste_settings(preview: &Value) -> Value {
    let mut mapping = preview["mapping"].clone();
    mapping[0]["target"] = json!("full_name");
    mapping[1]["target"] = json!("phones");
    if mapping.as_array().is_some_and(|m| m.len() > 2) {
        mapping[2]["target"] = json!("city");
    }
    json!({
        "columns": preview["columns"],
        "mapping": mapping,
        "consent": { "channels": {} },
        "policy": "overwrite",
    })
}

/// Waits until job `id` has ended (the worker runs in the mock app too): the job is read
/// again each time the worker says a job finished (`import-finished`), never on a timer. The
/// listener is in place before the first read, so an end in between is not missed; the time
/// limit only turns a hung worker into a failure.
pub(crate) fn wait_for_job(h: &Harness, id: &Value) -> Value {
    use tauri::Listener;
    let (finished, ends) = std::sync::mpsc::channel::<()>();
    let listener = h
        .app
        .listen_any(crate::import_worker::FINISHED_EVENT, move |_| {
            let _ = finished.send(());
        });
    let job = loop {
        let jobs = invoke(h, "import_jobs", json!({})).expect("jobs");
        let job = jobs
            .as_array()
            .expect("a list")
            .iter()
            .find(|j| &j["id"] == id)
            .cloned()
            .expect("the job is listed");
        if !matches!(job["status"].as_str(), Some("queued" | "running")) {
            break job;
        }
        if ends
            .recv_timeout(std::time::Duration::from_secs(20))
            .is_err()
        {
            panic!("the worker did not finish the job: {job}");
        }
    };
    h.app.unlisten(listener);
    job
}

/// A first pasted row of column names comes back as `headerRow` and names the columns; the
/// webview's "It is a customer" asks again with `firstRowIsData`, and Confirm with the
/// preview's `headerRow` leaves the names out.
#[test]
fn a_pasted_header_row_is_said_and_can_be_taken_as_a_customer() {
    let h = start(None, |_| {});
    let text = format!("Họ và tên\tSĐT\tE-mail\n{THREE_ROWS}");
    let preview = invoke(&h, "inspect_paste", json!({ "text": text })).expect("preview");
    assert_eq!(preview["headerRow"][1], "SĐT", "{preview}");
    assert_eq!(preview["columns"][0]["header"], "Họ và tên", "{preview}");
    assert_eq!(preview["totalRows"], 3, "{preview}");
    let as_data = invoke(
        &h,
        "inspect_paste",
        json!({ "text": text, "firstRowIsData": true }),
    )
    .expect("preview");
    assert_eq!(as_data["headerRow"], Value::Null, "{as_data}");
    assert_eq!(as_data["totalRows"], 4, "{as_data}");
    let mut settings = paste_settings(&preview);
    settings["headerRow"] = json!(true);
    let source = json!({ "kind": "paste", "text": text });
    let job = invoke(
        &h,
        "confirm_import",
        json!({ "source": source, "settings": settings }),
    )
    .expect("confirmed");
    assert_eq!(job["totalRows"], 3, "the names are not a row: {job}");
    let done = wait_for_job(&h, &job["id"]);
    assert_eq!(done["counts"]["created"], 3, "{done}");
    assert_eq!(done["counts"]["failed"], 0, "{done}");
}

#[test]
fn a_paste_is_previewed_dry_run_confirmed_and_processed_by_the_worker() {
    let h = start(None, |_| {});
    let preview = invoke(&h, "inspect_paste", json!({ "text": THREE_ROWS })).expect("preview");
    assert_eq!(preview["fileName"], "Pasted data", "camelCase: {preview}");
    assert_eq!(preview["totalRows"], 3, "three rows: {preview}");
    assert_eq!(
        preview["columns"][1]["header"], "Column 2",
        "paste columns by position: {preview}"
    );
    let settings = paste_settings(&preview);
    let problems = invoke(
        &h,
        "check_import_mapping",
        json!({ "columns": settings["columns"], "mapping": settings["mapping"] }),
    )
    .expect("checked");
    assert_eq!(problems, json!([]), "the user's mapping is usable");
    let source = json!({ "kind": "paste", "text": THREE_ROWS });
    let dry = invoke(
        &h,
        "dry_run_import",
        json!({ "source": source, "settings": settings }),
    )
    .expect("dry run");
    assert_eq!(dry["counts"]["created"], 3, "three would be created: {dry}");
    assert_eq!(profile_count(&h), 0, "the dry run changes nothing");
    let job = invoke(
        &h,
        "confirm_import",
        json!({ "source": source, "settings": settings }),
    )
    .expect("confirmed");
    assert_eq!(job["fileName"], "Pasted data", "the job is returned: {job}");
    assert_eq!(job["totalRows"], 3, "with its row count: {job}");
    let done = wait_for_job(&h, &job["id"]);
    assert_eq!(done["status"], "done", "the worker ran it: {done}");
    assert_eq!(done["counts"]["created"], 3, "as the dry run said: {done}");
    assert_eq!(profile_count(&h), 3, "the profiles are in the store");
    let again = invoke(&h, "inspect_paste", json!({ "text": THREE_ROWS })).expect("preview");
    assert_eq!(
        again["mapping"][0]["target"], "full_name",
        "confirm remembered the mapping for these columns: {again}"
    );
    let undone = invoke(&h, "undo_import", json!({ "jobId": job["id"] })).expect("undone");
    assert_eq!(
        undone["job"]["status"], "undone",
        "undo through IPC: {undone}"
    );
    assert_eq!(undone["removed"], 3, "the result counts: {undone}");
    assert_eq!(profile_count(&h), 0, "the created profiles are gone");
}

#[test]
fn the_import_worker_runs_on_the_clock_of_the_store_handed_in() {
    use pdesk_core::clock::FakeClock;
    let h = start(None, |store| {
        store.set_clock(std::sync::Arc::new(FakeClock::default()))
    });
    let fake_now = pdesk_core::clock::format(FakeClock::START);
    let preview = invoke(&h, "inspect_paste", json!({ "text": THREE_ROWS })).expect("preview");
    let source = json!({ "kind": "paste", "text": THREE_ROWS });
    let job = invoke(
        &h,
        "confirm_import",
        json!({ "source": source, "settings": paste_settings(&preview) }),
    )
    .expect("confirmed");
    let done = wait_for_job(&h, &job["id"]);
    assert_eq!(done["status"], "done", "the worker ran it: {done}");
    for at in ["createdAt", "startedAt", "finishedAt"] {
        assert_eq!(
            done[at], fake_now,
            "{at}: the worker's own connection reads the fake clock, not the computer's: {done}"
        );
    }
}

#[test]
fn failed_rows_and_the_import_template_are_saved_through_the_test_hook_without_a_dialog() {
    let h = start(None, |_| {});
    // The second row has only a city: nothing identifies it, so it fails.
    let text = "Nguyễn Văn An\t0912345671\tHà Nội\n\t\tHuế\n";
    let preview = invoke(&h, "inspect_paste", json!({ "text": text })).expect("preview");
    let source = json!({ "kind": "paste", "text": text });
    let job = invoke(
        &h,
        "confirm_import",
        json!({ "source": source, "settings": paste_settings(&preview) }),
    )
    .expect("confirmed");
    let done = wait_for_job(&h, &job["id"]);
    assert_eq!(done["counts"]["failed"], 1, "one row failed: {done}");
    let out = tempfile::tempdir().expect("out dir");
    // Only this test sets the variable; no other test saves failed rows or a template.
    std::env::set_var(crate::import_commands::E2E_SAVE_DIR, out.path());
    let saved = invoke(&h, "save_failed_rows", json!({ "jobId": job["id"] })).expect("saved");
    let template = invoke(&h, "save_import_template", json!({ "lang": "vi" }));
    std::env::remove_var(crate::import_commands::E2E_SAVE_DIR);
    let template_path = out.path().join("Tệp mẫu nhập khách hàng.xlsx");
    assert_eq!(
        template.expect("the template is saved"),
        json!(template_path.display().to_string()),
        "the template under its Vietnamese name in the hook's folder"
    );
    let (columns, _) = pdesk_core::jobs::file_columns(&template_path, &Default::default(), 5)
        .expect("the import reads the template");
    assert_eq!(
        columns[0].header, "Họ và tên",
        "headers in the language the UI sent"
    );
    let expected = out.path().join("Pasted data - failed rows.xlsx");
    assert_eq!(
        saved,
        json!(expected.display().to_string()),
        "the default name in the hook's folder"
    );
    assert!(expected.is_file(), "the file was written");
}

#[test]
fn a_viewer_is_refused_the_import_template_before_any_dialog() {
    let h = start(Some(users::VIEWER), |store| {
        users::add_viewer(store);
    });
    // Without the hook a dialog would open: the refusal comes first.
    let err = invoke(&h, "save_import_template", json!({ "lang": "en" }))
        .expect_err("a viewer cannot import");
    assert_eq!(
        (err["code"].as_str(), err["details"]["permission"].as_str()),
        (Some("permission"), Some("profile.import")),
        "{err}"
    );
    let err = invoke(&h, "save_import_template", json!({ "lang": "fr" }))
        .expect_err("an unknown language");
    assert_ne!(
        err["code"], "permission",
        "refused as a bad argument: {err}"
    );
}

#[test]
fn a_viewers_confirm_is_refused_and_nothing_is_queued() {
    let h = start(Some(users::VIEWER), |store| {
        users::add_viewer(store);
    });
    let settings = json!({
        "columns": [
            { "index": 0, "header": "Column 1", "samples": [] },
            { "index": 1, "header": "Column 2", "samples": [] },
        ],
        "mapping": [
            { "column": 0, "target": "full_name", "reason": "noMatch" },
            { "column": 1, "target": "phones", "reason": "noMatch" },
        ],
        "consent": { "channels": {} },
        "policy": "overwrite",
    });
    let err = invoke(
        &h,
        "confirm_import",
        json!({ "source": { "kind": "paste", "text": THREE_ROWS }, "settings": settings }),
    )
    .expect_err("a viewer cannot import");
    assert_eq!(err["code"], "permission", "typed: {err}");
    assert_eq!(
        err["details"]["permission"], "profile.import",
        "details name the permission: {err}"
    );
    let err = invoke(&h, "inspect_paste", json!({ "text": THREE_ROWS })).expect_err("no preview");
    assert_eq!(
        err["code"], "permission",
        "the preview is refused too: {err}"
    );
    let jobs = invoke(&h, "import_jobs", json!({})).expect("a viewer sees the report");
    assert_eq!(jobs, json!([]), "nothing was queued");
    assert_eq!(profile_count(&h), 0, "nothing was written");
}

#[test]
fn a_csv_renamed_xlsx_is_refused_with_the_rule() {
    let h = start(None, |_| {});
    let path = h._dir.path().join("customers.xlsx");
    std::fs::write(&path, "name,phone\nAn,0912345671\n").expect("write csv");
    drop_files(&h, std::slice::from_ref(&path));
    let err = invoke(
        &h,
        "inspect_import_file",
        json!({ "path": path.display().to_string() }),
    )
    .expect_err("not an xlsx");
    assert_eq!(err["code"], "importRefused", "typed: {err}");
    assert_eq!(
        err["details"]["refusal"], "notXlsx",
        "details name the rule: {err}"
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("customers.xlsx"),
        "the message names the file: {err}"
    );
    let err = invoke(
        &h,
        "split_import_file",
        json!({ "path": path.display().to_string() }),
    )
    .expect_err("cannot split it either");
    assert_eq!(err["code"], "importRefused", "typed: {err}");
}

/// What the window does when the user drops `paths` on it.
fn drop_files(h: &Harness, paths: &[std::path::PathBuf]) {
    let grants = h.app.state::<crate::file_grants::FileGrants>();
    let event = tauri::DragDropEvent::Drop {
        paths: paths.to_vec(),
        position: tauri::PhysicalPosition::new(10.0, 10.0),
    };
    crate::file_grants::on_drag_drop(&h.app.handle().clone(), &grants, &event);
}

#[test]
fn only_files_the_user_chose_or_dropped_are_read() {
    use tauri::Listener;
    let h = start(None, |_| {});
    let path = h._dir.path().join("elsewhere.xlsx");
    std::fs::write(&path, "not chosen").expect("write");
    let args = json!({ "path": path.display().to_string() });
    let err = invoke(&h, "inspect_import_file", args.clone()).expect_err("not chosen");
    assert_eq!(
        err["code"], "notChosen",
        "a path the user never gave the app is not read: {err}"
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap_or_default()
            .contains("elsewhere.xlsx"),
        "the message names the file: {err}"
    );
    let err = invoke(&h, "split_import_file", args.clone()).expect_err("not chosen");
    assert_eq!(err["code"], "notChosen", "nor written next to: {err}");
    let err = invoke(
        &h,
        "dry_run_import",
        json!({ "source": { "kind": "file", "path": path.display().to_string() },
                "settings": { "columns": [], "mapping": [], "consent": { "channels": {} }, "policy": "overwrite" } }),
    )
    .expect_err("not chosen");
    assert_eq!(err["code"], "notChosen", "nor dry-run: {err}");

    let (tx, rx) = std::sync::mpsc::channel::<String>();
    h.app.listen_any("import-files-dropped", move |e| {
        let _ = tx.send(e.payload().to_string());
    });
    drop_files(&h, &[path.clone(), h._dir.path().to_path_buf()]);
    let payload = rx
        .recv_timeout(std::time::Duration::from_secs(5))
        .expect("the drop reaches the webview");
    let payload: Value = serde_json::from_str(&payload).expect("json payload");
    assert_eq!(
        payload["paths"],
        json!([path.display().to_string()]),
        "the dropped file is sent to the webview, the dropped folder is not"
    );
    let err = invoke(&h, "inspect_import_file", args).expect_err("not an xlsx");
    assert_eq!(
        err["code"], "importRefused",
        "a dropped file is read (and judged by its content): {err}"
    );
}

#[test]
fn the_pick_hook_returns_the_given_paths_without_a_dialog() {
    let h = start(None, |_| {});
    std::env::set_var(
        crate::import_commands::E2E_PICK,
        "/tmp/a.xlsx;/tmp/b c.xlsx;",
    );
    let picked = invoke(&h, "pick_import_files", json!({})).expect("picked");
    std::env::remove_var(crate::import_commands::E2E_PICK);
    assert_eq!(
        picked,
        json!(["/tmp/a.xlsx", "/tmp/b c.xlsx"]),
        "paths split on ';', empty ones dropped"
    );
}

#[test]
fn settings_are_refused_for_sales_and_changed_by_the_administrator() {
    let h = start(Some(users::SALES), |store| {
        users::add_sales(store);
    });
    let err = invoke(&h, "limit_settings", json!({})).expect_err("sales cannot see limits");
    assert_eq!(
        err["details"]["permission"], "settings.manage",
        "names the permission: {err}"
    );
    let err = invoke(&h, "add_consent_channel", json!({ "label": "Zalo" }))
        .expect_err("sales cannot add channels");
    assert_eq!(err["code"], "permission", "typed: {err}");

    let h = start(None, |_| {});
    let limits = invoke(
        &h,
        "set_limits",
        json!({ "values": [{ "key": "paste_rows", "value": 500 }] }),
    )
    .expect("the administrator changes a limit");
    let paste = limits
        .as_array()
        .and_then(|l| l.iter().find(|l| l["key"] == "paste_rows"))
        .cloned()
        .expect("paste_rows is listed");
    assert_eq!(paste["value"], 500, "the new value comes back: {paste}");
    assert_eq!(paste["default"], 1000, "with its default: {paste}");
    let err = invoke(
        &h,
        "set_limits",
        json!({ "values": [{ "key": "paste_rows", "value": 0 }] }),
    )
    .expect_err("out of bounds");
    assert_eq!(err["code"], "validation", "typed: {err}");
    assert_eq!(
        err["details"][0]["field"], "paste_rows",
        "names the limit: {err}"
    );
    let channels = invoke(&h, "add_consent_channel", json!({ "label": "Zalo" })).expect("added");
    assert_eq!(
        channels[3]["key"], "zalo",
        "camelCase settings rows: {channels}"
    );
    let offered = invoke(&h, "consent_channels", json!({})).expect("channels");
    assert_eq!(
        offered.as_array().map(Vec::len),
        Some(4),
        "the consent step offers the new channel at once: {offered}"
    );
}

// ---- sign-in ------------------------------------------------------------------------------

const ADMIN_PASSWORD: &str = "admin password 1";

/// Sets the store up as the first run would (administrator `lan`) and adds `sam` (Sales).
fn two_users(store: &mut Store) {
    use pdesk_core::users::{FirstRunSetup, NewUser};
    let admin = store
        .complete_first_run(&FirstRunSetup {
            name: "lan".into(),
            display_name: "Trần Thị Lan".into(),
            password: ADMIN_PASSWORD.into(),
            region: "VN".into(),
        })
        .expect("first run");
    store
        .create_user(
            &admin,
            &NewUser {
                name: "sam".into(),
                display_name: "Sam".into(),
                role: "Sales".into(),
                password: "sales password 1".into(),
            },
        )
        .expect("sam");
}

#[test]
fn a_new_store_opens_on_the_first_run_and_nothing_else_answers_before_it() {
    let h = start_for_real(|_| {});
    let screen = invoke(&h, "start_screen", json!({})).expect("screen");
    assert_eq!(
        screen["screen"], "firstRun",
        "a new store asks for its administrator: {screen}"
    );
    assert_eq!(
        screen["defaultRegion"], "VN",
        "Vietnam by default: {screen}"
    );
    assert!(
        screen["regions"].as_array().is_some_and(|r| r.len() > 5),
        "the regions to choose from: {screen}"
    );
    let err = invoke(&h, "count_profiles", json!({ "query": { "search": "" } }))
        .expect_err("nobody is signed in");
    assert_eq!(err["code"], "signedOut", "typed for the UI: {err}");
    let err = invoke(&h, "read_clipboard", json!({})).expect_err("nobody is signed in");
    assert_eq!(
        err["code"], "signedOut",
        "the clipboard may hold customers: {err}"
    );
    let err = invoke(
        &h,
        "complete_first_run",
        json!({ "setup": { "name": "lan", "displayName": "", "password": "short", "region": "VN" } }),
    )
    .expect_err("weak password");
    assert_eq!(
        err["details"][0]["field"], "password",
        "the password rule: {err}"
    );
    let ready = invoke(
        &h,
        "complete_first_run",
        json!({ "setup": { "name": "lan", "displayName": "Lan", "password": ADMIN_PASSWORD, "region": "TH" } }),
    )
    .expect("set up");
    assert_eq!(
        ready["screen"], "ready",
        "signed in after the first run: {ready}"
    );
    assert_eq!(
        ready["session"]["role"], "Administrator",
        "as the administrator: {ready}"
    );
    assert_eq!(
        ready["idleLockMinutes"], 15,
        "the idle lock the window uses: {ready}"
    );
    invoke(&h, "count_profiles", json!({ "query": { "search": "" } }))
        .expect("commands answer now");
}

#[test]
fn with_two_users_the_app_asks_who_signs_in_and_checks_the_password() {
    let h = start_for_real(two_users);
    let screen = invoke(&h, "start_screen", json!({})).expect("screen");
    assert_eq!(
        screen["screen"], "signIn",
        "two users: the sign-in screen: {screen}"
    );
    let names: Vec<&str> = screen["users"]
        .as_array()
        .map(|u| u.iter().filter_map(|x| x["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["lan", "sam"], "both can sign in: {screen}");
    let err = invoke(&h, "session", json!({})).expect_err("not signed in");
    assert_eq!(err["code"], "signedOut", "{err}");
    let err = invoke(
        &h,
        "sign_in",
        json!({ "name": "sam", "password": "nope nope" }),
    )
    .expect_err("wrong password");
    assert_eq!(err["code"], "auth", "typed: {err}");
    let ready = invoke(
        &h,
        "sign_in",
        json!({ "name": "sam", "password": "sales password 1" }),
    )
    .expect("right password");
    assert_eq!(
        ready["session"]["role"], "Sales",
        "signed in as Sales: {ready}"
    );
    let err = invoke(&h, "delete_preview", json!({ "ids": [1] })).expect_err("sales cannot delete");
    assert_eq!(
        err["details"]["permission"], "profile.delete",
        "the core still decides: {err}"
    );
    let out = invoke(&h, "sign_out", json!({})).expect("signed out");
    assert_eq!(out["screen"], "signIn", "back to the sign-in screen: {out}");
    assert_eq!(
        out["preselect"], "sam",
        "with the user who left preselected: {out}"
    );
    let err = invoke(&h, "list_columns", json!({})).expect_err("signed out");
    assert_eq!(err["code"], "signedOut", "{err}");
}

#[test]
fn a_locked_session_refuses_commands_until_the_password_unlocks_it() {
    let h = start_for_real(|store| {
        use pdesk_core::users::FirstRunSetup;
        store
            .complete_first_run(&FirstRunSetup {
                name: "lan".into(),
                display_name: String::new(),
                password: ADMIN_PASSWORD.into(),
                region: "VN".into(),
            })
            .expect("first run");
    });
    let screen = invoke(&h, "start_screen", json!({})).expect("screen");
    assert_eq!(
        (screen["screen"].as_str(), screen["preselect"].as_str()),
        (Some("signIn"), Some("lan")),
        "even the only user types the password at every start: {screen}"
    );
    let err = invoke(&h, "list_columns", json!({})).expect_err("nobody signed in yet");
    assert_eq!(err["code"], "signedOut", "{err}");
    invoke(
        &h,
        "sign_in",
        json!({ "name": "lan", "password": ADMIN_PASSWORD }),
    )
    .expect("signed in");
    let locked = invoke(&h, "lock_session", json!({})).expect("locked");
    assert_eq!(locked["screen"], "locked", "{locked}");
    assert_eq!(
        locked["user"]["name"], "lan",
        "the lock screen names the user: {locked}"
    );
    let err = invoke(&h, "list_columns", json!({})).expect_err("locked");
    assert_eq!(err["code"], "locked", "typed for the UI: {err}");
    let touched = invoke(&h, "touch_session", json!({})).expect("touch");
    assert_eq!(
        touched["screen"], "locked",
        "activity does not unlock: {touched}"
    );
    let err = invoke(
        &h,
        "unlock_session",
        json!({ "password": "wrong password" }),
    )
    .expect_err("wrong password");
    assert_eq!(err["code"], "auth", "{err}");
    let ready =
        invoke(&h, "unlock_session", json!({ "password": ADMIN_PASSWORD })).expect("unlocked");
    assert_eq!(ready["screen"], "ready", "{ready}");
    invoke(&h, "list_columns", json!({})).expect("commands answer again");
    let store = Store::open(&h.db).expect("reopen");
    let conn_actions = {
        let admin = store.actor(Some("lan")).expect("lan");
        store.verify_audit(&admin).expect("verify").entries
    };
    assert!(
        conn_actions >= 4,
        "first run, sign-in, lock, failed unlock, unlock are audited"
    );
}

#[test]
fn users_and_roles_are_managed_by_administrators_only() {
    let h = start(Some("sam"), two_users);
    let err = invoke(&h, "users", json!({})).expect_err("sales cannot list users");
    assert_eq!(err["details"]["permission"], "settings.manage", "{err}");
    let err = invoke(
        &h,
        "create_role",
        json!({ "name": "Boss", "permissions": ["settings.manage"] }),
    )
    .expect_err("sales cannot make roles");
    assert_eq!(err["code"], "permission", "{err}");

    let h = start(Some("lan"), two_users);
    let role = invoke(
        &h,
        "create_role",
        json!({ "name": "Auditor", "permissions": ["profile.view", "audit.view"] }),
    )
    .expect("custom role");
    assert_eq!(role["builtin"], false, "{role}");
    let user = invoke(
        &h,
        "create_user",
        json!({ "user": { "name": "an", "displayName": "", "role": "Auditor", "password": "auditor password" } }),
    )
    .expect("user");
    assert_eq!(user["hasPassword"], true, "camelCase: {user}");
    let users = invoke(&h, "users", json!({})).expect("users");
    assert_eq!(users.as_array().map(Vec::len), Some(3), "{users}");
}

#[test]
fn a_session_idle_longer_than_the_idle_lock_is_locked_by_the_core() {
    let h = start_for_real(|store| {
        use pdesk_core::users::FirstRunSetup;
        let admin = store
            .complete_first_run(&FirstRunSetup {
                name: "lan".into(),
                display_name: String::new(),
                password: ADMIN_PASSWORD.into(),
                region: "VN".into(),
            })
            .expect("first run");
        store
            .set_idle_lock_minutes(&admin, 5)
            .expect("five minutes");
    });
    invoke(
        &h,
        "sign_in",
        json!({ "name": "lan", "password": ADMIN_PASSWORD }),
    )
    .expect("signed in");
    invoke(&h, "list_columns", json!({})).expect("active");
    h.app
        .state::<AppState>()
        .age_session(std::time::Duration::from_secs(4 * 60));
    invoke(&h, "list_columns", json!({})).expect("four minutes away: still open");
    h.app
        .state::<AppState>()
        .age_session(std::time::Duration::from_secs(60));
    let err = invoke(&h, "list_columns", json!({})).expect_err("five minutes away");
    assert_eq!(
        err["code"], "locked",
        "the core locked the idle session: {err}"
    );
    let screen = invoke(&h, "start_screen", json!({})).expect("screen");
    assert_eq!(screen["screen"], "locked", "the window is told: {screen}");
    let store = Store::open(&h.db).expect("reopen");
    let admin = store.actor(None).expect("admin");
    let page = store
        .audit_entries(
            &admin,
            &pdesk_core::audit_log::AuditQuery {
                limit: 1,
                ..Default::default()
            },
        )
        .expect("audit");
    assert_eq!(
        page.entries[0].action, "auth.lock",
        "the lock is audited: {page:?}"
    );
}

#[test]
fn the_list_follows_a_typed_filter_and_refuses_sql_as_a_field() {
    let h = start(None, |store| {
        let admin = store.actor(None).expect("admin");
        for (name, city) in [("Hà Nội Person", "Hà Nội"), ("Huế Person", "Huế")] {
            let input = ProfileInput::default()
                .with("full_name", name)
                .with("city", city);
            store
                .create_profile(&admin, &input, &ConsentInput::default())
                .expect("create");
        }
    });
    let query = json!({
        "search": "",
        "filter": [{ "kind": "field", "field": "city", "op": "is", "value": "ha noi", "value2": "" }],
        "sort": null,
        "utcOffsetMinutes": 420
    });
    let counts = invoke(&h, "count_profiles", json!({ "query": query })).expect("count");
    assert_eq!(
        counts["filtered"], 1,
        "the filter narrows the count: {counts}"
    );
    assert_eq!(counts["total"], 2, "the total stays: {counts}");
    let page = invoke(
        &h,
        "list_profiles",
        json!({ "query": query, "offset": 0, "limit": 50, "columns": ["full_name"] }),
    )
    .expect("page");
    assert_eq!(
        page["rows"][0]["cells"]["full_name"], "Hà Nội Person",
        "the page follows the filter: {page}"
    );
    let evil = json!({
        "search": "",
        "filter": [{ "kind": "field", "field": "1=1) OR (1", "op": "is", "value": "x" }]
    });
    let err = invoke(&h, "count_profiles", json!({ "query": evil })).expect_err("refused");
    assert_eq!(
        err["code"], "validation",
        "an unknown field is refused: {err}"
    );
    let old_shape = invoke(&h, "count_profiles", json!({ "query": { "search": "" } }))
        .expect("a query with only search text still works");
    assert_eq!(old_shape["filtered"], 2, "{old_shape}");
    let seg = invoke(
        &h,
        "create_segment",
        json!({ "name": "Hà Nội", "query": query, "columns": ["full_name", "city"] }),
    )
    .expect("segment saved");
    let listed = invoke(&h, "segments", json!({})).expect("segments");
    assert_eq!(
        listed[0]["id"], seg["id"],
        "the saved segment is listed: {listed}"
    );
    assert_eq!(listed[0]["description"], "City is ha noi", "{listed}");
}

/// Two profiles (1 by phone, 2 by e-mail) and a create that matches both: merge review 1.
fn with_a_review(store: &mut Store) {
    with_one_profile(store);
    let admin = store.actor(None).expect("admin");
    for input in [
        ProfileInput::default()
            .with("full_name", "Nguyễn V. An")
            .with("emails", "an@example.vn"),
        ProfileInput::default()
            .with("phones", "+84 912 345 678")
            .with("emails", "AN@example.vn"),
    ] {
        store
            .create_profile(&admin, &input, &ConsentInput::default())
            .expect("create");
    }
}

#[test]
fn a_review_is_listed_shown_previewed_and_merged_through_ipc() {
    let h = start(None, with_a_review);
    assert_eq!(
        invoke(&h, "open_review_count", json!({})).expect("count"),
        json!(1),
        "the top bar's count"
    );
    let list = invoke(
        &h,
        "merge_reviews",
        json!({ "query": { "status": "open", "jobId": null } }),
    )
    .expect("list");
    assert_eq!(
        list["items"][0]["origin"], "Created by hand",
        "camelCase: {list}"
    );
    let detail = invoke(&h, "merge_review", json!({ "id": 1 })).expect("detail");
    assert_eq!(
        detail["columns"][1]["matchedBy"], "phone",
        "each candidate's key: {detail}"
    );
    let version = detail["version"].clone();
    let merge = json!({ "action": "mergeAll", "survivor": 1, "picks": [{ "field": "full_name", "from": 2 }] });
    let preview = invoke(
        &h,
        "preview_review_decision",
        json!({ "id": 1, "decision": merge }),
    )
    .expect("preview");
    assert_eq!(preview["applied"], false, "a preview: {preview}");
    assert_eq!(profile_count(&h), 2, "the preview changed nothing");
    let stale = invoke(
        &h,
        "resolve_merge_review",
        json!({ "id": 1, "decision": merge, "version": "not the version" }),
    )
    .expect_err("an old version is refused");
    assert_eq!(stale["code"], "conflict", "{stale}");
    let done = invoke(
        &h,
        "resolve_merge_review",
        json!({ "id": 1, "decision": merge, "version": version }),
    )
    .expect("merged");
    assert_eq!(done["removed"][0]["profileId"], 2, "{done}");
    assert_eq!(
        done["message"],
        preview["message"]
            .as_str()
            .unwrap()
            .replace("2 profiles will be merged into", "Merged 2 profiles into")
            .replace("; 1 will be removed (#2)", "; removed #2"),
        "the result says what the preview announced"
    );
    assert_eq!(profile_count(&h), 1, "one profile left");
    let again = invoke(
        &h,
        "resolve_merge_review",
        json!({ "id": 1, "decision": { "action": "dismiss" }, "version": version }),
    )
    .expect_err("resolved already");
    assert_eq!(again["code"], "conflict", "{again}");
    let bad = invoke(
        &h,
        "resolve_merge_review",
        json!({ "id": 1, "decision": { "action": "explode" }, "version": "" }),
    )
    .expect_err("an unknown decision does not deserialise");
    assert_eq!(
        bad["code"],
        Value::Null,
        "Tauri refuses the payload itself: {bad}"
    );
}

#[test]
fn a_viewer_sees_reviews_but_cannot_decide() {
    let h = start(Some(users::VIEWER), |store| {
        with_a_review(store);
        users::add_viewer(store);
    });
    let detail = invoke(&h, "merge_review", json!({ "id": 1 })).expect("a viewer may look");
    for (decision, permission) in [
        (
            json!({ "action": "attach", "profileId": 1 }),
            "profile.edit",
        ),
        (json!({ "action": "createNew" }), "profile.create"),
    ] {
        let err = invoke(
            &h,
            "resolve_merge_review",
            json!({ "id": 1, "decision": decision, "version": detail["version"] }),
        )
        .expect_err("refused");
        assert_eq!(err["code"], "permission", "{err}");
        assert_eq!(err["details"]["permission"], permission, "named: {err}");
    }
    assert_eq!(profile_count(&h), 2, "nothing changed");
}

#[test]
fn export_and_mail_commands_follow_the_core_rules() {
    let h = start(Some(users::VIEWER), |store| {
        users::add_viewer(store);
    });
    let request = json!({
        "query": { "search": "", "filter": [], "sort": null, "utcOffsetMinutes": 0 },
        "fields": "all", "columns": [], "ids": null
    });
    let err = invoke(&h, "export_plan", json!({ "request": request })).expect_err("refused");
    assert_eq!(
        err["details"]["permission"], "profile.export",
        "a viewer cannot export: {err}"
    );
    let err = invoke(&h, "start_export", json!({ "request": request })).expect_err("refused");
    assert_eq!(err["code"], "permission", "nor start one: {err}");
    let err = invoke(&h, "mail_settings", json!({})).expect_err("refused");
    assert_eq!(
        err["details"]["permission"], "settings.manage",
        "only administrators read the SMTP settings: {err}"
    );

    let h = start(None, |store| {
        let admin = store.actor(None).expect("admin");
        store.seed_demo(&admin, 1_001, 3).expect("seed");
    });
    let plan = invoke(&h, "export_plan", json!({ "request": request })).expect("plan");
    assert_eq!(
        (plan["rows"].as_u64(), plan["background"].as_bool()),
        (Some(1_001), Some(true)),
        "over the direct limit the dialog offers a background export: {plan}"
    );
    let job = invoke(&h, "start_export", json!({ "request": request })).expect("queued");
    assert_eq!(job["background"], true, "a background export: {job}");
    let saved = set_local_smtp(&h, 2525);
    assert_eq!(saved["settings"]["host"], "127.0.0.1", "{saved}");
    assert!(
        saved["settings"].get("password").is_none(),
        "the password never crosses IPC: {saved}"
    );
}

#[test]
fn the_signed_in_user_tells_the_core_their_own_language() {
    let h = start(Some(users::VIEWER), |store| {
        users::add_viewer(store);
    });
    invoke(&h, "set_my_lang", json!({ "lang": "vi" }))
        .expect("a viewer sets their own language: no permission needed");
    let err = invoke(&h, "set_my_lang", json!({ "lang": "fr" })).expect_err("not a language");
    assert!(
        err.to_string().contains("lang"),
        "refused at the boundary: {err}"
    );
    let store = Store::open(&h.db).expect("reopen");
    let admin = users::administrator(&store);
    assert_eq!(
        store.lang_of(users::VIEWER).unwrap(),
        pdesk_core::model::Lang::Vi,
        "kept for the signed-in user"
    );
    assert_eq!(
        store.lang_of(&admin.name).unwrap(),
        pdesk_core::model::Lang::En,
        "and for nobody else: the command has no user to name"
    );
}

#[test]
fn mail_policy_own_address_and_the_reason_an_email_was_not_sent_cross_ipc() {
    let h = start(Some(users::SALES), |store| {
        users::add_sales(store);
    });
    let err = invoke(&h, "mail_policy", json!({})).expect_err("refused");
    assert_eq!(err["details"]["permission"], "settings.manage", "{err}");
    let policy = json!({ "policy": { "allowedDomains": ["congty.vn"], "attachmentRows": 10 } });
    let err = invoke(&h, "set_mail_policy", policy.clone()).expect_err("refused");
    assert_eq!(err["code"], "permission", "{err}");
    let set = invoke(
        &h,
        "set_my_mail_address",
        json!({ "address": "sam@gmail.com" }),
    )
    .expect("a Sales user sets their own address");
    assert_eq!(set, "sam@gmail.com");

    let h = start(None, |store| {
        let admin = store.actor(None).expect("admin");
        store.seed_demo(&admin, 1_001, 3).expect("seed");
        let request = pdesk_core::export::ExportRequest {
            query: Default::default(),
            fields: pdesk_core::export::ExportFields::Displayed,
            columns: vec!["full_name".into()],
            ids: None,
        };
        let job = store.queue_export(&admin, &request).expect("queue");
        let done = store
            .run_export(&admin, job.id, |_| std::ops::ControlFlow::Continue(()))
            .expect("run");
        store.send_export_mail(&done, &pdesk_core::mail::MemorySecrets::default());
    });
    let saved = invoke(&h, "set_mail_policy", policy).expect("saved");
    assert_eq!(
        saved,
        json!({ "allowedDomains": ["congty.vn"], "attachmentRows": 10 })
    );
    assert_eq!(invoke(&h, "mail_policy", json!({})).expect("read"), saved);
    let err = invoke(
        &h,
        "set_my_mail_address",
        json!({ "address": "lan@gmail.com" }),
    )
    .expect_err("outside the allowed domains");
    assert_eq!(err["code"], "validation", "{err}");
    assert_eq!(err["details"][0]["code"], "domainNotAllowed", "{err}");
    assert_eq!(err["details"][0]["field"], "address", "{err}");
    let mails = invoke(&h, "job_mails", json!({ "kind": "export" })).expect("mails");
    assert_eq!(
        (&mails[0]["status"], &mails[0]["reason"]),
        (&json!("skipped"), &json!("notConfigured")),
        "the report gets why: {mails}"
    );
}
