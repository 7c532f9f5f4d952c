//! Who am I, which source identity answers, and signing in to IAM Identity Center.

use sluice_core::identity::profiles::ProfileInfo;
use sluice_core::identity::sso::{DeviceCode, SsoAccount, SsoStatus};
use sluice_core::identity::{CallerIdentity, SourceStatus, SourceUpdate};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::error::IpcResult;
use crate::state::AppState;

/// STS GetCallerIdentity for the configured source identity.
#[tauri::command]
#[specta::specta]
pub async fn whoami(state: State<'_, AppState>) -> IpcResult<CallerIdentity> {
    Ok(state.core.whoami().await?)
}

/// The configured source identity (never its secret).
#[tauri::command]
#[specta::specta]
pub async fn source_status(state: State<'_, AppState>) -> IpcResult<SourceStatus> {
    Ok(state.core.source_status()?)
}

/// Saves a new source identity; a secret key goes to the OS keyring only.
#[tauri::command]
#[specta::specta]
pub async fn set_source(
    state: State<'_, AppState>,
    update: SourceUpdate,
) -> IpcResult<SourceStatus> {
    Ok(state.core.set_source(update)?)
}

/// Makes pasted temporary credentials the source identity; the secret key and the session
/// token go to the OS keyring only.
#[tauri::command]
#[specta::specta]
pub async fn set_temporary_source(
    state: State<'_, AppState>,
    pasted: String,
    region: Option<String>,
) -> IpcResult<SourceStatus> {
    Ok(state.core.set_temporary_source(pasted.into(), region)?)
}

/// The profiles of `~/.aws/config` and `~/.aws/credentials`, with what each is.
#[tauri::command]
#[specta::specta]
pub async fn list_profiles(state: State<'_, AppState>) -> IpcResult<Vec<ProfileInfo>> {
    Ok(state.core.aws_profiles()?)
}

/// The IAM Identity Center sign-in (never a token).
#[tauri::command]
#[specta::specta]
pub async fn sso_status(state: State<'_, AppState>) -> IpcResult<SsoStatus> {
    Ok(state.core.sso_status()?)
}

/// Starts a device sign-in and opens its page in the default browser.
#[tauri::command]
#[specta::specta]
pub async fn sso_start(
    app: AppHandle,
    state: State<'_, AppState>,
    start_url: String,
    region: String,
) -> IpcResult<DeviceCode> {
    let browser = |url: &str| app.opener().open_url(url, None::<&str>).is_ok();
    Ok(state.core.sso_start(&start_url, &region, &browser).await?)
}

/// Waits until the code is approved in the browser (or the sign-in is cancelled).
#[tauri::command]
#[specta::specta]
pub async fn sso_wait(state: State<'_, AppState>) -> IpcResult<SsoStatus> {
    Ok(state.core.sso_wait().await?)
}

/// Opens the sign-in page in the default browser again.
#[tauri::command]
#[specta::specta]
pub async fn sso_open_page(app: AppHandle, state: State<'_, AppState>) -> IpcResult<bool> {
    let browser = |url: &str| app.opener().open_url(url, None::<&str>).is_ok();
    Ok(state.core.sso_open_page(&browser))
}

/// Stops a sign-in that waits for approval.
#[tauri::command]
#[specta::specta]
pub async fn sso_cancel(state: State<'_, AppState>) -> IpcResult<bool> {
    Ok(state.core.sso_cancel())
}

/// The accounts and roles of the sign-in.
#[tauri::command]
#[specta::specta]
pub async fn sso_accounts(state: State<'_, AppState>) -> IpcResult<Vec<SsoAccount>> {
    Ok(state.core.sso_accounts().await?)
}

/// Makes an account's role the source identity.
#[tauri::command]
#[specta::specta]
pub async fn sso_use(
    state: State<'_, AppState>,
    account_id: String,
    role_name: String,
) -> IpcResult<SourceStatus> {
    Ok(state.core.sso_use(&account_id, &role_name).await?)
}

/// Signs out of IAM Identity Center.
#[tauri::command]
#[specta::specta]
pub async fn sso_logout(state: State<'_, AppState>) -> IpcResult<SsoStatus> {
    Ok(state.core.sso_logout().await?)
}

/// Shares the IAM Identity Center sign-in with the AWS CLI (its token cache), or stops.
#[tauri::command]
#[specta::specta]
pub async fn sso_share_with_aws_cli(
    state: State<'_, AppState>,
    share: bool,
) -> IpcResult<SsoStatus> {
    Ok(state.core.sso_share_with_aws_cli(share)?)
}

/// Makes the MFA session that asked for a code: a connection role's, else the source's (kept in memory).
#[tauri::command]
#[specta::specta]
pub async fn mfa_sign_in(
    state: State<'_, AppState>,
    code: String,
    connection: Option<String>,
) -> IpcResult<()> {
    Ok(state.core.mfa_sign_in(&code, connection.as_deref()).await?)
}
