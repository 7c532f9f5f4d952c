//! The [`Sluice`] context: settings, secret store and AWS overrides, wired once.
//!
//! The desktop app manages exactly one of these as its state; the CLI builds one per run;
//! tests build one around a temp settings file and an in-memory or real keyring. Feature
//! services hang off it, so every entry point behaves identically.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::aws::{AwsClients, AwsOptions};
use crate::connections::session::ConnectionSession;
use crate::error::Result;
use crate::identity::{self, CallerIdentity};
use crate::secrets::{SecretKey, SecretKind, SecretStore};
use crate::sensitive::Sensitive;
use crate::settings::{SettingsStore, SourceIdentity};
use crate::validate;

/// Per-run overrides from flags or the environment; they win over saved settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsOverrides {
    pub endpoint_url: Option<String>,
    pub region: Option<String>,
    pub profile: Option<String>,
    /// Ask the EC2 instance metadata service for credentials and the region.
    pub imds: bool,
}

impl AwsOverrides {
    /// Reads `AWS_ENDPOINT_URL` (a local emulator) and `SLUICE_IMDS` from the environment.
    pub fn from_env() -> Self {
        Self {
            endpoint_url: std::env::var("AWS_ENDPOINT_URL")
                .ok()
                .filter(|s| !s.is_empty()),
            imds: imds_env(),
            ..Self::default()
        }
    }
}

/// `SLUICE_IMDS=1` (or `true`) turns the EC2 instance metadata probe on.
pub fn imds_env() -> bool {
    std::env::var("SLUICE_IMDS")
        .map(|v| matches!(v.trim(), "1" | "true" | "yes"))
        .unwrap_or(false)
}

/// What the UI may know about the source identity: never the secret, only whether it exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SourceStatus {
    pub source: SourceIdentity,
    pub region: Option<String>,
    /// For an access key source: whether its secret is in the keyring.
    pub secret_configured: bool,
    /// The endpoint override in force (e.g. a local emulator), if any.
    pub endpoint_url: Option<String>,
}

/// A request to change the source identity. The secret, if any, goes to the keyring only.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SourceUpdate {
    pub source: SourceIdentity,
    pub region: Option<String>,
    /// New secret access key for an access key source; `None` keeps the stored one.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub secret_access_key: Option<SecretString>,
}

/// A secret arriving from the UI or a file: deserializable, but redacted in `Debug`.
#[derive(Clone, Deserialize)]
#[serde(from = "String")]
pub struct SecretString(Sensitive<String>);

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(Sensitive::new(value))
    }
}

impl std::fmt::Debug for SecretString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl SecretString {
    pub fn into_sensitive(self) -> Sensitive<String> {
        self.0
    }

    pub fn expose(&self) -> &String {
        self.0.expose()
    }
}

pub struct Sluice {
    settings: SettingsStore,
    secrets: Arc<dyn SecretStore>,
    overrides: AwsOverrides,
    /// Live connection sessions (temporary credentials), in memory only.
    sessions: Mutex<HashMap<String, ConnectionSession>>,
    jobs: Arc<crate::jobs::Jobs>,
    /// Held across each load → change → save of the settings file, so two writers (a
    /// connection being saved, the window remembering its size) never undo each other.
    settings_write: Mutex<()>,
    /// The handover file opened in the dialog, held here so its secrets never go to the UI
    /// and the connection is saved with exactly what was reviewed.
    opened_handover: Mutex<Option<crate::Sensitive<String>>>,
}

impl Sluice {
    pub fn new(
        settings: SettingsStore,
        secrets: Arc<dyn SecretStore>,
        overrides: AwsOverrides,
    ) -> Self {
        Self {
            settings,
            secrets,
            overrides,
            sessions: Mutex::new(HashMap::new()),
            jobs: Arc::default(),
            settings_write: Mutex::new(()),
            opened_handover: Mutex::new(None),
        }
    }

    /// The settings write lock (see the field). A poisoned lock still serialises writers.
    pub(crate) fn settings_write(&self) -> std::sync::MutexGuard<'_, ()> {
        self.settings_write
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Keeps (or with `None` drops) the text of the handover file the user opened.
    pub(crate) fn keep_opened_handover(&self, text: Option<crate::Sensitive<String>>) {
        if let Ok(mut slot) = self.opened_handover.lock() {
            *slot = text;
        }
    }

    /// The text of the handover file the user opened, if any.
    pub(crate) fn opened_handover(&self) -> Option<String> {
        self.opened_handover
            .lock()
            .ok()
            .and_then(|slot| slot.as_ref().map(|t| t.expose().clone()))
    }

    /// Cancellable jobs (downloads) in progress.
    pub fn jobs(&self) -> &crate::jobs::Jobs {
        &self.jobs
    }

    /// The jobs, for a task that outlives a borrow (a Ctrl-C handler).
    pub fn jobs_handle(&self) -> Arc<crate::jobs::Jobs> {
        self.jobs.clone()
    }

    pub(crate) fn cached_session(&self, name: &str) -> Option<ConnectionSession> {
        self.sessions.lock().ok()?.get(name).cloned()
    }

