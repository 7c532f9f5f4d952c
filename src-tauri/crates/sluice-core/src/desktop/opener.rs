//! "Open" and "Show in folder" for what Sluice wrote. The desktop side (tauri-plugin-opener
//! in the app) is behind [`Opener`], so the rule "only paths Sluice wrote" is checked and
//! tested here, with a fake opener.

use std::path::Path;

use serde::Deserialize;

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

/// Opens or reveals `path` if Sluice wrote it (see [`super::written`]).
pub fn open_written(opener: &dyn Opener, path: &str, how: OpenHow) -> Result<()> {
    let real = super::written::check(path)?;
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
    use crate::desktop::written;

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
        crate::settings::save_user_file(&file, b"a,b\n", false).expect("save");

        let opener = FakeOpener::default();
        open_written(&opener, &path, OpenHow::Open).expect("open");
        let err = open_written(&opener, &path, OpenHow::Reveal).expect_err("desktop failed");
        assert!(err.to_string().contains("no file manager"), "{err}");
        let err = open_written(&opener, "/etc/passwd", OpenHow::Open).expect_err("refused");
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        assert_eq!(
            *opener.calls.lock().expect("lock"),
            vec![format!("open {path}"), format!("reveal {path}")],
            "the refused path never reached the desktop"
        );
        written::forget(&file);
    }
}
