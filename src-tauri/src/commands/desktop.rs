//! The desktop around the pages: "Open" / "Show in folder" for files Sluice wrote, the
//! remembered section and the preferences. One line each over `sluice_core::desktop`.

use sluice_core::desktop::cli_install::CliStatus;
use sluice_core::desktop::{DesktopPrefs, OpenHow, Opener};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::error::IpcResult;
use crate::state::AppState;

/// tauri-plugin-opener, behind the core's [`Opener`].
struct DesktopOpener<'a>(&'a AppHandle);

impl Opener for DesktopOpener<'_> {
    fn open(&self, path: &std::path::Path) -> Result<(), String> {
        let p = path.display().to_string();
        self.0
            .opener()
            .open_path(p, None::<&str>)
            .map_err(|e| e.to_string())
    }
    fn reveal(&self, path: &std::path::Path) -> Result<(), String> {
        self.0
            .opener()
            .reveal_item_in_dir(path)
            .map_err(|e| e.to_string())
    }
}

/// Opens a file (or folder) Sluice wrote, or shows it in the file manager.
#[tauri::command]
#[specta::specta]
pub async fn open_path(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    how: OpenHow,
) -> IpcResult<()> {
    Ok(state.core.open_written(&DesktopOpener(&app), &path, how)?)
}

#[tauri::command]
#[specta::specta]
pub async fn desktop_prefs(state: State<'_, AppState>) -> IpcResult<DesktopPrefs> {
    Ok(state.core.desktop_prefs()?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_desktop_prefs(
    state: State<'_, AppState>,
    remember_window: bool,
    notify: bool,
) -> IpcResult<DesktopPrefs> {
    Ok(state.core.set_desktop_prefs(remember_window, notify)?)
}

#[tauri::command]
#[specta::specta]
pub async fn remember_section(state: State<'_, AppState>, section: String) -> IpcResult<()> {
    Ok(state.core.remember_section(&section).map(drop)?)
}

#[tauri::command]
#[specta::specta]
pub async fn cli_status(state: State<'_, AppState>) -> IpcResult<CliStatus> {
    Ok(state.core.cli_status(&state.app_exe()?))
}

#[tauri::command]
#[specta::specta]
pub async fn put_cli_on_path(state: State<'_, AppState>) -> IpcResult<String> {
    Ok(state.core.put_cli_on_path(&state.app_exe()?)?)
}