    pub(crate) fn cache_session(&self, name: &str, session: ConnectionSession) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.insert(name.to_string(), session);
        }
    }

    /// Drops a connection's session (after an edit or delete).
    pub fn forget_session(&self, name: &str) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.remove(name);
        }
    }

    /// Stores a new secret key for an access-key source, or checks one is already stored.
    pub(crate) fn store_source_secret(
        &self,
        source: &SourceIdentity,
        secret: Option<SecretString>,
    ) -> Result<()> {
        match source {
            SourceIdentity::DefaultChain => Ok(()),
            SourceIdentity::Profile { name } => validate::profile_name(name).map(|_| ()),
            SourceIdentity::AccessKey { access_key_id } => {
                validate::access_key_id(access_key_id)?;
                let key = SecretKey::new(SecretKind::SecretAccessKey, access_key_id)?;
                match secret {
                    Some(secret) => {
                        let secret = secret.into_sensitive();
                        validate::secret_access_key(secret.expose())?;
                        self.secrets.set(&key, &secret)
                    }
                    None if self.secrets.get(&key)?.is_none() => Err(crate::CoreError::invalid(
                        "secret access key",
                        "enter the secret access key for this access key id",
                    )),
                    None => Ok(()),
                }
            }
        }
    }

    pub fn settings(&self) -> &SettingsStore {
        &self.settings
    }

    pub fn secrets(&self) -> &dyn SecretStore {
        self.secrets.as_ref()
    }

    /// Saved settings with this run's overrides applied.
    pub fn aws_options(&self) -> Result<AwsOptions> {
        let saved = self.settings.load()?;
        let source = match &self.overrides.profile {
            Some(name) => SourceIdentity::Profile { name: name.clone() },
            None => saved.source,
        };
        Ok(AwsOptions {
            region: self.overrides.region.clone().or(saved.region),
            endpoint_url: self.overrides.endpoint_url.clone(),
            source,
            imds: self.overrides.imds,
        })
    }

    /// SDK clients for the current source identity.
    pub async fn aws(&self) -> Result<AwsClients> {
        AwsClients::build(&self.aws_options()?, self.secrets.as_ref()).await
    }

    /// STS GetCallerIdentity for the current source identity.
    pub async fn whoami(&self) -> Result<CallerIdentity> {
        identity::whoami(&self.aws().await?).await
    }

    /// The source identity as the UI may see it.
    pub fn source_status(&self) -> Result<SourceStatus> {
        let options = self.aws_options()?;
        let secret_configured = match &options.source {
            SourceIdentity::AccessKey { access_key_id } => {
                let key = SecretKey::new(SecretKind::SecretAccessKey, access_key_id)?;
                self.secrets.get(&key)?.is_some()
            }
            _ => false,
        };
        Ok(SourceStatus {
            source: options.source,
            region: options.region,
            secret_configured,
            endpoint_url: options.endpoint_url,
        })
    }

    /// Validates and saves a new source identity; a new secret key goes to the keyring only.
    /// Switching away from an access key deletes that key's secret from the keyring.
    pub fn set_source(&self, update: SourceUpdate) -> Result<SourceStatus> {
        if let Some(region) = &update.region {
            validate::region(region)?;
        }
        let _write = self.settings_write();
        let mut settings = self.settings.load()?;
        self.store_source_secret(&update.source, update.secret_access_key)?;
        let previous = std::mem::replace(&mut settings.source, update.source);
        settings.region = update.region;
        self.settings.save(&settings)?;
        if previous != settings.source {
            self.forget_unused_access_key(&previous)?;
        }
        self.source_status()
    }
}

/// A context for unit tests: settings in `dir`, secrets in memory (returned for checks).
#[cfg(test)]
pub(crate) fn test_context(dir: &std::path::Path) -> (Sluice, Arc<crate::secrets::MemoryStore>) {
    let store = Arc::new(crate::secrets::MemoryStore::default());
    let s = Sluice::new(
        SettingsStore::at(dir.join("settings.json")),
        store.clone(),
        AwsOverrides::default(),
    );
    (s, store)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;

    fn sluice(dir: &std::path::Path) -> (Sluice, Arc<MemoryStore>) {
        test_context(dir)
    }

    #[test]
    fn access_key_secret_goes_to_the_store_not_the_settings_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (s, store) = sluice(dir.path());
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let status = s
            .set_source(SourceUpdate {
                source: SourceIdentity::AccessKey {
                    access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
                },
                region: Some("eu-west-1".into()),
                secret_access_key: Some(SecretString::from(secret.to_string())),
            })
            .expect("set");
        assert!(status.secret_configured);
        let file = std::fs::read_to_string(s.settings().path()).expect("settings");
        assert!(!file.contains(secret));
        assert!(file.contains("AKIAIOSFODNN7EXAMPLE"));

        // Switching to a profile deletes the stored secret.
        s.set_source(SourceUpdate {
            source: SourceIdentity::Profile {
                name: "vendor".into(),
            },
            region: None,
            secret_access_key: None,
        })
        .expect("switch");
        let key = SecretKey::new(SecretKind::SecretAccessKey, "AKIAIOSFODNN7EXAMPLE").expect("key");
        assert!(store.get(&key).expect("get").is_none());
    }

    #[test]
    fn access_key_without_any_secret_is_rejected_and_nothing_saved() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (s, _) = sluice(dir.path());
        let err = s
            .set_source(SourceUpdate {
                source: SourceIdentity::AccessKey {
                    access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
                },
                region: None,
                secret_access_key: None,
            })
            .expect_err("no secret");
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        assert!(!s.settings().path().exists());
    }

    #[test]
    fn secret_string_debug_is_redacted() {
        let s = SecretString::from("topsecretvalue".to_string());
        assert_eq!(format!("{s:?}"), "<redacted>");
    }
}
