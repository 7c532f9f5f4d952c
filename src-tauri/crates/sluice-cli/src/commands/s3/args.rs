//! `sluice s3 …` grammar: list, preview and get, with a date range and a conflict rule.

use std::path::PathBuf;

use clap::{Args, Subcommand};

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
