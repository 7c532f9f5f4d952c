//! What the Terraform and the CloudFormation code of a destination share: the spec with
//! variable markers in place of values, the KMS key, the writer policy as a tree and the
//! header comment that tells an admin what the code does and does not do.

use super::node::{self, Node};
use super::vars::{Var, ALL};
use super::CodeFormat;
use crate::error::{CoreError, Result};
use crate::setup::spec::{Encryption, Valid};

/// The spec with every value a variable can set replaced by its marker.
pub(super) fn marked(v: &Valid) -> Valid {
    Valid {
        bucket: Var::Bucket.marker().into(),
        prefix: Var::Prefix.marker().into(),
        suffix: Var::Suffix.marker().into(),
        user: Var::User.marker().into(),
        region: Var::Region.marker().into(),
        encryption: match v.encryption {
            Encryption::SseS3 => Encryption::SseS3,
            Encryption::SseKms { .. } => Encryption::SseKms {
                key_arn: Var::KmsKey.marker().into(),
            },
        },
        tls_only: v.tls_only,
    }
}

pub(super) fn kms_key(v: &Valid) -> Option<&str> {
    match &v.encryption {
        Encryption::SseKms { key_arn } => Some(key_arn),
        Encryption::SseS3 => None,
    }
}

pub(super) fn policy_tree(text: &str) -> Result<Node> {
    node::policy(text, &ALL).ok_or_else(|| CoreError::Internal {
        detail: "the destination's policy is not JSON".into(),
    })
}

pub(super) fn header(v: &Valid, format: CodeFormat) -> Vec<String> {
    let mut lines = vec![
        format!(
            "Sluice destination for a vendor's writer, as {}: what `sluice sink apply` carries out",
            format.label()
        ),
        format!(
            "for bucket {}, prefix '{}', suffix '{}', user {} in {}.",
            v.bucket, v.prefix, v.suffix, v.user, v.region
        ),
        String::new(),
        "Validation (not run by this code): with the new key, put an empty object under the prefix"
            .into(),
        "and check that listing the bucket is denied, e.g. with the key as profile 'writer':"
            .into(),
        format!(
            "  aws --profile writer s3api put-object --bucket {} --key {}.strm_test_$(uuidgen){}",
            v.bucket,
            v.key_prefix(),
            v.suffix
        ),
        "      must succeed (IAM takes a few seconds to accept a new key: retry for a minute)"
            .into(),
        format!(
            "  aws --profile writer s3api list-objects-v2 --bucket {}",
            v.bucket
        ),
        "      must fail with AccessDenied".into(),
        String::new(),
        "Teardown order (as `sluice sink teardown`): the access key, the inline policy, the user;"
            .into(),
        "the bucket last, only when it is empty (every version and delete marker included).".into(),
    ];
    lines.extend(match format {
        CodeFormat::Terraform => [
            "`terraform destroy` follows that order from the references; without force_destroy it",
            "refuses a bucket that holds data.",
        ],
        CodeFormat::Cloudformation => [
            "Deleting the stack removes the key, the policy and the user and keeps the bucket",
            "(DeletionPolicy Retain; with an import, every adopted resource is Retain too).",
        ],
    }
    .map(String::from));
    lines
}
