//! The administration commands (Settings screen): thin, like every command — the core checks
//! `settings.manage`, validates, audits and answers with the section's new state.

use pdesk_core::admin::{ConsentChannelSetting, LimitSetting, LimitValue};
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn limit_settings(state: State<'_, AppState>) -> IpcResult<Vec<LimitSetting>> {
    let (store, actor) = state.lock()?;
    Ok(store.limit_settings(&actor)?)
}

#[tauri::command(async)]
pub fn set_limits(
    state: State<'_, AppState>,
    values: Vec<LimitValue>,
) -> IpcResult<Vec<LimitSetting>> {
    let (mut store, actor) = state.lock()?;
    Ok(store.set_limits(&actor, &values)?)
}

#[tauri::command(async)]
pub fn consent_channel_settings(
    state: State<'_, AppState>,
) -> IpcResult<Vec<ConsentChannelSetting>> {
    let (store, actor) = state.lock()?;
    Ok(store.consent_channel_settings(&actor)?)
}

#[tauri::command(async)]
pub fn add_consent_channel(
    state: State<'_, AppState>,
    label: String,
) -> IpcResult<Vec<ConsentChannelSetting>> {
    let (mut store, actor) = state.lock()?;
    Ok(store.add_consent_channel(&actor, &label)?)
}

#[tauri::command(async)]
pub fn rename_consent_channel(
    state: State<'_, AppState>,
    key: String,
    label: String,
) -> IpcResult<Vec<ConsentChannelSetting>> {
    let (mut store, actor) = state.lock()?;
    Ok(store.rename_consent_channel(&actor, &key, &label)?)
}

#[tauri::command(async)]
pub fn reorder_consent_channels(
    state: State<'_, AppState>,
    keys: Vec<String>,
) -> IpcResult<Vec<ConsentChannelSetting>> {
    let (mut store, actor) = state.lock()?;
    Ok(store.reorder_consent_channels(&actor, &keys)?)
}

#[tauri::command(async)]
pub fn remove_consent_channel(
    state: State<'_, AppState>,
    key: String,
) -> IpcResult<Vec<ConsentChannelSetting>> {
    let (mut store, actor) = state.lock()?;
    Ok(store.remove_consent_channel(&actor, &key)?)
}
