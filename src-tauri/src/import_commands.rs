//! Bulk import commands (SPEC 4.1, 4.2). Thin like the others: each adapts arguments, calls the
//! core (which checks the permission, the limits and the mapping) and maps the error. The
//! shell-only parts are the native dialogs (`rfd`), the clipboard (`arboard`) and waking the
//! import worker.
//!
//! Native dialogs run on a blocking thread (`spawn_blocking`), never on the main thread: rfd's
//! GTK backend posts the dialog to the GTK main loop (`g_idle_add`) and waits for the answer,
//! so calling it from the thread that runs that loop would deadlock.
//!
//! Test hooks (for the end-to-end tests, which cannot drive a native dialog):
//! - `PROFILE_DESK_E2E_PICK` — paths separated by `;`: `pick_import_files` returns them
//!   instead of opening the open dialog.
//! - `PROFILE_DESK_E2E_SAVE_DIR` — a folder: `save_failed_rows` and `save_import_template`
//!   write their default file name there instead of opening the save dialog.

use std::path::{Path, PathBuf};

use pdesk_core::export::template_file_name;
use pdesk_core::jobs::{
    DryRun, ImportPreview, ImportSettings, ImportSource, ImportSourceArg, JobStatus, JobSummary,
    RefusedUpload, UndoResult, PREVIEW_SAMPLES,
};
use pdesk_core::mapping::{ColumnMapping, MappingProblem, SourceColumn};
use pdesk_core::model::Lang;
use pdesk_core::Permission;
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::file_grants::FileGrants;
use crate::import_worker::ImportQueue;
use crate::state::AppState;

pub const E2E_PICK: &str = "PROFILE_DESK_E2E_PICK";
pub use crate::dialogs::E2E_SAVE_DIR;
use crate::dialogs::{blocking, e2e_hook};

/// The native open dialog for `.xlsx` files (several may be chosen); empty when cancelled.
/// The chosen files are granted to the import commands.
#[tauri::command]
pub async fn pick_import_files(grants: State<'_, FileGrants>) -> IpcResult<Vec<String>> {
    let picked: Vec<PathBuf> = match e2e_hook(E2E_PICK) {
        Some(paths) => paths
            .to_string_lossy()
            .split(';')
            .filter(|p| !p.trim().is_empty())
            .map(PathBuf::from)
            .collect(),
        None => blocking(|| {
            rfd::FileDialog::new()
                .set_title("Choose Excel files to import")
                .add_filter("Excel workbook", &["xlsx"])
                .pick_files()
        })
        .await?
        .unwrap_or_default(),
    };
    grants.grant(picked.iter().cloned());
    Ok(picked.iter().map(|p| p.display().to_string()).collect())
}

#[tauri::command(async)]
pub fn inspect_import_file(
    state: State<'_, AppState>,
    grants: State<'_, FileGrants>,
    path: String,
) -> IpcResult<ImportPreview> {
    let path = grants.check(&path)?;
    let limits = state
        .lock()
        .and_then(|(store, actor)| Ok(store.import_file_limits(&actor)?))?;
    // The whole file is read without holding the store: other commands go on meanwhile.
    let read = pdesk_core::jobs::file_columns(&path, &limits, PREVIEW_SAMPLES);
    let (store, actor) = state.lock()?;
    let (columns, rows) = store.noting_refusal(&actor, &path, read)?;
    Ok(store.preview_file_columns(&actor, &path, columns, rows)?)
}

/// The mapping step for pasted text. A first row that looks like column names names the
/// columns and is left out (`headerRow` in the answer) unless `firstRowIsData` says the user
/// told otherwise.
#[tauri::command(async)]
pub fn inspect_paste(
    state: State<'_, AppState>,
    text: String,
    first_row_is_data: Option<bool>,
) -> IpcResult<ImportPreview> {
    let (store, actor) = state.lock()?;
    Ok(if first_row_is_data.unwrap_or(false) {
        store.preview_paste_from_first_row(&actor, &text)?
    } else {
        store.preview_paste(&actor, &text)?
    })
}

/// "Split sheets": one file per sheet next to the original (granted in turn); returns their
/// paths.
#[tauri::command(async)]
pub fn split_import_file(
    state: State<'_, AppState>,
    grants: State<'_, FileGrants>,
    path: String,
) -> IpcResult<Vec<String>> {
    let path = grants.check(&path)?;
    let (store, actor) = state.lock()?;
    let written = store.split_import_file(&actor, &path)?;
    grants.grant(written.iter().cloned());
    Ok(written.iter().map(|p| p.display().to_string()).collect())
}

/// A job source from the webview, its file (if any) checked against the grants.
fn granted_source(grants: &FileGrants, source: ImportSourceArg) -> IpcResult<ImportSource> {
    if let ImportSourceArg::File { path } = &source {
        grants.check(path)?;
    }
    Ok(source.into())
}

/// The clipboard's text (the webview gets no clipboard API), for a signed-in user who may
/// import: customers copied from a spreadsheet are personal data. Code `clipboard` when it
/// holds no text or cannot be read; `details.reason` is `empty` or `unavailable`.
#[tauri::command(async)]
pub fn read_clipboard(state: State<'_, AppState>) -> IpcResult<String> {
    {
        let (_, actor) = state.lock()?;
        actor.require(pdesk_core::Permission::ProfileImport)?;
    }
    let clipboard_error = |reason: &str, message: String| IpcError {
        code: "clipboard",
        message,
        details: serde_json::json!({ "reason": reason }),
    };
    let mut clipboard = arboard::Clipboard::new().map_err(|e| {
        clipboard_error("unavailable", format!("The clipboard cannot be read: {e}"))
    })?;
    match clipboard.get_text() {
        Ok(text) if !text.trim().is_empty() => Ok(text),
        Ok(_) | Err(arboard::Error::ContentNotAvailable) => Err(clipboard_error(
            "empty",
            "The clipboard holds no text. Copy the rows in Excel or Google Sheets, then paste again."
                .into(),
        )),
        Err(e) => Err(clipboard_error(
            "unavailable",
            format!("The clipboard cannot be read: {e}"),
        )),
    }
}

