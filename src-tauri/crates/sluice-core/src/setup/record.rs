//! What Sluice created for a destination, kept beside the settings file
//! (`setups/<user>.json`, no secrets): a re-run adopts instead of duplicating, a failed run
//! resumes, and teardown undoes exactly this and nothing else.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// One access key Sluice created (its secret is in the keyring under the key id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RecordedKey {
    pub access_key_id: String,
    /// RFC 3339, as IAM reported it.
    pub created: String,
    /// The key passed validation (wrote its test file, could not list): only such a key
    /// is exported for a vendor.
    #[serde(default)]
    pub validated: bool,
}

/// The record of one destination.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SetupRecord {
    pub user: String,
    pub bucket: String,
    pub prefix: String,
    pub suffix: String,
    pub region: String,
    pub policy_name: String,
    /// Sluice created the bucket (otherwise it adopted an existing one).
    pub created_bucket: bool,
    /// Sluice created the user.
    pub created_user: bool,
    /// Sluice put the inline sink-writer policy.
    pub put_user_policy: bool,
    /// Sluice put the TLS-only bucket policy.
    pub put_bucket_policy: bool,
    /// Keys Sluice created, oldest first; the last one is in use.
    pub access_keys: Vec<RecordedKey>,
}

impl SetupRecord {
    pub fn current_key(&self) -> Option<&RecordedKey> {
        self.access_keys.last()
    }

    /// Marks `key` as validated (or not), when it is one of the recorded keys.
    pub fn mark_validated(&mut self, key: &str, passed: bool) {
        if let Some(k) = self.access_keys.iter_mut().find(|k| k.access_key_id == key) {
            k.validated = passed;
        }
    }
}

/// Where setup records live: a folder beside the settings file.
#[derive(Debug, Clone)]
pub struct RecordStore {
    dir: PathBuf,
}

impl RecordStore {
    pub fn beside(settings_file: &Path) -> Self {
        let dir = settings_file
            .parent()
            .map(|p| p.join("setups"))
            .unwrap_or_else(|| PathBuf::from("setups"));
        Self { dir }
    }

    fn path(&self, user: &str) -> Result<PathBuf> {
        crate::validate::iam_name("user name", user)?;
        Ok(self.dir.join(format!("{user}.json")))
    }

    pub fn load(&self, user: &str) -> Result<Option<SetupRecord>> {
        let path = self.path(user)?;
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|e| CoreError::Settings {
                        path: path.display().to_string(),
                        detail: format!("not a valid setup record: {e}"),
                    })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(CoreError::Settings {
                path: path.display().to_string(),
                detail: e.to_string(),
            }),
        }
    }

    pub fn save(&self, record: &SetupRecord) -> Result<()> {
        let path = self.path(&record.user)?;
        let bytes = serde_json::to_vec_pretty(record).map_err(|e| CoreError::Internal {
            detail: e.to_string(),
        })?;
        crate::files::write_atomically(&path, &bytes)
    }

    pub fn remove(&self, user: &str) -> Result<()> {
        let path = self.path(user)?;
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(CoreError::Settings {
                path: path.display().to_string(),
                detail: e.to_string(),
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_names_stay_in_the_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = RecordStore::beside(&dir.path().join("settings.json"));
        assert_eq!(store.load("writer").expect("load"), None);
        let r = SetupRecord {
            user: "writer".into(),
            created_user: true,
            ..SetupRecord::default()
        };
        store.save(&r).expect("save");
        assert_eq!(store.load("writer").expect("load"), Some(r));
        assert!(store.load("../etc/passwd").is_err());
        store.remove("writer").expect("remove");
        store.remove("writer").expect("remove twice");
    }
}
