//! The destination as code, proven: the Terraform and CloudFormation that `sluice sink plan
//! … --format` prints are read back by the field's own parsers (python-hcl2, PyYAML) and
//! compared field by field with what `sluice sink apply` made on moto, imports included; the
//! templates are deployed into moto, and every file passes cfn-lint and checkov (apart from
//! the findings Sluice's design contradicts). Run through `make test`.

mod common;
mod iac_kit;

use std::path::PathBuf;
use std::process::Command;

use iac_kit::{agrees, cfn_lint, checkov, export, keyring_session, kms_key, root, said, sluice};
use sluice_e2e::moto::Moto;

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
