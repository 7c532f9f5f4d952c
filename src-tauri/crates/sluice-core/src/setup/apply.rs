//! `impl Sluice` for setup: plan, then apply step by step with progress, recording what was
//! created after every step so a failed run resumes where it stopped and a re-run adopts.

use aws_sdk_iam::types::Tag;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde::Serialize;

use super::design;
use super::observe;
use super::plan::{self, SetupPlan, Step, StepState};
use super::record::{RecordStore, RecordedKey, SetupRecord};
use super::spec::{SinkSpec, Valid};
use super::validate::{self, Patience, ValidationReport, WriterKey};
use crate::aws::{errors, AwsClients, FALLBACK_REGION};
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::policy::apply::{put_policy, ApplyTarget};
use crate::s3::security;
use crate::secrets::{SecretKey, SecretKind};
use crate::sensitive::Sensitive;

/// Progress of one step, as it happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StepEvent {
    pub id: String,
    pub title: String,
    pub state: StepProgress,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum StepProgress {
    Started,
    Done,
    Skipped,
    Failed,
}

/// What an apply did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SetupOutcome {
    pub plan: SetupPlan,
    pub access_key_id: Option<String>,
    /// A new key was made in this run (its secret is in the keyring only).
    pub key_created: bool,
    pub validation: Option<ValidationReport>,
}

impl Sluice {
    fn setup_records(&self) -> RecordStore {
        RecordStore::beside(self.settings().path())
    }

    async fn setup_context(&self, spec: &SinkSpec) -> Result<(AwsClients, Valid)> {
        let aws = self.aws().await?;
        let v = spec.validate(aws.region().unwrap_or(FALLBACK_REGION))?;
        Ok((aws.in_region(&v.region), v))
    }

    /// The spec checked, its region defaulting to the session's. Reads no credentials and
    /// calls no AWS service.
    pub(crate) async fn setup_spec(&self, spec: &SinkSpec) -> Result<Valid> {
        let region = AwsClients::session_region(&self.aws_options()?).await?;
        spec.validate(&region)
    }

    fn key_secret(&self, access_key_id: &str) -> Result<Option<Sensitive<String>>> {
        self.secrets()
            .get(&SecretKey::new(SecretKind::SecretAccessKey, access_key_id)?)
    }

    async fn observe_plan(
        &self,
        aws: &AwsClients,
        v: &Valid,
    ) -> Result<(SetupPlan, Option<SetupRecord>)> {
        let record = self.setup_records().load(&v.user)?;
        if let Some(r) = record.as_ref().filter(|r| {
            !r.bucket.is_empty()
                && (r.bucket != v.bucket || r.prefix != v.prefix || r.suffix != v.suffix)
        }) {
            return Err(CoreError::invalid(
                "user",
                format!(
                    "{} already writes to s3://{}/{} for a destination Sluice set up: tear that down first, or choose another user",
                    v.user, r.bucket, r.prefix
                ),
            ));
        }
        let bucket = observe::bucket(aws, &v.bucket).await?;
        let user = observe::user(aws, &v.user, &plan::policy_name(v)).await?;
        let stored = match record.as_ref().and_then(SetupRecord::current_key) {
            Some(k) => self.key_secret(&k.access_key_id)?.is_some(),
            None => false,
        };
        Ok((
            plan::plan(v, &bucket, &user, record.as_ref(), stored),
            record,
        ))
    }

    /// The plan for a destination: every step, and which are already done. Changes nothing.
    pub async fn plan_setup(&self, spec: &SinkSpec) -> Result<SetupPlan> {
        let (aws, v) = self.setup_context(spec).await?;
        Ok(self.observe_plan(&aws, &v).await?.0)
    }

