//! `sluice source …` grammar: setting the source identity from the command line.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Use temporary credentials pasted on stdin: the portal's export / SET / $Env: block,
    /// its [profile] block, or the JSON of `aws sts get-session-token`. The secret key and
    /// the session token go to the OS keyring only.
    Temporary {
        /// Default region for this source.
        #[arg(long, value_name = "R")]
        default_region: Option<String>,
    },
}
