//! Tailing a stream: every open shard followed from a position (latest by default) until
//! the user stops, at most five GetRecords calls per second per shard, backing off when
//! throttled, a fresh iterator after the last record when one expires, and the children of
//! a shard that closes (a split or merge) followed from their start. Records arrive in
//! batches as they come; nothing is buffered here — the caller bounds what it keeps.
//!
//! Memory is bounded by design: a GetRecords page holds at most `PAGE_RECORDS` records, and
//! at most `IN_FLIGHT` pages wait for the caller, however far behind the tail falls. A
//! timeout or a dropped connection (an overloaded endpoint) is retried with backoff a few
//! times before the tail stops with the error.

use std::collections::HashSet;

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use super::info::list_shards;
use super::read::{ShardProgress, StartPosition};
use super::shard::{iterator, jitter, Pace};
use super::StreamRef;
use crate::aws::errors;
use crate::context::Sluice;
use crate::decode::{self, DecodedRecord, RecordSource};
use crate::error::{CoreError, Result};
use crate::jobs::Cancel;

/// One batch: the records one GetRecords call brought, and where that shard stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TailBatch {
    pub records: Vec<DecodedRecord>,
    pub shard: ShardProgress,
}

/// What to follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TailRequest {
    pub connection: Option<String>,
    pub stream: String,
    pub start: StartPosition,
    /// Only these shards (and their children); empty means all open ones.
    pub shards: Vec<String>,
}

/// A batch for the UI, with the job it belongs to (cancel it with `jobs().cancel(job)`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TailEvent {
    pub job: u32,
    pub batch: TailBatch,
}

/// The most records one GetRecords page may bring (Kinesis allows 10,000): a tail that fell
/// behind catches up in many small pages instead of a few of up to 10 MB.
pub const PAGE_RECORDS: i32 = 1000;

/// Pages decoded and waiting for the caller, across all shards.
pub const IN_FLIGHT: usize = 16;

/// Timeouts and dropped connections in a row before the tail gives up.
const TRANSIENT_TRIES: u32 = 5;

/// What a failed GetRecords call means for the tail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    Throttled,
    Expired,
    /// A timeout or a dropped connection.
    Transient,
    Other,
}

type GetRecordsFailure = aws_sdk_kinesis::error::SdkError<
    aws_sdk_kinesis::operation::get_records::GetRecordsError,
    aws_smithy_runtime_api::http::Response,
>;

/// Classifies a failed GetRecords call. Besides throttling and an expired iterator, a call
/// that timed out, lost its connection or got a server error (5xx, or an answer that is
/// not Kinesis's, such as an overloaded proxy's HTML page) is transient.
fn failure_of(e: &GetRecordsFailure) -> Failure {
    use aws_sdk_kinesis::error::SdkError;
    let service = e.as_service_error();
    let code = service.and_then(ProvideErrorMetadata::code);
    if service.is_some_and(|s| s.is_provisioned_throughput_exceeded_exception())
        || matches!(
            code,
            Some("ProvisionedThroughputExceededException" | "LimitExceededException")
        )
    {
        Failure::Throttled
    } else if service.is_some_and(|s| s.is_expired_iterator_exception())
        || code == Some("ExpiredIteratorException")
    {
        Failure::Expired
    } else if matches!(
        e,
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_)
    ) || e
        .raw_response()
        .is_some_and(|r| r.status().is_server_error())
    {
        Failure::Transient
    } else {
        Failure::Other
    }
}

/// Whether to try again after this failure, the `tries`-th of its kind in a row.
fn try_again(failure: Failure, tries: u32) -> bool {
    match failure {
        Failure::Throttled | Failure::Expired => true,
        Failure::Transient => tries < TRANSIENT_TRIES,
        Failure::Other => false,
    }
}

enum Message {
    Batch(TailBatch),
    /// A shard closed: its children start now.
    Closed(String),
    Failed(CoreError),
}

