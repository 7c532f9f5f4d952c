//! The Sluice desktop shell: builds the Tauri app, manages one [`state::AppState`] and
//! registers the one-line commands. All logic lives in `sluice-core`.

pub mod bindings;
pub mod commands;
pub mod dialogs;
pub mod error;
pub mod notify;
pub mod state;
pub mod window;

use std::time::Instant;

use tauri::webview::PageLoadEvent;
use tauri::Manager;

/// Starts the desktop app.
pub fn run() {
    // Before GTK or WebKit start (and before any thread): the renderer and JIT thresholds
    // chosen from `make bench`.
    for (key, value) in sluice_core::desktop::webkit_env(|k| std::env::var(k).ok()) {
        std::env::set_var(key, value);
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SLUICE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let started = Instant::now();
    let builder = bindings::builder();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .on_window_event(window::on_event)
        .invoke_handler(builder.invoke_handler())
        .on_page_load(move |webview, payload| {
            if payload.event() == PageLoadEvent::Finished {
                let _ = webview.window().show();
                // `make bench` reads this line to measure cold start.
                tracing::info!(
                    window = webview.label(),
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "page loaded"
                );
            }
        })
        .setup(move |app| {
            builder.mount_events(app);
            let state = state::AppState::from_env()?;
            notify::install(app.handle(), &state.core);
            if let Some(main) = app.get_webview_window("main") {
                // Created hidden and placed; shown once the page has loaded (see
                // `on_page_load`), which `make bench` measured to paint soonest.
                window::restore(&main, &state);
            }
            app.manage(state);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!("Sluice could not start: {e}");
        eprintln!("Sluice could not start: {e}");
        std::process::exit(1);
    }
}
