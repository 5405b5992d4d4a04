//! E-mail commands: the Settings → E-mail section (administrators, checked by the core), the
//! user's own address for results, and Retry on a job whose e-mail failed. The password goes
//! straight to the OS keychain (`mail_hooks::keychain`), never to the database.

use pdesk_core::mail::{
    JobKind, JobMail, MailPolicy, MailSettings, MailSettingsInput, MailSettingsSaved,
};
use tauri::{Emitter, State};

use crate::error::IpcResult;
use crate::mail_hooks::{keychain, MAIL_EVENT};
use crate::state::AppState;

#[tauri::command(async)]
pub fn mail_settings(state: State<'_, AppState>) -> IpcResult<MailSettings> {
    let (store, actor) = state.lock()?;
    Ok(store.mail_settings(&actor, &keychain())?)
}

#[tauri::command(async)]
pub fn set_mail_settings(
    state: State<'_, AppState>,
    input: MailSettingsInput,
) -> IpcResult<MailSettingsSaved> {
    let (mut store, actor) = state.lock()?;
    Ok(store.set_mail_settings(&actor, &input, &keychain())?)
}

#[tauri::command(async)]
pub fn send_test_mail(state: State<'_, AppState>, to: String) -> IpcResult<()> {
    let actor = state.lock()?.1;
    // SMTP may take until its timeout: sent on a connection of its own, not the app's store.
    Ok(state
        .connection()?
        .send_test_mail(&actor, &to, &keychain())?)
}

#[tauri::command(async)]
pub fn my_mail_address(state: State<'_, AppState>) -> IpcResult<Option<String>> {
    let (store, actor) = state.lock()?;
    Ok(store.my_mail_address(&actor)?)
}

#[tauri::command(async)]
pub fn set_my_mail_address(
    state: State<'_, AppState>,
    address: String,
) -> IpcResult<Option<String>> {
    let (mut store, actor) = state.lock()?;
    Ok(store.set_my_mail_address(&actor, &address)?)
}

/// Settings → E-mail: the allowed result-address domains and the attachment row cap.
#[tauri::command(async)]
pub fn mail_policy(state: State<'_, AppState>) -> IpcResult<MailPolicy> {
    let (store, actor) = state.lock()?;
    Ok(store.mail_policy(&actor)?)
}

#[tauri::command(async)]
pub fn set_mail_policy(state: State<'_, AppState>, policy: MailPolicy) -> IpcResult<MailPolicy> {
    let (mut store, actor) = state.lock()?;
    Ok(store.set_mail_policy(&actor, &policy)?)
}

#[tauri::command(async)]
pub fn job_mails(state: State<'_, AppState>, kind: JobKind) -> IpcResult<Vec<JobMail>> {
    let (store, actor) = state.lock()?;
    Ok(store.job_mails(&actor, kind)?)
}

/// Sends a job's e-mail again; `job-mail` carries the new status too.
#[tauri::command(async)]
pub fn retry_job_mail<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    kind: JobKind,
    id: i64,
) -> IpcResult<JobMail> {
    let actor = state.lock()?.1;
    // Sent on a connection of its own (see `send_test_mail`).
    let mail = state
        .connection()?
        .retry_job_mail(&actor, kind, id, &keychain())?;
    let _ = app.emit(MAIL_EVENT, &mail);
    Ok(mail)
}
