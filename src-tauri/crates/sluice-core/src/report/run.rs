//! The report pipeline: objects in partition order, a bounded number fetched and decoded at
//! once, their rows appended to one output in plan order.
//!
//! ```text
//! fetch (async, N at once) ─bytes→ decode (blocking thread each) ─1 MiB chunks→ writer (one thread)
//! ```
//!
//! Every channel is bounded, so a slow disk slows the network instead of filling memory, and
//! memory stays flat whatever the size of the range. The writer takes objects strictly in
//! order; the first failure (which object, which line) or a cancel stops everything, and the
//! unfinished `.part` file is deleted.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

use super::coverage::{Coverage, CoverageBuilder};
use super::output::OutputFile;
use super::plan::{self, ReportPlan};
use super::rows::{self, Chunk, ObjectStats, RowRules};
use super::sort::ExternalSort;
use super::spec::{OutputFormat, ReportSpec};
use crate::aws::errors;
use crate::error::{CoreError, Result};
use crate::jobs::Cancel;
use crate::s3::partitions::{self, UnixHour};

/// Where the rows go: a file, or nowhere (coverage only).
#[derive(Debug, Clone)]
pub enum Destination {
    File { path: PathBuf, replace: bool },
    Discard,
}

/// Progress, reported a few times a second.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReportProgress {
    pub objects_done: u32,
    pub objects: u32,
    pub bytes_done: f64,
    pub bytes: f64,
    pub rows: f64,
    /// Seconds left at the current rate, once there is a rate.
    pub eta_seconds: Option<f64>,
}

/// What a finished run did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReportResult {
    /// The file written; `None` for a coverage-only run.
    pub path: Option<String>,
    pub rows: f64,
    pub objects: u32,
    pub bytes: f64,
    pub missing_hours: Vec<String>,
    pub coverage: Coverage,
    pub seconds: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Objects fetched and decoded at once.
    pub concurrency: usize,
    /// Bytes of rows held in memory while sorting before a run spills to disk.
    pub sort_budget: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            concurrency: 6,
            sort_budget: 64 << 20,
        }
    }
}

enum Msg {
    Rows(Chunk),
    Done(ObjectStats),
    Failed(CoreError),
}

struct ObjectJob {
    key: String,
    hour: UnixHour,
    chunks: Receiver<Msg>,
}

/// A `Read` over body chunks arriving from the async fetch.
struct BodyReader {
    rx: tokio::sync::mpsc::Receiver<std::result::Result<bytes::Bytes, CoreError>>,
    current: bytes::Bytes,
    error: Option<CoreError>,
}

impl std::io::Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(b)) => self.current = b,
                Some(Err(e)) => {
                    let text = e.to_string();
                    self.error = Some(e);
                    return Err(std::io::Error::other(text));
                }
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        bytes::Buf::advance(&mut self.current, n);
        Ok(n)
    }
}

struct Shared {
    s3: aws_sdk_s3::Client,
    bucket: String,
    rules: RowRules,
    cancel: Cancel,
    bytes_done: AtomicU64,
    /// Set by the producer once every object was handed to the writer.
    all_sent: std::sync::atomic::AtomicBool,
}

/// Streams one object into its decoder; the decoder owns the concurrency permit.
async fn fetch(
    shared: Arc<Shared>,
    key: String,
    out: SyncSender<Msg>,
    permit: tokio::sync::OwnedSemaphorePermit,
) {
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    let decoder_shared = shared.clone();
    let decoder_key = key.clone();
    let decoder = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut body = BodyReader {
            rx,
            current: bytes::Bytes::new(),
            error: None,
        };
        let cancel = decoder_shared.cancel.clone();
        let sender = out.clone();
        let mut send = |c: Chunk| !cancel.is_cancelled() && sender.send(Msg::Rows(c)).is_ok();
        let msg = match rows::read_object(&mut body, &decoder_shared.rules, &mut send) {
            Ok(Some(stats)) => Msg::Done(stats),
            Ok(None) => return,
            Err(detail) => Msg::Failed(
                body.error
                    .take()
                    .unwrap_or_else(|| rows::object_error(&decoder_key, &detail)),
            ),
        };
        let _ = out.send(msg);
    });
    let sent = async {
        let got = shared
            .s3
            .get_object()
            .bucket(&shared.bucket)
            .key(&key)
            .send()
            .await;
        let mut body = match got {
            Ok(o) => o.body,
            Err(e) => {
                let _ = tx.send(Err(errors::classify("s3:GetObject", e))).await;
                return;
            }
        };
        loop {
            if shared.cancel.is_cancelled() {
                return;
            }
            match body.try_next().await {
                Ok(Some(b)) => {
                    shared
                        .bytes_done
                        .fetch_add(b.len() as u64, Ordering::Relaxed);
                    if tx.send(Ok(b)).await.is_err() {
                        return;
                    }
                }
                Ok(None) => return,
                Err(e) => {
                    let err = CoreError::Network {
                        action: format!("s3:GetObject {key}"),
                        detail: e.to_string(),
                    };
                    let _ = tx.send(Err(err)).await;
                    return;
                }
            }
        }
    };
    sent.await;
    drop(tx);
    let _ = decoder.await;
}

