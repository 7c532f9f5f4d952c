//! The bucket security settings Sluice writes, in one place for setup and the audit's
//! fixes: Block Public Access, Object Ownership (ACLs off), default encryption, versioning.

use aws_sdk_s3::types::{
    BucketCannedAcl, BucketVersioningStatus, ObjectOwnership, OwnershipControls,
    OwnershipControlsRule, PublicAccessBlockConfiguration, ServerSideEncryption,
    ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration, ServerSideEncryptionRule,
    VersioningConfiguration,
};

use crate::aws::{errors, AwsClients};
use crate::error::{CoreError, Result};
use crate::setup::design::{EncryptionRule, OBJECT_OWNERSHIP, PUBLIC_ACCESS_BLOCK};
use crate::setup::Encryption;

fn built<T, E: std::fmt::Display>(r: std::result::Result<T, E>) -> Result<T> {
    r.map_err(|e| CoreError::Internal {
        detail: e.to_string(),
    })
}

/// All four Block Public Access settings on.
pub async fn block_public_access(aws: &AwsClients, bucket: &str) -> Result<()> {
    aws.s3()
        .put_public_access_block()
        .bucket(bucket)
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(PUBLIC_ACCESS_BLOCK.block_public_acls)
                .ignore_public_acls(PUBLIC_ACCESS_BLOCK.ignore_public_acls)
                .block_public_policy(PUBLIC_ACCESS_BLOCK.block_public_policy)
                .restrict_public_buckets(PUBLIC_ACCESS_BLOCK.restrict_public_buckets)
                .build(),
        )
        .send()
        .await
        .map(|_| ())
        .map_err(|e| errors::classify("s3:PutBucketPublicAccessBlock", e))
}

/// Object Ownership "bucket owner enforced": ACLs stop applying. A bucket ACL that grants
/// others is reset to private first, as S3 requires.
pub async fn enforce_bucket_owner(aws: &AwsClients, bucket: &str, reset_acl: bool) -> Result<()> {
    let s3 = aws.s3();
    if reset_acl {
        s3.put_bucket_acl()
            .bucket(bucket)
            .acl(BucketCannedAcl::Private)
            .send()
            .await
            .map_err(|e| errors::classify("s3:PutBucketAcl", e))?;
    }
    let rule = built(
        OwnershipControlsRule::builder()
            .object_ownership(ObjectOwnership::from(OBJECT_OWNERSHIP))
            .build(),
    )?;
    let controls = built(OwnershipControls::builder().rules(rule).build())?;
    s3.put_bucket_ownership_controls()
        .bucket(bucket)
        .ownership_controls(controls)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| errors::classify("s3:PutBucketOwnershipControls", e))
}

/// Default encryption: SSE-S3, or SSE-KMS with a key (and an S3 bucket key, fewer KMS calls).
pub async fn default_encryption(aws: &AwsClients, bucket: &str, how: &Encryption) -> Result<()> {
    let rule = EncryptionRule::for_encryption(how);
    let default = built(
        ServerSideEncryptionByDefault::builder()
            .sse_algorithm(ServerSideEncryption::from(rule.algorithm))
            .set_kms_master_key_id(rule.kms_key_arn.clone())
            .build(),
    )?;
    let config = built(
        ServerSideEncryptionConfiguration::builder()
            .rules(
                ServerSideEncryptionRule::builder()
                    .apply_server_side_encryption_by_default(default)
                    .bucket_key_enabled(rule.bucket_key)
                    .build(),
            )
            .build(),
    )?;
    aws.s3()
        .put_bucket_encryption()
        .bucket(bucket)
        .server_side_encryption_configuration(config)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| errors::classify("s3:PutEncryptionConfiguration", e))
}

/// Versioning on.
pub async fn enable_versioning(aws: &AwsClients, bucket: &str) -> Result<()> {
    aws.s3()
        .put_bucket_versioning()
        .bucket(bucket)
        .versioning_configuration(
            VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .map(|_| ())
        .map_err(|e| errors::classify("s3:PutBucketVersioning", e))
}
