//! The filter builder's and the segments panel's commands (SPEC 2). Thin: the core compiles
//! and checks every filter (fields, operators, values) and owns the segments.

use pdesk_core::filter::FilterField;
use pdesk_core::filter::ListQuery;
use pdesk_core::segments::Segment;
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn filter_fields(state: State<'_, AppState>) -> IpcResult<Vec<FilterField>> {
    let (store, actor) = state.lock()?;
    Ok(store.filter_fields(&actor)?)
}

#[tauri::command(async)]
pub fn segments(state: State<'_, AppState>) -> IpcResult<Vec<Segment>> {
    let (store, actor) = state.lock()?;
    Ok(store.segments(&actor)?)
}

#[tauri::command(async)]
pub fn create_segment(
    state: State<'_, AppState>,
    name: String,
    query: ListQuery,
    columns: Vec<String>,
) -> IpcResult<Segment> {
    let (mut store, actor) = state.lock()?;
    Ok(store.create_segment(&actor, &name, &query, &columns)?)
}

#[tauri::command(async)]
pub fn update_segment(
    state: State<'_, AppState>,
    id: i64,
    query: ListQuery,
    columns: Vec<String>,
) -> IpcResult<Segment> {
    let (mut store, actor) = state.lock()?;
    Ok(store.update_segment(&actor, id, &query, &columns)?)
}

#[tauri::command(async)]
pub fn rename_segment(state: State<'_, AppState>, id: i64, name: String) -> IpcResult<Segment> {
    let (mut store, actor) = state.lock()?;
    Ok(store.rename_segment(&actor, id, &name)?)
}

#[tauri::command(async)]
pub fn delete_segment(state: State<'_, AppState>, id: i64) -> IpcResult<()> {
    let (mut store, actor) = state.lock()?;
    Ok(store.delete_segment(&actor, id)?)
}
