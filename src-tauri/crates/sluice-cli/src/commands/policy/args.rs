//! `sluice policy …` grammar: print a template, lint, plan and apply, export as code.

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// A customer's inline policy: sts:AssumeRole on one vendor role.
    AssumeRole {
        #[arg(long, value_name = "ARN")]
        role_arn: String,
        #[command(flatten)]
        print: PrintArgs,
    },
    /// A vendor role's trust policy, with an sts:ExternalId condition when one is given.
    Trust {
        /// Trust this account (its root).
        #[arg(
            long,
            value_name = "ID",
            conflicts_with = "principal",
            required_unless_present = "principal"
        )]
        account: Option<String>,
        /// Trust this IAM user or role ARN.
        #[arg(long, value_name = "ARN")]
        principal: Option<String>,
        /// Require the ExternalId read from standard input (stored in the OS keyring).
        #[arg(long, conflicts_with = "generate_external_id")]
        external_id_stdin: bool,
        /// Require a new strong ExternalId, generated and stored in the OS keyring.
        #[arg(long)]
        generate_external_id: bool,
        /// The keyring name the ExternalId is stored under (default: trust). Alone, it
        /// requires the ExternalId already stored there.
        #[arg(long, value_name = "NAME")]
        external_id_name: Option<String>,
        /// Allow replacing an ExternalId already stored under that name.
        #[arg(long)]
        replace_external_id: bool,
        #[command(flatten)]
        print: PrintArgs,
    },
    /// Stream Machine's sink writer: s3:GetBucketLocation + s3:PutObject on PREFIX/*SUFFIX.
    SinkWriter {
        #[arg(long)]
        bucket: String,
        #[arg(long)]
        prefix: Option<String>,
        #[arg(long, default_value = ".jsonl")]
        suffix: String,
        #[command(flatten)]
        print: PrintArgs,
    },
    /// Read a bucket prefix and, optionally, a Kinesis stream and a KMS key.
    Reader {
        #[arg(long)]
        bucket: String,
        #[arg(long)]
        prefix: Option<String>,
        #[arg(long, value_name = "ARN")]
        stream_arn: Option<String>,
        #[arg(long, value_name = "ARN")]
        kms_key_arn: Option<String>,
        #[command(flatten)]
        print: PrintArgs,
    },
    /// Put records into one Kinesis stream.
    Producer {
        #[arg(long, value_name = "ARN")]
        stream_arn: String,
        #[command(flatten)]
        print: PrintArgs,
    },
    /// Run Athena queries in one workgroup over one table: what `report --engine athena` needs.
    AthenaReader {
        #[arg(long, value_name = "ID")]
        account: String,
        #[arg(long, value_name = "R")]
        region: String,
        #[arg(long, value_name = "W")]
        workgroup: String,
        #[arg(long, value_name = "D")]
        database: String,
        #[arg(long, value_name = "T")]
        table: String,
        /// s3://bucket/prefix/ of the data.
        #[arg(long, value_name = "S3_URI")]
        data: String,
        /// s3://bucket/prefix/ for query results.
        #[arg(long, value_name = "S3_URI")]
        results: String,
        #[command(flatten)]
        print: PrintArgs,
    },
    /// A bucket policy that denies requests without TLS and optionally grants a reader.
    BucketPolicy {
        #[arg(long)]
        bucket: String,
        #[arg(long, value_name = "ARN_OR_ACCOUNT")]
        reader_principal: Option<String>,
        #[command(flatten)]
        print: PrintArgs,
    },
    /// Lint a policy file (or - for standard input): exit 1 on any error.
    Lint {
        file: String,
        /// The kind of policy (default: worked out from the document).
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
    },
    /// Apply a policy file where it belongs, after showing the diff (--yes to apply).
    Apply {
        file: String,
        #[command(flatten)]
        target: TargetArgs,
        /// Inline policy name (users and roles; default sluice-policy).
        #[arg(long, value_name = "NAME")]
        policy_name: Option<String>,
        /// Apply without asking; otherwise only the diff is shown.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Args)]
pub struct PrintArgs {
    /// Add one plain sentence per statement.
    #[arg(long)]
    pub explain: bool,
    /// The policy as IAM JSON, or as Terraform / CloudFormation code.
    #[arg(long, value_enum, default_value = "json")]
    pub format: PolicyFormat,
    /// Where the code puts an identity policy (terraform and cloudformation only).
    #[arg(long, value_enum, default_value = "user")]
    pub attach: AttachArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PolicyFormat {
    Json,
    Terraform,
    Cloudformation,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum AttachArg {
    /// An inline policy of a user (variable user_name / parameter UserName).
    User,
    /// An inline policy of a role (variable role_name / parameter RoleName).
    Role,
    /// A customer managed policy.
    Managed,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct TargetArgs {
    /// An inline policy of this IAM user.
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
    /// An inline policy of this IAM role.
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
    /// The trust policy of this IAM role.
    #[arg(long, value_name = "ROLE")]
    pub trust_of_role: Option<String>,
    /// The bucket policy of this bucket.
    #[arg(long, value_name = "BUCKET")]
    pub bucket: Option<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum KindArg {
    Identity,
    Resource,
    Trust,
}
