//! Streams: info, read from a position, tail with progress and cancel, decode pasted
//! records, export the records the user filtered. One line each over `sluice-core`.

use sluice_core::decode::{self, paste, DecodedRecord};
use sluice_core::streams::export::ExportFormat;
use sluice_core::streams::info::StreamInfo;
use sluice_core::streams::read::{ReadRequest, ReadResult};
use sluice_core::streams::shard::Pace;
use sluice_core::streams::tail::{TailEvent, TailRequest};
use sluice_core::streams::StreamRef;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::dialogs;
use crate::error::IpcResult;
use crate::state::AppState;
use sluice_core::desktop::{choose, Ask};

#[tauri::command]
#[specta::specta]
pub async fn stream_info(
    state: State<'_, AppState>,
    connection: Option<String>,
    stream: String,
) -> IpcResult<StreamInfo> {
    Ok(state
        .core
        .stream_info(connection.as_deref(), &StreamRef::parse(&stream)?)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn stream_read(
    state: State<'_, AppState>,
    request: ReadRequest,
) -> IpcResult<ReadResult> {
    Ok(state.core.read_stream(&request, Pace::default()).await?)
}

/// Follows the stream until the job is cancelled (`cancel_job`); batches arrive on `on_event`.
#[tauri::command]
#[specta::specta]
pub async fn stream_tail(
    state: State<'_, AppState>,
    request: TailRequest,
    on_event: Channel<TailEvent>,
) -> IpcResult<f64> {
    let total = state
        .core
        .tail_job(&request, &move |e| drop(on_event.send(e)))
        .await?;
    Ok(total as f64)
}

/// Decodes pasted `aws kinesis get-records` output or one base64 Data value.
#[tauri::command]
#[specta::specta]
pub async fn stream_decode(text: String) -> IpcResult<Vec<DecodedRecord>> {
    Ok(paste::parse(&text)?
        .iter()
        .flat_map(|(source, data)| decode::decode(source, data))
        .collect())
}

/// Saves records as CSV or JSONL where the user chooses in the native save dialog.
#[tauri::command]
#[specta::specta]
pub async fn stream_export(
    app: AppHandle,
    state: State<'_, AppState>,
    records: Vec<DecodedRecord>,
    format: ExportFormat,
) -> IpcResult<Option<String>> {
    let (name, filter) = match format {
        ExportFormat::Csv => ("records.csv", choose::CSV),
        ExportFormat::Jsonl => ("records.jsonl", choose::JSONL),
    };
    let Some(path) =
        dialogs::choose_one(app, Ask::save("Export the records", name, filter)).await?
    else {
        return Ok(None);
    };
    Ok(Some(
        state.core.export_records(&records, format, &path, true)?,
    ))
}
