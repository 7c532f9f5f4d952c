//! `sluice audit bucket B`: the security scorecard, its CSV, and the fixes the user confirms.

pub mod args;
mod print;

use sluice_core::audit::FixId;
use sluice_core::{CoreError, Sluice};

use super::Outcome;
use crate::output::Output;
use args::AuditCommand;

pub async fn run(sluice: &Sluice, out: &Output, cmd: &AuditCommand) -> Result<Outcome, CoreError> {
    let AuditCommand::Bucket {
        bucket,
        csv,
        fix,
        fix_all,
        yes,
    } = cmd;
    let mut report = sluice.audit_bucket(bucket).await?;
    let chosen: Vec<FixId> = if *fix_all {
        report.checks.iter().filter_map(|c| c.fix).collect()
    } else {
        fix.iter()
            .map(|code| {
                FixId::parse(code).ok_or_else(|| {
                    let known: Vec<&str> = FixId::ALL.iter().map(|f| f.code()).collect();
                    CoreError::invalid("fix", format!("'{code}': use one of {}", known.join(", ")))
                })
            })
            .collect::<Result<_, _>>()?
    };
    if !chosen.is_empty() {
        if *yes {
            report = sluice.fix_bucket(bucket, &chosen).await?;
        } else {
            out.audit(&report);
            eprintln!(
                "Not fixed: re-run with --yes to apply: {}",
                chosen
                    .iter()
                    .map(|f| f.label())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            return Ok(Outcome::Done);
        }
    }
    if let Some(path) = csv {
        let written = sluice.save_audit_csv(&report, path, false)?;
        eprintln!("Scorecard written to {written}.");
    }
    out.audit(&report);
    Ok(if report.failed > 0 {
        Outcome::CheckFailed
    } else {
        Outcome::Done
    })
}
