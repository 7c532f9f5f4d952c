//! One AssumeRole call and what it needs around it: the duration AWS allows a chained role,
//! the MFA device's serial and code when the trust requires them, and errors that say what
//! to do (the inline policy, the ExternalId, a refused code). Connections and MFA role
//! profiles both assume roles through here.

use aws_credential_types::Credentials;

use super::VendorRole;
use crate::aws::errors;
use crate::error::{CoreError, Result};
use crate::identity::mfa;
use crate::sensitive::Sensitive;

/// AWS's cap on a role assumed with another role's (or any session's) credentials.
pub const CHAINED_MAX_SECONDS: u32 = 3600;

/// The duration to ask for: a chained role (the source acts with a session: an IAM
/// Identity Center role, pasted temporary credentials, another role) is capped at one hour
/// by AWS, which refuses more with a ValidationError; ask for that hour and say so.
pub fn chained_duration(requested: u32, chained: bool) -> (u32, Option<String>) {
    if chained && requested > CHAINED_MAX_SECONDS {
        let note = format!(
            "sessions last 1 hour, not the {} minutes set: AWS caps a role assumed from another session (IAM Identity Center, temporary credentials, a role) at one hour",
            requested / 60
        );
        (CHAINED_MAX_SECONDS, Some(note))
    } else {
        (requested, None)
    }
}

/// One AssumeRole call, with errors that say what to do. `mfa_code` goes with the role's
/// MFA device (`role.mfa_serial`); a code AWS refuses is said to be refused.
pub async fn assume_role(
    sts: &aws_sdk_sts::Client,
    role: &VendorRole,
    external_id: Option<&Sensitive<String>>,
    mfa_code: Option<&Sensitive<String>>,
) -> Result<Credentials> {
    let serial = mfa_code.and(role.mfa_serial.as_deref());
    let out = sts
        .assume_role()
        .role_arn(role.role_arn.as_str())
        .role_session_name(&role.session_name)
        .duration_seconds(i32::try_from(role.duration_seconds).unwrap_or(3600))
        .set_external_id(external_id.map(|e| e.expose().clone()))
        .set_serial_number(serial.map(str::to_owned))
        .set_token_code(serial.and(mfa_code).map(|c| c.expose().clone()))
        .send()
        .await
        .map_err(|e| {
            let err = errors::classify("sts:AssumeRole", e);
            let err = match serial {
                Some(serial) => mfa::refused(serial, err),
                None => err,
            };
            explain_assume_role_error(role, external_id.is_some(), err)
        })?;
    mfa::credentials_of("sts:AssumeRole", out.credentials, "sluice-assume-role")
}

