//! Reading what is to be published: DataMiner offload CSV files (their type from a header
//! row, the file name or the user), custom files already in PutRecords shape (JSONL with
//! `Data` and an optional `PartitionKey`), or plain lines. Every record gets its partition
//! key from a template; a row that cannot become a record is reported by file and line and
//! skipped, never sent half-converted.

use std::path::{Path, PathBuf};

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::dataminer::{self, DataType, Layout};
use crate::decode::sniff;
use crate::error::{CoreError, Result};

/// How the files are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum PublishFormat {
    /// DataMiner offload CSV → Data / DataAvg / Alarm JSON.
    Dataminer,
    /// One PutRecords entry per line: `{"Data": base64 or JSON, "PartitionKey": …}`.
    Jsonl,
    /// Each line is a record as it is.
    Lines,
}

/// Kinesis limits for one record: data plus partition key.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// One record to put.
#[derive(Debug, Clone, PartialEq)]
pub struct OutRecord {
    pub data: Vec<u8>,
    pub partition_key: String,
    pub data_type: Option<DataType>,
    /// Its line in the file, which the resume ledger knows it by.
    pub index: u64,
    pub line: u64,
}

/// A row that was not sent, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RowProblem {
    pub file: String,
    pub line: u32,
    pub reason: String,
}

/// One file, read.
#[derive(Debug, Clone)]
pub struct FileRecords {
    pub path: PathBuf,
    pub data_type: Option<DataType>,
    pub rows: u64,
    pub records: Vec<OutRecord>,
    pub problems: Vec<RowProblem>,
}

/// The files under the given paths (folders searched recursively, hidden files skipped),
/// sorted so a run is repeatable.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if !p.exists() {
            return Err(CoreError::invalid(
                "file",
                format!("{} does not exist", p.display()),
            ));
        }
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            while let Some(dir) = stack.pop() {
                let entries = std::fs::read_dir(&dir)
                    .map_err(|e| CoreError::invalid("folder", format!("{}: {e}", dir.display())))?;
                for e in entries.flatten() {
                    let path = e.path();
                    let hidden = path
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                    if hidden {
                        continue;
                    }
                    if path.is_dir() {
                        stack.push(path);
                    } else {
                        out.push(path);
                    }
                }
            }
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Fills a `{FIELD}` template from a record's fields.
pub fn fill_template(
    template: &str,
    get: &dyn Fn(&str) -> Option<String>,
) -> std::result::Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| format!("the partition key template '{template}' has an unclosed {{"))?;
        let name = &rest[open + 1..open + close];
        out.push_str(
            &get(name).ok_or_else(|| format!("the record has no {name} for the partition key"))?,
        );
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    if out.is_empty() || out.chars().count() > 256 {
        return Err(format!(
            "the partition key '{out}' must be 1 to 256 characters"
        ));
    }
    Ok(out)
}

fn check_size(data: &[u8], key: &str) -> std::result::Result<(), String> {
    if data.len() + key.len() > MAX_RECORD_BYTES {
        Err(format!(
            "{} bytes: a Kinesis record holds at most 1 MiB",
            data.len() + key.len()
        ))
    } else {
        Ok(())
    }
}

/// Reads one file into records.
pub fn read_file(
    path: &Path,
    format: PublishFormat,
    forced_type: Option<DataType>,
    template: Option<&str>,
) -> Result<FileRecords> {
    let bytes = std::fs::read(path)
        .map_err(|e| CoreError::invalid("file", format!("{}: {e}", path.display())))?;
    let name = path.display().to_string();
    let mut file = FileRecords {
        path: path.to_path_buf(),
        data_type: None,
        rows: 0,
        records: Vec::new(),
        problems: Vec::new(),
    };
    let problem = |line: u64, reason: String| RowProblem {
        file: name.clone(),
        line: line as u32,
        reason,
    };
    match format {
        PublishFormat::Dataminer => {
            let delimiter =
                sniff::csv_delimiter(&bytes[..bytes.len().min(64 * 1024)]).unwrap_or(b',');
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(&bytes[..]);
            let mut layout: Option<Layout> = None;
            let mut first = true;
            for rec in reader.records() {
                let rec = match rec {
                    Ok(r) => r,
                    Err(e) => {
                        let line = e.position().map_or(0, |p| p.line());
                        file.problems.push(problem(line, e.to_string()));
                        continue;
                    }
                };
                let line = rec.position().map_or(0, |p| p.line());
                let cells: Vec<String> = rec.iter().map(str::to_string).collect();
                if first {
                    first = false;
                    if let Some(t) = DataType::from_header(&cells) {
                        let t = forced_type.unwrap_or(t);
                        layout = Some(Layout::from_header(t, &cells).map_err(|e| {
                            CoreError::invalid("file", format!("{name} line {line}: {e}"))
                        })?);
                        continue;
                    }
                    let t = forced_type
                        .or_else(|| DataType::from_file_name(&path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()))
                        .ok_or_else(|| CoreError::invalid("file", format!("{name}: no header row and no type in the name; choose Data, DataAvg or Alarm")))?;
                    layout = Some(Layout::ordered(t));
                }
                let Some(l) = layout.as_ref() else { continue };
                file.data_type = Some(l.data_type);
                file.rows += 1;
                let converted = dataminer::to_json(l, &cells).and_then(|json| {
                    let t = template.unwrap_or(l.data_type.default_partition_key());
                    let key =
                        fill_template(t, &|f| l.get(&cells, f).map(|v| v.trim().to_string()))?;
                    check_size(json.as_bytes(), &key)?;
                    Ok((json, key))
                });
                match converted {
                    Ok((json, key)) => file.records.push(OutRecord {
                        data: json.into_bytes(),
                        partition_key: key,
                        data_type: Some(l.data_type),
                        index: line,
                        line,
                    }),
                    Err(reason) => file.problems.push(problem(line, reason)),
                }
            }
            if file.data_type.is_none() {
                file.data_type = layout.map(|l| l.data_type);
            }
        }
        PublishFormat::Jsonl | PublishFormat::Lines => {
            let text = String::from_utf8_lossy(&bytes);
            for (i, raw) in text.lines().enumerate() {
                let line = i as u64 + 1;
                let raw = raw.trim_end_matches('\r');
                if raw.trim().is_empty() {
                    continue;
                }
                file.rows += 1;
                let index = file.records.len() as u64;
                let made = if format == PublishFormat::Jsonl {
                    jsonl_record(raw, index, template)
                } else {
                    let key = match template {
                        Some(t) => fill_template(t, &|f| (f == "line").then(|| line.to_string())),
                        None => Ok(file.records.len().to_string()),
                    };
                    key.map(|k| (raw.as_bytes().to_vec(), k))
                };
                match made.and_then(|(data, key)| check_size(&data, &key).map(|()| (data, key))) {
                    Ok((data, partition_key)) => file.records.push(OutRecord {
                        data,
                        partition_key,
                        data_type: None,
                        index: line,
                        line,
                    }),
                    Err(reason) => file.problems.push(problem(line, reason)),
                }
            }
        }
    }
    Ok(file)
}

