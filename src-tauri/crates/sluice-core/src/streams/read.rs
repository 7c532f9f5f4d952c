//! Reading a stream from any position: every chosen shard read concurrently (a closed
//! parent before its children, so a resharded stream loses and repeats nothing), at most
//! five GetRecords calls per second per shard, backing off with jitter when throttled, a
//! fresh iterator after the last record when one expires; stopped after N records, at an
//! end time, or when every shard has caught up; merged by arrival time and decoded.

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde::{Deserialize, Serialize};

use super::info::{generations, list_shards, ShardInfo};
pub use super::shard::StartPosition;
use super::shard::{iterator, jitter, parse_time, Pace};
use super::StreamRef;
use crate::aws::errors;
use crate::context::Sluice;
use crate::decode::{self, DecodedRecord, RecordSource};
use crate::error::{CoreError, Result};

/// What to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReadRequest {
    pub connection: Option<String>,
    pub stream: String,
    pub start: StartPosition,
    /// Stop at records that arrived after this (RFC 3339).
    pub until: Option<String>,
    /// Stop after this many records (1-100,000).
    pub limit: u32,
    /// Only these shards; empty means all.
    pub shards: Vec<String>,
}

/// How one shard's reading ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ShardProgress {
    pub id: String,
    pub records: u32,
    /// How far behind the newest record this shard is, in milliseconds.
    pub millis_behind_latest: Option<f64>,
    pub last_sequence: Option<String>,
    /// The shard is closed and was read to its end.
    pub ended: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReadResult {
    pub records: Vec<DecodedRecord>,
    pub shards: Vec<ShardProgress>,
    /// More records were there than the limit.
    pub truncated: bool,
}

pub const MAX_LIMIT: u32 = 100_000;

fn sequence_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

#[derive(Debug)]
struct ShardRead {
    records: Vec<DecodedRecord>,
    progress: ShardProgress,
    more: bool,
}

async fn read_shard(
    kinesis: &aws_sdk_kinesis::Client,
    stream: &StreamRef,
    shard: &str,
    start: &StartPosition,
    until: Option<i64>,
    limit: u32,
    pace: Pace,
) -> Result<ShardRead> {
    let mut out = ShardRead {
        records: Vec::new(),
        progress: ShardProgress {
            id: shard.to_string(),
            records: 0,
            millis_behind_latest: None,
            last_sequence: None,
            ended: false,
        },
        more: false,
    };
    let mut it = iterator(kinesis, stream, shard, start).await?;
    let mut retries = 0;
    let mut backoff = pace.first_backoff;
    while let Some(current) = it.clone() {
        let got = kinesis
            .get_records()
            .shard_iterator(&current)
            .limit(i32::try_from(limit.min(10_000)).unwrap_or(10_000))
            .send()
            .await;
        let page = match got {
            Ok(page) => {
                retries = 0;
                backoff = pace.first_backoff;
                page
            }
            Err(e) => {
                let service = e.as_service_error();
                let code = service.and_then(ProvideErrorMetadata::code);
                let throttled = service
                    .is_some_and(|s| s.is_provisioned_throughput_exceeded_exception())
                    || matches!(
                        code,
                        Some("ProvisionedThroughputExceededException" | "LimitExceededException")
                    );
                let expired = service.is_some_and(|s| s.is_expired_iterator_exception())
                    || code == Some("ExpiredIteratorException");
                if throttled && retries < pace.max_retries {
                    retries += 1;
                    tokio::time::sleep(jitter(backoff)).await;
                    backoff *= 2;
                    continue;
                }
                if throttled {
                    return Err(CoreError::Throttled {
                        action: "kinesis:GetRecords".into(),
                    });
                }
                if expired {
                    let resume = match &out.progress.last_sequence {
                        Some(seq) => StartPosition::AfterSequence(seq.clone()),
                        None => start.clone(),
                    };
                    it = iterator(kinesis, stream, shard, &resume).await?;
                    continue;
                }
                return Err(errors::classify("kinesis:GetRecords", e));
            }
        };
        out.progress.millis_behind_latest = page.millis_behind_latest().map(|m| m as f64);
        let empty = page.records().is_empty();
        for r in page.records() {
            let arrival = r.approximate_arrival_timestamp();
            if let (Some(end), Some(at)) = (until, arrival) {
                if at.secs() > end {
                    return Ok(out);
                }
            }
            if out.progress.records >= limit {
                out.more = true;
                return Ok(out);
            }
            let source = RecordSource {
                shard: Some(shard.to_string()),
                sequence: Some(r.sequence_number().to_string()),
                partition_key: r.partition_key().map(str::to_string),
                arrival: arrival
                    .and_then(|d| d.fmt(aws_smithy_types::date_time::Format::DateTime).ok()),
            };
            out.records
                .extend(decode::decode(&source, r.data().as_ref()));
            out.progress.records += 1;
            out.progress.last_sequence = Some(r.sequence_number().to_string());
        }
        it = page.next_shard_iterator().map(str::to_string);
        if it.is_none() {
            out.progress.ended = true;
            return Ok(out);
        }
        let caught_up = page.millis_behind_latest().is_none_or(|m| m == 0);
        if empty && caught_up {
            return Ok(out);
        }
        tokio::time::sleep(pace.call_interval).await;
    }
    Ok(out)
}

