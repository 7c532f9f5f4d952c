//! The plan: every step of a destination setup with the resource it touches, the AWS action
//! it calls, the policy it writes, and whether it is already done. Pure data from the spec,
//! what exists and the record — shown before anything changes.

use serde::Serialize;
use serde_json::Value;

use super::observe::{BucketState, UserState};
use super::record::SetupRecord;
use super::spec::{Encryption, Valid};
use crate::policy::templates;

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum StepState {
    /// Will be done by apply.
    ToDo,
    /// Already as wanted: adopted, not repeated.
    Done,
    /// Cannot be done as things are; the note says why and what to do.
    Blocked,
}

/// One step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub id: String,
    pub title: String,
    /// The AWS action it calls, e.g. `s3:CreateBucket`.
    pub action: String,
    pub resource: String,
    pub state: StepState,
    /// The policy it writes, for review.
    pub detail: Option<String>,
    pub note: Option<String>,
}

/// The whole plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SetupPlan {
    pub bucket: String,
    pub prefix: String,
    pub suffix: String,
    pub user: String,
    pub region: String,
    pub encryption: Encryption,
    pub policy_name: String,
    pub steps: Vec<Step>,
    pub warnings: Vec<String>,
}

impl SetupPlan {
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    pub fn blocked(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.state == StepState::Blocked)
    }
}

/// Keys older than this are flagged.
pub const KEY_AGE_WARNING_DAYS: u32 = 90;

/// The inline policy name for a destination's writer.
pub fn policy_name(v: &Valid) -> String {
    format!("sluice-sink-writer-{}", v.bucket)
}

/// The sink-writer policy for the spec; with SSE-KMS the writer also needs
/// `kms:GenerateDataKey` on the key, or S3 refuses its writes.
pub fn writer_policy(v: &Valid) -> String {
    let Ok(built) = templates::sink_writer(&v.bucket, &v.prefix, &v.suffix) else {
        return String::new();
    };
    let Encryption::SseKms { key_arn } = &v.encryption else {
        return built.document.to_pretty_json();
    };
    let mut doc = built.document;
    doc.statement
        .push(crate::policy::document::Statement::allow(
            "EncryptWithTheBucketKey",
            "kms:GenerateDataKey",
            key_arn.as_str(),
        ));
    doc.to_pretty_json()
}

fn tls_statement(bucket: &str) -> Option<Value> {
    let built = templates::bucket_policy(bucket, None).ok()?;
    let doc = serde_json::to_value(&built.document).ok()?;
    doc.get("Statement")?.get(0).cloned()
}

/// Whether a bucket policy already refuses plain HTTP.
pub fn denies_plain_http(policy: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<Value>(policy) else {
        return false;
    };
    let statements = match doc.get("Statement") {
        Some(Value::Array(items)) => items.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    };
    statements.iter().any(|st| {
        st.get("Effect").and_then(Value::as_str) == Some("Deny")
            && st
                .pointer("/Condition/Bool/aws:SecureTransport")
                .is_some_and(|v| {
                    let is_false = |v: &Value| v == "false" || v == &Value::Bool(false);
                    is_false(v) || v.as_array().is_some_and(|a| a.iter().any(is_false))
                })
    })
}

