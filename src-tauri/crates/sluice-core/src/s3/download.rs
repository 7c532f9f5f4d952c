//! Downloads: one object, a selection, a prefix or a date range into a chosen folder.
//!
//! Every file is written to `<name>.part` and renamed only when complete, so a failure or a
//! cancel never leaves a partial file under the real name. Keys are mapped to paths with
//! [`super::local_path`], so nothing is written outside the folder. An existing file is never
//! replaced unless the caller chose [`Conflict::Overwrite`]. Optionally gzip is decompressed
//! on the fly and the result named for what it contains.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::local_path;
use super::sniff::{self, Container};
use crate::aws::errors;
use crate::error::{CoreError, Result};

/// What to do when the target file already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Conflict {
    Skip,
    Rename,
    Overwrite,
}

/// A shared cancel switch for a running job.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// One object to fetch and where it goes (relative to the destination folder).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DownloadItem {
    pub key: String,
    pub size: f64,
    pub relative_path: String,
    /// Whether a file with that name is already there.
    pub exists: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct DownloadOptions {
    pub conflict: Conflict,
    pub decompress: bool,
    pub concurrency: usize,
}

/// Progress, as the job goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", tag = "event")]
pub enum DownloadEvent {
    Bytes { key: String, done: f64, total: f64 },
    Finished { key: String, outcome: FileOutcome },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum FileOutcome {
    Written { path: String },
    Skipped { path: String },
    Failed { message: String },
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DownloadSummary {
    pub written: u32,
    pub skipped: u32,
    pub failed: u32,
    pub cancelled: bool,
    pub bytes: f64,
    pub outcomes: Vec<(String, FileOutcome)>,
}

/// Maps keys to items under `dest` (stripping `base_prefix`) and marks existing files.
pub fn plan(dest: &Path, base_prefix: &str, objects: &[(String, f64)]) -> Vec<DownloadItem> {
    objects
        .iter()
        .map(|(key, size)| {
            let rel = local_path::relative_path(key, base_prefix);
            DownloadItem {
                key: key.clone(),
                size: *size,
                exists: dest.join(&rel).exists(),
                relative_path: rel.to_string_lossy().into_owned(),
            }
        })
        .collect()
}

fn part_path(target: &Path) -> PathBuf {
    let mut name = target
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".part");
    target.with_file_name(name)
}

/// The name a decompressed file should have: `.gz` dropped, the content's extension added
/// when the name does not already say it.
pub fn decompressed_name(target: &Path, sample: &[u8]) -> PathBuf {
    let stripped = match target.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("gz") => target.with_extension(""),
        _ => target.to_path_buf(),
    };
    let ext = sniff::content(sample).extension();
    let has = stripped
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext));
    if has {
        stripped
    } else {
        let mut name = stripped
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(format!(".{ext}"));
        stripped.with_file_name(name)
    }
}

enum Sink {
    Plain(std::fs::File),
    Gzip(Box<flate2::write::MultiGzDecoder<std::fs::File>>),
}

struct Job {
    s3: aws_sdk_s3::Client,
    bucket: String,
    dest: PathBuf,
    options: DownloadOptions,
    cancel: Cancel,
}

impl Job {
    async fn fetch(
        &self,
        item: &DownloadItem,
        progress: &(dyn Fn(DownloadEvent) + Send + Sync),
    ) -> FileOutcome {
        let Some(target) = local_path::inside(&self.dest, Path::new(&item.relative_path)) else {
            return FileOutcome::Failed {
                message: format!("{}: unsafe local path", item.key),
            };
        };
        if self.options.conflict == Conflict::Skip && target.exists() && !self.options.decompress {
            return FileOutcome::Skipped {
                path: target.display().to_string(),
            };
        }
        let part = part_path(&target);
        match self.write_part(item, &target, &part, progress).await {
            Ok(Some(final_name)) => self.place(&part, &final_name),
            Ok(None) => {
                let _ = std::fs::remove_file(&part);
                FileOutcome::Cancelled
            }
            Err(e) => {
                let _ = std::fs::remove_file(&part);
                FileOutcome::Failed {
                    message: e.to_string(),
                }
            }
        }
    }

