//! Destination setup and the bucket audit: plan, apply with progress, validate, rotate,
//! tear down, credentials file; audit, fix, CSV. One line each over `sluice-core`.

use sluice_core::audit::{AuditReport, FixId};
use sluice_core::setup::apply::{SetupOutcome, StepEvent};
use sluice_core::setup::teardown::{RotationReport, TeardownReport};
use sluice_core::setup::validate::{Patience, ValidationReport};
use sluice_core::setup::{SetupPlan, SinkSpec};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::dialogs;
use crate::error::IpcResult;
use crate::state::AppState;
use sluice_core::desktop::{choose, Ask};

#[tauri::command]
#[specta::specta]
pub async fn setup_plan(state: State<'_, AppState>, spec: SinkSpec) -> IpcResult<SetupPlan> {
    Ok(state.core.plan_setup(&spec).await?)
}

/// Applies the plan; each step's progress arrives on `on_event`.
#[tauri::command]
#[specta::specta]
pub async fn setup_apply(
    state: State<'_, AppState>,
    spec: SinkSpec,
    on_event: Channel<StepEvent>,
) -> IpcResult<SetupOutcome> {
    Ok(state
        .core
        .apply_setup(&spec, Patience::default(), &move |e| drop(on_event.send(e)))
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn setup_validate(
    state: State<'_, AppState>,
    user: String,
) -> IpcResult<ValidationReport> {
    Ok(state
        .core
        .validate_setup(&user, Patience::default())
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn setup_rotate(state: State<'_, AppState>, user: String) -> IpcResult<RotationReport> {
    Ok(state
        .core
        .rotate_setup_key(&user, Patience::default())
        .await?)
}

/// What teardown would do (`apply` false), or does it.
#[tauri::command]
#[specta::specta]
pub async fn setup_teardown(
    state: State<'_, AppState>,
    user: String,
    delete_bucket: bool,
    empty_bucket: bool,
    apply: bool,
) -> IpcResult<TeardownReport> {
    Ok(state
        .core
        .teardown_setup(&user, delete_bucket, empty_bucket, apply)
        .await?)
}

/// Writes the credentials file where the user chooses in the native save dialog (which
/// asks before replacing). `None` when cancelled. The UI never sees the secret.
#[tauri::command]
#[specta::specta]
pub async fn setup_save_credentials(
    app: AppHandle,
    state: State<'_, AppState>,
    user: String,
) -> IpcResult<Option<String>> {
    let Some(path) = dialogs::choose_one(
        app,
        Ask::save(
            "Save the credentials file",
            "s3.json",
            choose::JSON_CREDENTIALS,
        ),
    )
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(
        state.core.export_sink_credentials(&user, &path, true)?,
    ))
}

/// Writes the credentials file to a typed path, never over an existing file: a path from
/// the webview may not replace anything with a secret.
#[tauri::command]
#[specta::specta]
pub async fn setup_save_credentials_to(
    state: State<'_, AppState>,
    user: String,
    path: String,
) -> IpcResult<String> {
    Ok(state
        .core
        .export_sink_credentials(&user, std::path::Path::new(&path), false)?)
}

#[tauri::command]
#[specta::specta]
pub async fn audit_bucket(state: State<'_, AppState>, bucket: String) -> IpcResult<AuditReport> {
    Ok(state.core.audit_bucket(&bucket).await?)
}

/// Applies the fixes the user confirmed, then audits again.
#[tauri::command]
#[specta::specta]
pub async fn audit_fix(
    state: State<'_, AppState>,
    bucket: String,
    fixes: Vec<FixId>,
) -> IpcResult<AuditReport> {
    Ok(state.core.fix_bucket(&bucket, &fixes).await?)
}

/// Audits again and saves the scorecard as CSV through the native save dialog.
#[tauri::command]
#[specta::specta]
pub async fn audit_save_csv(
    app: AppHandle,
    state: State<'_, AppState>,
    bucket: String,
) -> IpcResult<Option<String>> {
    let report = state.core.audit_bucket(&bucket).await?;
    let name = format!("{bucket}-audit.csv");
    let Some(path) =
        dialogs::choose_one(app, Ask::save("Save the scorecard", &name, choose::CSV)).await?
    else {
        return Ok(None);
    };
    Ok(Some(state.core.save_audit_csv(&report, &path, true)?))
}
