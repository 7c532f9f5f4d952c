//! Who am I, and which source identity answers.

use sluice_core::identity::profiles::ProfileInfo;
use sluice_core::identity::{CallerIdentity, SourceStatus, SourceUpdate};
use tauri::State;

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