async fn follow(
    kinesis: aws_sdk_kinesis::Client,
    stream: StreamRef,
    shard: String,
    start: StartPosition,
    pace: Pace,
    cancel: Cancel,
    tx: mpsc::Sender<Message>,
) {
    let mut progress = ShardProgress {
        id: shard.clone(),
        records: 0,
        millis_behind_latest: None,
        last_sequence: None,
        ended: false,
    };
    let mut it = match iterator(&kinesis, &stream, &shard, &start).await {
        Ok(it) => it,
        Err(e) => {
            let _ = tx.send(Message::Failed(e)).await;
            return;
        }
    };
    let mut backoff = pace.first_backoff;
    let mut transient = 0u32;
    while let Some(current) = it.clone() {
        let call = kinesis
            .get_records()
            .shard_iterator(&current)
            .limit(PAGE_RECORDS)
            .send();
        let Some(sent) = cancel.run_until_cancelled(call).await else {
            return;
        };
        let page = match sent {
            Ok(page) => {
                backoff = pace.first_backoff;
                transient = 0;
                page
            }
            Err(e) => {
                let failure = failure_of(&e);
                if failure == Failure::Transient {
                    transient += 1;
                }
                if !try_again(failure, transient) {
                    let _ = tx
                        .send(Message::Failed(errors::classify("kinesis:GetRecords", e)))
                        .await;
                    return;
                }
                if failure == Failure::Expired {
                    let resume = progress
                        .last_sequence
                        .clone()
                        .map_or_else(|| start.clone(), StartPosition::AfterSequence);
                    match iterator(&kinesis, &stream, &shard, &resume).await {
                        Ok(next) => it = next,
                        Err(e) => {
                            let _ = tx.send(Message::Failed(e)).await;
                            return;
                        }
                    }
                    continue;
                }
                // Throttled, or the endpoint did not answer: wait longer, up to 30 s.
                if cancel
                    .run_until_cancelled(tokio::time::sleep(jitter(backoff)))
                    .await
                    .is_none()
                {
                    return;
                }
                backoff = (backoff * 2).min(std::time::Duration::from_secs(30));
                continue;
            }
        };
        let mut records = Vec::new();
        for r in page.records() {
            let source = RecordSource {
                shard: Some(shard.clone()),
                sequence: Some(r.sequence_number().to_string()),
                partition_key: r.partition_key().map(str::to_string),
                arrival: r
                    .approximate_arrival_timestamp()
                    .and_then(|d| d.fmt(aws_smithy_types::date_time::Format::DateTime).ok()),
            };
            records.extend(decode::decode(&source, r.data().as_ref()));
            progress.records = progress.records.saturating_add(1);
            progress.last_sequence = Some(r.sequence_number().to_string());
        }
        progress.millis_behind_latest = page.millis_behind_latest().map(|m| m as f64);
        it = page.next_shard_iterator().map(str::to_string);
        progress.ended = it.is_none();
        let batch = TailBatch {
            records,
            shard: progress.clone(),
        };
        if tx.send(Message::Batch(batch)).await.is_err() {
            return;
        }
        let paced = cancel.run_until_cancelled(tokio::time::sleep(pace.call_interval));
        if paced.await.is_none() {
            return;
        }
    }
    let _ = tx.send(Message::Closed(shard)).await;
}

impl Sluice {
    /// Follows the stream until `cancel`, calling `on_batch` for every GetRecords answer.
    /// Returns how many records arrived.
    pub async fn tail_stream(
        &self,
        request: &TailRequest,
        pace: Pace,
        cancel: &Cancel,
        on_batch: &(dyn Fn(TailBatch) + Send + Sync),
    ) -> Result<u64> {
        self.tail_stream_inner(request, pace, cancel, on_batch)
            .await
            .map_err(|e| super::explain_denied(e, &request.stream))
    }

