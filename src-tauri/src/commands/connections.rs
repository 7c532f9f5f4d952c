//! Connections: handover import, save, verify, sessions, inline policy, console link,
//! AWS CLI profile. One line each over `sluice-core`.

use sluice_core::aws::shared_files::config_path as aws_config_path;
use sluice_core::connections::console::{self, ConsoleLink};
use sluice_core::connections::credential_process::ProfilePlan;
use sluice_core::connections::policy::{InlinePolicy, PolicyTarget};
use sluice_core::connections::session::SessionStatus;
use sluice_core::connections::verify::VerifyReport;
use sluice_core::connections::{Connection, ConnectionDraft};
use sluice_core::desktop::{choose, Ask};
use sluice_core::handover::{self, HandoverFields};
use sluice_core::handover_file::OpenedHandover;
use tauri::{AppHandle, State};

use crate::dialogs;
use crate::error::IpcResult;
use crate::state::AppState;

/// Reads a pasted handover; returns the fields it found (never the secrets it carried).
#[tauri::command]
#[specta::specta]
pub async fn import_handover(text: String) -> IpcResult<HandoverFields> {
    Ok(handover::parse(&text).fields)
}

/// Reads a handover file the user picks in the native open dialog. `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn open_handover_file(
    app: AppHandle,
    state: State<'_, AppState>,
) -> IpcResult<Option<OpenedHandover>> {
    let ask = Ask::open("Open the vendor's handover", choose::HANDOVER);
    let Some(path) = dialogs::choose_one(app, ask).await? else {
        return Ok(None);
    };
    Ok(Some(state.core.open_handover_file(&path)?))
}

#[tauri::command]
#[specta::specta]
pub async fn list_connections(state: State<'_, AppState>) -> IpcResult<Vec<Connection>> {
    Ok(state.core.connections()?)
}

/// Saves a connection; secrets not typed in the form are taken from the handover text or
/// from the handover file opened in the dialog (which Rust kept).
#[tauri::command]
#[specta::specta]
pub async fn save_connection(
    state: State<'_, AppState>,
    draft: ConnectionDraft,
    handover_text: Option<String>,
    from_opened_file: bool,
) -> IpcResult<Connection> {
    Ok(state.core.save_connection_with_handover(
        draft,
        handover_text.as_deref(),
        from_opened_file,
    )?)
}

#[tauri::command]
#[specta::specta]
pub async fn delete_connection(state: State<'_, AppState>, name: String) -> IpcResult<()> {
    Ok(state.core.remove_connection(&name)?)
}

#[tauri::command]
#[specta::specta]
pub async fn verify_connection(
    state: State<'_, AppState>,
    name: String,
) -> IpcResult<VerifyReport> {
    Ok(state.core.verify_connection(&name).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn session_status(state: State<'_, AppState>, name: String) -> IpcResult<SessionStatus> {
    Ok(state.core.session_status(&name).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn reload_session(state: State<'_, AppState>, name: String) -> IpcResult<SessionStatus> {
    Ok(state.core.reload_session(&name).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn inline_policy(state: State<'_, AppState>, name: String) -> IpcResult<InlinePolicy> {
    Ok(state.core.inline_policy(&name).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn apply_inline_policy(
    state: State<'_, AppState>,
    name: String,
    target: PolicyTarget,
) -> IpcResult<InlinePolicy> {
    Ok(state.core.apply_inline_policy(&name, &target).await?)
}

/// Saves the inline policy as a JSON file; an existing file only with `replace`.
#[tauri::command]
#[specta::specta]
pub async fn save_inline_policy(
    state: State<'_, AppState>,
    name: String,
    path: String,
    replace: bool,
) -> IpcResult<String> {
    Ok(state
        .core
        .save_inline_policy(&name, std::path::Path::new(&path), replace)
        .await?)
}

/// Saves the inline policy where the user chooses in the native save dialog.
#[tauri::command]
#[specta::specta]
pub async fn save_inline_policy_as(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> IpcResult<Option<String>> {
    let file_name = format!("{}-inline-policy.json", name.trim());
    let ask = Ask::save("Save the inline policy", &file_name, choose::JSON_POLICY);
    let Some(path) = dialogs::choose_one(app, ask).await? else {
        return Ok(None);
    };
    Ok(Some(
        state.core.save_inline_policy(&name, &path, true).await?,
    ))
}

#[tauri::command]
#[specta::specta]
pub async fn console_link(state: State<'_, AppState>, name: String) -> IpcResult<ConsoleLink> {
    Ok(console::switch_role_link(&state.core.connection(&name)?)?)
}

/// The `~/.aws/config` change that would run `sluice credentials` for this connection.
#[tauri::command]
#[specta::specta]
pub async fn plan_cli_profile(
    state: State<'_, AppState>,
    name: String,
    profile: String,
) -> IpcResult<ProfilePlan> {
    Ok(state
        .core
        .plan_cli_profile(&name, &profile, &state.cli_path()?, &aws_config_path()?)?)
}

#[tauri::command]
#[specta::specta]
pub async fn write_cli_profile(
    state: State<'_, AppState>,
    name: String,
    profile: String,
) -> IpcResult<ProfilePlan> {
    Ok(state
        .core
        .write_cli_profile(&name, &profile, &state.cli_path()?, &aws_config_path()?)?)
}
