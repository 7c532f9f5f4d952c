//! Atomic writes: a temp file in the same folder, flushed, then renamed into place, so a
//! reader (or a crash) sees the old file or the new one, never half of one.

use std::path::Path;

use crate::error::{CoreError, Result};

pub use super::paths::{file_error, shown, shown_on};

/// Writes `bytes` to `path` through a temp file in the same folder and a rename, creating
/// the folder when it is missing.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_file(path, bytes, false)
}

/// [`write_atomically`] for a file that holds a secret: owner-only before it is renamed.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_file(path, bytes, true)
}

fn write_file(path: &Path, bytes: &[u8], private: bool) -> Result<()> {
    let dir = parent_of(path)?;
    std::fs::create_dir_all(dir).map_err(|e| file_error(path, e))?;
    let tmp = written_temp_file(path, dir, bytes, private)?;
    super::place::persist(tmp, path, true)
        .map_err(|e| super::place::place_error(path, &e.error))?;
    Ok(())
}

fn parent_of(path: &Path) -> Result<&Path> {
    path.parent()
        .ok_or_else(|| file_error(path, "it has no parent folder"))
}

/// `bytes` in a fresh temp file in `dir`, flushed to disk, ready to be renamed into place; a
/// `private` one is made owner-only while still empty, before the secret is written.
fn written_temp_file(
    path: &Path,
    dir: &Path,
    bytes: &[u8],
    private: bool,
) -> Result<tempfile::NamedTempFile> {
    use std::io::Write;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| file_error(path, e))?;
    if private {
        super::private::restrict_to_owner(tmp.path())?;
    }
    tmp.write_all(bytes).map_err(|e| file_error(path, e))?;
    tmp.as_file().sync_all().map_err(|e| file_error(path, e))?;
    Ok(tmp)
}

/// Writes a file the user chose: an absolute path in an existing folder, atomically, and an
/// existing file is replaced only when `replace` is set — checked at the rename, so a file
/// that appears meanwhile is not overwritten either.
pub(super) fn save_user_file(
    path: &Path,
    bytes: &[u8],
    replace: bool,
    private: bool,
) -> Result<()> {
    if !path.is_absolute() || path.file_name().is_none() {
        return Err(CoreError::invalid("file", "choose an absolute file path"));
    }
    let exists = || {
        CoreError::invalid(
            "file",
            format!(
                "{} already exists: choose another name or allow replacing it",
                path.display()
            ),
        )
    };
    if path.exists() && !replace {
        return Err(exists());
    }
    let dir = parent_of(path)?;
    if !dir.is_dir() {
        return Err(CoreError::invalid(
            "file",
            format!("the folder {} does not exist", dir.display()),
        ));
    }
    let tmp = written_temp_file(path, dir, bytes, private)?;
    super::place::persist(tmp, path, replace).map_err(|e| {
        if !replace && e.error.kind() == std::io::ErrorKind::AlreadyExists {
            exists()
        } else {
            super::place::place_error(path, &e.error)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_files_are_never_replaced_unless_asked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("policy.json");
        assert!(save_user_file(Path::new("relative.json"), b"x", false, false).is_err());
        save_user_file(&path, b"one", false, false).expect("new file");
        let err = save_user_file(&path, b"two", false, false).expect_err("exists");
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        assert_eq!(std::fs::read(&path).expect("read"), b"one");
        save_user_file(&path, b"two", true, false).expect("replace");
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
    }

    #[test]
    fn a_write_that_fails_names_the_file_and_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A folder cannot be created below a file.
        std::fs::write(dir.path().join("blocker"), "x").expect("write");
        let path = dir.path().join("blocker/report.csv");
        let err = write_atomically(&path, b"a,b\n").expect_err("blocked");
        assert_eq!(err.code(), crate::ErrorCode::File);
        assert!(
            err.to_string()
                .starts_with(&format!("Could not write {}: ", path.display())),
            "{err}"
        );
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
    }

    #[test]
    fn atomic_writes_replace_and_leave_no_temp_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested/ledger.json");
        write_atomically(&path, b"one").expect("first");
        write_atomically(&path, b"two").expect("second");
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        assert_eq!(
            std::fs::read_dir(dir.path().join("nested"))
                .expect("ls")
                .count(),
            1
        );
    }
}
