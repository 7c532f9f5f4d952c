//! `impl Sluice` for the audit: read and judge a bucket, apply the fixes the user confirmed,
//! judge it again, and export the scorecard as CSV.

use serde_json::Value;

use super::checks::{self, is_public_statement, FixId};
use super::{facts, AuditReport};
use crate::aws::{errors, AwsClients};
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::policy::apply::{put_policy, ApplyTarget};
use crate::s3::security;
use crate::setup::plan::bucket_policy_with_tls;
use crate::setup::Encryption;

impl Sluice {
    async fn audit_with(&self, aws: &AwsClients, bucket: &str) -> Result<AuditReport> {
        crate::validate::bucket_name(bucket)?;
        let account = crate::identity::whoami(aws).await?.account;
        let facts = facts::read(aws, bucket, &account).await?;
        Ok(AuditReport::new(bucket, &account, checks::run(&facts)))
    }

    /// Clients in the bucket's own region (a bucket elsewhere answers only there).
    async fn aws_for_bucket(&self, bucket: &str) -> Result<AwsClients> {
        crate::validate::bucket_name(bucket)?;
        let aws = self.aws().await?;
        match crate::setup::observe::region_of(&aws, bucket).await? {
            Some(region) if Some(region.as_str()) != aws.region() => Ok(aws.in_region(&region)),
            _ => Ok(aws),
        }
    }

    /// The security scorecard of any bucket the current identity may read.
    pub async fn audit_bucket(&self, bucket: &str) -> Result<AuditReport> {
        let aws = self.aws_for_bucket(bucket).await?;
        self.audit_with(&aws, bucket).await
    }

    /// Applies the chosen fixes (each one the user confirmed), then audits again.
    pub async fn fix_bucket(&self, bucket: &str, fixes: &[FixId]) -> Result<AuditReport> {
        let aws = self.aws_for_bucket(bucket).await?;
        let before = self.audit_with(&aws, bucket).await?;
        // In a safe order whatever order they were chosen in: public statements go before
        // Block Public Access would refuse the rewritten policy.
        for fix in FixId::ALL.into_iter().filter(|f| fixes.contains(f)) {
            let offered = before.checks.iter().any(|c| c.fix == Some(fix));
            if !offered {
                continue;
            }
            apply_fix(&aws, bucket, &before.account, fix).await?;
        }
        self.audit_with(&aws, bucket).await
    }

    /// Writes the scorecard as CSV to a file the user chose (never over an existing one
    /// unless asked).
    pub fn save_audit_csv(
        &self,
        report: &AuditReport,
        path: &std::path::Path,
        replace: bool,
    ) -> Result<String> {
        self.save_user_file(path, report.to_csv().as_bytes(), replace)
    }
}

async fn current_policy(aws: &AwsClients, bucket: &str) -> Result<Option<String>> {
    Ok(crate::setup::observe::bucket(aws, bucket).await?.policy)
}

async fn apply_fix(aws: &AwsClients, bucket: &str, account: &str, fix: FixId) -> Result<()> {
    match fix {
        FixId::AccountPublicAccessBlock => aws
            .s3control()
            .put_public_access_block()
            .account_id(account)
            .public_access_block_configuration(
                aws_sdk_s3control::types::PublicAccessBlockConfiguration::builder()
                    .block_public_acls(true)
                    .ignore_public_acls(true)
                    .block_public_policy(true)
                    .restrict_public_buckets(true)
                    .build(),
            )
            .send()
            .await
            .map(|_| ())
            .map_err(|e| errors::classify("s3:PutAccountPublicAccessBlock", e)),
        FixId::BucketPublicAccessBlock => security::block_public_access(aws, bucket).await,
        FixId::OwnerEnforced => security::enforce_bucket_owner(aws, bucket, true).await,
        FixId::DefaultEncryption => {
            security::default_encryption(aws, bucket, &Encryption::SseS3).await
        }
        FixId::Versioning => security::enable_versioning(aws, bucket).await,
        FixId::TlsOnly => {
            let merged =
                bucket_policy_with_tls(bucket, current_policy(aws, bucket).await?.as_deref());
            put_policy(aws, &ApplyTarget::Bucket(bucket.to_string()), None, &merged).await
        }
        FixId::RemovePublicStatements => {
            let Some(policy) = current_policy(aws, bucket).await? else {
                return Ok(());
            };
            let mut doc: Value = serde_json::from_str(&policy).map_err(|e| CoreError::Service {
                action: "s3:GetBucketPolicy".into(),
                code: "UnreadablePolicy".into(),
                message: e.to_string(),
            })?;
            let kept: Vec<Value> = match doc.get("Statement") {
                Some(Value::Array(items)) => items
                    .iter()
                    .filter(|s| !is_public_statement(s))
                    .cloned()
                    .collect(),
                Some(one) if !is_public_statement(one) => vec![one.clone()],
                _ => Vec::new(),
            };
            if kept.is_empty() {
                return aws
                    .s3()
                    .delete_bucket_policy()
                    .bucket(bucket)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| errors::classify("s3:DeleteBucketPolicy", e));
            }
            doc["Statement"] = Value::Array(kept);
            put_policy(
                aws,
                &ApplyTarget::Bucket(bucket.to_string()),
                None,
                &doc.to_string(),
            )
            .await
        }
    }
}
