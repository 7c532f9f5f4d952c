//! Property tests for the policy studio: the linter takes any text and any JSON-shaped
//! policy without panicking, its counts match its findings, and every sink-writer the
//! templates accept lints clean and never holds a `//`.

use proptest::prelude::*;
use sluice_core::policy::templates::sink_writer;
use sluice_core::policy::{lint, PolicyKind, Severity};

fn statement() -> impl Strategy<Value = serde_json::Value> {
    let action = prop_oneof![
        Just("s3:GetObject".to_string()),
        Just("s3:ListBucket".to_string()),
        Just("kinesis:PutRecord".to_string()),
        Just("*".to_string()),
        "[a-z0-9]{1,6}:[A-Za-z*?]{0,10}",
    ];
    let resource = prop_oneof![
        Just("*".to_string()),
        "arn:aws:s3:::[a-z0-9-]{3,10}(/[a-z*/.]{0,10})?",
        "arn:aws:kinesis:us-east-1:[0-9]{12}:stream/[a-z]{1,8}",
        "[ -~]{0,20}",
    ];
    (
        prop_oneof![Just("Allow"), Just("Deny"), Just("Permit")],
        proptest::collection::vec(action, 0..4),
        proptest::collection::vec(resource, 0..3),
        proptest::option::of("[0-9]{10,13}|\\*|arn:aws:iam::[0-9]{12}:(root|user/[a-z]{1,5})"),
        any::<bool>(),
    )
        .prop_map(|(effect, actions, resources, principal, condition)| {
            let mut st = serde_json::json!({"Effect": effect, "Action": actions});
            if !resources.is_empty() {
                st["Resource"] = resources.into();
            }
            if let Some(p) = principal {
                st["Principal"] = serde_json::json!({"AWS": p});
            }
            if condition {
                st["Condition"] = serde_json::json!({"StringEquals": {"sts:ExternalId": "x-1"}});
            }
            st
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_linted_without_panicking(text in "[ -~\\n]{0,300}") {
        let report = lint(&text, None);
        let errors = report.findings.iter().filter(|f| f.severity == Severity::Error).count();
        prop_assert_eq!(report.errors as usize, errors);
    }

    #[test]
    fn any_policy_shape_is_linted_with_statement_numbers_in_range(
        statements in proptest::collection::vec(statement(), 0..5),
        kind in proptest::option::of(prop_oneof![Just(PolicyKind::Identity), Just(PolicyKind::Resource), Just(PolicyKind::Trust)]),
    ) {
        let n = statements.len();
        let text = serde_json::json!({"Version": "2012-10-17", "Statement": statements}).to_string();
        let report = lint(&text, kind);
        for f in &report.findings {
            if let Some(i) = f.statement {
                prop_assert!(i >= 1 && i as usize <= n, "{:?}", f);
            }
        }
    }

    #[test]
    fn accepted_sink_writers_lint_clean(
        bucket in "[a-z0-9][a-z0-9-]{1,20}[a-z0-9]",
        prefix in "(/?[a-z0-9_.-]{0,8}){0,3}/?",
        suffix in "(\\.[a-z]{1,6})?",
    ) {
        if let Ok(built) = sink_writer(&bucket, &prefix, &suffix) {
            let text = built.document.to_pretty_json();
            prop_assert!(!text.contains("//"), "{}", text);
            let report = lint(&text, None);
            prop_assert!(report.findings.is_empty(), "{:?}", report.findings);
        }
    }
}
