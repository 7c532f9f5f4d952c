//! `sluice connection …` grammar: the subcommands and the secret and source flags they share.

use std::path::PathBuf;

use clap::{Args, Subcommand};

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
        /// The vendor's trust requires MFA: your MFA device (its ARN or serial number); the
        /// AssumeRole then carries it and a code (--mfa-code, or asked on a terminal).
        #[arg(long, value_name = "ARN")]
        mfa_serial: Option<String>,
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
