//! Infrastructure as code, proven: the Terraform and CloudFormation that `sluice policy …
//! --format` and `sluice sink plan … --format` print are read back by the field's own parsers
//! (python-hcl2, PyYAML), compared field by field with what `sluice sink apply` made on moto
//! and with the JSON Sluice applies, the CloudFormation template is deployed into moto, and
//! every file passes cfn-lint and checkov (apart from the findings Sluice's design
//! contradicts, listed in `tests/iac/checkov-accepted.txt`). Run through `make test`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sluice_e2e::moto::Moto;

fn root() -> PathBuf {
    sluice_e2e::repo_root()
}

fn said(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `sluice` on the emulator with the real keyring (the writer's secret goes there).
fn sluice(args: &[&str], endpoint: &str, home: &Path, stdin: Option<&str>) -> Output {
    let mut cmd = sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home);
    cmd.args(args).envs(sluice_e2e::emulator_env(endpoint)).env(
        "SLUICE_KEYRING_SERVICE",
        format!("sluice-iac-test-{}", std::process::id()),
    );
    sluice_e2e::run_with_stdin(cmd, stdin)
}

/// Runs `sluice` and writes what it printed to `dir/name`.
fn export(args: &[&str], endpoint: &str, home: &Path, dir: &Path, name: &str) -> PathBuf {
    let out = sluice(args, endpoint, home, None);
    let text = common::ok(&out);
    assert!(
        !text.contains("sluicevar"),
        "a marker left in {name}: {text}"
    );
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the export");
    path
}

fn python(args: &[&str]) -> Output {
    Command::new(root().join(".venv/bin/python"))
        .arg(root().join("tests/iac/iac_check.py"))
        .args(args)
        .output()
        .expect("run iac_check.py (make test creates the venv)")
}

fn agrees(args: &[&str]) -> String {
    let out = python(args);
    let text = said(&out);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("DIFF"), "{text}");
    text
}

/// cfn-lint: no error (exit code bit 2) and no warning (bit 4) on any template.
fn cfn_lint(files: &[PathBuf]) {
    let out = Command::new(root().join(".venv/bin/cfn-lint"))
        .args(files)
        .output()
        .expect("run cfn-lint");
    assert!(out.status.success(), "cfn-lint: {}", said(&out));
}

/// checkov over a folder: every failed check must be one the design accepts on purpose.
fn checkov(dir: &Path) -> Vec<String> {
    let accepted: Vec<String> =
        std::fs::read_to_string(root().join("tests/iac/checkov-accepted.txt"))
            .expect("accepted list")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split('\t').next().map(str::to_string))
            .collect();
    let out = Command::new(root().join(".venv-checkov/bin/checkov"))
        .args(["--quiet", "--compact", "-o", "json", "-d"])
        .arg(dir)
        .env("BC_SKIP_MAPPING", "TRUE")
        .env("CHECKOV_RUN_SCA_PACKAGE_SCAN_V2", "false")
        .output()
        .expect("run checkov (make test creates .venv-checkov)");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("checkov json: {e}\n{}", said(&out)));
    let runs = match report {
        serde_json::Value::Array(runs) => runs,
        one => vec![one],
    };
    let mut failed = Vec::new();
    let mut passed = 0;
    for run in &runs {
        passed += run["summary"]["passed"].as_u64().unwrap_or(0);
        for f in run["results"]["failed_checks"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let id = f["check_id"].as_str().unwrap_or_default().to_string();
            assert!(
                accepted.contains(&id),
                "checkov {id} ({}) on {} in {} is not accepted by Sluice's design",
                f["check_name"],
                f["resource"],
                f["file_path"]
            );
            failed.push(id);
        }
    }
    assert!(passed > 0, "checkov checked nothing: {}", said(&out));
    failed
}

fn kms_key(endpoint: &str) -> String {
    let out = Command::new(root().join(".venv/bin/python"))
        .args([
            "-c",
            "import boto3,sys; print(boto3.client('kms', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing').create_key()['KeyMetadata']['Arn'])",
            endpoint,
        ])
        .output()
        .expect("create a KMS key");
    assert!(out.status.success(), "{}", said(&out));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn keyring_session() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "no D-Bus session: run through `make test` (it starts dbus + gnome-keyring)"
    );
}

