//! The source identity for the app and the CLI: what it is (never its secret), changing it
//! (a new secret key goes to the keyring only), and the AWS clients and caller it gives.

use serde::{Deserialize, Serialize};

use super::source::{IdentitySettings, SourceIdentity};
use super::whoami::{whoami, CallerIdentity};
use crate::aws::{AwsClients, AwsOptions};
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::secrets::{SecretKey, SecretKind};
use crate::sensitive::SecretString;
use crate::validate;

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

impl Sluice {
    /// Saved settings with this run's overrides applied.
    pub fn aws_options(&self) -> Result<AwsOptions> {
        let saved: IdentitySettings = self.settings().read()?;
        let overrides = self.overrides();
        let source = match &overrides.profile {
            Some(name) => SourceIdentity::Profile { name: name.clone() },
            None => saved.source,
        };
        Ok(AwsOptions {
            region: overrides.region.clone().or(saved.region),
            endpoint_url: overrides.endpoint_url.clone(),
            source,
            imds: overrides.imds,
        })
    }

    /// SDK clients for the current source identity.
    pub async fn aws(&self) -> Result<AwsClients> {
        AwsClients::build(&self.aws_options()?, self.secrets()).await
    }

    /// STS GetCallerIdentity for the current source identity.
    pub async fn whoami(&self) -> Result<CallerIdentity> {
        whoami(&self.aws().await?).await
    }

    /// The source identity as the UI may see it.
    pub fn source_status(&self) -> Result<SourceStatus> {
        let options = self.aws_options()?;
        let stored = |kind, id: &str| -> Result<bool> {
            Ok(self.secrets().get(&SecretKey::new(kind, id)?)?.is_some())
        };
        let secret_configured = match &options.source {
            SourceIdentity::AccessKey { access_key_id } => {
                stored(SecretKind::SecretAccessKey, access_key_id)?
            }
            SourceIdentity::Temporary { access_key_id, .. } => {
                stored(SecretKind::SecretAccessKey, access_key_id)?
                    && stored(SecretKind::SessionToken, access_key_id)?
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
        let previous = self.settings().update(|saved: &mut IdentitySettings| {
            self.store_source_secret(&update.source, update.secret_access_key)?;
            saved.region = update.region;
            Ok(std::mem::replace(&mut saved.source, update.source.clone()))
        })?;
        if previous != update.source {
            self.forget_unused_access_key(&previous)?;
        }
        self.source_status()
    }

    /// Makes pasted temporary credentials the source identity (see [`super::pasted`]): the
    /// secret key and the session token go to the keyring only; a set that has expired is
    /// refused. The previous source's secrets are deleted when nothing else uses them.
    pub fn set_temporary_source(
        &self,
        pasted: SecretString,
        region: Option<String>,
    ) -> Result<SourceStatus> {
        if let Some(region) = &region {
            validate::region(region)?;
        }
        let creds = super::pasted::parse(pasted.expose())?;
        refuse_expired(creds.expires.as_deref(), std::time::SystemTime::now())?;
        let source = SourceIdentity::Temporary {
            access_key_id: creds.access_key_id.clone(),
            expires: creds.expires.clone(),
        };
        let previous = self.settings().update(|saved: &mut IdentitySettings| {
            let id = &creds.access_key_id;
            self.secrets().set(
                &SecretKey::new(SecretKind::SecretAccessKey, id)?,
                &creds.secret_access_key,
            )?;
            self.secrets().set(
                &SecretKey::new(SecretKind::SessionToken, id)?,
                &creds.session_token,
            )?;
            saved.region = region;
            Ok(std::mem::replace(&mut saved.source, source.clone()))
        })?;
        if previous != source {
            self.forget_unused_access_key(&previous)?;
        }
        self.source_status()
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
                        self.secrets().set(&key, &secret)
                    }
                    None if self.secrets().get(&key)?.is_none() => Err(CoreError::invalid(
                        "secret access key",
                        "enter the secret access key for this access key id",
                    )),
                    None => Ok(()),
                }
            }
            SourceIdentity::Temporary { access_key_id, .. } => {
                let stored = |kind| -> Result<bool> {
                    Ok(self
                        .secrets()
                        .get(&SecretKey::new(kind, access_key_id)?)?
                        .is_some())
                };
                if secret.is_none()
                    && stored(SecretKind::SecretAccessKey)?
                    && stored(SecretKind::SessionToken)?
                {
                    Ok(())
                } else {
                    Err(CoreError::invalid(
                        "temporary credentials",
                        "paste the whole block again (key id, secret key and session token)",
                    ))
                }
            }
        }
    }
}

/// Refuses credentials whose expiry (RFC 3339) is not after `now`.
fn refuse_expired(expires: Option<&str>, now: std::time::SystemTime) -> Result<()> {
    let Some(text) = expires else {
        return Ok(());
    };
    let at =
        aws_smithy_types::DateTime::from_str(text, aws_smithy_types::date_time::Format::DateTime)
            .ok()
            .and_then(|t| std::time::SystemTime::try_from(t).ok());
    match at {
        Some(at) if at <= now => Err(CoreError::invalid(
            "temporary credentials",
            format!("they expired at {text}: copy a fresh set from the portal"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::test_context;
    use crate::secrets::SecretStore;

    #[test]
    fn access_key_secret_goes_to_the_store_not_the_settings_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (s, store) = test_context(dir.path());
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
        let (s, _) = test_context(dir.path());
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

    const TOKEN: &str = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==";

    fn pasted(expiry: &str) -> SecretString {
        SecretString::from(format!(
            "export AWS_ACCESS_KEY_ID=ASIAIOSFODNN7EXAMPLE\n\
             export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\
             export AWS_SESSION_TOKEN={TOKEN}\n\
             export AWS_CREDENTIAL_EXPIRATION={expiry}\n"
        ))
    }

    #[test]
    fn pasted_credentials_go_to_the_keyring_and_leave_with_the_source() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (s, store) = test_context(dir.path());
        let status = s
            .set_temporary_source(pasted("2099-01-01T00:00:00Z"), Some("eu-west-1".into()))
            .expect("set");
        assert!(status.secret_configured);
        assert_eq!(
            status.source,
            SourceIdentity::Temporary {
                access_key_id: "ASIAIOSFODNN7EXAMPLE".into(),
                expires: Some("2099-01-01T00:00:00Z".into()),
            }
        );
        let file = std::fs::read_to_string(s.settings().path()).expect("settings");
        assert!(
            !file.contains(TOKEN) && !file.contains("wJalrXUtnFEMI"),
            "{file}"
        );
        let token = SecretKey::new(SecretKind::SessionToken, "ASIAIOSFODNN7EXAMPLE").expect("key");
        assert!(store.get(&token).expect("get").is_some());

        s.set_source(SourceUpdate {
            source: SourceIdentity::DefaultChain,
            region: None,
            secret_access_key: None,
        })
        .expect("switch");
        assert!(store.get(&token).expect("get").is_none(), "token deleted");
    }

    #[test]
    fn an_expired_set_is_refused_and_nothing_is_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (s, store) = test_context(dir.path());
        let err = s
            .set_temporary_source(pasted("2020-01-01T00:00:00Z"), None)
            .expect_err("expired");
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        assert!(
            err.to_string().contains("expired at 2020-01-01T00:00:00Z"),
            "{err}"
        );
        assert!(!s.settings().path().exists());
        let token = SecretKey::new(SecretKind::SessionToken, "ASIAIOSFODNN7EXAMPLE").expect("key");
        assert!(store.get(&token).expect("get").is_none());
    }
}
