//! Putting files on disk: atomically, never over a file the user did not agree to replace,
//! and remembered, so "Open" and "Show in folder" are granted for what Sluice wrote only.
//!
//! Every feature that writes a file the user chose (a report, an export, a saved policy, a
//! download) goes through here; a failure reads "Could not write <path>: …" with its own
//! error code, whichever feature wrote.

pub mod atomic;
pub mod names;
pub mod paths;
pub mod place;
pub mod private;
pub mod written;

use std::path::Path;

use crate::context::Sluice;
use crate::error::Result;
pub use atomic::write_atomically;
pub use written::WrittenFiles;

impl Sluice {
    /// The files this process wrote (see [`WrittenFiles`]).
    pub fn written_files(&self) -> std::sync::Arc<WrittenFiles> {
        self.state::<WrittenFiles>()
    }

    /// Saves a file the user chose (a policy, an export): an absolute path, written
    /// atomically, and an existing file is replaced only when `replace` is set. Returns the
    /// path written.
    pub fn save_user_file(&self, path: &Path, bytes: &[u8], replace: bool) -> Result<String> {
        atomic::save_user_file(path, bytes, replace, false)?;
        self.written_files().remember(path);
        Ok(atomic::shown(path))
    }

    /// [`Sluice::save_user_file`] for a file that holds a secret: readable by its owner
    /// only from the moment it has its name (see [`private`]).
    pub fn save_private_user_file(
        &self,
        path: &Path,
        bytes: &[u8],
        replace: bool,
    ) -> Result<String> {
        atomic::save_user_file(path, bytes, replace, true)?;
        self.written_files().remember(path);
        Ok(atomic::shown(path))
    }
}
