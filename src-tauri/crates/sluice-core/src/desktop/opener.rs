//! "Open" and "Show in folder" for what Sluice wrote. The desktop side (tauri-plugin-opener
//! in the app) is behind [`Opener`], so the rule "only paths Sluice wrote" is checked and
//! tested here, with a fake opener.

use std::path::Path;

use serde::Deserialize;

use crate::context::Sluice;
use crate::error::{CoreError, Result};

/// What to do with a written path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum OpenHow {
    /// In its default application (a folder: in the file manager).
    Open,
    /// In the file manager, selected.
    Reveal,
}

/// The desktop's opener.
pub trait Opener {
    fn open(&self, path: &Path) -> std::result::Result<(), String>;
    fn reveal(&self, path: &Path) -> std::result::Result<(), String>;
}

/// Kinds of data file "Open" hands to their default application. Anything else (a
/// download named `.jar` or `.html` by whoever wrote the bucket) can only be shown in its
/// folder, never run.
const OPENABLE: &[&str] = &[
    "csv", "tsv", "xlsx", "json", "jsonl", "ndjson", "txt", "log", "gz", "parquet",
];

impl Sluice {
    /// Opens or reveals `path` if this context wrote it (see [`crate::files::WrittenFiles`]).
    pub fn open_written(&self, opener: &dyn Opener, path: &str, how: OpenHow) -> Result<()> {
        open_checked(opener, self.written_files().check(path)?, how)
    }
}

fn open_checked(opener: &dyn Opener, real: std::path::PathBuf, how: OpenHow) -> Result<()> {
    let data_file = real
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| OPENABLE.iter().any(|ok| ok.eq_ignore_ascii_case(e)));
    if how == OpenHow::Open && real.is_file() && !data_file {
        return Err(CoreError::invalid(
            "path",
            format!(
                "{} is not a data file Sluice opens: use Show in folder",
                real.display()
            ),
        ));
    }
    match how {
        OpenHow::Open => opener.open(&real),
        OpenHow::Reveal => opener.reveal(&real),
    }
    .map_err(|e| CoreError::Internal {
        detail: format!("the desktop could not open {}: {e}", real.display()),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[derive(Default)]
    struct FakeOpener {
        calls: Mutex<Vec<String>>,
    }

    impl Opener for FakeOpener {
        fn open(&self, path: &Path) -> std::result::Result<(), String> {
            self.calls
                .lock()
                .expect("lock")
                .push(format!("open {}", path.display()));
            Ok(())
        }
        fn reveal(&self, path: &Path) -> std::result::Result<(), String> {
            self.calls
                .lock()
                .expect("lock")
                .push(format!("reveal {}", path.display()));
            Err("no file manager".into())
        }
    }

    #[test]
    fn opens_only_what_sluice_wrote_and_reports_desktop_errors() {
        let dir = tempfile::tempdir().expect("dir");
        let file = std::fs::canonicalize(dir.path())
            .expect("real")
            .join("export.csv");
        let path = file.display().to_string();
        let (s, _) = crate::context::test_context(dir.path());
        s.save_user_file(&file, b"a,b\n", false).expect("save");

        let opener = FakeOpener::default();
        // A file Sluice wrote but that is not a data file is only shown, never opened.
        let page = file.with_file_name("readme.html");
        s.save_user_file(&page, b"<script>", false).expect("save");
        let err = s
            .open_written(&opener, &page.display().to_string(), OpenHow::Open)
            .expect_err("not opened");
        assert!(err.to_string().contains("Show in folder"), "{err}");

        s.open_written(&opener, &path, OpenHow::Open).expect("open");
        let err = s
            .open_written(&opener, &path, OpenHow::Reveal)
            .expect_err("desktop failed");
        assert!(err.to_string().contains("no file manager"), "{err}");
        let err = s
            .open_written(&opener, "/etc/passwd", OpenHow::Open)
            .expect_err("refused");
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        assert_eq!(
            *opener.calls.lock().expect("lock"),
            vec![format!("open {path}"), format!("reveal {path}")],
            "the refused path never reached the desktop"
        );
    }
}
