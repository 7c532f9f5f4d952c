//! Profiles with `mfa_serial`, which aws-config ignores. A profile with `role_arn` too would
//! be assumed without the MFA values, and a trust that requires MFA refuses that with
//! AccessDenied: Sluice assumes it itself — the profile's source credentials
//! (`source_profile`, or the default chain for `credential_source`), then AssumeRole with the
//! serial and a code. A profile of long-term keys with `mfa_serial` gets a GetSessionToken
//! session instead. Both sessions are kept like every MFA session (see [`super::mfa`]), so
//! one code serves until it expires.

use crate::arn::RoleArn;
use crate::aws::AwsClients;
use crate::connections::assume::{assume_role, chained_duration};
use crate::connections::{VendorRole, DEFAULT_DURATION_SECONDS};
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::identity::SourceIdentity;
use crate::secrets::{SecretKey, SecretKind};
use crate::sensitive::Sensitive;
use crate::validate;

/// What Sluice needs to assume a profile's role with MFA.
#[derive(Clone, PartialEq, Eq)]
pub struct MfaRoleProfile {
    pub role: VendorRole,
    /// The profile whose credentials call AssumeRole; `None`: the default chain.
    pub source_profile: Option<String>,
    /// The profile's `external_id` (it sits in the config file in plain text already).
    pub external_id: Option<String>,
}

impl std::fmt::Debug for MfaRoleProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaRoleProfile")
            .field("role", &self.role)
            .field("source_profile", &self.source_profile)
            .field("has_external_id", &self.external_id.is_some())
            .finish()
    }
}

impl MfaRoleProfile {
    /// Where profile `name`'s role session is kept: the address changes with everything the
    /// session stands for, so an edited profile asks for a new code instead of acting as
    /// the old role.
    pub(crate) fn session_key(&self, name: &str) -> Result<SecretKey> {
        let duration = self.role.duration_seconds.to_string();
        profile_mfa_key(
            name,
            &[
                self.role.role_arn.as_str(),
                self.role.mfa_serial.as_deref().unwrap_or_default(),
                &self.role.session_name,
                &duration,
                self.source_profile.as_deref().unwrap_or("(default chain)"),
                self.external_id.as_deref().unwrap_or_default(),
            ],
        )
    }

    /// The identity that calls AssumeRole.
    pub fn base(&self) -> SourceIdentity {
        match &self.source_profile {
            Some(name) => SourceIdentity::Profile { name: name.clone() },
            None => SourceIdentity::DefaultChain,
        }
    }
}

/// The role profile `name` of the config text when it has both `role_arn` and `mfa_serial`;
/// `None` for every other profile. Bad values are named.
pub fn mfa_role_profile(config_text: &str, name: &str) -> Result<Option<MfaRoleProfile>> {
    let profile = super::profiles::profile_section(config_text, name);
    let get = |key: &str| {
        profile
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let (Some(role_arn), Some(serial)) = (get("role_arn"), get("mfa_serial")) else {
        return Ok(None);
    };
    let in_profile = |e: CoreError| match e {
        CoreError::InvalidInput { field, reason } => CoreError::InvalidInput {
            field: format!("{field} of profile {name}"),
            reason,
        },
        other => other,
    };
    let duration_seconds = match get("duration_seconds") {
        None => DEFAULT_DURATION_SECONDS,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|d| (900..=43_200).contains(d))
            .ok_or_else(|| {
                in_profile(CoreError::invalid(
                    "duration_seconds",
                    "use 900 to 43200 seconds",
                ))
            })?,
    };
    let external_id = get("external_id")
        .map(|e| validate::external_id(e).map(|()| e.to_owned()))
        .transpose()
        .map_err(in_profile)?;
    let role = VendorRole {
        role_arn: RoleArn::parse(role_arn).map_err(in_profile)?,
        session_name: validate::session_name(get("role_session_name").unwrap_or("sluice"))
            .map_err(in_profile)?
            .to_owned(),
        duration_seconds,
        has_external_id: external_id.is_some(),
        display_name: None,
        mfa_serial: Some(super::mfa::serial(serial).map_err(in_profile)?.to_owned()),
    };
    let source_profile = get("source_profile")
        .map(|p| validate::profile_name(p).map(str::to_owned))
        .transpose()
        .map_err(in_profile)?;
    if source_profile.is_none() && get("credential_source").is_none() {
        return Err(CoreError::invalid(
            format!("profile {name}"),
            "a role profile needs source_profile or credential_source",
        ));
    }
    Ok(Some(MfaRoleProfile {
        role,
        source_profile,
        external_id,
    }))
}

