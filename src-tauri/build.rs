//! Declares the app's own commands so each needs an explicit grant in `capabilities/`.

fn main() {
    // The built UI is embedded at compile time: rebuild the app whenever it changes.
    println!("cargo:rerun-if-changed=../ui/dist");
    let manifest = tauri_build::AppManifest::new().commands(&[
        "whoami",
        "source_status",
        "set_source",
        "import_handover",
        "list_connections",
        "save_connection",
        "delete_connection",
        "verify_connection",
        "session_status",
        "reload_session",
        "inline_policy",
        "apply_inline_policy",
        "save_inline_policy",
        "console_link",
        "plan_cli_profile",
        "write_cli_profile",
        "s3_list",
        "s3_list_range",
        "s3_preview",
        "s3_object_details",
        "s3_plan_download",
        "s3_download",
        "cancel_job",
        "default_download_dir",
        "fix_gz",
        "policy_generate",
        "policy_lint",
        "policy_external_id_status",
        "policy_generate_external_id",
        "policy_save",
        "policy_save_as",
        "policy_open_file",
        "policy_plan_apply",
        "policy_apply",
        "setup_plan",
        "setup_apply",
        "setup_validate",
        "setup_rotate",
        "setup_teardown",
        "setup_save_credentials",
        "setup_save_credentials_to",
        "audit_bucket",
        "audit_fix",
        "audit_save_csv",
        "stream_info",
        "stream_read",
        "stream_tail",
        "stream_decode",
        "stream_export",
    ]);
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        eprintln!("tauri build step failed: {e:#}");
        std::process::exit(1);
    }
}
