//! `sluice sink …` grammar: a writer's destination, from plan to teardown.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum SinkCommand {
    /// Show every step and what already exists; change nothing.
    Plan {
        #[command(flatten)]
        spec: SinkArgs,
        /// Print the destination as code instead of the plan (no AWS call is made).
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: Option<CodeFormatArg>,
        /// With --format: also adopt what Sluice already created for the user (import blocks
        /// for Terraform, resource-import identifiers for CloudFormation).
        #[arg(long, requires = "format")]
        import: bool,
    },
    /// Apply the plan step by step, then validate with the writer's own key.
    Apply {
        #[command(flatten)]
        spec: SinkArgs,
        /// Apply without asking; otherwise only the plan is shown.
        #[arg(long)]
        yes: bool,
        /// Also write the credentials file (the shape of `aws iam create-access-key`).
        #[arg(long, value_name = "PATH")]
        credentials_file: Option<PathBuf>,
    },
    /// Write the test object with the writer's key and check that listing is denied.
    Validate {
        #[arg(long)]
        user: String,
        /// Must match the destination set up for the user.
        #[arg(long)]
        bucket: Option<String>,
        #[arg(long)]
        prefix: Option<String>,
    },
    /// Replace the writer's key: a new one, validated, then the old one deleted.
    Rotate {
        #[arg(long)]
        user: String,
    },
    /// Undo the setup: access keys, inline policy, user; the bucket only with --delete-bucket.
    Teardown {
        #[arg(long)]
        user: String,
        /// Must match the destination set up for the user.
        #[arg(long)]
        bucket: Option<String>,
        /// Also delete the bucket (only one Sluice created).
        #[arg(long)]
        delete_bucket: bool,
        /// Empty the bucket first when it holds objects.
        #[arg(long, requires = "delete_bucket")]
        empty_bucket: bool,
        /// Tear down without asking; otherwise only the steps are shown.
        #[arg(long)]
        yes: bool,
    },
    /// Write the credentials file for the writer's current key (mode 0600, never replaced).
    Credentials {
        #[arg(long)]
        user: String,
        #[arg(long, value_name = "PATH")]
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct SinkArgs {
    #[arg(long)]
    pub bucket: String,
    #[arg(long)]
    pub prefix: Option<String>,
    #[arg(long, default_value = ".jsonl")]
    pub suffix: String,
    /// The IAM user that will write (created under /sluice/).
    #[arg(long)]
    pub user: String,
    /// SSE-KMS with this key (default SSE-S3).
    #[arg(long, value_name = "ARN")]
    pub kms_key_arn: Option<String>,
    /// Leave the bucket policy alone (no TLS-only statement).
    #[arg(long)]
    pub no_tls_policy: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CodeFormatArg {
    Terraform,
    Cloudformation,
}
