//! The [`Sluice`] context: settings, secret store, AWS overrides and jobs, wired once.
//!
//! The desktop app manages exactly one of these as its state; the CLI builds one per run;
//! tests build one around a temp settings file and an in-memory or real keyring. Features
//! hang their `impl Sluice` facades off it and keep their own in-memory state (the
//! connections' sessions, the opened handover, the files written) in [`Sluice::state`], so
//! this file knows no feature and every entry point behaves identically.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::jobs::Jobs;
use crate::secrets::SecretStore;
use crate::settings::SettingsStore;

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

type States = HashMap<TypeId, Arc<dyn Any + Send + Sync>>;

pub struct Sluice {
    settings: SettingsStore,
    secrets: Arc<dyn SecretStore>,
    overrides: AwsOverrides,
    jobs: Arc<Jobs>,
    /// One value per feature state type, made on first use; in memory only.
    states: Mutex<States>,
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
            jobs: Arc::default(),
            states: Mutex::default(),
        }
    }

    /// A feature's in-memory state of type `T`, the same value for the life of this context.
    pub fn state<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let mut states = self
            .states
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = states
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(T::default()));
        match entry.clone().downcast::<T>() {
            Ok(state) => state,
            // Unreachable: the entry for `TypeId::of::<T>()` always holds a `T`.
            Err(_) => Arc::new(T::default()),
        }
    }

    /// Cancellable jobs (downloads, reports, reads) in progress.
    pub fn jobs(&self) -> &Arc<Jobs> {
        &self.jobs
    }

    /// The jobs, for a task that outlives a borrow (a Ctrl-C handler).
    pub fn jobs_handle(&self) -> Arc<Jobs> {
        self.jobs.clone()
    }

    pub fn settings(&self) -> &SettingsStore {
        &self.settings
    }

    pub fn secrets(&self) -> &dyn SecretStore {
        self.secrets.as_ref()
    }

    /// The secret store, for what outlives one call (a role session renewing itself).
    pub(crate) fn secrets_handle(&self) -> Arc<dyn SecretStore> {
        self.secrets.clone()
    }

    /// This run's overrides (flags, environment).
    pub fn overrides(&self) -> &AwsOverrides {
        &self.overrides
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

    #[derive(Default)]
    struct Counter(std::sync::atomic::AtomicU32);

    #[test]
    fn each_state_type_is_one_value_per_context() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (s, _) = test_context(dir.path());
        s.state::<Counter>()
            .0
            .fetch_add(2, std::sync::atomic::Ordering::SeqCst);
        let again = s.state::<Counter>();
        assert_eq!(again.0.load(std::sync::atomic::Ordering::SeqCst), 2);
        let (other, _) = test_context(dir.path());
        assert_eq!(
            other
                .state::<Counter>()
                .0
                .load(std::sync::atomic::Ordering::SeqCst),
            0
        );
    }
}
