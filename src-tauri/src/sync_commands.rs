//! Sync with a remote CDP (Settings → Remote CDP, the status chip, conflicts): thin commands
//! over `pdesk_core::sync` and the engine (`pdesk-sync`). A command that waits on the network
//! (connect, disconnect) takes its acting user from the app's store, then works on a connection
//! of its own, so no other command waits for the server meanwhile.

use pdesk_core::sync::{
    ConflictDecision, JobOps, MergeNotice, Rejection, ServerReview, ServerReviewDecision,
    SyncConflict, SyncStatus,
};
use pdesk_core::Store;
use pdesk_sync::SyncError;
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::sync_worker::{SyncWorker, STATUS_EVENT};

impl From<SyncError> for IpcError {
    fn from(e: SyncError) -> IpcError {
        match e {
            SyncError::Store(e) => e.into(),
            other => IpcError {
                code: match &other {
                    SyncError::Network(_) => "syncOffline",
                    SyncError::BadAddress(_) => "syncAddress",
                    SyncError::Problem(p) if !p.retryable => "syncRefused",
                    SyncError::Keychain(_) => "syncKeychain",
                    _ => "syncFailed",
                },
                message: other.to_string(),
                details: serde_json::Value::Null,
            },
        }
    }
}

/// A connection of its own to the app's database (with its key), for work that waits on the
/// server.
fn own_connection(state: &AppState) -> IpcResult<Store> {
    Ok(Store::open_protected(
        &state.db_path()?,
        state.clock(),
        state.protection(),
    )?)
}

/// Runs `work` on a thread of its own: the engine's HTTP client is blocking, and a blocking
/// client may not run on the async runtime's threads that carry the commands.
fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> IpcResult<T> + Send + 'static,
) -> IpcResult<T> {
    std::thread::Builder::new()
        .name("sync-command".into())
        .spawn(work)
        .map_err(|e| IpcError::internal(format!("cannot start the sync command: {e}")))?
        .join()
        .unwrap_or_else(|_| {
            Err(IpcError::internal(
                "the sync command stopped on an internal error".into(),
            ))
        })
}

fn announce<R: Runtime>(app: &AppHandle<R>, status: &SyncStatus) {
    let _ = app.emit(STATUS_EVENT, status);
}

#[tauri::command(async)]
pub fn sync_status(state: State<'_, AppState>) -> IpcResult<SyncStatus> {
    let (store, _) = state.lock()?;
    Ok(store.sync_status()?)
}

/// Registers this computer as a device of the server account `user` and connects the store;
/// the first sync starts at once.
#[tauri::command(async)]
pub fn sync_connect<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    worker: State<'_, SyncWorker>,
    url: String,
    user: String,
    password: String,
    device: String,
    trust_pin: Option<String>,
    trust_ca_pem: Option<String>,
) -> IpcResult<SyncStatus> {
    let actor = state.lock()?.1;
    // The CA file is read by the webview from the file the user picked (no file access here).
    let trust = pdesk_core::sync::ServerTrust {
        ca_pem: trust_ca_pem.filter(|p| !p.trim().is_empty()),
        pin: trust_pin.filter(|p| !p.trim().is_empty()),
    };
    let mut store = own_connection(&state)?;
    let status = off_runtime(move || {
        let keychain = crate::startup::store_keychain();
        pdesk_sync::connect(
            &mut store,
            &actor,
            &*keychain,
            &url,
            user.trim(),
            &password,
            device.trim(),
            &trust,
        )?;
        Ok(store.sync_status()?)
    })?;
    worker.sync_now();
    announce(&app, &status);
    Ok(status)
}

/// "Sync now": imports held for their undo window go too (they can no longer be undone).
#[tauri::command(async)]
pub fn sync_now(state: State<'_, AppState>, worker: State<'_, SyncWorker>) -> IpcResult<()> {
    {
        let (mut store, actor) = state.lock()?;
        store.sync_release_held(&actor)?;
    }
    worker.sync_now();
    Ok(())
}

/// How long an import's changes are held so Undo import still works (minutes; 0: at once).
#[tauri::command(async)]
pub fn sync_set_import_hold<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    worker: State<'_, SyncWorker>,
    minutes: u32,
) -> IpcResult<SyncStatus> {
    let (mut store, actor) = state.lock()?;
    store.sync_set_import_hold(&actor, minutes)?;
    // Ops whose window is now over go at once.
    worker.sync_now();
    let status = store.sync_status()?;
    announce(&app, &status);
    Ok(status)
}

/// *Retry* a change the server refused: it goes up again as a new op.
#[tauri::command(async)]
pub fn sync_retry_rejected(
    state: State<'_, AppState>,
    worker: State<'_, SyncWorker>,
    op_id: String,
) -> IpcResult<Vec<Rejection>> {
    let (mut store, actor) = state.lock()?;
    store.sync_retry_rejected(&actor, &op_id)?;
    worker.sync_now();
    Ok(store.sync_rejections(&actor)?)
}

