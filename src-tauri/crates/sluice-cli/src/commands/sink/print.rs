//! Printing destination setup: the plan, progress as it happens, validation, rotation,
//! teardown.

use sluice_core::setup::apply::{SetupOutcome, StepEvent, StepProgress};
use sluice_core::setup::teardown::{RotationReport, TeardownReport};
use sluice_core::setup::validate::ValidationReport;
use sluice_core::setup::{SetupPlan, StepState};

use crate::commands::mark;
use crate::output::Output;

impl Output {
    pub fn setup_plan(&self, plan: &SetupPlan) {
        if self.is_json() {
            return self.print_json(plan);
        }
        println!(
            "Destination s3://{}/{} for IAM user {} in {}:",
            plan.bucket,
            if plan.prefix.is_empty() {
                String::new()
            } else {
                format!("{}/", plan.prefix)
            },
            plan.user,
            plan.region
        );
        for step in &plan.steps {
            let state = match step.state {
                StepState::Done => "done   ",
                StepState::ToDo => "to do  ",
                StepState::Blocked => "blocked",
            };
            println!(
                "  {state} {} ({} on {})",
                step.title, step.action, step.resource
            );
            if let Some(note) = &step.note {
                println!("          {note}");
            }
        }
        for w in &plan.warnings {
            println!("warning: {w}");
        }
    }

    /// One line per step as it runs (on stderr with --json, so stdout stays one document).
    pub fn setup_event(&self, e: &StepEvent) {
        let line = match e.state {
            StepProgress::Started => return,
            StepProgress::Done => format!("✓ {}", e.title),
            StepProgress::Skipped => format!("· {} (already done)", e.title),
            StepProgress::Failed => format!("✗ {}", e.title),
        };
        let detail = e
            .detail
            .as_deref()
            .map(|d| format!(" — {d}"))
            .unwrap_or_default();
        if self.is_json() {
            eprintln!("{line}{detail}");
        } else {
            println!("{line}{detail}");
        }
    }

    pub fn setup_outcome(&self, o: &SetupOutcome) {
        if self.is_json() {
            return self.print_json(o);
        }
        if let Some(id) = &o.access_key_id {
            let fresh = if o.key_created {
                "new; its secret is in the OS keyring"
            } else {
                "in use"
            };
            println!("Access key {id} ({fresh}).");
        }
        match &o.validation {
            Some(v) if v.passed => println!("Validation passed."),
            Some(_) => println!("Validation failed."),
            None => {}
        }
    }

    pub fn validation(&self, v: &ValidationReport) {
        if self.is_json() {
            return self.print_json(v);
        }
        println!("{} write: {}", mark(v.write.passed), v.write.detail);
        println!(
            "{} list denied: {}",
            mark(v.list_denied.passed),
            v.list_denied.detail
        );
        println!(
            "{}",
            if v.passed {
                "Validation passed."
            } else {
                "Validation failed."
            }
        );
    }

    pub fn rotation(&self, r: &RotationReport) {
        let text = format!(
            "Rotated: {} is in use (validated), {} is deleted.",
            r.new_key, r.old_key
        );
        self.message(r, &text);
    }

    pub fn teardown(&self, r: &TeardownReport) {
        if self.is_json() {
            return self.print_json(r);
        }
        for step in &r.steps {
            println!("{} {step}", if r.applied { "✓" } else { "·" });
        }
        if r.steps.is_empty() {
            println!("Nothing Sluice created is left.");
        }
    }
}