#[test]
fn the_destination_as_code_is_what_sink_apply_makes() {
    keyring_session();
    let moto = Moto::start();
    let e = moto.endpoint.as_str();
    let home = tempfile::tempdir().expect("home");
    let out = tempfile::tempdir().expect("out");
    let key = kms_key(e);
    let tls: Vec<&str> = vec![
        "--bucket",
        "strm-export",
        "--prefix",
        "events",
        "--user",
        "strm-writer",
    ];
    let kms: Vec<&str> = vec![
        "--bucket",
        "strm-kms",
        "--user",
        "kms-writer",
        "--suffix",
        ".json",
        "--kms-key-arn",
        &key,
        // moto cannot tell HTTPS from HTTP; this one validates with the new key.
        "--no-tls-policy",
    ];
    let cmd = |head: &[&'static str], dest: &[&str], tail: &[&'static str]| -> Vec<String> {
        head.iter()
            .chain(dest)
            .chain(tail)
            .map(|s| s.to_string())
            .collect()
    };
    let run = |args: Vec<String>| {
        sluice(
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            e,
            home.path(),
            None,
        )
    };
    let export_as = |dest: &[&str], extra: &[&'static str], name: &str| {
        let args = cmd(&["sink", "plan"], dest, extra);
        export(
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            e,
            home.path(),
            out.path(),
            name,
        )
    };

    // Import needs a destination Sluice made.
    let early = run(cmd(
        &["sink", "plan"],
        &tls,
        &["--format", "terraform", "--import"],
    ));
    assert_eq!(early.status.code(), Some(2), "{}", said(&early));
    assert!(
        said(&early).contains("nothing of Sluice's to import"),
        "{}",
        said(&early)
    );
    let fresh = std::fs::read_to_string(export_as(&tls, &["--format", "terraform"], "fresh.tf"))
        .expect("fresh");
    assert!(!fresh.contains("import {"), "{fresh}");

    // Apply both. Validation's verdict is not this suite's subject (moto, without IAM
    // enforcement, lets the new key list the bucket): every step before it must be done.
    let applied = run(cmd(&["sink", "apply"], &tls, &["--yes"]));
    assert!(
        said(&applied).contains("✓ Create IAM user strm-writer")
            && said(&applied).contains("✓ Bucket policy: refuse requests without TLS"),
        "{}",
        said(&applied)
    );
    let applied = run(cmd(&["sink", "apply"], &kms, &["--yes"]));
    assert!(
        said(&applied).contains("✓ Create IAM user kms-writer")
            && said(&applied).contains("✓ Create an access key"),
        "{}",
        said(&applied)
    );

    let mut templates = Vec::new();
    let mut templates_import = Vec::new();
    for (dest, name, bucket, user) in [
        (&tls, "tls", "strm-export", "strm-writer"),
        (&kms, "kms", "strm-kms", "kms-writer"),
    ] {
        let tf = export_as(
            dest,
            &["--format", "terraform", "--import"],
            &format!("{name}.tf"),
        );
        let cfn = export_as(
            dest,
            &["--format", "cloudformation"],
            &format!("{name}.yaml"),
        );
        let cfn_import = export_as(
            dest,
            &["--format", "cloudformation", "--import"],
            &format!("{name}-import.yaml"),
        );
        let text = agrees(&[
            "destination",
            "--endpoint",
            e,
            "--bucket",
            bucket,
            "--user",
            user,
            "--tf",
            &tf.to_string_lossy(),
            "--cfn",
            &cfn.to_string_lossy(),
            "--cfn-import",
            &cfn_import.to_string_lossy(),
        ]);
        for field in [
            "bucket.encryption",
            "bucket.policy",
            "user.tags",
            "user.policy",
            "import aws_iam_access_key.writer",
            "imports cover every resource",
            "cloudformation import identifiers",
        ] {
            assert!(
                text.contains(&format!("same {field}")),
                "{field} not compared: {text}"
            );
        }
        templates.push((cfn, bucket, user));
        templates_import.push(cfn_import);
    }
    let mut all: Vec<PathBuf> = templates.iter().map(|(p, ..)| p.clone()).collect();
    all.extend(templates_import);
    cfn_lint(&all);

    // Both templates, deployed into an emulator of their own, make what moto can make of them.
    let fresh_moto = Moto::start();
    for (template, bucket, user) in &templates {
        let text = agrees(&[
            "deploy",
            "--endpoint",
            &fresh_moto.endpoint,
            "--reference",
            e,
            "--template",
            &template.to_string_lossy(),
            "--bucket",
            bucket,
            "--user",
            user,
        ]);
        assert!(
            text.contains("stack CREATE_COMPLETE")
                && text.contains("same bucket.encryption")
                && text.contains("same user.path"),
            "{text}"
        );
    }

    // A bucket that existed before Sluice adopted it gets no import code: its policy and
    // encryption belong to whoever manages it.
    let made = Command::new(root().join(".venv/bin/python"))
        .args([
            "-c",
            "import boto3,sys; boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing').create_bucket(Bucket='owned-elsewhere')",
            e,
        ])
        .output()
        .expect("create a bucket");
    assert!(made.status.success(), "{}", said(&made));
    let adopted: Vec<&str> = vec![
        "--bucket",
        "owned-elsewhere",
        "--user",
        "adopting-writer",
        "--no-tls-policy",
    ];
    let applied = run(cmd(&["sink", "apply"], &adopted, &["--yes"]));
    assert!(
        said(&applied).contains("✓ Create IAM user adopting-writer"),
        "{}",
        said(&applied)
    );
    let refused = run(cmd(
        &["sink", "plan"],
        &adopted,
        &["--format", "terraform", "--import"],
    ));
    assert_eq!(refused.status.code(), Some(2), "{}", said(&refused));
    assert!(
        said(&refused).contains("existed before Sluice"),
        "{}",
        said(&refused)
    );

    let failed = checkov(out.path());
    assert!(failed.contains(&"CKV_AWS_273".to_string()), "{failed:?}");
}