/// The bucket policy to put: the TLS-only statement, added to the policy already there.
pub fn bucket_policy_with_tls(bucket: &str, existing: Option<&str>) -> String {
    let Some(tls) = tls_statement(bucket) else {
        return String::new();
    };
    let mut doc = match existing {
        Some(p) => match serde_json::from_str::<Value>(p)
            .ok()
            .filter(Value::is_object)
        {
            Some(doc) => doc,
            // Never replace a policy that cannot be read.
            None => return String::new(),
        },
        None => serde_json::json!({"Version": "2012-10-17", "Statement": []}),
    };
    let statements = match doc.get_mut("Statement") {
        Some(Value::Array(items)) => items,
        _ => {
            doc["Statement"] = Value::Array(Vec::new());
            match doc.get_mut("Statement") {
                Some(Value::Array(items)) => items,
                _ => return String::new(),
            }
        }
    };
    statements.push(tls);
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

fn encryption_done(want: &Encryption, bucket: &BucketState) -> bool {
    match want {
        // Never downgrade: a bucket already encrypted with KMS keeps its key.
        Encryption::SseS3 => bucket.encryption.is_some(),
        Encryption::SseKms { key_arn } => {
            bucket.encryption.as_deref() == Some("aws:kms")
                && bucket
                    .kms_key
                    .as_deref()
                    .is_some_and(|k| k == key_arn || key_arn.ends_with(&format!("/{k}")))
        }
    }
}

fn same_policy(a: &str, b: &str) -> bool {
    match (
        serde_json::from_str::<Value>(a),
        serde_json::from_str::<Value>(b),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The plan for `v`, given what exists and what Sluice recorded earlier.
pub fn plan(
    v: &Valid,
    bucket: &BucketState,
    user: &UserState,
    record: Option<&SetupRecord>,
    key_secret_stored: bool,
) -> SetupPlan {
    let step = |id: &str, title: String, action: &str, resource: String, done: bool| Step {
        id: id.into(),
        title,
        action: action.into(),
        resource,
        state: if done {
            StepState::Done
        } else {
            StepState::ToDo
        },
        detail: None,
        note: None,
    };
    let bucket_arn = format!("arn:aws:s3:::{}", v.bucket);
    let user_res = format!("user/sluice/{}", v.user);
    let name = policy_name(v);
    let writer = writer_policy(v);
    let mut steps = vec![
        Step {
            note: bucket
                .exists
                .then(|| "The bucket exists: it is adopted, not created.".into()),
            ..step(
                "bucket",
                format!("Create bucket {} in {}", v.bucket, v.region),
                "s3:CreateBucket",
                bucket_arn.clone(),
                bucket.exists,
            )
        },
        step(
            "public-access-block",
            "Block all public access".into(),
            "s3:PutBucketPublicAccessBlock",
            bucket_arn.clone(),
            bucket.public_access_blocked,
        ),
        step(
            "ownership",
            "Object Ownership: bucket owner enforced (ACLs off)".into(),
            "s3:PutBucketOwnershipControls",
            bucket_arn.clone(),
            bucket.owner_enforced,
        ),
        step(
            "encryption",
            match &v.encryption {
                Encryption::SseS3 => "Default encryption SSE-S3".into(),
                Encryption::SseKms { key_arn } => {
                    format!("Default encryption SSE-KMS with {key_arn}")
                }
            },
            "s3:PutEncryptionConfiguration",
            bucket_arn.clone(),
            encryption_done(&v.encryption, bucket),
        ),
    ];
    let tls_done = bucket.policy.as_deref().is_some_and(denies_plain_http);
    if v.tls_only {
        let merged =
            (!tls_done).then(|| bucket_policy_with_tls(&v.bucket, bucket.policy.as_deref()));
        let mut tls = Step {
            detail: merged.clone().filter(|m| !m.is_empty()),
            note: (bucket.policy.is_some() && !tls_done)
                .then(|| "The bucket has a policy: the TLS-only statement is added to it.".into()),
            ..step(
                "bucket-policy",
                "Bucket policy: refuse requests without TLS".into(),
                "s3:PutBucketPolicy",
                bucket_arn,
                tls_done,
            )
        };
        if merged.as_deref() == Some("") {
            tls.state = StepState::Blocked;
            tls.note = Some("The bucket's policy cannot be read as JSON, so Sluice will not rewrite it: fix it, or leave the bucket policy alone.".into());
        }
        steps.push(tls);
    }
    let mut user_step = Step {
        note: user
            .exists
            .then(|| "The user exists: it is adopted, not created.".into()),
        ..step(
            "user",
            format!("Create IAM user {} (path /sluice/)", v.user),
            "iam:CreateUser",
            user_res.clone(),
            user.exists,
        )
    };
    if user.exists && !user.managed_by_sluice {
        user_step.state = StepState::Blocked;
        user_step.note = Some(format!(
            "An IAM user {} exists that Sluice did not make (no /sluice/ path or managed-by=sluice tag): choose another name, so its permissions never reach the vendor.",
            v.user
        ));
    }
    steps.push(user_step);
    let policy_done = user
        .policy
        .as_deref()
        .is_some_and(|p| same_policy(p, &writer));
    steps.push(Step {
        detail: Some(writer),
        ..step(
            "user-policy",
            format!(
                "Inline policy {name}: find the bucket's region, put *{} under {}",
                v.suffix,
                if v.prefix.is_empty() {
                    "the bucket".to_string()
                } else {
                    format!("{}/", v.prefix)
                }
            ),
            "iam:PutUserPolicy",
            user_res.clone(),
            policy_done,
        )
    });
    let recorded = record.and_then(SetupRecord::current_key);
    let key_live = recorded.is_some_and(|k| {
        user.keys
            .iter()
            .any(|s| s.access_key_id == k.access_key_id && s.active)
    });
    let mut key = step(
        "access-key",
        "Create an access key; its secret goes to the OS keyring".into(),
        "iam:CreateAccessKey",
        user_res,
        key_live && key_secret_stored,
    );
    if key.state == StepState::ToDo && user.keys.len() >= 2 {
        key.state = StepState::Blocked;
        key.note = Some("The user already has two access keys, the most IAM allows: delete one it no longer uses, or rotate.".into());
    } else if key_live && !key_secret_stored {
        key.note =
            Some("The key's secret is not in this keyring: a new key will be created.".into());
    }
    steps.push(key);
    steps.push(step(
        "validate",
        format!("Validate with the new key: write an empty {}.strm_test_<uuid>{} and check that listing is denied", v.key_prefix(), v.suffix),
        "s3:PutObject",
        format!("arn:aws:s3:::{}/{}", v.bucket, v.key_prefix()),
        false,
    ));
    let warnings = user
        .keys
        .iter()
        .filter(|k| k.age_days.is_some_and(|d| d > KEY_AGE_WARNING_DAYS))
        .map(|k| {
            format!(
                "Access key {} is {} days old: rotate it.",
                k.access_key_id,
                k.age_days.unwrap_or_default()
            )
        })
        .collect();
    SetupPlan {
        bucket: v.bucket.clone(),
        prefix: v.prefix.clone(),
        suffix: v.suffix.clone(),
        user: v.user.clone(),
        region: v.region.clone(),
        encryption: v.encryption.clone(),
        policy_name: name,
        steps,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::observe::KeyState;
    use crate::setup::spec::SinkSpec;

    fn valid() -> Valid {
        SinkSpec {
            bucket: "strm-export".into(),
            prefix: Some("events".into()),
            suffix: None,
            user: "strm-writer".into(),
            region: None,
            kms_key_arn: None,
            tls_only: None,
        }
        .validate("us-east-1")
        .expect("valid")
    }

    #[test]
    fn a_fresh_account_gets_every_step() {
        let p = plan(
            &valid(),
            &BucketState::default(),
            &UserState::default(),
            None,
            false,
        );
        assert!(p.steps.iter().all(|s| s.state == StepState::ToDo), "{p:?}");
        let writer = p
            .step("user-policy")
            .and_then(|s| s.detail.clone())
            .expect("policy");
        assert!(writer.contains("arn:aws:s3:::strm-export/events/*.jsonl"));
        let tls = p
            .step("bucket-policy")
            .and_then(|s| s.detail.clone())
            .expect("policy");
        assert!(denies_plain_http(&tls));
    }

    #[test]
    fn what_exists_is_adopted_and_a_third_key_is_refused() {
        let v = valid();
        let bucket = BucketState {
            exists: true,
            public_access_blocked: true,
            owner_enforced: true,
            encryption: Some("AES256".into()),
            kms_key: None,
            policy: Some(bucket_policy_with_tls(&v.bucket, None)),
        };
        let key = |id: &str| KeyState {
            access_key_id: id.into(),
            active: true,
            created: None,
            age_days: Some(120),
        };
        let user = UserState {
            exists: true,
            managed_by_sluice: true,
            policy: Some(writer_policy(&v)),
            keys: vec![key("AKIAONE"), key("AKIATWO")],
        };
        let p = plan(&v, &bucket, &user, None, false);
        for id in [
            "bucket",
            "public-access-block",
            "ownership",
            "encryption",
            "bucket-policy",
            "user",
            "user-policy",
        ] {
            assert_eq!(p.step(id).map(|s| s.state), Some(StepState::Done), "{id}");
        }
        assert_eq!(p.blocked().map(|s| s.id.as_str()), Some("access-key"));
        assert_eq!(p.warnings.len(), 2);
    }

    #[test]
    fn the_tls_statement_is_added_to_an_existing_policy() {
        let existing = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Reader","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        let merged = bucket_policy_with_tls("mm-data", Some(existing));
        assert!(merged.contains("\"Reader\"") && denies_plain_http(&merged));
        assert!(!denies_plain_http(existing));
        assert_eq!(bucket_policy_with_tls("mm-data", Some("not json")), "");
    }

    #[test]
    fn a_user_sluice_did_not_make_is_never_adopted() {
        let user = UserState {
            exists: true,
            managed_by_sluice: false,
            policy: None,
            keys: Vec::new(),
        };
        let p = plan(&valid(), &BucketState::default(), &user, None, false);
        assert_eq!(p.blocked().map(|s| s.id.as_str()), Some("user"));
    }

    #[test]
    fn kms_writers_may_use_the_key() {
        let mut spec = SinkSpec {
            bucket: "strm-export".into(),
            prefix: None,
            suffix: None,
            user: "w".into(),
            region: Some("eu-west-1".into()),
            kms_key_arn: Some("arn:aws:kms:eu-west-1:123456789012:key/abcd".into()),
            tls_only: None,
        };
        let v = spec.validate("us-east-1").expect("valid");
        assert!(writer_policy(&v).contains("kms:GenerateDataKey"));
        let report = crate::policy::lint(&writer_policy(&v), None);
        assert!(report.findings.is_empty(), "{:?}", report.findings);
        spec.kms_key_arn = Some("arn:aws:kms:us-east-1:123456789012:key/abcd".into());
        assert!(
            spec.validate("us-east-1").is_err(),
            "a key from another region"
        );
    }
}
