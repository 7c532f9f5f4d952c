//! The `CREATE EXTERNAL TABLE` for a MachineMetrics dataset: the 12 columns as strings (the
//! values are kept as the files hold them), headerless gzipped CSV read by OpenCSVSerde, and
//! partition projection on year / month / day / hour, so no crawler and no `MSCK REPAIR`.

use super::AthenaTarget;
use crate::decode::formats::MACHINEMETRICS_COLUMNS;
use crate::error::Result;
use crate::s3::partitions::Layout;

/// The table's location and its partition template.
pub fn location_and_template(bucket: &str, prefix: &str, layout: Layout) -> (String, String) {
    let base = if prefix.is_empty() || prefix.ends_with('/') {
        format!("s3://{bucket}/{prefix}")
    } else {
        format!("s3://{bucket}/{prefix}/")
    };
    let template = match layout {
        Layout::Hive => {
            format!("{base}year=${{year}}/month=${{month}}/day=${{day}}/hour=${{hour}}/")
        }
        Layout::Slashed => format!("{base}${{year}}/${{month}}/${{day}}/${{hour}}/"),
    };
    (base, template)
}

/// The DDL for `bucket/prefix` in `layout`, as `database.table`.
pub fn create_table(
    bucket: &str,
    prefix: &str,
    layout: Layout,
    target: &AthenaTarget,
) -> Result<String> {
    target.validate()?;
    crate::validate::bucket_name(bucket)?;
    crate::validate::prefix(prefix)?;
    if prefix.contains(['\'', '$', '{', '}']) {
        return Err(crate::error::CoreError::invalid(
            "prefix",
            format!("'{prefix}': Athena table locations cannot hold ' $ {{ or }}"),
        ));
    }
    let (base, template) = location_and_template(bucket, prefix, layout);
    let columns: Vec<String> = MACHINEMETRICS_COLUMNS
        .iter()
        .map(|c| format!("  `{}` string", c.to_ascii_lowercase()))
        .collect();
    Ok(format!(
        "CREATE EXTERNAL TABLE IF NOT EXISTS `{db}`.`{table}` (\n{cols}\n)\n\
         PARTITIONED BY (`year` int, `month` int, `day` int, `hour` int)\n\
         ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'\n\
         WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '\"')\n\
         STORED AS TEXTFILE\n\
         LOCATION '{base}'\n\
         TBLPROPERTIES (\n\
         \x20 'projection.enabled' = 'true',\n\
         \x20 'projection.year.type' = 'integer', 'projection.year.range' = '2000,2099', 'projection.year.digits' = '4',\n\
         \x20 'projection.month.type' = 'integer', 'projection.month.range' = '1,12', 'projection.month.digits' = '2',\n\
         \x20 'projection.day.type' = 'integer', 'projection.day.range' = '1,31', 'projection.day.digits' = '2',\n\
         \x20 'projection.hour.type' = 'integer', 'projection.hour.range' = '0,23', 'projection.hour.digits' = '2',\n\
         \x20 'storage.location.template' = '{template}',\n\
         \x20 'skip.header.line.count' = '0'\n\
         )",
        db = target.database,
        table = target.table,
        cols = columns.join(",\n"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ddl_projects_the_hive_partitions() {
        let target = AthenaTarget {
            workgroup: "primary".into(),
            database: "telemetry".into(),
            table: "mm".into(),
            output: None,
        };
        let ddl = create_table("mm-data", "timeseries/", Layout::Hive, &target).expect("ddl");
        let golden = "CREATE EXTERNAL TABLE IF NOT EXISTS `telemetry`.`mm` (\n  `eventtime` string,\n  `processtime` string,\n  `companyid` string,\n  `machineref` string,\n  `type` string,\n  `subtype` string,\n  `key` string,\n  `value` string,\n  `nativecode` string,\n  `nativeseverity` string,\n  `qualifier` string,\n  `description` string\n)\nPARTITIONED BY (`year` int, `month` int, `day` int, `hour` int)\nROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'\nWITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '\"')\nSTORED AS TEXTFILE\nLOCATION 's3://mm-data/timeseries/'\nTBLPROPERTIES (\n  'projection.enabled' = 'true',\n  'projection.year.type' = 'integer', 'projection.year.range' = '2000,2099', 'projection.year.digits' = '4',\n  'projection.month.type' = 'integer', 'projection.month.range' = '1,12', 'projection.month.digits' = '2',\n  'projection.day.type' = 'integer', 'projection.day.range' = '1,31', 'projection.day.digits' = '2',\n  'projection.hour.type' = 'integer', 'projection.hour.range' = '0,23', 'projection.hour.digits' = '2',\n  'storage.location.template' = 's3://mm-data/timeseries/year=${year}/month=${month}/day=${day}/hour=${hour}/',\n  'skip.header.line.count' = '0'\n)";
        assert_eq!(ddl, golden);
        let slashed = create_table("mm-data", "exports", Layout::Slashed, &target).expect("ddl");
        assert!(slashed.contains("'s3://mm-data/exports/${year}/${month}/${day}/${hour}/'"));
        let bad = AthenaTarget {
            database: "Tele-metry".into(),
            ..target
        };
        assert!(create_table("mm-data", "t/", Layout::Hive, &bad).is_err());
    }
}
