//! Native save dialogs (`rfd`), shared by every command that writes a file the user chooses.
//! They run on a blocking thread, never on the main thread: rfd's GTK backend posts the dialog
//! to the GTK main loop and waits for the answer, so calling it from that loop's thread would
//! deadlock.
//!
//! Test hook: with `PROFILE_DESK_E2E_SAVE_DIR` set to a folder, the file is written there
//! under its default name instead of opening the dialog (end-to-end tests cannot drive a
//! native dialog). The hooks exist only in builds with the `e2e-hooks` feature (and unit
//! tests): a release build never reads them, so no environment variable can make an
//! installed app write or read a file the user did not choose (the installer test checks
//! that the installed binary does not even hold their names).

use std::ffi::OsString;
use std::path::PathBuf;

use crate::error::{IpcError, IpcResult};

pub const E2E_SAVE_DIR: &str = "PROFILE_DESK_E2E_SAVE_DIR";

/// The value of the end-to-end test hook `name`, in builds that have the hooks.
#[cfg(any(test, feature = "e2e-hooks"))]
pub fn e2e_hook(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

/// Builds without the `e2e-hooks` feature have no hooks.
#[cfg(not(any(test, feature = "e2e-hooks")))]
pub fn e2e_hook(_name: &str) -> Option<OsString> {
    None
}

/// Runs a blocking dialog off the async runtime's threads.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> IpcResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| IpcError::internal(format!("dialog: {e}")))
}

/// Where to save an .xlsx: the user's choice in the save dialog (with `.xlsx` added when
/// they typed no extension), or `None` when they cancelled.
pub async fn save_xlsx_path(
    title: &'static str,
    default_name: String,
) -> IpcResult<Option<PathBuf>> {
    let target: Option<PathBuf> = match e2e_hook(E2E_SAVE_DIR) {
        Some(dir) => Some(PathBuf::from(dir).join(&default_name)),
        None => {
            blocking(move || {
                rfd::FileDialog::new()
                    .set_title(title)
                    .add_filter("Excel workbook", &["xlsx"])
                    .set_file_name(default_name)
                    .save_file()
            })
            .await?
        }
    };
    Ok(target.map(|mut t| {
        if t.extension().is_none() {
            t.set_extension("xlsx");
        }
        t
    }))
}
