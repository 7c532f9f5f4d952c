//! What already exists in AWS for a destination: the bucket and its settings, the user, its
//! inline policy and access keys. A missing piece is `false` / `None`, never an error; a
//! bucket owned by someone else is an error that says so.

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde::Serialize;

use crate::aws::{errors, AwsClients};
use crate::error::{CoreError, Result};

/// The bucket as it is now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BucketState {
    pub exists: bool,
    /// All four Block Public Access settings on.
    pub public_access_blocked: bool,
    /// Object Ownership is BucketOwnerEnforced (ACLs off).
    pub owner_enforced: bool,
    /// Default encryption algorithm (`AES256`, `aws:kms`), if any.
    pub encryption: Option<String>,
    /// The KMS key of SSE-KMS default encryption, if any.
    pub kms_key: Option<String>,
    /// The bucket policy JSON, if any.
    pub policy: Option<String>,
}

/// One access key of the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct KeyState {
    pub access_key_id: String,
    pub active: bool,
    pub created: Option<String>,
    pub age_days: Option<u32>,
}

/// The user as it is now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct UserState {
    pub exists: bool,
    /// The user carries Sluice's marks (path `/sluice/` or the `managed-by=sluice` tag), so
    /// it may be adopted; any other existing user is left alone.
    pub managed_by_sluice: bool,
    /// The inline policy under the setup's policy name, if any.
    pub policy: Option<String>,
    pub keys: Vec<KeyState>,
}

fn code<E: ProvideErrorMetadata>(
    e: &aws_smithy_runtime_api::client::result::SdkError<
        E,
        aws_smithy_runtime_api::client::orchestrator::HttpResponse,
    >,
) -> Option<String> {
    e.as_service_error()
        .and_then(ProvideErrorMetadata::code)
        .map(str::to_string)
}

/// The region a bucket lives in, when S3 says (HeadBucket's `x-amz-bucket-region`, also on
/// the 301 a bucket in another region answers with). `None` when it does not exist.
pub async fn region_of(aws: &AwsClients, bucket: &str) -> Result<Option<String>> {
    match aws.s3().head_bucket().bucket(bucket).send().await {
        Ok(out) => Ok(out.bucket_region().map(str::to_string)),
        Err(e) => {
            let raw = e.raw_response();
            let status = raw.map(|r| r.status().as_u16());
            let region = raw
                .and_then(|r| r.headers().get("x-amz-bucket-region"))
                .map(str::to_string);
            match (status, region) {
                (Some(301), Some(region)) => Ok(Some(region)),
                (Some(404), _) => Ok(None),
                _ => Err(errors::classify("s3:HeadBucket", e)),
            }
        }
    }
}

