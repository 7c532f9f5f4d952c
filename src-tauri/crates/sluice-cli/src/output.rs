//! Printing results and errors, as aligned text for people or JSON for scripts.

use std::process::ExitCode;

use serde::Serialize;
use sluice_core::connections::credential_process::ProfilePlan;
use sluice_core::connections::policy::{InlinePolicy, PolicyTarget};
use sluice_core::connections::verify::VerifyReport;
use sluice_core::connections::Connection;
use sluice_core::{CoreError, ErrorCode};

use crate::commands::connection::symbol;
use sluice_core::repair::RepairReport;
use sluice_core::s3::download::DownloadSummary;
use sluice_core::s3::listing::{ListPage, ObjectEntry};
use sluice_core::s3::preview::Preview;

pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    pub(crate) fn print_json<T: Serialize>(&self, value: &T) {
        match serde_json::to_string_pretty(value) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("error: cannot encode the result as JSON: {e}"),
        }
    }

    /// Prints one record: `value` as JSON, or `rows` as aligned `Label: value` lines.
    pub fn record<T: Serialize>(&self, value: &T, rows: &[(&str, &str)]) {
        if self.json {
            return self.print_json(value);
        }
        let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 1;
        for (label, value) in rows {
            println!("{:<width$} {value}", format!("{label}:"));
        }
    }

    /// `value` as JSON, or one line of text.
    pub fn message<T: Serialize>(&self, value: &T, text: &str) {
        if self.json {
            self.print_json(value)
        } else {
            println!("{text}");
        }
    }

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
        if self.json {
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
        if self.json {
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
        if self.json {
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
        if self.json {
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

    pub fn is_json(&self) -> bool {
        self.json
    }

    pub fn objects(&self, objects: &[ObjectEntry]) {
        if self.json {
            return self.print_json(&objects);
        }
        for o in objects {
            println!("{}", object_line(o));
        }
    }

    pub fn page(&self, page: &ListPage) {
        if self.json {
            return self.print_json(page);
        }
        for f in &page.folders {
            println!(
                "{:>30} PRE {}",
                "",
                f.strip_prefix(&page.prefix).unwrap_or(f)
            );
        }
        for o in &page.objects {
            println!("{}", object_line(o));
        }
    }

    pub fn preview(&self, p: &Preview) {
        if let Some(note) = &p.note {
            eprintln!("note: {note}");
        }
        if self.json {
            let rows: Vec<serde_json::Map<String, serde_json::Value>> = p
                .table
                .rows
                .iter()
                .map(|r| {
                    p.table
                        .columns
                        .iter()
                        .cloned()
                        .zip(r.iter().map(|v| serde_json::Value::String(v.clone())))
                        .collect()
                })
                .collect();
            return self.print_json(&rows);
        }
        eprintln!(
            "{:?} {:?}, {} rows, {} of {} bytes read",
            p.container,
            p.content,
            p.table.rows.len(),
            p.bytes_read,
            p.size
        );
        let cut = |s: &str| -> String {
            let t: String = s.chars().take(40).collect();
            if t.len() < s.len() {
                format!("{t}…")
            } else {
                t
            }
        };
        let widths: Vec<usize> = p
            .table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                p.table
                    .rows
                    .iter()
                    .map(|r| r.get(i).map_or(0, |v| cut(v).chars().count()))
                    .max()
                    .unwrap_or(0)
                    .max(c.chars().count())
            })
            .collect();
        let line = |cells: Vec<String>| {
            cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        };
        println!("{}", line(p.table.columns.clone()));
        for r in &p.table.rows {
            println!("{}", line(r.iter().map(|v| cut(v)).collect()));
        }
    }

    pub fn download_summary(&self, s: &DownloadSummary) {
        if self.json {
            return self.print_json(s);
        }
        println!(
            "{} written, {} skipped, {} failed{} ({} bytes)",
            s.written,
            s.skipped,
            s.failed,
            if s.cancelled { ", cancelled" } else { "" },
            s.bytes
        );
    }

    pub fn repair(&self, r: &RepairReport) {
        if self.json {
            return self.print_json(r);
        }
        for a in &r.actions {
            match &a.new_path {
                Some(to) => println!(
                    "{} {} → {to} ({})",
                    if r.applied { "renamed" } else { "would rename" },
                    a.path,
                    a.reason
                ),
                None => println!("kept {} ({})", a.path, a.reason),
            }
        }
        println!(
            "{} {}, {} unchanged{}",
            r.renamed,
            if r.applied { "renamed" } else { "to rename" },
            r.unchanged,
            if r.applied {
                ""
            } else {
                " — dry run, nothing changed"
            }
        );
    }

    /// Reports `err` and returns the exit code for it.
    pub fn error(&self, err: &CoreError) -> ExitCode {
        let code = err.code();
        eprintln!("error: {err}");
        if self.json {
            let body = serde_json::json!({
                "error": { "kind": code.as_str(), "message": err.to_string() }
            });
            println!("{body}");
        }
        exit_code(code)
    }
}

fn object_line(o: &ObjectEntry) -> String {
    let when = o.last_modified.as_deref().unwrap_or("").replace('T', " ");
    format!(
        "{:<19} {:>10} {}",
        when.get(..19).unwrap_or(&when),
        o.size,
        o.key
    )
}

fn source_text(source: &sluice_core::identity::SourceIdentity) -> String {
    use sluice_core::identity::SourceIdentity;
    match source {
        SourceIdentity::DefaultChain => "AWS default chain".into(),
        SourceIdentity::Profile { name } => format!("profile {name}"),
        SourceIdentity::AccessKey { access_key_id } => {
            format!("access key {access_key_id} (secret in the OS keyring)")
        }
    }
}

/// 2 for anything the user typed wrong, 1 for everything else that failed.
pub fn exit_code(code: ErrorCode) -> ExitCode {
    match code {
        ErrorCode::InvalidInput | ErrorCode::Settings => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
}