impl Sluice {
    /// Reads records as `request` says, decoded and merged by arrival time.
    pub async fn read_stream(&self, request: &ReadRequest, pace: Pace) -> Result<ReadResult> {
        self.read_stream_inner(request, pace)
            .await
            .map_err(|e| super::explain_denied(e, &request.stream))
    }

    async fn read_stream_inner(&self, request: &ReadRequest, pace: Pace) -> Result<ReadResult> {
        let stream = StreamRef::parse(&request.stream)?;
        if !(1..=MAX_LIMIT).contains(&request.limit) {
            return Err(CoreError::invalid(
                "limit",
                format!("between 1 and {MAX_LIMIT}"),
            ));
        }
        let until = request
            .until
            .as_deref()
            .map(|t| parse_time("end time", t).map(|d| d.secs()))
            .transpose()?;
        if let StartPosition::AtTimestamp(t) = &request.start {
            parse_time("start time", t)?;
        }
        let kinesis = self.kinesis_client(request.connection.as_deref()).await?;
        let all = list_shards(&kinesis, &stream).await?;
        let chosen: Vec<ShardInfo> = if request.shards.is_empty() {
            all
        } else {
            for id in &request.shards {
                if !all.iter().any(|s| &s.id == id) {
                    return Err(CoreError::invalid(
                        "shard",
                        format!("{id} is not a shard of {}", stream.label()),
                    ));
                }
            }
            all.into_iter()
                .filter(|s| request.shards.contains(&s.id))
                .collect()
        };
        let mut records = Vec::new();
        let mut progress = Vec::new();
        let mut more = false;
        for generation in generations(&chosen) {
            // The shards of one generation are read at once, each at its own pace.
            let mut tasks = tokio::task::JoinSet::new();
            for (i, s) in generation.iter().enumerate() {
                let (kinesis, stream, id, start) = (
                    kinesis.clone(),
                    stream.clone(),
                    s.id.clone(),
                    request.start.clone(),
                );
                let limit = request.limit;
                tasks.spawn(async move {
                    (
                        i,
                        read_shard(&kinesis, &stream, &id, &start, until, limit, pace).await,
                    )
                });
            }
            let mut done = Vec::new();
            while let Some(joined) = tasks.join_next().await {
                done.push(joined.map_err(|e| CoreError::Internal {
                    detail: format!("a shard reader stopped: {e}"),
                })?);
            }
            done.sort_by_key(|(i, _)| *i);
            for (_, read) in done {
                let read = read?;
                more |= read.more;
                records.extend(read.records);
                progress.push(read.progress);
            }
        }
        records.sort_by(|a, b| {
            a.arrival
                .cmp(&b.arrival)
                .then_with(|| a.shard.cmp(&b.shard))
                .then_with(|| {
                    sequence_order(
                        a.sequence.as_deref().unwrap_or(""),
                        b.sequence.as_deref().unwrap_or(""),
                    )
                })
                .then_with(|| a.subsequence.cmp(&b.subsequence))
        });
        let limit = usize::try_from(request.limit).unwrap_or(usize::MAX);
        if records.len() > limit {
            records.truncate(limit);
            more = true;
        }
        Ok(ReadResult {
            records,
            shards: progress,
            truncated: more,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    mod fake_kinesis {
        use super::super::*;
        use aws_sdk_kinesis::operation::get_records::{GetRecordsError, GetRecordsOutput};
        use aws_sdk_kinesis::operation::get_shard_iterator::GetShardIteratorOutput;
        use aws_sdk_kinesis::types::error::{
            ExpiredIteratorException, ProvisionedThroughputExceededException,
        };
        use aws_sdk_kinesis::types::Record;
        use aws_sdk_kinesis::types::ShardIteratorType;
        use aws_sdk_kinesis::Client;
        use aws_smithy_mocks::{mock, mock_client, RuleMode};
        use std::time::Duration;

        fn record(seq: &str) -> Record {
            Record::builder()
                .sequence_number(seq)
                .partition_key("k")
                .data(aws_sdk_kinesis::primitives::Blob::new(format!(
                    "record {seq}"
                )))
                .build()
                .expect("record")
        }

        fn page(seqs: &[&str], next: &str, behind: i64) -> GetRecordsOutput {
            GetRecordsOutput::builder()
                .set_records(Some(seqs.iter().map(|s| record(s)).collect()))
                .next_shard_iterator(next)
                .millis_behind_latest(behind)
                .build()
                .expect("page")
        }

        #[tokio::test]
        async fn throttling_and_an_expired_iterator_lose_and_repeat_nothing() {
            let first_iterator = mock!(Client::get_shard_iterator).then_output(|| {
                GetShardIteratorOutput::builder()
                    .shard_iterator("it-1")
                    .build()
            });
            let throttled = mock!(Client::get_records).then_error(|| {
                GetRecordsError::ProvisionedThroughputExceededException(
                    ProvisionedThroughputExceededException::builder()
                        .message("slow down")
                        .build(),
                )
            });
            let first = mock!(Client::get_records)
                .match_requests(|r| r.shard_iterator() == Some("it-1"))
                .then_output(|| page(&["1", "2"], "it-2", 500));
            let expired = mock!(Client::get_records).then_error(|| {
                GetRecordsError::ExpiredIteratorException(
                    ExpiredIteratorException::builder()
                        .message("expired")
                        .build(),
                )
            });
            let resumed = mock!(Client::get_shard_iterator)
                .match_requests(|r| {
                    r.shard_iterator_type() == Some(&ShardIteratorType::AfterSequenceNumber)
                        && r.starting_sequence_number() == Some("2")
                })
                .then_output(|| {
                    GetShardIteratorOutput::builder()
                        .shard_iterator("it-3")
                        .build()
                });
            let second = mock!(Client::get_records)
                .match_requests(|r| r.shard_iterator() == Some("it-3"))
                .then_output(|| page(&["3"], "it-4", 0));
            let caught_up = mock!(Client::get_records).then_output(|| page(&[], "it-5", 0));
            let kinesis = mock_client!(
                aws_sdk_kinesis,
                RuleMode::Sequential,
                [
                    &first_iterator,
                    &throttled,
                    &first,
                    &expired,
                    &resumed,
                    &second,
                    &caught_up
                ]
            );
            let pace = Pace {
                call_interval: Duration::from_millis(1),
                first_backoff: Duration::from_millis(1),
                max_retries: 3,
            };
            let stream = StreamRef::Name("s".into());
            let read = read_shard(
                &kinesis,
                &stream,
                "shardId-0",
                &StartPosition::TrimHorizon,
                None,
                100,
                pace,
            )
            .await
            .expect("read");
            let seqs: Vec<_> = read
                .records
                .iter()
                .filter_map(|r| r.sequence.clone())
                .collect();
            assert_eq!(seqs, vec!["1", "2", "3"]);
            assert_eq!(read.progress.millis_behind_latest, Some(0.0));
            assert_eq!(read.progress.last_sequence.as_deref(), Some("3"));
        }

        #[tokio::test]
        async fn endless_throttling_gives_up_with_a_clear_error() {
            let iterator = mock!(Client::get_shard_iterator).then_output(|| {
                GetShardIteratorOutput::builder()
                    .shard_iterator("it-1")
                    .build()
            });
            let throttled = mock!(Client::get_records)
                .sequence()
                .error(|| {
                    GetRecordsError::ProvisionedThroughputExceededException(
                        ProvisionedThroughputExceededException::builder().build(),
                    )
                })
                .times(10)
                .build();
            let kinesis = mock_client!(
                aws_sdk_kinesis,
                RuleMode::Sequential,
                [&iterator, &throttled]
            );
            let pace = Pace {
                call_interval: Duration::from_millis(1),
                first_backoff: Duration::from_millis(1),
                max_retries: 2,
            };
            let err = read_shard(
                &kinesis,
                &StreamRef::Name("s".into()),
                "shardId-0",
                &StartPosition::Latest,
                None,
                10,
                pace,
            )
            .await
            .expect_err("gives up");
            assert_eq!(err.code(), crate::ErrorCode::Throttled, "{err}");
        }
    }

    #[test]
    fn sequence_numbers_order_as_numbers() {
        assert_eq!(sequence_order("9", "10"), std::cmp::Ordering::Less);
        assert_eq!(sequence_order("49590", "49591"), std::cmp::Ordering::Less);
    }
}
