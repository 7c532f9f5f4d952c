//! Which records of which file a stream has accepted, kept in the app's data folder (never by
//! touching the user's files). A file counts as done only when every record is accepted; a
//! re-run skips what was accepted, so a stopped run resumes without sending anything twice.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub size: u64,
    pub modified: u64,
    pub records: u64,
    /// Accepted record indexes as sorted, disjoint `[start, end)` ranges.
    pub accepted: Vec<(u64, u64)>,
}

impl FileEntry {
    pub fn is_accepted(&self, i: u64) -> bool {
        self.accepted.iter().any(|&(a, b)| (a..b).contains(&i))
    }

    pub fn accept(&mut self, i: u64) {
        self.accepted.push((i, i + 1));
        self.accepted.sort_unstable();
        let mut merged: Vec<(u64, u64)> = Vec::with_capacity(self.accepted.len());
        for &(a, b) in &self.accepted {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        self.accepted = merged;
    }

    /// How many records were accepted.
    pub fn accepted_count(&self) -> u64 {
        self.accepted.iter().map(|(a, b)| b - a).sum()
    }

    pub fn done(&self) -> bool {
        self.records > 0 && self.accepted_count() >= self.records
    }
}

/// The ledger file, `publish-ledger.json` beside the settings.
#[derive(Debug)]
pub struct Ledger {
    path: PathBuf,
    files: BTreeMap<String, FileEntry>,
}

fn stamp(path: &Path) -> (u64, u64) {
    let meta = std::fs::metadata(path).ok();
    let size = meta.as_ref().map_or(0, std::fs::Metadata::len);
    let modified = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    (size, modified)
}

impl Ledger {
    pub fn open(dir: &Path) -> Result<Self> {
        let path = dir.join("publish-ledger.json");
        let files = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| CoreError::Settings {
                path: path.display().to_string(),
                detail: format!(
                    "not a publish ledger ({e}); delete it to publish every file again"
                ),
            })?,
            Err(_) => BTreeMap::new(),
        };
        Ok(Self { path, files })
    }

    fn key(stream: &str, file: &Path) -> String {
        let abs = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        format!("{stream}|{}", abs.display())
    }

    /// The entry for `file` sent to `stream`; a file changed since (size or time) is started
    /// afresh. Records are known by their line, so reading the same file another way (a
    /// new key template, fewer bad rows) never shifts what counts as sent. A run streams the
    /// file, so it sets `records` once it has read to the end.
    pub fn entry(&mut self, stream: &str, file: &Path) -> &mut FileEntry {
        let (size, modified) = stamp(file);
        let e = self.files.entry(Self::key(stream, file)).or_default();
        if e.size != size || e.modified != modified {
            *e = FileEntry {
                size,
                modified,
                records: 0,
                accepted: Vec::new(),
            };
        }
        e
    }

    pub fn save(&self) -> Result<()> {
        let bytes = serde_json::to_vec(&self.files).map_err(|e| CoreError::Internal {
            detail: e.to_string(),
        })?;
        crate::files::write_atomically(&self.path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_ranges_merge_and_a_changed_file_starts_again() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("a.csv");
        std::fs::write(&file, "x").expect("write");
        let mut l = Ledger::open(dir.path()).expect("open");
        let e = l.entry("s", &file);
        e.records = 4;
        for i in [0, 2, 1] {
            e.accept(i);
        }
        assert_eq!(e.accepted, vec![(0, 3)]);
        assert!(!e.done() && e.is_accepted(2) && !e.is_accepted(3));
        e.accept(3);
        assert!(e.done());
        l.save().expect("save");
        let mut again = Ledger::open(dir.path()).expect("reopen");
        assert!(again.entry("s", &file).done());
        assert!(!again.entry("other", &file).done());
        std::fs::write(&file, "changed").expect("write");
        assert!(again.entry("s", &file).accepted.is_empty());
    }
}
