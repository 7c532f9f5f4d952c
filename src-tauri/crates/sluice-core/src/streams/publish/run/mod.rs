//! A publish run: read the files, plan the batches (the dry run stops there), then send them
//! one at a time, keeping statistics and a bounded events log, and marking in the ledger
//! what each stream accepted.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::batch::Batcher;
use super::dataminer::DataType;
use super::ledger::Ledger;
use super::send::{PutRecords, Retry};
use super::source::{self, FileStream, Item, OutRecord, PublishFormat, RowProblem};
use crate::error::{CoreError, Result};
use crate::jobs::Cancel;
use crate::streams::StreamRef;
use sending::{Run, Target};

/// A stream for each offload type; unset types go to the request's `stream`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TypeStreams {
    #[serde(default)]
    pub data: Option<String>,
    #[serde(default)]
    pub data_avg: Option<String>,
    #[serde(default)]
    pub alarm: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PublishRequest {
    #[serde(default)]
    pub connection: Option<String>,
    /// Files or folders.
    pub paths: Vec<String>,
    pub format: PublishFormat,
    /// Read every offload file as this type (else: header row, then file name).
    #[serde(default)]
    pub data_type: Option<DataType>,
    /// The stream (name or ARN) for records whose type has no stream of its own.
    pub stream: String,
    #[serde(default)]
    pub streams: TypeStreams,
    /// `{FIELD}` template; default `{DMAID}/{EID}/{PID}` (Alarm `{DMAID}/{ALARMID}`).
    #[serde(default)]
    pub partition_key: Option<String>,
}