#[tauri::command(async)]
pub fn check_import_mapping(
    state: State<'_, AppState>,
    columns: Vec<SourceColumn>,
    mapping: Vec<ColumnMapping>,
) -> IpcResult<Vec<MappingProblem>> {
    let (store, actor) = state.lock()?;
    Ok(store.check_mapping(&actor, &columns, &mapping)?)
}

#[tauri::command(async)]
pub fn dry_run_import(
    state: State<'_, AppState>,
    grants: State<'_, FileGrants>,
    source: ImportSourceArg,
    settings: ImportSettings,
) -> IpcResult<DryRun> {
    let source = granted_source(&grants, source)?;
    let (mut store, actor) = state.lock()?;
    Ok(store.dry_run(&actor, &source, &settings)?)
}

/// Confirm: the job joins the queue, the mapping is remembered for these headers, and the
/// worker is woken. Progress then arrives as `import-progress` / `import-finished` events.
#[tauri::command(async)]
pub fn confirm_import(
    state: State<'_, AppState>,
    queue: State<'_, ImportQueue>,
    grants: State<'_, FileGrants>,
    source: ImportSourceArg,
    settings: ImportSettings,
) -> IpcResult<JobSummary> {
    let source = granted_source(&grants, source)?;
    let (mut store, actor) = state.lock()?;
    let id = store.queue_import(&actor, &source, &settings)?;
    queue.wake();
    store.remember_mapping(&actor, &settings.columns, &settings.mapping)?;
    Ok(store.job(&actor, id)?)
}

/// Cancels a job: a queued one at once; a running one within its next 1,000 rows (what it
/// applied is kept and recorded). Either way `import-finished` follows with status
/// `cancelled` (a queued job's at once, from here).
#[tauri::command(async)]
pub fn cancel_import<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    queue: State<'_, ImportQueue>,
    job_id: i64,
) -> IpcResult<()> {
    let (mut store, actor) = state.lock()?;
    let job = store.cancel_job(&actor, job_id)?;
    match job.status {
        JobStatus::Running => queue.cancel(job_id),
        _ => crate::import_worker::on_job_finished(&app, &store, &job),
    }
    Ok(())
}

#[tauri::command(async)]
pub fn import_jobs(state: State<'_, AppState>) -> IpcResult<Vec<JobSummary>> {
    let (store, actor) = state.lock()?;
    Ok(store.jobs(&actor)?)
}

/// Files refused at upload, newest first (the report lists them beside the jobs).
#[tauri::command(async)]
pub fn refused_uploads(state: State<'_, AppState>) -> IpcResult<Vec<RefusedUpload>> {
    let (store, actor) = state.lock()?;
    Ok(store.refused_uploads(&actor)?)
}

#[tauri::command(async)]
pub fn undo_import(state: State<'_, AppState>, job_id: i64) -> IpcResult<UndoResult> {
    let (mut store, actor) = state.lock()?;
    Ok(store.undo_job(&actor, job_id)?)
}

/// Saves a job's failed rows as an .xlsx chosen in the native save dialog; the path written,
/// or `null` when the user cancelled the dialog. The dialog, the file's name and its "Reason"
/// header are in the signed-in user's language.
#[tauri::command]
pub async fn save_failed_rows(
    state: State<'_, AppState>,
    job_id: i64,
) -> IpcResult<Option<String>> {
    let (default_name, lang) = {
        let (store, actor) = state.lock()?;
        let lang = store.lang_of(&actor.name)?;
        let name = failed_rows_file_name(&store.job(&actor, job_id)?.file_name, lang);
        (name, lang)
    };
    let title = match lang {
        Lang::En => "Save failed rows",
        Lang::Vi => "Lưu các dòng lỗi",
    };
    // The store is not locked while the dialog is open.
    let Some(target) = crate::dialogs::save_xlsx_path(title, default_name).await? else {
        return Ok(None);
    };
    let (store, actor) = state.lock()?;
    store.write_failed_rows(&actor, job_id, &target, lang)?;
    Ok(Some(target.display().to_string()))
}

/// Writes the import template — the current catalogue's columns, headers and notes in `lang`
/// (the UI's language) — where the user chooses in the native save dialog; the path written,
/// or `null` when the user cancelled. A user who may not import is refused before the dialog.
#[tauri::command]
pub async fn save_import_template(
    state: State<'_, AppState>,
    lang: Lang,
) -> IpcResult<Option<String>> {
    state.lock()?.1.require(Permission::ProfileImport)?;
    let title = match lang {
        Lang::En => "Save the import template",
        Lang::Vi => "Lưu tệp mẫu nhập",
    };
    // The store is not locked while the dialog is open.
    let name = template_file_name(lang).to_string();
    let Some(target) = crate::dialogs::save_xlsx_path(title, name).await? else {
        return Ok(None);
    };
    let (store, actor) = state.lock()?;
    store.write_import_template(&actor, lang, &target)?;
    Ok(Some(target.display().to_string()))
}

/// "<file stem> - failed rows.xlsx" ("Pasted data - failed rows.xlsx" for a paste).
pub fn failed_rows_file_name(file_name: &str, lang: Lang) -> String {
    let stem = Path::new(file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "Import".into());
    match lang {
        Lang::En => format!("{stem} - failed rows.xlsx"),
        Lang::Vi => format!("{stem} - dòng lỗi.xlsx"),
    }
}
