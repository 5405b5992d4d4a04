//! IPC tests of the app's identity, About, backup and restore, and the start on a damaged
//! database — the real command set and config on a mock runtime, temp-dir stores.

use std::path::PathBuf;

use pdesk_core::backup::StartCheck;
use pdesk_core::Store;
use pdesk_testkit::users;
use serde_json::{json, Value};
use tauri::Manager;

use crate::file_grants::FileGrants;
use crate::ipc_tests::{invoke, start, start_with};
use crate::state::{AppState, LaunchOptions};

/// tauri.conf.json as written (before `app_context` adapts it to the build).
fn raw_config() -> Value {
    serde_json::from_str(include_str!("../../tauri.conf.json")).expect("tauri.conf.json")
}

#[test]
fn development_and_release_builds_use_different_identifiers_and_data_folders() {
    let release = pdesk_core::store::app_identifier(false);
    let dev = pdesk_core::store::app_identifier(true);
    assert_ne!(release, dev, "two identifiers");
    assert_eq!(
        raw_config()["identifier"],
        release,
        "tauri.conf.json carries the release identifier (installers are built with it)"
    );
    let h = start(None, |_| {});
    let app = h.webview.app_handle();
    let expected = if cfg!(debug_assertions) { dev } else { release };
    assert_eq!(
        app.config().identifier,
        expected,
        "this build runs under its own identifier"
    );
    let webview_data = app.path().app_local_data_dir().expect("app local data dir");
    assert!(
        webview_data.ends_with(expected),
        "the webview's data folder follows the build's identifier: {}",
        webview_data.display()
    );
    assert_eq!(
        pdesk_core::default_db_path(cfg!(debug_assertions))
            .unwrap()
            .parent(),
        Some(webview_data.as_path()),
        "the store lives in Tauri's local app-data folder (never the roaming one on Windows)"
    );
    let dev_db = pdesk_core::default_db_path(true).unwrap();
    let release_db = pdesk_core::default_db_path(false).unwrap();
    assert_ne!(
        dev_db.parent(),
        release_db.parent(),
        "development data never lands in the installed app's folder"
    );
    assert!(dev_db.parent().unwrap().ends_with(dev));
    assert!(release_db.parent().unwrap().ends_with(release));
    assert!(
        pdesk_core::demo::demo_db_path(false)
            .unwrap()
            .starts_with(release_db.parent().unwrap())
            && pdesk_core::demo::demo_db_path(false).unwrap() != release_db,
        "demo mode has its own database, next to the real one"
    );
}

#[test]
fn app_info_carries_the_identity_from_cargo_toml() {
    let h = start(None, |_| {});
    let info = invoke(&h, "app_info", json!({})).expect("app_info");
    assert_eq!(info["productName"], "Profile Desk");
    assert_eq!(
        info["version"],
        env!("CARGO_PKG_VERSION"),
        "the version comes from Cargo.toml"
    );
    let package_json: Value = serde_json::from_str(include_str!("../../package.json")).unwrap();
    assert_eq!(
        package_json["version"],
        env!("CARGO_PKG_VERSION"),
        "package.json carries the same version as Cargo.toml"
    );
    assert!(
        raw_config().get("version").is_none(),
        "tauri.conf.json has no version of its own: Tauri takes Cargo.toml's"
    );
    assert_eq!(info["publisher"], "Profile Desk team");
    assert_eq!(info["description"], env!("CARGO_PKG_DESCRIPTION"));
    assert_eq!(info["demo"], false, "a normal store is not demo data");
    assert_eq!(
        PathBuf::from(info["dataPath"].as_str().unwrap()),
        h.db,
        "the data path is the open database"
    );
    // (The mock runtime keeps no window title; the config the window is made from has it.)
    let title = h.webview.app_handle().config().app.windows[0].title.clone();
    assert_eq!(
        title,
        crate::window_title(cfg!(debug_assertions), false),
        "the window is titled for this build"
    );
    assert_eq!(crate::window_title(false, false), "Profile Desk");
    assert_eq!(crate::window_title(false, true), "Profile Desk — Demo data");
}

