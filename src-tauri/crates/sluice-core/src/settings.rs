//! Non-secret settings: the source identity to use and a default region.
//!
//! They live in one JSON file in the OS config dir (`SLUICE_CONFIG_DIR` overrides it, which
//! the tests and the demo use). Writes are atomic: a temp file in the same folder, then a
//! rename, so a crash never leaves a half-written file. Secrets never go here.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// Where the credentials for AWS calls come from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum SourceIdentity {
    /// Environment, shared config files, SSO cache, container or instance roles.
    #[default]
    DefaultChain,
    /// A named profile from `~/.aws/config` (including SSO and credential_process profiles).
    #[serde(rename_all = "camelCase")]
    Profile { name: String },
    /// An access key whose secret is kept in the OS keyring.
    #[serde(rename_all = "camelCase")]
    AccessKey { access_key_id: String },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub source: SourceIdentity,
    #[serde(default)]
    pub connections: Vec<crate::connections::Connection>,
    #[serde(default)]
    pub reports: Vec<crate::report::saved::SavedReport>,
    #[serde(default)]
    pub desktop: crate::desktop::DesktopPrefs,
}

/// Reads and writes the settings file.
#[derive(Debug, Clone)]
pub struct SettingsStore {
    path: PathBuf,
}

impl SettingsStore {
    pub const FILE_NAME: &'static str = "settings.json";

    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// `$SLUICE_CONFIG_DIR/settings.json`, else `<OS config dir>/sluice/settings.json`.
    pub fn default_location() -> Result<Self> {
        if let Some(dir) = std::env::var_os("SLUICE_CONFIG_DIR") {
            return Ok(Self::at(PathBuf::from(dir).join(Self::FILE_NAME)));
        }
        let dir = dirs::config_dir().ok_or_else(|| CoreError::Settings {
            path: String::new(),
            detail: "this system has no config directory; set SLUICE_CONFIG_DIR".into(),
        })?;
        Ok(Self::at(dir.join("sluice").join(Self::FILE_NAME)))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, detail: impl std::fmt::Display) -> CoreError {
        CoreError::Settings {
            path: self.path.display().to_string(),
            detail: detail.to_string(),
        }
    }

    /// The saved settings, or defaults when there is no file yet.
    pub fn load(&self) -> Result<Settings> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                self.error(format!("not valid settings JSON ({e}); fix or delete it"))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(self.error(e)),
        }
    }

    /// Replaces the file atomically (temp file in the same folder, then rename).
    pub fn save(&self, settings: &Settings) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(settings).map_err(|e| self.error(e))?;
        write_atomically(&self.path, &bytes)
    }
}

/// Writes `bytes` to `path` through a temp file in the same folder and a rename, so readers
/// see the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = parent_of(path)?;
    std::fs::create_dir_all(dir).map_err(|e| file_error(path, e))?;
    let tmp = written_temp_file(dir, bytes).map_err(|e| file_error(path, e))?;
    tmp.persist(path).map_err(|e| file_error(path, e.error))?;
    Ok(())
}

fn file_error(path: &Path, detail: impl ToString) -> CoreError {
    CoreError::Settings {
        path: path.display().to_string(),
        detail: detail.to_string(),
    }
}

fn parent_of(path: &Path) -> Result<&Path> {
    path.parent()
        .ok_or_else(|| file_error(path, "has no parent folder"))
}

/// `bytes` in a fresh temp file in `dir`, flushed to disk, ready to be renamed into place.
fn written_temp_file(dir: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    use std::io::Write;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Saves a file the user chose (a policy, an export): an absolute path, written atomically,
/// and an existing file is replaced only when `replace` is set — checked at the rename, so a
/// file that appears meanwhile is not overwritten either. Returns the path written.
pub fn save_user_file(path: &Path, bytes: &[u8], replace: bool) -> Result<String> {
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
    let tmp = written_temp_file(dir, bytes).map_err(|e| file_error(path, e))?;
    if replace {
        tmp.persist(path).map_err(|e| file_error(path, e.error))?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                exists()
            } else {
                file_error(path, e.error)
            }
        })?;
    }
    crate::desktop::written::remember(path);
    Ok(path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_gives_defaults_and_save_round_trips() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SettingsStore::at(dir.path().join("nested/settings.json"));
        assert_eq!(store.load().expect("load"), Settings::default());
        let s = Settings {
            region: Some("eu-west-1".into()),
            source: SourceIdentity::AccessKey {
                access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            },
            connections: Vec::new(),
            reports: Vec::new(),
            desktop: Default::default(),
        };
        store.save(&s).expect("save");
        assert_eq!(store.load().expect("reload"), s);
        // Only the file itself is left behind: the temp file was renamed into place.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("nested"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("settings.json")]);
    }

    #[test]
    fn corrupt_file_is_a_clear_error_and_is_left_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "{ not json").expect("write");
        let err = SettingsStore::at(&path).load().expect_err("corrupt");
        assert_eq!(err.code(), crate::ErrorCode::Settings);
        assert!(err.to_string().contains("not valid settings JSON"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "{ not json");
    }

    #[test]
    fn user_files_are_never_replaced_unless_asked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("policy.json");
        assert!(save_user_file(Path::new("relative.json"), b"x", false).is_err());
        save_user_file(&path, b"one", false).expect("new file");
        let err = save_user_file(&path, b"two", false).expect_err("exists");
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        assert_eq!(std::fs::read(&path).expect("read"), b"one");
        save_user_file(&path, b"two", true).expect("replace");
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
    }
}
