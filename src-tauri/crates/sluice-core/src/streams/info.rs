//! What a stream is: its summary and its shards (open or closed, parents and children, hash
//! key ranges) — what the UI shows before reading and what `read` walks.

use serde::Serialize;

use super::StreamRef;
use crate::aws::errors;
use crate::context::Sluice;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ShardInfo {
    pub id: String,
    pub parent: Option<String>,
    pub adjacent_parent: Option<String>,
    pub hash_key_start: String,
    pub hash_key_end: String,
    /// Open shards take new records; a closed one (after a split or merge) has an end.
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StreamInfo {
    pub name: String,
    pub arn: String,
    pub status: String,
    pub mode: Option<String>,
    pub retention_hours: Option<u32>,
    pub open_shards: u32,
    pub encryption: Option<String>,
    pub consumers: Option<u32>,
    pub shards: Vec<ShardInfo>,
}

impl Sluice {
    /// The stream's summary and every shard.
    pub async fn stream_info(
        &self,
        connection: Option<&str>,
        stream: &StreamRef,
    ) -> Result<StreamInfo> {
        self.stream_info_inner(connection, stream)
            .await
            .map_err(|e| super::explain_denied(e, &stream.label()))
    }

    async fn stream_info_inner(
        &self,
        connection: Option<&str>,
        stream: &StreamRef,
    ) -> Result<StreamInfo> {
        let kinesis = self.kinesis_client(connection).await?;
        let summary = kinesis
            .describe_stream_summary()
            .set_stream_name(stream.name().map(str::to_string))
            .set_stream_arn(stream.arn().map(str::to_string))
            .send()
            .await
            .map_err(|e| errors::classify("kinesis:DescribeStreamSummary", e))?;
        let d = summary.stream_description_summary();
        let shards = list_shards(&kinesis, stream).await?;
        Ok(StreamInfo {
            name: d
                .map(|d| d.stream_name().to_string())
                .unwrap_or_else(|| stream.label()),
            arn: d.map(|d| d.stream_arn().to_string()).unwrap_or_default(),
            status: d
                .map(|d| d.stream_status().as_str().to_string())
                .unwrap_or_default(),
            mode: d
                .and_then(|d| d.stream_mode_details())
                .map(|m| m.stream_mode().as_str().to_string()),
            retention_hours: d.and_then(|d| u32::try_from(d.retention_period_hours()).ok()),
            open_shards: d
                .and_then(|d| u32::try_from(d.open_shard_count()).ok())
                .unwrap_or(0),
            encryption: d
                .and_then(|d| d.encryption_type())
                .map(|e| e.as_str().to_string()),
            consumers: d
                .and_then(|d| d.consumer_count())
                .and_then(|c| u32::try_from(c).ok()),
            shards,
        })
    }
}

/// Every shard of the stream, page by page.
pub async fn list_shards(
    kinesis: &aws_sdk_kinesis::Client,
    stream: &StreamRef,
) -> Result<Vec<ShardInfo>> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut req = kinesis.list_shards();
        req = match &token {
            Some(t) => req.next_token(t),
            None => req
                .set_stream_name(stream.name().map(str::to_string))
                .set_stream_arn(stream.arn().map(str::to_string)),
        };
        let page = req
            .send()
            .await
            .map_err(|e| errors::classify("kinesis:ListShards", e))?;
        for s in page.shards() {
            out.push(ShardInfo {
                id: s.shard_id().to_string(),
                parent: s.parent_shard_id().map(str::to_string),
                adjacent_parent: s.adjacent_parent_shard_id().map(str::to_string),
                hash_key_start: s
                    .hash_key_range()
                    .map(|r| r.starting_hash_key().to_string())
                    .unwrap_or_default(),
                hash_key_end: s
                    .hash_key_range()
                    .map(|r| r.ending_hash_key().to_string())
                    .unwrap_or_default(),
                open: s
                    .sequence_number_range()
                    .is_none_or(|r| r.ending_sequence_number().is_none()),
            });
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(out);
        }
    }
}

/// Shards in reading order: each generation after its parents.
pub(crate) fn generations(shards: &[ShardInfo]) -> Vec<Vec<ShardInfo>> {
    let ids: Vec<&str> = shards.iter().map(|s| s.id.as_str()).collect();
    let mut done: Vec<String> = Vec::new();
    let mut left: Vec<ShardInfo> = shards.to_vec();
    let mut out = Vec::new();
    while !left.is_empty() {
        let ready = |s: &ShardInfo| {
            [&s.parent, &s.adjacent_parent].iter().all(|p| {
                p.as_deref()
                    .is_none_or(|p| !ids.contains(&p) || done.iter().any(|d| d == p))
            })
        };
        let (now, later): (Vec<_>, Vec<_>) = left.into_iter().partition(|s| ready(s));
        if now.is_empty() {
            // A cycle cannot happen in Kinesis; read what is left rather than loop.
            out.push(later);
            break;
        }
        done.extend(now.iter().map(|s| s.id.clone()));
        out.push(now);
        left = later;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shard(id: &str, parent: Option<&str>) -> ShardInfo {
        ShardInfo {
            id: id.into(),
            parent: parent.map(str::to_string),
            adjacent_parent: None,
            hash_key_start: String::new(),
            hash_key_end: String::new(),
            open: true,
        }
    }

    #[test]
    fn children_are_read_after_their_parents() {
        let g = generations(&[
            shard("c1", Some("p")),
            shard("p", None),
            shard("x", None),
            shard("c2", Some("p")),
        ]);
        let ids: Vec<Vec<&str>> = g
            .iter()
            .map(|g| g.iter().map(|s| s.id.as_str()).collect())
            .collect();
        assert_eq!(ids, vec![vec!["p", "x"], vec!["c1", "c2"]]);
    }
}
