//! The main window's capability grants only Sluice's own commands: no plugin permission at
//! all (no file system, shell, HTTP, dialog, opener or notification: those run from Rust,
//! on paths the core checked), it is the only capability, and every grant names a command
//! the app registers.

use std::collections::BTreeSet;

fn read(path: &str) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    std::fs::read_to_string(format!("{root}/{path}")).expect(path)
}

/// The command names of `commands.rs`, the one list build.rs and the bindings read too.
macro_rules! ipc_commands {
    ($($module:ident: $($name:ident),+ ;)+) => {
        &[$($(stringify!($name)),+),+]
    };
}

const COMMANDS: &[&str] = include!("../commands.rs");

#[test]
fn the_window_gets_no_fs_plugin_and_only_registered_commands() {
    let cap: serde_json::Value =
        serde_json::from_str(&read("capabilities/main-window.json")).expect("capability JSON");
    let granted: Vec<&str> = cap["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .map(|p| p.as_str().expect("a permission is a string"))
        .collect();
    let plugin: Vec<&&str> = granted
        .iter()
        .filter(|p| p.contains(':') && !matches!(**p, "dialog:allow-open" | "dialog:allow-save"))
        .collect();
    assert!(plugin.is_empty(), "plugin permissions granted: {plugin:?}");
    assert!(!granted
        .iter()
        .any(|p| p.starts_with("fs") || p.contains("fs:")));

    // The commands of `commands.rs` (what build.rs declares and the app registers), as
    // their `allow-` permission names.
    let declared: BTreeSet<String> = COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    let granted: BTreeSet<String> = granted.iter().map(|s| s.to_string()).collect();
    let unknown: Vec<_> = granted.difference(&declared).collect();
    assert!(unknown.is_empty(), "grants for no command: {unknown:?}");
    let ungranted: Vec<_> = declared.difference(&granted).collect();
    assert!(
        ungranted.is_empty(),
        "commands the window cannot call: {ungranted:?}"
    );
}
