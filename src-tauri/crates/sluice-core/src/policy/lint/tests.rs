//! Unit tests for the linter: each rule fires on its own example, and the documents the
//! generator writes lint clean.

use super::*;
use crate::policy::templates::{self, ExternalIdValue, ReaderInput};

fn codes(text: &str, kind: Option<PolicyKind>) -> Vec<String> {
    lint(text, kind)
        .findings
        .into_iter()
        .map(|f| f.code)
        .collect()
}

fn identity(statement: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statement}]}}"#)
}

#[test]
fn every_template_lints_clean() {
    let built = [
        Ok(templates::assume_role(
            &crate::arn::RoleArn::parse("arn:aws:iam::352302322568:role/the-data-access-role")
                .expect("arn"),
        )),
        templates::trust("352302322568", Some(ExternalIdValue::Secret("s3cr3t-id"))),
        templates::trust(
            "arn:aws:iam::352302322568:user/vendor",
            Some(ExternalIdValue::Secret("Vendor-Passphrase/42")),
        ),
        templates::sink_writer("strm-export", "events", ".jsonl"),
        templates::sink_writer("strm-export", "", ".jsonl"),
        templates::reader(&ReaderInput {
            bucket: "mm-data".into(),
            prefix: Some("timeseries".into()),
            stream_arn: Some("arn:aws:kinesis:us-east-1:123456789012:stream/mm".into()),
            kms_key_arn: Some("arn:aws:kms:us-east-1:123456789012:key/abcd-1234".into()),
        }),
        templates::producer(
            &crate::arn::StreamArn::parse("arn:aws:kinesis:eu-west-1:123456789012:stream/dm")
                .expect("arn"),
        ),
        templates::bucket_policy("mm-data", None),
        templates::bucket_policy("mm-data", Some("arn:aws:iam::123456789012:role/reader")),
    ];
    for b in built {
        let b = b.expect("template builds");
        let report = lint(&b.document.to_pretty_json(), None);
        assert_eq!(report.kind, b.kind, "{}", b.template);
        assert!(
            report.findings.is_empty(),
            "{}: {:?}",
            b.template,
            report.findings
        );
    }
}

#[test]
fn the_displayed_stand_in_for_an_external_id_can_never_be_applied() {
    let shown = templates::trust("352302322568", Some(ExternalIdValue::Placeholder("vendor")))
        .expect("built");
    let report = lint(&shown.document.to_pretty_json(), None);
    assert_eq!(report.codes(), vec!["external-id-invalid"]);
    assert!(!report.findings[0].message.contains("keyring"));
}

#[test]
fn the_emnify_seed_example_yields_its_errors() {
    let text = include_str!("../../../tests/policies/emnify-example.json");
    let report = lint(text, None);
    let found = report.codes();
    assert!(report.has_errors());
    for code in [
        "json-comments",
        "action-resource-mismatch",
        "principal-invalid",
    ] {
        assert!(found.contains(&code), "{code} missing from {found:?}");
    }
    let mismatch = report
        .findings
        .iter()
        .find(|f| f.code == "action-resource-mismatch")
        .expect("mismatch");
    assert_eq!(mismatch.statement, Some(1));
    assert!(
        mismatch.message.contains("s3:PutObject"),
        "{}",
        mismatch.message
    );
    // Read as the identity policy the seed says it is, the Principal is wrong too.
    assert!(
        codes(text, Some(PolicyKind::Identity)).contains(&"principal-in-identity-policy".into())
    );
}

