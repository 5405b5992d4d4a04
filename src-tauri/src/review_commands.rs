//! The merge review screen's commands (SPEC 6). Thin: the core checks the permissions
//! (`profile.view` to look, `profile.edit` / `profile.create` to decide) and every rule.

use pdesk_core::profiles::review::{
    ReviewDecision, ReviewDetail, ReviewList, ReviewQuery, ReviewResolution,
};
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn open_review_count(state: State<'_, AppState>) -> IpcResult<u32> {
    let (store, actor) = state.lock()?;
    // The top bar counts the server's open merge reviews with this computer's.
    Ok(store.open_review_count(&actor)? + store.open_server_review_count(&actor)?)
}

#[tauri::command(async)]
pub fn merge_reviews(state: State<'_, AppState>, query: ReviewQuery) -> IpcResult<ReviewList> {
    let (store, actor) = state.lock()?;
    Ok(store.merge_reviews(&actor, &query)?)
}

#[tauri::command(async)]
pub fn merge_review(state: State<'_, AppState>, id: i64) -> IpcResult<ReviewDetail> {
    let (store, actor) = state.lock()?;
    Ok(store.merge_review(&actor, id)?)
}

/// What a decision would do (the confirmation dialog): nothing is changed.
#[tauri::command(async)]
pub fn preview_review_decision(
    state: State<'_, AppState>,
    id: i64,
    decision: ReviewDecision,
) -> IpcResult<ReviewResolution> {
    let (mut store, actor) = state.lock()?;
    Ok(store.preview_review_decision(&actor, id, &decision)?)
}

/// Resolves a review; `version` is the detail's, so a decision on stale values is refused.
#[tauri::command(async)]
pub fn resolve_merge_review(
    state: State<'_, AppState>,
    id: i64,
    decision: ReviewDecision,
    version: String,
) -> IpcResult<ReviewResolution> {
    let (mut store, actor) = state.lock()?;
    Ok(store.resolve_merge_review(&actor, id, &decision, Some(&version))?)
}
