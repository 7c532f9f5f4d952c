//! Downloads: one object, a selection, a prefix or a date range into a chosen folder.
//!
//! Every file is written to a fresh `.<name>.<random>.part` and moved into place only when
//! complete, so a failure or a cancel never leaves a partial file under the real name (and
//! the part file itself is deleted). Keys are mapped to paths with
//! [`super::local_path`], so nothing is written outside the folder. An existing file is never
//! replaced unless the caller chose [`Conflict::Overwrite`]. Optionally gzip is decompressed
//! on the fly and the result named for what it contains.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::local_path;
use crate::aws::errors;
use crate::decode::sniff::{self, Container};
use crate::error::{CoreError, Result};
use crate::files::WrittenFiles;

/// What to do when the target file already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Conflict {
    Skip,
    Rename,
    Overwrite,
}

pub use crate::jobs::Cancel;

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

#[derive(Debug, Clone)]
pub struct DownloadOptions {
    pub conflict: Conflict,
    pub decompress: bool,
    pub concurrency: usize,
    /// Where each file put in place is remembered (so the desktop may open it).
    pub written: Arc<WrittenFiles>,
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
/// Folder markers (keys ending in `/`) are skipped; keys that clean up to the same local
/// name get distinct names (`name~2.ext`), so two downloads never share a file.
pub fn plan(dest: &Path, base_prefix: &str, objects: &[(String, f64)]) -> Vec<DownloadItem> {
    let mut taken = std::collections::HashSet::new();
    objects
        .iter()
        .filter(|(key, _)| !key.ends_with('/'))
        .map(|(key, size)| {
            let base = local_path::relative_path(key, base_prefix);
            let mut rel = base.clone();
            let mut n = 1;
            // Case-insensitive: macOS and Windows folders treat A.csv and a.csv as one file.
            while !taken.insert(rel.to_string_lossy().to_lowercase()) {
                n += 1;
                let stem = base
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let ext = base
                    .extension()
                    .map(|e| format!(".{}", e.to_string_lossy()))
                    .unwrap_or_default();
                rel = base.with_file_name(format!("{stem}~{n}{ext}"));
            }
            DownloadItem {
                key: key.clone(),
                size: *size,
                exists: dest.join(&rel).exists(),
                relative_path: rel.to_string_lossy().into_owned(),
            }
        })
        .collect()
}

/// A fresh `.<name>.<random>.part` next to the target: never an existing file, and deleted
/// automatically unless it is moved into place.
fn part_file(target: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".part")
        .tempfile_in(dir)
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
    Plain(tempfile::NamedTempFile),
    Gzip(Box<flate2::write::MultiGzDecoder<tempfile::NamedTempFile>>),
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
        // On every path but a successful move, dropping the part file deletes it.
        match self.write_part(item, &target, progress).await {
            Ok(Some((part, final_name))) => self.place(part, &final_name),
            Ok(None) => FileOutcome::Cancelled,
            Err(e) => FileOutcome::Failed {
                message: e.to_string(),
            },
        }
    }

    /// Streams the object into a new part file; returns it and the final name, or `None`
    /// when cancelled.
    async fn write_part(
        &self,
        item: &DownloadItem,
        target: &Path,
        progress: &(dyn Fn(DownloadEvent) + Send + Sync),
    ) -> Result<Option<(tempfile::NamedTempFile, PathBuf)>> {
        let io = |e: std::io::Error| CoreError::Internal {
            detail: format!("{}: {e}", target.display()),
        };
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
        let mut file = Some(part_file(target).map_err(io)?);
        let mut sink: Option<Sink> = None;
        let mut pending: Vec<u8> = Vec::new();
        let mut sample: Vec<u8> = Vec::new();
        let mut done = 0usize;
        let mut last_report = 0usize;
        loop {
            // A cancel ends the wait for the next chunk at once.
            let Some(next) = self.cancel.run_until_cancelled(body.try_next()).await else {
                return Ok(None);
            };
            let chunk = next.map_err(|e| CoreError::Network {
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
        let (part, name) = match sink {
            Some(Sink::Gzip(d)) => {
                let f = (*d).finish().map_err(|e| bad_data(item, &e))?;
                (f, decompressed_name(target, &gunzip_prefix(&sample)))
            }
            Some(Sink::Plain(f)) => (f, target.to_path_buf()),
            None => {
                return Err(CoreError::Internal {
                    detail: "nothing was written".into(),
                })
            }
        };
        part.as_file().sync_all().map_err(io)?;
        progress(DownloadEvent::Bytes {
            key: item.key.clone(),
            done: done as f64,
            total,
        });
        Ok(Some((part, name)))
    }

    /// Moves the finished part file into place. Skip and Rename never replace a file, not
    /// even one that appeared meanwhile: the move fails rather than overwrite.
    fn place(&self, part: tempfile::NamedTempFile, target: &Path) -> FileOutcome {
        let mut part = part;
        let mut candidate = target.to_path_buf();
        loop {
            let replace = self.options.conflict == Conflict::Overwrite;
            let moved = crate::files::place::persist(part, &candidate, replace);
            match moved {
                Ok(_) => {
                    self.options.written.remember(&candidate);
                    return FileOutcome::Written {
                        path: candidate.display().to_string(),
                    };
                }
                Err(e)
                    if e.error.kind() == std::io::ErrorKind::AlreadyExists
                        && self.options.conflict == Conflict::Rename =>
                {
                    part = e.file;
                    candidate = crate::files::names::free_name(target);
                }
                // The part file inside the error is dropped, and with it deleted.
                Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                    return FileOutcome::Skipped {
                        path: candidate.display().to_string(),
                    }
                }
                Err(e) => {
                    return FileOutcome::Failed {
                        message: crate::files::place::place_error(&candidate, &e.error).to_string(),
                    }
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
    let concurrency = options.concurrency.clamp(1, 16);
    let job = Arc::new(Job {
        s3: s3.clone(),
        bucket: bucket.to_string(),
        dest: dest.to_path_buf(),
        options,
        cancel: cancel.clone(),
    });
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
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
            FileOutcome::Written { path } => {
                summary.written += 1;
                summary.bytes += std::fs::metadata(path).map_or(item.size, |m| m.len() as f64);
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