    async fn tail_stream_inner(
        &self,
        request: &TailRequest,
        pace: Pace,
        cancel: &Cancel,
        on_batch: &(dyn Fn(TailBatch) + Send + Sync),
    ) -> Result<u64> {
        let stream = &StreamRef::parse(&request.stream)?;
        let (start, shards) = (&request.start, &request.shards);
        let kinesis = self.kinesis_client(request.connection.as_deref()).await?;
        let all = list_shards(&kinesis, stream).await?;
        let (tx, mut rx) = mpsc::channel(IN_FLIGHT);
        let mut started: HashSet<String> = HashSet::new();
        let mut tasks = tokio::task::JoinSet::new();
        let spawn = |id: &str, from: StartPosition, tasks: &mut tokio::task::JoinSet<()>| {
            tasks.spawn(follow(
                kinesis.clone(),
                stream.clone(),
                id.to_string(),
                from,
                pace,
                cancel.clone(),
                tx.clone(),
            ));
        };
        for s in all
            .iter()
            .filter(|s| s.open && (shards.is_empty() || shards.contains(&s.id)))
        {
            started.insert(s.id.clone());
            spawn(&s.id, start.clone(), &mut tasks);
        }
        if started.is_empty() {
            return Err(CoreError::invalid("shard", "no open shard to follow"));
        }
        let mut total = 0u64;
        loop {
            let message = tokio::select! {
                m = rx.recv() => m,
                () = cancel.cancelled() => None,
            };
            let Some(message) = message else { break };
            match message {
                Message::Batch(batch) => {
                    total += batch.records.len() as u64;
                    on_batch(batch);
                }
                Message::Closed(parent) => {
                    // Children of a closed shard start from their beginning: nothing lost.
                    let now = list_shards(&kinesis, stream).await?;
                    for child in now.iter().filter(|s| {
                        s.parent.as_deref() == Some(parent.as_str())
                            || s.adjacent_parent.as_deref() == Some(parent.as_str())
                    }) {
                        if started.insert(child.id.clone()) {
                            spawn(&child.id, StartPosition::TrimHorizon, &mut tasks);
                        }
                    }
                }
                Message::Failed(e) => {
                    cancel.cancel();
                    tasks.abort_all();
                    return Err(e);
                }
            }
        }
        tasks.abort_all();
        Ok(total)
    }
}

impl Sluice {
    /// A tail as a cancellable job: every batch arrives with the job's id.
    pub async fn tail_job(
        &self,
        request: &TailRequest,
        progress: &(dyn Fn(TailEvent) + Send + Sync),
    ) -> Result<u64> {
        let job = self.jobs().start("Tail");
        let id = job.id();
        self.tail_stream(request, Pace::default(), &job.cancel(), &|batch| {
            progress(TailEvent { job: id, batch })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &'static str) -> aws_smithy_runtime_api::http::Response {
        aws_smithy_runtime_api::http::Response::new(
            aws_smithy_runtime_api::http::StatusCode::try_from(status).expect("status"),
            aws_smithy_types::body::SdkBody::from(body),
        )
    }

    #[test]
    fn server_errors_timeouts_and_unreadable_answers_are_transient() {
        use aws_sdk_kinesis::error::SdkError;
        use aws_sdk_kinesis::operation::get_records::GetRecordsError;
        use aws_sdk_kinesis::types::error::{
            ExpiredIteratorException, InvalidArgumentException,
            ProvisionedThroughputExceededException,
        };
        let service = |err: GetRecordsError, status| -> GetRecordsFailure {
            SdkError::service_error(err, raw(status, "{}"))
        };
        let throttled = GetRecordsError::ProvisionedThroughputExceededException(
            ProvisionedThroughputExceededException::builder().build(),
        );
        assert_eq!(failure_of(&service(throttled, 400)), Failure::Throttled);
        let expired =
            GetRecordsError::ExpiredIteratorException(ExpiredIteratorException::builder().build());
        assert_eq!(failure_of(&service(expired, 400)), Failure::Expired);
        let invalid =
            GetRecordsError::InvalidArgumentException(InvalidArgumentException::builder().build());
        assert_eq!(failure_of(&service(invalid, 400)), Failure::Other);
        let internal = GetRecordsError::unhandled("InternalFailure");
        assert_eq!(failure_of(&service(internal, 500)), Failure::Transient);
        // moto overloaded: an HTML 500 page the SDK cannot read.
        let html: GetRecordsFailure =
            SdkError::response_error("malformed JSON error body", raw(500, "<!doctype html>"));
        assert_eq!(failure_of(&html), Failure::Transient);
        let timeout: GetRecordsFailure = SdkError::timeout_error("attempt timed out");
        assert_eq!(failure_of(&timeout), Failure::Transient);
    }

    #[test]
    fn throttling_and_expiry_never_stop_a_tail_and_timeouts_stop_it_after_five() {
        for tries in [1, 10, 1000] {
            assert!(try_again(Failure::Throttled, tries));
            assert!(try_again(Failure::Expired, tries));
            assert!(!try_again(Failure::Other, tries));
        }
        assert!((1..5).all(|t| try_again(Failure::Transient, t)));
        assert!(!try_again(Failure::Transient, 5));
    }
}
