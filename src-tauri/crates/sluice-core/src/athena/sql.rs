//! The report's query: its columns, its filters as SQL with every value quoted as a string
//! literal (no injection through a machine name), and a WHERE clause on the partition
//! columns alone for the range — whole days as `day = …`, the edges as `hour IN (…)` — so
//! partition projection reads only those partitions.

use super::AthenaTarget;
use crate::error::Result;
use crate::report::spec::ReportSpec;
use crate::s3::partitions::{PartitionHour, UnixHour};

/// `'text'` with quotes doubled.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The partition predicate for hours `[from, to)`.
pub fn partition_predicate(from: UnixHour, to: UnixHour) -> String {
    let mut parts = Vec::new();
    let mut h = from;
    while h < to {
        let p = PartitionHour::from_unix_hour(h);
        let day = format!(
            "year = {} AND month = {} AND day = {}",
            p.year, p.month, p.day
        );
        if h.rem_euclid(24) == 0 && h + 24 <= to {
            parts.push(format!("({day})"));
            h += 24;
            continue;
        }
        let day_end = h - h.rem_euclid(24) + 24;
        let hours: Vec<String> = (h..to.min(day_end))
            .map(|x| x.rem_euclid(24).to_string())
            .collect();
        parts.push(format!("({day} AND hour IN ({}))", hours.join(", ")));
        h = to.min(day_end);
    }
    parts.join("\n   OR ")
}

/// The SELECT for a report over `database.table`.
pub fn report_query(
    spec: &ReportSpec,
    from: UnixHour,
    to: UnixHour,
    target: &AthenaTarget,
) -> Result<String> {
    spec.validate()?;
    target.validate()?;
    let columns: Vec<String> = spec
        .output_columns()
        .iter()
        .map(|c| format!("\"{}\" AS \"{c}\"", c.to_ascii_lowercase()))
        .collect();
    // A file's own header row reads as data in Athena: leave it out.
    let mut filters = vec![
        format!("({})", partition_predicate(from, to)),
        "\"eventtime\" <> 'eventTime'".to_string(),
    ];
    let f = &spec.filters;
    if !f.machines.is_empty() {
        let list: Vec<String> = f.machines.iter().map(|m| literal(m.trim())).collect();
        filters.push(format!("\"machineref\" IN ({})", list.join(", ")));
    }
    if let Some(t) = f.r#type.as_deref().filter(|t| !t.trim().is_empty()) {
        filters.push(format!("\"type\" = {}", literal(t.trim())));
    }
    if let Some(k) = f.key.as_deref().filter(|k| !k.trim().is_empty()) {
        filters.push(format!("\"key\" = {}", literal(k.trim())));
    }
    if let Some(v) = f.value_contains.as_deref().filter(|v| !v.is_empty()) {
        filters.push(format!("strpos(\"value\", {}) > 0", literal(v)));
    }
    let order = if spec.sort_by_event_time {
        "\"eventtime\"".to_string()
    } else {
        "year, month, day, hour, \"$path\"".to_string()
    };
    Ok(format!(
        "SELECT {}\nFROM \"{}\".\"{}\"\nWHERE {}\nORDER BY {order}",
        columns.join(", "),
        target.database,
        target.table,
        filters.join("\n  AND ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::spec::Range;
    use crate::s3::partitions::parse_hour;

    fn target() -> AthenaTarget {
        AthenaTarget {
            workgroup: "primary".into(),
            database: "telemetry".into(),
            table: "mm".into(),
            output: None,
        }
    }

    #[test]
    fn whole_days_and_edge_hours_prune_the_partitions() {
        let from = parse_hour("2020-09-20T22").expect("hour");
        let to = parse_hour("2020-09-23T01").expect("hour");
        assert_eq!(
            partition_predicate(from, to),
            "(year = 2020 AND month = 9 AND day = 20 AND hour IN (22, 23))\n   OR (year = 2020 AND month = 9 AND day = 21)\n   OR (year = 2020 AND month = 9 AND day = 22)\n   OR (year = 2020 AND month = 9 AND day = 23 AND hour IN (0))"
        );
    }

    #[test]
    fn the_query_quotes_every_value() {
        let mut spec = ReportSpec::sample("mm-data", "timeseries/");
        spec.range = Range::Absolute {
            from: "2020-09-21T10".into(),
            to: "2020-09-21T12".into(),
        };
        spec.columns = vec!["eventTime".into(), "machineRef".into(), "value".into()];
        spec.filters.machines = vec!["1013".into(), "10'14 OR 1=1".into()];
        spec.filters.key = Some("X1load".into());
        spec.filters.value_contains = Some("it's".into());
        let from = parse_hour("2020-09-21T10").expect("hour");
        let sql = report_query(&spec, from, from + 2, &target()).expect("sql");
        assert_eq!(
            sql,
            "SELECT \"eventtime\" AS \"eventTime\", \"machineref\" AS \"machineRef\", \"value\" AS \"value\"\nFROM \"telemetry\".\"mm\"\nWHERE ((year = 2020 AND month = 9 AND day = 21 AND hour IN (10, 11)))\n  AND \"eventtime\" <> 'eventTime'\n  AND \"machineref\" IN ('1013', '10''14 OR 1=1')\n  AND \"key\" = 'X1load'\n  AND strpos(\"value\", 'it''s') > 0\nORDER BY year, month, day, hour, \"$path\""
        );
        spec.sort_by_event_time = true;
        assert!(report_query(&spec, from, from + 2, &target())
            .expect("sql")
            .ends_with("ORDER BY \"eventtime\""));
    }
}