impl PublishRequest {
    fn stream_for(&self, t: Option<DataType>) -> &str {
        let own = match t {
            Some(DataType::Data) => self.streams.data.as_deref(),
            Some(DataType::DataAvg) => self.streams.data_avg.as_deref(),
            Some(DataType::Alarm) => self.streams.alarm.as_deref(),
            None => None,
        };
        own.filter(|s| !s.trim().is_empty())
            .unwrap_or(&self.stream)
            .trim()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PlannedFile {
    pub path: String,
    pub data_type: Option<DataType>,
    pub stream: String,
    pub rows: u32,
    pub records: u32,
    /// Records this stream already accepted in an earlier run (skipped now).
    pub already_sent: u32,
    pub problems: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SampleRecord {
    pub stream: String,
    pub partition_key: String,
    pub data: String,
}

/// The dry run: what would be sent, and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PublishPlan {
    pub files: Vec<PlannedFile>,
    pub samples: Vec<SampleRecord>,
    pub records: u32,
    pub batches: u32,
    pub bytes: f64,
    /// The first 200 rows that cannot be sent.
    pub problems: Vec<RowProblem>,
    pub problem_count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RecordFailure {
    pub file: String,
    pub line: u32,
    pub code: String,
    pub message: String,
}

/// Where the first record of the run landed, for reading it back.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FirstRecord {
    pub stream: String,
    pub shard: String,
    pub sequence: String,
    /// Shards this run wrote to in that stream: with one, the sequence number is the start.
    pub shards: u32,
    /// When the run started (RFC 3339), the start for a stream of several shards.
    pub started_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PublishStats {
    pub files: u32,
    pub files_done: u32,
    pub rows: f64,
    pub records: f64,
    pub sent: f64,
    pub failed: f64,
    pub retried: f64,
    pub throttled: f64,
    pub skipped_rows: f64,
    pub bytes: f64,
    pub records_per_second: f64,
    pub seconds: f64,
    /// The size of every file to read, and how much of it is read: the progress.
    pub input_bytes: f64,
    pub input_read: f64,
    pub cancelled: bool,
    pub first: Option<FirstRecord>,
    /// The first 100 records that were finally rejected.
    pub failures: Vec<RecordFailure>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum EventKind {
    Started,
    FileDone,
    PartialFailure,
    Throttled,
    Rejected,
    Stopped,
    Finished,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LogEvent {
    pub at: String,
    pub kind: EventKind,
    pub message: String,
}

/// What a running publish reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum PublishEvent {
    Stats { stats: PublishStats },
    Log { event: LogEvent },
}

fn now() -> String {
    aws_smithy_types::DateTime::from(std::time::SystemTime::now())
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default()
}

/// The files to read, in a repeatable order.
fn files(req: &PublishRequest) -> Result<Vec<PathBuf>> {
    if req.paths.is_empty() {
        return Err(CoreError::invalid(
            "files",
            "choose at least one file or folder",
        ));
    }
    let paths: Vec<PathBuf> = req.paths.iter().map(|p| PathBuf::from(p.trim())).collect();
    source::expand(&paths)
}

fn open(req: &PublishRequest, path: &Path) -> Result<FileStream> {
    FileStream::open(
        path,
        req.format,
        req.data_type,
        req.partition_key
            .as_deref()
            .filter(|t| !t.trim().is_empty()),
    )
}

fn record_size(r: &OutRecord) -> usize {
    r.data.len() + r.partition_key.len()
}

/// The dry run: every file is read once, a record at a time, and nothing is kept but the
/// counts, five samples and the first 200 problems.
pub fn plan(req: &PublishRequest, ledger: &mut Ledger) -> Result<PublishPlan> {
    StreamRef::parse(&req.stream)?;
    let mut plan = PublishPlan {
        files: Vec::new(),
        samples: Vec::new(),
        records: 0,
        batches: 0,
        bytes: 0.0,
        problems: Vec::new(),
        problem_count: 0,
    };
    for path in files(req)? {
        let mut f = open(req, &path)?;
        let stream = req.stream_for(f.data_type).to_string();
        StreamRef::parse(&stream)?;
        let sent_before = ledger.entry(&stream, &path).clone();
        let (mut todo, mut problems) = (0u32, 0u32);
        let mut batcher = Batcher::default();
        while let Some(item) = f.next_item()? {
            match item {
                Item::Record(r) if sent_before.is_accepted(r.index) => {}
                Item::Record(r) => {
                    todo += 1;
                    let size = record_size(&r);
                    if !batcher.fits(size) {
                        plan.batches += 1;
                        batcher.clear();
                    }
                    batcher.add(size);
                    plan.bytes += size as f64;
                    if plan.samples.len() < 5 {
                        plan.samples.push(SampleRecord {
                            stream: stream.clone(),
                            partition_key: r.partition_key,
                            data: String::from_utf8_lossy(&r.data).into_owned(),
                        });
                    }
                }
                Item::Problem(p) => {
                    problems += 1;
                    if plan.problems.len() < 200 {
                        plan.problems.push(p);
                    }
                }
            }
        }
        if !batcher.is_empty() {
            plan.batches += 1;
        }
        plan.records += todo;
        plan.problem_count += problems;
        plan.files.push(PlannedFile {
            path: path.display().to_string(),
            data_type: f.data_type,
            stream,
            rows: f.rows as u32,
            records: f.records as u32,
            already_sent: (f.records as u32).saturating_sub(todo),
            problems,
        });
    }
    Ok(plan)
}

/// Sends everything not yet accepted, a file at a time and a batch at a time: memory holds
/// one batch, whatever the size of the folder. `on` gets statistics after each batch and
/// every event.
pub async fn publish(
    api: &dyn PutRecords,
    req: &PublishRequest,
    ledger: &mut Ledger,
    retry: Retry,
    cancel: &Cancel,
    on: &(dyn Fn(PublishEvent) + Send + Sync),
) -> Result<PublishStats> {
    StreamRef::parse(&req.stream)?;
    let paths = files(req)?;
    let input_bytes: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let mut run = Run {
        api,
        retry,
        on,
        stats: PublishStats {
            files: paths.len() as u32,
            input_bytes: input_bytes as f64,
            ..PublishStats::default()
        },
        shards: BTreeSet::new(),
        started: Instant::now(),
        started_at: now(),
    };
    run.log(EventKind::Started, format!("{} files", paths.len()));
    let (mut rows_before, mut read_before) = (0.0, 0.0);
    'files: for path in &paths {
        let mut f = open(req, path)?;
        let name = path.display().to_string();
        let stream_name = req.stream_for(f.data_type).to_string();
        let stream = StreamRef::parse(&stream_name)?;
        let to = Target {
            stream: &stream,
            stream_name: &stream_name,
            file: path,
            name: &name,
        };
        let sent_before = ledger.entry(&stream_name, path).clone();
        let mut pending: Vec<OutRecord> = Vec::new();
        let mut batcher = Batcher::default();
        loop {
            let record = match f.next_item()? {
                None => None,
                Some(Item::Problem(_)) => {
                    run.stats.skipped_rows += 1.0;
                    continue;
                }
                Some(Item::Record(r)) => {
                    run.stats.records += 1.0;
                    if sent_before.is_accepted(r.index) {
                        continue;
                    }
                    Some(r)
                }
            };
            run.stats.rows = rows_before + f.rows as f64;
            run.stats.input_read = read_before + f.bytes_read as f64;
            let size = record.as_ref().map_or(0, record_size);
            let flush = match record {
                None => !batcher.is_empty(),
                Some(_) => !batcher.fits(size),
            };
            if flush {
                if cancel.is_cancelled() {
                    run.stats.cancelled = true;
                    run.log(
                        EventKind::Stopped,
                        format!("stopped before {name} was finished; run again to send the rest"),
                    );
                    break 'files;
                }
                run.send(&to, &pending, ledger).await?;
                pending.clear();
                batcher.clear();
            }
            match record {
                None => break,
                Some(r) => {
                    batcher.add(size);
                    pending.push(r);
                }
            }
        }
        rows_before += f.rows as f64;
        read_before += std::fs::metadata(path).map_or(f.bytes_read, |m| m.len()) as f64;
        run.stats.rows = rows_before;
        run.stats.input_read = read_before;
        let entry = ledger.entry(&stream_name, path);
        entry.records = f.records;
        if entry.done() {
            run.stats.files_done += 1;
            run.log(
                EventKind::FileDone,
                format!("{name}: every record accepted by {stream_name}"),
            );
        }
        ledger.save()?;
    }
    if !run.stats.cancelled {
        run.log(
            EventKind::Finished,
            format!(
                "{} sent, {} failed, {} rows skipped",
                run.stats.sent, run.stats.failed, run.stats.skipped_rows
            ),
        );
    }
    run.report();
    Ok(run.stats)
}

/// The events log as CSV.
pub fn events_csv(events: &[LogEvent]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["at", "kind", "message"]);
    for e in events {
        let kind = serde_json::to_value(e.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = w.write_record([e.at.as_str(), kind.as_str(), e.message.as_str()]);
    }
    w.into_inner().unwrap_or_default()
}

mod sending;

#[cfg(test)]
mod tests;
