//! `sluice report [plan | coverage | save | list | delete]`.

pub mod args;
mod print;

use std::sync::Arc;

use sluice_core::report::facade::OnProgress;
use sluice_core::report::run::RunOptions;
use sluice_core::report::saved::SavedReport;
use sluice_core::{CoreError, Sluice};

use super::Outcome;
use crate::output::Output;
use args::{spec, Engine, ReportArgs, ReportCommand};

/// Progress on stderr; Ctrl-C cancels the job (and removes the part file).
fn progress(sluice: &Sluice, out: &Output) -> OnProgress {
    let jobs = sluice.jobs_handle();
    super::on_ctrl_c(
        "cancelling: no file is left behind (Ctrl-C again to quit now)",
        move || jobs.cancel_all(),
    );
    let quiet = out.is_json();
    Arc::new(move |_job, p| {
        if !quiet && p.objects_done > 0 {
            let eta = p
                .eta_seconds
                .map(|s| format!(", ~{s:.0} s left"))
                .unwrap_or_default();
            eprintln!(
                "[{}/{} objects] {:.1} MB, {} rows{eta}",
                p.objects_done,
                p.objects,
                p.bytes_done / 1e6,
                p.rows
            );
        }
    })
}

pub async fn run(sluice: &Sluice, out: &Output, args: &ReportArgs) -> Result<Outcome, CoreError> {
    match &args.command {
        None => {
            let spec = match &args.saved {
                Some(name) => sluice.saved_report(name)?.spec,
                None => spec(&args.spec)?,
            };
            let path = args
                .output
                .clone()
                .ok_or_else(|| CoreError::invalid("output file", "give -o FILE"))?;
            let path = std::path::absolute(&path)
                .map_err(|e| CoreError::invalid("output file", e.to_string()))?;
            if args.engine == Engine::Athena {
                return super::athena::report(
                    sluice,
                    out,
                    &spec,
                    &args.athena,
                    &path,
                    args.replace,
                )
                .await;
            }
            let options = RunOptions {
                concurrency: args.concurrency,
                ..RunOptions::default()
            };
            let result = sluice
                .report_run(&spec, &path, args.replace, options, progress(sluice, out))
                .await?;
            out.report_result(&result);
        }
        Some(ReportCommand::Plan(a)) => out.report_plan(&sluice.report_plan(&spec(a)?).await?),
        Some(ReportCommand::Coverage { spec: a, csv }) => {
            let result = sluice
                .report_coverage(&spec(a)?, progress(sluice, out))
                .await?;
            if let Some(path) = csv {
                let path = std::path::absolute(path)
                    .map_err(|e| CoreError::invalid("file", e.to_string()))?;
                let written = sluice.export_coverage(&result.coverage, &path, args.replace)?;
                eprintln!("coverage table → {written}");
            }
            out.coverage(&result);
        }
        Some(ReportCommand::Save {
            name,
            spec: a,
            replace,
        }) => {
            let saved = SavedReport {
                name: name.clone(),
                spec: spec(a)?,
            };
            let list = sluice.save_report(saved, *replace)?;
            out.message(&list, &format!("saved report '{name}'"));
        }
        Some(ReportCommand::List) => out.saved_reports(&sluice.saved_reports()?),
        Some(ReportCommand::Delete { name }) => {
            let list = sluice.delete_report(name)?;
            out.message(&list, &format!("deleted report '{name}'"));
        }
    }
    Ok(Outcome::Done)
}