/// *Discard* a change the server refused: the server is asked for the profile as it has it
/// (on the command's own connection, off the runtime, so the window never waits on the
/// network), and the profile here goes back to that. Answers the refused changes that remain.
#[tauri::command(async)]
pub fn sync_discard_rejected<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    op_id: String,
) -> IpcResult<Vec<Rejection>> {
    let actor = state.lock()?.1;
    let mut store = own_connection(&state)?;
    let left = off_runtime(move || {
        let keychain = crate::startup::store_keychain();
        let mut engine = pdesk_sync::Engine::for_store(&store, &*keychain)?;
        engine.discard_rejected(&mut store, &actor, &op_id)?;
        Ok(store.sync_rejections(&actor)?)
    })?;
    state.lock()?.0.touched();
    let _ = app.emit(crate::sync_worker::CHANGED_EVENT, 1);
    Ok(left)
}

/// The profiles created here that the server merged into customers it had.
#[tauri::command(async)]
pub fn sync_merge_notices(state: State<'_, AppState>) -> IpcResult<Vec<MergeNotice>> {
    let (store, actor) = state.lock()?;
    Ok(store.sync_merge_notices(&actor)?)
}

/// How far an import's changes have gone to the server (the Undo dialog).
#[tauri::command(async)]
pub fn sync_job_ops(state: State<'_, AppState>, job: i64) -> IpcResult<JobOps> {
    let (store, actor) = state.lock()?;
    Ok(store.sync_job_ops(&actor, job)?)
}

#[tauri::command(async)]
pub fn sync_pause<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    worker: State<'_, SyncWorker>,
    paused: bool,
) -> IpcResult<SyncStatus> {
    let (mut store, actor) = state.lock()?;
    store.sync_set_paused(&actor, paused)?;
    if !paused {
        worker.sync_now();
    }
    let status = store.sync_status()?;
    announce(&app, &status);
    Ok(status)
}

/// Disconnects; refused while changes wait to be sent unless `discard_pending`.
#[tauri::command(async)]
pub fn sync_disconnect<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    discard_pending: bool,
) -> IpcResult<SyncStatus> {
    let actor = state.lock()?.1;
    let mut store = own_connection(&state)?;
    let status = off_runtime(move || {
        let keychain = crate::startup::store_keychain();
        pdesk_sync::disconnect(&mut store, &actor, &*keychain, discard_pending)?;
        Ok(store.sync_status()?)
    })?;
    announce(&app, &status);
    Ok(status)
}

/// "Re-download everything": what waits goes up first, then every profile comes down again.
#[tauri::command(async)]
pub fn sync_redownload(
    state: State<'_, AppState>,
    worker: State<'_, SyncWorker>,
) -> IpcResult<SyncStatus> {
    let (mut store, actor) = state.lock()?;
    store.sync_redownload(&actor)?;
    worker.sync_now();
    Ok(store.sync_status()?)
}

#[tauri::command(async)]
pub fn sync_conflicts(state: State<'_, AppState>) -> IpcResult<Vec<SyncConflict>> {
    let (store, actor) = state.lock()?;
    Ok(store.sync_conflicts(&actor)?)
}

/// The merge reviews the server opened: open ones first, then the latest resolved.
#[tauri::command(async)]
pub fn server_reviews(state: State<'_, AppState>) -> IpcResult<Vec<ServerReview>> {
    let (store, actor) = state.lock()?;
    Ok(store.server_reviews(&actor)?)
}

/// Decides a merge review the server opened (sent at once; the merge is the server's).
#[tauri::command(async)]
pub fn resolve_server_review(
    state: State<'_, AppState>,
    worker: State<'_, SyncWorker>,
    id: String,
    decision: ServerReviewDecision,
) -> IpcResult<Vec<ServerReview>> {
    let (mut store, actor) = state.lock()?;
    store.resolve_server_review(&actor, &id, &decision)?;
    worker.sync_now();
    Ok(store.server_reviews(&actor)?)
}

#[tauri::command(async)]
pub fn sync_rejections(state: State<'_, AppState>) -> IpcResult<Vec<Rejection>> {
    let (store, actor) = state.lock()?;
    Ok(store.sync_rejections(&actor)?)
}

/// Decides a field conflict: keep the server's value, take the one that lost, or a new one.
#[tauri::command(async)]
pub fn resolve_sync_conflict(
    state: State<'_, AppState>,
    worker: State<'_, SyncWorker>,
    id: String,
    decision: ConflictDecision,
) -> IpcResult<Vec<SyncConflict>> {
    let (mut store, actor) = state.lock()?;
    store.sync_resolve_conflict(&actor, &id, &decision)?;
    worker.sync_now();
    Ok(store.sync_conflicts(&actor)?)
}

/// "Keep all server values for import #N": decides every open conflict of import `job` for
/// the value set elsewhere.
#[tauri::command(async)]
pub fn sync_keep_server_values(
    state: State<'_, AppState>,
    worker: State<'_, SyncWorker>,
    job: i64,
) -> IpcResult<Vec<SyncConflict>> {
    let (mut store, actor) = state.lock()?;
    store.sync_keep_server_values(&actor, job)?;
    worker.sync_now();
    Ok(store.sync_conflicts(&actor)?)
}
