//! Sign-in commands: the start screen, the first run, sign-in, lock, unlock, sign-out and the
//! activity ping of the idle lock. These are the only commands that work without a signed-in
//! user; every other command goes through `AppState::lock`, which refuses them.

use pdesk_core::model::Lang;
use pdesk_core::users::{FirstRunSetup, StartScreen};
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn start_screen(state: State<'_, AppState>) -> IpcResult<StartScreen> {
    state.start_screen()
}

#[tauri::command(async)]
pub fn complete_first_run(
    state: State<'_, AppState>,
    setup: FirstRunSetup,
) -> IpcResult<StartScreen> {
    state.complete_first_run(&setup)
}

#[tauri::command(async)]
pub fn sign_in(
    state: State<'_, AppState>,
    name: String,
    password: String,
) -> IpcResult<StartScreen> {
    state.sign_in(&name, &password)
}

#[tauri::command(async)]
pub fn unlock_session(state: State<'_, AppState>, password: String) -> IpcResult<StartScreen> {
    state.unlock(&password)
}

#[tauri::command(async)]
pub fn lock_session(state: State<'_, AppState>) -> IpcResult<StartScreen> {
    state.lock_now()
}

#[tauri::command(async)]
pub fn sign_out(state: State<'_, AppState>) -> IpcResult<StartScreen> {
    state.sign_out()
}

#[tauri::command(async)]
pub fn touch_session(state: State<'_, AppState>) -> IpcResult<StartScreen> {
    state.touch()
}

/// The signed-in user reads the app in `lang` (said at sign-in and when they choose in the
/// user menu): the core writes their e-mails, notifications and failed-rows files in it. Only
/// their own language: the acting user is the one signed in.
#[tauri::command(async)]
pub fn set_my_lang(state: State<'_, AppState>, lang: Lang) -> IpcResult<()> {
    let (mut store, actor) = state.lock()?;
    Ok(store.set_my_lang(&actor, lang)?)
}

/// The signed-in user changes their own password (the current one is required).
#[tauri::command(async)]
pub fn change_own_password(
    state: State<'_, AppState>,
    current: String,
    new_password: String,
) -> IpcResult<()> {
    let (mut store, actor) = state.lock()?;
    let name = actor.name.clone();
    Ok(store.set_password(&actor, &name, &new_password, Some(&current))?)
}
