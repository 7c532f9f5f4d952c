//! `sluice athena ddl | estimate` and `sluice report --engine athena`.

pub mod args;

use std::sync::Arc;

use sluice_core::athena::query::QueryProgress;
use sluice_core::athena::AthenaTarget;
use sluice_core::report::spec::ReportSpec;
use sluice_core::{CoreError, Sluice};

use super::report::args::{spec as report_spec, AthenaArgs};
use super::Outcome;
use crate::output::Output;
use args::AthenaCommand;

fn target(a: &AthenaArgs) -> AthenaTarget {
    AthenaTarget {
        workgroup: a.workgroup.clone(),
        database: a.database.clone(),
        table: a.table.clone(),
        output: a.athena_output.clone(),
    }
}

pub async fn run(sluice: &Sluice, out: &Output, cmd: &AthenaCommand) -> Result<Outcome, CoreError> {
    match cmd {
        AthenaCommand::Ddl {
            dataset,
            athena,
            create,
        } => {
            let dataset = dataset.dataset();
            let target = target(athena);
            let ddl = sluice.athena_ddl(&dataset, &target).await?;
            if *create {
                let ready = sluice.athena_create_table(&dataset, &target).await?;
                eprintln!("{}", ready.message);
            }
            out.message(&serde_json::json!({ "ddl": ddl }), &ddl);
        }
        AthenaCommand::Estimate { spec, athena } => {
            let e = sluice
                .athena_estimate(&report_spec(spec)?, &target(athena))
                .await?;
            out.record(
                &e,
                &[
                    (
                        "Partitions",
                        &format!("{} of {} hours", e.partitions, e.hours),
                    ),
                    ("Objects", &e.objects.to_string()),
                    ("Bytes to scan", &format!("{:.0}", e.bytes)),
                    (
                        "Estimated cost",
                        &format!("${:.4} at $5 per TB scanned (10 MB minimum)", e.cost_usd),
                    ),
                    ("SQL", &e.sql),
                ],
            );
        }
    }
    Ok(Outcome::Done)
}

/// `sluice report --engine athena`: the query, its progress on stderr, the result file.
pub async fn report(
    sluice: &Sluice,
    out: &Output,
    spec: &ReportSpec,
    athena: &AthenaArgs,
    path: &std::path::Path,
    replace: bool,
) -> Result<Outcome, CoreError> {
    let jobs = sluice.jobs_handle();
    super::on_ctrl_c("stopping the Athena query", move || jobs.cancel_all());
    let quiet = out.is_json();
    let on = Arc::new(move |_job, p: QueryProgress| {
        if !quiet {
            eprintln!(
                "{} {}: {:.0} bytes scanned, {:.1} s",
                p.query_id, p.state, p.scanned_bytes, p.seconds
            );
        }
    });
    let r = sluice
        .athena_report(spec, &target(athena), path, replace, on)
        .await?;
    out.record(
        &r,
        &[
            ("Written", r.path.as_str()),
            ("Rows", &format!("{:.0}", r.rows)),
            ("Query", r.query_id.as_str()),
            (
                "Scanned",
                &format!("{:.0} bytes (${:.4})", r.scanned_bytes, r.cost_usd),
            ),
            ("Seconds", &format!("{:.2}", r.seconds)),
        ],
    );
    Ok(Outcome::Done)
}
