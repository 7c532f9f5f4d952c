//! An in-memory [`SecretStore`] for unit tests and for runs that must not touch the OS keyring.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{SecretKey, SecretStore};
use crate::error::{CoreError, Result};
use crate::sensitive::Sensitive;

#[derive(Default)]
pub struct MemoryStore {
    values: Mutex<HashMap<String, Sensitive<String>>>,
}

impl MemoryStore {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, Sensitive<String>>>> {
        self.values.lock().map_err(|_| CoreError::Keyring {
            detail: "in-memory store poisoned".into(),
        })
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>> {
        Ok(self.lock()?.get(&key.account()).cloned())
    }

    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<()> {
        self.lock()?.insert(key.account(), value.clone());
        Ok(())
    }

    fn delete(&self, key: &SecretKey) -> Result<bool> {
        Ok(self.lock()?.remove(&key.account()).is_some())
    }
}