/// Where an MFA session of profile `name` is kept, addressed by the profile and what the
/// session stands for (`what`).
fn profile_mfa_key(name: &str, what: &[&str]) -> Result<SecretKey> {
    let mut text = name.to_owned();
    for part in what {
        text.push('\n');
        text.push_str(part);
    }
    SecretKey::hashed(SecretKind::MfaSession, "profile", &text)
}

/// A profile of long-term keys with an MFA device: GetSessionToken makes its session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileMfaKeys {
    pub serial: String,
    pub access_key_id: String,
}

impl ProfileMfaKeys {
    /// Where the session is kept: a new key or device asks for a new code.
    pub(crate) fn session_key(&self, name: &str) -> Result<SecretKey> {
        profile_mfa_key(name, &[&self.access_key_id, &self.serial])
    }
}

/// The MFA device of profile `name` that is not a role (a role's is in [`MfaRoleProfile`]):
/// its `mfa_serial` in the config file, or in the credentials file, when the profile holds
/// long-term keys. Temporary keys (with `aws_session_token`) and `credential_process` are
/// sessions already, which GetSessionToken does not take: their `mfa_serial` is not used.
pub fn profile_mfa_keys(
    config_text: &str,
    credentials_text: &str,
    name: &str,
) -> Result<Option<ProfileMfaKeys>> {
    let config = super::profiles::profile_section(config_text, name);
    let credentials = super::profiles::section(credentials_text, name);
    let get = |key: &str| {
        credentials
            .iter()
            .chain(config.iter())
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    };
    let (Some(serial), Some(access_key_id)) = (get("mfa_serial"), get("aws_access_key_id")) else {
        return Ok(None);
    };
    if get("aws_session_token").is_some() || get("credential_process").is_some() {
        return Ok(None);
    }
    match super::mfa::serial(serial) {
        Ok(s) => Ok(Some(ProfileMfaKeys {
            serial: s.to_owned(),
            access_key_id: access_key_id.to_owned(),
        })),
        Err(CoreError::InvalidInput { reason, .. }) => Err(CoreError::invalid(
            format!("mfa_serial of profile {name}"),
            reason,
        )),
        Err(other) => Err(other),
    }
}

impl Sluice {
    /// Profile `name` of the shared files when its long-term keys have an MFA device.
    pub fn aws_profile_mfa_keys(&self, name: &str) -> Result<Option<ProfileMfaKeys>> {
        use crate::aws::shared_files::{config_path, credentials_path, read_or_empty};
        profile_mfa_keys(
            &read_or_empty(&config_path()?)?,
            &read_or_empty(&credentials_path()?)?,
            name,
        )
    }

    /// Forgets the MFA sessions of profile `name` as it is configured now (it stops being
    /// the source identity). A profile that no longer reads has nothing to forget.
    pub(crate) fn forget_profile_mfa_sessions(&self, name: &str) -> Result<()> {
        // Where an earlier Sluice kept it: under the profile's name alone.
        self.forget_mfa_session(&SecretKey::hashed(SecretKind::MfaSession, "profile", name)?)?;
        if let Ok(Some(role)) = self.aws_mfa_role_profile(name) {
            self.forget_mfa_session(&role.session_key(name)?)?;
        }
        if let Ok(Some(keys)) = self.aws_profile_mfa_keys(name) {
            self.forget_mfa_session(&keys.session_key(name)?)?;
        }
        Ok(())
    }

    /// Profile `name` of `~/.aws/config` when its role needs MFA.
    pub fn aws_mfa_role_profile(&self, name: &str) -> Result<Option<MfaRoleProfile>> {
        use crate::aws::shared_files::{config_path, read_or_empty};
        mfa_role_profile(&read_or_empty(&config_path()?)?, name)
    }

