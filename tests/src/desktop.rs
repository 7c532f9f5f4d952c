//! The real app window: the built `sluice-app` under the current X display (Xvfb in tests),
//! driven through `tauri-driver`, which proxies to Debian's WebKitWebDriver.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;
use thirtyfour::Capabilities;

use crate::process::{descendants, environment, free_port, wait_for_port, Guarded};

/// Environment for the app under test: emulator credentials, a fresh settings folder and
/// a keyring service of its own. Keep the returned folder alive while the app runs.
pub fn app_env(endpoint: &str) -> (tempfile::TempDir, Vec<(String, String)>) {
    let config = tempfile::tempdir().expect("config dir");
    let mut env = crate::emulator_env(endpoint);
    env.push((
        "SLUICE_CONFIG_DIR".into(),
        config.path().display().to_string(),
    ));
    env.push((
        "SLUICE_KEYRING_SERVICE".into(),
        format!("sluice-test-{}", uuid::Uuid::new_v4()),
    ));
    (config, env)
}

/// JavaScript that sets the value of the element `css` matches and fires `event` on it
/// (`input` for text fields, `change` for a select), as typing or choosing would.
pub fn set_value_js(css: &str, value: &str, event: &str) -> String {
    format!(
        "const el = document.querySelector({css:?}); el.value = {value:?}; el.dispatchEvent(new Event({event:?}, {{ bubbles: true }})); return el.value;"
    )
}

