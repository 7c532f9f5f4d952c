//! The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
//!
//! Each secret is one keyring entry under a service name (`sluice` by default; tests use a
//! unique one) with the [`SecretKey::account`] as the user field.

use super::{SecretKey, SecretStore};
use crate::error::{CoreError, Result};
use crate::sensitive::Sensitive;

pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    pub const DEFAULT_SERVICE: &'static str = "sluice";

    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    /// The service named by `SLUICE_KEYRING_SERVICE` (tests and the demo keep their secrets
    /// apart this way), else `sluice`.
    pub fn from_env() -> Self {
        Self::new(
            std::env::var("SLUICE_KEYRING_SERVICE")
                .ok()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| Self::DEFAULT_SERVICE.to_string()),
        )
    }

    fn entry(&self, key: &SecretKey) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, &key.account()).map_err(keyring_error)
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new(Self::DEFAULT_SERVICE)
    }
}

fn keyring_error(e: keyring::Error) -> CoreError {
    // keyring's Display never includes the secret itself, only what failed.
    CoreError::Keyring {
        detail: e.to_string(),
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>> {
        match self.entry(key)?.get_password() {
            Ok(v) => Ok(Some(Sensitive::new(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<()> {
        self.entry(key)?
            .set_password(value.expose())
            .map_err(keyring_error)
    }

    fn delete(&self, key: &SecretKey) -> Result<bool> {
        match self.entry(key)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(keyring_error(e)),
        }
    }
}
