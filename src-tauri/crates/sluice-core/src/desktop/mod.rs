//! What makes Sluice a desktop app rather than a web page, kept out of the shell so it is
//! tested without a window: file dialogs behind [`choose::Chooser`], "Open" / "Show in
//! folder" behind [`opener::Opener`] and granted only for paths Sluice wrote, and the
//! remembered window and notification preferences in [`prefs`], and the WebKitGTK settings
//! chosen from `make bench` ([`renderer`], [`javascript`]), applied through [`webkit_env`].

pub mod choose;
pub mod cli_install;
pub mod cli_path;
pub mod javascript;
pub mod opener;
pub mod prefs;
pub mod renderer;

pub use choose::{choose, choose_one, Ask, AskKind, Chooser, Filter};
pub use opener::{OpenHow, Opener};
pub use prefs::{should_notify, DesktopPrefs, Screen, WindowPlacement};

/// Every environment variable Sluice sets before GTK and WebKit start (the renderer and the
/// JIT thresholds), leaving alone whatever the user has set.
pub fn webkit_env(get: impl Fn(&str) -> Option<String>) -> Vec<(&'static str, &'static str)> {
    let mut env = renderer::renderer_env(&get);
    env.extend(javascript::jit_env(&get));
    env
}
