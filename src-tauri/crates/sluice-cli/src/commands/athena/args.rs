//! `sluice athena …` grammar: the table's DDL and the estimate.

use clap::{Args, Subcommand};
use sluice_core::report::spec::Dataset;

use crate::commands::report::args::{AthenaArgs, SpecArgs};

/// `sluice athena …`: the table and the estimate, on their own.
#[derive(Debug, Subcommand)]
pub enum AthenaCommand {
    /// Print the CREATE EXTERNAL TABLE (partition projection) for a dataset.
    Ddl {
        #[command(flatten)]
        dataset: DatasetArgs,
        #[command(flatten)]
        athena: AthenaArgs,
        /// Run it (CREATE … IF NOT EXISTS: an existing table is kept).
        #[arg(long)]
        create: bool,
    },
    /// Partitions, objects and bytes a report would scan, and its cost at the published price.
    Estimate {
        #[command(flatten)]
        spec: SpecArgs,
        #[command(flatten)]
        athena: AthenaArgs,
    },
}

/// The data a table reads: no dates, the partition layout is read from the bucket.
#[derive(Debug, Args, Clone)]
pub struct DatasetArgs {
    /// Act through this connection (its vendor role); default: your own identity.
    #[arg(long, value_name = "NAME")]
    pub connection: Option<String>,
    #[arg(long, value_name = "BUCKET")]
    pub bucket: String,
    /// The dataset prefix above the date partitions, e.g. timeseries/.
    #[arg(long, default_value = "", value_name = "PREFIX")]
    pub prefix: String,
}

impl DatasetArgs {
    pub fn dataset(&self) -> Dataset {
        Dataset {
            connection: self.connection.clone(),
            bucket: self.bucket.clone(),
            prefix: self.prefix.clone(),
        }
    }
}
