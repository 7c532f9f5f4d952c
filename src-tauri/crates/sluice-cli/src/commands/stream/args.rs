//! `sluice stream …` grammar: info, read, tail, decode and publish.

use std::path::PathBuf;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum StreamCommand {
    /// The stream's summary and shards (open or closed, parents, hash key ranges).
    Info {
        /// A stream name or ARN.
        stream: String,
    },
    /// Records from a position, every shard merged by arrival time, decoded into columns.
    Read {
        /// A stream name or ARN.
        stream: String,
        /// trim-horizon (default), latest, an ISO 8601 time, seq:N (at) or after:N.
        #[arg(long, default_value = "trim-horizon", value_name = "POSITION")]
        from: String,
        /// Stop at records that arrived after this ISO 8601 time.
        #[arg(long, value_name = "TIME")]
        until: Option<String>,
        /// Stop after this many records.
        #[arg(long, default_value_t = 1000)]
        limit: u32,
        /// Only this shard (repeatable).
        #[arg(long, value_name = "ID")]
        shard: Vec<String>,
    },
    /// Follow the stream as records arrive (Ctrl-C stops), from the latest record by default.
    Tail {
        /// A stream name or ARN.
        stream: String,
        /// Stop after this long, e.g. 30s, 5m, 1h (default: until Ctrl-C).
        #[arg(long = "for", value_name = "DURATION")]
        duration: Option<String>,
        /// latest (default), trim-horizon, an ISO 8601 time, seq:N or after:N.
        #[arg(long, default_value = "latest", value_name = "POSITION")]
        from: String,
        /// Only this shard (repeatable); its children follow when it closes.
        #[arg(long, value_name = "ID")]
        shard: Vec<String>,
    },
    /// Put files into the stream: DataMiner offload CSV (Data, DataAvg, Alarm → JSON), PutRecords
    /// JSONL or plain lines; batches with partial-failure retry; resumes after a stop.
    Publish {
        /// The stream (name or ARN) for every record whose type has no stream of its own.
        stream: String,
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = PublishFormatArg::Dataminer)]
        format: PublishFormatArg,
        /// Read every offload file as this type (default: header row, then file name).
        #[arg(long = "type", value_enum)]
        data_type: Option<DataTypeArg>,
        /// `{FIELD}` template (default {DMAID}/{EID}/{PID}; Alarm {DMAID}/{ALARMID}).
        #[arg(long, value_name = "TEMPLATE")]
        partition_key: Option<String>,
        /// Streams of their own for Data, DataAvg and Alarm records.
        #[arg(long, value_name = "STREAM")]
        data_stream: Option<String>,
        #[arg(long, value_name = "STREAM")]
        data_avg_stream: Option<String>,
        #[arg(long, value_name = "STREAM")]
        alarm_stream: Option<String>,
        /// Show the first records, their partition keys and the batches; send nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Decode records as `aws kinesis get-records` prints them (or one base64 Data value):
    /// KPL aggregates unpacked, gzip inflated, vendor formats named into columns.
    Decode {
        /// A file, or - for standard input.
        #[arg(default_value = "-")]
        input: String,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum PublishFormatArg {
    Dataminer,
    Jsonl,
    Lines,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DataTypeArg {
    Data,
    Dataavg,
    Alarm,
}
