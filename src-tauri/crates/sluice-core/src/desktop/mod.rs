//! What makes Sluice a desktop app rather than a web page, kept out of the shell so it is
//! tested without a window: file dialogs behind [`choose::Chooser`], "Open" / "Show in
//! folder" behind [`opener::Opener`] and granted only for [`written`] paths, and the
//! remembered window and notification preferences in [`prefs`], and WebKitGTK's renderer
//! settings in [`renderer`].

pub mod choose;
pub mod opener;
pub mod prefs;
pub mod renderer;
pub mod written;

pub use choose::{choose, choose_one, Ask, AskKind, Chooser, Filter};
pub use opener::{open_written, OpenHow, Opener};
pub use prefs::{should_notify, DesktopPrefs, Screen, WindowPlacement};
