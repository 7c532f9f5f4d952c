//! Sending batches with PutRecords. A call the service throttles is retried whole; the
//! entries that failed inside a partly failed batch are retried alone — never the accepted
//! ones — with jittered backoff, up to a limit, then reported with their error code. One
//! batch is in flight at a time, so Cancel stops after it.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::aws::errors;
use crate::error::{CoreError, Result};
use crate::streams::shard::jitter;
use crate::streams::StreamRef;

/// One entry of a PutRecords call.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub data: Vec<u8>,
    pub partition_key: String,
}

/// What the service said about one entry.
#[derive(Debug, Clone, PartialEq)]
pub enum EntryResult {
    Accepted { shard: String, sequence: String },
    Failed { code: String, message: String },
}

/// Why a whole call failed.
#[derive(Debug)]
pub enum CallError {
    Throttled,
    Other(CoreError),
}

pub type CallFuture<'a> =
    Pin<Box<dyn Future<Output = std::result::Result<Vec<EntryResult>, CallError>> + Send + 'a>>;

/// PutRecords, as the sender needs it: the real client, or a fake in tests.
pub trait PutRecords: Send + Sync {
    fn put<'a>(&'a self, stream: &'a StreamRef, entries: &'a [Entry]) -> CallFuture<'a>;
}

impl PutRecords for aws_sdk_kinesis::Client {
    fn put<'a>(&'a self, stream: &'a StreamRef, entries: &'a [Entry]) -> CallFuture<'a> {
        Box::pin(async move {
            let records = entries
                .iter()
                .map(|e| {
                    aws_sdk_kinesis::types::PutRecordsRequestEntry::builder()
                        .data(aws_smithy_types::Blob::new(e.data.clone()))
                        .partition_key(&e.partition_key)
                        .build()
                        .map_err(|e| {
                            CallError::Other(CoreError::Internal {
                                detail: e.to_string(),
                            })
                        })
                })
                .collect::<std::result::Result<Vec<_>, _>>()?;
            let out = self
                .put_records()
                .set_stream_name(stream.name().map(str::to_string))
                .set_stream_arn(stream.arn().map(str::to_string))
                .set_records(Some(records))
                .send()
                .await
                .map_err(|e| {
                    let code = e.code().unwrap_or_default().to_string();
                    if code == "ProvisionedThroughputExceededException"
                        || code == "LimitExceededException"
                    {
                        CallError::Throttled
                    } else {
                        CallError::Other(errors::classify("kinesis:PutRecords", e))
                    }
                })?;
            Ok(out
                .records()
                .iter()
                .map(|r| match (r.sequence_number(), r.error_code()) {
                    (Some(seq), None) => EntryResult::Accepted {
                        shard: r.shard_id().unwrap_or_default().to_string(),
                        sequence: seq.to_string(),
                    },
                    (_, code) => EntryResult::Failed {
                        code: code.unwrap_or("Unknown").to_string(),
                        message: r.error_message().unwrap_or_default().to_string(),
                    },
                })
                .collect())
        })
    }
}

/// How hard to try.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub first_backoff: Duration,
    pub max_attempts: u32,
}

impl Default for Retry {
    fn default() -> Self {
        Self {
            first_backoff: Duration::from_millis(100),
            max_attempts: 8,
        }
    }
}

/// What became of one batch: per entry, accepted (shard, sequence) or finally failed.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    pub results: Vec<Option<EntryResult>>,
    /// A call that failed outright after some entries were accepted: the caller records
    /// those first, then reports this.
    pub error: Option<CoreError>,
    pub retried: u64,
    pub throttled: u64,
    pub partial_failures: u32,
}

/// Sends one batch until every entry is accepted or has used up its attempts.
pub async fn send_batch(
    api: &dyn PutRecords,
    stream: &StreamRef,
    entries: &[Entry],
    retry: Retry,
) -> Result<BatchOutcome> {
    let mut outcome = BatchOutcome {
        results: vec![None; entries.len()],
        ..BatchOutcome::default()
    };
    let mut pending: Vec<usize> = (0..entries.len()).collect();
    let mut backoff = retry.first_backoff;
    let mut last_failure: Vec<(usize, EntryResult)> = Vec::new();
    for attempt in 1..=retry.max_attempts {
        let call: Vec<Entry> = pending.iter().map(|&i| entries[i].clone()).collect();
        match api.put(stream, &call).await {
            Err(CallError::Other(e)) if outcome.results.iter().all(Option::is_none) => {
                return Err(e)
            }
            Err(CallError::Other(e)) => {
                outcome.error = Some(e);
                return Ok(outcome);
            }
            Err(CallError::Throttled) => {
                outcome.throttled += 1;
                last_failure = pending
                    .iter()
                    .map(|&i| {
                        let f = EntryResult::Failed {
                            code: "ProvisionedThroughputExceededException".into(),
                            message: "the stream throttled the call".into(),
                        };
                        (i, f)
                    })
                    .collect();
            }
            Ok(results) => {
                if results.len() != pending.len() {
                    return Err(CoreError::Internal {
                        detail: format!(
                            "PutRecords answered {} entries for {}",
                            results.len(),
                            pending.len()
                        ),
                    });
                }
                last_failure.clear();
                let mut still = Vec::new();
                for (&i, r) in pending.iter().zip(results) {
                    match r {
                        EntryResult::Accepted { .. } => outcome.results[i] = Some(r),
                        failed => {
                            still.push(i);
                            last_failure.push((i, failed));
                        }
                    }
                }
                if !still.is_empty() {
                    outcome.partial_failures += 1;
                }
                pending = still;
            }
        }
        if pending.is_empty() {
            break;
        }
        if attempt < retry.max_attempts {
            outcome.retried += pending.len() as u64;
            tokio::time::sleep(jitter(backoff)).await;
            backoff = (backoff * 2).min(Duration::from_secs(5));
        }
    }
    for (i, f) in last_failure {
        if outcome.results[i].is_none() {
            outcome.results[i] = Some(f);
        }
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests;
