//! Tools: repair downloads whose `.gz` name lies.

use std::path::PathBuf;

use sluice_core::repair::{self, RepairReport};

use crate::error::IpcResult;

/// Plans (`apply = false`) or performs the renames for the given files and folders.
#[tauri::command]
#[specta::specta]
pub async fn fix_gz(paths: Vec<String>, apply: bool) -> IpcResult<RepairReport> {
    Ok(repair::repair(
        &paths.into_iter().map(PathBuf::from).collect::<Vec<_>>(),
        apply,
    )?)
}
