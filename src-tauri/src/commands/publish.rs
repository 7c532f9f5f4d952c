//! Publish to Kinesis: the dry run, the send with statistics and events on a channel
//! (cancel with `cancel_job`), choosing files, saving the events log. One line each.

use std::sync::Arc;

use sluice_core::streams::publish::facade::PublishJobEvent;
use sluice_core::streams::publish::run::{LogEvent, PublishPlan, PublishRequest, PublishStats};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::dialogs;
use crate::error::IpcResult;
use crate::state::AppState;
use sluice_core::desktop::{choose, Ask};

#[tauri::command]
#[specta::specta]
pub async fn publish_plan(
    state: State<'_, AppState>,
    request: PublishRequest,
) -> IpcResult<PublishPlan> {
    Ok(state.core.publish_plan(&request)?)
}

#[tauri::command]
#[specta::specta]
pub async fn publish_send(
    state: State<'_, AppState>,
    request: PublishRequest,
    on_event: Channel<PublishJobEvent>,
) -> IpcResult<PublishStats> {
    let on = Arc::new(move |job, event| drop(on_event.send(PublishJobEvent { job, event })));
    Ok(state.core.publish(&request, on).await?)
}

/// The native dialog for offload files (or one folder).
#[tauri::command]
#[specta::specta]
pub async fn publish_choose_files(app: AppHandle, folder: bool) -> IpcResult<Vec<String>> {
    let title = if folder {
        "Choose a folder of offload files"
    } else {
        "Choose offload files"
    };
    let ask = if folder {
        Ask::folder(title, None)
    } else {
        Ask::open_many(title, None)
    };
    Ok(dialogs::choose(app, ask)
        .await?
        .iter()
        .map(|p| p.display().to_string())
        .collect())
}

/// Saves the events log as CSV through the native save dialog.
#[tauri::command]
#[specta::specta]
pub async fn publish_save_events(
    app: AppHandle,
    state: State<'_, AppState>,
    events: Vec<LogEvent>,
) -> IpcResult<Option<String>> {
    let Some(path) = dialogs::choose_one(
        app,
        Ask::save("Save the events log", "publish-events.csv", choose::CSV),
    )
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(
        state.core.export_publish_events(&events, &path, true)?,
    ))
}
