//! What a sign-in leaves behind: its section of the settings file (the start URL, region,
//! client id and expiry times, never a token) and its secrets in the OS keyring (the client
//! secret, the access token and the refresh token), each under an owner derived from the
//! region or the start URL so two sign-ins never share an entry.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::secrets::{SecretKey, SecretKind, SecretStore};
use crate::sensitive::Sensitive;

/// The client registration with SSO OIDC (one per SSO region, reused until it expires).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientRegistration {
    pub region: String,
    pub client_id: String,
    /// Unix seconds; a new registration is made an hour before.
    pub expires_at: i64,
}

/// The current sign-in (its tokens are in the keyring).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignIn {
    pub start_url: String,
    pub region: String,
    /// When the access token expires, Unix seconds.
    pub token_expires_at: i64,
    /// Whether a refresh token is in the keyring.
    pub refreshable: bool,
}

/// This feature's section of the settings file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoSettings {
    #[serde(default)]
    pub sso_client: Option<ClientRegistration>,
    #[serde(default)]
    pub sso_sign_in: Option<SignIn>,
    /// Whether the sign-in is shared with the AWS CLI (see [`super::aws_cli_cache`]).
    #[serde(default)]
    pub share_with_aws_cli: bool,
    /// The AWS CLI cache files Sluice wrote (only these are ever deleted, and only while
    /// they hold Sluice's token).
    #[serde(default)]
    pub aws_cli_files: Vec<String>,
    /// Fingerprints (SHA-1) of the tokens those files may hold: a file is deleted only while
    /// it holds one of them. Never the tokens themselves.
    #[serde(default)]
    pub aws_cli_tokens: Vec<String>,
    /// Why the last write or deletion of those files failed, until one succeeds.
    #[serde(default)]
    pub aws_cli_problem: Option<String>,
}

/// The keyring entries of one start URL's sign-in and one region's client.
pub struct SsoSecrets<'a> {
    pub store: &'a dyn SecretStore,
}

impl SsoSecrets<'_> {
    fn key(kind: SecretKind, of: &str) -> Result<SecretKey> {
        SecretKey::hashed(kind, "sso", of)
    }

    pub fn client_secret(&self, region: &str) -> Result<Option<Sensitive<String>>> {
        self.store
            .get(&Self::key(SecretKind::SsoClientSecret, region)?)
    }

    pub fn set_client_secret(&self, region: &str, secret: &Sensitive<String>) -> Result<()> {
        self.store
            .set(&Self::key(SecretKind::SsoClientSecret, region)?, secret)
    }

    pub fn access_token(&self, start_url: &str) -> Result<Option<Sensitive<String>>> {
        self.store
            .get(&Self::key(SecretKind::SsoAccessToken, start_url)?)
    }

    pub fn refresh_token(&self, start_url: &str) -> Result<Option<Sensitive<String>>> {
        self.store
            .get(&Self::key(SecretKind::SsoRefreshToken, start_url)?)
    }

    /// Stores a new access token and, when given, a new refresh token (an absent one keeps
    /// the stored one: a refresh may answer without a new refresh token).
    pub fn set_tokens(
        &self,
        start_url: &str,
        access: &Sensitive<String>,
        refresh: Option<&Sensitive<String>>,
    ) -> Result<()> {
        self.store
            .set(&Self::key(SecretKind::SsoAccessToken, start_url)?, access)?;
        if let Some(refresh) = refresh {
            self.store
                .set(&Self::key(SecretKind::SsoRefreshToken, start_url)?, refresh)?;
        }
        Ok(())
    }

    /// Deletes both tokens of `start_url`'s sign-in.
    pub fn delete_tokens(&self, start_url: &str) -> Result<()> {
        self.store
            .delete(&Self::key(SecretKind::SsoAccessToken, start_url)?)?;
        self.store
            .delete(&Self::key(SecretKind::SsoRefreshToken, start_url)?)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;

    #[test]
    fn owners_are_short_safe_and_distinct() {
        let key = |url| SecretKey::hashed(SecretKind::SsoAccessToken, "sso", url).expect("key");
        let a = key("https://example.awsapps.com/start").account();
        let b = key("https://other.awsapps.com/start").account();
        assert_ne!(a, b);
        assert_eq!(a.len(), "sso-access-token/".len() + 4 + 24, "{a}");
    }

    #[test]
    fn a_refresh_without_a_new_refresh_token_keeps_the_old_one() {
        let store = MemoryStore::default();
        let s = SsoSecrets { store: &store };
        let url = "https://example.awsapps.com/start";
        let t = |v: &str| Sensitive::new(v.to_string());
        s.set_tokens(url, &t("a1"), Some(&t("r1"))).expect("set");
        s.set_tokens(url, &t("a2"), None).expect("refresh");
        let exposed = |v: Option<Sensitive<String>>| v.map(Sensitive::into_exposed);
        assert_eq!(
            exposed(s.access_token(url).expect("get")),
            Some("a2".into())
        );
        assert_eq!(
            exposed(s.refresh_token(url).expect("get")),
            Some("r1".into())
        );
        s.delete_tokens(url).expect("delete");
        assert!(s.access_token(url).expect("get").is_none());
        assert!(s.refresh_token(url).expect("get").is_none());
    }
}