/// The built app binary next to the test executables.
pub fn app_binary() -> PathBuf {
    std::env::var_os("SLUICE_APP_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::target_bin_dir().join("sluice-app"))
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("SLUICE_TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let installed = home.join(".cargo/bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("tauri-driver")
    }
}

/// A running tauri-driver plus a WebDriver session on the app.
pub struct AppSession {
    pub driver: WebDriver,
    tauri_driver: Guarded,
    _one_at_a_time: tokio::sync::MutexGuard<'static, ()>,
}

/// WebKitWebDriver serves one session at a time: tests in a binary take turns.
static SESSION_LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl AppSession {
    /// Starts tauri-driver with `env` (inherited by the app) and opens the app window.
    pub async fn start(env: &[(String, String)]) -> Self {
        Self::start_app(&app_binary(), env).await
    }

    /// Like [`Self::start`], for another build of the app (e.g. one unpacked from a package).
    pub async fn start_app(app: &std::path::Path, env: &[(String, String)]) -> Self {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "no X display: run the window tests through `make test` (it starts Xvfb)"
        );
        let turn = SESSION_LOCK.lock().await;
        assert!(app.exists(), "app binary missing at {}", app.display());
        let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let ui = crate::repo_root().join("ui/dist/index.html");
        assert!(
            modified(app) >= modified(&ui),
            "{} is older than the UI build it embeds: run `cargo build --workspace` after `npm run build`",
            app.display()
        );
        let port = free_port();
        let native_port = free_port();
        let child = Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
                "--native-driver",
                "/usr/bin/WebKitWebDriver",
            ])
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tauri-driver (cargo install tauri-driver --locked)");
        let mut guard = Guarded::new("tauri-driver", child);
        assert!(
            wait_for_port(port, Duration::from_secs(20)),
            "tauri-driver did not listen on port {port}"
        );
        guard.check_alive().expect("tauri-driver running");
        // tauri-driver starts the native WebKitWebDriver behind it: wait for that one too.
        assert!(
            wait_for_port(native_port, Duration::from_secs(30)),
            "WebKitWebDriver did not listen on port {native_port}"
        );

        let mut caps = Capabilities::new();
        caps.set("browserName", "wry").expect("caps");
        caps.set(
            "tauri:options",
            serde_json::json!({ "application": app.display().to_string() }),
        )
        .expect("caps");
        // Even listening, the native driver can refuse the first session on a busy machine
        // (the app itself is still starting). Retry, bounded.
        let deadline = Instant::now() + Duration::from_secs(45);
        let driver = loop {
            match WebDriver::new(format!("http://127.0.0.1:{port}"), caps.clone()).await {
                Ok(driver) => break driver,
                Err(e) if Instant::now() < deadline => {
                    tracing::warn!("WebDriver session not ready yet: {e}");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("open a WebDriver session on the app within 45 s: {e}"),
            }
        };
        Self {
            driver,
            tauri_driver: guard,
            _one_at_a_time: turn,
        }
    }

    /// Waits up to `timeout` for an element matching `css` whose text satisfies `ok`.
    pub async fn wait_for_text(
        &self,
        css: &str,
        timeout: Duration,
        ok: impl Fn(&str) -> bool,
    ) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        let mut last = String::from("<element not found>");
        while Instant::now() < deadline {
            if let Ok(el) = self.driver.find(By::Css(css)).await {
                if let Ok(text) = el.text().await {
                    if ok(&text) {
                        return Ok(text);
                    }
                    last = text;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let page: String = self
            .driver
            .source()
            .await
            .unwrap_or_default()
            .chars()
            .take(2000)
            .collect();
        Err(format!(
            "timed out waiting for {css}; last text: {last}; page: {page}"
        ))
    }

    /// Clicks the element matching `css`, waiting up to `timeout` for it to appear.
    pub async fn click(&self, css: &str, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.driver.find(By::Css(css)).await {
                Ok(el) => return el.click().await.map_err(|e| e.to_string()),
                Err(e) if Instant::now() >= deadline => return Err(format!("{css}: {e}")),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Closes the session (the app quits with it).
    pub async fn quit(self) {
        let _ = self.driver.quit().await;
    }
}

impl AppSession {
    /// Types `text` into the element matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) -> Result<(), String> {
        let el = self
            .driver
            .find(By::Css(css))
            .await
            .map_err(|e| format!("{css}: {e}"))?;
        // WebKitWebDriver drops '\n' in typed text: press Return for each line break.
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                el.send_keys(Key::Return)
                    .await
                    .map_err(|e| format!("{css}: {e}"))?;
            }
            if !line.is_empty() {
                el.send_keys(line)
                    .await
                    .map_err(|e| format!("{css}: {e}"))?;
            }
        }
        Ok(())
    }

    /// Empties an input.
    pub async fn clear(&self, css: &str) -> Result<(), String> {
        let el = self
            .driver
            .find(By::Css(css))
            .await
            .map_err(|e| format!("{css}: {e}"))?;
        el.clear().await.map_err(|e| format!("{css}: {e}"))
    }

    /// The current `value` of an input.
    pub async fn value_of(&self, css: &str) -> Result<String, String> {
        let el = self
            .driver
            .find(By::Css(css))
            .await
            .map_err(|e| format!("{css}: {e}"))?;
        el.prop("value")
            .await
            .map_err(|e| format!("{css}: {e}"))
            .map(|v| v.unwrap_or_default())
    }

    /// How many elements match `css` right now.
    pub async fn count(&self, css: &str) -> usize {
        self.driver
            .find_all(By::Css(css))
            .await
            .map(|v| v.len())
            .unwrap_or(0)
    }

    /// Runs a script in the page and returns what it returns (for measurements).
    pub async fn run_js(&self, script: &str) -> Result<serde_json::Value, String> {
        self.driver
            .execute(script, Vec::new())
            .await
            .map(|r| r.json().clone())
            .map_err(|e| e.to_string())
    }

    /// The environment the app's WebKit web process started with: what the app set before
    /// WebKitGTK started (renderer, JIT thresholds) is inherited there.
    pub fn web_process_env(&self) -> Result<Vec<(String, String)>, String> {
        let web = descendants(self.tauri_driver.id())
            .into_iter()
            .find(|p| {
                std::fs::read_to_string(format!("/proc/{p}/comm"))
                    .is_ok_and(|c| c.trim() == "WebKitWebProces")
            })
            .ok_or("no WebKitWebProcess under tauri-driver")?;
        Ok(environment(web))
    }

    /// axe-core's serious and critical violations on the page as it is now, one line each
    /// (rule, impact, help, first nodes). axe is the npm package the UI's devDependencies
    /// install; it is injected through WebDriver, never shipped in the app.
    pub async fn accessibility_violations(&self) -> Result<Vec<String>, String> {
        let path = crate::repo_root().join("ui/node_modules/axe-core/axe.min.js");
        let axe = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: {e} (run npm ci in ui/)", path.display()))?;
        self.driver
            .execute(format!("{axe}\n;return typeof window.axe;"), Vec::new())
            .await
            .map_err(|e| format!("inject axe-core: {e}"))?;
        let out = self
            .driver
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                window.axe
                  .run(document, { resultTypes: ['violations'] })
                  .then((r) => done(r.violations
                    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                    .map((v) => `${v.id} (${v.impact}): ${v.help} — ` +
                      v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', '))))
                  .catch((e) => done(['axe failed: ' + e]))"#,
                Vec::new(),
            )
            .await
            .map_err(|e| format!("run axe-core: {e}"))?;
        serde_json::from_value(out.json().clone()).map_err(|e| format!("axe result: {e}"))
    }

    /// Presses Tab `times` times and describes the focused element when its focus is not
    /// visible (no outline and no box-shadow), or `None` when every stop showed its focus.
    pub async fn invisible_focus_stop(&self, times: usize) -> Result<Option<String>, String> {
        for _ in 0..times {
            self.driver
                .action_chain()
                .send_keys(thirtyfour::Key::Tab)
                .perform()
                .await
                .map_err(|e| format!("press Tab: {e}"))?;
            let seen = self
                .run_js(
                    r#"const el = document.activeElement;
                    if (!el || el === document.body) return 'nothing focused';
                    const s = getComputedStyle(el);
                    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
                    return ring ? '' : `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40)}"`;"#,
                )
                .await?;
            if let Some(s) = seen.as_str().filter(|s| !s.is_empty()) {
                return Ok(Some(s.to_string()));
            }
        }
        Ok(None)
    }

    /// The page's HTML as the webview has it now.
    pub async fn page_source(&self) -> String {
        self.driver.source().await.unwrap_or_default()
    }
}

/// Keys for the native dialog, which WebDriver cannot reach.
pub fn xdotool(args: &[&str]) -> Result<(), String> {
    let status = std::process::Command::new("xdotool")
        .args(args)
        .status()
        .map_err(|e| format!("xdotool: {e} (make test installs it)"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("xdotool {args:?} failed: {status}"))
    }
}

/// Waits (bounded) until a window with this title is mapped and gives it the keyboard
/// (there is no window manager under Xvfb to do that).
pub async fn focus_window(title: &str, timeout: Duration) -> Result<(), String> {
    let start = std::time::Instant::now();
    while start.elapsed() < timeout {
        let found = std::process::Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", title])
            .output()
            .map_err(|e| format!("xdotool: {e} (make test installs it)"))?;
        let id = String::from_utf8_lossy(&found.stdout)
            .lines()
            .last()
            .unwrap_or_default()
            .to_string();
        if found.status.success() && !id.is_empty() {
            // A window just mapped may refuse the focus once: ask until it has it.
            let _ = xdotool(&["windowfocus", &id]);
            let focused = std::process::Command::new("xdotool")
                .arg("getwindowfocus")
                .output()
                .map_err(|e| format!("xdotool: {e}"))?;
            if String::from_utf8_lossy(&focused.stdout).trim() == id {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("no focused '{title}' window within {timeout:?}"))
}
