//! `sluice s3 ls | preview | get` and `sluice fix-gz`.

pub mod args;
mod print;

use std::path::PathBuf;
use std::sync::Arc;

use sluice_core::files::WrittenFiles;
use sluice_core::repair;
use sluice_core::s3::download::{
    self, Cancel, Conflict, DownloadEvent, DownloadOptions, FileOutcome,
};
use sluice_core::s3::listing::{self, ObjectEntry};
use sluice_core::s3::partitions;
use sluice_core::s3::preview::{self, PreviewLimits};
use sluice_core::s3::uri::S3Uri;
use sluice_core::{CoreError, Sluice};

use super::Outcome;
use crate::output::Output;
use args::{OnConflict, RangeArgs, S3Command};

fn range(args: &RangeArgs) -> Result<Option<(i64, i64)>, CoreError> {
    match (&args.from, &args.to) {
        (Some(f), Some(t)) => Ok(Some((
            partitions::parse_hour(f)?,
            partitions::parse_hour(t)?,
        ))),
        _ => Ok(None),
    }
}

/// The objects an `ls --recursive`, a range, or a prefix download covers.
async fn objects(
    s3: &aws_sdk_s3::Client,
    uri: &S3Uri,
    range: Option<(i64, i64)>,
) -> Result<Vec<ObjectEntry>, CoreError> {
    match range {
        Some((from, to)) => {
            let listed = listing::list_range(s3, &uri.bucket, &uri.key, from, to).await?;
            eprintln!(
                "{} objects in {} partitions ({} LIST calls)",
                listed.objects.len(),
                listed.prefixes.len(),
                listed.list_calls
            );
            Ok(listed.objects)
        }
        None => listing::list_all(s3, &uri.bucket, &uri.key, |_| {}).await,
    }
}

pub async fn run(
    sluice: &Sluice,
    out: &Output,
    connection: Option<&str>,
    cmd: &S3Command,
) -> Result<Outcome, CoreError> {
    match cmd {
        S3Command::Ls {
            uri,
            recursive,
            range: r,
        } => {
            let uri = S3Uri::parse(uri)?;
            let s3 = sluice.s3_client(connection).await?;
            let range = range(r)?;
            if *recursive || range.is_some() {
                out.objects(&objects(&s3, &uri, range).await?);
            } else {
                let mut token = None;
                loop {
                    let page =
                        listing::list_page(&s3, &uri.bucket, &uri.key, Some("/"), token, 1000)
                            .await?;
                    out.page(&page);
                    token = page.next_token;
                    if token.is_none() {
                        break;
                    }
                }
            }
        }
        S3Command::Preview { uri, rows } => {
            let uri = S3Uri::parse(uri)?;
            if uri.key.is_empty() || uri.key.ends_with('/') {
                return Err(CoreError::invalid("S3 URI", "name an object, not a prefix"));
            }
            let s3 = sluice.s3_client(connection).await?;
            let limits = PreviewLimits {
                rows: (*rows).clamp(1, 10_000),
                ..PreviewLimits::default()
            };
            let p = preview::preview_object(&s3, &uri.bucket, &uri.key, limits).await?;
            out.preview(&p);
        }
        S3Command::Get {
            uri,
            dest,
            recursive,
            decompress,
            on_conflict,
            concurrency,
            range: r,
        } => {
            let uri = S3Uri::parse(uri)?;
            let s3 = sluice.s3_client(connection).await?;
            let range = range(r)?;
            let prefix_job =
                *recursive || range.is_some() || uri.key.is_empty() || uri.key.ends_with('/');
            let (base, found): (String, Vec<(String, f64)>) = if prefix_job {
                let list = objects(&s3, &uri, range).await?;
                (
                    uri.key.clone(),
                    list.into_iter().map(|o| (o.key, o.size)).collect(),
                )
            } else {
                let head = s3
                    .head_object()
                    .bucket(&uri.bucket)
                    .key(&uri.key)
                    .send()
                    .await
                    .map_err(
                        |e| match sluice_core::aws::errors::classify("s3:GetObject", e) {
                            CoreError::NotFound { action, .. } => CoreError::NotFound {
                                action,
                                message: format!("no object {uri}; for a prefix add --recursive"),
                            },
                            other => other,
                        },
                    )?;
                let parent = uri
                    .key
                    .rsplit_once('/')
                    .map(|(p, _)| format!("{p}/"))
                    .unwrap_or_default();
                (
                    parent,
                    vec![(uri.key.clone(), head.content_length().unwrap_or(0) as f64)],
                )
            };
            let items = download::plan(dest, &base, &found);
            let cancel = Cancel::default();
            let on_ctrl_c = cancel.clone();
            super::on_ctrl_c(
                "cancelling: partial files are removed (Ctrl-C again to quit now)",
                move || on_ctrl_c.cancel(),
            );
            let total = items.len();
            let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
            let json = out.is_json();
            let progress = {
                let done = done.clone();
                Arc::new(move |event: DownloadEvent| {
                    if let DownloadEvent::Finished { key, outcome } = event {
                        let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                        if !json {
                            let what = match outcome {
                                FileOutcome::Written { path } => format!("→ {path}"),
                                FileOutcome::Skipped { path } => {
                                    format!("skipped, {path} exists (see --on-conflict)")
                                }
                                FileOutcome::Failed { message } => format!("FAILED: {message}"),
                                FileOutcome::Cancelled => "cancelled".into(),
                            };
                            eprintln!("[{n}/{total}] {key} {what}");
                        }
                    }
                })
            };
            let options = DownloadOptions {
                conflict: match on_conflict {
                    OnConflict::Skip => Conflict::Skip,
                    OnConflict::Rename => Conflict::Rename,
                    OnConflict::Overwrite => Conflict::Overwrite,
                },
                decompress: *decompress,
                concurrency: *concurrency,
                written: sluice.written_files(),
            };
            let summary =
                download::run(&s3, &uri.bucket, dest, items, options, cancel, progress).await?;
            out.download_summary(&summary);
            if summary.failed > 0 || summary.cancelled {
                return Ok(Outcome::CheckFailed);
            }
        }
    }
    Ok(Outcome::Done)
}

pub fn fix_gz(out: &Output, paths: &[PathBuf], dry_run: bool) -> Result<Outcome, CoreError> {
    // A command-line run opens nothing it wrote, so its written-files list is not kept.
    let report = repair::repair(paths, !dry_run, &WrittenFiles::default())?;
    out.repair(&report);
    Ok(Outcome::Done)
}
