//! The files this Sluice process wrote: downloads, reports, exports, saved policies.
//!
//! "Open" and "Show in folder" are granted only for these (and the folders that hold them),
//! so the webview can never make the desktop open an arbitrary path or program. Every place
//! that puts a user-visible file in place calls [`WrittenFiles::remember`]; the list belongs
//! to one [`crate::Sluice`] context and lives as long as it does.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{CoreError, Result};

#[derive(Debug, Default)]
pub struct WrittenFiles {
    paths: Mutex<HashSet<PathBuf>>,
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

impl WrittenFiles {
    /// Notes that Sluice put `path` in place (after the rename, so it exists).
    pub fn remember(&self, path: &Path) {
        if let Ok(mut set) = self.paths.lock() {
            set.insert(canonical(path));
        }
    }

    /// Forgets a path (a file renamed by a later step).
    pub fn forget(&self, path: &Path) {
        if let Ok(mut set) = self.paths.lock() {
            set.remove(&canonical(path));
        }
    }

    /// `path` as an existing file Sluice wrote, or the folder directly holding one; else
    /// `InvalidInput`.
    pub fn check(&self, path: &str) -> Result<PathBuf> {
        let refused = || {
            CoreError::invalid(
                "path",
                format!("{path} is not a file Sluice wrote on this computer"),
            )
        };
        let p = Path::new(path);
        if !p.is_absolute() {
            return Err(refused());
        }
        let real = std::fs::canonicalize(p).map_err(|_| refused())?;
        let set = self.paths.lock().map_err(|_| refused())?;
        let known = if real.is_dir() {
            set.iter().any(|w| w.parent() == Some(real.as_path()))
        } else {
            real.is_file() && set.contains(&real)
        };
        if known {
            Ok(real)
        } else {
            Err(refused())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_written_files_and_their_folders_pass() {
        let dir = tempfile::tempdir().expect("dir");
        let ours = dir.path().join("nested/report.csv");
        std::fs::create_dir_all(ours.parent().expect("parent")).expect("mkdir");
        std::fs::write(&ours, "a\n").expect("write");
        let other = dir.path().join("other.csv");
        std::fs::write(&other, "b\n").expect("write");

        let written = WrittenFiles::default();
        let s = |p: &Path| p.display().to_string();
        assert!(written.check(&s(&ours)).is_err(), "not remembered yet");
        written.remember(&ours);
        assert!(written.check(&s(&ours)).is_ok());
        assert!(
            written.check(&s(&dir.path().join("nested"))).is_ok(),
            "its folder"
        );
        assert!(
            written.check(&s(dir.path())).is_err(),
            "only the folder directly holding it"
        );
        assert!(written.check("/").is_err());
        assert!(
            written.check(&s(&other)).is_err(),
            "a file Sluice did not write"
        );
        assert!(written.check("/bin/sh").is_err());
        assert!(written.check("relative/report.csv").is_err());
        // A path that reaches the file through `..` is the same file.
        let dotted = dir.path().join("nested/../nested/report.csv");
        assert!(written.check(&s(&dotted)).is_ok());
        // Another context's list is its own.
        assert!(WrittenFiles::default().check(&s(&ours)).is_err());

        written.forget(&ours);
        assert!(written.check(&s(&ours)).is_err(), "forgotten");
    }
}
