//! The error every command returns over IPC: a `kind` the UI matches on, and a message for
//! people. Built from [`sluice_core::CoreError`], which never carries a secret.

use serde::Serialize;
use sluice_core::{CoreError, ErrorCode};

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    /// The stable code the UI matches on (the core's `ErrorCode`).
    pub kind: ErrorCode,
    pub message: String,
    /// For `MfaRequired`: the connection the code is for, sent back with the code (absent:
    /// the source identity's).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[specta(optional)]
    pub mfa_connection: Option<String>,
}

impl From<CoreError> for IpcError {
    fn from(e: CoreError) -> Self {
        let mfa_connection = match &e {
            CoreError::Mfa { connection, .. } => connection.clone(),
            _ => None,
        };
        Self {
            kind: e.code(),
            message: e.to_string(),
            mfa_connection,
        }
    }
}

pub type IpcResult<T> = Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_with_a_kind_tag() {
        let e: IpcError = CoreError::NoCredentials { detail: "x".into() }.into();
        let json = serde_json::to_value(&e).expect("json");
        assert_eq!(json["kind"], "NoCredentials");
        assert_eq!(
            json["message"],
            "No AWS credentials found: add an access key or choose a profile"
        );
        assert!(json.get("mfaConnection").is_none());
    }

    #[test]
    fn an_mfa_request_names_the_connection_it_is_for() {
        let e: IpcError = CoreError::Mfa {
            serial: "arn:aws:iam::123456789012:mfa/ana".into(),
            reason: "the vendor's trust requires MFA".into(),
            connection: Some("acme".into()),
        }
        .into();
        let json = serde_json::to_value(&e).expect("json");
        assert_eq!(json["kind"], "MfaRequired");
        assert_eq!(json["mfaConnection"], "acme");
    }
}
