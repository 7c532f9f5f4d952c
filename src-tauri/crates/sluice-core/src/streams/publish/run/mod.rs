//! A publish run: read the files, plan the batches (the dry run stops there), then send them
//! one at a time, keeping statistics and a bounded events log, and marking in the ledger
//! what each stream accepted.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::batch;
use super::dataminer::DataType;
use super::ledger::Ledger;
use super::send::{self, Entry, EntryResult, PutRecords, Retry};
use super::source::{self, FileRecords, PublishFormat, RowProblem};
use crate::error::{CoreError, Result};
use crate::jobs::Cancel;
use crate::streams::StreamRef;

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

fn read_all(req: &PublishRequest) -> Result<Vec<FileRecords>> {
    if req.paths.is_empty() {
        return Err(CoreError::invalid(
            "files",
            "choose at least one file or folder",
        ));
    }
    let paths: Vec<PathBuf> = req.paths.iter().map(|p| PathBuf::from(p.trim())).collect();
    source::expand(&paths)?
        .iter()
        .map(|p| {
            source::read_file(
                p,
                req.format,
                req.data_type,
                req.partition_key
                    .as_deref()
                    .filter(|t| !t.trim().is_empty()),
            )
        })
        .collect()
}

/// The dry run.
pub fn plan(req: &PublishRequest, ledger: &mut Ledger) -> Result<PublishPlan> {
    StreamRef::parse(&req.stream)?;
    let files = read_all(req)?;
    let mut plan = PublishPlan {
        files: Vec::new(),
        samples: Vec::new(),
        records: 0,
        batches: 0,
        bytes: 0.0,
        problems: Vec::new(),
        problem_count: 0,
    };
    for f in &files {
        let stream = req.stream_for(f.data_type).to_string();
        StreamRef::parse(&stream)?;
        let entry = ledger.entry(&stream, &f.path, f.records.len() as u64);
        let todo: Vec<_> = f
            .records
            .iter()
            .filter(|r| !entry.is_accepted(r.index))
            .collect();
        let sizes: Vec<usize> = todo
            .iter()
            .map(|r| r.data.len() + r.partition_key.len())
            .collect();
        plan.batches += batch::batches(&sizes).len() as u32;
        plan.records += todo.len() as u32;
        plan.bytes += sizes.iter().sum::<usize>() as f64;
        for r in todo.iter().take(5usize.saturating_sub(plan.samples.len())) {
            plan.samples.push(SampleRecord {
                stream: stream.clone(),
                partition_key: r.partition_key.clone(),
                data: String::from_utf8_lossy(&r.data).into_owned(),
            });
        }
        plan.problem_count += f.problems.len() as u32;
        plan.problems.extend(
            f.problems
                .iter()
                .take(200usize.saturating_sub(plan.problems.len()))
                .cloned(),
        );
        plan.files.push(PlannedFile {
            path: f.path.display().to_string(),
            data_type: f.data_type,
            stream,
            rows: f.rows as u32,
            records: f.records.len() as u32,
            already_sent: (f.records.len() - todo.len()) as u32,
            problems: f.problems.len() as u32,
        });
    }
    Ok(plan)
}

