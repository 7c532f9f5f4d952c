//! Printing decoded records (one JSON object per line with `--json`, else an aligned table
//! whose columns follow the records' fields), stream info and publishing statistics.

use sluice_core::decode::{json_line, DecodedRecord};
use sluice_core::streams::info::StreamInfo;

use crate::output::Output;

/// Cells wider than this are cut (with …) in the table; `--json` has them whole.
const CELL: usize = 32;

/// At most this many field columns in the table.
const COLUMNS: usize = 12;

fn cut(text: &str) -> String {
    let one_line = text.replace(['\n', '\r'], " ");
    if one_line.chars().count() <= CELL {
        one_line
    } else {
        let head: String = one_line.chars().take(CELL - 1).collect();
        format!("{head}…")
    }
}

impl Output {
    /// Records as they arrive (a tail): one line each, JSON with --json.
    pub fn record_lines(&self, rows: &[DecodedRecord]) {
        for r in rows {
            if self.is_json() {
                println!("{}", json_line(r));
            } else {
                let kind = serde_json::to_value(r.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                let fields: Vec<String> = r
                    .fields
                    .iter()
                    .take(COLUMNS)
                    .map(|f| format!("{}={}", f.name, cut(&f.value)))
                    .collect();
                println!(
                    "{} {} {kind} {} {}",
                    r.arrival.as_deref().unwrap_or("-"),
                    r.shard.as_deref().unwrap_or("-"),
                    r.partition_key.as_deref().unwrap_or("-"),
                    fields.join(" ")
                );
            }
        }
    }

    pub fn stream_info(&self, i: &StreamInfo) {
        if self.is_json() {
            return self.print_json(i);
        }
        println!("{} ({}), {} open shard(s)", i.name, i.status, i.open_shards);
        println!("ARN:        {}", i.arn);
        if let Some(h) = i.retention_hours {
            println!("Retention:  {h} hours");
        }
        println!("Encryption: {}", i.encryption.as_deref().unwrap_or("NONE"));
        for s in &i.shards {
            let parent = s
                .parent
                .as_deref()
                .map(|p| format!(", child of {p}"))
                .unwrap_or_default();
            println!(
                "  {} {}{parent}  hash keys {}..{}",
                s.id,
                if s.open { "open" } else { "closed" },
                s.hash_key_start,
                s.hash_key_end
            );
        }
    }

    pub fn records(&self, rows: &[DecodedRecord]) {
        if self.is_json() {
            for r in rows {
                println!("{}", json_line(r));
            }
            return;
        }
        let mut names: Vec<&str> = Vec::new();
        for r in rows {
            for f in &r.fields {
                if !names.contains(&f.name.as_str()) && names.len() < COLUMNS {
                    names.push(&f.name);
                }
            }
        }
        let mut table: Vec<Vec<String>> = vec![["kind", "partition key"]
            .iter()
            .map(|s| s.to_string())
            .chain(names.iter().map(|n| cut(n)))
            .collect()];
        for r in rows {
            let kind = serde_json::to_value(r.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let mut line = vec![kind, cut(r.partition_key.as_deref().unwrap_or(""))];
            line.extend(names.iter().map(|n| {
                cut(r
                    .fields
                    .iter()
                    .find(|f| f.name == *n)
                    .map_or("", |f| f.value.as_str()))
            }));
            table.push(line);
        }
        let widths: Vec<usize> = (0..table[0].len())
            .map(|i| {
                table
                    .iter()
                    .map(|row| row[i].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in &table {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect();
            println!("{}", cells.join("  ").trim_end());
        }
        for r in rows.iter().filter(|r| !r.notes.is_empty()) {
            eprintln!(
                "note: record {}: {}",
                r.sequence.as_deref().unwrap_or("?"),
                r.notes.join("; ")
            );
        }
        eprintln!("{} record(s).", rows.len());
    }

    pub fn publish_plan(&self, p: &sluice_core::streams::publish::run::PublishPlan) {
        if self.is_json() {
            return self.print_json(p);
        }
        for f in &p.files {
            let kind = f.data_type.map_or("records", |t| t.label());
            println!(
                "{}: {} {kind} rows → {} records for {} ({} already sent, {} rows cannot be sent)",
                f.path, f.rows, f.records, f.stream, f.already_sent, f.problems
            );
        }
        for s in &p.samples {
            println!("[{}] key {}: {}", s.stream, s.partition_key, s.data);
        }
        for problem in &p.problems {
            println!(
                "skipped {} line {}: {}",
                problem.file, problem.line, problem.reason
            );
        }
        println!(
            "{} records in {} PutRecords batches, {:.0} bytes; {} rows cannot be sent. Nothing was sent (dry run).",
            p.records, p.batches, p.bytes, p.problem_count
        );
    }

    pub fn publish_stats(&self, s: &sluice_core::streams::publish::run::PublishStats) {
        if self.is_json() {
            return self.print_json(s);
        }
        println!(
            "files {} ({} done), rows {}, records sent {}, failed {}, retried {}, throttled {}, rows skipped {}, {:.0} bytes, {:.0} records/s{}",
            s.files, s.files_done, s.rows, s.sent, s.failed, s.retried, s.throttled, s.skipped_rows, s.bytes, s.records_per_second,
            if s.cancelled { " — stopped: run again to send the rest" } else { "" }
        );
        for f in &s.failures {
            println!(
                "rejected {} line {}: {} {}",
                f.file, f.line, f.code, f.message
            );
        }
        if let Some(first) = &s.first {
            println!(
                "first record: {} {} sequence {} (sluice stream read {} --from seq:{})",
                first.stream, first.shard, first.sequence, first.stream, first.sequence
            );
        }
    }
}
