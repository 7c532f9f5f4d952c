//! The app's one piece of managed state: a [`sluice_core::Sluice`] context.
//!
//! Settings come from the OS config dir (or `SLUICE_CONFIG_DIR`), secrets from the OS keyring
//! (service `SLUICE_KEYRING_SERVICE`, default `sluice`), and `AWS_ENDPOINT_URL` points every
//! call at a local emulator for the demo and the end-to-end tests.

use std::sync::Arc;

use sluice_core::context::AwsOverrides;
use sluice_core::secrets::KeyringStore;
use sluice_core::settings::SettingsStore;
use sluice_core::Sluice;

pub struct AppState {
    pub core: Sluice,
}

impl AppState {
    /// The `sluice` command line inside the app's package, beside the app's own binary
    /// (for `credential_process`).
    pub fn cli_path(&self) -> Result<std::path::PathBuf, sluice_core::CoreError> {
        let status = self.core.cli_status(&self.app_exe()?);
        let platform = sluice_core::platform::Platform::current();
        if let Some(reason) = sluice_core::desktop::cli_path::temporary_place(&status.cli, platform)
        {
            return Err(sluice_core::CoreError::invalid(
                "sluice command line",
                reason,
            ));
        }
        if status.installed {
            Ok(status.cli.into())
        } else {
            Err(sluice_core::CoreError::NotFound {
                action: "sluice command line".into(),
                message: format!("install the sluice CLI next to the app ({})", status.cli),
            })
        }
    }

    /// The app's own binary.
    pub fn app_exe(&self) -> Result<std::path::PathBuf, sluice_core::CoreError> {
        std::env::current_exe().map_err(|e| sluice_core::CoreError::Internal {
            detail: e.to_string(),
        })
    }

    pub fn from_env() -> Result<Self, sluice_core::CoreError> {
        Ok(Self {
            core: Sluice::new(
                SettingsStore::default_location()?,
                Arc::new(KeyringStore::from_env()),
                AwsOverrides::from_env(),
            ),
        })
    }
}
