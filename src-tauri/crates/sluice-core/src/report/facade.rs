//! The report actions the app and the CLI share: plan, run (a cancellable job with
//! progress), coverage only, and exporting a coverage table.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::coverage::Coverage;
use super::plan::{self, ReportPlan};
use super::run::{self, Destination, ReportProgress, ReportResult, RunOptions};
use super::spec::{current_hour, ReportSpec};
use crate::context::Sluice;
use crate::error::Result;

/// A progress message for the UI: which job, how far.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReportJobEvent {
    pub job: u32,
    pub progress: ReportProgress,
}

/// Progress callback: job id and progress.
pub type OnProgress = Arc<dyn Fn(u32, ReportProgress) + Send + Sync>;

impl Sluice {
    /// What the report would read, listed partition by partition.
    pub async fn report_plan(&self, spec: &ReportSpec) -> Result<ReportPlan> {
        spec.validate()?;
        let (from, to) = spec.range.resolve(current_hour())?;
        let s3 = self.s3_client(spec.connection.as_deref()).await?;
        plan::plan(&s3, spec, from, to).await
    }

    /// Writes the report to `output` (an absolute path; replaced only with `replace`).
    pub async fn report_run(
        &self,
        spec: &ReportSpec,
        output: &Path,
        replace: bool,
        options: RunOptions,
        progress: OnProgress,
    ) -> Result<ReportResult> {
        super::output::check_target(output, replace)?;
        let destination = Destination::File {
            path: output.to_path_buf(),
            replace,
        };
        self.report_job(spec, destination, options, progress).await
    }

    /// Reads the range for coverage only; nothing is written.
    pub async fn report_coverage(
        &self,
        spec: &ReportSpec,
        progress: OnProgress,
    ) -> Result<ReportResult> {
        self.report_job(spec, Destination::Discard, RunOptions::default(), progress)
            .await
    }

    async fn report_job(
        &self,
        spec: &ReportSpec,
        destination: Destination,
        options: RunOptions,
        progress: OnProgress,
    ) -> Result<ReportResult> {
        let plan = self.report_plan(spec).await?;
        let s3 = self.s3_client(spec.connection.as_deref()).await?;
        let mut job = self.jobs().start("Report");
        let (id, cancel) = (job.id(), job.cancel());
        progress(
            id,
            ReportProgress {
                objects_done: 0,
                objects: plan.objects.len() as u32,
                bytes_done: 0.0,
                bytes: plan.bytes,
                rows: 0.0,
                eta_seconds: None,
            },
        );
        let report = Arc::new(move |p| progress(id, p));
        let result = run::run(&s3, spec, &plan, destination, options, cancel, report).await;
        job.ended(&result, |r| format!("{} rows", r.rows));
        if let Ok(ReportResult {
            path: Some(path), ..
        }) = &result
        {
            self.written_files().remember(Path::new(path));
        }
        result
    }

    /// Saves a coverage summary table as CSV.
    pub fn export_coverage(
        &self,
        coverage: &Coverage,
        path: &Path,
        replace: bool,
    ) -> Result<String> {
        self.save_user_file(path, &coverage.summary_csv()?, replace)
    }
}

/// Where a report is saved unless the user picks another file: in `dir` (the folder of the
/// last report) when given, else Downloads, else home — under a name no file has yet.
pub fn default_report_path(spec: &ReportSpec, dir: Option<&Path>) -> String {
    let dir = dir
        .filter(|d| d.is_absolute() && d.is_dir())
        .map(Path::to_path_buf)
        .or_else(|| dirs::download_dir().filter(|d| d.is_dir()))
        .or_else(dirs::home_dir)
        .unwrap_or_else(std::env::temp_dir);
    let (from, to) = spec
        .range
        .resolve(current_hour())
        .map(|(f, t)| {
            (
                crate::s3::partitions::format_hour(f),
                crate::s3::partitions::format_hour(t),
            )
        })
        .unwrap_or_default();
    let name = format!(
        "report-{}-{from}-{to}.{}",
        spec.bucket,
        spec.format.extension()
    );
    let path = dir.join(crate::files::names::safe_file_name(&name).unwrap_or(name));
    // Never suggest a file that is already there: a rerun gets a free name.
    crate::files::names::free_name(&path).display().to_string()
}
