//! Every policy template as code, proven: the Terraform and CloudFormation that `sluice
//! policy … --format` prints hold the very document `sluice policy` prints as JSON (read
//! back by python-hcl2 and PyYAML), never a trust ExternalId's value, and pass cfn-lint and
//! checkov. Run through `make test`.

mod common;
mod iac_kit;

use iac_kit::{agrees, cfn_lint, checkov, export, keyring_session, said, sluice};
use sluice_e2e::moto::Moto;

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