    /// Applies the plan step by step, reporting each on `progress`, then validates with the
    /// writer's key. Steps already done are skipped; what is created is recorded at once.
    pub async fn apply_setup(
        &self,
        spec: &SinkSpec,
        patience: Patience,
        progress: &(dyn Fn(StepEvent) + Send + Sync),
    ) -> Result<SetupOutcome> {
        let (aws, v) = self.setup_context(spec).await?;
        let (plan, record) = self.observe_plan(&aws, &v).await?;
        if let Some(blocked) = plan.blocked() {
            return Err(CoreError::invalid(
                "setup",
                format!(
                    "{}: {}",
                    blocked.title,
                    blocked.note.clone().unwrap_or_default()
                ),
            ));
        }
        let mut record = record.unwrap_or_default();
        record.user.clone_from(&v.user);
        record.bucket.clone_from(&v.bucket);
        record.prefix.clone_from(&v.prefix);
        record.suffix.clone_from(&v.suffix);
        record.region.clone_from(&v.region);
        record.policy_name.clone_from(&plan.policy_name);
        let store = self.setup_records();
        let mut key_created = false;
        let emit = |step: &Step, state: StepProgress, detail: Option<String>| {
            progress(StepEvent {
                id: step.id.clone(),
                title: step.title.clone(),
                state,
                detail,
            })
        };
        let mut validation = None;
        for step in &plan.steps {
            if step.state == StepState::Done {
                emit(step, StepProgress::Skipped, step.note.clone());
                continue;
            }
            emit(step, StepProgress::Started, None);
            let done = if step.id == "validate" {
                let report = self.validate_writer(&aws, &v, &record, patience).await?;
                let passed = report.passed;
                record.mark_validated(&report.access_key_id, passed);
                store.save(&record)?;
                let detail = format!("{}; {}", report.write.detail, report.list_denied.detail);
                validation = Some(report);
                if passed {
                    Ok(Some(detail))
                } else {
                    emit(step, StepProgress::Failed, Some(detail));
                    continue;
                }
            } else {
                self.run_step(&aws, &v, step, &mut record, &mut key_created)
                    .await
                    .map(|()| None)
            };
            match done {
                Ok(detail) => {
                    store.save(&record)?;
                    emit(step, StepProgress::Done, detail);
                }
                Err(e) => {
                    store.save(&record)?;
                    emit(step, StepProgress::Failed, Some(e.to_string()));
                    return Err(e);
                }
            }
        }
        let plan = self.observe_plan(&aws, &v).await?.0;
        Ok(SetupOutcome {
            plan,
            access_key_id: record.current_key().map(|k| k.access_key_id.clone()),
            key_created,
            validation,
        })
    }

    async fn run_step(
        &self,
        aws: &AwsClients,
        v: &Valid,
        step: &Step,
        record: &mut SetupRecord,
        key_created: &mut bool,
    ) -> Result<()> {
        let iam = aws.iam();
        match step.id.as_str() {
            "bucket" => {
                let mut create = aws.s3().create_bucket().bucket(&v.bucket);
                if v.region != "us-east-1" {
                    create = create.create_bucket_configuration(
                        CreateBucketConfiguration::builder()
                            .location_constraint(BucketLocationConstraint::from(v.region.as_str()))
                            .build(),
                    );
                }
                match create.send().await {
                    Ok(_) => record.created_bucket = true,
                    Err(e)
                        if e.as_service_error().and_then(ProvideErrorMetadata::code)
                            == Some("BucketAlreadyOwnedByYou") => {}
                    Err(e) => return Err(errors::classify("s3:CreateBucket", e)),
                }
            }
            "public-access-block" => security::block_public_access(aws, &v.bucket).await?,
            "ownership" => security::enforce_bucket_owner(aws, &v.bucket, false).await?,
            "encryption" => security::default_encryption(aws, &v.bucket, &v.encryption).await?,
            "bucket-policy" => {
                let body = step.detail.clone().unwrap_or_default();
                put_policy(aws, &ApplyTarget::Bucket(v.bucket.clone()), None, &body).await?;
                record.put_bucket_policy = true;
            }
            "user" => {
                let tags = design::user_tags(&v.bucket)
                    .into_iter()
                    .map(|(k, val)| Tag::builder().key(k).value(val).build())
                    .collect::<std::result::Result<Vec<_>, _>>()
                    .map_err(|e| CoreError::Internal {
                        detail: e.to_string(),
                    })?;
                match iam
                    .create_user()
                    .user_name(&v.user)
                    .path(super::spec::USER_PATH)
                    .set_tags(Some(tags))
                    .send()
                    .await
                {
                    Ok(_) => record.created_user = true,
                    Err(e)
                        if e.as_service_error().and_then(ProvideErrorMetadata::code)
                            == Some("EntityAlreadyExists") => {}
                    Err(e) => return Err(errors::classify("iam:CreateUser", e)),
                }
            }
            "user-policy" => {
                let body = step.detail.clone().unwrap_or_default();
                put_policy(
                    aws,
                    &ApplyTarget::User(v.user.clone()),
                    Some(&record.policy_name),
                    &body,
                )
                .await?;
                record.put_user_policy = true;
            }
            "access-key" => {
                let key = self.create_writer_key(aws, &v.user).await?;
                record.access_keys.push(key);
                *key_created = true;
            }
            other => {
                return Err(CoreError::Internal {
                    detail: format!("unknown setup step {other}"),
                })
            }
        }
        Ok(())
    }

