//! Tools: repair downloads whose `.gz` name lies.

use std::path::PathBuf;

use sluice_core::desktop::{choose, Ask};
use sluice_core::repair::RepairReport;
use tauri::{AppHandle, State};

use crate::dialogs;
use crate::error::IpcResult;
use crate::state::AppState;

/// Plans (`apply = false`) or performs the renames for the given files and folders.
#[tauri::command]
#[specta::specta]
pub async fn fix_gz(
    state: State<'_, AppState>,
    paths: Vec<String>,
    apply: bool,
) -> IpcResult<RepairReport> {
    Ok(state.core.repair(
        &paths.into_iter().map(PathBuf::from).collect::<Vec<_>>(),
        apply,
    )?)
}

/// The native dialog for downloads to repair: `.gz` files, or one folder.
#[tauri::command]
#[specta::specta]
pub async fn choose_repair_paths(app: AppHandle, folder: bool) -> IpcResult<Vec<String>> {
    let ask = if folder {
        Ask::folder("Choose a folder of downloads", None)
    } else {
        Ask::open_many("Choose downloads to repair", Some(choose::GZIP))
    };
    Ok(dialogs::choose(app, ask)
        .await?
        .iter()
        .map(|p| p.display().to_string())
        .collect())
}
