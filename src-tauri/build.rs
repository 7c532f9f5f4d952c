//! Declares the app's own commands (the list in `commands.rs`) so each needs an explicit
//! grant in `capabilities/`.

/// Every command's name, from the one list in `commands.rs`.
macro_rules! ipc_commands {
    ($($module:ident: $($name:ident),+ ;)+) => {
        &[$($(stringify!($name)),+),+]
    };
}

const COMMANDS: &[&str] = include!("commands.rs");

fn main() {
    // The built UI is embedded at compile time: rebuild the app whenever it changes.
    println!("cargo:rerun-if-changed=../ui/dist");
    println!("cargo:rerun-if-changed=commands.rs");
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        eprintln!("tauri build step failed: {e:#}");
        std::process::exit(1);
    }
}