#[test]
fn syntax_and_version_errors() {
    assert_eq!(codes("{not json", None), vec!["not-json"]);
    assert!(codes(r#"{"Statement": []}"#, None).contains(&"version-missing".into()));
    assert!(codes(r#"{"Version": "2012-10-18", "Statement": []}"#, None)
        .contains(&"version-unknown".into()));
    assert!(codes(r#"{"Version": "2012-10-17", "Statement": []}"#, None)
        .contains(&"statement-missing".into()));
    let bad_effect = identity(
        r#"{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
    );
    assert!(codes(&bad_effect, None).contains(&"effect-invalid".into()));
    let extra = identity(r#"{"Effect": "Allow", "Actions": "s3:GetObject", "Resource": "*"}"#);
    let found = codes(&extra, None);
    assert!(found.contains(&"element-unknown".into()) && found.contains(&"action-missing".into()));
}

#[test]
fn unknown_services_and_actions() {
    let doc = identity(
        r#"{"Effect": "Allow", "Action": ["s4:GetObject", "s3:GetObjekt", "kinesis:Get*", "ec2:RunInstances"], "Resource": "*"}"#,
    );
    let found = codes(&doc, None);
    assert!(found.contains(&"service-unknown".into()), "{found:?}");
    assert!(found.contains(&"action-unknown".into()));
    assert!(found.contains(&"service-not-checked".into()));
    assert_eq!(found.iter().filter(|c| *c == "action-unknown").count(), 1);
}

#[test]
fn bucket_actions_on_objects_and_object_actions_on_buckets() {
    let list_objects = identity(
        r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b/*"}"#,
    );
    assert!(codes(&list_objects, None).contains(&"action-resource-mismatch".into()));
    let both = identity(
        r#"{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}"#,
    );
    assert!(codes(&both, None).is_empty());
    let global = identity(
        r#"{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "arn:aws:s3:::b"}"#,
    );
    assert!(codes(&global, None).contains(&"resource-not-supported".into()));
    let stream = identity(
        r#"{"Effect": "Allow", "Action": "kinesis:PutRecord", "Resource": "arn:aws:s3:::b/*"}"#,
    );
    assert!(codes(&stream, None).contains(&"action-resource-mismatch".into()));
}

#[test]
fn double_slash_and_malformed_arns() {
    let slash = identity(
        r#"{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b//*.jsonl"}"#,
    );
    assert!(codes(&slash, None).contains(&"resource-double-slash".into()));
    let bad =
        identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "my-bucket/*"}"#);
    assert!(codes(&bad, None).contains(&"arn-malformed".into()));
    let account = identity(
        r#"{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::12345:role/r"}"#,
    );
    assert!(codes(&account, None).contains(&"arn-malformed".into()));
}

#[test]
fn allow_all_is_an_error_and_wildcards_warn() {
    let all = identity(r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#);
    let report = lint(&all, None);
    assert_eq!(report.codes(), vec!["allow-all"]);
    let broad = identity(r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#);
    let found = codes(&broad, None);
    assert!(
        found.contains(&"action-wildcard".into()) && found.contains(&"resource-wildcard".into())
    );
    assert!(!lint(&broad, None).has_errors());
    // Actions that only work on "*" are not warned about.
    let whoami =
        identity(r#"{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}"#);
    assert!(codes(&whoami, None).is_empty());
    let not_action =
        identity(r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b"}"#);
    assert!(codes(&not_action, None).contains(&"not-action-allow".into()));
}

#[test]
fn each_kind_by_its_own_rules() {
    let trust_with_resource = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::352302322568:root"}, "Action": "sts:AssumeRole",
        "Resource": "*", "Condition": {"StringEquals": {"sts:ExternalId": "x1"}}}]}"#;
    assert!(codes(trust_with_resource, Some(PolicyKind::Trust))
        .contains(&"resource-in-trust-policy".into()));
    let trust_no_id = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "352302322568"}, "Action": "sts:AssumeRole"}]}"#;
    let report = lint(trust_no_id, None);
    assert_eq!(report.kind, PolicyKind::Trust);
    assert!(report.kind_detected);
    assert_eq!(report.codes(), vec!["trust-without-external-id"]);
    let service_trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
    assert!(codes(service_trust, None).is_empty());
    let trust_put = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "352302322568"}, "Action": "s3:PutObject"}]}"#;
    assert!(codes(trust_put, Some(PolicyKind::Trust)).contains(&"trust-action-invalid".into()));
    let bucket_no_principal = identity(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
    );
    assert!(codes(&bucket_no_principal, Some(PolicyKind::Resource))
        .contains(&"principal-missing".into()));
    let public = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
    let report = lint(public, None);
    assert_eq!(report.kind, PolicyKind::Resource);
    assert_eq!(report.codes(), vec!["principal-wildcard"]);
    let identity_missing_resource = identity(r#"{"Effect": "Allow", "Action": "s3:GetObject"}"#);
    assert!(codes(&identity_missing_resource, None).contains(&"resource-missing".into()));
}

#[test]
fn conditions_sids_and_principals() {
    let cond = identity(
        r#"{"Sid": "A", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
        "Condition": {"StringLikeIfExists": {"s3:prefix": "a/*"}, "StringSmells": {"s3:colour": "x", "aws:SourceIp": "1"}}}"#,
    );
    let found = codes(&cond, None);
    assert!(
        found.contains(&"condition-operator-unknown".into()),
        "{found:?}"
    );
    assert!(found.contains(&"condition-key-unknown".into()));
    assert_eq!(found.len(), 2, "{found:?}");
    let types = identity(
        r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
        "Condition": {"NumericEquals": {"s3:prefix": "a/"}, "DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"},
        "Bool": {"aws:SecureTransport": "true"}, "StringLike": {"aws:SourceIp": "10.*"}}}"#,
    );
    let found = codes(&types, None);
    assert_eq!(
        found
            .iter()
            .filter(|c| *c == "condition-type-mismatch")
            .count(),
        2,
        "{found:?}"
    );
    let sids = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{a}, {a}]}}"#,
        a = r#"{"Sid": "Read-1", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#
    );
    let found = codes(&sids, None);
    assert!(found.contains(&"sid-duplicate".into()) && found.contains(&"sid-invalid".into()));
    let principals = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*", "Principal": {"AWS": ["arn:aws:iam::123456789012:user/a", "123456789012",
        "arn:aws:sts::123456789012:assumed-role/r/s", "bob"], "Service": "s3.amazonaws.com", "Robot": "x"}}]}"#;
    let report = lint(principals, None);
    let invalid: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "principal-invalid")
        .map(|f| f.message.clone())
        .collect();
    assert_eq!(invalid.len(), 2, "{invalid:?}");
    assert!(invalid[0].contains("'bob'"));
}