#[test]
fn licence_notices_list_what_ships_and_nothing_else() {
    let h = start(None, |_| {});
    let notices = invoke(&h, "licence_notices", json!({})).expect("licence notices");
    let packages = notices["packages"].as_array().expect("packages");
    let find = |eco: &str, name: &str| {
        packages
            .iter()
            .find(|p| p["ecosystem"] == eco && p["name"] == name)
    };
    for name in [
        "tauri",
        "rusqlite",
        "calamine",
        "rust_xlsxwriter",
        "serde",
        "webkit2gtk",
    ] {
        let p = find("crate", name).unwrap_or_else(|| panic!("the notices list the crate {name}"));
        assert!(
            !p["license"].as_str().unwrap_or_default().is_empty(),
            "{name} has its licence"
        );
    }
    let tauri = find("crate", "tauri").unwrap();
    let texts = notices["texts"].as_array().unwrap();
    let text_of = |id: &Value| {
        texts
            .iter()
            .find(|t| t["id"] == *id)
            .and_then(|t| t["text"].as_str())
            .unwrap_or_default()
    };
    assert!(
        tauri["textIds"]
            .as_array()
            .unwrap()
            .iter()
            .any(|id| text_of(id).contains("Apache License")),
        "tauri's Apache licence text is included"
    );
    let api = find("npm", "@tauri-apps/api").expect("the UI's bundled npm package is listed");
    assert_eq!(api["license"], "Apache-2.0 OR MIT");
    for (eco, name) in [
        ("crate", "pdesk-core"),
        ("crate", "profile-desk"),
        ("crate", "ts-rs"),
        ("crate", "proptest"),
        ("crate", "tauri-build"),
        ("npm", "vite"),
        ("npm", "vitest"),
        ("npm", "webdriverio"),
    ] {
        assert!(
            find(eco, name).is_none(),
            "{name} does not ship in the app (our own, dev or build-only), so it is not listed"
        );
    }
    let ids: std::collections::HashSet<String> =
        texts.iter().map(|t| t["text"].to_string()).collect();
    assert_eq!(ids.len(), texts.len(), "each licence text is stored once");
}

#[test]
fn back_up_now_and_restore_through_ipc() {
    let h = start(None, |store| {
        users::add_sales(store);
    });
    let input = json!({ "values": { "full_name": "Hồ Thị Hoa" } });
    invoke(
        &h,
        "create_profile",
        json!({ "input": input, "consent": { "channels": {} } }),
    )
    .expect("create");
    let report = invoke(&h, "back_up_now", json!({})).expect("back up now");
    assert_eq!(
        report["profiles"], 1,
        "the backup counts the profile: {report}"
    );
    let path = report["entry"]["path"].as_str().unwrap().to_string();
    let overview = invoke(&h, "backup_overview", json!({})).expect("overview");
    assert!(
        overview["backups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["path"] == path.as_str()),
        "the overview lists the new backup: {overview}"
    );
    assert_eq!(
        overview["settings"]["keep"], 7,
        "seven generations by default"
    );

    let input = json!({ "values": { "full_name": "Added Later" } });
    invoke(
        &h,
        "create_profile",
        json!({ "input": input, "consent": { "channels": {} } }),
    )
    .expect("create");
    let restored = invoke(
        &h,
        "restore_backup",
        json!({ "path": path, "keepBackupMailSettings": false }),
    )
    .expect("restore a backup listed in the folder");
    assert_eq!(restored["profiles"], 1, "{restored}");
    let page = invoke(&h, "count_profiles", json!({ "query": { "search": "" } })).expect("count");
    assert_eq!(
        page["total"], 1,
        "the app works on the restored data at once"
    );

    let missing = h.db.display().to_string() + ".nope";
    let grants = h.app.state::<FileGrants>();
    grants.grant([PathBuf::from(&missing)]);
    let err = invoke(
        &h,
        "restore_backup",
        json!({ "path": missing, "keepBackupMailSettings": false }),
    )
    .expect_err("a missing file is refused");
    assert_eq!(err["code"], "backup", "typed code for the UI: {err}");

    let err = invoke(&h, "recover_from_backup", json!({ "path": path }))
        .expect_err("recovery is only for a damaged database");
    assert_eq!(err["code"], "conflict", "{err}");
}

#[test]
fn a_sales_user_cannot_back_up_or_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("profiles.db");
    let mut store = Store::open(&db).unwrap();
    let admin = store.actor(None).unwrap();
    store.add_user(&admin, "sam", "Sales").unwrap();
    let h = start_with(AppState::signed_in(store, Some("sam".into())), dir);
    for (cmd, args) in [
        ("back_up_now", json!({})),
        ("backup_overview", json!({})),
        (
            "restore_backup",
            json!({ "path": "/tmp/x.db", "keepBackupMailSettings": false }),
        ),
        (
            "set_backup_settings",
            json!({ "settings": { "folder": "/tmp", "keep": 3, "autoDaily": false } }),
        ),
    ] {
        let err = invoke(&h, cmd, args).expect_err("refused");
        assert_eq!(err["code"], "permission", "{cmd}: {err}");
        assert_eq!(
            err["details"]["permission"], "settings.manage",
            "{cmd}: {err}"
        );
    }
}