/// A PutRecords-shaped line: `Data` as base64 (the AWS CLI's shape) or any JSON value.
fn jsonl_record(
    raw: &str,
    index: u64,
    template: Option<&str>,
) -> std::result::Result<(Vec<u8>, String), String> {
    let v: serde_json::Value = serde_json::from_str(raw).map_err(|e| format!("not JSON: {e}"))?;
    let obj = v.as_object().ok_or("not a JSON object")?;
    let data = match obj.get("Data") {
        Some(serde_json::Value::String(s)) => base64::engine::general_purpose::STANDARD
            .decode(s.trim())
            .map_err(|_| "Data is not base64".to_string())?,
        Some(other) => other.to_string().into_bytes(),
        None => raw.as_bytes().to_vec(),
    };
    let key = match (obj.get("PartitionKey").and_then(|k| k.as_str()), template) {
        (Some(k), _) => fill_template(k, &|_| None)?,
        (None, Some(t)) => fill_template(t, &|f| {
            obj.get(f)
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        })?,
        (None, None) => index.to_string(),
    };
    Ok((data, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write");
        p
    }

    #[test]
    fn offload_files_become_records_and_bad_rows_name_their_line() {
        let dir = tempfile::tempdir().expect("dir");
        let p = write(
            dir.path(),
            "DMA35712_Data_1.csv",
            "35712;1743;7017;idx;0.1;2019-11-25T15:10:00;1574694600;0;d;e;p\n\
             35712;1743;7018;idx;0.2;2019-11-25T15:10:00;not-a-time;0;d;e;p\n\
             35712;1743;7019;idx;0.3;2019-11-25T15:10:00;1574694600;0;d;e;p\n",
        );
        let f = read_file(&p, PublishFormat::Dataminer, None, None).expect("read");
        assert_eq!(
            (f.data_type, f.rows, f.records.len()),
            (Some(DataType::Data), 3, 2)
        );
        assert_eq!(f.records[1].partition_key, "35712/1743/7019");
        assert_eq!(f.records[1].index, 3, "known by its line");
        assert_eq!(f.problems.len(), 1);
        assert_eq!(f.problems[0].line, 2);
        assert!(
            f.problems[0].reason.contains("TIMESTAMP_UNIX"),
            "{:?}",
            f.problems
        );
        let err = read_file(
            &write(dir.path(), "x.csv", "1,2,3\n"),
            PublishFormat::Dataminer,
            None,
            None,
        )
        .expect_err("no type");
        assert!(err.to_string().contains("choose Data, DataAvg or Alarm"));
    }

    #[test]
    fn putrecords_lines_keep_their_data_and_key() {
        let dir = tempfile::tempdir().expect("dir");
        let p = write(
            dir.path(),
            "custom.jsonl",
            "{\"Data\":\"aGVsbG8=\",\"PartitionKey\":\"k1\"}\n{\"Data\":{\"a\":1}}\n\nnot json\n",
        );
        let f = read_file(&p, PublishFormat::Jsonl, None, None).expect("read");
        assert_eq!(f.records[0].data, b"hello");
        assert_eq!(f.records[0].partition_key, "k1");
        assert_eq!(f.records[1].data, b"{\"a\":1}");
        assert_eq!(f.problems[0].line, 4);
        assert_eq!(
            fill_template("{DMAID}-x", &|f| (f == "DMAID").then(|| "7".into())),
            Ok("7-x".into())
        );
        assert!(fill_template("{NOPE}", &|_| None).is_err());
    }
}
