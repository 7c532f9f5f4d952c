//! Reports past one machine: the same report definition run on Amazon Athena over the
//! hive-partitioned data. `ddl` writes the table (partition projection, no crawler), `sql`
//! the query (pruned on the partition columns, values quoted), `table` checks the catalog,
//! `query` runs it (start, poll, stop) and streams the result file down, `facade` offers it all to the app and the CLI.

pub mod ddl;
pub mod facade;
pub mod query;
pub mod sql;
pub mod table;

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// Athena's published price per TB scanned (US East, SQL queries), in US dollars.
pub const PRICE_PER_TB_USD: f64 = 5.0;
/// Athena bills at least 10 MB per query.
pub const MIN_BILLED_BYTES: f64 = 10e6;

/// Where a query runs and where its table lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AthenaTarget {
    pub workgroup: String,
    pub database: String,
    pub table: String,
    /// `s3://bucket/prefix/` for results; `None` uses the workgroup's own.
    #[serde(default)]
    pub output: Option<String>,
}

fn name_ok(text: &str, max: usize, extra: &[char]) -> bool {
    (1..=max).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || extra.contains(&c))
}

impl AthenaTarget {
    pub fn validate(&self) -> Result<()> {
        if !name_ok(&self.database, 255, &[]) {
            return Err(CoreError::invalid(
                "database",
                format!("'{}': lower-case letters, digits and _ only", self.database),
            ));
        }
        if !name_ok(&self.table, 255, &[]) {
            return Err(CoreError::invalid(
                "table",
                format!("'{}': lower-case letters, digits and _ only", self.table),
            ));
        }
        let wg_ok = (1..=128).contains(&self.workgroup.len())
            && self
                .workgroup
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !wg_ok {
            return Err(CoreError::invalid(
                "workgroup",
                format!("'{}': letters, digits, . _ - only", self.workgroup),
            ));
        }
        if let Some(o) = &self.output {
            crate::s3::uri::S3Uri::parse(o)?;
        }
        Ok(())
    }
}

/// An access-denied error, with the policy that fixes it.
pub fn with_policy_hint(e: CoreError) -> CoreError {
    match e {
        CoreError::AccessDenied { action, message } => CoreError::AccessDenied {
            message: format!(
                "{message}{}the athena-reader policy (Policies → Athena reader, or `sluice policy athena-reader`) grants what reports on Athena need",
                if message.is_empty() { "" } else { "; " }
            ),
            action,
        },
        other => other,
    }
}

/// The cost of scanning `bytes` at the published price.
pub fn cost_usd(bytes: f64) -> f64 {
    bytes.max(MIN_BILLED_BYTES) / 1e12 * PRICE_PER_TB_USD
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_and_cost_follows_the_price() {
        let t = AthenaTarget {
            workgroup: "primary".into(),
            database: "telemetry".into(),
            table: "mm_timeseries".into(),
            output: Some("s3://results/athena/".into()),
        };
        assert!(t.validate().is_ok());
        let bad = AthenaTarget {
            table: "x; DROP TABLE y".into(),
            ..t.clone()
        };
        assert!(bad.validate().is_err());
        assert!((cost_usd(2e12) - 10.0).abs() < 1e-9);
        assert!((cost_usd(1.0) - 0.00005).abs() < 1e-12, "10 MB minimum");
        let denied = with_policy_hint(CoreError::AccessDenied {
            action: "glue:GetTable".into(),
            message: String::new(),
        });
        assert!(
            denied.to_string().contains("glue:GetTable")
                && denied.to_string().contains("athena-reader")
        );
    }
}
