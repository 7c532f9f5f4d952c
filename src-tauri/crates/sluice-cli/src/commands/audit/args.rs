//! `sluice audit …` grammar.

use std::path::PathBuf;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Block Public Access, public policy, ACLs, encryption, TLS-only, versioning, principals.
    Bucket {
        bucket: String,
        /// Also write the scorecard as CSV (never over an existing file).
        #[arg(long, value_name = "PATH")]
        csv: Option<PathBuf>,
        /// Apply this fix (repeatable), e.g. bucket-public-access-block, tls-only, versioning.
        #[arg(long, value_name = "FIX")]
        fix: Vec<String>,
        /// Apply every fix the scorecard offers.
        #[arg(long, conflicts_with = "fix")]
        fix_all: bool,
        /// Apply the fixes without asking; otherwise they are only listed.
        #[arg(long)]
        yes: bool,
    },
}