    /// Streams the object into `part`; returns the final name, or `None` when cancelled.
    async fn write_part(
        &self,
        item: &DownloadItem,
        target: &Path,
        part: &Path,
        progress: &(dyn Fn(DownloadEvent) + Send + Sync),
    ) -> Result<Option<PathBuf>> {
        let io = |e: std::io::Error| CoreError::Internal {
            detail: format!("{}: {e}", part.display()),
        };
        if let Some(dir) = part.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let out = self
            .s3
            .get_object()
            .bucket(&self.bucket)
            .key(&item.key)
            .send()
            .await
            .map_err(|e| errors::classify("s3:GetObject", e))?;
        let total = out.content_length().unwrap_or(0).max(0) as f64;
        let mut body = out.body;
        let file = std::fs::File::create(part).map_err(io)?;
        let mut sink: Option<Sink> = None;
        let mut pending: Vec<u8> = Vec::new();
        let mut sample: Vec<u8> = Vec::new();
        let mut done = 0usize;
        let mut file = Some(file);
        let mut last_report = 0usize;
        loop {
            if self.cancel.is_cancelled() {
                return Ok(None);
            }
            let chunk = body.try_next().await.map_err(|e| CoreError::Network {
                action: "s3:GetObject".into(),
                detail: e.to_string(),
            })?;
            let Some(chunk) = chunk else { break };
            done += chunk.len();
            if sink.is_none() {
                pending.extend_from_slice(&chunk);
                if pending.len() < 2 {
                    continue;
                }
                let f = file.take().ok_or_else(|| CoreError::Internal {
                    detail: "file already used".into(),
                })?;
                let gz = self.options.decompress && sniff::container(&pending) == Container::Gzip;
                sink = Some(if gz {
                    Sink::Gzip(Box::new(flate2::write::MultiGzDecoder::new(f)))
                } else {
                    Sink::Plain(f)
                });
                let data = std::mem::take(&mut pending);
                write_sink(sink.as_mut(), &data, &mut sample).map_err(|e| bad_data(item, &e))?;
            } else {
                write_sink(sink.as_mut(), &chunk, &mut sample).map_err(|e| bad_data(item, &e))?;
            }
            if done - last_report >= 256 * 1024 {
                last_report = done;
                progress(DownloadEvent::Bytes {
                    key: item.key.clone(),
                    done: done as f64,
                    total,
                });
            }
        }
        if sink.is_none() {
            // Objects of 0 or 1 byte.
            let f = file.take().ok_or_else(|| CoreError::Internal {
                detail: "file already used".into(),
            })?;
            sink = Some(Sink::Plain(f));
            write_sink(sink.as_mut(), &pending, &mut sample).map_err(|e| bad_data(item, &e))?;
        }
        let gz = matches!(sink, Some(Sink::Gzip(_)));
        match sink {
            Some(Sink::Gzip(d)) => {
                let f = (*d).finish().map_err(|e| bad_data(item, &e))?;
                f.sync_all().map_err(io)?;
            }
            Some(Sink::Plain(f)) => f.sync_all().map_err(io)?,
            None => {}
        }
        progress(DownloadEvent::Bytes {
            key: item.key.clone(),
            done: done as f64,
            total,
        });
        Ok(Some(if gz {
            decompressed_name(target, &gunzip_prefix(&sample))
        } else {
            target.to_path_buf()
        }))
    }

    /// Renames the finished `.part` into place, honouring the conflict choice.
    fn place(&self, part: &Path, target: &Path) -> FileOutcome {
        let final_path = if target.exists() {
            match self.options.conflict {
                Conflict::Skip => {
                    let _ = std::fs::remove_file(part);
                    return FileOutcome::Skipped {
                        path: target.display().to_string(),
                    };
                }
                Conflict::Rename => local_path::free_name(target),
                Conflict::Overwrite => target.to_path_buf(),
            }
        } else {
            target.to_path_buf()
        };
        match std::fs::rename(part, &final_path) {
            Ok(()) => FileOutcome::Written {
                path: final_path.display().to_string(),
            },
            Err(e) => {
                let _ = std::fs::remove_file(part);
                FileOutcome::Failed {
                    message: format!("{}: {e}", final_path.display()),
                }
            }
        }
    }
}

fn write_sink(sink: Option<&mut Sink>, data: &[u8], sample: &mut Vec<u8>) -> std::io::Result<()> {
    match sink {
        Some(Sink::Plain(f)) => f.write_all(data),
        Some(Sink::Gzip(d)) => {
            d.write_all(data)?;
            if sample.len() < 64 * 1024 {
                // The decoder writes straight to the file; keep a copy of the first plain bytes
                // by decoding the sample separately.
                sample.extend_from_slice(data);
            }
            Ok(())
        }
        None => Ok(()),
    }
}

/// The first plain bytes of a (possibly cut) gzip stream, for naming the result.
fn gunzip_prefix(compressed: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    let _ = flate2::read::MultiGzDecoder::new(compressed)
        .take(64 * 1024)
        .read_to_end(&mut out);
    out
}

fn bad_data(item: &DownloadItem, e: &std::io::Error) -> CoreError {
    CoreError::invalid(format!("gzip data in {}", item.key), e.to_string())
}

/// Runs the downloads with at most `options.concurrency` at once.
pub async fn run(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    dest: &Path,
    items: Vec<DownloadItem>,
    options: DownloadOptions,
    cancel: Cancel,
    progress: Arc<dyn Fn(DownloadEvent) + Send + Sync>,
) -> Result<DownloadSummary> {
    std::fs::create_dir_all(dest).map_err(|e| {
        CoreError::invalid("destination folder", format!("{}: {e}", dest.display()))
    })?;
    let job = Arc::new(Job {
        s3: s3.clone(),
        bucket: bucket.to_string(),
        dest: dest.to_path_buf(),
        options,
        cancel: cancel.clone(),
    });
    let permits = Arc::new(tokio::sync::Semaphore::new(
        options.concurrency.clamp(1, 16),
    ));
    let mut set = tokio::task::JoinSet::new();
    for item in items {
        let job = job.clone();
        let permits = permits.clone();
        let progress = progress.clone();
        set.spawn(async move {
            let _permit = permits.acquire_owned().await;
            let outcome = if job.cancel.is_cancelled() {
                FileOutcome::Cancelled
            } else {
                job.fetch(&item, progress.as_ref()).await
            };
            progress(DownloadEvent::Finished {
                key: item.key.clone(),
                outcome: outcome.clone(),
            });
            (item, outcome)
        });
    }
    let mut summary = DownloadSummary {
        written: 0,
        skipped: 0,
        failed: 0,
        cancelled: false,
        bytes: 0.0,
        outcomes: Vec::new(),
    };
    while let Some(joined) = set.join_next().await {
        let (item, outcome) = joined.map_err(|e| CoreError::Internal {
            detail: e.to_string(),
        })?;
        match &outcome {
            FileOutcome::Written { .. } => {
                summary.written += 1;
                summary.bytes += item.size;
            }
            FileOutcome::Skipped { .. } => summary.skipped += 1,
            FileOutcome::Failed { .. } => summary.failed += 1,
            FileOutcome::Cancelled => summary.cancelled = true,
        }
        summary.outcomes.push((item.key, outcome));
    }
    summary.outcomes.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(summary)
}
