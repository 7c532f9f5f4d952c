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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaRoleProfile {
    pub role: VendorRole,
    /// The profile whose credentials call AssumeRole; `None`: the default chain.
    pub source_profile: Option<String>,
    /// The profile's `external_id` (it sits in the config file in plain text already).
    pub external_id: Option<String>,
}

impl MfaRoleProfile {
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

/// Where the MFA session of profile `name` is kept (a role's or its keys' session).
pub(crate) fn profile_mfa_key(name: &str) -> Result<SecretKey> {
    SecretKey::hashed(SecretKind::MfaSession, "profile", name)
}

/// The MFA device of profile `name` that is not a role (a role's is in [`MfaRoleProfile`]):
/// its `mfa_serial` in the config file, or in the credentials file.
pub fn profile_mfa_serial(
    config_text: &str,
    credentials_text: &str,
    name: &str,
) -> Result<Option<String>> {
    let config = super::profiles::profile_section(config_text, name);
    let credentials = super::profiles::section(credentials_text, name);
    let Some(serial) = config
        .iter()
        .chain(credentials.iter())
        .find(|(k, v)| k == "mfa_serial" && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
    else {
        return Ok(None);
    };
    match super::mfa::serial(serial) {
        Ok(s) => Ok(Some(s.to_owned())),
        Err(CoreError::InvalidInput { reason, .. }) => Err(CoreError::invalid(
            format!("mfa_serial of profile {name}"),
            reason,
        )),
        Err(other) => Err(other),
    }
}

impl Sluice {
    /// The MFA device of profile `name` of the shared files, when it is not a role.
    pub fn aws_profile_mfa_serial(&self, name: &str) -> Result<Option<String>> {
        use crate::aws::shared_files::{config_path, credentials_path, read_or_empty};
        profile_mfa_serial(
            &read_or_empty(&config_path()?)?,
            &read_or_empty(&credentials_path()?)?,
            name,
        )
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
        let key = profile_mfa_key(name)?;
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
    fn a_profile_of_keys_names_its_device_in_either_file() {
        let config = "[profile keys]\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n[profile bad]\nmfa_serial = x\n";
        let credentials = "[other]\naws_access_key_id = AKIA1\nmfa_serial = GAHT12345678\n";
        let serial = |name| profile_mfa_serial(config, credentials, name);
        assert_eq!(
            serial("keys").expect("ok").as_deref(),
            Some("arn:aws:iam::111111111111:mfa/alice")
        );
        assert_eq!(
            serial("other").expect("ok").as_deref(),
            Some("GAHT12345678")
        );
        assert_eq!(serial("missing").expect("ok"), None);
        let err = serial("bad").expect_err("bad serial");
        assert!(
            err.to_string().contains("mfa_serial of profile bad"),
            "{err}"
        );
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
