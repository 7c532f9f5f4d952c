//! Sending one batch of a publish run: the PutRecords call with its retries, the ledger
//! marks for what the stream accepted, and the statistics and events the run reports.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use super::super::ledger::Ledger;
use super::super::send::{self, Entry, EntryResult, PutRecords, Retry};
use super::super::source::OutRecord;
use super::{
    now, record_size, EventKind, FirstRecord, LogEvent, PublishEvent, PublishStats, RecordFailure,
};
use crate::error::Result;
use crate::streams::StreamRef;

/// A run in progress: what it reports and the shards it wrote to.
pub(super) struct Run<'a> {
    pub(super) api: &'a dyn PutRecords,
    pub(super) retry: Retry,
    pub(super) on: &'a (dyn Fn(PublishEvent) + Send + Sync),
    pub(super) stats: PublishStats,
    pub(super) shards: BTreeSet<String>,
    pub(super) started: Instant,
    pub(super) started_at: String,
}

/// Where a batch is going and where its records came from.
pub(super) struct Target<'a> {
    pub(super) stream: &'a StreamRef,
    pub(super) stream_name: &'a str,
    pub(super) file: &'a Path,
    pub(super) name: &'a str,
}

impl Run<'_> {
    pub(super) fn log(&self, kind: EventKind, message: String) {
        (self.on)(PublishEvent::Log {
            event: LogEvent {
                at: now(),
                kind,
                message,
            },
        })
    }

    pub(super) fn report(&mut self) {
        if let Some(first) = self.stats.first.as_mut() {
            first.shards = self.shards.len() as u32;
        }
        self.stats.seconds = self.started.elapsed().as_secs_f64();
        self.stats.records_per_second = self.stats.sent / self.stats.seconds.max(1e-6);
        (self.on)(PublishEvent::Stats {
            stats: self.stats.clone(),
        });
    }

    /// Sends one batch and marks in the ledger what the stream accepted.
    pub(super) async fn send(
        &mut self,
        to: &Target<'_>,
        records: &[OutRecord],
        ledger: &mut Ledger,
    ) -> Result<()> {
        let entries: Vec<Entry> = records
            .iter()
            .map(|r| Entry {
                data: r.data.clone(),
                partition_key: r.partition_key.clone(),
            })
            .collect();
        let outcome = send::send_batch(self.api, to.stream, &entries, self.retry).await?;
        self.stats.retried += outcome.retried as f64;
        self.stats.throttled += outcome.throttled as f64;
        if outcome.throttled > 0 {
            self.log(
                EventKind::Throttled,
                format!(
                    "{} throttled {} calls; backing off",
                    to.stream_name, outcome.throttled
                ),
            );
        }
        if outcome.partial_failures > 0 {
            self.log(
                EventKind::PartialFailure,
                format!(
                    "a batch of {} to {} partly failed; failed entries retried alone",
                    entries.len(),
                    to.stream_name
                ),
            );
        }
        let entry = ledger.entry(to.stream_name, to.file);
        for (r, result) in records.iter().zip(outcome.results) {
            match result {
                Some(EntryResult::Accepted { shard, sequence }) => {
                    entry.accept(r.index);
                    self.stats.sent += 1.0;
                    self.stats.bytes += record_size(r) as f64;
                    if self
                        .stats
                        .first
                        .as_ref()
                        .is_none_or(|first| first.stream == to.stream_name)
                    {
                        self.shards.insert(shard.clone());
                    }
                    if self.stats.first.is_none() {
                        self.stats.first = Some(FirstRecord {
                            stream: to.stream_name.to_string(),
                            shard,
                            sequence,
                            shards: 1,
                            started_at: self.started_at.clone(),
                        });
                    }
                }
                Some(EntryResult::Failed { code, message }) => {
                    self.stats.failed += 1.0;
                    let logged = format!("{} line {}: {code} {message}", to.name, r.line);
                    if self.stats.failures.len() < 100 {
                        self.stats.failures.push(RecordFailure {
                            file: to.name.to_string(),
                            line: r.line as u32,
                            code,
                            message,
                        });
                    }
                    self.log(EventKind::Rejected, logged);
                }
                None => {}
            }
        }
        ledger.save()?;
        if let Some(e) = outcome.error {
            // What was accepted is in the ledger; the rest goes on the next run.
            return Err(e);
        }
        self.report();
        Ok(())
    }
}
