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

/// One thing read from a file: a record to send, or a row that cannot be one.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Record(OutRecord),
    Problem(RowProblem),
}

/// The longest line a Lines or JSONL file may have: one record's limit and its key. The
/// rest of a longer line is skipped without being held.
const MAX_LINE_BYTES: usize = MAX_RECORD_BYTES + 1024;

/// A DataMiner offload file, read one CSV row at a time.
struct OffloadRows {
    reader: csv::Reader<std::io::Chain<std::io::Cursor<Vec<u8>>, std::fs::File>>,
    record: csv::StringRecord,
    layout: Layout,
    /// The first row when it was data, not a header: it comes out first.
    first: Option<csv::StringRecord>,
}

enum Rows {
    Offload(Box<OffloadRows>),
    Lines {
        reader: std::io::BufReader<std::fs::File>,
        line: u64,
        buf: Vec<u8>,
    },
    Done,
}

/// One file, read a record at a time: memory stays that of one row whatever the file's size.
pub struct FileStream {
    pub path: PathBuf,
    /// Known once the file is open (a header row, the file name or the user's choice).
    pub data_type: Option<DataType>,
    /// Rows read so far (blank lines and a header are not rows).
    pub rows: u64,
    /// Records made so far.
    pub records: u64,
    /// Bytes of the file read so far, for progress.
    pub bytes_read: u64,
    format: PublishFormat,
    template: Option<String>,
    name: String,
    rows_source: Rows,
    /// Problems found while opening, reported before the first record.
    queued: std::collections::VecDeque<Item>,
}

fn file_error(path: &Path, e: impl std::fmt::Display) -> CoreError {
    CoreError::invalid("file", format!("{}: {e}", path.display()))
}

impl FileStream {
    /// Opens `path`; an offload file's first row decides its type and layout here.
    pub fn open(
        path: &Path,
        format: PublishFormat,
        forced_type: Option<DataType>,
        template: Option<&str>,
    ) -> Result<Self> {
        use std::io::Read;
        let name = path.display().to_string();
        let mut file = std::fs::File::open(path).map_err(|e| file_error(path, e))?;
        let mut queued = std::collections::VecDeque::new();
        let (data_type, rows_source) = match format {
            PublishFormat::Dataminer => {
                let mut head = Vec::with_capacity(64 * 1024);
                (&mut file)
                    .take(64 * 1024)
                    .read_to_end(&mut head)
                    .map_err(|e| file_error(path, e))?;
                let delimiter = sniff::csv_delimiter(&head).unwrap_or(b',');
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(delimiter)
                    .from_reader(std::io::Cursor::new(head).chain(file));
                let mut record = csv::StringRecord::new();
                // The first row that parses is a header or the first data row; rows before
                // it that do not parse are reported first.
                let mut first_row = None;
                loop {
                    match reader.read_record(&mut record) {
                        Ok(true) => {
                            first_row = Some(record.clone());
                            break;
                        }
                        Ok(false) => break,
                        Err(e) if e.is_io_error() => return Err(file_error(path, e)),
                        Err(e) => queued.push_back(Item::Problem(RowProblem {
                            file: name.clone(),
                            line: e.position().map_or(0, |p| p.line()) as u32,
                            reason: e.to_string(),
                        })),
                    }
                }
                let mut first = None;
                let layout = match first_row {
                    None => None,
                    Some(row) => {
                        let cells: Vec<String> = row.iter().map(str::to_string).collect();
                        let line = row.position().map_or(0, |p| p.line());
                        match DataType::from_header(&cells) {
                            Some(t) => Some(
                                Layout::from_header(forced_type.unwrap_or(t), &cells).map_err(
                                    |e| {
                                        CoreError::invalid(
                                            "file",
                                            format!("{name} line {line}: {e}"),
                                        )
                                    },
                                )?,
                            ),
                            None => {
                                let from_name = path
                                    .file_name()
                                    .map(|n| n.to_string_lossy().into_owned())
                                    .and_then(|n| DataType::from_file_name(&n));
                                let t = forced_type.or(from_name).ok_or_else(|| {
                                    CoreError::invalid("file", format!("{name}: no header row and no type in the name; choose Data, DataAvg or Alarm"))
                                })?;
                                first = Some(row);
                                Some(Layout::ordered(t))
                            }
                        }
                    }
                };
                match layout {
                    Some(layout) => (
                        Some(layout.data_type),
                        Rows::Offload(Box::new(OffloadRows {
                            reader,
                            record,
                            layout,
                            first,
                        })),
                    ),
                    None => (None, Rows::Done),
                }
            }
            PublishFormat::Jsonl | PublishFormat::Lines => (
                None,
                Rows::Lines {
                    reader: std::io::BufReader::with_capacity(64 * 1024, file),
                    line: 0,
                    buf: Vec::new(),
                },
            ),
        };
        Ok(Self {
            path: path.to_path_buf(),
            data_type,
            rows: 0,
            records: 0,
            bytes_read: 0,
            format,
            template: template.map(str::to_string),
            name,
            rows_source,
            queued,
        })
    }