/// Reads the bucket's security settings; a bucket that does not exist is `exists: false`.
pub async fn bucket(aws: &AwsClients, bucket: &str) -> Result<BucketState> {
    let s3 = aws.s3();
    match s3.head_bucket().bucket(bucket).send().await {
        Ok(_) => {}
        Err(e) => {
            let status = e.raw_response().map(|r| r.status().as_u16());
            let elsewhere = e
                .raw_response()
                .and_then(|r| r.headers().get("x-amz-bucket-region"))
                .map(str::to_string);
            if let (Some(301), Some(region)) = (status, elsewhere) {
                return Err(CoreError::invalid(
                    "region",
                    format!("bucket {bucket} is in {region}: choose that region"),
                ));
            }
            return match (status, code(&e).as_deref()) {
                (Some(404), _) | (_, Some("NotFound" | "NoSuchBucket")) => Ok(BucketState::default()),
                (Some(403), _) => Err(CoreError::AccessDenied {
                    action: "s3:ListBucket".into(),
                    message: format!(
                        "the bucket name '{bucket}' is taken by another account or you may not read it: choose another name"
                    ),
                }),
                _ => Err(errors::classify("s3:HeadBucket", e)),
            };
        }
    }
    let mut state = BucketState {
        exists: true,
        ..BucketState::default()
    };
    match s3.get_public_access_block().bucket(bucket).send().await {
        Ok(out) => {
            state.public_access_blocked = out.public_access_block_configuration().is_some_and(|c| {
                c.block_public_acls() == Some(true)
                    && c.ignore_public_acls() == Some(true)
                    && c.block_public_policy() == Some(true)
                    && c.restrict_public_buckets() == Some(true)
            })
        }
        Err(e) if code(&e).as_deref() == Some("NoSuchPublicAccessBlockConfiguration") => {}
        Err(e) => return Err(errors::classify("s3:GetBucketPublicAccessBlock", e)),
    }
    match s3
        .get_bucket_ownership_controls()
        .bucket(bucket)
        .send()
        .await
    {
        Ok(out) => {
            state.owner_enforced = out.ownership_controls().is_some_and(|c| {
                c.rules()
                    .iter()
                    .any(|r| r.object_ownership().as_str() == "BucketOwnerEnforced")
            })
        }
        Err(e) if code(&e).as_deref() == Some("OwnershipControlsNotFoundError") => {}
        Err(e) => return Err(errors::classify("s3:GetBucketOwnershipControls", e)),
    }
    match s3.get_bucket_encryption().bucket(bucket).send().await {
        Ok(out) => {
            let rule = out
                .server_side_encryption_configuration()
                .and_then(|c| c.rules().first())
                .and_then(|r| r.apply_server_side_encryption_by_default());
            state.encryption = rule.map(|r| r.sse_algorithm().as_str().to_string());
            state.kms_key = rule.and_then(|r| r.kms_master_key_id().map(str::to_string));
        }
        Err(e) if code(&e).as_deref() == Some("ServerSideEncryptionConfigurationNotFoundError") => {
        }
        Err(e) => return Err(errors::classify("s3:GetEncryptionConfiguration", e)),
    }
    match s3.get_bucket_policy().bucket(bucket).send().await {
        Ok(out) => state.policy = out.policy,
        Err(e) if code(&e).as_deref() == Some("NoSuchBucketPolicy") => {}
        Err(e) => return Err(errors::classify("s3:GetBucketPolicy", e)),
    }
    Ok(state)
}

/// Reads the user, its inline policy `policy_name` and its access keys.
pub async fn user(aws: &AwsClients, user: &str, policy_name: &str) -> Result<UserState> {
    let iam = aws.iam();
    let found = match iam.get_user().user_name(user).send().await {
        Ok(out) => out.user,
        Err(e) if code(&e).as_deref() == Some("NoSuchEntity") => return Ok(UserState::default()),
        Err(e) => return Err(errors::classify("iam:GetUser", e)),
    };
    let on_sluice_path = found
        .as_ref()
        .is_some_and(|u| u.path() == super::spec::USER_PATH);
    let tagged = match iam.list_user_tags().user_name(user).send().await {
        Ok(out) => out
            .tags()
            .iter()
            .any(|t| t.key() == "managed-by" && t.value() == "sluice"),
        Err(e) => return Err(errors::classify("iam:ListUserTags", e)),
    };
    let policy = match iam
        .get_user_policy()
        .user_name(user)
        .policy_name(policy_name)
        .send()
        .await
    {
        Ok(out) => Some(crate::policy::compare::decode_document(
            &out.policy_document,
        )),
        Err(e) if code(&e).as_deref() == Some("NoSuchEntity") => None,
        Err(e) => return Err(errors::classify("iam:GetUserPolicy", e)),
    };
    let listed = iam
        .list_access_keys()
        .user_name(user)
        .send()
        .await
        .map_err(|e| errors::classify("iam:ListAccessKeys", e))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let keys = listed
        .access_key_metadata()
        .iter()
        .filter_map(|k| {
            let id = k.access_key_id()?.to_string();
            let created = k.create_date();
            Some(KeyState {
                access_key_id: id,
                active: k.status().is_some_and(|s| s.as_str() == "Active"),
                created: created
                    .and_then(|d| d.fmt(aws_smithy_types::date_time::Format::DateTime).ok()),
                age_days: created
                    .map(|d| u32::try_from((now - d.secs()).max(0) / 86_400).unwrap_or(u32::MAX)),
            })
        })
        .collect();
    Ok(UserState {
        exists: true,
        managed_by_sluice: on_sluice_path || tagged,
        policy,
        keys,
    })
}
