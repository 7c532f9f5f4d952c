//! Running a query: StartQueryExecution in the workgroup, GetQueryExecution with backoff
//! until it ends (state, data scanned, time shown as it goes), StopQueryExecution on cancel;
//! then the result file is streamed from the output location into the report's `.part` file
//! and renamed — never paged through GetQueryResults.

use std::io::{Read, Seek, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde::Serialize;

use super::AthenaTarget;
use crate::aws::errors;
use crate::error::{CoreError, Result};
use crate::jobs::Cancel;
use crate::report::output::OutputFile;
use crate::report::spec::OutputFormat;
use crate::s3::uri::S3Uri;

/// A query as it runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct QueryProgress {
    pub query_id: String,
    /// QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED.
    pub state: String,
    pub scanned_bytes: f64,
    pub seconds: f64,
}

fn athena_error<E>(
    action: &str,
    e: aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::http::Response>,
    target: &AthenaTarget,
) -> CoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let message = e.message().unwrap_or_default().to_string();
    if message.contains("WorkGroup")
        && (message.contains("not found") || message.contains("does not exist"))
    {
        return CoreError::NotFound {
            action: action.into(),
            message: format!(
                "the workgroup '{}' does not exist in this region",
                target.workgroup
            ),
        };
    }
    if message.contains("output location") || message.contains("OutputLocation") {
        return CoreError::invalid(
            "result location",
            format!("{message}: give one (s3://bucket/prefix/) or set it on the workgroup"),
        );
    }
    errors::classify(action, e)
}

/// The result location: the target's, else the workgroup's.
pub async fn output_location(
    athena: &aws_sdk_athena::Client,
    target: &AthenaTarget,
) -> Result<String> {
    if let Some(o) = target.output.as_deref().filter(|o| !o.trim().is_empty()) {
        return Ok(o.trim().to_string());
    }
    let wg = athena
        .get_work_group()
        .work_group(&target.workgroup)
        .send()
        .await
        .map_err(|e| athena_error("athena:GetWorkGroup", e, target))?;
    wg.work_group()
        .and_then(|w| w.configuration())
        .and_then(|c| c.result_configuration())
        .and_then(|r| r.output_location())
        .map(str::to_string)
        .ok_or_else(|| {
            CoreError::invalid(
                "result location",
                format!(
                    "the workgroup '{}' has no result location: give one (s3://bucket/prefix/)",
                    target.workgroup
                ),
            )
        })
}

/// Runs `sql` to the end. Returns the final progress and the result file's S3 URI.
pub async fn run(
    athena: &aws_sdk_athena::Client,
    sql: &str,
    target: &AthenaTarget,
    output: &str,
    cancel: &Cancel,
    on: &(dyn Fn(QueryProgress) + Send + Sync),
) -> Result<(QueryProgress, String)> {
    let started = Instant::now();
    let out = athena
        .start_query_execution()
        .query_string(sql)
        .work_group(&target.workgroup)
        .query_execution_context(
            aws_sdk_athena::types::QueryExecutionContext::builder()
                .database(&target.database)
                .build(),
        )
        .result_configuration(
            aws_sdk_athena::types::ResultConfiguration::builder()
                .output_location(output)
                .build(),
        )
        .send()
        .await
        .map_err(|e| athena_error("athena:StartQueryExecution", e, target))?;
    let id = out.query_execution_id().unwrap_or_default().to_string();
    let mut wait = Duration::from_millis(200);
    loop {
        if cancel.is_cancelled() {
            athena
                .stop_query_execution()
                .query_execution_id(&id)
                .send()
                .await
                .map_err(|e| athena_error("athena:StopQueryExecution", e, target))?;
            return Err(CoreError::Cancelled {
                what: format!("Athena query {id} (stopped); no file was written"),
            });
        }
        let got = match athena
            .get_query_execution()
            .query_execution_id(&id)
            .send()
            .await
        {
            Ok(got) => got,
            Err(e) => {
                // Never leave a query running (and billed) behind an error.
                let _ = athena
                    .stop_query_execution()
                    .query_execution_id(&id)
                    .send()
                    .await;
                return Err(athena_error("athena:GetQueryExecution", e, target));
            }
        };
        let exec = got.query_execution();
        let status = exec.and_then(|e| e.status());
        let state = status
            .and_then(|s| s.state())
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|| "QUEUED".into());
        let progress = QueryProgress {
            query_id: id.clone(),
            state: state.clone(),
            scanned_bytes: exec
                .and_then(|e| e.statistics())
                .and_then(|s| s.data_scanned_in_bytes())
                .unwrap_or(0) as f64,
            seconds: started.elapsed().as_secs_f64(),
        };
        on(progress.clone());
        match state.as_str() {
            "SUCCEEDED" => {
                let location = exec
                    .and_then(|e| e.result_configuration())
                    .and_then(|r| r.output_location())
                    .unwrap_or(output)
                    .to_string();
                // Athena names the file for the query; the emulator reports only the folder.
                let file = if location.ends_with('/') {
                    format!("{location}{id}.csv")
                } else {
                    location
                };
                return Ok((progress, file));
            }
            "FAILED" => {
                let reason = status
                    .and_then(|s| s.state_change_reason())
                    .unwrap_or("no reason given");
                return Err(CoreError::Service {
                    action: "athena query".into(),
                    code: "FAILED".into(),
                    message: reason.to_string(),
                });
            }
            "CANCELLED" => {
                return Err(CoreError::Cancelled {
                    what: format!("Athena query {id} was cancelled; no file was written"),
                })
            }
            _ => {}
        }
        // A cancel ends the wait at once; the top of the loop stops the query.
        let _ = cancel.run_until_cancelled(tokio::time::sleep(wait)).await;
        wait = (wait * 3 / 2).min(Duration::from_secs(3));
    }
}

