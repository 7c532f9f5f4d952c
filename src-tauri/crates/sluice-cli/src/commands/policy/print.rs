//! Printing the policy studio's results: documents, lint findings, diffs, generated code.

use sluice_core::iac::GeneratedCode;
use sluice_core::policy::apply::{AppliedPolicy, ApplyPlan};
use sluice_core::policy::diff::DiffOp;
use sluice_core::policy::studio::GeneratedPolicy;
use sluice_core::policy::{LintReport, Severity};

use crate::output::Output;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

impl Output {
    /// A template's JSON; with `explain`, a sentence per statement after it.
    /// `document` is the text to use (it holds the ExternalId, when there is one).
    pub fn generated_policy(&self, p: &GeneratedPolicy, document: &str, explain: bool) {
        if self.is_json() {
            let mut value = serde_json::to_value(p).unwrap_or_default();
            value["document"] = serde_json::Value::String(document.to_string());
            return self.print_json(&value);
        }
        println!("{document}");
        if explain {
            println!();
            for e in &p.explanations {
                println!("{}: {}", e.sid, e.sentence);
            }
        }
    }

    /// Terraform or CloudFormation code, as it is (ready to redirect to a file).
    pub fn code(&self, code: &GeneratedCode) {
        if self.is_json() {
            return self.print_json(code);
        }
        print!("{}", code.text);
    }

    pub fn lint_report(&self, r: &LintReport) {
        if self.is_json() {
            return self.print_json(r);
        }
        let how = if r.kind_detected {
            " (worked out from the document)"
        } else {
            ""
        };
        println!("Read as: {}{how}.", r.kind.label());
        for f in &r.findings {
            let place = match (f.statement, &f.sid) {
                (Some(n), Some(sid)) => format!("statement {n} ({sid})"),
                (Some(n), None) => format!("statement {n}"),
                (None, _) => "document".to_string(),
            };
            println!(
                "{:<7} {:<26} {place}: {}",
                severity(f.severity),
                f.code,
                f.message
            );
            println!("        fix: {}", f.fix);
        }
        println!(
            "{} error(s), {} warning(s), {} note(s).",
            r.errors, r.warnings, r.infos
        );
    }

    pub fn apply_plan(&self, plan: &ApplyPlan) {
        if self.is_json() {
            return self.print_json(plan);
        }
        let name = plan
            .policy_name
            .as_deref()
            .map(|n| format!(" '{n}'"))
            .unwrap_or_default();
        println!(
            "{}{name}: {}",
            plan.target_label,
            if plan.exists {
                "replacing the current policy"
            } else {
                "no policy there yet"
            }
        );
        for line in &plan.diff {
            let mark = match line.op {
                DiffOp::Same => ' ',
                DiffOp::Add => '+',
                DiffOp::Remove => '-',
            };
            println!("{mark} {}", line.text);
        }
        if !plan.lint.findings.is_empty() {
            self.lint_report(&plan.lint);
        }
        for note in &plan.notes {
            println!("{note}");
        }
    }

    pub fn applied_policy(&self, a: &AppliedPolicy) {
        let text = if a.verified {
            format!("Applied to {}; read back and matches.", a.target_label)
        } else {
            format!(
                "Applied to {}, but the policy read back differs from the one sent.",
                a.target_label
            )
        };
        self.message(a, &text);
    }
}
