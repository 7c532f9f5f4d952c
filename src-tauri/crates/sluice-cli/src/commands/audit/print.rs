//! Printing the bucket audit's scorecard.

use sluice_core::audit::{AuditReport, AuditStatus};

use crate::output::Output;

impl Output {
    pub fn audit(&self, r: &AuditReport) {
        if self.is_json() {
            return self.print_json(r);
        }
        println!("s3://{} (account {}):", r.bucket, r.account);
        for c in &r.checks {
            let mark = match c.status {
                AuditStatus::Pass => "pass",
                AuditStatus::Warn => "warn",
                AuditStatus::Fail => "FAIL",
            };
            println!("  {mark}  {} — {}", c.title, c.detail);
            if let (Some(fix), Some(label)) = (c.fix, &c.fix_label) {
                println!("        fix: {label} (--fix {})", fix.code());
            }
        }
        println!(
            "{} passed, {} warnings, {} failed.",
            r.passed, r.warnings, r.failed
        );
    }
}
