//! Where secrets live: the OS keyring in the app and CLI, memory in unit tests.
//!
//! Secrets never touch the settings file. Everything that needs one goes through a
//! [`SecretStore`], addressed by a [`SecretKey`] whose name is validated so that a
//! user-chosen connection name cannot collide with, or reach, another entry.

mod keyring_store;
mod memory;

pub use keyring_store::KeyringStore;
pub use memory::MemoryStore;

use crate::error::{CoreError, Result};
use crate::sensitive::Sensitive;

/// The kinds of secret Sluice stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// The secret access key that belongs to an access key id.
    SecretAccessKey,
    /// A vendor's ExternalId passphrase for a connection.
    ExternalId,
    /// An ExternalId an admin's trust policy requires (policy studio).
    TrustExternalId,
    /// The session token of pasted temporary credentials, by their access key id.
    SessionToken,
    /// IAM Identity Center: a client registration's secret, by SSO region.
    SsoClientSecret,
    /// IAM Identity Center: the access token of a sign-in, by start URL.
    SsoAccessToken,
    /// IAM Identity Center: the refresh token of a sign-in, by start URL.
    SsoRefreshToken,
    /// An MFA session (GetSessionToken's credentials, as JSON), by the access key id it
    /// was made from; kept by the CLI so one code serves the commands that follow.
    MfaSession,
}

impl SecretKind {
    fn prefix(self) -> &'static str {
        match self {
            Self::SecretAccessKey => "secret-access-key",
            Self::ExternalId => "external-id",
            Self::TrustExternalId => "trust-external-id",
            Self::SessionToken => "session-token",
            Self::SsoClientSecret => "sso-client-secret",
            Self::SsoAccessToken => "sso-access-token",
            Self::SsoRefreshToken => "sso-refresh-token",
            Self::MfaSession => "mfa-session",
        }
    }
}

/// The address of one secret: kind plus owner (an access key id or a connection name).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretKey {
    kind: SecretKind,
    owner: String,
}

impl SecretKey {
    pub fn new(kind: SecretKind, owner: &str) -> Result<Self> {
        let ok = !owner.is_empty()
            && owner.len() <= 128
            && owner
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ok {
            return Err(CoreError::invalid(
                "secret owner",
                "use 1-128 letters, digits, '-', '_' or '.'",
            ));
        }
        Ok(Self {
            kind,
            owner: owner.to_string(),
        })
    }

    /// An owner for any `text` (a URL, a profile name): `prefix-` and 24 hex digits of its
    /// MD5, so names with characters the keyring address may not hold still have a key.
    pub fn hashed(kind: SecretKind, prefix: &str, text: &str) -> Result<Self> {
        use md5::{Digest, Md5};
        let digest = Md5::digest(text.as_bytes());
        let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
        Self::new(kind, &format!("{prefix}-{hex}"))
    }

    /// The keyring "user" field for this secret, e.g. `secret-access-key/AKIA...`.
    pub fn account(&self) -> String {
        format!("{}/{}", self.kind.prefix(), self.owner)
    }
}

/// A place to keep secrets. Implementations must never log values.
pub trait SecretStore: Send + Sync {
    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>>;
    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<()>;
    /// Removes the secret; `Ok(false)` when there was none.
    fn delete(&self, key: &SecretKey) -> Result<bool>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_reject_names_that_could_reach_other_entries() {
        for bad in ["", "a/b", "../x", "with space", &"x".repeat(129)] {
            assert!(
                SecretKey::new(SecretKind::ExternalId, bad).is_err(),
                "{bad}"
            );
        }
        let k = SecretKey::new(SecretKind::SecretAccessKey, "AKIAEXAMPLE").expect("valid");
        assert_eq!(k.account(), "secret-access-key/AKIAEXAMPLE");
    }

    #[test]
    fn memory_store_round_trip() {
        let store = MemoryStore::default();
        let key = SecretKey::new(SecretKind::ExternalId, "vendor").expect("valid");
        assert!(store.get(&key).expect("get").is_none());
        store
            .set(&key, &Sensitive::new("s3cr3t".to_string()))
            .expect("set");
        assert_eq!(
            store.get(&key).expect("get").map(|s| s.into_exposed()),
            Some("s3cr3t".to_string())
        );
        assert!(store.delete(&key).expect("delete"));
        assert!(!store.delete(&key).expect("delete again"));
    }
}
