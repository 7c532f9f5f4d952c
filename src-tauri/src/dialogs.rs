//! Native file dialogs, run from Rust. The webview asks for "a file to save the policy in"
//! or "a folder to download to" and gets back only what the user chose, checked by the
//! core (`sluice_core::desktop::choose`): it is granted no dialog or file-system permission
//! of its own.

use std::path::PathBuf;

use sluice_core::desktop::{self, Ask, AskKind, Chooser};
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

use crate::error::IpcResult;

/// The desktop's dialogs (GTK on Linux), parented to the main window.
struct NativeDialogs(AppHandle);

impl Chooser for NativeDialogs {
    fn choose(&self, ask: &Ask) -> Vec<PathBuf> {
        let mut b = self.0.dialog().file().set_title(&ask.title);
        if let Some(f) = ask.filter {
            b = b
                .add_filter(f.name, f.extensions)
                .add_filter("All files", &["*"]);
        }
        if let Some(dir) = &ask.start_in {
            b = b.set_directory(dir);
        }
        if let Some(window) = self.0.get_webview_window("main") {
            b = b.set_parent(&window);
        }
        let picked = match &ask.kind {
            AskKind::Save { file_name } => b
                .set_file_name(file_name)
                .blocking_save_file()
                .map(|p| vec![p]),
            AskKind::Open => b.blocking_pick_file().map(|p| vec![p]),
            AskKind::OpenMany => b.blocking_pick_files(),
            AskKind::Folder => b.blocking_pick_folder().map(|p| vec![p]),
        };
        picked
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| p.into_path().ok())
            .collect()
    }
}

/// Every path chosen (none when cancelled), checked by the core.
pub async fn choose(app: AppHandle, ask: Ask) -> IpcResult<Vec<PathBuf>> {
    // The dialog blocks until the user answers: keep it off the async workers.
    let picked = tokio::task::spawn_blocking(move || desktop::choose(&NativeDialogs(app), &ask))
        .await
        .map_err(|e| sluice_core::CoreError::Internal {
            detail: format!("the file dialog failed: {e}"),
        })??;
    Ok(picked)
}

/// The one path chosen, or `None` when cancelled.
pub async fn choose_one(app: AppHandle, ask: Ask) -> IpcResult<Option<PathBuf>> {
    Ok(choose(app, ask).await?.into_iter().next())
}
