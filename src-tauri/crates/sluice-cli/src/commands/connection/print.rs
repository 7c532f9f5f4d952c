//! Printing connections, their checklist, their inline policy and the CLI profile plan.

use sluice_core::connections::credential_process::ProfilePlan;
use sluice_core::connections::policy::{InlinePolicy, PolicyTarget};
use sluice_core::connections::verify::VerifyReport;
use sluice_core::connections::Connection;

use crate::commands::symbol;
use crate::output::Output;

impl Output {
    pub fn connection(&self, c: &Connection) {
        let role = c.role.as_ref();
        let external_id = match role {
            Some(r) if r.has_external_id => "stored in the OS keyring",
            Some(_) => "none",
            None => "-",
        };
        self.record(
            c,
            &[
                ("Name", &c.name),
                ("Source", &source_text(&c.source)),
                ("Region", c.region.as_deref().unwrap_or("(default)")),
                ("Role", role.map(|r| r.role_arn.as_str()).unwrap_or("-")),
                ("ExternalId", external_id),
                (
                    "MFA",
                    role.and_then(|r| r.mfa_serial.as_deref())
                        .unwrap_or("not required by the vendor's trust"),
                ),
                (
                    "Session",
                    &role
                        .map(|r| format!("{} for {} s", r.session_name, r.duration_seconds))
                        .unwrap_or_else(|| "-".into()),
                ),
                (
                    "Bucket",
                    &c.bucket
                        .as_ref()
                        .map(|b| format!("s3://{b}/{}", c.prefix.as_deref().unwrap_or("")))
                        .unwrap_or_else(|| "-".into()),
                ),
                (
                    "Stream",
                    c.stream_arn.as_ref().map(|s| s.as_str()).unwrap_or("-"),
                ),
            ],
        );
    }

    pub fn connections(&self, list: &[Connection]) {
        if self.is_json() {
            return self.print_json(&list);
        }
        if list.is_empty() {
            println!("No connections yet. Create one with: sluice connection import NAME --file HANDOVER.txt");
            return;
        }
        for c in list {
            let role = c
                .role
                .as_ref()
                .map(|r| r.role_arn.as_str())
                .unwrap_or("(own identity)");
            println!("{:<24} {role}", c.name);
        }
    }

    pub fn report(&self, report: &VerifyReport) {
        if self.is_json() {
            return self.print_json(report);
        }
        for check in &report.checks {
            println!(
                "{} {} — {}",
                symbol(check.status),
                check.title,
                check.detail
            );
            if let Some(fix) = &check.fix {
                println!("    fix: {fix}");
            }
        }
        println!(
            "{}",
            if report.passed {
                "All checks passed."
            } else {
                "Some checks failed."
            }
        );
    }

    pub fn policy(&self, policy: &InlinePolicy, applied_to: Option<&PolicyTarget>) {
        if self.is_json() {
            return self.print_json(&serde_json::json!({
                "policy": policy,
                "appliedTo": applied_to,
            }));
        }
        println!("{}", policy.document);
        match applied_to {
            Some(PolicyTarget::User(u)) => eprintln!(
                "Applied inline policy '{}' to user {u}.",
                policy.policy_name
            ),
            Some(PolicyTarget::Role(r)) => eprintln!(
                "Applied inline policy '{}' to role {r}.",
                policy.policy_name
            ),
            None => {
                let hint = match &policy.suggested_target {
                    Some(PolicyTarget::User(u)) => format!(" --apply-to-user {u}"),
                    Some(PolicyTarget::Role(r)) => format!(" --apply-to-role {r}"),
                    None => " --apply-to-user USER".into(),
                };
                eprintln!(
                    "Not applied. To apply it as '{}': sluice connection policy …{hint}",
                    policy.policy_name
                );
            }
        }
    }

    pub fn profile_plan(&self, plan: &ProfilePlan, written: bool) {
        if self.is_json() {
            return self.print_json(
                &serde_json::json!({ "plan": plan, "written": written && plan.changed }),
            );
        }
        if !plan.changed {
            println!(
                "{} already has [profile {}] as planned.",
                plan.path, plan.profile
            );
            return;
        }
        println!("{}:\n{}", plan.path, plan.diff);
        if written {
            println!(
                "Written. Use it with: aws --profile {} sts get-caller-identity",
                plan.profile
            );
        } else {
            println!("Not written: add --write to make this change.");
        }
    }
}

fn source_text(source: &sluice_core::identity::SourceIdentity) -> String {
    use sluice_core::identity::SourceIdentity;
    match source {
        SourceIdentity::DefaultChain => "AWS default chain".into(),
        SourceIdentity::Profile { name } => format!("profile {name}"),
        SourceIdentity::AccessKey { access_key_id } => {
            format!("access key {access_key_id} (secret in the OS keyring)")
        }
        SourceIdentity::Temporary { access_key_id, .. } => {
            format!("temporary credentials {access_key_id} (in the OS keyring)")
        }
        SourceIdentity::Sso {
            account_id,
            role_name,
            ..
        } => format!("IAM Identity Center role {role_name} in {account_id}"),
    }
}
