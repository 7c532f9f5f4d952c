//! Moving a finished temp file into place, on every file system a person saves to.
//!
//! - Without replacing: the move must fail rather than overwrite a file that appeared
//!   meanwhile. Linux and macOS do that with a no-replace rename (or a hard link), which
//!   exFAT, FAT32 and SMB shares — USB drives, network folders — refuse; there Sluice claims
//!   the name with an exclusive create and renames over its own empty claim.
//! - Replacing a file another program holds open (a report open in Excel on Windows) fails;
//!   the error says so and offers a free name. The temp file is deleted either way: never a
//!   partial file, never a `.part` left behind.
//!
//! Which OS errors mean what is a pure decision per [`Platform`], tested for each.

use std::io;
use std::path::Path;

use tempfile::{NamedTempFile, TempPath};

use super::names::free_name;
use super::paths::file_error;
use crate::error::CoreError;
use crate::platform::Platform;

/// Whether a failed no-replace move means the file system has no hard links or no-replace
/// rename (so the exclusive-create fallback is tried), by the OS error number.
pub fn refuses_links(raw_os_error: Option<i32>, platform: Platform) -> bool {
    let Some(code) = raw_os_error else {
        return false;
    };
    match platform {
        // EPERM, EINVAL (renameat2 unsupported), ENOSYS, EOPNOTSUPP, EMLINK.
        Platform::Linux => matches!(code, 1 | 22 | 38 | 95 | 31),
        // EPERM, EINVAL, ENOTSUP, EMLINK, EOPNOTSUPP (network file systems).
        Platform::MacOs => matches!(code, 1 | 22 | 45 | 31 | 102),
        // MoveFileEx without MOVEFILE_REPLACE_EXISTING needs no links.
        Platform::Windows => false,
    }
}

/// Whether a failed move means another program holds the target open.
pub fn held_open(raw_os_error: Option<i32>, platform: Platform) -> bool {
    match (platform, raw_os_error) {
        // ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION.
        (Platform::Windows, Some(5 | 32 | 33)) => true,
        // ETXTBSY: a running program's file.
        (Platform::Linux | Platform::MacOs, Some(26)) => true,
        _ => false,
    }
}

/// A finished temp file that failed to move, and why; dropping it deletes it.
#[derive(Debug)]
pub struct Unplaced<T> {
    pub error: io::Error,
    pub file: T,
}

/// A temp file that can be moved into place: open ([`NamedTempFile`]) or closed ([`TempPath`]).
pub trait TempFile: Sized {
    fn replace_at(self, target: &Path) -> Result<(), Unplaced<Self>>;
    fn keep_at(self, target: &Path) -> Result<(), Unplaced<Self>>;
}

impl TempFile for NamedTempFile {
    fn replace_at(self, target: &Path) -> Result<(), Unplaced<Self>> {
        self.persist(target).map(drop).map_err(|e| Unplaced {
            error: e.error,
            file: e.file,
        })
    }
    fn keep_at(self, target: &Path) -> Result<(), Unplaced<Self>> {
        self.persist_noclobber(target)
            .map(drop)
            .map_err(|e| Unplaced {
                error: e.error,
                file: e.file,
            })
    }
}

impl TempFile for TempPath {
    fn replace_at(self, target: &Path) -> Result<(), Unplaced<Self>> {
        self.persist(target).map_err(|e| Unplaced {
            error: e.error,
            file: e.path,
        })
    }
    fn keep_at(self, target: &Path) -> Result<(), Unplaced<Self>> {
        self.persist_noclobber(target).map_err(|e| Unplaced {
            error: e.error,
            file: e.path,
        })
    }
}

/// Moves `part` to `target`: replacing what is there only when `replace` is set. On failure
/// the temp file comes back in the error (to try another name, or to be dropped and deleted).
pub fn persist<T: TempFile>(part: T, target: &Path, replace: bool) -> Result<(), Unplaced<T>> {
    if replace {
        return part.replace_at(target);
    }
    match part.keep_at(target) {
        Ok(()) => Ok(()),
        Err(e) if refuses_links(e.error.raw_os_error(), Platform::current()) => {
            claim_then_rename(e.file, target)
        }
        Err(e) => Err(e),
    }
}

/// The no-replace move without links: an exclusive create claims the name (it fails when
/// anything is there), then the rename replaces only that empty claim.
pub(crate) fn claim_then_rename<T: TempFile>(part: T, target: &Path) -> Result<(), Unplaced<T>> {
    if let Err(error) = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(target)
    {
        return Err(Unplaced { error, file: part });
    }
    part.replace_at(target).inspect_err(|_| {
        // Take back the empty claim; the temp file goes with the error.
        let _ = std::fs::remove_file(target);
    })
}

/// The error for a move into `target` that failed with `error`: a file held open says so
/// and offers a free name; anything else names the file and the cause.
pub fn place_error(target: &Path, error: &io::Error) -> CoreError {
    place_error_on(target, error, Platform::current())
}

fn place_error_on(target: &Path, error: &io::Error, platform: Platform) -> CoreError {
    if !held_open(error.raw_os_error(), platform) {
        return file_error(target, error);
    }
    let free = free_name(target);
    let name = free
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    file_error(
        target,
        format!(
            "it is open in another program (Excel, a viewer): close it there and try again, or save it as {name}"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_platform_names_its_own_errors() {
        assert!(refuses_links(Some(95), Platform::Linux));
        assert!(refuses_links(Some(22), Platform::Linux));
        assert!(refuses_links(Some(45), Platform::MacOs));
        assert!(!refuses_links(Some(45), Platform::Linux), "EL2HLT on Linux");
        assert!(
            !refuses_links(Some(17), Platform::Linux),
            "EEXIST is a taken name"
        );
        assert!(!refuses_links(Some(1), Platform::Windows));
        assert!(!refuses_links(None, Platform::Linux));
        assert!(held_open(Some(32), Platform::Windows));
        assert!(held_open(Some(5), Platform::Windows));
        assert!(!held_open(Some(32), Platform::Linux), "EPIPE on Linux");
        assert!(held_open(Some(26), Platform::MacOs));
        assert!(!held_open(None, Platform::Windows));
    }

    #[test]
    fn a_file_held_open_on_windows_is_said_so_with_a_free_name() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("report.csv");
        std::fs::write(&target, "open in Excel").expect("write");
        let sharing = io::Error::from_raw_os_error(32);
        let err = place_error_on(&target, &sharing, Platform::Windows);
        assert_eq!(err.code(), crate::ErrorCode::File);
        let text = err.to_string();
        assert!(text.contains("open in another program"), "{text}");
        assert!(text.contains("report (1).csv"), "{text}");
        let other = place_error_on(&target, &sharing, Platform::Linux);
        assert!(!other.to_string().contains("another program"), "{other}");
    }

    #[test]
    fn without_links_the_claim_never_replaces_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("a.csv");
        let part = |text: &str| {
            use std::io::Write;
            let mut f = NamedTempFile::new_in(dir.path()).expect("temp");
            f.write_all(text.as_bytes()).expect("write");
            f
        };
        claim_then_rename(part("first"), &target).expect("placed");
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "first");
        let taken = claim_then_rename(part("second"), &target).expect_err("taken");
        assert_eq!(taken.error.kind(), io::ErrorKind::AlreadyExists);
        drop(taken);
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "first");
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
        persist(part("third"), &target, false).expect_err("no replace");
        persist(part("third"), &target, true).expect("replace");
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "third");
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
    }
}
