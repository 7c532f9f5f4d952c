//! The Athena reader: run queries in one workgroup, read one table's catalog entry, read the
//! data prefix, and read and write the query results under the result prefix — what
//! `sluice report --engine athena` needs, and nothing else.

use super::{built, AthenaReaderInput, Built};
use crate::error::{CoreError, Result};
use crate::policy::document::{PolicyKind, Statement};
use crate::s3::uri::S3Uri;
use crate::validate;

fn bucket_and_prefix(uri: &str, field: &str) -> Result<(String, String)> {
    let u = S3Uri::parse(uri.trim())
        .map_err(|_| CoreError::invalid(field, format!("'{uri}': use s3://bucket/prefix/")))?;
    let prefix = u.key.trim_matches('/').to_string();
    validate::prefix(&prefix)?;
    if prefix.contains(['*', '?']) || prefix.contains("${") {
        return Err(CoreError::invalid(
            field,
            format!("'{uri}': a folder, without wildcards"),
        ));
    }
    Ok((u.bucket, prefix))
}

fn objects(bucket: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        format!("arn:aws:s3:::{bucket}/*")
    } else {
        format!("arn:aws:s3:::{bucket}/{prefix}/*")
    }
}

pub fn athena_reader(i: &AthenaReaderInput) -> Result<Built> {
    let account = validate::account_id(i.account.trim())?;
    let region = validate::region(i.region.trim())?;
    let target = crate::athena::AthenaTarget {
        workgroup: i.workgroup.trim().to_string(),
        database: i.database.trim().to_string(),
        table: i.table.trim().to_string(),
        output: None,
    };
    target.validate()?;
    let (data_bucket, data_prefix) = bucket_and_prefix(&i.data, "data location")?;
    let (out_bucket, out_prefix) = bucket_and_prefix(&i.results, "result location")?;
    let glue = |r: &str| format!("arn:aws:glue:{region}:{account}:{r}");
    let (wg, db, table) = (&target.workgroup, &target.database, &target.table);
    let list_data = Statement::allow(
        "ListDataPrefix",
        "s3:ListBucket",
        format!("arn:aws:s3:::{data_bucket}"),
    );
    let list_data = if data_prefix.is_empty() {
        list_data
    } else {
        list_data.with_condition(
            "StringLike",
            "s3:prefix",
            vec![format!("{data_prefix}/"), format!("{data_prefix}/*")],
        )
    };
    Ok(built(
        "athena-reader",
        PolicyKind::Identity,
        format!("sluice-athena-reader-{wg}").chars().take(128).collect(),
        vec![
            (
                Statement::allow(
                    "RunQueriesInWorkgroup",
                    vec![
                        "athena:StartQueryExecution",
                        "athena:GetQueryExecution",
                        "athena:GetQueryResults",
                        "athena:StopQueryExecution",
                        "athena:GetWorkGroup",
                    ],
                    format!("arn:aws:athena:{region}:{account}:workgroup/{wg}"),
                ),
                format!("Lets the reader run, watch and stop queries in the workgroup {wg}, and read its settings."),
            ),
            (
                Statement::allow(
                    "ReadTableCatalog",
                    vec!["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
                    vec![glue("catalog"), glue(&format!("database/{db}")), glue(&format!("table/{db}/{table}"))],
                ),
                format!("Lets Athena read the catalog entry of {db}.{table} for the reader (Glue read only)."),
            ),
            (
                Statement::allow(
                    "FindBucketRegions",
                    "s3:GetBucketLocation",
                    vec![format!("arn:aws:s3:::{data_bucket}"), format!("arn:aws:s3:::{out_bucket}")],
                ),
                "Lets Athena find the region of the data and result buckets.".to_string(),
            ),
            (
                list_data,
                format!("Lets the query list the data under {data_bucket}/{data_prefix} only."),
            ),
            (
                Statement::allow("ReadData", "s3:GetObject", objects(&data_bucket, &data_prefix)),
                format!("Lets the query read the data objects under {data_bucket}/{data_prefix}, nothing else there."),
            ),
            (
                Statement::allow("ListResults", "s3:ListBucket", format!("arn:aws:s3:::{out_bucket}")),
                format!("Lets Athena list the result bucket {out_bucket}."),
            ),
            (
                Statement::allow(
                    "ReadWriteResults",
                    vec!["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                    objects(&out_bucket, &out_prefix),
                ),
                format!("Lets Athena write query results under {out_bucket}/{out_prefix} and the reader download them."),
            ),
        ],
    ))
}
