//! Classifies AWS SDK failures into [`CoreError`] variants by their AWS error code.
//!
//! The UI and the CLI react to the class (AccessDenied, ExpiredToken, NotFound, Throttled,
//! Network …), and every error names the API action that failed, so the user can tell which
//! permission is missing.

use std::error::Error as StdError;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::CoreError;

/// Turns an SDK error from calling `action` (e.g. `"sts:GetCallerIdentity"`) into a [`CoreError`].
pub fn classify<E>(action: &str, err: SdkError<E, HttpResponse>) -> CoreError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    if let Some(mfa) = mfa_behind(&err) {
        return mfa;
    }
    if caused_by_credentials(&err) {
        return CoreError::NoCredentials {
            detail: DisplayErrorContext(&err).to_string(),
        };
    }
    match &err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            // Some endpoints (and emulators) answer 403/404 with a body the SDK cannot read;
            // the status still says what happened.
            let code = e.code().or(match service.raw().status().as_u16() {
                403 => Some("AccessDenied"),
                404 => Some("NotFound"),
                _ => None,
            });
            from_code(action, code, e.message())
        }
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => CoreError::Network {
            action: action.to_string(),
            detail: DisplayErrorContext(&err).to_string(),
        },
        // A refusal whose body the SDK cannot read (some endpoints answer Kinesis in XML)
        // is still a refusal.
        SdkError::ResponseError(r) if r.raw().status().as_u16() == 403 => CoreError::AccessDenied {
            action: action.to_string(),
            message: String::new(),
        },
        SdkError::ResponseError(_) => CoreError::Service {
            action: action.to_string(),
            code: "UnreadableResponse".into(),
            message: DisplayErrorContext(&err).to_string(),
        },
        _ => CoreError::Internal {
            detail: format!("{action}: {}", DisplayErrorContext(&err)),
        },
    }
}

/// Maps an AWS error code (as found in any service's error body) to a [`CoreError`].
pub fn from_code(action: &str, code: Option<&str>, message: Option<&str>) -> CoreError {
    let action = action.to_string();
    let message = message.unwrap_or_default().to_string();
    match code.unwrap_or_default() {
        "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "UnrecognizedClientException"
        | "InvalidAccessKeyId"
        | "AuthFailure"
        | "AllAccessDisabled"
        | "ForbiddenException" => CoreError::AccessDenied { action, message },
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" | "TokenRefreshRequired" => {
            CoreError::ExpiredToken { action }
        }
        "NoSuchBucket"
        | "NoSuchKey"
        | "NotFound"
        | "NoSuchEntity"
        | "ResourceNotFoundException"
        | "NoSuchBucketPolicy" => CoreError::NotFound { action, message },
        "Throttling"
        | "ThrottlingException"
        | "ProvisionedThroughputExceededException"
        | "SlowDown"
        | "TooManyRequestsException"
        | "RequestLimitExceeded"
        | "LimitExceededException" => CoreError::Throttled { action },
        "ValidationError"
        | "InvalidParameterValue"
        | "InvalidArgument"
        | "InvalidBucketName"
        | "MalformedPolicyDocument"
        | "InvalidArgumentException" => CoreError::InvalidInput {
            field: action,
            reason: message,
        },
        "" => CoreError::Service {
            action,
            code: "Unknown".into(),
            message,
        },
        other => CoreError::Service {
            action,
            code: other.to_string(),
            message,
        },
    }
}

/// An MFA request behind a failed call (a role session's credentials provider asked for a
/// code): it comes back as itself, so the code is asked for wherever the call was made.
fn mfa_behind(err: &(dyn StdError + 'static)) -> Option<CoreError> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(CoreError::Mfa {
            serial,
            reason,
            connection,
        }) = e.downcast_ref::<CoreError>()
        {
            return Some(CoreError::Mfa {
                serial: serial.clone(),
                reason: reason.clone(),
                connection: connection.clone(),
            });
        }
        current = e.source();
    }
    None
}

fn caused_by_credentials(err: &(dyn StdError + 'static)) -> bool {
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        if e.downcast_ref::<CredentialsError>().is_some() {
            return true;
        }
        current = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn codes_map_to_classes() {
        let cases = [
            ("AccessDenied", ErrorCode::AccessDenied),
            ("InvalidClientTokenId", ErrorCode::AccessDenied),
            ("ExpiredToken", ErrorCode::ExpiredToken),
            ("NoSuchBucket", ErrorCode::NotFound),
            ("ResourceNotFoundException", ErrorCode::NotFound),
            (
                "ProvisionedThroughputExceededException",
                ErrorCode::Throttled,
            ),
            ("SlowDown", ErrorCode::Throttled),
            ("MalformedPolicyDocument", ErrorCode::InvalidInput),
            ("SomethingNew", ErrorCode::Service),
        ];
        for (code, want) in cases {
            assert_eq!(
                from_code("s3:GetObject", Some(code), None).code(),
                want,
                "{code}"
            );
        }
    }

    #[test]
    fn unknown_codes_keep_the_code_in_the_message() {
        let e = from_code(
            "kinesis:ListShards",
            Some("KMSDisabledException"),
            Some("key off"),
        );
        assert_eq!(
            e.to_string(),
            "kinesis:ListShards failed with KMSDisabledException (key off)"
        );
    }
}
