//! Reports on Amazon Athena: the estimate (with the SQL and the DDL), creating the table, and
//! the run with its progress on a channel (cancel with `cancel_job`). One line each.

use std::path::PathBuf;
use std::sync::Arc;

use sluice_core::athena::facade::{AthenaEstimate, AthenaJobEvent, AthenaReport};
use sluice_core::athena::table::TableReady;
use sluice_core::athena::AthenaTarget;
use sluice_core::report::spec::ReportSpec;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn athena_estimate(
    state: State<'_, AppState>,
    spec: ReportSpec,
    target: AthenaTarget,
) -> IpcResult<AthenaEstimate> {
    Ok(state.core.athena_estimate(&spec, &target).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn athena_create_table(
    state: State<'_, AppState>,
    spec: ReportSpec,
    target: AthenaTarget,
) -> IpcResult<TableReady> {
    Ok(state
        .core
        .athena_create_table(&spec.dataset(), &target)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn athena_run(
    state: State<'_, AppState>,
    spec: ReportSpec,
    target: AthenaTarget,
    output: String,
    replace: bool,
    on_event: Channel<AthenaJobEvent>,
) -> IpcResult<AthenaReport> {
    let on = Arc::new(move |job, progress| drop(on_event.send(AthenaJobEvent { job, progress })));
    Ok(state
        .core
        .athena_report(&spec, &target, &PathBuf::from(output), replace, on)
        .await?)
}