#[test]
fn the_page_restores_only_a_listed_backup_or_a_file_chosen_in_the_dialog() {
    let h = start(None, |_| {});
    let create = |name: &str| {
        let input = json!({ "values": { "full_name": name } });
        invoke(
            &h,
            "create_profile",
            json!({ "input": input, "consent": { "channels": {} } }),
        )
        .expect("create");
    };
    let total = || {
        invoke(&h, "count_profiles", json!({ "query": { "search": "" } })).expect("count")["total"]
            .clone()
    };
    create("Hồ Thị Hoa");
    let report = invoke(&h, "back_up_now", json!({})).expect("back up now");
    let listed = PathBuf::from(report["entry"]["path"].as_str().unwrap());
    create("Added Later");
    // A backup file the page names but the user never chose (outside the backup folder).
    let elsewhere = h.db.parent().unwrap().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let unchosen = elsewhere.join("profile-desk-20250102T101112Z-manual.db");
    std::fs::copy(&listed, &unchosen).unwrap();
    let before = std::fs::read(&h.db).unwrap();
    for cmd in ["restore_backup", "recover_from_backup"] {
        let err = invoke(
            &h,
            cmd,
            json!({ "path": unchosen.display().to_string(), "keepBackupMailSettings": false }),
        )
        .expect_err("a file the user did not choose is refused");
        assert_eq!(err["code"], "notChosen", "{cmd}: {err}");
        assert!(
            err["message"]
                .as_str()
                .unwrap()
                .contains("was not chosen for a restore"),
            "{cmd}: {err}"
        );
    }
    assert_eq!(total(), 2, "nothing was restored");
    assert_eq!(
        std::fs::read(&h.db).unwrap(),
        before,
        "the database file is untouched"
    );

    // Chosen in the native dialog (granted as `pick_backup_file` grants it): restored.
    h.app.state::<FileGrants>().grant([unchosen.clone()]);
    let restored = invoke(
        &h,
        "restore_backup",
        json!({ "path": unchosen.display().to_string(), "keepBackupMailSettings": true }),
    )
    .expect("a chosen file is restored");
    assert_eq!(restored["profiles"], 1, "{restored}");
    assert_eq!(total(), 1);
}

/// Waits for the start-up check (`startup_status` blocks until it is done).
fn startup(h: &crate::ipc_tests::Harness) -> Value {
    invoke(h, "startup_status", json!({})).expect("startup status")
}

#[test]
fn a_damaged_database_is_never_opened_and_a_backup_brings_the_app_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("profiles.db");
    let backup = {
        let mut store = Store::open(&db).unwrap();
        let admin = store.actor(None).unwrap();
        store.seed_demo(&admin, 500, 1).unwrap();
        PathBuf::from(store.backup_plan(&admin).unwrap().run().unwrap().entry.path)
    };
    let mut bytes = std::fs::read(&db).unwrap();
    for b in &mut bytes[4096..4096 * 8] {
        *b ^= 0xA5;
    }
    std::fs::write(&db, &bytes).unwrap();
    let launch = LaunchOptions {
        db: db.clone(),
        user: None,
        demo: false,
        start_check: StartCheck::Now,
    };
    let h = start_with(AppState::opening(launch), dir);

    let status = startup(&h);
    assert_eq!(
        status["state"], "damaged",
        "the start reports the damage: {status}"
    );
    assert_eq!(
        status["report"]["newestGoodBackup"]["path"],
        backup.display().to_string(),
        "and offers the newest good backup"
    );
    let err = invoke(&h, "session", json!({})).expect_err("no store while damaged");
    assert_eq!(err["code"], "damaged", "every command says why: {err}");
    let err = invoke(
        &h,
        "create_profile",
        json!({ "input": { "values": { "full_name": "X" } }, "consent": { "channels": {} } }),
    )
    .expect_err("nothing can write");
    assert_eq!(err["code"], "damaged");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "the damaged file was not written"
    );

    let report = invoke(
        &h,
        "recover_from_backup",
        json!({ "path": backup.display().to_string() }),
    )
    .expect("recover");
    let kept = PathBuf::from(report["damagedKeptAs"].as_str().unwrap());
    assert_eq!(
        std::fs::read(&kept).unwrap(),
        bytes,
        "the damaged file is kept as it was"
    );
    assert_eq!(
        startup(&h)["state"],
        "ready",
        "the app is ready on the restored data"
    );
    let screen = invoke(&h, "start_screen", json!({})).expect("start screen");
    assert_eq!(
        screen["screen"], "firstRun",
        "the restored store (whose administrator has no password yet) goes on to its first run: {screen}"
    );
    let store = Store::open(&db).unwrap();
    let admin = store.actor(None).unwrap();
    assert_eq!(
        store
            .count_profiles(&admin, &Default::default())
            .unwrap()
            .total,
        500,
        "the backup's profiles are back"
    );
}

