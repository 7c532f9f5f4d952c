//! Typed errors for everything the core does.
//!
//! Every error carries a stable [`ErrorCode`] so the UI and scripts match on codes, never on
//! English text. SDK failures are classified by their AWS error code (see [`crate::aws::errors`]).
//! No variant ever holds a secret value: messages are built from actions, resources and codes.

use serde::Serialize;

/// Stable, machine-readable error codes shared by the CLI (`--json`) and the app's IPC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ErrorCode {
    NoCredentials,
    AccessDenied,
    ExpiredToken,
    NotFound,
    Throttled,
    Network,
    InvalidInput,
    Service,
    Keyring,
    Settings,
    File,
    Cancelled,
    SignIn,
    MfaRequired,
    Internal,
}

impl ErrorCode {
    /// The code as it appears in JSON output and IPC payloads.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoCredentials => "NoCredentials",
            Self::AccessDenied => "AccessDenied",
            Self::ExpiredToken => "ExpiredToken",
            Self::NotFound => "NotFound",
            Self::Throttled => "Throttled",
            Self::Network => "Network",
            Self::InvalidInput => "InvalidInput",
            Self::Service => "Service",
            Self::Keyring => "Keyring",
            Self::Settings => "Settings",
            Self::File => "File",
            Self::Cancelled => "Cancelled",
            Self::SignIn => "SignIn",
            Self::MfaRequired => "MfaRequired",
            Self::Internal => "Internal",
        }
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("No AWS credentials found: add an access key or choose a profile")]
    NoCredentials { detail: String },

    #[error("Access denied: you may not call {action}{}", fmt_detail(.message))]
    AccessDenied { action: String, message: String },

    #[error("The AWS session expired while calling {action}: reload the session or refresh your credentials")]
    ExpiredToken { action: String },

    #[error("Not found while calling {action}{}", fmt_detail(.message))]
    NotFound { action: String, message: String },

    #[error("AWS is throttling {action}: wait a moment and try again")]
    Throttled { action: String },

    #[error("Could not reach AWS for {action}: {detail}")]
    Network { action: String, detail: String },

    #[error("Invalid {field}: {reason}")]
    InvalidInput { field: String, reason: String },

    #[error("{action} failed with {code}{}", fmt_detail(.message))]
    Service {
        action: String,
        code: String,
        message: String,
    },

    #[error("OS keyring: {detail}")]
    Keyring { detail: String },

    #[error("Settings file {path}: {detail}")]
    Settings { path: String, detail: String },

    #[error("Could not write {path}: {detail}")]
    File { path: String, detail: String },

    #[error("Cancelled: {what}")]
    Cancelled { what: String },

    /// IAM Identity Center: not signed in, the sign-in expired, or the device code did.
    #[error("IAM Identity Center: {reason}")]
    SignIn { reason: String },

    /// A code from the MFA device `serial` is needed, or the one given was refused.
    /// `connection`: the connection that needs it (its vendor role or its own source);
    /// `None`: the source identity.
    #[error("MFA: {reason}")]
    Mfa {
        serial: String,
        reason: String,
        connection: Option<String>,
    },

    #[error("Internal error: {detail}")]
    Internal { detail: String },
}

fn fmt_detail(message: &str) -> String {
    if message.is_empty() {
        String::new()
    } else {
        format!(" ({message})")
    }
}

impl CoreError {
    /// The stable code for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NoCredentials { .. } => ErrorCode::NoCredentials,
            Self::AccessDenied { .. } => ErrorCode::AccessDenied,
            Self::ExpiredToken { .. } => ErrorCode::ExpiredToken,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::Throttled { .. } => ErrorCode::Throttled,
            Self::Network { .. } => ErrorCode::Network,
            Self::InvalidInput { .. } => ErrorCode::InvalidInput,
            Self::Service { .. } => ErrorCode::Service,
            Self::Keyring { .. } => ErrorCode::Keyring,
            Self::Settings { .. } => ErrorCode::Settings,
            Self::File { .. } => ErrorCode::File,
            Self::Cancelled { .. } => ErrorCode::Cancelled,
            Self::SignIn { .. } => ErrorCode::SignIn,
            Self::Mfa { .. } => ErrorCode::MfaRequired,
            Self::Internal { .. } => ErrorCode::Internal,
        }
    }

    /// An MFA error met while working for connection `name` says that the code is for it
    /// (so the code given back reaches that connection); every other error is unchanged.
    pub fn for_connection(self, name: &str) -> Self {
        match self {
            Self::Mfa {
                serial,
                reason,
                connection: None,
            } => Self::Mfa {
                serial,
                reason,
                connection: Some(name.to_owned()),
            },
            other => other,
        }
    }

    /// Shorthand for a validation failure.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_credentials_message_tells_the_user_what_to_do() {
        let e = CoreError::NoCredentials {
            detail: "chain empty".into(),
        };
        assert_eq!(e.code(), ErrorCode::NoCredentials);
        assert_eq!(
            e.to_string(),
            "No AWS credentials found: add an access key or choose a profile"
        );
    }

    #[test]
    fn access_denied_names_the_action() {
        let e = CoreError::AccessDenied {
            action: "sts:GetCallerIdentity".into(),
            message: "not allowed".into(),
        };
        assert_eq!(
            e.to_string(),
            "Access denied: you may not call sts:GetCallerIdentity (not allowed)"
        );
        assert_eq!(e.code().as_str(), "AccessDenied");
    }
}
