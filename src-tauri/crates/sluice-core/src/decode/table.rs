//! Turning the first bytes of a file into a table: CSV (with or without a header — the
//! MachineMetrics columns are known), JSONL and JSON (nested objects flattened with the
//! stream records' rules, so `strmMeta.timestamp` is a column), plain text (one column) and binary (a hex dump).

use serde::Serialize;

use super::formats::{flatten, looks_like_timestamp, MACHINEMETRICS_COLUMNS};
use super::sniff::ContentKind;

/// Where the column names came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ColumnSource {
    /// The file's first row.
    HeaderRow,
    /// A known vendor schema (the file has no header).
    MachineMetrics,
    /// JSON keys.
    JsonKeys,
    /// Numbered, for a headerless CSV of unknown schema; or fixed (text, hex).
    Generated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub column_source: ColumnSource,
    /// Lines that could not be parsed (bad JSON, for instance), skipped.
    pub invalid_lines: u32,
}

/// Only whole lines: drops a trailing partial line unless the data is complete.
fn whole_lines(data: &[u8], complete: bool) -> &[u8] {
    if complete {
        return data;
    }
    match data.iter().rposition(|&b| b == b'\n') {
        Some(i) => &data[..=i],
        None => &[],
    }
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.parse::<f64>().is_ok()
}

fn csv_table(data: &[u8], max_rows: usize) -> Table {
    let delimiter = super::sniff::csv_delimiter(data).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(data);
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut invalid = 0u32;
    for rec in reader.records().take(max_rows + 1) {
        match rec {
            Ok(r) => records.push(r.iter().map(str::to_string).collect()),
            Err(_) => invalid += 1,
        }
    }
    let width = records.iter().map(Vec::len).max().unwrap_or(0);
    let first = records.first().cloned().unwrap_or_default();
    let is_mm_header = first.len() == 12
        && first
            .iter()
            .zip(MACHINEMETRICS_COLUMNS)
            .all(|(a, b)| a.trim().eq_ignore_ascii_case(b));
    let looks_mm = first.len() == 12 && looks_like_timestamp(&first[0]);
    let unique = {
        let mut seen = std::collections::HashSet::new();
        first.iter().all(|f| seen.insert(f.as_str()))
    };
    let header_like = !first.is_empty()
        && unique
        && first
            .iter()
            .all(|f| !f.trim().is_empty() && !is_number(f.trim()) && !looks_like_timestamp(f))
        && records.get(1).is_none_or(|second| {
            second
                .iter()
                .any(|f| is_number(f.trim()) || looks_like_timestamp(f))
                || second != &first
        });
    let (columns, source, skip) = if is_mm_header || (header_like && !looks_mm) {
        (first.clone(), ColumnSource::HeaderRow, 1)
    } else if looks_mm {
        (
            MACHINEMETRICS_COLUMNS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            ColumnSource::MachineMetrics,
            0,
        )
    } else {
        (
            (1..=width).map(|i| format!("column {i}")).collect(),
            ColumnSource::Generated,
            0,
        )
    };
    let mut columns = columns;
    while columns.len() < width {
        columns.push(format!("column {}", columns.len() + 1));
    }
    let mut rows: Vec<Vec<String>> = records.into_iter().skip(skip).take(max_rows).collect();
    if looks_mm || is_mm_header {
        // MachineMetrics' description is free text: an unquoted comma in it splits the
        // line into more than 12 fields. The description takes the rest of the line.
        let sep = char::from(delimiter).to_string();
        for row in rows.iter_mut().filter(|r| r.len() > 12) {
            let rest = row.split_off(11).join(&sep);
            row.push(rest);
        }
        columns.truncate(12);
    }
    Table {
        columns,
        rows,
        column_source: source,
        invalid_lines: invalid,
    }
}