    /// The clients of `base` (the profile's source) acting as the profile's role: the kept
    /// MFA session, or AssumeRole with the serial and the given code.
    pub(crate) async fn with_mfa_role(
        &self,
        base: AwsClients,
        name: &str,
        profile: &MfaRoleProfile,
    ) -> Result<AwsClients> {
        let mut role = profile.role.clone();
        let serial = role.mfa_serial.clone().unwrap_or_default();
        (role.duration_seconds, _) =
            chained_duration(role.duration_seconds, base.acts_with_a_session().await);
        let key = profile.session_key(name)?;
        let external_id = profile.external_id.clone().map(Sensitive::new);
        let sts = base.sts();
        let session = self
            .mfa()
            .session(
                self.secrets(),
                &key,
                &serial,
                &format!("profile {name} assumes its role with MFA: it needs a code from the MFA device {serial}"),
                |code| async move {
                    assume_role(&sts, &role, external_id.as_ref(), Some(&code)).await
                },
            )
            .await?;
        Ok(base.with_credentials(session))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
[profile base]
region = eu-west-1

[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
mfa_serial = arn:aws:iam::111111111111:mfa/alice
source_profile = base
external_id = vendor-passphrase-1
duration_seconds = 7200

[profile plain-role]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = base

[profile from-env]
role_arn = arn:aws:iam::123456789012:role/admin
mfa_serial = GAHT12345678
credential_source = Environment

[profile nowhere]
role_arn = arn:aws:iam::123456789012:role/admin
mfa_serial = GAHT12345678

[profile bad-arn]
role_arn = arn:aws:iam::123:role/admin
mfa_serial = GAHT12345678
source_profile = base
";

    #[test]
    fn a_role_with_an_mfa_serial_is_read_with_its_source_and_settings() {
        let p = mfa_role_profile(CONFIG, "admin")
            .expect("valid")
            .expect("an MFA role");
        assert_eq!(
            p.role.role_arn.as_str(),
            "arn:aws:iam::123456789012:role/admin"
        );
        assert_eq!(
            p.role.mfa_serial.as_deref(),
            Some("arn:aws:iam::111111111111:mfa/alice")
        );
        assert_eq!(p.role.duration_seconds, 7200);
        assert!(p.role.has_external_id);
        assert_eq!(
            p.base(),
            SourceIdentity::Profile {
                name: "base".into()
            }
        );
        let env = mfa_role_profile(CONFIG, "from-env")
            .expect("ok")
            .expect("role");
        assert_eq!(env.base(), SourceIdentity::DefaultChain);
    }

    #[test]
    fn a_profile_of_long_term_keys_names_its_device_in_either_file() {
        let config = "[profile keys]\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n[profile bad]\nmfa_serial = x\n[profile temp]\nmfa_serial = GAHT12345678\n[profile process]\nmfa_serial = GAHT12345678\ncredential_process = /bin/creds\n";
        let credentials = "[keys]\naws_access_key_id = AKIAKEYS\n[other]\naws_access_key_id = AKIA1\nmfa_serial = GAHT12345678\n[bad]\naws_access_key_id = AKIA2\n[temp]\naws_access_key_id = ASIA3\naws_session_token = t\n[process]\naws_access_key_id = AKIA4\n";
        let keys = |name| profile_mfa_keys(config, credentials, name);
        let found = keys("keys").expect("ok").expect("keys with a device");
        assert_eq!(found.serial, "arn:aws:iam::111111111111:mfa/alice");
        assert_eq!(found.access_key_id, "AKIAKEYS");
        assert_eq!(
            keys("other").expect("ok").map(|k| k.serial).as_deref(),
            Some("GAHT12345678")
        );
        // No keys, temporary keys, a credential process: nothing for GetSessionToken.
        for none in ["missing", "temp", "process"] {
            assert_eq!(keys(none).expect("ok"), None, "{none}");
        }
        let err = keys("bad").expect_err("bad serial");
        assert!(
            err.to_string().contains("mfa_serial of profile bad"),
            "{err}"
        );
        // Another key or device is another session; the same ones are the same session.
        let other_key = ProfileMfaKeys {
            access_key_id: "AKIAOTHER".into(),
            ..found.clone()
        };
        let key = |k: &ProfileMfaKeys| k.session_key("keys").expect("key").account();
        assert_eq!(key(&found), key(&found.clone()));
        assert_ne!(key(&found), key(&other_key));
    }

    #[test]
    fn an_edited_role_profile_is_another_session_and_its_external_id_is_not_printed() {
        let p = mfa_role_profile(CONFIG, "admin")
            .expect("valid")
            .expect("an MFA role");
        let edited = mfa_role_profile(
            &CONFIG.replace(
                "role/admin\nmfa_serial = arn:aws:iam::111111111111:mfa/alice",
                "role/other\nmfa_serial = arn:aws:iam::111111111111:mfa/alice",
            ),
            "admin",
        )
        .expect("valid")
        .expect("an MFA role");
        let key = |p: &MfaRoleProfile| p.session_key("admin").expect("key").account();
        assert_ne!(key(&p), key(&edited));
        assert_eq!(key(&p), key(&p.clone()));
        let shown = format!("{p:?}");
        assert!(!shown.contains("vendor-passphrase-1"), "{shown}");
    }

    #[test]
    fn other_profiles_are_left_to_the_sdk_and_bad_ones_are_named() {
        assert!(mfa_role_profile(CONFIG, "plain-role")
            .expect("ok")
            .is_none());
        assert!(mfa_role_profile(CONFIG, "base").expect("ok").is_none());
        assert!(mfa_role_profile(CONFIG, "missing").expect("ok").is_none());
        let err = mfa_role_profile(CONFIG, "nowhere").expect_err("no source");
        assert!(err.to_string().contains("source_profile"), "{err}");
        let err = mfa_role_profile(CONFIG, "bad-arn").expect_err("bad arn");
        assert!(err.to_string().contains("profile bad-arn"), "{err}");
    }
}
