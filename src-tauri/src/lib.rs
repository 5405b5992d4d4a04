//! The desktop shell: the only Rust that knows Tauri. It opens the store, manages state and
//! exposes the typed commands in `commands`; every rule lives in `pdesk_core`.

pub mod audit_commands;
pub mod backup_commands;
pub mod commands;
pub mod dialogs;
pub mod error;
pub mod export_commands;
pub mod export_worker;
pub mod file_grants;
pub mod import_commands;
pub mod import_worker;
pub mod instance;
pub mod mail_commands;
pub mod mail_hooks;
pub mod review_commands;
pub mod segment_commands;
pub mod session_commands;
pub mod settings_commands;
pub mod startup;
pub mod state;
pub mod sync_commands;
pub mod sync_worker;
pub mod work_queue;

#[cfg(test)]
mod backup_ipc_tests;
#[cfg(test)]
mod durability_ipc_tests;
#[cfg(test)]
mod ipc_tests;

use state::{AppState, LaunchOptions};
use tauri::Manager;

/// Adds the app's state, the notification plugin (used from Rust only), the start-up (health
/// check and opening in the background, then the import worker and the daily backup — see
/// `startup.rs`) and the command set to `base` (the real builder in `run`, a mock one in the
/// IPC tests — both get the same start).
pub fn builder<R: tauri::Runtime>(base: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    base.manage(state)
        .manage(import_worker::ImportQueue::default())
        .manage(file_grants::FileGrants::default())
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(drop) = event {
                let grants = window.state::<file_grants::FileGrants>();
                file_grants::on_drag_drop(window, &grants, drop);
            }
        })
        .manage(export_worker::ExportQueue::default())
        .manage(sync_worker::SyncWorker::default())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            startup::start(app.handle())?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::session,
            sync_commands::sync_status,
            sync_commands::sync_connect,
            sync_commands::sync_now,
            sync_commands::sync_pause,
            sync_commands::sync_disconnect,
            sync_commands::sync_redownload,
            sync_commands::sync_set_import_hold,
            sync_commands::sync_job_ops,
            sync_commands::sync_merge_notices,
            sync_commands::sync_retry_rejected,
            sync_commands::sync_conflicts,
            sync_commands::server_reviews,
            sync_commands::resolve_server_review,
            sync_commands::sync_rejections,
            sync_commands::resolve_sync_conflict,
            sync_commands::sync_keep_server_values,
            sync_commands::sync_discard_rejected,
            commands::app_info,
            commands::field_catalogue,
            commands::consent_channels,
            commands::list_columns,
            commands::set_list_columns,
            commands::count_profiles,
            commands::list_profiles,
            commands::get_profile,
            commands::validate_profile,
            commands::find_identifier_owner,
            commands::create_profile,
            commands::preview_create,
            commands::preview_edit,
            commands::update_profile,
            commands::delete_preview,
            commands::delete_profiles,
            import_commands::pick_import_files,
            import_commands::inspect_import_file,
            import_commands::inspect_paste,
            import_commands::split_import_file,
            import_commands::read_clipboard,
            import_commands::check_import_mapping,
            import_commands::dry_run_import,
            import_commands::confirm_import,
            import_commands::cancel_import,
            import_commands::import_jobs,
            import_commands::refused_uploads,
            import_commands::undo_import,
            import_commands::save_failed_rows,
            import_commands::save_import_template,
            review_commands::open_review_count,
            review_commands::merge_reviews,
            review_commands::merge_review,
            review_commands::preview_review_decision,
            review_commands::resolve_merge_review,
            settings_commands::limit_settings,
            settings_commands::set_limits,
            settings_commands::consent_channel_settings,
            settings_commands::add_consent_channel,
            settings_commands::rename_consent_channel,
            settings_commands::reorder_consent_channels,
            settings_commands::remove_consent_channel,
            settings_commands::users,
            settings_commands::create_user,
            settings_commands::update_user,
            settings_commands::set_user_password,
            settings_commands::roles,
            settings_commands::permission_catalogue,
            settings_commands::create_role,
            settings_commands::update_role,
            settings_commands::delete_role,
            settings_commands::sync_rule_settings,
            settings_commands::sync_rule_example,
            settings_commands::set_sync_rule,
            settings_commands::set_rule_guards,
            settings_commands::field_settings,
            settings_commands::add_field,
            settings_commands::update_field,
            settings_commands::reorder_fields,
            settings_commands::delete_field,
            settings_commands::idle_lock_minutes,
            settings_commands::set_idle_lock_minutes,
            audit_commands::audit_entries,
            audit_commands::audit_filters,
            audit_commands::verify_audit,
            audit_commands::export_audit,
            session_commands::start_screen,
            session_commands::complete_first_run,
            session_commands::sign_in,
            session_commands::unlock_session,
            session_commands::lock_session,
            session_commands::sign_out,
            session_commands::touch_session,
            session_commands::change_own_password,
            session_commands::set_my_lang,
            segment_commands::filter_fields,
            segment_commands::segments,
            segment_commands::create_segment,
            segment_commands::update_segment,
            segment_commands::rename_segment,
            segment_commands::delete_segment,
            backup_commands::startup_status,
            backup_commands::backup_overview,
            backup_commands::set_backup_settings,
            backup_commands::back_up_now,
            backup_commands::restore_backup,
            backup_commands::recover_from_backup,
            backup_commands::pick_backup_file,
            backup_commands::pick_backup_folder,
            backup_commands::licence_notices,
            backup_commands::open_demo,
            export_commands::export_plan,
            export_commands::export_now,
            export_commands::start_export,
            export_commands::export_jobs,
            export_commands::cancel_export,
            export_commands::save_export_as,
            export_commands::show_export_in_folder,
            mail_commands::mail_settings,
            mail_commands::set_mail_settings,
            mail_commands::send_test_mail,
            mail_commands::my_mail_address,
            mail_commands::set_my_mail_address,
            mail_commands::mail_policy,
            mail_commands::set_mail_policy,
            mail_commands::job_mails,
            mail_commands::retry_job_mail,
        ])
}

