//! The linter over a corpus of policies with known verdicts (`tests/policies/corpus.json`):
//! the vendors' own examples, valid policies of every kind, and one case per error. A valid
//! policy draws no error; an invalid one draws exactly the errors it has.

use sluice_core::policy::{lint, PolicyKind, Severity};

#[derive(serde::Deserialize)]
struct Corpus {
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    kind: Option<PolicyKind>,
    expect: Vec<String>,
    policy: String,
}

#[test]
fn every_case_gets_exactly_its_errors() {
    let corpus: Corpus =
        serde_json::from_str(include_str!("policies/corpus.json")).expect("corpus parses");
    assert!(corpus.cases.len() >= 30);
    let mut failures = Vec::new();
    for case in &corpus.cases {
        let report = lint(&case.policy, case.kind);
        let mut errors: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.code.as_str())
            .collect();
        errors.sort_unstable();
        errors.dedup();
        let mut expected: Vec<&str> = case.expect.iter().map(String::as_str).collect();
        expected.sort_unstable();
        if errors != expected {
            failures.push(format!(
                "{}: expected {expected:?}, got {errors:?}",
                case.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
