//! Whether the report's table already exists in the Glue catalog, and as what: the same
//! location and partition template is reused as it is; a table of that name that reads
//! something else is reported, never replaced.

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde::Serialize;

use super::AthenaTarget;
use crate::aws::errors;
use crate::error::{CoreError, Result};

/// What creating the table did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TableReady {
    /// An identical table was already there (nothing was run).
    pub reused: bool,
    /// The DDL query, when it ran.
    pub query_id: Option<String>,
    pub message: String,
}

/// The table's location and partition template as the catalog has them.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    pub location: String,
    pub template: Option<String>,
}

pub async fn existing(
    glue: &aws_sdk_glue::Client,
    target: &AthenaTarget,
) -> Result<Option<Existing>> {
    match glue
        .get_table()
        .database_name(&target.database)
        .name(&target.table)
        .send()
        .await
    {
        Ok(out) => {
            let table = out.table();
            Ok(Some(Existing {
                location: table
                    .and_then(|t| t.storage_descriptor())
                    .and_then(|s| s.location())
                    .unwrap_or_default()
                    .to_string(),
                template: table
                    .and_then(|t| t.parameters())
                    .and_then(|p| p.get("storage.location.template"))
                    .cloned(),
            }))
        }
        Err(e) if e.code() == Some("EntityNotFoundException") => Ok(None),
        Err(e) => Err(errors::classify("glue:GetTable", e)),
    }
}

fn same_place(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// `Ok(true)` when `found` is the table the DDL describes; an error naming the difference
/// when it is another table.
pub fn compare(
    found: &Existing,
    location: &str,
    template: &str,
    target: &AthenaTarget,
) -> Result<bool> {
    // A table without the projection template (a crawler's, say) would not find the
    // partitions the query names: only an identical projection counts as the same table.
    let same = same_place(&found.location, location)
        && found
            .template
            .as_deref()
            .is_some_and(|t| same_place(t, template));
    if same {
        return Ok(true);
    }
    Err(CoreError::invalid(
        "table",
        format!(
            "{}.{} already exists and reads {} (partition template {}), not {location}: choose another table name",
            target.database,
            target.table,
            found.location,
            found.template.as_deref().unwrap_or("none")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_table_is_reused_and_another_is_reported() {
        let t = AthenaTarget {
            workgroup: "primary".into(),
            database: "telemetry".into(),
            table: "mm".into(),
            output: None,
        };
        let same = Existing {
            location: "s3://mm-data/timeseries".into(),
            template: Some(
                "s3://mm-data/timeseries/year=${year}/month=${month}/day=${day}/hour=${hour}/"
                    .into(),
            ),
        };
        let template =
            "s3://mm-data/timeseries/year=${year}/month=${month}/day=${day}/hour=${hour}/";
        assert!(compare(&same, "s3://mm-data/timeseries/", template, &t).expect("same"));
        let other = Existing {
            location: "s3://other/data/".into(),
            template: None,
        };
        let err = compare(&other, "s3://mm-data/timeseries/", template, &t).expect_err("different");
        let unprojected = Existing {
            location: "s3://mm-data/timeseries/".into(),
            template: None,
        };
        assert!(compare(&unprojected, "s3://mm-data/timeseries/", template, &t).is_err());
        assert!(err.to_string().contains("s3://other/data/"), "{err}");
    }
}
