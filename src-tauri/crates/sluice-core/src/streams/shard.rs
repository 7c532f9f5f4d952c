//! Talking to one shard, for both reading and tailing: the iterator for a start position,
//! the pace of GetRecords calls (the service's limit of five per second per shard) and the
//! jittered backoff when the service throttles.

use std::time::Duration;

use aws_sdk_kinesis::types::ShardIteratorType;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde::{Deserialize, Serialize};

use super::StreamRef;
use crate::aws::errors;
use crate::error::{CoreError, Result};

/// Where reading starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
pub enum StartPosition {
    TrimHorizon,
    Latest,
    /// RFC 3339.
    AtTimestamp(String),
    AtSequence(String),
    AfterSequence(String),
}

/// How fast and how patiently to read: the service's limits by default.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// Between GetRecords calls on one shard (5 per second).
    pub call_interval: Duration,
    /// First wait after a throttling error; doubled, with jitter, up to `max_retries`.
    pub first_backoff: Duration,
    pub max_retries: u32,
}

impl Default for Pace {
    fn default() -> Self {
        Self {
            call_interval: Duration::from_millis(200),
            first_backoff: Duration::from_millis(250),
            max_retries: 6,
        }
    }
}

pub(crate) fn parse_time(field: &str, text: &str) -> Result<aws_smithy_types::DateTime> {
    aws_smithy_types::DateTime::from_str(text.trim(), aws_smithy_types::date_time::Format::DateTime)
        .map_err(|_| {
            CoreError::invalid(
                field,
                format!("'{text}': use an ISO 8601 time such as 2020-09-21T10:00:00Z"),
            )
        })
}

pub(crate) fn jitter(d: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|t| t.subsec_nanos())
        .unwrap_or(0);
    d + d.mul_f64(f64::from(nanos % 1000) / 2000.0)
}

/// Kinesis refuses an AT_TIMESTAMP iterator for a time after its own clock
/// ("timestampInMillis cannot be greater than currentTimestampInMillis"): nothing can have
/// arrived after that time yet, so such a start is the shard's tip (LATEST). `None` means
/// start at the time itself.
pub(crate) fn future_start_is_latest(
    start: aws_smithy_types::DateTime,
    now: std::time::SystemTime,
) -> Option<ShardIteratorType> {
    let now = aws_smithy_types::DateTime::from(now);
    (start.as_nanos() > now.as_nanos()).then_some(ShardIteratorType::Latest)
}

pub(crate) async fn iterator(
    kinesis: &aws_sdk_kinesis::Client,
    stream: &StreamRef,
    shard: &str,
    start: &StartPosition,
) -> Result<Option<String>> {
    let mut req = kinesis
        .get_shard_iterator()
        .set_stream_name(stream.name().map(str::to_string))
        .set_stream_arn(stream.arn().map(str::to_string))
        .shard_id(shard);
    req = match start {
        StartPosition::TrimHorizon => req.shard_iterator_type(ShardIteratorType::TrimHorizon),
        StartPosition::Latest => req.shard_iterator_type(ShardIteratorType::Latest),
        StartPosition::AtTimestamp(t) => {
            let at = parse_time("start time", t)?;
            match future_start_is_latest(at, std::time::SystemTime::now()) {
                Some(latest) => req.shard_iterator_type(latest),
                None => req
                    .shard_iterator_type(ShardIteratorType::AtTimestamp)
                    .timestamp(at),
            }
        }
        StartPosition::AtSequence(s) => req
            .shard_iterator_type(ShardIteratorType::AtSequenceNumber)
            .starting_sequence_number(s),
        StartPosition::AfterSequence(s) => req
            .shard_iterator_type(ShardIteratorType::AfterSequenceNumber)
            .starting_sequence_number(s),
    };
    match req.send().await {
        Ok(out) => Ok(out.shard_iterator().map(str::to_string)),
        // A sequence number from another shard: this shard has nothing from there.
        Err(e)
            if matches!(
                start,
                StartPosition::AtSequence(_) | StartPosition::AfterSequence(_)
            ) && e.as_service_error().is_some_and(|s| {
                s.is_invalid_argument_exception() || s.code() == Some("InvalidArgumentException")
            }) =>
        {
            Ok(None)
        }
        Err(e) => Err(errors::classify("kinesis:GetShardIterator", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn a_start_after_kinesis_clock_reads_from_the_tip() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
        let later = aws_smithy_types::DateTime::from_secs(1_600_000_001);
        let earlier = aws_smithy_types::DateTime::from_secs(1_599_999_999);
        let same = aws_smithy_types::DateTime::from_secs(1_600_000_000);
        assert_eq!(
            future_start_is_latest(later, now),
            Some(ShardIteratorType::Latest)
        );
        assert_eq!(future_start_is_latest(earlier, now), None);
        assert_eq!(future_start_is_latest(same, now), None);
    }
}
