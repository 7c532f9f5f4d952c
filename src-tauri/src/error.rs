//! The error every command returns over IPC: a `kind` the UI matches on, and a message for
//! people. Built from [`sluice_core::CoreError`], which never carries a secret.

use serde::Serialize;
use sluice_core::{CoreError, ErrorCode};

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "kind")]
pub enum IpcError {
    NoCredentials { message: String },
    AccessDenied { message: String },
    ExpiredToken { message: String },
    NotFound { message: String },
    Throttled { message: String },
    Network { message: String },
    InvalidInput { message: String },
    Service { message: String },
    Keyring { message: String },
    Settings { message: String },
    Cancelled { message: String },
    Internal { message: String },
}

impl From<CoreError> for IpcError {
    fn from(e: CoreError) -> Self {
        let message = e.to_string();
        match e.code() {
            ErrorCode::NoCredentials => Self::NoCredentials { message },
            ErrorCode::AccessDenied => Self::AccessDenied { message },
            ErrorCode::ExpiredToken => Self::ExpiredToken { message },
            ErrorCode::NotFound => Self::NotFound { message },
            ErrorCode::Throttled => Self::Throttled { message },
            ErrorCode::Network => Self::Network { message },
            ErrorCode::InvalidInput => Self::InvalidInput { message },
            ErrorCode::Service => Self::Service { message },
            ErrorCode::Keyring => Self::Keyring { message },
            ErrorCode::Settings => Self::Settings { message },
            ErrorCode::Cancelled => Self::Cancelled { message },
            ErrorCode::Internal => Self::Internal { message },
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
    }
}