    fn problem(&self, line: u64, reason: String) -> Item {
        Item::Problem(RowProblem {
            file: self.name.clone(),
            line: line as u32,
            reason,
        })
    }

    /// The next record or problem; `None` at the end. A read error ends the file with an error.
    pub fn next_item(&mut self) -> Result<Option<Item>> {
        if let Some(item) = self.queued.pop_front() {
            return Ok(Some(item));
        }
        match self.rows_source {
            Rows::Offload(_) => self.next_offload(),
            Rows::Lines { .. } => self.next_line(),
            Rows::Done => Ok(None),
        }
    }

    fn next_offload(&mut self) -> Result<Option<Item>> {
        let Rows::Offload(rows) = &mut self.rows_source else {
            return Ok(None);
        };
        let row = match rows.first.take() {
            Some(row) => row,
            None => match rows.reader.read_record(&mut rows.record) {
                Ok(true) => rows.record.clone(),
                Ok(false) => return Ok(None),
                Err(e) if e.is_io_error() => return Err(file_error(&self.path, e)),
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    return Ok(Some(self.problem(line, e.to_string())));
                }
            },
        };
        self.bytes_read = rows.reader.position().byte();
        let line = row.position().map_or(0, |p| p.line());
        let cells: Vec<String> = row.iter().map(str::to_string).collect();
        let l = &rows.layout;
        self.rows += 1;
        let converted = dataminer::to_json(l, &cells).and_then(|json| {
            let t = self
                .template
                .as_deref()
                .unwrap_or(l.data_type.default_partition_key());
            let key = fill_template(t, &|f| l.get(&cells, f).map(|v| v.trim().to_string()))?;
            check_size(json.as_bytes(), &key)?;
            Ok((json, key))
        });
        let data_type = l.data_type;
        Ok(Some(match converted {
            Ok((json, key)) => {
                self.records += 1;
                Item::Record(OutRecord {
                    data: json.into_bytes(),
                    partition_key: key,
                    data_type: Some(data_type),
                    index: line,
                    line,
                })
            }
            Err(reason) => self.problem(line, reason),
        }))
    }

    fn next_line(&mut self) -> Result<Option<Item>> {
        loop {
            let Rows::Lines { reader, line, buf } = &mut self.rows_source else {
                return Ok(None);
            };
            let (read, whole) = read_line_bounded(reader, buf, MAX_LINE_BYTES)
                .map_err(|e| file_error(&self.path, e))?;
            if read == 0 {
                return Ok(None);
            }
            self.bytes_read += read as u64;
            *line += 1;
            let line = *line;
            if !whole {
                self.rows += 1;
                return Ok(Some(self.problem(
                    line,
                    format!(
                        "longer than {MAX_LINE_BYTES} bytes: a Kinesis record holds at most 1 MiB"
                    ),
                )));
            }
            let text = String::from_utf8_lossy(buf);
            let raw = text.trim_end_matches('\n').trim_end_matches('\r');
            if raw.trim().is_empty() {
                continue;
            }
            self.rows += 1;
            let made = if self.format == PublishFormat::Jsonl {
                jsonl_record(raw, self.records, self.template.as_deref())
            } else {
                let key = match self.template.as_deref() {
                    Some(t) => fill_template(t, &|f| (f == "line").then(|| line.to_string())),
                    None => Ok(self.records.to_string()),
                };
                key.map(|k| (raw.as_bytes().to_vec(), k))
            };
            let item =
                match made.and_then(|(data, key)| check_size(&data, &key).map(|()| (data, key))) {
                    Ok((data, partition_key)) => {
                        self.records += 1;
                        Item::Record(OutRecord {
                            data,
                            partition_key,
                            data_type: None,
                            index: line,
                            line,
                        })
                    }
                    Err(reason) => self.problem(line, reason),
                };
            return Ok(Some(item));
        }
    }
}

/// Reads one whole file into records (tests, the benchmark and small previews; a run
/// streams with [`FileStream`]).
pub fn read_file(
    path: &Path,
    format: PublishFormat,
    forced_type: Option<DataType>,
    template: Option<&str>,
) -> Result<FileRecords> {
    let mut stream = FileStream::open(path, format, forced_type, template)?;
    let mut file = FileRecords {
        path: path.to_path_buf(),
        data_type: stream.data_type,
        rows: 0,
        records: Vec::new(),
        problems: Vec::new(),
    };
    while let Some(item) = stream.next_item()? {
        match item {
            Item::Record(r) => file.records.push(r),
            Item::Problem(p) => file.problems.push(p),
        }
    }
    file.rows = stream.rows;
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

mod lines;

use lines::read_line_bounded;

#[cfg(test)]
mod tests;
