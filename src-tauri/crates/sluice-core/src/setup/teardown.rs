//! Rotation and teardown. Rotate: a second key → validate it → store it → deactivate, then
//! delete the old one. Teardown, in the seed's order: access keys → inline policy → user;
//! the bucket only when asked, only one Sluice created, and only empty unless the user
//! confirmed emptying it after seeing what is in it.

use serde::Serialize;

use super::record::{RecordStore, SetupRecord};
use super::validate::{Patience, ValidationReport};
use crate::aws::{errors, AwsClients};
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::secrets::{SecretKey, SecretKind};

/// What a rotation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RotationReport {
    pub old_key: String,
    pub new_key: String,
    pub validation: ValidationReport,
}

/// What is in a bucket, before it is emptied.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BucketContents {
    pub objects: u32,
    /// Bytes, as a float: exact to 2^53 and safe in JavaScript.
    pub bytes: f64,
}

/// What teardown will do (or did): one line per step, in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TeardownReport {
    pub steps: Vec<String>,
    /// The bucket's contents, when its deletion was asked for.
    pub bucket_contents: Option<BucketContents>,
    pub applied: bool,
}

/// Deletes an access key; one already gone counts as deleted.
async fn delete_key(iam: &aws_sdk_iam::Client, user: &str, id: &str) -> Result<()> {
    match iam
        .delete_access_key()
        .user_name(user)
        .access_key_id(id)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) => match errors::classify("iam:DeleteAccessKey", e) {
            CoreError::NotFound { .. } => Ok(()),
            other => Err(other),
        },
    }
}

fn no_record(user: &str) -> CoreError {
    CoreError::invalid(
        "user",
        format!("Sluice has set up no destination for '{user}'"),
    )
}

/// Every object version and delete marker, so a versioned bucket counts (and empties) whole.
async fn contents(aws: &AwsClients, bucket: &str) -> Result<BucketContents> {
    let s3 = aws.s3();
    let mut total = BucketContents {
        objects: 0,
        bytes: 0.0,
    };
    let (mut key, mut version) = (None, None);
    loop {
        let page = s3
            .list_object_versions()
            .bucket(bucket)
            .set_key_marker(key)
            .set_version_id_marker(version)
            .send()
            .await
            .map_err(|e| errors::classify("s3:ListBucketVersions", e))?;
        for v in page.versions() {
            total.objects = total.objects.saturating_add(1);
            total.bytes += v.size().unwrap_or(0).max(0) as f64;
        }
        let markers = u32::try_from(page.delete_markers().len()).unwrap_or(u32::MAX);
        total.objects = total.objects.saturating_add(markers);
        if page.is_truncated() != Some(true) {
            return Ok(total);
        }
        key = page.next_key_marker().map(str::to_string);
        version = page.next_version_id_marker().map(str::to_string);
    }
}

async fn empty(aws: &AwsClients, bucket: &str) -> Result<()> {
    use aws_sdk_s3::types::{Delete, ObjectIdentifier};
    let s3 = aws.s3();
    loop {
        let page = s3
            .list_object_versions()
            .bucket(bucket)
            .send()
            .await
            .map_err(|e| errors::classify("s3:ListBucketVersions", e))?;
        let versions = page.versions().iter().map(|v| (v.key(), v.version_id()));
        let markers = page
            .delete_markers()
            .iter()
            .map(|m| (m.key(), m.version_id()));
        let ids = versions
            .chain(markers)
            .filter_map(|(k, v)| {
                ObjectIdentifier::builder()
                    .key(k?)
                    .set_version_id(v.map(str::to_string))
                    .build()
                    .ok()
            })
            .collect::<Vec<_>>();
        if ids.is_empty() {
            return Ok(());
        }
        let delete = Delete::builder()
            .set_objects(Some(ids))
            .quiet(true)
            .build()
            .map_err(|e| CoreError::Internal {
                detail: e.to_string(),
            })?;
        s3.delete_objects()
            .bucket(bucket)
            .delete(delete)
            .send()
            .await
            .map_err(|e| errors::classify("s3:DeleteObject", e))?;
    }
}

impl Sluice {
    async fn record_and_clients(&self, user: &str) -> Result<(SetupRecord, AwsClients)> {
        let record = RecordStore::beside(self.settings().path())
            .load(user)?
            .ok_or_else(|| no_record(user))?;
        let aws = self.aws().await?.in_region(&record.region);
        Ok((record, aws))
    }

