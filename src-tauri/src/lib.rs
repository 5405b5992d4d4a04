//! The desktop shell: the only Rust that knows Tauri. It opens the store, manages state and
//! exposes the typed commands in `commands`; every rule lives in `pdesk_core`.

pub mod audit_commands;
pub mod commands;
pub mod dialogs;
pub mod error;
pub mod import_commands;
pub mod import_worker;
pub mod segment_commands;
pub mod session_commands;
pub mod settings_commands;
pub mod state;

#[cfg(test)]
mod ipc_tests;

use state::{AppState, LaunchOptions};

/// Adds the app's state, the notification plugin (used from Rust only), the import worker
/// (started in `setup`) and the command set to `base` (the real builder in `run`, a mock one
/// in the IPC tests — both get the worker).
pub fn builder<R: tauri::Runtime>(base: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    base.manage(state)
        .manage(import_worker::ImportQueue::default())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            import_worker::start(app.handle())?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::session,
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
            import_commands::undo_import,
            import_commands::save_failed_rows,
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
            segment_commands::filter_fields,
            segment_commands::segments,
            segment_commands::create_segment,
            segment_commands::update_segment,
            segment_commands::rename_segment,
            segment_commands::delete_segment,
        ])
}

/// Starts Profile Desk: opens (creating and migrating) the database, then the window.
pub fn run() {
    // WebKitGTK's DMA-BUF renderer paints late or blank without a usable GPU (virtual machines,
    // some drivers): measured under Xvfb, the first paint came after 2–5 s with it and
    // ~1.5 s without. Users can still opt back in by setting the variable themselves.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    let opened =
        LaunchOptions::from_env().and_then(|o| Ok((pdesk_core::Store::open(&o.db)?, o.user)));
    let (store, user) = match opened {
        Ok(v) => v,
        Err(e) => {
            // No window exists yet: say it in a native dialog (and on stderr for logs), and
            // leave the database file untouched.
            let message = format!("Profile Desk cannot open its database.\n\n{e}");
            eprintln!("{message}");
            let _ = rfd::MessageDialog::new()
                .set_level(rfd::MessageLevel::Error)
                .set_title("Profile Desk")
                .set_description(&message)
                .set_buttons(rfd::MessageButtons::Ok)
                .show();
            std::process::exit(1);
        }
    };
    builder(tauri::Builder::default(), AppState::new(store, user))
        .run(tauri::generate_context!())
        .expect("error while running Profile Desk");
}