/// Rows of JSON objects → columns in first-seen order, nested objects flattened as in
/// stream records (`formats::flatten`).
fn json_rows(
    objects: impl Iterator<Item = Option<serde_json::Value>>,
    max_rows: usize,
    invalid: &mut u32,
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut columns: Vec<String> = Vec::new();
    let mut maps: Vec<Vec<(String, String)>> = Vec::new();
    for obj in objects {
        if maps.len() >= max_rows {
            break;
        }
        let Some(serde_json::Value::Object(map)) = obj else {
            *invalid += 1;
            continue;
        };
        let mut fields = Vec::new();
        flatten("", &serde_json::Value::Object(map), &mut fields);
        let row: Vec<(String, String)> = fields.into_iter().map(|f| (f.name, f.value)).collect();
        for (k, _) in &row {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
        maps.push(row);
    }
    let rows = maps
        .into_iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| {
                    row.iter()
                        .find(|(k, _)| k == c)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    (columns, rows)
}

fn hex_table(data: &[u8], max_rows: usize) -> Table {
    let rows = data
        .chunks(16)
        .take(max_rows)
        .enumerate()
        .map(|(i, chunk)| {
            let hex = chunk
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(" ");
            let ascii = chunk
                .iter()
                .map(|&b| {
                    if b.is_ascii_graphic() || b == b' ' {
                        b as char
                    } else {
                        '.'
                    }
                })
                .collect();
            vec![format!("{:08x}", i * 16), hex, ascii]
        })
        .collect();
    Table {
        columns: vec!["offset".into(), "hex".into(), "text".into()],
        rows,
        column_source: ColumnSource::Generated,
        invalid_lines: 0,
    }
}

/// Builds the table for `kind` from decompressed `data`. `complete` says whether `data` is
/// the whole file (else a trailing partial line is ignored).
pub fn build(kind: ContentKind, data: &[u8], complete: bool, max_rows: usize) -> Table {
    let mut invalid = 0u32;
    match kind {
        ContentKind::Csv => csv_table(whole_lines(data, complete), max_rows),
        ContentKind::Jsonl => {
            let text = String::from_utf8_lossy(whole_lines(data, complete));
            let objects = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str::<serde_json::Value>(l).ok());
            let (columns, rows) = json_rows(objects, max_rows, &mut invalid);
            Table {
                columns,
                rows,
                column_source: ColumnSource::JsonKeys,
                invalid_lines: invalid,
            }
        }
        ContentKind::Json => match serde_json::from_slice::<serde_json::Value>(data) {
            Ok(serde_json::Value::Array(items)) => {
                let (columns, rows) =
                    json_rows(items.into_iter().map(Some), max_rows, &mut invalid);
                Table {
                    columns,
                    rows,
                    column_source: ColumnSource::JsonKeys,
                    invalid_lines: invalid,
                }
            }
            Ok(v @ serde_json::Value::Object(_)) => {
                let (columns, rows) = json_rows(std::iter::once(Some(v)), max_rows, &mut invalid);
                Table {
                    columns,
                    rows,
                    column_source: ColumnSource::JsonKeys,
                    invalid_lines: invalid,
                }
            }
            // Cut by the byte budget, or not JSON after all: show it as text.
            _ => build(ContentKind::Text, data, complete, max_rows),
        },
        ContentKind::Text => {
            let text = String::from_utf8_lossy(whole_lines(data, complete));
            Table {
                columns: vec!["line".into()],
                rows: text
                    .lines()
                    .take(max_rows)
                    .map(|l| vec![l.to_string()])
                    .collect(),
                column_source: ColumnSource::Generated,
                invalid_lines: 0,
            }
        }
        ContentKind::Binary => hex_table(data, max_rows),
        ContentKind::Empty => Table {
            columns: Vec::new(),
            rows: Vec::new(),
            column_source: ColumnSource::Generated,
            invalid_lines: 0,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MM: &str = "2020-09-21 13:03:30.907,2020-09-21 13:03:35.720,37326c68-f123-46fb-34fa-0d468f673100,1013,Sample,LOAD,X1load,6,,,,\n2020-09-21 13:03:31.000,2020-09-21 13:03:36.000,37326c68-f123-46fb-34fa-0d468f673100,1013,Sample,EXECUTION,execution,ACTIVE,,,,\n";

    #[test]
    fn headerless_machinemetrics_csv_gets_the_known_columns() {
        let t = build(ContentKind::Csv, MM.as_bytes(), true, 100);
        assert_eq!(t.column_source, ColumnSource::MachineMetrics);
        assert_eq!(t.columns[0], "eventTime");
        assert_eq!(t.columns[11], "description");
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0][7], "6");
    }

    #[test]
    fn a_description_with_an_unquoted_comma_takes_the_rest_of_the_line() {
        let line = "2020-09-21 13:03:31.000,2020-09-21 13:03:36.000,c,1013,Sample,ALARM,a1,1,E7,3,,Door open, cycle stopped\n";
        let data = format!("{MM}{line}");
        let t = build(ContentKind::Csv, data.as_bytes(), true, 100);
        assert_eq!(t.column_source, ColumnSource::MachineMetrics);
        assert_eq!(t.columns.len(), 12);
        let last = t.rows.last().expect("row");
        assert_eq!(last.len(), 12);
        assert_eq!(last[11], "Door open, cycle stopped");
    }

    #[test]
    fn quoted_fields_and_other_delimiters_make_proper_columns() {
        let alarms = "machineRef;description;value\n1013;\"Door open; cycle stopped\";1\n1014;\"Said \"\"stop\"\"\";0\n";
        let t = build(ContentKind::Csv, alarms.as_bytes(), true, 100);
        assert_eq!(t.columns, vec!["machineRef", "description", "value"]);
        assert_eq!(t.rows[0][1], "Door open; cycle stopped");
        assert_eq!(t.rows[1][1], "Said \"stop\"");
        let crlf = "a,b\r\n1,\"two\r\nlines\"\r\n";
        let t = build(ContentKind::Csv, crlf.as_bytes(), true, 100);
        assert_eq!(
            t.rows,
            vec![vec!["1".to_string(), "two\r\nlines".to_string()]]
        );
    }

    #[test]
    fn csv_with_a_header_uses_it() {
        let data = format!("{}\n{MM}", MACHINEMETRICS_COLUMNS.join(","));
        let t = build(ContentKind::Csv, data.as_bytes(), true, 100);
        assert_eq!(t.column_source, ColumnSource::HeaderRow);
        assert_eq!(t.rows.len(), 2);
        let emnify = "endpoint_id,endpoint_name,sim_iccid,volume_rx\n4711,Truck 12,8988303000000001234,1024\n";
        let t = build(ContentKind::Csv, emnify.as_bytes(), true, 100);
        assert_eq!(
            t.columns,
            vec!["endpoint_id", "endpoint_name", "sim_iccid", "volume_rx"]
        );
        assert_eq!(
            t.rows,
            vec![vec!["4711", "Truck 12", "8988303000000001234", "1024"]]
        );
    }

    #[test]
    fn headerless_unknown_csv_gets_numbered_columns_and_partial_lines_are_dropped() {
        let t = build(ContentKind::Csv, b"1,2,3\n4,5,6\n7,8", false, 100);
        assert_eq!(t.columns, vec!["column 1", "column 2", "column 3"]);
        assert_eq!(t.rows.len(), 2);
        let t = build(ContentKind::Csv, b"1,2,3\n4,5,6\n7,8,9\n", true, 2);
        assert_eq!(t.rows.len(), 2);
    }

    #[test]
    fn jsonl_with_strm_meta_is_flattened() {
        let data = b"{\"strmMeta\":{\"schemaId\":\"nps_unified_v1\",\"timestamp\":1616752583028},\"device_id\":\"d1\"}\nnot json\n{\"device_id\":\"d2\",\"extra\":true}\n";
        let t = build(ContentKind::Jsonl, data, true, 100);
        assert_eq!(
            t.columns,
            vec![
                "strmMeta.schemaId",
                "strmMeta.timestamp",
                "device_id",
                "extra"
            ]
        );
        assert_eq!(t.rows[0], vec!["nps_unified_v1", "1616752583028", "d1", ""]);
        assert_eq!(t.rows[1], vec!["", "", "d2", "true"]);
        assert_eq!(t.invalid_lines, 1);
    }

    #[test]
    fn a_file_row_flattens_like_a_stream_record() {
        let line = br#"{"event_type":{"id":3},"endpoint":{"name":"gw-7","operator":{"country":{"mcc":"262"}}},"tags":[1,2]}"#;
        let t = build(ContentKind::Jsonl, line, true, 10);
        let (_, record) = crate::decode::formats::recognise(line);
        let names: Vec<&str> = record.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(t.columns, names);
        assert!(t
            .columns
            .iter()
            .any(|c| c == "endpoint.operator.country.mcc"));
        assert_eq!(
            t.rows[0],
            record.iter().map(|f| f.value.clone()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn json_text_and_binary() {
        let t = build(ContentKind::Json, b"[{\"a\":1},{\"b\":\"x\"}]", true, 100);
        assert_eq!(t.columns, vec!["a", "b"]);
        let t = build(ContentKind::Text, b"one\ntwo\n", true, 100);
        assert_eq!(t.rows, vec![vec!["one"], vec!["two"]]);
        let t = build(ContentKind::Binary, &[0u8, 1, 2, 65], true, 100);
        assert_eq!(t.rows[0], vec!["00000000", "00 01 02 41", "...A"]);
    }
}