/// Sends everything not yet accepted. `on` gets statistics after each batch and every event.
pub async fn publish(
    api: &dyn PutRecords,
    req: &PublishRequest,
    ledger: &mut Ledger,
    retry: Retry,
    cancel: &Cancel,
    on: &(dyn Fn(PublishEvent) + Send + Sync),
) -> Result<PublishStats> {
    StreamRef::parse(&req.stream)?;
    let started = Instant::now();
    let started_at = now();
    let files = read_all(req)?;
    let mut stats = PublishStats {
        files: files.len() as u32,
        ..PublishStats::default()
    };
    let log = |kind: EventKind, message: String| {
        on(PublishEvent::Log {
            event: LogEvent {
                at: now(),
                kind,
                message,
            },
        })
    };
    log(EventKind::Started, format!("{} files", files.len()));
    let mut shards: BTreeSet<String> = BTreeSet::new();
    'files: for f in &files {
        let name = f.path.display().to_string();
        let stream_name = req.stream_for(f.data_type).to_string();
        let stream = StreamRef::parse(&stream_name)?;
        stats.rows += f.rows as f64;
        stats.records += f.records.len() as f64;
        stats.skipped_rows += f.problems.len() as f64;
        let todo: Vec<&source::OutRecord> = {
            let entry = ledger.entry(&stream_name, &f.path, f.records.len() as u64);
            f.records
                .iter()
                .filter(|r| !entry.is_accepted(r.index))
                .collect()
        };
        let sizes: Vec<usize> = todo
            .iter()
            .map(|r| r.data.len() + r.partition_key.len())
            .collect();
        for range in batch::batches(&sizes) {
            if cancel.is_cancelled() {
                stats.cancelled = true;
                log(
                    EventKind::Stopped,
                    format!("stopped before {name} was finished; run again to send the rest"),
                );
                break 'files;
            }
            let records = &todo[range];
            let entries: Vec<Entry> = records
                .iter()
                .map(|r| Entry {
                    data: r.data.clone(),
                    partition_key: r.partition_key.clone(),
                })
                .collect();
            let outcome = send::send_batch(api, &stream, &entries, retry).await?;
            stats.retried += outcome.retried as f64;
            stats.throttled += outcome.throttled as f64;
            if outcome.throttled > 0 {
                log(
                    EventKind::Throttled,
                    format!(
                        "{stream_name} throttled {} calls; backing off",
                        outcome.throttled
                    ),
                );
            }
            if outcome.partial_failures > 0 {
                log(EventKind::PartialFailure, format!("a batch of {} to {stream_name} partly failed; failed entries retried alone", entries.len()));
            }
            let entry = ledger.entry(&stream_name, &f.path, f.records.len() as u64);
            for (r, result) in records.iter().zip(outcome.results) {
                match result {
                    Some(EntryResult::Accepted { shard, sequence }) => {
                        entry.accept(r.index);
                        stats.sent += 1.0;
                        stats.bytes += (r.data.len() + r.partition_key.len()) as f64;
                        if stats
                            .first
                            .as_ref()
                            .is_none_or(|first| first.stream == stream_name)
                        {
                            shards.insert(shard.clone());
                        }
                        if stats.first.is_none() {
                            stats.first = Some(FirstRecord {
                                stream: stream_name.clone(),
                                shard,
                                sequence,
                                shards: 1,
                                started_at: started_at.clone(),
                            });
                        }
                    }
                    Some(EntryResult::Failed { code, message }) => {
                        stats.failed += 1.0;
                        if stats.failures.len() < 100 {
                            stats.failures.push(RecordFailure {
                                file: name.clone(),
                                line: r.line as u32,
                                code: code.clone(),
                                message: message.clone(),
                            });
                        }
                        log(
                            EventKind::Rejected,
                            format!("{name} line {}: {code} {message}", r.line),
                        );
                    }
                    None => {}
                }
            }
            ledger.save()?;
            if let Some(e) = outcome.error {
                // What was accepted is in the ledger; the rest goes on the next run.
                return Err(e);
            }
            if let Some(first) = stats.first.as_mut() {
                first.shards = shards.len() as u32;
            }
            stats.seconds = started.elapsed().as_secs_f64();
            stats.records_per_second = stats.sent / stats.seconds.max(1e-6);
            on(PublishEvent::Stats {
                stats: stats.clone(),
            });
        }
        if ledger
            .entry(&stream_name, &f.path, f.records.len() as u64)
            .done()
        {
            stats.files_done += 1;
            log(
                EventKind::FileDone,
                format!("{name}: every record accepted by {stream_name}"),
            );
        }
    }
    stats.seconds = started.elapsed().as_secs_f64();
    stats.records_per_second = stats.sent / stats.seconds.max(1e-6);
    if !stats.cancelled {
        log(
            EventKind::Finished,
            format!(
                "{} sent, {} failed, {} rows skipped",
                stats.sent, stats.failed, stats.skipped_rows
            ),
        );
    }
    on(PublishEvent::Stats {
        stats: stats.clone(),
    });
    Ok(stats)
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

#[cfg(test)]
mod tests;