    /// Creates an access key and puts its secret in the keyring; if the keyring refuses,
    /// the key is deleted again so no secret exists only in AWS.
    pub(crate) async fn create_writer_key(
        &self,
        aws: &AwsClients,
        user: &str,
    ) -> Result<RecordedKey> {
        let iam = aws.iam();
        let out = iam
            .create_access_key()
            .user_name(user)
            .send()
            .await
            .map_err(|e| errors::classify("iam:CreateAccessKey", e))?;
        let key = out.access_key().ok_or_else(|| CoreError::Internal {
            detail: "iam:CreateAccessKey returned no key".into(),
        })?;
        let id = key.access_key_id().to_string();
        let secret = Sensitive::new(key.secret_access_key().to_string());
        let created = key
            .create_date()
            .and_then(|d| d.fmt(aws_smithy_types::date_time::Format::DateTime).ok())
            .unwrap_or_default();
        let stored = SecretKey::new(SecretKind::SecretAccessKey, &id)
            .and_then(|k| self.secrets().set(&k, &secret));
        if let Err(e) = stored {
            let _ = iam
                .delete_access_key()
                .user_name(user)
                .access_key_id(&id)
                .send()
                .await;
            return Err(e);
        }
        Ok(RecordedKey {
            access_key_id: id,
            created,
            validated: false,
        })
    }

    async fn validate_writer(
        &self,
        aws: &AwsClients,
        v: &Valid,
        record: &SetupRecord,
        patience: Patience,
    ) -> Result<ValidationReport> {
        let key = record.current_key().ok_or_else(|| {
            CoreError::invalid(
                "user",
                format!("'{}' has no access key made by Sluice", v.user),
            )
        })?;
        let secret = self
            .key_secret(&key.access_key_id)?
            .ok_or_else(|| CoreError::Keyring {
                detail: format!("the secret of {} is not in this keyring", key.access_key_id),
            })?;
        Ok(validate::run(
            aws,
            &v.bucket,
            &v.key_prefix(),
            &v.suffix,
            WriterKey {
                access_key_id: &key.access_key_id,
                secret: &secret,
            },
            patience,
        )
        .await)
    }

    /// Validates the destination set up for `user` with its current key.
    pub async fn validate_setup(&self, user: &str, patience: Patience) -> Result<ValidationReport> {
        let record = self.setup_records().load(user)?.ok_or_else(|| {
            CoreError::invalid(
                "user",
                format!("Sluice has set up no destination for '{user}'"),
            )
        })?;
        let spec = SinkSpec {
            bucket: record.bucket.clone(),
            prefix: Some(record.prefix.clone()),
            suffix: Some(record.suffix.clone()),
            user: record.user.clone(),
            region: Some(record.region.clone()),
            kms_key_arn: None,
            tls_only: Some(false),
        };
        let (aws, v) = self.setup_context(&spec).await?;
        let report = self.validate_writer(&aws, &v, &record, patience).await?;
        let mut record = record;
        record.mark_validated(&report.access_key_id, report.passed);
        self.setup_records().save(&record)?;
        Ok(report)
    }

    /// The record of what Sluice set up for `user`, if any.
    pub fn setup_record(&self, user: &str) -> Result<Option<SetupRecord>> {
        self.setup_records().load(user)
    }
}
