//! One object's rows: gunzip as the bytes arrive (gzip known by its magic bytes, whatever the
//! key says), parse CSV, keep the rows the filters match, and encode the chosen columns.
//!
//! Runs on a blocking thread per object so both cores decompress at once. Output leaves in
//! chunks of about 1 MiB through a bounded channel, so memory stays flat however large the
//! object. A file may start with its own header row (columns found by name) or not (the
//! MachineMetrics order); a row that cannot be read names its line.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Read};

use lines::{Record, Records};

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
    terminator: &'static [u8],
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
            terminator: if crlf { b"\r\n" } else { b"\n" },
            keep_sort_keys: spec.sort_by_event_time,
        }
    }

    pub fn columns(&self) -> &[String] {
        &self.columns
    }
}

/// Column positions in one file.
struct Schema {
    width: usize,
    /// For each output column, its position in the file's rows.
    output: Vec<usize>,
    /// The output is every column in file order: a quote-free line is copied as it is.
    identity: bool,
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
            identity: output.len() == names.len()
                && output.iter().enumerate().all(|(i, p)| i == *p),
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
fn is_header(record: &Record) -> bool {
    let known = (0..record.len())
        .filter(|&i| {
            MACHINEMETRICS_COLUMNS
                .iter()
                .any(|c| c.as_bytes() == record.field(i))
        })
        .count();
    known >= 2 && known * 2 >= record.len()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || memchr::memmem::find(hay, needle).is_some()
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
    let mut records = Records::new(std::io::BufReader::with_capacity(256 * 1024, plain));
    let mut stats = ObjectStats::default();
    let mut schema: Option<Schema> = None;
    let mut rec = Record::default();
    let mut chunk = Chunk {
        data: Vec::with_capacity(CHUNK_BYTES + 64 * 1024),
        ..Chunk::default()
    };
    let mut keys: Vec<u8> = Vec::new();
    while records.next_into(&mut rec)? {
        let line = rec.line;
        if schema.is_none() {
            if is_header(&rec) {
                let names: Vec<String> = (0..rec.len())
                    .map(|i| String::from_utf8_lossy(rec.field(i)).trim().to_string())
                    .collect();
                schema = Some(Schema::new(&names, rules).map_err(|e| format!("line {line}: {e}"))?);
                continue;
            }
            schema = Some(Schema::machinemetrics(rules).map_err(|e| format!("line {line}: {e}"))?);
        }
        let Some(s) = schema.as_ref() else { continue };
        stats.rows_read += 1;
        if rec.len() < s.width {
            return Err(format!(
                "line {line}: {} fields, expected {}",
                rec.len(),
                s.width
            ));
        }
        let overflow = rec.len() > s.width;
        rec.fold_into(s.width);
        let field = |i: Option<usize>| i.map_or(&b""[..], |i| rec.field(i));
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
        chunk.row_count += 1;
        let event = field(s.event_time);
        note_machine(&mut stats, machine, event);
        let start = chunk.data.len();
        if rec.raw && s.identity && !overflow {
            chunk.data.extend_from_slice(&rec.buf);
        } else {
            for (n, &i) in s.output.iter().enumerate() {
                if n > 0 {
                    chunk.data.push(b',');
                }
                lines::write_field(&mut chunk.data, rec.field(i));
            }
        }
        chunk.data.extend_from_slice(rules.terminator);
        if rules.keep_sort_keys {
            let key_start = keys.len();
            keys.extend_from_slice(event);
            chunk.rows.push(RowSpan {
                start,
                end: chunk.data.len(),
                key_start,
                key_end: keys.len(),
            });
        }
        if chunk.data.len() + keys.len() >= CHUNK_BYTES
            && !send(finish_chunk(&mut chunk, &mut keys))
        {
            return Ok(None);
        }
    }
    let last = finish_chunk(&mut chunk, &mut keys);
    if last.row_count > 0 && !send(last) {
        return Ok(None);
    }
    Ok(Some(stats))
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
    if m.first_event
        .as_deref()
        .is_none_or(|f| event < f.as_bytes())
    {
        m.first_event = Some(String::from_utf8_lossy(event).into_owned());
    }
    if m.last_event.as_deref().is_none_or(|l| event > l.as_bytes()) {
        m.last_event = Some(String::from_utf8_lossy(event).into_owned());
    }
}

/// Takes the rows gathered so far as a chunk; sort keys are appended after them.
fn finish_chunk(chunk: &mut Chunk, keys: &mut Vec<u8>) -> Chunk {
    let mut full = std::mem::replace(
        chunk,
        Chunk {
            data: Vec::with_capacity(CHUNK_BYTES + 64 * 1024),
            ..Chunk::default()
        },
    );
    if !full.rows.is_empty() {
        let base = full.data.len();
        full.data.extend_from_slice(keys);
        for r in &mut full.rows {
            r.key_start += base;
            r.key_end += base;
        }
    }
    keys.clear();
    full
}

/// The error for an object that could not be read.
pub fn object_error(key: &str, detail: &str) -> CoreError {
    CoreError::invalid(format!("object {key}"), detail.to_string())
}

mod lines;

pub use lines::write_field;

#[cfg(test)]
mod tests;
