//! Command-line grammar. Global flags apply to every subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use crate::cli_admin::{
    AttachArg, AuditCommand, CodeFormatArg, KindArg, PolicyCommand, PolicyFormat, PrintArgs,
    SinkArgs, SinkCommand, TargetArgs,
};

#[derive(Debug, Parser)]
#[command(
    name = "sluice",
    version,
    about = "Set up access to vendor data in AWS and look at it: S3, Kinesis, IAM.",
    propagate_version = true
)]
pub struct Cli {
    /// Send every AWS call to this endpoint (a local emulator, for example).
    #[arg(long, global = true, env = "AWS_ENDPOINT_URL", value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// AWS region (default: from the AWS config chain, else us-east-1).
    #[arg(long, global = true, value_name = "R")]
    pub region: Option<String>,

    /// Use this profile from ~/.aws/config as the source identity.
    #[arg(long, global = true, value_name = "P")]
    pub profile: Option<String>,

    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    pub json: bool,

    /// Also ask the EC2 instance metadata service for credentials and the region (on EC2).
    #[arg(long, global = true, env = "SLUICE_IMDS", value_parser = clap::builder::BoolishValueParser::new(), default_value_t = false)]
    pub imds: bool,

    /// Log what happens on stderr: -v for progress, -vv for every AWS call. `SLUICE_LOG` sets
    /// a filter directly (e.g. `SLUICE_LOG=aws_config=debug`).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the AWS account and principal behind the current credentials.
    Whoami,
    /// Manage connections to vendor data (role, ExternalId, bucket, stream).
    #[command(subcommand)]
    Connection(ConnectionCommand),
    /// Print AWS credential_process JSON for a connection (for ~/.aws/config).
    Credentials {
        #[arg(long, value_name = "NAME")]
        connection: String,
    },
    /// Print the AWS console switch-role URL for a connection.
    ConsoleUrl {
        #[arg(long, value_name = "NAME")]
        connection: String,
    },
    /// Browse S3: list folders or date partitions, preview objects as tables, download safely.
    S3 {
        /// Act through this connection (its vendor role); default: your own identity.
        #[arg(long, global = true, value_name = "NAME")]
        connection: Option<String>,
        #[command(subcommand)]
        command: S3Command,
    },
    /// Generate, lint and apply least-privilege IAM policies.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Set up a destination bucket for a vendor's writer: plan, apply, validate, rotate, tear down.
    #[command(subcommand)]
    Sink(SinkCommand),
    /// Kinesis: a stream's shards, its records from any position, pasted records decoded.
    Stream {
        /// Act through this connection (its vendor role); default: your own identity.
        #[arg(long, global = true, value_name = "NAME")]
        connection: Option<String>,
        #[command(subcommand)]
        command: StreamCommand,
    },
    /// Audit a bucket's security: a scorecard of pass / warn / fail (exit 1 when a check fails).
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Reports: a date range × machines → one clean CSV (or Excel); its plan and coverage.
    Report(Box<crate::cli_report::ReportArgs>),
    /// Amazon Athena for reports past one machine: the table's DDL and the cost estimate.
    #[command(subcommand)]
    Athena(crate::cli_report::AthenaCommand),
    /// Repair downloads whose names lie: a .gz that is not gzip, gzip without .gz.
    FixGz {
        /// Files or folders (searched recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Show what would be renamed, change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum S3Command {
    /// List a prefix as folders, recursively, or only the date partitions in a range.
    Ls {
        /// s3://BUCKET/PREFIX
        uri: String,
        #[arg(long)]
        recursive: bool,
        #[command(flatten)]
        range: RangeArgs,
    },
    /// Show the first rows of an object as a table (gzip, CSV, JSONL, JSON, text, binary).
    Preview {
        /// s3://BUCKET/KEY
        uri: String,
        /// Rows to show.
        #[arg(long, default_value_t = 100)]
        rows: usize,
    },
    /// Download an object, a prefix (--recursive) or a date range into a folder.
    Get {
        /// s3://BUCKET/KEY or s3://BUCKET/PREFIX/
        uri: String,
        /// Destination folder.
        dest: PathBuf,
        #[arg(long)]
        recursive: bool,
        /// Decompress gzip on the fly and name the result for its content.
        #[arg(long)]
        decompress: bool,
        /// When a file already exists: skip it (default), rename the new one, or overwrite.
        #[arg(long, value_enum, default_value_t = OnConflict::Skip)]
        on_conflict: OnConflict,
        /// Files fetched at once.
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
        #[command(flatten)]
        range: RangeArgs,
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

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum OnConflict {
    Skip,
    Rename,
    Overwrite,
}

#[derive(Debug, Args)]
pub struct RangeArgs {
    /// Start of the date range (partition hour, UTC), e.g. 2020-09-21T10.
    #[arg(long, requires = "to", value_name = "DATE-HOUR")]
    pub from: Option<String>,
    /// End of the date range (exclusive), e.g. 2020-09-21T12.
    #[arg(long, requires = "from", value_name = "DATE-HOUR")]
    pub to: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ConnectionCommand {
    /// Create a connection from a vendor's handover text (role ARN, ExternalId, stream, bucket…).
    Import {
        name: String,
        /// The handover email or text file.
        #[arg(long, value_name = "HANDOVER.txt")]
        file: PathBuf,
        #[command(flatten)]
        secrets: SecretArgs,
        #[command(flatten)]
        source: SourceArgs,
    },
    /// Create or replace a connection from flags.
    Add {
        name: String,
        #[arg(long, value_name = "ARN")]
        role_arn: Option<String>,
        #[arg(long, value_name = "BUCKET")]
        bucket: Option<String>,
        #[arg(long, value_name = "PREFIX")]
        prefix: Option<String>,
        #[arg(long, value_name = "ARN")]
        stream_arn: Option<String>,
        /// STS session name (default: sluice).
        #[arg(long)]
        session_name: Option<String>,
        /// Session duration in seconds (900-43200, default 3600).
        #[arg(long)]
        duration: Option<u32>,
        #[command(flatten)]
        secrets: SecretArgs,
        #[command(flatten)]
        source: SourceArgs,
    },
    /// List connections.
    List,
    /// Show one connection (never its secrets).
    Show { name: String },
    /// Delete a connection and its secrets from the OS keyring.
    Rm { name: String },
    /// Check the connection: who am I, assume role, probe bucket and stream (exit 1 on a failure).
    Verify { name: String },
    /// Print the inline sts:AssumeRole policy your user or role needs; optionally apply it.
    Policy {
        name: String,
        /// Put the policy on this IAM user (iam PutUserPolicy).
        #[arg(long, value_name = "USER", conflicts_with = "apply_to_role")]
        apply_to_user: Option<String>,
        /// Put the policy on this IAM role (iam PutRolePolicy).
        #[arg(long, value_name = "ROLE")]
        apply_to_role: Option<String>,
    },
    /// Show (or with --write, make) the ~/.aws/config profile that uses this connection.
    Profile {
        name: String,
        /// Profile name in ~/.aws/config (default: the connection name).
        #[arg(long)]
        profile_name: Option<String>,
        /// Write the change (otherwise only the diff is shown).
        #[arg(long)]
        write: bool,
    },
}

#[derive(Debug, Args)]
pub struct SecretArgs {
    /// Read the vendor's ExternalId from standard input.
    #[arg(long)]
    pub external_id_stdin: bool,
    /// Read the secret access key (for --access-key-id) from standard input.
    #[arg(long)]
    pub secret_key_stdin: bool,
}

#[derive(Debug, Args)]
pub struct SourceArgs {
    /// The connection's source identity: this AWS profile.
    #[arg(long, value_name = "P", conflicts_with = "access_key_id")]
    pub source_profile: Option<String>,
    /// The connection's source identity: this access key (secret via --secret-key-stdin).
    #[arg(long, value_name = "ID")]
    pub access_key_id: Option<String>,
}

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
