//! Reports: plan, run with progress on a channel (cancel with `cancel_job`), coverage,
//! saved definitions, and opening the finished file. One line each over `sluice-core`.

use std::path::PathBuf;
use std::sync::Arc;

use sluice_core::report::coverage::Coverage;
use sluice_core::report::facade::{self, ReportJobEvent};
use sluice_core::report::plan::ReportPlan;
use sluice_core::report::run::{ReportResult, RunOptions};
use sluice_core::report::saved::SavedReport;
use sluice_core::report::spec::ReportSpec;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::dialogs;
use crate::error::IpcResult;
use crate::state::AppState;
use sluice_core::desktop::{choose, Ask};

#[tauri::command]
#[specta::specta]
pub async fn report_plan(state: State<'_, AppState>, spec: ReportSpec) -> IpcResult<ReportPlan> {
    Ok(state.core.report_plan(&spec).await?)
}

/// Runs the report into `output`; progress arrives on `on_event`.
#[tauri::command]
#[specta::specta]
pub async fn report_run(
    state: State<'_, AppState>,
    spec: ReportSpec,
    output: String,
    replace: bool,
    on_event: Channel<ReportJobEvent>,
) -> IpcResult<ReportResult> {
    let progress =
        Arc::new(move |job, progress| drop(on_event.send(ReportJobEvent { job, progress })));
    Ok(state
        .core
        .report_run(
            &spec,
            &PathBuf::from(output),
            replace,
            RunOptions::default(),
            progress,
        )
        .await?)
}

/// Reads the range for coverage only.
#[tauri::command]
#[specta::specta]
pub async fn report_coverage(
    state: State<'_, AppState>,
    spec: ReportSpec,
    on_event: Channel<ReportJobEvent>,
) -> IpcResult<ReportResult> {
    let progress =
        Arc::new(move |job, progress| drop(on_event.send(ReportJobEvent { job, progress })));
    Ok(state.core.report_coverage(&spec, progress).await?)
}

/// The file a report goes to unless the user picks another.
#[tauri::command]
#[specta::specta]
pub async fn report_default_path(spec: ReportSpec, dir: Option<String>) -> IpcResult<String> {
    Ok(facade::default_report_path(
        &spec,
        dir.as_deref().map(std::path::Path::new),
    ))
}

/// The native save dialog for a report file.
#[tauri::command]
#[specta::specta]
pub async fn report_choose_output(app: AppHandle, suggested: String) -> IpcResult<Option<String>> {
    let name = std::path::Path::new(&suggested)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let filter = if name.ends_with(".xlsx") {
        choose::REPORT_XLSX
    } else {
        choose::REPORT_CSV
    };
    Ok(
        dialogs::choose_one(app, Ask::save("Save the report", &name, filter))
            .await?
            .map(|p| p.display().to_string()),
    )
}

/// Saves a coverage summary table through the native save dialog.
#[tauri::command]
#[specta::specta]
pub async fn report_save_coverage(
    app: AppHandle,
    state: State<'_, AppState>,
    coverage: Coverage,
) -> IpcResult<Option<String>> {
    let Some(path) = dialogs::choose_one(
        app,
        Ask::save("Save the coverage table", "coverage.csv", choose::CSV),
    )
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(state.core.export_coverage(&coverage, &path, true)?))
}

/// Saves a coverage summary table to a typed path.
#[tauri::command]
#[specta::specta]
pub async fn report_save_coverage_to(
    state: State<'_, AppState>,
    coverage: Coverage,
    path: String,
    replace: bool,
) -> IpcResult<String> {
    Ok(state
        .core
        .export_coverage(&coverage, std::path::Path::new(&path), replace)?)
}

#[tauri::command]
#[specta::specta]
pub async fn saved_reports(state: State<'_, AppState>) -> IpcResult<Vec<SavedReport>> {
    Ok(state.core.saved_reports()?)
}

#[tauri::command]
#[specta::specta]
pub async fn save_report(
    state: State<'_, AppState>,
    saved: SavedReport,
    replace: bool,
) -> IpcResult<Vec<SavedReport>> {
    Ok(state.core.save_report(saved, replace)?)
}

#[tauri::command]
#[specta::specta]
pub async fn delete_report(
    state: State<'_, AppState>,
    name: String,
) -> IpcResult<Vec<SavedReport>> {
    Ok(state.core.delete_report(&name)?)
}
