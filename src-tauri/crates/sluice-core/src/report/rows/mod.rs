//! One object's rows: gunzip as the bytes arrive (gzip known by its magic bytes, whatever the
//! key says), parse CSV, keep the rows the filters match, and encode the chosen columns.
//!
//! Runs on a blocking thread per object so both cores decompress at once. Output leaves in
//! chunks of about 1 MiB through a bounded channel, so memory stays flat however large the
//! object. A file may start with its own header row (columns found by name) or not (the
//! MachineMetrics order); a row that cannot be read names its line.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Read};

use super::spec::{Filters, ReportSpec};
use crate::decode::formats::MACHINEMETRICS_COLUMNS;
use crate::decode::sniff::{self, Container};
use crate::error::CoreError;

/// Where a kept row lies in a chunk, and its event time (only when sorting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowSpan {
    pub start: usize,
    pub end: usize,
    pub key_start: usize,
    pub key_end: usize,
}

/// Encoded rows, ready to append to the output.
#[derive(Debug, Default)]
pub struct Chunk {
    pub data: Vec<u8>,
    /// Per-row spans, filled only when the report sorts; keys live after the rows in `data`.
    pub rows: Vec<RowSpan>,
    pub row_count: u64,
}

/// Per-machine counts for one object.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct MachineRows {
    pub rows: u64,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
}

/// What one object held.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ObjectStats {
    pub rows_read: u64,
    pub rows_kept: u64,
    pub machines: HashMap<String, MachineRows>,
}

/// The filters and columns, compiled once per run.
#[derive(Debug, Clone)]
pub struct RowRules {
    columns: Vec<String>,
    machines: HashSet<Vec<u8>>,
    r#type: Option<Vec<u8>>,
    key: Option<Vec<u8>>,
    value_contains: Option<Vec<u8>>,
    terminator: csv::Terminator,
    keep_sort_keys: bool,
}

impl RowRules {
    pub fn new(spec: &ReportSpec, crlf: bool) -> Self {
        let Filters {
            machines,
            r#type,
            key,
            value_contains,
        } = &spec.filters;
        let bytes = |s: &Option<String>| s.as_ref().map(|v| v.trim().as_bytes().to_vec());
        Self {
            columns: spec.output_columns(),
            machines: machines
                .iter()
                .map(|m| m.trim().as_bytes().to_vec())
                .collect(),
            r#type: bytes(r#type),
            key: bytes(key),
            value_contains: value_contains
                .as_ref()
                .filter(|v| !v.is_empty())
                .map(|v| v.as_bytes().to_vec()),
            terminator: if crlf {
                csv::Terminator::CRLF
            } else {
                csv::Terminator::Any(b'\n')
            },
            keep_sort_keys: spec.sort_by_event_time,
        }
    }

    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The header row, encoded like the data rows.
    pub fn header(&self) -> Vec<u8> {
        let mut w = self.writer(Vec::new());
        let _ = w.write_record(&self.columns);
        w.into_inner().unwrap_or_default()
    }

    fn writer(&self, out: Vec<u8>) -> csv::Writer<Vec<u8>> {
        csv::WriterBuilder::new()
            .terminator(self.terminator)
            .from_writer(out)
    }
}

/// Column positions in one file.
struct Schema {
    width: usize,
    /// For each output column, its position in the file's rows.
    output: Vec<usize>,
    event_time: Option<usize>,
    machine: Option<usize>,
    r#type: Option<usize>,
    key: Option<usize>,
    value: Option<usize>,
}

impl Schema {
    fn new(names: &[String], rules: &RowRules) -> std::result::Result<Self, String> {
        let at = |n: &str| names.iter().position(|c| c == n);
        let output = rules
            .columns
            .iter()
            .map(|c| at(c).ok_or_else(|| format!("the file has no '{c}' column")))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let need = |n: &str, used: bool| match (at(n), used) {
            (None, true) => Err(format!("the file has no '{n}' column to filter on")),
            (p, _) => Ok(p),
        };
        Ok(Self {
            width: names.len(),
            output,
            event_time: at("eventTime"),
            machine: need("machineRef", true)?,
            r#type: need("type", rules.r#type.is_some())?,
            key: need("key", rules.key.is_some())?,
            value: need("value", rules.value_contains.is_some())?,
        })
    }

    fn machinemetrics(rules: &RowRules) -> std::result::Result<Self, String> {
        let names: Vec<String> = MACHINEMETRICS_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .collect();
        Self::new(&names, rules)
    }
}

/// A header row names known columns; a data row starts with a timestamp.
fn is_header(record: &csv::ByteRecord) -> bool {
    let known = record
        .iter()
        .filter(|f| MACHINEMETRICS_COLUMNS.iter().any(|c| c.as_bytes() == *f))
        .count();
    known >= 2 && known * 2 >= record.len()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// A reader that inflates gzip when the first bytes say so.
pub fn plain_reader<'a, R: Read + 'a>(input: R) -> std::io::Result<Box<dyn Read + 'a>> {
    let mut buffered = std::io::BufReader::with_capacity(256 * 1024, input);
    let head = buffered.fill_buf()?;
    Ok(if sniff::container(head) == Container::Gzip {
        Box::new(flate2::bufread::MultiGzDecoder::new(buffered))
    } else {
        Box::new(buffered)
    })
}

const CHUNK_BYTES: usize = 1 << 20;

