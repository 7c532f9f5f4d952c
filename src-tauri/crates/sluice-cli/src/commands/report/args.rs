//! `sluice report` grammar: the definition flags shared by run, plan, coverage and save,
//! the engine, and where an Athena report runs; and the definition those flags describe.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use sluice_core::report::spec::{parse_columns, Filters, OutputFormat, Range, ReportSpec};
use sluice_core::CoreError;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub command: Option<ReportCommand>,
    #[command(flatten)]
    pub spec: SpecArgs,
    /// The report file (CSV unless --excel / --xlsx).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Run a saved definition instead of the flags above.
    #[arg(long, value_name = "NAME")]
    pub saved: Option<String>,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub replace: bool,
    /// Objects fetched and decoded at once.
    #[arg(long, default_value_t = 6)]
    pub concurrency: usize,
    /// Where the report runs: here, streaming the objects (default), or on Amazon Athena.
    #[arg(long, value_enum, default_value_t = Engine::Local)]
    pub engine: Engine,
    #[command(flatten)]
    pub athena: AthenaArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    Local,
    Athena,
}

/// Where an Athena query runs and where its table lives.
#[derive(Debug, Args, Clone, Default)]
pub struct AthenaArgs {
    #[arg(long, default_value = "primary", value_name = "W")]
    pub workgroup: String,
    /// The Glue database holding the table.
    #[arg(long, default_value = "default", value_name = "D")]
    pub database: String,
    #[arg(long, default_value = "machinemetrics", value_name = "T")]
    pub table: String,
    /// Result location (default: the workgroup's).
    #[arg(long, value_name = "s3://BUCKET/PREFIX/")]
    pub athena_output: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// What a report would read: partitions, objects, bytes, and hours without objects.
    Plan(SpecArgs),
    /// Rows per hour per machine, with gaps; nothing is written unless --csv is given.
    Coverage {
        #[command(flatten)]
        spec: SpecArgs,
        /// Save the summary table (one row per machine) as CSV.
        #[arg(long, value_name = "PATH")]
        csv: Option<PathBuf>,
    },
    /// Save a definition under a name, to run again with --saved NAME.
    Save {
        name: String,
        #[command(flatten)]
        spec: SpecArgs,
        /// Replace a saved definition with the same name.
        #[arg(long)]
        replace: bool,
    },
    /// The saved definitions.
    List,
    /// Delete a saved definition.
    Delete { name: String },
}

#[derive(Debug, Args, Clone, Default)]
pub struct SpecArgs {
    /// Act through this connection (its vendor role); default: your own identity.
    #[arg(long, value_name = "NAME")]
    pub connection: Option<String>,
    #[arg(long, value_name = "BUCKET")]
    pub bucket: Option<String>,
    /// The dataset prefix above the date partitions, e.g. timeseries/.
    #[arg(long, default_value = "", value_name = "PREFIX")]
    pub prefix: String,
    /// First partition hour (UTC), e.g. 2020-09-21T10.
    #[arg(long, value_name = "DATE-HOUR")]
    pub from: Option<String>,
    /// End partition hour (excluded), e.g. 2020-09-21T12.
    #[arg(long, value_name = "DATE-HOUR")]
    pub to: Option<String>,
    /// Instead of --from/--to: the last N whole days (UTC).
    #[arg(long, value_name = "N", conflicts_with_all = ["from", "to", "last_hours"])]
    pub last_days: Option<u32>,
    /// Instead of --from/--to: the last N whole hours.
    #[arg(long, value_name = "N", conflicts_with_all = ["from", "to"])]
    pub last_hours: Option<u32>,
    /// Keep these machineRef values (repeat the flag).
    #[arg(long = "machine", value_name = "REF")]
    pub machines: Vec<String>,
    /// Keep rows of this type (e.g. Sample).
    #[arg(long = "type", value_name = "T")]
    pub r#type: Option<String>,
    /// Keep rows with this key (e.g. X1load).
    #[arg(long, value_name = "K")]
    pub key: Option<String>,
    /// Keep rows whose value contains this text.
    #[arg(long, value_name = "TEXT")]
    pub value_contains: Option<String>,
    /// Output columns in order, e.g. eventTime,machineRef,key,value.
    #[arg(long, value_name = "A,B,…")]
    pub columns: Option<String>,
    /// CSV for Excel: UTF-8 BOM and CRLF line ends.
    #[arg(long, conflicts_with = "xlsx")]
    pub excel: bool,
    /// An Excel workbook (.xlsx), up to 1,048,575 rows.
    #[arg(long)]
    pub xlsx: bool,
    /// Sort rows by eventTime (bounded memory).
    #[arg(long)]
    pub sort: bool,
}

/// The definition the flags describe.
pub fn spec(a: &SpecArgs) -> Result<ReportSpec, CoreError> {
    let bucket = a
        .bucket
        .clone()
        .ok_or_else(|| CoreError::invalid("bucket", "give --bucket (or --saved NAME)"))?;
    let range = match (&a.from, &a.to, a.last_days, a.last_hours) {
        (Some(from), Some(to), None, None) => Range::Absolute {
            from: from.clone(),
            to: to.clone(),
        },
        (None, None, Some(days), None) => Range::LastDays { days },
        (None, None, None, Some(hours)) => Range::LastHours { hours },
        _ => {
            return Err(CoreError::invalid(
                "date range",
                "give --from and --to, or --last-days N, or --last-hours N",
            ))
        }
    };
    let spec = ReportSpec {
        connection: a.connection.clone(),
        bucket,
        prefix: a.prefix.clone(),
        range,
        filters: Filters {
            machines: a.machines.clone(),
            r#type: a.r#type.clone(),
            key: a.key.clone(),
            value_contains: a.value_contains.clone(),
        },
        columns: a.columns.as_deref().map(parse_columns).unwrap_or_default(),
        format: if a.xlsx {
            OutputFormat::Xlsx
        } else if a.excel {
            OutputFormat::ExcelCsv
        } else {
            OutputFormat::Csv
        },
        sort_by_event_time: a.sort,
    };
    spec.validate()?;
    Ok(spec)
}
