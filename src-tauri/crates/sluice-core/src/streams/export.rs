//! Exporting records the user filtered: CSV (one column per field, the record's own
//! columns first) or JSONL (one object per line, as `sluice stream read --json`), written
//! to a file the user chose and never over an existing one unless asked.

use serde::{Deserialize, Serialize};

use crate::context::Sluice;
use crate::decode::{json_line, DecodedRecord};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

const META: [&str; 6] = [
    "shard",
    "sequence",
    "subsequence",
    "partition_key",
    "arrival",
    "kind",
];

/// The records as text in `format`.
pub fn render(records: &[DecodedRecord], format: ExportFormat) -> String {
    match format {
        ExportFormat::Jsonl => records
            .iter()
            .map(|r| format!("{}\n", json_line(r)))
            .collect(),
        ExportFormat::Csv => {
            let mut names: Vec<&str> = Vec::new();
            for r in records {
                for f in &r.fields {
                    if !names.contains(&f.name.as_str()) {
                        names.push(&f.name);
                    }
                }
            }
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(META.iter().copied().chain(names.iter().copied()));
            for r in records {
                let kind = serde_json::to_value(r.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                let meta = [
                    r.shard.clone().unwrap_or_default(),
                    r.sequence.clone().unwrap_or_default(),
                    r.subsequence.map(|s| s.to_string()).unwrap_or_default(),
                    r.partition_key.clone().unwrap_or_default(),
                    r.arrival.clone().unwrap_or_default(),
                    kind,
                ];
                let values = names.iter().map(|n| {
                    r.fields
                        .iter()
                        .find(|f| f.name == *n)
                        .map(|f| f.value.clone())
                        .unwrap_or_default()
                });
                let _ = w.write_record(meta.into_iter().chain(values));
            }
            w.into_inner()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        }
    }
}

impl Sluice {
    /// Writes `records` to `path` in `format`; an existing file only with `replace`.
    pub fn export_records(
        &self,
        records: &[DecodedRecord],
        format: ExportFormat,
        path: &std::path::Path,
        replace: bool,
    ) -> Result<String> {
        self.save_user_file(path, render(records, format).as_bytes(), replace)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode, RecordSource};

    #[test]
    fn csv_and_jsonl_hold_every_field_whole() {
        let big = format!(
            "{{\"strmMeta\":{{\"schemaId\":\"x\"}},\"blob\":\"{}\"}}",
            "a".repeat(1024 * 1024)
        );
        let mut rows = decode(&RecordSource::default(), big.as_bytes());
        rows.extend(decode(
            &RecordSource {
                partition_key: Some("1013".into()),
                ..RecordSource::default()
            },
            b"1013,\"Door open, cycle stopped\"",
        ));
        let csv = render(&rows, ExportFormat::Csv);
        assert!(csv.starts_with("shard,sequence,subsequence,partition_key,arrival,kind,strmMeta.schemaId,blob,column 1,column 2"));
        assert!(csv.contains("\"Door open, cycle stopped\""));
        assert!(csv.len() > 1024 * 1024, "the 1 MiB field is exported whole");
        let jsonl = render(&rows, ExportFormat::Jsonl);
        assert_eq!(jsonl.lines().count(), 2);
        let second: serde_json::Value =
            serde_json::from_str(jsonl.lines().nth(1).expect("line")).expect("json");
        assert_eq!(second["fields"]["column 2"], "Door open, cycle stopped");
    }
}