#[test]
fn every_policy_template_as_code_holds_the_document_sluice_applies() {
    keyring_session();
    let moto = Moto::start();
    let e = moto.endpoint.as_str();
    let home = tempfile::tempdir().expect("home");
    let out = tempfile::tempdir().expect("out");
    let external_id = "vendor-passphrase-7f3a9c";
    // The trust policy's ExternalId, read from standard input into the keyring.
    let stored = sluice(
        &[
            "policy",
            "trust",
            "--account",
            "352302322568",
            "--external-id-stdin",
            "--external-id-name",
            "acme",
        ],
        e,
        home.path(),
        Some(external_id),
    );
    assert!(
        String::from_utf8_lossy(&stored.stdout).contains(external_id),
        "{}",
        said(&stored)
    );
    let templates: Vec<(&str, Vec<&str>)> = vec![
        (
            "assume-role",
            vec![
                "assume-role",
                "--role-arn",
                "arn:aws:iam::352302322568:role/vendor-data",
            ],
        ),
        (
            "trust",
            vec![
                "trust",
                "--account",
                "352302322568",
                "--external-id-name",
                "acme",
            ],
        ),
        (
            "sink-writer",
            vec![
                "sink-writer",
                "--bucket",
                "strm-export",
                "--prefix",
                "events",
            ],
        ),
        (
            "sink-writer-role",
            vec!["sink-writer", "--bucket", "strm-export", "--attach", "role"],
        ),
        (
            "reader-managed",
            vec![
                "reader",
                "--bucket",
                "mm-data",
                "--prefix",
                "timeseries/",
                "--stream-arn",
                "arn:aws:kinesis:us-east-1:123456789012:stream/mm",
                "--kms-key-arn",
                "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "--attach",
                "managed",
            ],
        ),
        (
            "producer",
            vec![
                "producer",
                "--stream-arn",
                "arn:aws:kinesis:us-east-1:123456789012:stream/mm",
            ],
        ),
        (
            "bucket-policy",
            vec![
                "bucket-policy",
                "--bucket",
                "mm-data",
                "--reader-principal",
                "123456789012",
            ],
        ),
        (
            "athena-reader",
            vec![
                "athena-reader",
                "--account",
                "123456789012",
                "--region",
                "us-east-1",
                "--workgroup",
                "reports",
                "--database",
                "telemetry",
                "--table",
                "mm",
                "--data",
                "s3://mm-data/timeseries/",
                "--results",
                "s3://athena-results/sluice/",
            ],
        ),
    ];
    let mut yamls = Vec::new();
    for (name, args) in &templates {
        let with = |extra: &[&'static str]| -> Vec<&str> {
            std::iter::once("policy")
                .chain(args.iter().copied())
                .chain(extra.iter().copied())
                .collect()
        };
        let json = export(
            &with(&[]),
            e,
            home.path(),
            out.path(),
            &format!("{name}.json"),
        );
        let tf = export(
            &with(&["--format", "terraform"]),
            e,
            home.path(),
            out.path(),
            &format!("{name}.tf"),
        );
        let cfn = export(
            &with(&["--format", "cloudformation"]),
            e,
            home.path(),
            out.path(),
            &format!("{name}.yaml"),
        );
        for code in [&tf, &cfn] {
            let text = std::fs::read_to_string(code).expect("code");
            assert!(
                !text.contains(external_id),
                "the ExternalId's value is in {}",
                code.display()
            );
        }
        let mut check = vec![
            "policy".to_string(),
            "--json".into(),
            json.to_string_lossy().into(),
            "--tf".into(),
            tf.to_string_lossy().into(),
            "--cfn".into(),
            cfn.to_string_lossy().into(),
        ];
        if *name == "trust" {
            check.extend(["--external-id".to_string(), external_id.to_string()]);
        }
        agrees(&check.iter().map(String::as_str).collect::<Vec<_>>());
        yamls.push(cfn);
    }
    // The JSON files are the documents themselves: checkov reads only the code.
    for (name, _) in &templates {
        std::fs::remove_file(out.path().join(format!("{name}.json"))).expect("remove");
    }
    cfn_lint(&yamls);
    checkov(out.path());
}
