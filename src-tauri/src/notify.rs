//! A desktop notification when a long job (a download, a report, an Athena run, publishing)
//! ends while the window is in the background. The core announces every job that ends
//! ([`sluice_core::jobs::Jobs::on_end`]); the rule for showing it is the core's
//! [`sluice_core::desktop::should_notify`]; this file only asks the window and shows it.

use sluice_core::desktop::{prefs::notice_text, should_notify};
use sluice_core::jobs::JobEnded;
use sluice_core::Sluice;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

use crate::state::AppState;

/// Announces `core`'s ended jobs on this desktop.
pub fn install(app: &AppHandle, core: &Sluice) {
    let app = app.clone();
    core.jobs().on_end(move |ended| show(&app, ended));
}

fn show(app: &AppHandle, ended: &JobEnded) {
    let focused = app
        .get_webview_window("main")
        .and_then(|w| w.is_focused().ok())
        .unwrap_or(true);
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    match state.core.desktop_prefs() {
        Ok(prefs) if should_notify(&prefs, focused) => {}
        _ => return,
    }
    // No notification service (a bare X session) is not an error worth showing.
    let _ = app
        .notification()
        .builder()
        .title(notice_text(&ended.title))
        .body(notice_text(&ended.body))
        .show();
}
