//! `sluice stream publish`: the dry run or the send, statistics at the end, events on stderr,
//! Ctrl-C stops after the batch in flight (a re-run resumes).

use std::sync::Arc;

use sluice_core::streams::publish::dataminer::DataType;
use sluice_core::streams::publish::run::{PublishEvent, PublishRequest, TypeStreams};
use sluice_core::streams::publish::source::PublishFormat;
use sluice_core::{CoreError, Sluice};

use super::args::{DataTypeArg, PublishFormatArg, StreamCommand};
use crate::commands::Outcome;
use crate::output::Output;

pub async fn run(
    sluice: &Sluice,
    out: &Output,
    connection: Option<&str>,
    cmd: &StreamCommand,
) -> Result<Outcome, CoreError> {
    let StreamCommand::Publish {
        stream,
        paths,
        format,
        data_type,
        partition_key,
        data_stream,
        data_avg_stream,
        alarm_stream,
        dry_run,
    } = cmd
    else {
        return Ok(Outcome::Done);
    };
    let request = PublishRequest {
        connection: connection.map(str::to_string),
        paths: paths.iter().map(|p| p.display().to_string()).collect(),
        format: match format {
            PublishFormatArg::Dataminer => PublishFormat::Dataminer,
            PublishFormatArg::Jsonl => PublishFormat::Jsonl,
            PublishFormatArg::Lines => PublishFormat::Lines,
        },
        data_type: data_type.map(|t| match t {
            DataTypeArg::Data => DataType::Data,
            DataTypeArg::Dataavg => DataType::DataAvg,
            DataTypeArg::Alarm => DataType::Alarm,
        }),
        stream: stream.clone(),
        streams: TypeStreams {
            data: data_stream.clone(),
            data_avg: data_avg_stream.clone(),
            alarm: alarm_stream.clone(),
        },
        partition_key: partition_key.clone(),
    };
    if *dry_run {
        out.publish_plan(&sluice.publish_plan(&request)?);
        return Ok(Outcome::Done);
    }
    let jobs = sluice.jobs_handle();
    crate::commands::on_ctrl_c(
        "stopping after the batch in flight (run again to send the rest)",
        move || jobs.cancel_all(),
    );
    let quiet = out.is_json();
    let on = Arc::new(move |_job, e: PublishEvent| {
        if let (PublishEvent::Log { event }, false) = (&e, quiet) {
            eprintln!("{} {:?}: {}", event.at, event.kind, event.message);
        }
    });
    let stats = sluice.publish(&request, on).await?;
    out.publish_stats(&stats);
    Ok(if stats.failed > 0.0 || stats.cancelled {
        Outcome::CheckFailed
    } else {
        Outcome::Done
    })
}
