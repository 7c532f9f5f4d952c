//! `sluice policy …` as an admin runs it: templates, lint exit codes, apply after a diff,
//! against moto; the trust ExternalId in the real Secret Service (run through `make test`).

use std::process::Output;

use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::admin_clients;

fn sluice(args: &[&str], endpoint: &str, home: &std::path::Path, stdin: Option<&str>) -> Output {
    let mut cmd = sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home);
    cmd.args(args).envs(sluice_e2e::emulator_env(endpoint)).env(
        "SLUICE_KEYRING_SERVICE",
        format!("sluice-policy-test-{}", std::process::id()),
    );
    sluice_e2e::run_with_stdin(cmd, stdin)
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(out: &Output) -> String {
    let (stdout, stderr) = text(out);
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {stdout}\nstderr: {stderr}",
        out.status.code()
    );
    stdout
}

#[tokio::test(flavor = "multi_thread")]
async fn templates_lint_and_apply_with_a_diff() {
    let moto = Moto::start();
    let iam = admin_clients(&moto.endpoint).await.iam();
    iam.create_user()
        .user_name("strm-export-demo")
        .send()
        .await
        .expect("user");
    let home = tempfile::tempdir().expect("home");
    let ep = &moto.endpoint;
    let run = |args: &[&str], stdin: Option<&str>| sluice(args, ep, home.path(), stdin);

    // A template prints canonical JSON; --explain adds a sentence per statement.
    let writer = ok(&run(
        &[
            "policy",
            "sink-writer",
            "--bucket",
            "strm-export",
            "--prefix",
            "events/",
            "--explain",
        ],
        None,
    ));
    assert!(
        writer.contains("\"Resource\": \"arn:aws:s3:::strm-export/events/*.jsonl\""),
        "{writer}"
    );
    assert!(
        writer.contains("WriteBatchFiles: Lets the writer create objects"),
        "{writer}"
    );
    let json_only = ok(&run(
        &["policy", "sink-writer", "--bucket", "strm-export"],
        None,
    ));
    let doc: serde_json::Value = serde_json::from_str(&json_only).expect("plain JSON on stdout");
    assert_eq!(
        doc["Statement"][1]["Resource"],
        "arn:aws:s3:::strm-export/*.jsonl"
    );

    // Bad input is a usage error (exit 2) with the reason.
    let bad = run(&["policy", "sink-writer", "--bucket", "Strm_Export"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).1.contains("bucket name"), "{}", text(&bad).1);

    // Lint: the generator's output is clean (exit 0); the vendor's example is not (exit 1).
    let clean = run(&["policy", "lint", "-"], Some(&json_only));
    assert!(ok(&clean).contains("0 error(s)"));
    let seed = home.path().join("emnify.json");
    std::fs::write(
        &seed,
        include_str!("../../sluice-core/tests/policies/emnify-example.json"),
    )
    .expect("write seed");
    let seed_path = seed.to_string_lossy().into_owned();
    let linted = run(&["policy", "lint", &seed_path], None);
    assert_eq!(linted.status.code(), Some(1));
    let (stdout, _) = text(&linted);
    for code in [
        "json-comments",
        "principal-invalid",
        "action-resource-mismatch",
    ] {
        assert!(stdout.contains(code), "{code}: {stdout}");
    }
    let as_json = run(&["--json", "policy", "lint", &seed_path], None);
    let report: serde_json::Value = serde_json::from_slice(&as_json.stdout).expect("json");
    assert_eq!(report["errors"], 3, "{report}");

    // Apply: without --yes only the diff is shown and nothing changes.
    let file = home.path().join("strm-policy.json");
    std::fs::write(&file, &json_only).expect("write policy");
    let file = file.to_string_lossy().into_owned();
    let apply = [
        "policy",
        "apply",
        &file,
        "--user",
        "strm-export-demo",
        "--policy-name",
        "strm-bucket-write-access",
    ];
    let dry = run(&apply, None);
    let (stdout, stderr) = text(&dry);
    assert!(dry.status.success(), "{stderr}");
    assert!(
        stdout.contains("no policy there yet") && stdout.contains("+ "),
        "{stdout}"
    );
    assert!(stderr.contains("--yes"), "{stderr}");
    assert!(iam
        .get_user_policy()
        .user_name("strm-export-demo")
        .policy_name("strm-bucket-write-access")
        .send()
        .await
        .is_err());
    let mut with_yes = apply.to_vec();
    with_yes.push("--yes");
    assert!(ok(&run(&with_yes, None)).contains("read back and matches"));
    let stored = iam
        .get_user_policy()
        .user_name("strm-export-demo")
        .policy_name("strm-bucket-write-access")
        .send()
        .await
        .expect("applied");
    assert!(stored.policy_document().contains("PutObject"));
    // A policy with lint errors is refused, whatever --yes says.
    let refused = run(
        &[
            "policy",
            "apply",
            &seed_path,
            "--user",
            "strm-export-demo",
            "--yes",
        ],
        None,
    );
    assert_eq!(refused.status.code(), Some(1), "{:?}", text(&refused));
}

#[tokio::test(flavor = "multi_thread")]
async fn trust_takes_its_external_id_from_stdin_into_the_keyring() {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        panic!("no D-Bus session: run through `make test` (it starts dbus + gnome-keyring)");
    }
    let moto = Moto::start();
    let home = tempfile::tempdir().expect("home");
    let out = sluice(
        &[
            "policy",
            "trust",
            "--account",
            "352302322568",
            "--external-id-stdin",
            "--external-id-name",
            "acme",
        ],
        &moto.endpoint,
        home.path(),
        Some("Vendor-Passphrase/42\n"),
    );
    let doc: serde_json::Value = serde_json::from_str(&ok(&out)).expect("json");
    let st = &doc["Statement"][0];
    assert_eq!(st["Principal"]["AWS"], "arn:aws:iam::352302322568:root");
    assert_eq!(
        st["Condition"]["StringEquals"]["sts:ExternalId"],
        "Vendor-Passphrase/42"
    );
    // The stored one is reused by name; piping another in needs --replace-external-id.
    let reused = sluice(
        &[
            "policy",
            "trust",
            "--account",
            "352302322568",
            "--external-id-name",
            "acme",
        ],
        &moto.endpoint,
        home.path(),
        None,
    );
    assert!(ok(&reused).contains("Vendor-Passphrase/42"));
    let clash = sluice(
        &[
            "policy",
            "trust",
            "--account",
            "352302322568",
            "--external-id-stdin",
            "--external-id-name",
            "acme",
        ],
        &moto.endpoint,
        home.path(),
        Some("Other-Passphrase/1\n"),
    );
    assert_eq!(clash.status.code(), Some(2), "{:?}", text(&clash));
    let no_id = sluice(
        &[
            "policy",
            "trust",
            "--principal",
            "arn:aws:iam::352302322568:user/vendor",
        ],
        &moto.endpoint,
        home.path(),
        None,
    );
    let linted = sluice(
        &["policy", "lint", "-"],
        &moto.endpoint,
        home.path(),
        Some(&ok(&no_id)),
    );
    assert!(ok(&linted).contains("trust-without-external-id"));
    let bad = sluice(
        &["policy", "trust", "--account", "12345"],
        &moto.endpoint,
        home.path(),
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad).1.contains("12-digit account id"),
        "{}",
        text(&bad).1
    );
}