/// Adds the fix to an AssumeRole AccessDenied: the inline policy, or the ExternalId.
pub fn explain_assume_role_error(
    role: &VendorRole,
    with_external_id: bool,
    err: CoreError,
) -> CoreError {
    match err {
        CoreError::AccessDenied { action, .. } => {
            let message = if with_external_id {
                format!(
                    "AccessDenied on AssumeRole with an ExternalId: ask the vendor to confirm it; also check that your user may call sts:AssumeRole on {} (apply the inline policy)",
                    role.role_arn
                )
            } else {
                format!(
                    "your user may not call sts:AssumeRole on {} — apply the inline policy, and check that the vendor's trust policy names your account",
                    role.role_arn
                )
            };
            CoreError::AccessDenied { action, message }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chained_role_is_asked_for_one_hour_and_says_why() {
        assert_eq!(chained_duration(7200, false), (7200, None));
        assert_eq!(chained_duration(3600, true), (3600, None));
        assert_eq!(chained_duration(900, true), (900, None));
        let (seconds, note) = chained_duration(43_200, true);
        assert_eq!(seconds, 3600);
        let note = note.expect("a note");
        assert!(note.contains("not the 720 minutes set"), "{note}");
        assert!(
            note.contains("caps a role assumed from another session"),
            "{note}"
        );
    }
    use aws_sdk_sts::operation::assume_role::AssumeRoleError;
    use aws_smithy_mocks::{mock, mock_client};
    use aws_smithy_types::error::ErrorMetadata;

    fn role() -> VendorRole {
        super::super::sample_role(true)
    }

    fn denied() -> aws_smithy_mocks::Rule {
        mock!(aws_sdk_sts::Client::assume_role).then_error(|| {
            AssumeRoleError::generic(
                ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message("User is not authorized to perform: sts:AssumeRole")
                    .build(),
            )
        })
    }

    #[tokio::test]
    async fn wrong_external_id_says_to_ask_the_vendor() {
        let rule = denied();
        let sts = mock_client!(aws_sdk_sts, [&rule]);
        let ext = Sensitive::new("wrong-passphrase".to_string());
        let err = assume_role(&sts, &role(), Some(&ext), None)
            .await
            .expect_err("denied");
        assert_eq!(err.code(), crate::ErrorCode::AccessDenied);
        let text = err.to_string();
        assert!(
            text.contains(
                "AccessDenied on AssumeRole with an ExternalId: ask the vendor to confirm it"
            ),
            "{text}"
        );
        assert!(
            !text.contains("wrong-passphrase"),
            "secret in error: {text}"
        );
    }

    #[tokio::test]
    async fn missing_permission_says_to_apply_the_inline_policy() {
        let rule = denied();
        let sts = mock_client!(aws_sdk_sts, [&rule]);
        let err = assume_role(&sts, &role(), None, None)
            .await
            .expect_err("denied");
        assert!(
            err.to_string().contains("your user may not call sts:AssumeRole on arn:aws:iam::352302322568:role/the-data-access-role — apply the inline policy"),
            "{err}"
        );
    }

    fn mfa_role() -> VendorRole {
        VendorRole {
            mfa_serial: Some("arn:aws:iam::111111111111:mfa/alice".into()),
            ..role()
        }
    }

    fn credentials() -> aws_sdk_sts::types::Credentials {
        aws_sdk_sts::types::Credentials::builder()
            .access_key_id("ASIAMFA")
            .secret_access_key("secret")
            .session_token("token")
            .expiration(aws_smithy_types::DateTime::from_secs(4_000_000_000))
            .build()
            .expect("credentials")
    }

    #[tokio::test]
    async fn a_role_whose_trust_requires_mfa_is_assumed_with_the_serial_and_the_code() {
        let rule = mock!(aws_sdk_sts::Client::assume_role)
            .match_requests(|r| {
                r.serial_number() == Some("arn:aws:iam::111111111111:mfa/alice")
                    && r.token_code() == Some("123456")
            })
            .then_output(|| {
                aws_sdk_sts::operation::assume_role::AssumeRoleOutput::builder()
                    .credentials(credentials())
                    .build()
            });
        let sts = mock_client!(aws_sdk_sts, [&rule]);
        let code = Sensitive::new("123456".to_string());
        let c = assume_role(&sts, &mfa_role(), None, Some(&code))
            .await
            .expect("assumed");
        assert_eq!(c.access_key_id(), "ASIAMFA");
        assert_eq!(rule.num_calls(), 1);
    }

    #[tokio::test]
    async fn a_wrong_code_is_said_to_be_refused() {
        let rule = mock!(aws_sdk_sts::Client::assume_role).then_error(|| {
            AssumeRoleError::generic(
                ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message(
                        "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
                    )
                    .build(),
            )
        });
        let sts = mock_client!(aws_sdk_sts, [&rule]);
        let code = Sensitive::new("000000".to_string());
        let err = assume_role(&sts, &mfa_role(), None, Some(&code))
            .await
            .expect_err("refused");
        assert_eq!(err.code(), crate::ErrorCode::MfaRequired);
        let text = err.to_string();
        assert!(
            text.contains("AWS refused the code for arn:aws:iam::111111111111:mfa/alice"),
            "{text}"
        );
        assert!(!text.contains("000000"), "the code in the error: {text}");
        // Any other denial keeps its own explanation.
        let rule = denied();
        let sts = mock_client!(aws_sdk_sts, [&rule]);
        let err = assume_role(&sts, &mfa_role(), None, Some(&code))
            .await
            .expect_err("denied");
        assert_eq!(err.code(), crate::ErrorCode::AccessDenied);
    }
}