    /// Replaces the writer's key: a second key is made, validated and stored, then the old
    /// one is deactivated and deleted. If the new key fails validation it is deleted and the
    /// old one stays in use.
    pub async fn rotate_setup_key(&self, user: &str, patience: Patience) -> Result<RotationReport> {
        let (mut record, aws) = self.record_and_clients(user).await?;
        let old = record.current_key().cloned().ok_or_else(|| {
            CoreError::invalid(
                "user",
                format!("'{user}' has no key made by Sluice to rotate"),
            )
        })?;
        let new = self.create_writer_key(&aws, user).await?;
        let store = RecordStore::beside(self.settings().path());
        record.access_keys.push(new.clone());
        store.save(&record)?;
        let iam = aws.iam();
        let validation = match self.validate_setup(user, patience).await {
            Ok(v) if v.passed => {
                record.mark_validated(&new.access_key_id, true);
                v
            }
            failed => {
                // The new key is withdrawn; the old one stays in use. The record and the
                // keyring forget the new key only once IAM has really deleted it.
                let why = match &failed {
                    Ok(v) => v.write.detail.clone(),
                    Err(e) => e.to_string(),
                };
                if delete_key(&iam, user, &new.access_key_id).await.is_ok() {
                    self.secrets().delete(&SecretKey::new(
                        SecretKind::SecretAccessKey,
                        &new.access_key_id,
                    )?)?;
                    record
                        .access_keys
                        .retain(|k| k.access_key_id != new.access_key_id);
                    store.save(&record)?;
                }
                return Err(CoreError::invalid(
                    "rotation",
                    format!("the new key failed validation, so the old one stays: {why}"),
                ));
            }
        };
        match iam
            .update_access_key()
            .user_name(user)
            .access_key_id(&old.access_key_id)
            .status(aws_sdk_iam::types::StatusType::Inactive)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) => match errors::classify("iam:UpdateAccessKey", e) {
                CoreError::NotFound { .. } => {}
                other => return Err(other),
            },
        }
        delete_key(&iam, user, &old.access_key_id).await?;
        self.secrets().delete(&SecretKey::new(
            SecretKind::SecretAccessKey,
            &old.access_key_id,
        )?)?;
        record
            .access_keys
            .retain(|k| k.access_key_id != old.access_key_id);
        store.save(&record)?;
        Ok(RotationReport {
            old_key: old.access_key_id,
            new_key: new.access_key_id,
            validation,
        })
    }

    /// Undoes what Sluice set up for `user`. With `apply` false only reports what it would
    /// do (and what the bucket holds). The bucket goes only with `delete_bucket`, only if
    /// Sluice created it, and only if empty unless `empty_bucket` confirms emptying it.
    pub async fn teardown_setup(
        &self,
        user: &str,
        delete_bucket: bool,
        empty_bucket: bool,
        apply: bool,
    ) -> Result<TeardownReport> {
        let (record, aws) = self.record_and_clients(user).await?;
        let mut steps: Vec<String> = record
            .access_keys
            .iter()
            .map(|k| {
                format!(
                    "delete access key {} (and its secret in the keyring)",
                    k.access_key_id
                )
            })
            .collect();
        if record.put_user_policy {
            steps.push(format!(
                "delete inline policy {} of {user}",
                record.policy_name
            ));
        }
        if record.created_user {
            steps.push(format!("delete IAM user {user}"));
        }
        let mut bucket_contents = None;
        if delete_bucket {
            if !record.created_bucket {
                return Err(CoreError::invalid(
                    "bucket",
                    format!(
                        "Sluice did not create {}: it is left to its owner",
                        record.bucket
                    ),
                ));
            }
            let c = contents(&aws, &record.bucket).await?;
            bucket_contents = Some(c);
            if c.objects > 0 {
                steps.push(format!(
                    "empty bucket {} ({} objects, {} bytes)",
                    record.bucket, c.objects, c.bytes
                ));
            }
            steps.push(format!("delete bucket {}", record.bucket));
            if c.objects > 0 && !empty_bucket && apply {
                return Err(CoreError::invalid(
                    "bucket",
                    format!(
                        "{} holds {} objects ({} bytes): confirm emptying it to delete it",
                        record.bucket, c.objects, c.bytes
                    ),
                ));
            }
        }
        if !apply {
            return Ok(TeardownReport {
                steps,
                bucket_contents,
                applied: false,
            });
        }
        let iam = aws.iam();
        for key in &record.access_keys {
            match iam
                .delete_access_key()
                .user_name(user)
                .access_key_id(&key.access_key_id)
                .send()
                .await
            {
                Ok(_) => {}
                Err(e) => match errors::classify("iam:DeleteAccessKey", e) {
                    CoreError::NotFound { .. } => {}
                    other => return Err(other),
                },
            }
            self.secrets().delete(&SecretKey::new(
                SecretKind::SecretAccessKey,
                &key.access_key_id,
            )?)?;
        }
        if record.put_user_policy {
            match iam
                .delete_user_policy()
                .user_name(user)
                .policy_name(&record.policy_name)
                .send()
                .await
            {
                Ok(_) => {}
                Err(e) => match errors::classify("iam:DeleteUserPolicy", e) {
                    CoreError::NotFound { .. } => {}
                    other => return Err(other),
                },
            }
        }
        if record.created_user {
            match iam.delete_user().user_name(user).send().await {
                Ok(_) => {}
                Err(e) => match errors::classify("iam:DeleteUser", e) {
                    CoreError::NotFound { .. } => {}
                    other => return Err(other),
                },
            }
        }
        if delete_bucket {
            empty(&aws, &record.bucket).await?;
            aws.s3()
                .delete_bucket()
                .bucket(&record.bucket)
                .send()
                .await
                .map_err(|e| errors::classify("s3:DeleteBucket", e))?;
        }
        RecordStore::beside(self.settings().path()).remove(user)?;
        Ok(TeardownReport {
            steps,
            bucket_contents,
            applied: true,
        })
    }
}
