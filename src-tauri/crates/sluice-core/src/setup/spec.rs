//! What an admin asks for: bucket, prefix, suffix, writer user, region and encryption,
//! validated before anything is planned.

use serde::{Deserialize, Serialize};

use crate::arn::Arn;
use crate::error::{CoreError, Result};
use crate::validate;

/// The IAM path every writer Sluice makes lives under; teardown and adoption rely on it.
pub const USER_PATH: &str = "/sluice/";

/// A destination to set up, as typed in the form or on the command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SinkSpec {
    pub bucket: String,
    pub prefix: Option<String>,
    /// Key suffix the writer may create; default `.jsonl`.
    pub suffix: Option<String>,
    /// The IAM user that will write (created under path `/sluice/`).
    pub user: String,
    /// The bucket's region; default: the session's region.
    pub region: Option<String>,
    /// SSE-KMS with this key; default SSE-S3.
    pub kms_key_arn: Option<String>,
    /// Add the TLS-only statement to the bucket policy (default yes). Off leaves the bucket
    /// policy to whoever manages it elsewhere.
    pub tls_only: Option<bool>,
}

/// Default encryption for the bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Encryption {
    SseS3,
    SseKms {
        #[serde(rename = "keyArn")]
        key_arn: String,
    },
}

/// A spec whose every field has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valid {
    pub bucket: String,
    /// Without surrounding slashes; empty for the whole bucket.
    pub prefix: String,
    pub suffix: String,
    pub user: String,
    pub region: String,
    pub encryption: Encryption,
    pub tls_only: bool,
}

impl Valid {
    /// The key prefix objects go under: `PREFIX/` or nothing.
    pub fn key_prefix(&self) -> String {
        if self.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", self.prefix)
        }
    }
}

impl SinkSpec {
    /// Checks every field; `default_region` is used when none is given.
    pub fn validate(&self, default_region: &str) -> Result<Valid> {
        let bucket = validate::bucket_name(self.bucket.trim())?.to_string();
        // The sink-writer template is the judge of prefix and suffix.
        let suffix = self.suffix.clone().unwrap_or_else(|| ".jsonl".into());
        crate::policy::templates::sink_writer(
            &bucket,
            self.prefix.as_deref().unwrap_or(""),
            &suffix,
        )?;
        let prefix = self
            .prefix
            .as_deref()
            .unwrap_or("")
            .trim()
            .trim_matches('/')
            .to_string();
        let user = validate::iam_name("user name", self.user.trim())?.to_string();
        let region = validate::region(
            self.region
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .unwrap_or(default_region),
        )?
        .to_string();
        let encryption = match self.kms_key_arn.as_deref().map(str::trim) {
            Some(key) if !key.is_empty() => {
                let arn = Arn::parse("KMS key ARN", key)?;
                if arn.service != "kms"
                    || !arn.resource.starts_with("key/")
                    || arn.region.is_empty()
                {
                    return Err(CoreError::invalid(
                        "KMS key ARN",
                        format!("'{key}': expected arn:aws:kms:REGION:ACCOUNT:key/KEY-ID"),
                    ));
                }
                if arn.region != region {
                    return Err(CoreError::invalid(
                        "KMS key ARN",
                        format!(
                            "the key is in {}, the bucket in {region}: S3 needs a key in the bucket's region",
                            arn.region
                        ),
                    ));
                }
                Encryption::SseKms {
                    key_arn: key.to_string(),
                }
            }
            _ => Encryption::SseS3,
        };
        Ok(Valid {
            bucket,
            prefix,
            suffix: suffix.trim().to_string(),
            user,
            region,
            encryption,
            tls_only: self.tls_only.unwrap_or(true),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> SinkSpec {
        SinkSpec {
            bucket: "strm-export".into(),
            prefix: Some("/events/".into()),
            suffix: None,
            user: "strm-export-demo".into(),
            region: None,
            kms_key_arn: None,
            tls_only: None,
        }
    }

    #[test]
    fn defaults_and_clean_values() {
        let v = spec().validate("eu-west-1").expect("valid");
        assert_eq!(v.prefix, "events");
        assert_eq!(v.key_prefix(), "events/");
        assert_eq!(v.suffix, ".jsonl");
        assert_eq!(v.region, "eu-west-1");
        assert_eq!(v.encryption, Encryption::SseS3);
    }

    #[test]
    fn bad_input_is_named() {
        let bad = |f: fn(&mut SinkSpec), field: &str| {
            let mut s = spec();
            f(&mut s);
            let e = s.validate("us-east-1").expect_err(field);
            assert!(e.to_string().contains(field), "{field}: {e}");
        };
        bad(|s| s.bucket = "Bad_Bucket".into(), "bucket name");
        bad(|s| s.prefix = Some("a//b".into()), "prefix");
        bad(|s| s.user = "with space".into(), "user name");
        bad(|s| s.region = Some("moon-1".into()), "region");
        bad(
            |s| s.kms_key_arn = Some("arn:aws:s3:::x".into()),
            "KMS key ARN",
        );
    }
}