#[test]
fn after_a_clean_exit_the_check_runs_after_the_first_page_and_damage_brings_the_recovery() {
    use tauri::Listener;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("profiles.db");
    let backup = {
        let mut store = Store::open(&db).unwrap();
        let admin = store.actor(None).unwrap();
        store.seed_demo(&admin, 300, 1).unwrap();
        PathBuf::from(store.backup_plan(&admin).unwrap().run().unwrap().entry.path)
    };
    // Damage that opening the store and its first page never read: an index's only page.
    pdesk_testkit::damage::damage_index(&db, "profiles_company").unwrap();
    let launch = LaunchOptions {
        db: db.clone(),
        user: None,
        demo: false,
        start_check: StartCheck::AfterFirstPage,
    };
    let h = start_with(AppState::opening(launch), dir);
    let (told, heard) = std::sync::mpsc::channel();
    h.app
        .listen_any(crate::startup::DAMAGED_EVENT, move |event| {
            let _ = told.send(event.payload().to_string());
        });

    assert_eq!(
        startup(&h)["state"],
        "ready",
        "after a clean exit the store opens without the check in front of the list"
    );
    let state = h.app.state::<AppState>();
    assert!(
        !state.wait_for_start(std::time::Duration::ZERO),
        "the check and the workers wait for the list's first page"
    );
    state.first_page_served();
    assert!(
        state.wait_for_start(std::time::Duration::from_secs(120)),
        "then the deferred check runs"
    );
    let report: Value =
        serde_json::from_str(&heard.recv().expect("the window is told")).expect("a report");
    assert_eq!(
        report["newestGoodBackup"]["path"],
        backup.display().to_string(),
        "the recovery screen offers the newest good backup"
    );
    assert_eq!(
        report["foundAfterOpening"], true,
        "and says the store had been opened"
    );
    assert_eq!(
        startup(&h)["state"],
        "damaged",
        "a reload shows the recovery too"
    );
    let err = invoke(&h, "session", json!({})).expect_err("no store once damaged");
    assert_eq!(err["code"], "damaged", "every command says why: {err}");

    invoke(
        &h,
        "recover_from_backup",
        json!({ "path": backup.display().to_string() }),
    )
    .expect("the recovery screen restores the backup");
    assert_eq!(startup(&h)["state"], "ready");
}

#[test]
fn demo_mode_opens_its_own_marked_database_of_generated_profiles() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo").join("profiles.db");
    let real = dir.path().join("profiles.db");
    let launch = LaunchOptions {
        db: db.clone(),
        user: None,
        demo: true,
        start_check: StartCheck::Now,
    };
    let h = start_with(AppState::opening(launch), dir);
    assert_eq!(startup(&h)["state"], "ready");
    let info = invoke(&h, "app_info", json!({})).unwrap();
    assert_eq!(
        info["demo"], true,
        "the UI is told to mark the window as demo data"
    );
    let counts = invoke(&h, "count_profiles", json!({ "query": { "search": "" } })).unwrap();
    assert_eq!(
        counts["total"],
        pdesk_core::demo::DEMO_PROFILES,
        "filled with generated profiles"
    );
    assert!(
        !real.exists(),
        "the real database is not touched by demo mode"
    );
    assert!(
        !db.parent().unwrap().join("backups").exists(),
        "demo mode takes no automatic backups"
    );

    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let err = LaunchOptions::from_args(&args(&["profile-desk", "--demo", "--db", "/tmp/x.db"]))
        .expect_err("--demo and --db together are refused");
    assert!(err.to_string().contains("cannot be combined"), "{err}");
    let demo = LaunchOptions::from_args(&args(&["profile-desk", "--demo"])).unwrap();
    assert!(demo.demo);
    assert_eq!(
        demo.db,
        pdesk_core::demo::demo_db_path(cfg!(debug_assertions)).unwrap()
    );
}
