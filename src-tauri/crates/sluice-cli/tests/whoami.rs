//! `sluice whoami` as a user runs it, against a real moto server.

use std::process::Output;

use sluice_e2e::moto::Moto;

/// Runs `sluice` with a clean environment: only what the test passes in.
fn sluice(args: &[&str], env: &[(String, String)], home: &std::path::Path) -> Output {
    sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .expect("run sluice")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn whoami_prints_the_emulator_account_and_arn() {
    let moto = Moto::start();
    let home = tempfile::tempdir().expect("home");
    let out = sluice(
        &["whoami"],
        &sluice_e2e::emulator_env(&moto.endpoint),
        home.path(),
    );
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Account: 123456789012"), "{stdout}");
    assert!(
        stdout.contains("arn:aws:sts::123456789012:user/moto"),
        "{stdout}"
    );
}

#[test]
fn whoami_json_is_machine_readable() {
    let moto = Moto::start();
    let home = tempfile::tempdir().expect("home");
    // --endpoint-url wins over the environment.
    let out = sluice(
        &["--json", "--endpoint-url", &moto.endpoint, "whoami"],
        &[
            ("AWS_ACCESS_KEY_ID".into(), "testing".into()),
            ("AWS_SECRET_ACCESS_KEY".into(), "testing".into()),
            ("AWS_ENDPOINT_URL".into(), "http://127.0.0.1:9".into()),
        ],
        home.path(),
    );
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["account"], "123456789012");
    assert_eq!(json["arn"], "arn:aws:sts::123456789012:user/moto");
    assert!(json["userId"].is_string());
}

#[test]
fn no_credentials_is_one_clear_line_and_exit_1() {
    let moto = Moto::start();
    let home = tempfile::tempdir().expect("home");
    let out = sluice(
        &["whoami"],
        &[("AWS_ENDPOINT_URL".into(), moto.endpoint.clone())],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim(),
        "error: No AWS credentials found: add an access key or choose a profile"
    );
    assert!(out.stdout.is_empty());

    let out = sluice(
        &["whoami", "--json"],
        &[("AWS_ENDPOINT_URL".into(), moto.endpoint.clone())],
        home.path(),
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON error");
    assert_eq!(json["error"]["kind"], "NoCredentials");
}

#[test]
fn unknown_profile_is_reported_as_missing_credentials() {
    let moto = Moto::start();
    let home = tempfile::tempdir().expect("home");
    let out = sluice(
        &["--profile", "nope", "whoami"],
        &[("AWS_ENDPOINT_URL".into(), moto.endpoint.clone())],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("error: No AWS credentials found"));
}

#[test]
fn bad_input_exits_2_with_the_reason() {
    let home = tempfile::tempdir().expect("home");
    let cases: [(&[&str], &str); 3] = [
        (&["--region", "mars", "whoami"], "Invalid region"),
        (
            &["--endpoint-url", "ftp://x", "whoami"],
            "Invalid endpoint URL",
        ),
        (&["--profile", "has space", "whoami"], "Invalid profile"),
    ];
    for (args, want) in cases {
        let out = sluice(args, &[], home.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.starts_with(&format!("error: {want}")),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // Unknown subcommand: clap's usage error, also exit 2.
    let out = sluice(&["nonsense"], &[], home.path());
    assert_eq!(out.status.code(), Some(2));
}