/// The rows' destination inside the writer thread.
enum Target {
    Direct(Option<OutputFile>),
    Sorted(OutputFile, ExternalSort),
}

struct Writer {
    target: Target,
    coverage: CoverageBuilder,
    rows: u64,
    objects_done: u32,
}

impl Writer {
    fn take(&mut self, chunk: &Chunk) -> Result<()> {
        self.rows += chunk.row_count;
        match &mut self.target {
            Target::Direct(Some(out)) => out.write_rows(&chunk.data),
            Target::Direct(None) => Ok(()),
            Target::Sorted(_, sorter) => {
                for r in &chunk.rows {
                    sorter
                        .push(
                            &chunk.data[r.key_start..r.key_end],
                            &chunk.data[r.start..r.end],
                        )
                        .map_err(|e| CoreError::Internal {
                            detail: format!("sorting: {e}"),
                        })?;
                }
                Ok(())
            }
        }
    }

    /// Puts the file in place, unless the run was cancelled first (checked after the merge too).
    fn finish(self, cancel: &Cancel) -> Result<(Option<PathBuf>, u64, CoverageBuilder)> {
        let cancelled = || CoreError::Cancelled {
            what: "the report; no file was written".into(),
        };
        let path = match self.target {
            Target::Direct(Some(_)) if cancel.is_cancelled() => return Err(cancelled()),
            Target::Direct(Some(out)) => Some(out.finish()?),
            Target::Direct(None) => None,
            Target::Sorted(mut out, sorter) => {
                let mut failed = None;
                let merged = sorter
                    .finish(&mut |line| {
                        if cancel.is_cancelled() {
                            return Err(std::io::Error::other("cancelled"));
                        }
                        out.write_rows(line).map_err(|e| {
                            let text = e.to_string();
                            failed = Some(e);
                            std::io::Error::other(text)
                        })
                    })
                    .map_err(|e| {
                        failed.take().unwrap_or(CoreError::Internal {
                            detail: format!("sorting: {e}"),
                        })
                    });
                if cancel.is_cancelled() {
                    return Err(cancelled());
                }
                merged?;
                Some(out.finish()?)
            }
        };
        Ok((path, self.rows, self.coverage))
    }
}

