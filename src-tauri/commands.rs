// Every IPC command, once, by the file of src/commands/ that defines it. build.rs reads
// this list for the permission each command needs, src/bindings.rs for the handler and the
// TypeScript bindings, and a test there checks capabilities/main-window.json grants exactly
// these. A new command is one line here, one grant there.
ipc_commands! {
    identity:
        whoami, source_status, set_source, set_temporary_source, list_profiles, sso_status,
        sso_start, sso_wait, sso_cancel, sso_open_page, sso_accounts, sso_use, sso_logout,
        sso_share_with_aws_cli, mfa_sign_in;
    connections:
        import_handover, open_handover_file, list_connections, save_connection,
        delete_connection, verify_connection, session_status, reload_session, inline_policy,
        apply_inline_policy, save_inline_policy, save_inline_policy_as, console_link,
        plan_cli_profile, write_cli_profile;
    browse:
        s3_list, s3_list_range, s3_preview, s3_object_details, s3_plan_download, s3_download,
        cancel_job, default_download_dir, choose_download_dir;
    tools: fix_gz, choose_repair_paths;
    desktop:
        open_path, desktop_prefs, set_desktop_prefs, remember_section, cli_status,
        put_cli_on_path;
    network: network_status, set_proxy;
    policy:
        policy_generate, policy_lint, policy_external_id_status, policy_generate_external_id,
        policy_save, policy_save_as, policy_open_file, policy_plan_apply, policy_apply;
    setup:
        setup_plan, setup_apply, setup_validate, setup_rotate, setup_teardown,
        setup_save_credentials, setup_save_credentials_to, audit_bucket, audit_fix,
        audit_save_csv;
    code: code_generate, code_save_as;
    streams: stream_info, stream_read, stream_tail, stream_decode, stream_export;
    athena: athena_estimate, athena_create_table, athena_run;
    publish: publish_plan, publish_send, publish_choose_files, publish_save_events;
    reports:
        report_plan, report_run, report_coverage, report_default_path, report_choose_output,
        report_save_coverage, report_save_coverage_to, saved_reports, save_report, delete_report;
}
