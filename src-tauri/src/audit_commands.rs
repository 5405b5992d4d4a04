//! The audit screen's commands (permission `audit.view`, checked by the core).

use pdesk_core::audit::AuditVerification;
use pdesk_core::audit_log::{AuditFilters, AuditPage, AuditQuery};
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn audit_entries(state: State<'_, AppState>, query: AuditQuery) -> IpcResult<AuditPage> {
    let (store, actor) = state.lock()?;
    Ok(store.audit_entries(&actor, &query)?)
}

#[tauri::command(async)]
pub fn audit_filters(state: State<'_, AppState>) -> IpcResult<AuditFilters> {
    let (store, actor) = state.lock()?;
    Ok(store.audit_filters(&actor)?)
}

#[tauri::command(async)]
pub fn verify_audit(state: State<'_, AppState>) -> IpcResult<AuditVerification> {
    let (store, actor) = state.lock()?;
    Ok(store.verify_audit(&actor)?)
}

/// Saves the filtered entries as .xlsx where the user chooses; the path, or `null` when the
/// dialog was cancelled. The permission is checked before the dialog opens.
#[tauri::command]
pub async fn export_audit(
    state: State<'_, AppState>,
    query: AuditQuery,
) -> IpcResult<Option<String>> {
    // Refused before the dialog opens (the core checks again when it writes).
    let today = {
        let (store, actor) = state.lock()?;
        actor.require(pdesk_core::Permission::AuditView)?;
        store.now()
    };
    let name = format!("Audit log {}.xlsx", &today[..10]);
    let Some(target) = crate::dialogs::save_xlsx_path("Export the audit log", name).await? else {
        return Ok(None);
    };
    let (mut store, actor) = state.lock()?;
    store.export_audit(&actor, &query, &target)?;
    Ok(Some(target.display().to_string()))
}
