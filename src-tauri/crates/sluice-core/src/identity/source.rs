//! The source identity as saved: the choice itself and the default region, the two keys of
//! the settings file this feature owns.

use serde::{Deserialize, Serialize};

/// Where the credentials for AWS calls come from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum SourceIdentity {
    /// Environment, shared config files, SSO cache, container or instance roles.
    #[default]
    DefaultChain,
    /// A named profile from `~/.aws/config` (including SSO and credential_process profiles).
    #[serde(rename_all = "camelCase")]
    Profile { name: String },
    /// An access key whose secret is kept in the OS keyring.
    #[serde(rename_all = "camelCase")]
    AccessKey { access_key_id: String },
    /// Temporary credentials pasted from the portal or the CLI: the secret key and the
    /// session token are in the OS keyring; `expires` (RFC 3339) when it was known.
    #[serde(rename_all = "camelCase")]
    Temporary {
        access_key_id: String,
        expires: Option<String>,
    },
    /// A role of an account, through an IAM Identity Center sign-in (its tokens are in the
    /// OS keyring; see [`super::sso`]).
    #[serde(rename_all = "camelCase")]
    Sso {
        start_url: String,
        sso_region: String,
        account_id: String,
        role_name: String,
    },
}

/// This feature's section of the settings file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentitySettings {
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub source: SourceIdentity,
    /// The MFA device of an access-key source (see [`super::mfa`]).
    #[serde(default)]
    pub mfa_serial: Option<String>,
}
