//! The source identity for the app and the CLI: what it is (never its secret), changing it
//! (a new secret key goes to the keyring only), and the AWS clients and caller it gives.

use serde::{Deserialize, Serialize};

use super::profiles::SsoProfile;
use super::source::{IdentitySettings, SourceIdentity};
use super::sso::saved::SsoSettings;
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
    /// The MFA device of an access-key source, when it has one.
    pub mfa_serial: Option<String>,
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
    /// The MFA device of an access-key source; calls then ask for its code.
    #[serde(default)]
    pub mfa_serial: Option<String>,
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
            proxy: self.proxy_choice()?,
        })
    }

    /// SDK clients for the current source identity. An IAM Identity Center source has its
    /// token refreshed first when it is about to expire.
    pub async fn aws(&self) -> Result<AwsClients> {
        self.clients_with(self.aws_options()?).await
    }

    /// SDK clients for `options` (the source identity's, or a connection's own): an IAM
    /// Identity Center sign-in refreshed, a profile's MFA device or MFA role honoured, and
    /// the access key of the source identity with its MFA device.
    pub(crate) async fn clients_with(&self, mut options: AwsOptions) -> Result<AwsClients> {
        let mut sso_profile = None;
        let mut mfa_role = None;
        // Long-term keys with an MFA device: (where the session is kept, the device, why).
        let mut mfa_session = None;
        if let SourceIdentity::Profile { name } = options.source.clone() {
            if let Some(portal) = self.aws_sso_profile(&name)? {
                match self.sso_source_for_profile(&portal)? {
                    Some(source) => options.source = source,
                    None => sso_profile = Some((name, portal)),
                }
            } else if let Some(role) = self.aws_mfa_role_profile(&name)? {
                options.source = role.base();
                mfa_role = Some((name, role));
            } else {
                self.refuse_unsupported_profile(&name)?;
                if let Some(keys) = self.aws_profile_mfa_keys(&name)? {
                    let why = format!(
                        "profile {name} needs a code from its MFA device {}",
                        keys.serial
                    );
                    mfa_session = Some((keys.session_key(&name)?, keys.serial, why));
                }
            }
        }
        if let SourceIdentity::Sso { .. } = options.source {
            self.sso_token().await?;
        }
        if let SourceIdentity::AccessKey { access_key_id } = &options.source {
            // The MFA device is set with the source identity's key (a connection may use it too).
            let saved: IdentitySettings = self.settings().read()?;
            let device = saved.mfa_serial.filter(|_| saved.source == options.source);
            if let Some(serial) = device {
                let why = format!("this key needs a code from its MFA device {serial}");
                let key = SecretKey::new(SecretKind::MfaSession, access_key_id)?;
                mfa_session = Some((key, serial, why));
            }
        }
        let mut clients = AwsClients::build(&options, self.secrets()).await?;
        if let Some((key, serial, why)) = mfa_session {
            clients = self.with_mfa(clients, &key, &serial, &why).await?;
        }
        if let Some((name, role)) = mfa_role {
            clients = self.with_mfa_role(clients, &name, &role).await?;
        }
        if let Some((name, portal)) = sso_profile {
            // Not signed in here: the AWS CLI's own sign-in may still serve; if not, say how.
            if let Err(CoreError::NoCredentials { .. }) = clients.ensure_credentials().await {
                return Err(CoreError::SignIn {
                    reason: format!(
                        "profile {name} signs in at {}: sign in (in Sluice, or `sluice sso login --profile {name}`)",
                        portal.start_url
                    ),
                });
            }
        }
        Ok(clients)
    }

    /// A profile kind Sluice cannot sign in with, named before the SDK fails on it.
    fn refuse_unsupported_profile(&self, name: &str) -> Result<()> {
        let kind = self
            .aws_profiles()?
            .into_iter()
            .find(|p| p.name == name)
            .map(|p| p.kind);
        match kind {
            Some(super::profiles::ProfileKind::Login) => Err(CoreError::invalid(
                format!("profile {name}"),
                "it signs in with `aws login` (login_session), which Sluice does not support: choose IAM Identity Center, access keys or pasted temporary credentials under Sign in",
            )),
            _ => Ok(()),
        }
    }

    /// An SSO profile answered by Sluice's own sign-in to its portal, when there is one and
    /// the profile names its account and role.
    fn sso_source_for_profile(&self, portal: &SsoProfile) -> Result<Option<SourceIdentity>> {
        let saved: SsoSettings = self.settings().read()?;
        let signed_in = saved
            .sso_sign_in
            .is_some_and(|s| s.start_url == portal.start_url);
        Ok(match (&portal.account_id, &portal.role_name) {
            (Some(account_id), Some(role_name)) if signed_in => Some(SourceIdentity::Sso {
                start_url: portal.start_url.clone(),
                sso_region: portal.region.clone(),
                account_id: account_id.clone(),
                role_name: role_name.clone(),
            }),
            _ => None,
        })
    }

    /// STS GetCallerIdentity for the current source identity.
    pub async fn whoami(&self) -> Result<CallerIdentity> {
        whoami(&self.aws().await?).await
    }

    /// The source identity as the UI may see it.
    pub fn source_status(&self) -> Result<SourceStatus> {
        let options = self.aws_options()?;
        let saved: IdentitySettings = self.settings().read()?;
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
            SourceIdentity::Sso { start_url, .. } => super::sso::saved::SsoSecrets {
                store: self.secrets(),
            }
            .access_token(start_url)?
            .is_some(),
            _ => false,
        };
        let mfa_serial = match options.source {
            SourceIdentity::AccessKey { .. } => saved.mfa_serial,
            _ => None,
        };
        Ok(SourceStatus {
            source: options.source,
            region: options.region,
            mfa_serial,
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
        let mfa_serial = match (&update.source, &update.mfa_serial) {
            (SourceIdentity::AccessKey { .. }, Some(s)) if !s.trim().is_empty() => {
                Some(super::mfa::serial(s)?.to_owned())
            }
            _ => None,
        };
        let (previous, previous_serial) =
            self.settings().update(|saved: &mut IdentitySettings| {
                self.store_source_secret(&update.source, update.secret_access_key)?;
                saved.region = update.region;
                let serial = std::mem::replace(&mut saved.mfa_serial, mfa_serial.clone());
                Ok((
                    std::mem::replace(&mut saved.source, update.source.clone()),
                    serial,
                ))
            })?;
        if previous != update.source || previous_serial != mfa_serial {
            if let SourceIdentity::AccessKey { access_key_id } = &previous {
                self.forget_access_key_mfa(access_key_id)?;
            }
        }
        if previous != update.source {
            if let SourceIdentity::Profile { name } = &previous {
                self.forget_profile_mfa_sessions(name)?;
            }
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
            SourceIdentity::Sso { .. } => Err(CoreError::invalid(
                "source identity",
                "choose an account and role after signing in to IAM Identity Center",
            )),
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
                mfa_serial: None,
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
            mfa_serial: None,
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
                mfa_serial: None,
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
            mfa_serial: None,
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
