//! The administration commands (Settings screen): thin, like every command — the core checks
//! `settings.manage`, validates, audits and answers with the section's new state.

use pdesk_core::admin::{
    ConsentChannelSetting, FieldDraft, FieldSetting, LimitSetting, LimitValue, SyncExample,
    SyncRuleDraft, SyncRuleSetting,
};
use pdesk_core::users::{NewUser, PermissionInfo, RoleSummary, UserSummary, UserUpdate};
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

#[tauri::command(async)]
pub fn users(state: State<'_, AppState>) -> IpcResult<Vec<UserSummary>> {
    let (store, actor) = state.lock()?;
    Ok(store.users(&actor)?)
}

#[tauri::command(async)]
pub fn create_user(state: State<'_, AppState>, user: NewUser) -> IpcResult<UserSummary> {
    let (mut store, actor) = state.lock()?;
    Ok(store.create_user(&actor, &user)?)
}

#[tauri::command(async)]
pub fn update_user(
    state: State<'_, AppState>,
    name: String,
    update: UserUpdate,
) -> IpcResult<UserSummary> {
    let (mut store, actor) = state.lock()?;
    Ok(store.update_user(&actor, &name, &update)?)
}

#[tauri::command(async)]
pub fn set_user_password(
    state: State<'_, AppState>,
    name: String,
    password: String,
) -> IpcResult<()> {
    let (mut store, actor) = state.lock()?;
    Ok(store.set_password(&actor, &name, &password, None)?)
}

#[tauri::command(async)]
pub fn roles(state: State<'_, AppState>) -> IpcResult<Vec<RoleSummary>> {
    let (store, actor) = state.lock()?;
    Ok(store.roles(&actor)?)
}

#[tauri::command(async)]
pub fn permission_catalogue(state: State<'_, AppState>) -> IpcResult<Vec<PermissionInfo>> {
    let (store, _) = state.lock()?;
    Ok(store.permission_catalogue()?)
}

#[tauri::command(async)]
pub fn create_role(
    state: State<'_, AppState>,
    name: String,
    permissions: Vec<String>,
) -> IpcResult<RoleSummary> {
    let (mut store, actor) = state.lock()?;
    Ok(store.create_role(&actor, &name, &permissions)?)
}

#[tauri::command(async)]
pub fn update_role(
    state: State<'_, AppState>,
    role: String,
    name: String,
    permissions: Vec<String>,
) -> IpcResult<RoleSummary> {
    let (mut store, actor) = state.lock()?;
    Ok(store.update_role(&actor, &role, &name, &permissions)?)
}

#[tauri::command(async)]
pub fn delete_role(state: State<'_, AppState>, role: String) -> IpcResult<()> {
    let (mut store, actor) = state.lock()?;
    Ok(store.delete_role(&actor, &role)?)
}

#[tauri::command(async)]
pub fn idle_lock_minutes(state: State<'_, AppState>) -> IpcResult<u32> {
    let (store, _) = state.lock()?;
    Ok(store.idle_lock_minutes()?)
}

#[tauri::command(async)]
pub fn set_idle_lock_minutes(state: State<'_, AppState>, minutes: u32) -> IpcResult<u32> {
    let (mut store, actor) = state.lock()?;
    Ok(store.set_idle_lock_minutes(&actor, minutes)?)
}

#[tauri::command(async)]
pub fn field_settings(state: State<'_, AppState>) -> IpcResult<Vec<FieldSetting>> {
    let (store, actor) = state.lock()?;
    Ok(store.field_settings(&actor)?)
}

#[tauri::command(async)]
pub fn add_field(state: State<'_, AppState>, draft: FieldDraft) -> IpcResult<Vec<FieldSetting>> {
    let (mut store, actor) = state.lock()?;
    Ok(store.add_field(&actor, &draft)?)
}

#[tauri::command(async)]
pub fn update_field(
    state: State<'_, AppState>,
    key: String,
    draft: FieldDraft,
) -> IpcResult<Vec<FieldSetting>> {
    let (mut store, actor) = state.lock()?;
    Ok(store.update_field(&actor, &key, &draft)?)
}

#[tauri::command(async)]
pub fn reorder_fields(
    state: State<'_, AppState>,
    keys: Vec<String>,
) -> IpcResult<Vec<FieldSetting>> {
    let (mut store, actor) = state.lock()?;
    Ok(store.reorder_fields(&actor, &keys)?)
}

#[tauri::command(async)]
pub fn delete_field(
    state: State<'_, AppState>,
    key: String,
    confirm: bool,
) -> IpcResult<Vec<FieldSetting>> {
    let (mut store, actor) = state.lock()?;
    Ok(store.delete_field(&actor, &key, confirm)?)
}

#[tauri::command(async)]
pub fn set_rule_guards(
    state: State<'_, AppState>,
    guards: pdesk_core::model::Guards,
) -> IpcResult<SyncRuleSetting> {
    let (mut store, actor) = state.lock()?;
    store.set_rule_guards(&actor, &guards)?;
    Ok(store.sync_rule_settings(&actor)?)
}

#[tauri::command(async)]
pub fn sync_rule_settings(state: State<'_, AppState>) -> IpcResult<SyncRuleSetting> {
    let (store, actor) = state.lock()?;
    Ok(store.sync_rule_settings(&actor)?)
}

#[tauri::command(async)]
pub fn sync_rule_example(
    state: State<'_, AppState>,
    draft: SyncRuleDraft,
) -> IpcResult<SyncExample> {
    let (store, actor) = state.lock()?;
    Ok(store.sync_rule_example(&actor, &draft)?)
}

#[tauri::command(async)]
pub fn set_sync_rule(
    state: State<'_, AppState>,
    draft: SyncRuleDraft,
) -> IpcResult<SyncRuleSetting> {
    let (mut store, actor) = state.lock()?;
    Ok(store.set_sync_rule(&actor, &draft)?)
}
