//! The policy linter: findings with a severity, a code, the statement, a message and a fix.
//!
//! It knows which kind of policy it reads (identity, resource, trust) — told, or worked out
//! from the document — and judges each by its own rules. The rules are data (`rules.rs`);
//! each check is a small function over one statement (`statement.rs`, `principal.rs`); the
//! action knowledge is the generated catalog (`../catalog.rs`).

mod parse;
mod principal;
pub mod rules;
mod statement;

use serde::Serialize;
use serde_json::Value;

pub use parse::strip_comments;
pub use rules::{Rule, Severity};

use super::document::PolicyKind;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub title: String,
    /// 1-based statement number; `None` for the document as a whole.
    pub statement: Option<u32>,
    pub sid: Option<String>,
    pub message: String,
    pub fix: String,
}

/// Everything the linter found in one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LintReport {
    pub kind: PolicyKind,
    /// Whether the kind was worked out from the document rather than given.
    pub kind_detected: bool,
    pub findings: Vec<Finding>,
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
}

impl LintReport {
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// The codes found, for tests and summaries.
    pub fn codes(&self) -> Vec<&str> {
        self.findings.iter().map(|f| f.code.as_str()).collect()
    }
}

/// Where a check is looking: which statement, and its Sid.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a> {
    pub index: Option<usize>,
    pub sid: Option<&'a str>,
}

impl At<'_> {
    const DOCUMENT: At<'static> = At {
        index: None,
        sid: None,
    };
}

/// Collects findings in the order checks emit them.
#[derive(Debug, Default)]
pub(crate) struct Findings(Vec<Finding>);

impl Findings {
    pub fn add(&mut self, rule: Rule, at: At<'_>, message: impl Into<String>) {
        let spec = rule.spec();
        self.0.push(Finding {
            code: spec.code.to_string(),
            severity: spec.severity,
            title: spec.title.to_string(),
            statement: at.index.map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
            sid: at.sid.map(str::to_string),
            message: message.into(),
            fix: spec.fix.to_string(),
        });
    }
}

const TOP_LEVEL: [&str; 3] = ["Version", "Id", "Statement"];

/// The largest policy IAM takes (a bucket policy), in characters other than white space.
const MAX_POLICY_CHARS: usize = 20_480;
/// Past this, the text is not parsed at all.
const MAX_LINTED_BYTES: usize = 64 * 1024;

/// Lints policy text. `kind` is the kind the caller means; `None` works it out.
pub fn lint(text: &str, kind: Option<PolicyKind>) -> LintReport {
    let mut found = Findings::default();
    let significant = text.chars().filter(|c| !c.is_whitespace()).count();
    if significant > MAX_POLICY_CHARS {
        found.add(
            Rule::PolicyTooLarge,
            At::DOCUMENT,
            format!("{significant} characters without white space"),
        );
        if text.len() > MAX_LINTED_BYTES {
            // Not read any further: nothing this size is a policy.
            return report(kind.unwrap_or(PolicyKind::Identity), kind.is_none(), found);
        }
    }
    let source = match parse::read(text) {
        Ok(source) => source,
        Err(e) => {
            found.add(
                Rule::NotJson,
                At::DOCUMENT,
                format!("line {}, column {}: {}", e.line, e.column, e.message),
            );
            return report(kind.unwrap_or(PolicyKind::Identity), kind.is_none(), found);
        }
    };
    if !source.comment_lines.is_empty() {
        let lines: Vec<String> = source.comment_lines.iter().map(usize::to_string).collect();
        found.add(
            Rule::JsonComments,
            At::DOCUMENT,
            format!("comments on line {}", lines.join(", ")),
        );
    }
    let doc = &source.value;
    let Some(object) = doc.as_object() else {
        found.add(Rule::NotJson, At::DOCUMENT, "a policy is a JSON object");
        return report(kind.unwrap_or(PolicyKind::Identity), kind.is_none(), found);
    };
    for key in object.keys() {
        if !TOP_LEVEL.contains(&key.as_str()) {
            found.add(
                Rule::ElementUnknown,
                At::DOCUMENT,
                format!("'{key}' is not a policy element (Version, Id, Statement)"),
            );
        }
    }
    check_version(doc.get("Version"), &mut found);
    let statements = doc
        .get("Statement")
        .map(parse::statements)
        .unwrap_or_default();
    if statements.is_empty() {
        found.add(
            Rule::StatementMissing,
            At::DOCUMENT,
            "the policy has no statements",
        );
    }
    let detected = kind.is_none();
    let kind = kind.unwrap_or_else(|| detect_kind(&statements));
    statement::check_sids(&statements, kind, &mut found);
    for (index, st) in statements.iter().enumerate() {
        statement::check(st, index, kind, &mut found);
    }
    report(kind, detected, found)
}

fn check_version(version: Option<&Value>, found: &mut Findings) {
    match version.and_then(Value::as_str) {
        None if version.is_none() => found.add(
            Rule::VersionMissing,
            At::DOCUMENT,
            "the policy has no Version",
        ),
        Some("2012-10-17") => {}
        Some("2008-10-17") => found.add(
            Rule::VersionOld,
            At::DOCUMENT,
            "Version 2008-10-17 does not support policy variables",
        ),
        other => found.add(
            Rule::VersionUnknown,
            At::DOCUMENT,
            format!(
                "Version {} is not a policy language version",
                other.map_or_else(|| "(not a string)".to_string(), |v| format!("'{v}'"))
            ),
        ),
    }
}

/// A document whose statements name principals is a resource policy — or a trust policy,
/// when they are about assuming a role and name no resource.
pub fn detect_kind(statements: &[&Value]) -> PolicyKind {
    let with_principal: Vec<&&Value> = statements
        .iter()
        .filter(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some())
        .collect();
    if with_principal.is_empty() {
        return PolicyKind::Identity;
    }
    let actions: Vec<String> = with_principal
        .iter()
        .filter_map(|s| s.get("Action").and_then(parse::strings))
        .flatten()
        .map(str::to_ascii_lowercase)
        .collect();
    let only_sts = !actions.is_empty() && actions.iter().all(|a| a.starts_with("sts:"));
    let names_resources = with_principal
        .iter()
        .any(|s| s.get("Resource").is_some() || s.get("NotResource").is_some());
    if only_sts || !names_resources {
        PolicyKind::Trust
    } else {
        PolicyKind::Resource
    }
}

fn report(kind: PolicyKind, kind_detected: bool, found: Findings) -> LintReport {
    let count = |sev: Severity| {
        u32::try_from(found.0.iter().filter(|f| f.severity == sev).count()).unwrap_or(u32::MAX)
    };
    LintReport {
        kind,
        kind_detected,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        findings: found.0,
    }
}

#[cfg(test)]
mod tests;