/// Runs a planned report. `progress` is called a few times a second.
pub async fn run(
    s3: &aws_sdk_s3::Client,
    spec: &ReportSpec,
    plan: &ReportPlan,
    destination: Destination,
    options: RunOptions,
    cancel: Cancel,
    progress: Arc<dyn Fn(ReportProgress) + Send + Sync>,
) -> Result<ReportResult> {
    let started = Instant::now();
    if plan.objects.is_empty() {
        return Err(plan::no_data(plan));
    }
    let from = partitions::parse_hour(&plan.from)?;
    let to = partitions::parse_hour(&plan.to)?;
    let hours = plan
        .objects
        .iter()
        .map(|o| partitions::parse_hour(&o.hour))
        .collect::<Result<Vec<_>>>()?;
    let rules = RowRules::new(spec, spec.format == OutputFormat::ExcelCsv);
    let target = match &destination {
        Destination::Discard => Target::Direct(None),
        Destination::File { path, replace } => {
            let out = OutputFile::create(path, spec.format, rules.columns(), *replace)?;
            if spec.sort_by_event_time {
                let dir = path.parent().unwrap_or(std::path::Path::new("/"));
                Target::Sorted(out, ExternalSort::new(dir, options.sort_budget))
            } else {
                Target::Direct(Some(out))
            }
        }
    };
    let shared = Arc::new(Shared {
        s3: s3.clone(),
        bucket: spec.bucket.clone(),
        rules,
        cancel: cancel.clone(),
        bytes_done: AtomicU64::new(0),
        all_sent: std::sync::atomic::AtomicBool::new(false),
    });
    let concurrency = options.concurrency.clamp(1, 32);
    let (jobs_tx, mut jobs_rx) = tokio::sync::mpsc::channel::<ObjectJob>(concurrency);
    let total_objects = plan.objects.len() as u32;
    let total_bytes = plan.bytes;
    let writer_shared = shared.clone();
    let range = format!("{} and {}", plan.from, plan.to);
    let writer = tokio::task::spawn_blocking(move || -> Result<_> {
        let mut w = Writer {
            target,
            coverage: CoverageBuilder::new(from, to),
            rows: 0,
            objects_done: 0,
        };
        let mut last_report = started
            .checked_sub(std::time::Duration::from_secs(1))
            .unwrap_or(started);
        // Progress at most every `ms` milliseconds.
        let report_every = |w: &Writer, ms: u128, last: &mut Instant| {
            if last.elapsed().as_millis() >= ms {
                *last = Instant::now();
                progress(snapshot(
                    w,
                    &writer_shared,
                    total_objects,
                    total_bytes,
                    started,
                ));
            }
        };
        let cancelled = || CoreError::Cancelled {
            what: "the report; no file was written".into(),
        };
        while let Some(job) = jobs_rx.blocking_recv() {
            loop {
                if writer_shared.cancel.is_cancelled() {
                    return Err(cancelled());
                }
                match job.chunks.recv() {
                    Ok(Msg::Rows(c)) => w.take(&c)?,
                    Ok(Msg::Done(stats)) => {
                        w.coverage.add(job.hour, &stats);
                        w.objects_done += 1;
                        // A finished object is worth a report sooner than a chunk.
                        report_every(&w, 50, &mut last_report);
                        break;
                    }
                    // After a cancel, an object cut short is not damaged: say it was cancelled.
                    Ok(Msg::Failed(_)) if writer_shared.cancel.is_cancelled() => {
                        return Err(cancelled())
                    }
                    Ok(Msg::Failed(e)) => return Err(e),
                    Err(_) if writer_shared.cancel.is_cancelled() => return Err(cancelled()),
                    Err(_) => {
                        return Err(CoreError::Internal {
                            detail: format!("reading {} stopped without a reason", job.key),
                        })
                    }
                }
                report_every(&w, 200, &mut last_report);
            }
        }
        if writer_shared.cancel.is_cancelled() {
            return Err(cancelled());
        }
        // The producer says when every object was handed over; a channel closed any other way
        // means the run stopped early, and its part file must not be put in place.
        if !writer_shared.all_sent.load(Ordering::SeqCst) {
            return Err(CoreError::Internal {
                detail: "the report stopped before every object was read; no file was written"
                    .into(),
            });
        }
        if w.rows == 0 && !matches!(w.target, Target::Direct(None)) {
            // Only a header so far: the part file is dropped, and nothing is replaced.
            return Err(CoreError::invalid(
                "filters",
                format!("no rows matched in {total_objects} objects between {range}: nothing was written"),
            ));
        }
        progress(snapshot(
            &w,
            &writer_shared,
            total_objects,
            total_bytes,
            started,
        ));
        w.finish(&writer_shared.cancel)
    });
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let mut handed_over = true;
    for (object, hour) in plan.objects.iter().zip(hours) {
        if cancel.is_cancelled() {
            handed_over = false;
            break;
        }
        let Ok(permit) = permits.clone().acquire_owned().await else {
            handed_over = false;
            break;
        };
        let (tx, rx) = sync_channel(4);
        let job = ObjectJob {
            key: object.key.clone(),
            hour,
            chunks: rx,
        };
        if jobs_tx.send(job).await.is_err() {
            handed_over = false;
            break; // The writer stopped: its error is the answer.
        }
        tokio::spawn(fetch(shared.clone(), object.key.clone(), tx, permit));
    }
    shared.all_sent.store(handed_over, Ordering::SeqCst);
    drop(jobs_tx);
    let (path, rows, coverage) = writer.await.map_err(|e| CoreError::Internal {
        detail: e.to_string(),
    })??;
    Ok(ReportResult {
        path: path.map(|p| p.display().to_string()),
        rows: rows as f64,
        objects: total_objects,
        bytes: shared.bytes_done.load(Ordering::Relaxed) as f64,
        missing_hours: plan.missing_hours.clone(),
        coverage: coverage.finish(plan.missing_hours.clone()),
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn snapshot(
    w: &Writer,
    shared: &Shared,
    objects: u32,
    bytes: f64,
    started: Instant,
) -> ReportProgress {
    let done = shared.bytes_done.load(Ordering::Relaxed) as f64;
    let secs = started.elapsed().as_secs_f64();
    let eta = (done > 0.0 && secs > 0.5).then(|| ((bytes - done).max(0.0)) / (done / secs));
    ReportProgress {
        objects_done: w.objects_done,
        objects,
        bytes_done: done,
        bytes,
        rows: w.rows as f64,
        eta_seconds: eta,
    }
}
