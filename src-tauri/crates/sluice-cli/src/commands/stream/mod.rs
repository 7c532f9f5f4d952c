//! `sluice stream …`: a stream's shards, its records from any position, and records pasted
//! from the vendors' CLI instructions — all through the decode chain the app uses.

pub mod args;
mod print;
mod publish;

use sluice_core::decode::{self, paste};
use sluice_core::jobs::Cancel;
use sluice_core::streams::read::{ReadRequest, StartPosition};
use sluice_core::streams::shard::Pace;
use sluice_core::streams::tail::TailRequest;
use sluice_core::streams::StreamRef;
use sluice_core::{CoreError, Sluice};

use super::{read_stdin, Outcome};
use crate::output::Output;
use args::StreamCommand;

/// `trim-horizon`, `latest`, `seq:N`, `after:N` or an ISO 8601 time.
fn start(from: &str) -> StartPosition {
    match from.trim() {
        "trim-horizon" | "trim_horizon" | "oldest" => StartPosition::TrimHorizon,
        "latest" | "now" => StartPosition::Latest,
        other => match (other.strip_prefix("seq:"), other.strip_prefix("after:")) {
            (Some(seq), _) => StartPosition::AtSequence(seq.to_string()),
            (_, Some(seq)) => StartPosition::AfterSequence(seq.to_string()),
            _ => StartPosition::AtTimestamp(other.to_string()),
        },
    }
}

/// `30s`, `5m`, `1h` or plain seconds.
fn duration(text: &str) -> Result<std::time::Duration, CoreError> {
    let t = text.trim();
    let (number, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = number
        .parse()
        .map_err(|_| CoreError::invalid("--for", format!("'{text}': use 30s, 5m or 1h")))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => {
            return Err(CoreError::invalid(
                "--for",
                format!("'{text}': use 30s, 5m or 1h"),
            ))
        }
    };
    Ok(std::time::Duration::from_secs(secs))
}

pub async fn run(
    sluice: &Sluice,
    out: &Output,
    connection: Option<&str>,
    cmd: &StreamCommand,
) -> Result<Outcome, CoreError> {
    match cmd {
        StreamCommand::Info { stream } => {
            let info = sluice
                .stream_info(connection, &StreamRef::parse(stream)?)
                .await?;
            out.stream_info(&info);
        }
        StreamCommand::Read {
            stream,
            from,
            until,
            limit,
            shard,
        } => {
            let request = ReadRequest {
                connection: connection.map(str::to_string),
                stream: stream.clone(),
                start: start(from),
                until: until.clone(),
                limit: *limit,
                shards: shard.clone(),
            };
            let result = sluice.read_stream(&request, Pace::default()).await?;
            out.records(&result.records);
            if result.truncated {
                eprintln!("Stopped at the limit of {limit} records: --limit N reads more.");
            }
        }
        StreamCommand::Tail {
            stream,
            duration: how_long,
            from,
            shard,
        } => {
            let request = TailRequest {
                connection: connection.map(str::to_string),
                stream: stream.clone(),
                start: start(from),
                shards: shard.clone(),
            };
            let limit = how_long.as_deref().map(duration).transpose()?;
            let cancel = Cancel::default();
            let stopper = cancel.clone();
            tokio::spawn(async move {
                match limit {
                    Some(d) => {
                        tokio::select! {
                            () = tokio::time::sleep(d) => {}
                            _ = tokio::signal::ctrl_c() => {}
                        }
                    }
                    None => {
                        let _ = tokio::signal::ctrl_c().await;
                    }
                }
                stopper.cancel();
            });
            let total = sluice
                .tail_stream(&request, Pace::default(), &cancel, &|batch| {
                    out.record_lines(&batch.records)
                })
                .await?;
            eprintln!("{total} record(s).");
        }
        StreamCommand::Publish { .. } => return publish::run(sluice, out, connection, cmd).await,
        StreamCommand::Decode { input } => {
            let text = if input == "-" {
                read_stdin("records")?
            } else {
                std::fs::read_to_string(input)
                    .map_err(|e| CoreError::invalid("records file", format!("{input}: {e}")))?
            };
            let rows: Vec<_> = paste::parse(&text)?
                .iter()
                .flat_map(|(source, data)| decode::decode(source, data))
                .collect();
            out.records(&rows);
        }
    }
    Ok(Outcome::Done)
}
