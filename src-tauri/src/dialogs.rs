//! Native file dialogs, run from Rust. The webview asks for "a file to save the policy in"
//! or "a policy file to open" and gets back only what the user chose in the dialog: it is
//! granted no dialog or file-system permission of its own.

use std::path::PathBuf;

use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

/// A kind of file to offer first in the dialog, e.g. `("JSON policy", &["json"])`.
pub type Filter<'a> = (&'a str, &'a [&'a str]);

/// Policy files.
pub const JSON_POLICY: Filter<'static> = ("JSON policy", &["json"]);
/// Credentials files (`s3.json`).
pub const JSON_CREDENTIALS: Filter<'static> = ("JSON credentials", &["json"]);
/// Spreadsheets.
pub const CSV: Filter<'static> = ("CSV", &["csv"]);
/// Excel workbooks.
pub const XLSX: Filter<'static> = ("Excel workbook", &["xlsx"]);
/// One JSON object per line.
pub const JSONL: Filter<'static> = ("JSON lines", &["jsonl"]);

fn builder(app: &AppHandle, title: &str, filter: Filter<'_>) -> FileDialogBuilder<tauri::Wry> {
    let mut b = app
        .dialog()
        .file()
        .set_title(title)
        .add_filter(filter.0, filter.1)
        .add_filter("All files", &["*"]);
    if let Some(window) = app.get_webview_window("main") {
        b = b.set_parent(&window);
    }
    b
}

/// The file the user chose to save as (the dialog itself asks before replacing one).
pub async fn choose_save(
    app: AppHandle,
    title: &str,
    file_name: &str,
    filter: Filter<'_>,
) -> Option<PathBuf> {
    let b = builder(&app, title, filter).set_file_name(file_name);
    // The dialog blocks until the user answers: keep it off the async workers.
    tokio::task::spawn_blocking(move || b.blocking_save_file())
        .await
        .ok()
        .flatten()
        .and_then(|p| p.into_path().ok())
}

/// The file the user chose to open.
pub async fn choose_open(app: AppHandle, title: &str, filter: Filter<'_>) -> Option<PathBuf> {
    let b = builder(&app, title, filter);
    tokio::task::spawn_blocking(move || b.blocking_pick_file())
        .await
        .ok()
        .flatten()
        .and_then(|p| p.into_path().ok())
}

/// The files the user chose to open (any kind), or a folder.
pub async fn choose_files(app: AppHandle, title: &str, folder: bool) -> Vec<PathBuf> {
    let mut b = app.dialog().file().set_title(title);
    if let Some(window) = app.get_webview_window("main") {
        b = b.set_parent(&window);
    }
    let picked = tokio::task::spawn_blocking(move || {
        if folder {
            b.blocking_pick_folder().map(|p| vec![p])
        } else {
            b.blocking_pick_files()
        }
    })
    .await
    .ok()
    .flatten()
    .unwrap_or_default();
    picked
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect()
}
