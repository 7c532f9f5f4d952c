//! What a report is: a dataset (bucket + prefix), an hour range, filters and output columns.
//!
//! The same definition is typed on the command line, built on the Reports page and saved for
//! one-click reruns, so it is validated here once. Ranges are partition hours `[from, to)`;
//! a saved definition may say "the last 7 days", resolved against the clock when it runs.

use serde::{Deserialize, Serialize};

use crate::decode::formats::MACHINEMETRICS_COLUMNS;
use crate::error::{CoreError, Result};
use crate::s3::partitions::{self, UnixHour};
use crate::validate;

/// Which partition hours a report covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Range {
    /// `from` and `to` as `2020-09-21T10` (UTC); `to` is excluded.
    Absolute { from: String, to: String },
    /// The last `hours` whole hours before now.
    LastHours { hours: u32 },
    /// The last `days` whole days before today (UTC).
    LastDays { days: u32 },
}

impl Range {
    /// The hours `[from, to)`, with relative ranges taken back from `now`.
    pub fn resolve(&self, now: UnixHour) -> Result<(UnixHour, UnixHour)> {
        let (from, to) = match self {
            Self::Absolute { from, to } => {
                (partitions::parse_hour(from)?, partitions::parse_hour(to)?)
            }
            Self::LastHours { hours } => (now - i64::from(*hours), now),
            Self::LastDays { days } => {
                let today = now - now.rem_euclid(24);
                (today - 24 * i64::from(*days), today)
            }
        };
        if to <= from {
            return Err(CoreError::invalid(
                "date range",
                "the end must be after the start",
            ));
        }
        if to - from > 24 * 366 {
            return Err(CoreError::invalid(
                "date range",
                "at most one year per report",
            ));
        }
        Ok((from, to))
    }
}

/// The current hour (UTC).
pub fn current_hour() -> UnixHour {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| (d.as_secs() / 3600) as i64)
}

/// Rows to keep. Empty lists and `None` keep everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Filters {
    /// `machineRef` values to keep.
    #[serde(default)]
    pub machines: Vec<String>,
    /// Exact `type` (e.g. `Sample`).
    #[serde(default)]
    pub r#type: Option<String>,
    /// Exact `key` (e.g. `X1load`).
    #[serde(default)]
    pub key: Option<String>,
    /// Text the `value` must contain.
    #[serde(default)]
    pub value_contains: Option<String>,
}

/// How the result is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum OutputFormat {
    /// RFC 4180 CSV, LF line ends, no BOM.
    #[default]
    Csv,
    /// CSV that Excel opens as UTF-8: a BOM and CRLF line ends.
    ExcelCsv,
    /// An Excel workbook (at most 1,048,575 data rows).
    Xlsx,
}

impl OutputFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv | Self::ExcelCsv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
}

/// A whole report definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReportSpec {
    /// A connection name, or `None` for your own identity.
    #[serde(default)]
    pub connection: Option<String>,
    pub bucket: String,
    /// The dataset prefix above the partitions, e.g. `timeseries/`.
    pub prefix: String,
    pub range: Range,
    #[serde(default)]
    pub filters: Filters,
    /// Output columns in order; empty means every column as in the files.
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub format: OutputFormat,
    /// Sort rows by `eventTime` (bounded memory: sorted runs spill to disk and are merged).
    #[serde(default)]
    pub sort_by_event_time: bool,
}

/// The data a report (or an Athena table) reads: a bucket and the prefix above its date
/// partitions, through a connection or the source identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    pub connection: Option<String>,
    pub bucket: String,
    pub prefix: String,
}

impl ReportSpec {
    /// The dataset this definition reads.
    pub fn dataset(&self) -> Dataset {
        Dataset {
            connection: self.connection.clone(),
            bucket: self.bucket.clone(),
            prefix: self.prefix.clone(),
        }
    }

    /// Checks everything that can be checked without AWS.
    pub fn validate(&self) -> Result<()> {
        validate::bucket_name(&self.bucket)?;
        validate::prefix(&self.prefix)?;
        for m in &self.filters.machines {
            if m.trim().is_empty() || m.len() > 64 || m.contains([',', '\n']) {
                return Err(CoreError::invalid(
                    "machine",
                    format!("'{m}' is not a machineRef"),
                ));
            }
        }
        for c in &self.columns {
            if !MACHINEMETRICS_COLUMNS.contains(&c.as_str()) {
                return Err(CoreError::invalid(
                    "column",
                    format!(
                        "'{c}' is not a column; choose from {}",
                        MACHINEMETRICS_COLUMNS.join(", ")
                    ),
                ));
            }
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = self.columns.iter().find(|c| !seen.insert(c.as_str())) {
            return Err(CoreError::invalid(
                "column",
                format!("'{dup}' is listed twice"),
            ));
        }
        Ok(())
    }

    /// The output columns: the chosen ones, or all twelve.
    pub fn output_columns(&self) -> Vec<String> {
        if self.columns.is_empty() {
            MACHINEMETRICS_COLUMNS
                .iter()
                .map(|c| c.to_string())
                .collect()
        } else {
            self.columns.clone()
        }
    }
}

#[cfg(test)]
impl ReportSpec {
    /// A plain definition for unit tests: every column, CSV, the last 7 days.
    pub(crate) fn sample(bucket: &str, prefix: &str) -> Self {
        Self {
            connection: None,
            bucket: bucket.into(),
            prefix: prefix.into(),
            range: Range::LastDays { days: 7 },
            filters: Filters::default(),
            columns: Vec::new(),
            format: OutputFormat::Csv,
            sort_by_event_time: false,
        }
    }
}

/// Parses `a,b,c` into column names (for the CLI).
pub fn parse_columns(text: &str) -> Vec<String> {
    text.split(',')
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ReportSpec {
        ReportSpec::sample("telemetry", "timeseries/")
    }

    #[test]
    fn relative_ranges_end_at_the_clock() {
        let now = partitions::parse_hour("2020-09-21T10").expect("hour");
        let (f, t) = Range::LastDays { days: 7 }.resolve(now).expect("range");
        assert_eq!(partitions::format_hour(f), "2020-09-14T00");
        assert_eq!(partitions::format_hour(t), "2020-09-21T00");
        let (f, t) = Range::LastHours { hours: 3 }.resolve(now).expect("range");
        assert_eq!((t - f, t), (3, now));
        let bad = Range::Absolute {
            from: "2020-09-21T12".into(),
            to: "2020-09-21T10".into(),
        };
        assert!(bad.resolve(now).is_err());
        assert!(Range::LastDays { days: 400 }.resolve(now).is_err());
    }

    #[test]
    fn columns_and_machines_are_checked() {
        assert!(spec().validate().is_ok());
        assert_eq!(spec().output_columns().len(), 12);
        let mut s = spec();
        s.columns = parse_columns("eventTime, machineRef,value");
        assert!(s.validate().is_ok());
        s.columns.push("colour".into());
        assert!(s
            .validate()
            .expect_err("an error")
            .to_string()
            .contains("colour"));
        let mut s = spec();
        s.columns = parse_columns("key,key");
        assert!(s.validate().is_err());
        let mut s = spec();
        s.filters.machines = vec!["10,13".into()];
        assert!(s.validate().is_err());
        let mut s = spec();
        s.bucket = "Not A Bucket".into();
        assert!(s.validate().is_err());
    }
}