/// The Tauri context with this build's identity: development builds get their own identifier,
/// so their database AND the webview's data (Tauri puts it in the app-local-data folder of the
/// identifier) never touch an installed app's; the window title says development or demo.
pub fn app_context<R: tauri::Runtime>(launch: &LaunchOptions) -> tauri::Context<R> {
    let dev = cfg!(debug_assertions);
    let mut context = tauri::generate_context!();
    let config = context.config_mut();
    config.identifier = pdesk_core::store::app_identifier(dev).to_string();
    let title = window_title(dev, launch.demo);
    for window in &mut config.app.windows {
        window.title = title.clone();
    }
    context
}

/// "Profile Desk", with "— Demo data" in demo mode and "(development build)" in one.
pub fn window_title(dev: bool, demo: bool) -> String {
    let mut title = String::from("Profile Desk");
    if demo {
        title.push_str(" — Demo data");
    }
    if dev {
        title.push_str(" (development build)");
    }
    title
}

/// Starts Profile Desk: the window opens at once; the database is checked and opened in the
/// background (`startup.rs`).
pub fn run() {
    // WebKitGTK's DMA-BUF renderer paints late or blank without a usable GPU (virtual machines,
    // some drivers): measured under Xvfb, the first paint came after 2–5 s with it and
    // ~1.5 s without. Users can still opt back in by setting the variable themselves.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    let args: Vec<String> = std::env::args().collect();
    let mut launch = match LaunchOptions::from_args(&args) {
        Ok(launch) => launch,
        Err(e) => {
            // No window exists yet: say it in a native dialog (and on stderr for logs).
            cannot_start(&format!("Profile Desk cannot start.\n\n{e}"));
        }
    };
    // One app per database (`instance.rs`): held until the process ends. It also knows whether
    // the last run closed the database cleanly: the health check waits for the list then.
    let mut instance = match instance::lock_database(&launch.db) {
        Ok(lock) => lock,
        Err(e) => cannot_start(&e.to_string()),
    };
    if instance.last_exit_clean {
        launch.start_check = pdesk_core::backup::StartCheck::AfterFirstPage;
    }
    // The audit log's end is witnessed in the keychain that keeps the store's key.
    pdesk_core::backup::keep_audit_tails_in(std::sync::Arc::from(
        pdesk_core::store::cipher::store_keychain(),
    ));
    let context = app_context(&launch);
    builder(tauri::Builder::default(), AppState::opening(launch))
        .build(context)
        .expect("error while building Profile Desk")
        .run(move |_, event| {
            // A normal end (the window closed, Quit): the next start need not check first.
            if let tauri::RunEvent::Exit = event {
                if let Err(e) = instance.mark_clean_exit() {
                    eprintln!("Profile Desk: the clean exit was not recorded: {e}");
                }
            }
        });
}

/// Says why the app does not start, in a native dialog (and on stderr for logs), and exits.
fn cannot_start(message: &str) -> ! {
    eprintln!("{message}");
    let _ = rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title("Profile Desk")
        .set_description(message)
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
    std::process::exit(1);
}
