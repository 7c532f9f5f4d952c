//! The main window comes back where the user left it: its size, position and maximized
//! state are saved (through the core's desktop preferences) a moment after they change and
//! when the window closes, and restored, fitted to the screens there are now, at start.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sluice_core::desktop::{Screen, WindowPlacement};
use tauri::{Manager, PhysicalPosition, PhysicalSize, Runtime, WebviewWindow, Window, WindowEvent};

use crate::state::AppState;

/// Bumped on every move or resize; a pending save only runs if it is still the latest.
static GENERATION: AtomicU64 = AtomicU64::new(0);

fn placement<R: Runtime>(window: &Window<R>) -> Option<WindowPlacement> {
    let maximized = window.is_maximized().unwrap_or(false);
    let pos = window.outer_position().ok()?;
    let size = window.inner_size().ok()?;
    Some(WindowPlacement {
        x: pos.x,
        y: pos.y,
        width: size.width,
        height: size.height,
        maximized,
    })
}

fn save<R: Runtime>(window: &Window<R>) {
    let (Some(p), Some(state)) = (placement(window), window.try_state::<AppState>()) else {
        return;
    };
    // A minimized window has no useful placement.
    if window.is_minimized().unwrap_or(false) {
        return;
    }
    if let Err(e) = state.core.remember_window(p) {
        tracing::warn!("could not remember the window placement: {e}");
    }
}

/// Saves the placement half a second after the last move or resize, and on close.
pub fn on_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if window.label() != "main" {
        return;
    }
    match event {
        WindowEvent::Moved(_) | WindowEvent::Resized(_) => {
            let generation = GENERATION.fetch_add(1, Ordering::SeqCst) + 1;
            let window = window.clone();
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(Duration::from_millis(500)).await;
                if GENERATION.load(Ordering::SeqCst) == generation {
                    save(&window);
                }
            });
        }
        WindowEvent::CloseRequested { .. } => save(window),
        _ => {}
    }
}

/// Puts the main window where it was, when remembering is on.
pub fn restore<R: Runtime>(window: &WebviewWindow<R>, state: &AppState) {
    let Ok(prefs) = state.core.desktop_prefs() else {
        return;
    };
    let (true, Some(saved)) = (prefs.remember_window, prefs.window) else {
        return;
    };
    let screens: Vec<Screen> = window
        .available_monitors()
        .unwrap_or_default()
        .iter()
        .map(|m| Screen {
            x: m.position().x,
            y: m.position().y,
            width: m.size().width,
            height: m.size().height,
        })
        .collect();
    let Some(p) = saved.fitted(&screens) else {
        return;
    };
    let _ = window.set_size(PhysicalSize::new(p.width, p.height));
    let _ = window.set_position(PhysicalPosition::new(p.x, p.y));
    if p.maximized {
        let _ = window.maximize();
    }
}
