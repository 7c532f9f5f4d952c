//! Connections: what a customer needs to reach a vendor's data.
//!
//! A connection is a source identity (default chain, profile, or an access key in the
//! keyring), an optional vendor role (ARN, ExternalId in the keyring, session name and
//! duration) and the resources (region, bucket + prefix, Kinesis stream). The non-secret
//! parts live in the settings file; deleting a connection deletes its secrets too.

pub mod assume;
pub mod console;
pub mod credential_process;
pub mod policy;
pub mod session;
pub mod store;
pub mod verify;

use serde::{Deserialize, Serialize};

use crate::arn::{RoleArn, StreamArn};
use crate::identity::SourceIdentity;
use crate::sensitive::SecretString;

/// Default STS session name and duration for a vendor role.
pub const DEFAULT_SESSION_NAME: &str = "sluice";
pub const DEFAULT_DURATION_SECONDS: u32 = 3600;

/// The vendor's role to assume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct VendorRole {
    pub role_arn: RoleArn,
    pub session_name: String,
    pub duration_seconds: u32,
    /// Whether an ExternalId for this connection is stored in the keyring.
    pub has_external_id: bool,
    /// The vendor's name as the console's switch-role page shows it.
    pub display_name: Option<String>,
    /// When the vendor's trust requires MFA: the user's MFA device, whose serial and code
    /// AssumeRole then carries.
    #[serde(default)]
    pub mfa_serial: Option<String>,
}

/// A saved connection (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    pub name: String,
    #[serde(default)]
    pub source: SourceIdentity,
    pub region: Option<String>,
    pub role: Option<VendorRole>,
    pub bucket: Option<String>,
    pub prefix: Option<String>,
    pub stream_arn: Option<StreamArn>,
}

/// What to do with the stored ExternalId when saving.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "action", content = "value", rename_all = "camelCase")]
pub enum ExternalIdChange {
    /// Keep what is stored (nothing, for a new connection).
    #[default]
    Keep,
    /// Store this value.
    Set(#[cfg_attr(feature = "specta", specta(type = String))] SecretString),
    /// Remove the stored value.
    Clear,
}

/// A connection as the user typed it or as a handover prefilled it; validated on save.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConnectionDraft {
    pub name: String,
    #[serde(default)]
    pub source: SourceIdentity,
    /// For an access-key source: a new secret key (else the stored one is kept).
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    #[serde(default)]
    pub secret_access_key: Option<SecretString>,
    pub region: Option<String>,
    pub role_arn: Option<String>,
    pub session_name: Option<String>,
    pub duration_seconds: Option<u32>,
    pub display_name: Option<String>,
    /// The vendor's trust requires MFA: the user's device (ARN or serial number).
    #[serde(default)]
    pub mfa_serial: Option<String>,
    #[serde(default)]
    pub external_id: ExternalIdChange,
    pub bucket: Option<String>,
    pub prefix: Option<String>,
    pub stream_arn: Option<String>,
}

/// A vendor role for unit tests.
#[cfg(test)]
pub(crate) fn sample_role(has_external_id: bool) -> VendorRole {
    VendorRole {
        role_arn: RoleArn::parse("arn:aws:iam::352302322568:role/the-data-access-role")
            .expect("arn"),
        session_name: "sluice".into(),
        duration_seconds: 3600,
        has_external_id,
        display_name: None,
        mfa_serial: None,
    }
}
