//! Non-secret settings, one JSON file with one section per feature.
//!
//! The file lives in the OS config dir (`SLUICE_CONFIG_DIR` overrides it, which the tests
//! and the demo use). Each feature owns its section: a struct of the top-level keys it
//! keeps (the source identity its `region` and `source`, connections their `connections`),
//! read with [`SettingsStore::read`] and changed only through [`SettingsStore::update`],
//! which takes the write lock, loads, changes and saves in one step, so two writers (a
//! connection being saved, the window remembering its size) never undo each other. Keys
//! no section knows are kept as they are. Writes are atomic; secrets never go here.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{CoreError, Result};

/// Reads and writes the settings file.
#[derive(Debug, Clone)]
pub struct SettingsStore {
    path: PathBuf,
    /// Held across each load → change → save; clones of a store share it.
    write: Arc<Mutex<()>>,
}

impl SettingsStore {
    pub const FILE_NAME: &'static str = "settings.json";

    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            write: Arc::default(),
        }
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

    /// One feature's section as saved, or its defaults when there is no file yet.
    pub fn read<S: DeserializeOwned + Default>(&self) -> Result<S> {
        let map = self.load()?;
        self.section(&map)
    }

    /// Changes one section: under the write lock, loads the file, lets `change` edit the
    /// section and saves it when it changed. An error from `change` saves nothing.
    pub fn update<S, R>(&self, change: impl FnOnce(&mut S) -> Result<R>) -> Result<R>
    where
        S: Serialize + DeserializeOwned + Default,
    {
        let _write = self
            .write
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut map = self.load()?;
        let mut section: S = self.section(&map)?;
        let before = self.keys_of(&section)?;
        let out = change(&mut section)?;
        let after = self.keys_of(&section)?;
        if after != before {
            map.extend(after);
            self.save(&map)?;
        }
        Ok(out)
    }

    /// A section's top-level keys and values, as they go into the file.
    fn keys_of<S: Serialize>(&self, section: &S) -> Result<Map<String, Value>> {
        match serde_json::to_value(section).map_err(|e| self.error(e))? {
            Value::Object(keys) => Ok(keys),
            _ => Err(CoreError::Internal {
                detail: "a settings section must be a JSON object".into(),
            }),
        }
    }

    fn section<S: DeserializeOwned + Default>(&self, map: &Map<String, Value>) -> Result<S> {
        if map.is_empty() {
            return Ok(S::default());
        }
        serde_json::from_value(Value::Object(map.clone()))
            .map_err(|e| self.error(format!("not valid settings JSON ({e}); fix or delete it")))
    }

    /// The whole file as a JSON object, or an empty one when there is no file yet.
    fn load(&self) -> Result<Map<String, Value>> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Map::new()),
            Err(e) => return Err(self.error(e)),
        };
        match serde_json::from_slice(&bytes) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(self.error("not valid settings JSON (not an object); fix or delete it")),
            Err(e) => Err(self.error(format!("not valid settings JSON ({e}); fix or delete it"))),
        }
    }

    /// Replaces the file atomically; only [`Self::update`] calls it, under the lock.
    fn save(&self, map: &Map<String, Value>) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(map).map_err(|e| self.error(e))?;
        crate::files::write_atomically(&self.path, &bytes).map_err(|e| match e {
            CoreError::File { detail, .. } => self.error(detail),
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Colours {
        #[serde(default)]
        colours: Vec<String>,
    }

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Size {
        #[serde(default)]
        size: Option<u32>,
    }

    #[test]
    fn missing_file_gives_defaults_and_sections_keep_each_other() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SettingsStore::at(dir.path().join("nested/settings.json"));
        assert_eq!(store.read::<Colours>().expect("read"), Colours::default());
        store
            .update(|c: &mut Colours| {
                c.colours.push("blue".into());
                Ok(())
            })
            .expect("colours");
        store
            .update(|s: &mut Size| {
                s.size = Some(3);
                Ok(())
            })
            .expect("size");
        assert_eq!(store.read::<Colours>().expect("read").colours, ["blue"]);
        assert_eq!(store.read::<Size>().expect("read").size, Some(3));
        // Only the file itself is left behind: the temp file was renamed into place.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("nested"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("settings.json")]);
    }

    #[test]
    fn unknown_keys_survive_and_a_failed_change_saves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.json");
        std::fs::write(&path, r#"{"future": {"x": 1}, "size": 2}"#).expect("write");
        let store = SettingsStore::at(&path);
        let err = store
            .update(|s: &mut Size| -> Result<()> {
                s.size = Some(9);
                Err(CoreError::invalid("size", "too big"))
            })
            .expect_err("refused");
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        assert_eq!(store.read::<Size>().expect("read").size, Some(2));
        store
            .update(|s: &mut Size| {
                s.size = Some(4);
                Ok(())
            })
            .expect("update");
        let saved: Value =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
        assert_eq!(saved["future"]["x"], 1);
        assert_eq!(saved["size"], 4);
    }

    #[test]
    fn an_unchanged_section_is_not_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SettingsStore::at(dir.path().join("settings.json"));
        store.update(|_: &mut Size| Ok(())).expect("no change");
        assert!(!store.path().exists());
    }

    #[test]
    fn corrupt_file_is_a_clear_error_and_is_left_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.json");
        for text in ["{ not json", "[1, 2]"] {
            std::fs::write(&path, text).expect("write");
            let store = SettingsStore::at(&path);
            let err = store.read::<Size>().expect_err("corrupt");
            assert_eq!(err.code(), crate::ErrorCode::Settings);
            assert!(err.to_string().contains("not valid settings JSON"), "{err}");
            let err = store
                .update(|s: &mut Size| {
                    s.size = Some(1);
                    Ok(())
                })
                .expect_err("corrupt");
            assert_eq!(err.code(), crate::ErrorCode::Settings);
            assert_eq!(std::fs::read_to_string(&path).expect("read"), text);
        }
    }
}
