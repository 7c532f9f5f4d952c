//! The error every command returns over IPC: a `kind` the UI matches on, and a message for
//! people. Built from [`sluice_core::CoreError`], which never carries a secret.

use serde::Serialize;
use sluice_core::{CoreError, ErrorCode};

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    /// The stable code the UI matches on (the core's `ErrorCode`).
    pub kind: ErrorCode,
    pub message: String,
}

impl From<CoreError> for IpcError {
    fn from(e: CoreError) -> Self {
        Self {
            kind: e.code(),
            message: e.to_string(),
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
