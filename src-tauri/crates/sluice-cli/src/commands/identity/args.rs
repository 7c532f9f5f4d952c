//! `sluice source …` grammar: setting the source identity from the command line.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Use an access key: its secret is read from stdin and goes to the OS keyring only.
    /// With --mfa-serial, AWS calls ask for a code from that MFA device (or take --mfa-code).
    Keys {
        /// The access key id (AKIA…).
        #[arg(long, value_name = "ID")]
        access_key_id: String,
        /// The MFA device: its ARN (arn:aws:iam::ACCOUNT:mfa/NAME) or serial number.
        #[arg(long, value_name = "ARN")]
        mfa_serial: Option<String>,
        /// Default region for this source.
        #[arg(long, value_name = "R")]
        default_region: Option<String>,
    },
    /// Use temporary credentials pasted on stdin: the portal's export / SET / $Env: block,
    /// its [profile] block, or the JSON of `aws sts get-session-token`. The secret key and
    /// the session token go to the OS keyring only.
    Temporary {
        /// Default region for this source.
        #[arg(long, value_name = "R")]
        default_region: Option<String>,
    },
}
