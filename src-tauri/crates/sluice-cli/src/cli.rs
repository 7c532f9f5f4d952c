//! The command line's top level: the global flags and one subcommand per feature, whose
//! grammar lives with its handler in `commands/<feature>/args.rs`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::commands::athena::args::AthenaCommand;
use crate::commands::audit::args::AuditCommand;
use crate::commands::connection::args::ConnectionCommand;
use crate::commands::identity::args::SourceCommand;
use crate::commands::policy::args::PolicyCommand;
use crate::commands::proxy::args::ProxyCommand;
use crate::commands::report::args::ReportArgs;
use crate::commands::s3::args::S3Command;
use crate::commands::sink::args::SinkCommand;
use crate::commands::sso::args::SsoCommand;
use crate::commands::stream::args::StreamCommand;

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

    /// A code from the source's MFA device, for scripts (on a terminal Sluice asks for it).
    /// One code makes a session that serves the commands that follow until it expires.
    #[arg(long, global = true, value_name = "CODE")]
    pub mfa_code: Option<String>,

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
    /// Choose where your own AWS credentials come from.
    #[command(subcommand)]
    Source(SourceCommand),
    /// Sign in to IAM Identity Center (SSO) and choose an account and role.
    #[command(subcommand)]
    Sso(SsoCommand),
    /// The profiles of ~/.aws/config and ~/.aws/credentials, and what each one is.
    Profiles,
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
    Report(Box<ReportArgs>),
    /// Amazon Athena for reports past one machine: the table's DDL and the cost estimate.
    #[command(subcommand)]
    Athena(AthenaCommand),
    /// The proxy every AWS call goes through: show it, set Sluice's own, or clear it.
    #[command(subcommand)]
    Proxy(ProxyCommand),
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
