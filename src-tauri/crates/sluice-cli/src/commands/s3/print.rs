//! Printing listings, previews, download summaries and repairs.

use sluice_core::repair::RepairReport;
use sluice_core::s3::download::DownloadSummary;
use sluice_core::s3::listing::{ListPage, ObjectEntry};
use sluice_core::s3::preview::Preview;

use crate::output::Output;

impl Output {
    pub fn objects(&self, objects: &[ObjectEntry]) {
        if self.is_json() {
            return self.print_json(&objects);
        }
        for o in objects {
            println!("{}", object_line(o));
        }
    }

    pub fn page(&self, page: &ListPage) {
        if self.is_json() {
            return self.print_json(page);
        }
        for f in &page.folders {
            println!(
                "{:>30} PRE {}",
                "",
                f.strip_prefix(&page.prefix).unwrap_or(f)
            );
        }
        for o in &page.objects {
            println!("{}", object_line(o));
        }
    }

    pub fn preview(&self, p: &Preview) {
        if let Some(note) = &p.note {
            eprintln!("note: {note}");
        }
        if self.is_json() {
            let rows: Vec<serde_json::Map<String, serde_json::Value>> = p
                .table
                .rows
                .iter()
                .map(|r| {
                    p.table
                        .columns
                        .iter()
                        .cloned()
                        .zip(r.iter().map(|v| serde_json::Value::String(v.clone())))
                        .collect()
                })
                .collect();
            return self.print_json(&rows);
        }
        eprintln!(
            "{:?} {:?}, {} rows, {} of {} bytes read",
            p.container,
            p.content,
            p.table.rows.len(),
            p.bytes_read,
            p.size
        );
        let cut = |s: &str| -> String {
            let t: String = s.chars().take(40).collect();
            if t.len() < s.len() {
                format!("{t}…")
            } else {
                t
            }
        };
        let widths: Vec<usize> = p
            .table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                p.table
                    .rows
                    .iter()
                    .map(|r| r.get(i).map_or(0, |v| cut(v).chars().count()))
                    .max()
                    .unwrap_or(0)
                    .max(c.chars().count())
            })
            .collect();
        let line = |cells: Vec<String>| {
            cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        };
        println!("{}", line(p.table.columns.clone()));
        for r in &p.table.rows {
            println!("{}", line(r.iter().map(|v| cut(v)).collect()));
        }
    }

    pub fn download_summary(&self, s: &DownloadSummary) {
        if self.is_json() {
            return self.print_json(s);
        }
        println!(
            "{} written, {} skipped, {} failed{} ({} bytes)",
            s.written,
            s.skipped,
            s.failed,
            if s.cancelled { ", cancelled" } else { "" },
            s.bytes
        );
    }

    pub fn repair(&self, r: &RepairReport) {
        if self.is_json() {
            return self.print_json(r);
        }
        for a in &r.actions {
            match &a.new_path {
                Some(to) => println!(
                    "{} {} → {to} ({})",
                    if r.applied { "renamed" } else { "would rename" },
                    a.path,
                    a.reason
                ),
                None => println!("kept {} ({})", a.path, a.reason),
            }
        }
        println!(
            "{} {}, {} unchanged{}",
            r.renamed,
            if r.applied { "renamed" } else { "to rename" },
            r.unchanged,
            if r.applied {
                ""
            } else {
                " — dry run, nothing changed"
            }
        );
    }
}

fn object_line(o: &ObjectEntry) -> String {
    let when = o.last_modified.as_deref().unwrap_or("").replace('T', " ");
    format!(
        "{:<19} {:>10} {}",
        when.get(..19).unwrap_or(&when),
        o.size,
        o.key
    )
}
