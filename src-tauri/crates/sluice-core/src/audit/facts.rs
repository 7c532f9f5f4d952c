//! Reading what the audit judges: the account's and the bucket's settings, as they are.

use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::aws::{errors, AwsClients};
use crate::error::Result;
use crate::setup::observe::{self, BucketState};

/// Everything the checks look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketFacts {
    pub account: String,
    /// Account-wide Block Public Access: all four on. `None` when it could not be read.
    pub account_public_access_blocked: Option<bool>,
    pub bucket: BucketState,
    /// Grants in the bucket ACL to everyone or to any authenticated AWS user.
    pub public_acl_grants: Vec<String>,
    /// Versioning status (`Enabled`, `Suspended`), `None` when never enabled; `Err` with
    /// the reason when it could not be read (the rest of the audit still runs).
    pub versioning: std::result::Result<Option<String>, String>,
}

/// Reads the facts for `bucket` as the current identity.
pub async fn read(aws: &AwsClients, bucket: &str, account: &str) -> Result<BucketFacts> {
    let state = observe::bucket(aws, bucket).await?;
    if !state.exists {
        return Err(crate::error::CoreError::NotFound {
            action: "s3:ListBucket".into(),
            message: format!("there is no bucket {bucket}"),
        });
    }
    let account_bpa = match aws
        .s3control()
        .get_public_access_block()
        .account_id(account)
        .send()
        .await
    {
        Ok(out) => Some(out.public_access_block_configuration().is_some_and(|c| {
            c.block_public_acls() == Some(true)
                && c.ignore_public_acls() == Some(true)
                && c.block_public_policy() == Some(true)
                && c.restrict_public_buckets() == Some(true)
        })),
        Err(e)
            if e.as_service_error().and_then(ProvideErrorMetadata::code)
                == Some("NoSuchPublicAccessBlockConfiguration") =>
        {
            Some(false)
        }
        Err(_) => None,
    };
    let s3 = aws.s3();
    let acl = s3
        .get_bucket_acl()
        .bucket(bucket)
        .send()
        .await
        .map_err(|e| errors::classify("s3:GetBucketAcl", e))?;
    let public_acl_grants = acl
        .grants()
        .iter()
        .filter_map(|g| {
            let uri = g.grantee().and_then(|who| who.uri())?;
            let whom = if uri.ends_with("/AllUsers") {
                "everyone"
            } else if uri.ends_with("/AuthenticatedUsers") {
                "any AWS user"
            } else {
                return None;
            };
            let what = g
                .permission()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default();
            Some(format!("{what} for {whom}"))
        })
        .collect();
    let versioning = s3
        .get_bucket_versioning()
        .bucket(bucket)
        .send()
        .await
        .map(|out| out.status().map(|s| s.as_str().to_string()))
        .map_err(|e| errors::classify("s3:GetBucketVersioning", e).to_string());
    Ok(BucketFacts {
        account: account.to_string(),
        account_public_access_blocked: account_bpa,
        bucket: state,
        public_acl_grants,
        versioning,
    })
}
