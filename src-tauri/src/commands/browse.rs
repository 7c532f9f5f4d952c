//! Browse S3 through a connection (or your own identity): list, range, preview, details,
//! download with progress over a channel, cancel. One line each over `sluice-core`.

use std::sync::Arc;

use sluice_core::desktop::Ask;
use sluice_core::s3::browse::{self, DownloadRequest, JobEvent, ObjectDetails};
use sluice_core::s3::download::{DownloadItem, DownloadSummary};
use sluice_core::s3::listing::{ListPage, RangeListing};
use sluice_core::s3::preview::Preview;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::dialogs;
use crate::error::IpcResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn s3_list(
    state: State<'_, AppState>,
    connection: Option<String>,
    bucket: String,
    prefix: String,
    token: Option<String>,
) -> IpcResult<ListPage> {
    Ok(state
        .core
        .browse_list(connection.as_deref(), &bucket, &prefix, token)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn s3_list_range(
    state: State<'_, AppState>,
    connection: Option<String>,
    bucket: String,
    prefix: String,
    from: String,
    to: String,
) -> IpcResult<RangeListing> {
    Ok(state
        .core
        .browse_range(connection.as_deref(), &bucket, &prefix, &from, &to)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn s3_preview(
    state: State<'_, AppState>,
    connection: Option<String>,
    bucket: String,
    key: String,
    rows: Option<u32>,
) -> IpcResult<Preview> {
    Ok(state
        .core
        .browse_preview(connection.as_deref(), &bucket, &key, rows)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn s3_object_details(
    state: State<'_, AppState>,
    connection: Option<String>,
    bucket: String,
    key: String,
) -> IpcResult<ObjectDetails> {
    Ok(state
        .core
        .object_details(connection.as_deref(), &bucket, &key)
        .await?)
}

/// What a download would write; existing files are marked so the UI can ask first.
#[tauri::command]
#[specta::specta]
pub async fn s3_plan_download(
    state: State<'_, AppState>,
    request: DownloadRequest,
) -> IpcResult<Vec<DownloadItem>> {
    Ok(state.core.plan_download(&request).await?)
}

/// Runs a download; progress arrives on `on_event`, cancel with `cancel_job`.
#[tauri::command]
#[specta::specta]
pub async fn s3_download(
    state: State<'_, AppState>,
    request: DownloadRequest,
    on_event: Channel<JobEvent>,
) -> IpcResult<DownloadSummary> {
    let progress = Arc::new(move |job, event| drop(on_event.send(JobEvent { job, event })));
    Ok(state.core.download(request, progress).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_job(state: State<'_, AppState>, job: u32) -> IpcResult<bool> {
    Ok(state.core.jobs().cancel(job))
}

#[tauri::command]
#[specta::specta]
pub async fn default_download_dir() -> IpcResult<String> {
    Ok(browse::default_download_dir())
}

/// The native folder dialog for downloads, opening in `current` when it exists.
#[tauri::command]
#[specta::specta]
pub async fn choose_download_dir(
    app: AppHandle,
    current: Option<String>,
) -> IpcResult<Option<String>> {
    let ask = Ask::folder("Download to", current.map(Into::into));
    Ok(dialogs::choose_one(app, ask)
        .await?
        .map(|p| p.display().to_string()))
}
