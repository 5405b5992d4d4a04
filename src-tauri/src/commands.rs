//! Thin commands: each pulls the state, calls one core function and maps the error. All rules
//! (permissions included) are enforced by the core.

use pdesk_core::filter::ListQuery;
use pdesk_core::model::*;
use pdesk_core::profiles::{CreateDecision, CreatePreview, EditDecision, EditPreview};
use pdesk_core::IdentifierKind;
use tauri::{AppHandle, Runtime, State};

use crate::error::IpcResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn session(state: State<'_, AppState>) -> IpcResult<Session> {
    let (_store, actor) = state.lock()?;
    Ok(actor.session())
}

/// The app's identity for the About dialog and the window: from Cargo.toml and the Tauri config.
#[tauri::command(async)]
pub fn app_info<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> IpcResult<AppInfo> {
    let (store, info, config) = (state.store()?, app.package_info(), app.config());
    Ok(AppInfo {
        product_name: info.name.clone(),
        version: info.version.to_string(),
        publisher: info.authors.to_string(),
        description: info.description.to_string(),
        identifier: config.identifier.clone(),
        data_path: store.path().display().to_string(),
        dev: cfg!(debug_assertions),
        demo: store.is_demo()?,
        encryption: store.encryption(),
    })
}

#[tauri::command(async)]
pub fn field_catalogue(state: State<'_, AppState>) -> IpcResult<Vec<FieldDef>> {
    let (store, _) = state.lock()?;
    Ok(store.fields()?)
}

#[tauri::command(async)]
pub fn consent_channels(state: State<'_, AppState>) -> IpcResult<Vec<ConsentChannel>> {
    let (store, _) = state.lock()?;
    Ok(store.consent_channels()?)
}

#[tauri::command(async)]
pub fn list_columns(state: State<'_, AppState>) -> IpcResult<Vec<String>> {
    let (store, actor) = state.lock()?;
    Ok(store.list_columns(&actor)?)
}

#[tauri::command(async)]
pub fn set_list_columns(
    state: State<'_, AppState>,
    columns: Vec<String>,
) -> IpcResult<Vec<String>> {
    let (mut store, actor) = state.lock()?;
    Ok(store.set_list_columns(&actor, &columns)?)
}

#[tauri::command(async)]
pub fn count_profiles(state: State<'_, AppState>, query: ListQuery) -> IpcResult<ProfileCounts> {
    let (store, actor) = state.lock()?;
    Ok(store.count_profiles(&actor, &query)?)
}

#[tauri::command(async)]
pub fn list_profiles(
    state: State<'_, AppState>,
    query: ListQuery,
    offset: u32,
    limit: u32,
    columns: Vec<String>,
) -> IpcResult<ProfilePage> {
    let page = {
        let (store, actor) = state.lock()?;
        store.list_page(&actor, &query, offset, limit, &columns)?
    };
    // The start's deferred work (health check, workers, daily backup) waits for this.
    state.first_page_served();
    Ok(page)
}

#[tauri::command(async)]
pub fn get_profile(state: State<'_, AppState>, id: ProfileId) -> IpcResult<ProfileDetail> {
    let (store, actor) = state.lock()?;
    Ok(store.profile_detail(&actor, id)?)
}

#[tauri::command(async)]
pub fn validate_profile(
    state: State<'_, AppState>,
    input: ProfileInput,
    for_create: bool,
) -> IpcResult<Vec<FieldError>> {
    let (store, actor) = state.lock()?;
    Ok(store.validate_profile(&actor, &input, for_create)?)
}

#[tauri::command(async)]
pub fn find_identifier_owner(
    state: State<'_, AppState>,
    kind: IdentifierKind,
    value: String,
    exclude_id: Option<ProfileId>,
) -> IpcResult<Option<IdentifierOwner>> {
    let (store, actor) = state.lock()?;
    Ok(store.identifier_owner(&actor, kind, &value, exclude_id)?)
}

#[tauri::command(async)]
pub fn create_profile(
    state: State<'_, AppState>,
    input: ProfileInput,
    consent: ConsentInput,
    decision: Option<CreateDecision>,
) -> IpcResult<SaveResult> {
    let (mut store, actor) = state.lock()?;
    let decision = decision.unwrap_or(CreateDecision::Rule);
    Ok(store
        .create_profile_decided(&actor, &input, &consent, &decision)?
        .into())
}

#[tauri::command(async)]
pub fn preview_create(state: State<'_, AppState>, input: ProfileInput) -> IpcResult<CreatePreview> {
    let (store, actor) = state.lock()?;
    Ok(store.preview_create(&actor, &input)?)
}

#[tauri::command(async)]
pub fn update_profile(
    state: State<'_, AppState>,
    id: ProfileId,
    input: ProfileInput,
    consent: ConsentInput,
    decision: Option<EditDecision>,
    base: EditBase,
) -> IpcResult<ProfileDetail> {
    let (mut store, actor) = state.lock()?;
    let decision = decision.unwrap_or_default();
    Ok(store.update_profile_on(&actor, id, &input, &consent, decision, Some(&base))?)
}

#[tauri::command(async)]
pub fn preview_edit(
    state: State<'_, AppState>,
    id: ProfileId,
    input: ProfileInput,
) -> IpcResult<EditPreview> {
    let (store, actor) = state.lock()?;
    Ok(store.preview_edit(&actor, id, &input)?)
}

#[tauri::command(async)]
pub fn delete_preview(state: State<'_, AppState>, ids: Vec<ProfileId>) -> IpcResult<DeletePreview> {
    let (store, actor) = state.lock()?;
    Ok(store.delete_preview(&actor, &ids)?)
}

#[tauri::command(async)]
pub fn delete_profiles(
    state: State<'_, AppState>,
    ids: Vec<ProfileId>,
    reason: String,
) -> IpcResult<DeleteResult> {
    let (mut store, actor) = state.lock()?;
    Ok(store.delete_profiles(&actor, &ids, &reason)?)
}
