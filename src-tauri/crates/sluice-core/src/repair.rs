//! Repairing downloads whose names lie: a `.gz` that is not gzip (a browser already unpacked
//! it) gets the extension of what it really is; gzip data under a plain name gets `.gz`.
//!
//! Always planned first (a dry run is the plan), applied only by renaming: nothing is deleted
//! or overwritten — a taken name gets ` (1)`, ` (2)` ….

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::decode::sniff::{self, Container, ContentKind};
use crate::error::{CoreError, Result};
use crate::files::WrittenFiles;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RepairAction {
    pub path: String,
    /// The new name; `None` when the file is left alone.
    pub new_path: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RepairReport {
    pub actions: Vec<RepairAction>,
    pub renamed: u32,
    pub unchanged: u32,
    pub applied: bool,
}

fn sample(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::fs::File::open(path)?
        .take(64 * 1024)
        .read_to_end(&mut buf)?;
    Ok(buf)
}

fn gunzip_sample(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = flate2::read::MultiGzDecoder::new(bytes)
        .take(64 * 1024)
        .read_to_end(&mut out);
    out
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// What should happen to one file.
fn plan_file(path: &Path) -> std::io::Result<RepairAction> {
    let head = sample(path)?;
    let shown = path.display().to_string();
    let keep = |reason: &str| RepairAction {
        path: shown.clone(),
        new_path: None,
        reason: reason.to_string(),
    };
    let container = sniff::container(&head);
    let named_gz = has_ext(path, "gz");
    let action = match (container, named_gz) {
        (Container::Empty, _) => keep("empty file: nothing to tell from its content"),
        (Container::Gzip, true) => keep("gzip, named .gz"),
        (Container::Gzip, false) => {
            let mut name = path
                .file_name()
                .map(|n| n.to_os_string())
                .unwrap_or_default();
            name.push(".gz");
            let kind = sniff::content(&gunzip_sample(&head));
            RepairAction {
                path: shown.clone(),
                new_path: Some(path.with_file_name(name).display().to_string()),
                reason: format!("gzip data ({} inside) without .gz", kind.extension()),
            }
        }
        (Container::Plain, true) => {
            let kind = sniff::content(&head);
            let stem = path.with_extension("");
            let target = if kind != ContentKind::Binary && has_ext(&stem, kind.extension()) {
                stem
            } else {
                let mut name = stem
                    .file_name()
                    .map(|n| n.to_os_string())
                    .unwrap_or_default();
                name.push(format!(".{}", kind.extension()));
                stem.with_file_name(name)
            };
            RepairAction {
                path: shown.clone(),
                new_path: Some(target.display().to_string()),
                reason: format!(
                    "named .gz but not gzip: it is {} (already unpacked)",
                    kind.extension()
                ),
            }
        }
        (_, _) => keep("not a gzip question (zip, parquet or plain with a plain name)"),
    };
    Ok(action)
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let meta = std::fs::symlink_metadata(path)
        .map_err(|e| CoreError::invalid("path", format!("{}: {e}", path.display())))?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| CoreError::invalid("path", format!("{}: {e}", path.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            collect(&e, out)?;
        }
    } else if meta.is_file() && path.extension().is_none_or(|e| e != "part") {
        out.push(path.to_path_buf());
    }
    Ok(())
}

/// A name for `target` that is neither on disk nor already planned for another file.
fn unclaimed(target: &Path, claimed: &HashSet<PathBuf>) -> PathBuf {
    let stem = target
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("file")
        .to_string();
    let ext = target
        .extension()
        .and_then(|s| s.to_str())
        .map(|e| format!(".{e}"))
        .unwrap_or_default();
    std::iter::once(target.to_path_buf())
        .chain((1..).map(|i| target.with_file_name(format!("{stem} ({i}){ext}"))))
        .find(|p| !p.exists() && !claimed.contains(p))
        .unwrap_or_else(|| target.to_path_buf())
}

/// Renames without ever replacing: the link fails if the name is taken.
fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::hard_link(from, to)?;
    std::fs::remove_file(from)
}

impl crate::Sluice {
    /// [`repair`], with the renamed files remembered as written by Sluice (to open them).
    pub fn repair(&self, paths: &[PathBuf], apply: bool) -> Result<RepairReport> {
        repair(paths, apply, &self.written_files())
    }
}

/// Plans (and with `apply`, performs) the repairs for files and folders (recursively).
/// A file that cannot be read or renamed is reported in its action; the others go on.
pub fn repair(paths: &[PathBuf], apply: bool, written: &WrittenFiles) -> Result<RepairReport> {
    if paths.is_empty() {
        return Err(CoreError::invalid(
            "paths",
            "name at least one file or folder",
        ));
    }
    let mut files = Vec::new();
    for p in paths {
        collect(p, &mut files)?;
    }
    // A folder and a file inside it may both be named: each file is handled once.
    let mut seen = HashSet::new();
    files.retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    let mut claimed: HashSet<PathBuf> = HashSet::new();
    let mut report = RepairReport {
        actions: Vec::new(),
        renamed: 0,
        unchanged: 0,
        applied: apply,
    };
    for file in files {
        let mut action = match plan_file(&file) {
            Ok(a) => a,
            Err(e) => RepairAction {
                path: file.display().to_string(),
                new_path: None,
                reason: format!("cannot read: {e}"),
            },
        };
        match action.new_path.clone() {
            Some(target) => {
                let free = unclaimed(Path::new(&target), &claimed);
                claimed.insert(free.clone());
                action.new_path = Some(free.display().to_string());
                if apply {
                    if let Err(e) = rename_no_replace(&file, &free) {
                        action.reason = format!("not renamed: {e}");
                        action.new_path = None;
                        report.unchanged += 1;
                        report.actions.push(action);
                        continue;
                    }
                    written.remember(&free);
                }
                report.renamed += 1;
            }
            None => report.unchanged += 1,
        }
        report.actions.push(action);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).expect("gzip");
        e.finish().expect("gzip")
    }

    #[test]
    fn plans_then_applies_without_overwriting_or_deleting() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let csv = b"2020-09-21 13:03:30.907,2020-09-21 13:03:35.720,c,1013,S,LOAD,X1load,6,,,,\n2020-09-21 13:03:31.907,2020-09-21 13:03:36.720,c,1013,S,LOAD,X1load,7,,,,\n";
        std::fs::write(d.join("company-2020-09-21-10-40-01-uuid.gz"), csv).expect("w");
        std::fs::write(d.join("batch.jsonl.gz"), b"{\"a\":1}\n{\"a\":2}\n").expect("w");
        std::fs::write(d.join("real.gz"), gz(csv)).expect("w");
        std::fs::write(d.join("hidden-gzip.csv"), gz(csv)).expect("w");
        std::fs::create_dir(d.join("sub")).expect("mkdir");
        std::fs::write(d.join("sub/taken.gz"), csv).expect("w");
        std::fs::write(d.join("sub/taken.csv"), b"do not touch").expect("w");
        std::fs::write(d.join("empty.gz"), b"").expect("w");

        let dry = repair(&[d.to_path_buf()], false, &WrittenFiles::default()).expect("dry run");
        assert!(!dry.applied);
        assert_eq!((dry.renamed, dry.unchanged), (4, 3));
        // The dry run changed nothing.
        assert!(d.join("company-2020-09-21-10-40-01-uuid.gz").exists());

        let done = repair(&[d.to_path_buf()], true, &WrittenFiles::default()).expect("apply");
        assert_eq!(done.actions, dry.actions);
        let mut names: Vec<String> = walk(d);
        names.sort();
        assert_eq!(
            names,
            vec![
                "batch.jsonl",
                "company-2020-09-21-10-40-01-uuid.csv",
                "empty.gz",
                "hidden-gzip.csv.gz",
                "real.gz",
                "sub/taken (1).csv",
                "sub/taken.csv",
            ]
        );
        assert_eq!(
            std::fs::read(d.join("sub/taken.csv")).expect("r"),
            b"do not touch"
        );
        assert_eq!(std::fs::read(d.join("sub/taken (1).csv")).expect("r"), csv);
    }

    fn walk(d: &Path) -> Vec<String> {
        let mut files = Vec::new();
        collect(d, &mut files).expect("walk");
        files
            .iter()
            .map(|f| {
                f.strip_prefix(d)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    #[test]
    fn two_files_wanting_one_name_get_distinct_names_in_the_dry_run_too() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        std::fs::write(d.join("x.gz"), b"a,b\n1,2\n").expect("w");
        std::fs::write(d.join("x.csv.gz"), b"a,b\n3,4\n").expect("w");
        let dry = repair(
            &[d.to_path_buf(), d.join("x.gz")],
            false,
            &WrittenFiles::default(),
        )
        .expect("dry");
        let targets: Vec<_> = dry
            .actions
            .iter()
            .filter_map(|a| a.new_path.clone())
            .collect();
        assert_eq!(targets.len(), 2, "each file once: {targets:?}");
        assert_ne!(targets[0], targets[1]);
        let done = repair(&[d.to_path_buf()], true, &WrittenFiles::default()).expect("apply");
        assert_eq!(done.actions, dry.actions);
        assert_eq!(walk(d).len(), 2);
    }

    #[test]
    fn missing_paths_are_clear_errors() {
        let err = repair(
            &[PathBuf::from("/nonexistent/x.gz")],
            false,
            &WrittenFiles::default(),
        )
        .expect_err("missing");
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        assert!(repair(&[], false, &WrittenFiles::default()).is_err());
    }
}
