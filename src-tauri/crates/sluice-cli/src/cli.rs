//! Command-line grammar. Global flags apply to every subcommand.

use clap::{Parser, Subcommand};

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

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the AWS account and principal behind the current credentials.
    Whoami,
}