/// Streams the result CSV (header row, every value quoted) into the report file in `format`,
/// with one header of the report's own. Returns the path and the number of rows.
pub async fn download_result(
    s3: &aws_sdk_s3::Client,
    result: &str,
    columns: &[String],
    path: &Path,
    format: OutputFormat,
    replace: bool,
    cancel: &Cancel,
) -> Result<(String, u64)> {
    let uri = S3Uri::parse(result)?;
    crate::report::output::check_target(path, replace)?;
    let dir = path.parent().unwrap_or(Path::new("/"));
    let io = |e: std::io::Error| CoreError::Internal {
        detail: format!("{}: {e}", path.display()),
    };
    // The raw result lands in an anonymous temp file beside the target, then is re-encoded.
    let mut raw = tempfile::tempfile_in(dir).map_err(io)?;
    let got = s3
        .get_object()
        .bucket(&uri.bucket)
        .key(&uri.key)
        .send()
        .await
        .map_err(|e| errors::classify("s3:GetObject", e))?;
    let mut body = got.body;
    loop {
        let Some(next) = cancel.run_until_cancelled(body.try_next()).await else {
            return Err(CoreError::Cancelled {
                what: "the Athena result download; no file was written".into(),
            });
        };
        let chunk = next.map_err(|e| CoreError::Network {
            action: "s3:GetObject".into(),
            detail: e.to_string(),
        })?;
        let Some(chunk) = chunk else { break };
        raw.write_all(&chunk).map_err(io)?;
    }
    raw.rewind().map_err(io)?;
    let columns = columns.to_vec();
    let target = path.to_path_buf();
    tokio::task::spawn_blocking(move || reencode(raw, &columns, &target, format, replace))
        .await
        .map_err(|e| CoreError::Internal {
            detail: e.to_string(),
        })?
}

fn reencode(
    raw: impl Read,
    columns: &[String],
    path: &Path,
    format: OutputFormat,
    replace: bool,
) -> Result<(String, u64)> {
    let mut out = OutputFile::create(path, format, columns, replace)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(raw);
    let crlf = format == OutputFormat::ExcelCsv;
    let mut rows = 0u64;
    let mut buf = Vec::with_capacity(1 << 20);
    for record in reader.byte_records() {
        let record = record.map_err(|e| CoreError::invalid("Athena result", e.to_string()))?;
        for (i, f) in record.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            crate::report::rows::write_field(&mut buf, f);
        }
        buf.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
        rows += 1;
        if buf.len() >= 1 << 20 {
            out.write_rows(&buf)?;
            buf.clear();
        }
    }
    out.write_rows(&buf)?;
    if rows == 0 {
        return Err(CoreError::invalid(
            "filters",
            "the query returned no rows: nothing was written",
        ));
    }
    Ok((out.finish()?.display().to_string(), rows))
}
