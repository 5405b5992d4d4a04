//! Export commands (SPEC 4.3), thin like the others: the core counts, checks the permission and
//! the direct-export limit, writes and audits. The shell adds the native save dialog (or the
//! `PROFILE_DESK_E2E_SAVE_DIR` test hook, see `dialogs.rs`), waking the export worker, and
//! "Show in folder" through the OS file manager.

use std::path::Path;

use pdesk_core::export::{ExportJob, ExportPlan, ExportRequest, ExportStatus};
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::export_worker::ExportQueue;
use crate::state::AppState;

#[tauri::command(async)]
pub fn export_plan(state: State<'_, AppState>, request: ExportRequest) -> IpcResult<ExportPlan> {
    let (store, actor) = state.lock()?;
    Ok(store.export_plan(&actor, &request)?)
}

/// Up to the direct-export limit: the native save dialog, then the file at once. `null` when
/// the user cancelled the dialog.
#[tauri::command]
pub async fn export_now(
    state: State<'_, AppState>,
    request: ExportRequest,
) -> IpcResult<Option<ExportJob>> {
    let name = {
        let (store, actor) = state.lock()?;
        store.export_plan(&actor, &request)?.file_name
    };
    // The store is not locked while the dialog is open.
    let Some(target) = crate::dialogs::save_xlsx_path("Export profiles", name).await? else {
        return Ok(None);
    };
    let (mut store, actor) = state.lock()?;
    Ok(Some(store.export_direct(&actor, &request, &target)?))
}

/// Over the limit: a background export; `export-progress` / `export-finished` follow.
#[tauri::command(async)]
pub fn start_export(
    state: State<'_, AppState>,
    queue: State<'_, ExportQueue>,
    request: ExportRequest,
) -> IpcResult<ExportJob> {
    let (mut store, actor) = state.lock()?;
    let job = store.queue_export(&actor, &request)?;
    queue.wake();
    Ok(job)
}

#[tauri::command(async)]
pub fn export_jobs(state: State<'_, AppState>) -> IpcResult<Vec<ExportJob>> {
    let (store, actor) = state.lock()?;
    Ok(store.export_jobs(&actor)?)
}

/// Cancels an export: a queued one at once (and `export-finished` says so), a running one
/// after its current chunk.
#[tauri::command(async)]
pub fn cancel_export<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    queue: State<'_, ExportQueue>,
    id: i64,
) -> IpcResult<ExportJob> {
    let (mut store, actor) = state.lock()?;
    let job = store.cancel_export(&actor, id)?;
    match job.status {
        ExportStatus::Running => queue.cancel(id),
        _ => crate::export_worker::on_export_finished(&app, &store, &job),
    }
    Ok(job)
}

/// "Save as…": copies a finished export where the user chooses; the path, or `null`.
#[tauri::command]
pub async fn save_export_as(state: State<'_, AppState>, id: i64) -> IpcResult<Option<String>> {
    let name = {
        let (store, actor) = state.lock()?;
        store.export_job(&actor, id)?.file_name()
    };
    let default = name.unwrap_or_else(|| "Profiles.xlsx".into());
    let Some(target) = crate::dialogs::save_xlsx_path("Save the export as", default).await? else {
        return Ok(None);
    };
    let (mut store, actor) = state.lock()?;
    store.save_export_copy(&actor, id, &target)?;
    Ok(Some(target.display().to_string()))
}

/// "Show in folder": the OS file manager on the export's folder (the file selected where the
/// OS can).
#[tauri::command(async)]
pub fn show_export_in_folder(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    let (store, actor) = state.lock()?;
    let job = store.export_job(&actor, id)?;
    let path = job
        .path
        .ok_or_else(|| IpcError::internal(format!("Export {id} has no file")))?;
    reveal(Path::new(&path))
        .map_err(|e| IpcError::internal(format!("The file manager could not be opened: {e}")))
}

fn reveal(path: &Path) -> std::io::Result<()> {
    let mut cmd = if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg("-R").arg(path);
        c
    } else if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("explorer");
        c.arg(format!("/select,{}", path.display()));
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(path.parent().unwrap_or(path));
        c
    };
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}
