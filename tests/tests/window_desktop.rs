//! The app as a desktop app, in the real window: every section passes axe-core with no
//! serious or critical violation, Tab stops show their focus, and the window's size and
//! last section come back on the next start (settings, not the webview's storage).

use std::time::Duration;

use sluice_e2e::desktop::{xdotool, AppSession};
use sluice_e2e::moto::Moto;

const SECTIONS: &[&str] = &[
    "connections",
    "policies",
    "setup",
    "browse",
    "streams",
    "reports",
    "tools",
];

async fn open_section(app: &AppSession, id: &str) -> Result<(), String> {
    let t = Duration::from_secs(20);
    app.click(&format!("nav button[data-section={id}]"), t)
        .await?;
    app.wait_for_text(
        &format!("nav button[data-section={id}][aria-current=page]"),
        t,
        |_| true,
    )
    .await?;
    // The page's code loads on first use: wait until it has replaced the placeholder.
    app.wait_for_text("main", t, |s| {
        !s.contains("Opening") && !s.trim().is_empty()
    })
    .await?;
    Ok(())
}

#[tokio::test]
async fn every_section_is_accessible_and_the_window_comes_back() {
    let moto = Moto::start();
    let (config, env) = sluice_e2e::desktop::app_env(&moto.endpoint);
    let t = Duration::from_secs(20);

    let app = AppSession::start(&env).await;
    let first = async {
        // WebKit runs with the settings `make bench` chose (core `desktop::webkit_env`).
        let web = app.web_process_env()?;
        for (key, value) in [
            ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
            ("JSC_thresholdForJITAfterWarmUp", "20000"),
            ("JSC_thresholdForJITSoon", "2000"),
        ] {
            if !web.iter().any(|(k, v)| k == key && v == value) {
                return Err(format!("the web process runs without {key}={value}"));
            }
        }
        let mut problems = Vec::new();
        for id in SECTIONS {
            open_section(&app, id).await?;
            for v in app.accessibility_violations().await? {
                problems.push(format!("{id}: {v}"));
            }
        }
        // axe itself sees a nameless button (so an empty list above means something).
        app.run_js(
            "const b = document.createElement('button'); b.id = 'axe-probe'; \
             document.querySelector('main').appendChild(b); return 1",
        )
        .await?;
        let probe = app.accessibility_violations().await?;
        app.run_js("document.getElementById('axe-probe').remove(); return 1")
            .await?;
        if !probe.iter().any(|v| v.starts_with("button-name")) {
            return Err(format!("axe-core missed a nameless button: {probe:?}"));
        }

        // The new-connection wizard is a page of its own.
        open_section(&app, "connections").await?;
        app.click("[data-testid=new-connection-button]", t).await?;
        app.wait_for_text("[data-testid=handover-text]", t, |_| true)
            .await?;
        for v in app.accessibility_violations().await? {
            problems.push(format!("new connection: {v}"));
        }
        // Keyboard: from the top of the page, every Tab stop shows where the focus is.
        app.run_js("document.activeElement && document.activeElement.blur(); return 1")
            .await?;
        let unseen = app.invisible_focus_stop(12).await?;

        // Leave the app on Tools, in a smaller window.
        open_section(&app, "tools").await?;
        xdotool(&["search", "--name", "^Sluice$", "windowsize", "1000", "700"])?;
        // Wait (bounded) until the page has the new size and the app has remembered it.
        let saved_width = || {
            std::fs::read(config.path().join("settings.json"))
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .and_then(|s| s["desktop"]["window"]["width"].as_i64())
        };
        let deadline = std::time::Instant::now() + t;
        let mut width = app.run_js("return window.innerWidth").await?;
        while (width.as_i64() != Some(1000) || saved_width() != Some(1000))
            && std::time::Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
            width = app.run_js("return window.innerWidth").await?;
        }
        Ok::<_, String>((problems, unseen, width))
    }
    .await;
    app.quit().await;
    let (problems, unseen, width) = first.expect("first run");
    assert!(problems.is_empty(), "axe-core:\n{}", problems.join("\n"));
    assert_eq!(unseen, None, "a Tab stop without a visible focus");
    assert_eq!(width.as_i64(), Some(1000), "the window was resized");

    let settings: serde_json::Value = serde_json::from_slice(
        &std::fs::read(config.path().join("settings.json")).expect("settings written"),
    )
    .expect("settings JSON");
    assert_eq!(settings["desktop"]["lastSection"], "tools", "{settings}");
    assert_eq!(settings["desktop"]["window"]["width"], 1000, "{settings}");

    // The next start opens on Tools, at that size.
    let app = AppSession::start(&env).await;
    let second = async {
        app.wait_for_text(
            "nav button[data-section=tools][aria-current=page]",
            t,
            |_| true,
        )
        .await?;
        app.run_js("return [window.innerWidth, window.innerHeight]")
            .await
    }
    .await;
    app.quit().await;
    let size = second.expect("second run");
    assert_eq!(size, serde_json::json!([1000, 700]));
}