/// Reads every row of one object from `input`, sending kept rows to `send` in chunks. Stops
/// early (returning `Ok(None)`) when `send` returns `false`.
pub fn read_object(
    input: impl Read,
    rules: &RowRules,
    send: &mut dyn FnMut(Chunk) -> bool,
) -> std::result::Result<Option<ObjectStats>, String> {
    let plain = plain_reader(input).map_err(|e| format!("cannot read the object: {e}"))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(256 * 1024)
        .from_reader(plain);
    let mut stats = ObjectStats::default();
    let mut schema: Option<Schema> = None;
    let mut record = csv::ByteRecord::new();
    let mut writer = rules.writer(Vec::with_capacity(CHUNK_BYTES + 64 * 1024));
    let mut spans: Vec<RowSpan> = Vec::new();
    let mut keys: Vec<u8> = Vec::new();
    let mut chunk_rows = 0u64;
    let mut joined: Vec<u8> = Vec::new();
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(format!("line {}: {}", line.max(1), read_error(&e))),
        }
        let line = record.position().map_or(line, |p| p.line());
        if schema.is_none() {
            if is_header(&record) {
                let names: Vec<String> = record
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).trim().to_string())
                    .collect();
                schema = Some(Schema::new(&names, rules).map_err(|e| format!("line {line}: {e}"))?);
                continue;
            }
            schema = Some(Schema::machinemetrics(rules).map_err(|e| format!("line {line}: {e}"))?);
        }
        let Some(s) = schema.as_ref() else { continue };
        stats.rows_read += 1;
        if record.len() < s.width {
            return Err(format!(
                "line {line}: {} fields, expected {}",
                record.len(),
                s.width
            ));
        }
        let overflow = record.len() > s.width;
        if overflow {
            // An unquoted comma in the last column (a description): it takes the rest.
            joined.clear();
            for (i, f) in record.iter().skip(s.width - 1).enumerate() {
                if i > 0 {
                    joined.push(b',');
                }
                joined.extend_from_slice(f);
            }
        }
        let get = |i: usize| -> &[u8] {
            if overflow && i == s.width - 1 {
                &joined
            } else {
                record.get(i).unwrap_or_default()
            }
        };
        let field = |i: Option<usize>| i.map_or(&b""[..], get);
        let machine = field(s.machine);
        if !rules.machines.is_empty() && !rules.machines.contains(machine) {
            continue;
        }
        if rules
            .r#type
            .as_deref()
            .is_some_and(|t| field(s.r#type) != t)
            || rules.key.as_deref().is_some_and(|k| field(s.key) != k)
            || rules
                .value_contains
                .as_deref()
                .is_some_and(|v| !contains(field(s.value), v))
        {
            continue;
        }
        stats.rows_kept += 1;
        chunk_rows += 1;
        let event = field(s.event_time);
        note_machine(&mut stats, machine, event);
        let start = writer.get_ref().len();
        writer
            .write_record(s.output.iter().map(|&i| get(i)))
            .map_err(|e| format!("line {line}: {e}"))?;
        if rules.keep_sort_keys {
            let _ = writer.flush();
            let end = writer.get_ref().len();
            let key_start = keys.len();
            keys.extend_from_slice(event);
            spans.push(RowSpan {
                start,
                end,
                key_start,
                key_end: keys.len(),
            });
        }
        if writer.get_ref().len() + keys.len() >= CHUNK_BYTES {
            let full = finish_chunk(&mut writer, &mut spans, &mut keys, chunk_rows, rules);
            chunk_rows = 0;
            if !send(full) {
                return Ok(None);
            }
        }
    }
    let last = finish_chunk(&mut writer, &mut spans, &mut keys, chunk_rows, rules);
    if last.row_count > 0 && !send(last) {
        return Ok(None);
    }
    Ok(Some(stats))
}

fn read_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => format!("the data is damaged ({io})"),
        _ => e.to_string(),
    }
}

fn note_machine(stats: &mut ObjectStats, machine: &[u8], event: &[u8]) {
    let m = match stats
        .machines
        .get_mut(std::str::from_utf8(machine).unwrap_or("?"))
    {
        Some(m) => m,
        None => stats
            .machines
            .entry(String::from_utf8_lossy(machine).into_owned())
            .or_default(),
    };
    m.rows += 1;
    if event.is_empty() {
        return;
    }
    let ev = String::from_utf8_lossy(event);
    if m.first_event.as_deref().is_none_or(|f| *ev < *f) {
        m.first_event = Some(ev.to_string());
    }
    if m.last_event.as_deref().is_none_or(|l| *ev > *l) {
        m.last_event = Some(ev.into_owned());
    }
}

/// Takes the rows written so far as a chunk; sort keys are appended after them.
fn finish_chunk(
    writer: &mut csv::Writer<Vec<u8>>,
    spans: &mut Vec<RowSpan>,
    keys: &mut Vec<u8>,
    rows: u64,
    rules: &RowRules,
) -> Chunk {
    let _ = writer.flush();
    let mut data = std::mem::replace(writer, rules.writer(Vec::with_capacity(CHUNK_BYTES)))
        .into_inner()
        .unwrap_or_default();
    let mut rows_out = std::mem::take(spans);
    if rules.keep_sort_keys {
        let base = data.len();
        data.extend_from_slice(keys);
        for r in &mut rows_out {
            r.key_start += base;
            r.key_end += base;
        }
        keys.clear();
    }
    Chunk {
        data,
        rows: rows_out,
        row_count: rows,
    }
}

/// The error for an object that could not be read.
pub fn object_error(key: &str, detail: &str) -> CoreError {
    CoreError::invalid(format!("object {key}"), detail.to_string())
}

#[cfg(test)]
mod tests;
