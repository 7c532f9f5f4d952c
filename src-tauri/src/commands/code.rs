//! Infrastructure as code: a policy template or a destination as Terraform or
//! CloudFormation, shown and saved. One line each over `sluice-core`.

use sluice_core::desktop::{choose, Ask};
use sluice_core::iac::{CodeFormat, CodeRequest, GeneratedCode};
use tauri::{AppHandle, State};

use crate::dialogs;
use crate::error::IpcResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn code_generate(
    state: State<'_, AppState>,
    request: CodeRequest,
) -> IpcResult<GeneratedCode> {
    Ok(state.core.generate_code(&request).await?)
}

/// Saves the code where the user chooses in the native save dialog (which asks before
/// replacing a file). `None` when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn code_save_as(
    app: AppHandle,
    state: State<'_, AppState>,
    request: CodeRequest,
    file_name: String,
) -> IpcResult<Option<String>> {
    let filter = match &request {
        CodeRequest::Policy { format, .. } | CodeRequest::Setup { format, .. } => match format {
            CodeFormat::Terraform => choose::TERRAFORM,
            CodeFormat::Cloudformation => choose::CLOUDFORMATION,
        },
    };
    let Some(path) =
        dialogs::choose_one(app, Ask::save("Save the code", &file_name, filter)).await?
    else {
        return Ok(None);
    };
    Ok(Some(state.core.save_code(&request, &path, true).await?))
}
