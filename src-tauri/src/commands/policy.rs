//! Policy studio: generate, lint, keep a trust ExternalId in the keyring, save, plan and
//! apply. One line each over `sluice-core`.

use sluice_core::policy::apply::{AppliedPolicy, ApplyPlan, ApplyTarget};
use sluice_core::policy::studio::{ExternalIdStatus, GeneratedPolicy, OpenedPolicy, PolicySource};
use sluice_core::policy::{LintReport, PolicyKind, TemplateRequest};
use tauri::{AppHandle, State};

use crate::dialogs;
use sluice_core::desktop::{choose, Ask};

use crate::error::IpcResult;
use crate::state::AppState;

/// A template's policy for display (a trust ExternalId is named, never shown).
#[tauri::command]
#[specta::specta]
pub async fn policy_generate(
    state: State<'_, AppState>,
    request: TemplateRequest,
) -> IpcResult<GeneratedPolicy> {
    Ok(state.core.generate_policy(&request)?)
}

#[tauri::command]
#[specta::specta]
pub async fn policy_lint(
    state: State<'_, AppState>,
    text: String,
    kind: Option<PolicyKind>,
) -> IpcResult<LintReport> {
    Ok(state.core.lint_policy(&text, kind))
}

#[tauri::command]
#[specta::specta]
pub async fn policy_external_id_status(
    state: State<'_, AppState>,
    name: String,
) -> IpcResult<ExternalIdStatus> {
    Ok(state.core.trust_external_id(&name)?)
}

/// Generates a strong ExternalId straight into the keyring; the UI learns only that it exists.
#[tauri::command]
#[specta::specta]
pub async fn policy_generate_external_id(
    state: State<'_, AppState>,
    name: String,
    replace: bool,
) -> IpcResult<ExternalIdStatus> {
    Ok(state.core.generate_trust_external_id(&name, replace)?)
}

/// Saves the policy (with its ExternalId in place) to a file; an existing one only with `replace`.
#[tauri::command]
#[specta::specta]
pub async fn policy_save(
    state: State<'_, AppState>,
    source: PolicySource,
    path: String,
    replace: bool,
) -> IpcResult<String> {
    Ok(state
        .core
        .save_policy(&source, std::path::Path::new(&path), replace)?)
}

/// Saves the policy where the user chooses in the native save dialog, which itself asks
/// before replacing a file. `None` when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn policy_save_as(
    app: AppHandle,
    state: State<'_, AppState>,
    source: PolicySource,
    file_name: String,
) -> IpcResult<Option<String>> {
    let Some(path) = dialogs::choose_one(
        app,
        Ask::save("Save the policy", &file_name, choose::JSON_POLICY),
    )
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(state.core.save_policy(&source, &path, true)?))
}

/// Reads a policy file the user picks in the native open dialog. `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn policy_open_file(
    app: AppHandle,
    state: State<'_, AppState>,
) -> IpcResult<Option<OpenedPolicy>> {
    let Some(path) =
        dialogs::choose_one(app, Ask::open("Open a policy", choose::JSON_POLICY)).await?
    else {
        return Ok(None);
    };
    Ok(Some(state.core.read_policy_file(&path)?))
}

#[tauri::command]
#[specta::specta]
pub async fn policy_plan_apply(
    state: State<'_, AppState>,
    target: ApplyTarget,
    source: PolicySource,
    policy_name: Option<String>,
) -> IpcResult<ApplyPlan> {
    Ok(state
        .core
        .plan_policy_apply(&target, &source, policy_name.as_deref())
        .await?)
}

/// Applies the policy the user reviewed; `fingerprint` (from the plan) makes the core
/// refuse when the policy or AWS changed since.
#[tauri::command]
#[specta::specta]
pub async fn policy_apply(
    state: State<'_, AppState>,
    target: ApplyTarget,
    source: PolicySource,
    policy_name: Option<String>,
    fingerprint: Option<String>,
) -> IpcResult<AppliedPolicy> {
    Ok(state
        .core
        .apply_policy(
            &target,
            &source,
            policy_name.as_deref(),
            fingerprint.as_deref(),
        )
        .await?)
}
