//! What a destination is made of, as plain values: the one description that `apply` carries
//! out against AWS and that the Terraform and CloudFormation exporters (`iac`) render. Every
//! setting a step writes (Block Public Access, Object Ownership, encryption, the TLS-only
//! bucket policy, the writer's path and tags, its inline policy) is read from here, so the
//! code an admin commits and what Sluice does cannot drift apart.

use super::plan::{bucket_policy_with_tls, policy_name, writer_policy};
use super::spec::{Encryption, Valid, USER_PATH};

/// Object Ownership "bucket owner enforced": ACLs stop applying.
pub const OBJECT_OWNERSHIP: &str = "BucketOwnerEnforced";

/// The four Block Public Access settings, all on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

/// What Sluice sets: everything blocked.
pub const PUBLIC_ACCESS_BLOCK: PublicAccessBlock = PublicAccessBlock {
    block_public_acls: true,
    ignore_public_acls: true,
    block_public_policy: true,
    restrict_public_buckets: true,
};

/// The default-encryption rule for a bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptionRule {
    /// `AES256` (SSE-S3) or `aws:kms`.
    pub algorithm: &'static str,
    pub kms_key_arn: Option<String>,
    /// An S3 bucket key (fewer KMS calls): on with SSE-KMS.
    pub bucket_key: bool,
}

impl EncryptionRule {
    pub fn for_encryption(how: &Encryption) -> Self {
        match how {
            Encryption::SseS3 => Self {
                algorithm: "AES256",
                kms_key_arn: None,
                bucket_key: false,
            },
            Encryption::SseKms { key_arn } => Self {
                algorithm: "aws:kms",
                kms_key_arn: Some(key_arn.clone()),
                bucket_key: true,
            },
        }
    }
}

/// The tags on a writer user: how Sluice (and an admin) tell its users from others.
pub fn user_tags(bucket: &str) -> Vec<(String, String)> {
    vec![
        ("managed-by".into(), "sluice".into()),
        ("sluice:bucket".into(), bucket.into()),
    ]
}

/// A whole destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Design {
    pub bucket: String,
    pub region: String,
    /// Without surrounding slashes; empty for the whole bucket.
    pub prefix: String,
    pub suffix: String,
    pub public_access_block: PublicAccessBlock,
    pub object_ownership: &'static str,
    pub encryption: EncryptionRule,
    /// The TLS-only bucket policy for a bucket that has none, when asked for.
    pub bucket_policy: Option<String>,
    pub user: String,
    pub user_path: &'static str,
    pub user_tags: Vec<(String, String)>,
    pub policy_name: String,
    pub writer_policy: String,
}

/// The destination `v` describes, built from the same functions the plan and apply use.
pub fn design(v: &Valid) -> Design {
    Design {
        bucket: v.bucket.clone(),
        region: v.region.clone(),
        prefix: v.prefix.clone(),
        suffix: v.suffix.clone(),
        public_access_block: PUBLIC_ACCESS_BLOCK,
        object_ownership: OBJECT_OWNERSHIP,
        encryption: EncryptionRule::for_encryption(&v.encryption),
        bucket_policy: v
            .tls_only
            .then(|| bucket_policy_with_tls(&v.bucket, None))
            .filter(|p| !p.is_empty()),
        user: v.user.clone(),
        user_path: USER_PATH,
        user_tags: user_tags(&v.bucket),
        policy_name: policy_name(v),
        writer_policy: writer_policy(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::spec::SinkSpec;

    #[test]
    fn the_design_holds_what_the_plan_writes() {
        let v = SinkSpec {
            bucket: "strm-export".into(),
            prefix: Some("events".into()),
            suffix: None,
            user: "w".into(),
            region: Some("eu-west-1".into()),
            kms_key_arn: Some("arn:aws:kms:eu-west-1:123456789012:key/abcd".into()),
            tls_only: None,
        }
        .validate("us-east-1")
        .expect("valid");
        let d = design(&v);
        assert_eq!(d.encryption.algorithm, "aws:kms");
        assert!(d.encryption.bucket_key);
        assert_eq!(d.writer_policy, writer_policy(&v));
        assert!(d
            .bucket_policy
            .as_deref()
            .is_some_and(super::super::plan::denies_plain_http));
        assert_eq!(d.user_tags[1].1, "strm-export");
        let no_tls = Valid {
            tls_only: false,
            ..v
        };
        assert!(design(&no_tls).bucket_policy.is_none());
    }
}
