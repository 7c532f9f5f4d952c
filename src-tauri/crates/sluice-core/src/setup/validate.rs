//! Validation with the writer's own key, as Stream Machine does it: write an empty
//! `PREFIX/.strm_test_<uuid>.jsonl` (retrying, bounded, while a new key propagates through
//! IAM), then show that an action outside the policy — listing the bucket — is denied.
//! A write refused because the endpoint speaks plain HTTP to a bucket whose TLS-only
//! statement denies it says so at once, instead of waiting for IAM and blaming the grant.

use std::time::Duration;

use aws_credential_types::Credentials;
use aws_sdk_s3::primitives::ByteStream;
use serde::Serialize;

use crate::aws::{errors, AwsClients};
use crate::error::CoreError;
use crate::sensitive::Sensitive;

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    pub passed: bool,
    pub detail: String,
}

/// Both checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ValidationReport {
    pub access_key_id: String,
    pub object_key: String,
    pub write: CheckResult,
    pub list_denied: CheckResult,
    pub passed: bool,
}

/// How long to keep trying the first write while IAM propagates a new key.
#[derive(Debug, Clone, Copy)]
pub struct Patience {
    pub attempts: u32,
    pub first_pause: Duration,
}

impl Default for Patience {
    /// About 30 s in all: 0.5, 1, 2, 4, 8, 8, 8 s between eight attempts.
    fn default() -> Self {
        Self {
            attempts: 8,
            first_pause: Duration::from_millis(500),
        }
    }
}

/// The key to validate: its id and secret.
pub struct WriterKey<'a> {
    pub access_key_id: &'a str,
    pub secret: &'a Sensitive<String>,
}

/// Why a denied write was denied, when the cause is known without asking IAM: the bucket's
/// TLS-only statement refuses every request that is not over TLS, whatever the key may do.
pub fn denied_write_cause(endpoint: Option<&str>, bucket_policy: Option<&str>) -> Option<String> {
    let endpoint = endpoint?;
    let plain_http = endpoint
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"));
    (plain_http && bucket_policy.is_some_and(super::plan::denies_plain_http)).then(|| {
        format!(
            "the bucket policy's TLS-only statement (Deny when aws:SecureTransport is false) refuses the write because the endpoint {endpoint} speaks plain HTTP; validate over HTTPS"
        )
    })
}

/// The bucket policy as the administrator sees it, when it can be read.
async fn bucket_policy(base: &AwsClients, bucket: &str) -> Option<String> {
    base.s3()
        .get_bucket_policy()
        .bucket(bucket)
        .send()
        .await
        .ok()
        .and_then(|out| out.policy)
}

/// Writes the test object with `key` and checks that listing is denied.
pub async fn run(
    base: &AwsClients,
    bucket: &str,
    key_prefix: &str,
    suffix: &str,
    key: WriterKey<'_>,
    patience: Patience,
) -> ValidationReport {
    let writer = base.with_credentials(Credentials::new(
        key.access_key_id,
        key.secret.expose().clone(),
        None,
        None,
        "sluice-setup-validation",
    ));
    let s3 = writer.s3();
    let object_key = format!("{key_prefix}.strm_test_{}{suffix}", uuid::Uuid::new_v4());
    let endpoint = base.sdk_config().endpoint_url().map(str::to_string);
    let tls_cause = match endpoint.as_deref() {
        Some(url) => denied_write_cause(Some(url), bucket_policy(base, bucket).await.as_deref()),
        None => None,
    };
    let mut pause = patience.first_pause;
    let mut attempt = 0;
    let write = loop {
        attempt += 1;
        let sent = s3
            .put_object()
            .bucket(bucket)
            .key(&object_key)
            .body(ByteStream::from_static(b""))
            .send()
            .await;
        match sent.map_err(|e| errors::classify("s3:PutObject", e)) {
            Ok(_) => {
                break CheckResult {
                    passed: true,
                    detail: format!("wrote an empty s3://{bucket}/{object_key}"),
                }
            }
            Err(CoreError::AccessDenied { .. }) if tls_cause.is_some() => {
                break CheckResult {
                    passed: false,
                    detail: format!(
                        "the key could not write s3://{bucket}/{object_key}: {}",
                        tls_cause.clone().unwrap_or_default()
                    ),
                }
            }
            Err(CoreError::AccessDenied { .. }) if attempt < patience.attempts => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(8));
            }
            Err(e) => {
                break CheckResult {
                    passed: false,
                    detail: format!("the key could not write s3://{bucket}/{object_key} after {attempt} attempt(s): {e}"),
                }
            }
        }
    };
    let listed = s3
        .list_objects_v2()
        .bucket(bucket)
        .prefix(key_prefix)
        .max_keys(1)
        .send()
        .await
        .map_err(|e| errors::classify("s3:ListBucket", e));
    let list_denied = match listed {
        Err(CoreError::AccessDenied { .. }) => CheckResult {
            passed: true,
            detail: "listing the bucket is denied, as the policy intends".into(),
        },
        Ok(_) => CheckResult {
            passed: false,
            detail: "the key may list the bucket: it holds more than the sink-writer policy grants"
                .into(),
        },
        Err(e) => CheckResult {
            passed: false,
            detail: format!("listing failed, but not as denied: {e}"),
        },
    };
    ValidationReport {
        access_key_id: key.access_key_id.to_string(),
        passed: write.passed && list_denied.passed,
        object_key,
        write,
        list_denied,
    }
}

#[cfg(test)]
mod tests {
    use super::denied_write_cause;

    const TLS_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;

    #[test]
    fn plain_http_to_a_tls_only_bucket_is_named_as_the_cause() {
        let cause = denied_write_cause(Some("http://127.0.0.1:5000"), Some(TLS_ONLY))
            .expect("the TLS statement is the cause");
        assert!(cause.contains("TLS-only statement"), "{cause}");
        assert!(
            cause.contains("http://127.0.0.1:5000 speaks plain HTTP"),
            "{cause}"
        );
        assert!(denied_write_cause(Some("HTTP://host"), Some(TLS_ONLY)).is_some());
    }

    #[test]
    fn tls_endpoints_other_policies_and_the_default_endpoint_are_left_to_iam() {
        assert_eq!(
            denied_write_cause(Some("https://s3.example"), Some(TLS_ONLY)),
            None
        );
        assert_eq!(denied_write_cause(None, Some(TLS_ONLY)), None);
        assert_eq!(
            denied_write_cause(Some("http://127.0.0.1:5000"), None),
            None
        );
        let allow_only = TLS_ONLY.replace("Deny", "Allow");
        assert_eq!(
            denied_write_cause(Some("http://h"), Some(&allow_only)),
            None
        );
        assert_eq!(denied_write_cause(Some("ht"), Some(TLS_ONLY)), None);
    }
}
