//! Applying a policy where it belongs — an inline user or role policy, a role's trust
//! policy, a bucket policy — after a diff against what is there now, then reading it back.
//!
//! Plan, then effect: [`Sluice::plan_policy_apply`] changes nothing and is what the UI shows
//! before its confirmation and the CLI prints without `--yes`. A policy with lint errors is
//! never applied. ExternalIds are hidden in the diff; a change to one is said in words.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::compare::{decode_document, fingerprint, hide_external_ids, normalized, parse};
use super::diff::{diff_lines, DiffLine};
use super::document::{canonical_json, PolicyKind};
use super::lint::{lint, LintReport};
use super::studio::PolicySource;
use crate::aws::{errors, AwsClients};
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::validate;

/// Where a policy goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "name", rename_all = "camelCase")]
pub enum ApplyTarget {
    /// An inline policy on an IAM user (PutUserPolicy).
    User(String),
    /// An inline policy on an IAM role (PutRolePolicy).
    Role(String),
    /// A role's trust policy (UpdateAssumeRolePolicy).
    TrustOfRole(String),
    /// A bucket policy (PutBucketPolicy).
    Bucket(String),
}

impl ApplyTarget {
    /// The kind of policy this target takes.
    pub fn kind(&self) -> PolicyKind {
        match self {
            Self::User(_) | Self::Role(_) => PolicyKind::Identity,
            Self::TrustOfRole(_) => PolicyKind::Trust,
            Self::Bucket(_) => PolicyKind::Resource,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::User(u) => format!("an inline policy of IAM user {u}"),
            Self::Role(r) => format!("an inline policy of IAM role {r}"),
            Self::TrustOfRole(r) => format!("the trust policy of IAM role {r}"),
            Self::Bucket(b) => format!("the bucket policy of s3://{b}"),
        }
    }

    fn validate(&self) -> Result<()> {
        match self {
            Self::User(u) => validate::iam_name("user name", u).map(|_| ()),
            Self::Role(r) | Self::TrustOfRole(r) => validate::iam_name("role name", r).map(|_| ()),
            Self::Bucket(b) => validate::bucket_name(b).map(|_| ()),
        }
    }

    fn takes_a_name(&self) -> bool {
        matches!(self, Self::User(_) | Self::Role(_))
    }
}

/// What applying would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ApplyPlan {
    pub target: ApplyTarget,
    pub target_label: String,
    /// The inline policy name (users and roles only).
    pub policy_name: Option<String>,
    /// Whether a policy is there now.
    pub exists: bool,
    pub changed: bool,
    /// Current → proposed, canonically indented, ExternalIds hidden.
    pub diff: Vec<DiffLine>,
    pub lint: LintReport,
    pub notes: Vec<String>,
    /// Pass back to `apply_policy`: it refuses when the policy or AWS changed since.
    pub fingerprint: String,
}

/// The result of applying.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AppliedPolicy {
    pub target: ApplyTarget,
    pub target_label: String,
    pub policy_name: Option<String>,
    /// The policy read back from AWS equals the one sent.
    pub verified: bool,
}

/// The largest document Sluice will send (IAM's own limits are lower still).
const MAX_DOCUMENT_BYTES: usize = 64 * 1024;

struct Prepared {
    text: crate::sensitive::Sensitive<String>,
    name: Option<String>,
    lint: LintReport,
}

impl Sluice {
    fn prepare_policy(
        &self,
        target: &ApplyTarget,
        source: &PolicySource,
        name: Option<&str>,
    ) -> Result<Prepared> {
        target.validate()?;
        let rendered = self.render_policy(source)?;
        if rendered.text.expose().len() > MAX_DOCUMENT_BYTES {
            return Err(CoreError::invalid(
                "policy",
                "larger than any policy IAM or S3 accepts",
            ));
        }
        let lint = lint(rendered.text.expose(), Some(target.kind()));
        let name = if target.takes_a_name() {
            let chosen = name
                .filter(|n| !n.trim().is_empty())
                .map(str::trim)
                .unwrap_or(if rendered.suggested_name.is_empty() {
                    "sluice-policy"
                } else {
                    &rendered.suggested_name
                });
            Some(validate::policy_name(chosen)?.to_string())
        } else {
            None
        };
        Ok(Prepared {
            text: rendered.text,
            name,
            lint,
        })
    }

    /// What applying `source` to `target` would change; changes nothing.
    pub async fn plan_policy_apply(
        &self,
        target: &ApplyTarget,
        source: &PolicySource,
        name: Option<&str>,
    ) -> Result<ApplyPlan> {
        let prepared = self.prepare_policy(target, source, name)?;
        let aws = self.aws().await?;
        let current = current_policy(&aws, target, prepared.name.as_deref()).await?;
        // Shown even when it cannot be applied (comments, bad JSON): the lint says why.
        let proposed = parse(&super::lint::strip_comments(prepared.text.expose()).0).ok();
        let mut notes = Vec::new();
        let changed = current.as_ref().map(normalized) != proposed.as_ref().map(normalized);
        let shown = |v: Option<&Value>| -> (String, bool) {
            let Some(v) = v else {
                return (String::new(), false);
            };
            let mut v = normalized(v);
            let hid = hide_external_ids(&mut v);
            (canonical_json(&v), hid)
        };
        let (old, old_hid) = shown(current.as_ref());
        let (new, new_hid) = shown(proposed.as_ref());
        if changed && old == new && (old_hid || new_hid) {
            notes.push(
                "Only the ExternalId changes: whoever uses the old one will be refused.".into(),
            );
        }
        if !changed {
            notes.push("The policy in AWS is already exactly this one.".into());
        }
        if prepared.lint.has_errors() {
            notes.push(format!(
                "{} lint error(s): fix them before applying.",
                prepared.lint.errors
            ));
        }
        Ok(ApplyPlan {
            target_label: target.describe(),
            target: target.clone(),
            policy_name: prepared.name,
            exists: current.is_some(),
            changed,
            diff: diff_lines(&old, &new),
            lint: prepared.lint,
            notes,
            fingerprint: fingerprint(current.as_ref(), proposed.as_ref()),
        })
    }

    /// Applies `source` to `target` and reads it back. Refuses a policy with lint errors,
    /// and — given the fingerprint of the plan that was reviewed — one whose document or
    /// whose counterpart in AWS changed since.
    pub async fn apply_policy(
        &self,
        target: &ApplyTarget,
        source: &PolicySource,
        name: Option<&str>,
        reviewed: Option<&str>,
    ) -> Result<AppliedPolicy> {
        let prepared = self.prepare_policy(target, source, name)?;
        if prepared.lint.has_errors() {
            let first = prepared
                .lint
                .findings
                .iter()
                .find(|f| f.severity == super::Severity::Error)
                .map(|f| format!(" (first: {} — {})", f.code, f.message))
                .unwrap_or_default();
            return Err(CoreError::invalid(
                "policy",
                format!("{} lint error(s); not applied{first}", prepared.lint.errors),
            ));
        }
        let sent = parse(prepared.text.expose())?;
        let body = sent.to_string();
        let aws = self.aws().await?;
        if let Some(reviewed) = reviewed {
            let now = current_policy(&aws, target, prepared.name.as_deref()).await?;
            if fingerprint(now.as_ref(), Some(&sent)) != reviewed {
                return Err(CoreError::invalid(
                    "policy",
                    "the policy or what is in AWS changed since you reviewed the difference: review it again",
                ));
            }
        }
        put_policy(&aws, target, prepared.name.as_deref(), &body).await?;
        let back = current_policy(&aws, target, prepared.name.as_deref()).await?;
        Ok(AppliedPolicy {
            target_label: target.describe(),
            target: target.clone(),
            policy_name: prepared.name,
            verified: back.as_ref().map(normalized) == Some(normalized(&sent)),
        })
    }
}

/// The policy at `target` now, parsed; `None` when there is none.
async fn current_policy(
    aws: &AwsClients,
    target: &ApplyTarget,
    name: Option<&str>,
) -> Result<Option<Value>> {
    let name = name.unwrap_or_default();
    let text = match target {
        ApplyTarget::User(user) => {
            aws.iam()
                .get_user()
                .user_name(user)
                .send()
                .await
                .map_err(|e| errors::classify("iam:GetUser", e))?;
            match aws
                .iam()
                .get_user_policy()
                .user_name(user)
                .policy_name(name)
                .send()
                .await
            {
                Ok(out) => Some(out.policy_document),
                Err(e) => none_if_missing(errors::classify("iam:GetUserPolicy", e))?,
            }
        }
        ApplyTarget::Role(role) => {
            aws.iam()
                .get_role()
                .role_name(role)
                .send()
                .await
                .map_err(|e| errors::classify("iam:GetRole", e))?;
            match aws
                .iam()
                .get_role_policy()
                .role_name(role)
                .policy_name(name)
                .send()
                .await
            {
                Ok(out) => Some(out.policy_document),
                Err(e) => none_if_missing(errors::classify("iam:GetRolePolicy", e))?,
            }
        }
        ApplyTarget::TrustOfRole(role) => aws
            .iam()
            .get_role()
            .role_name(role)
            .send()
            .await
            .map_err(|e| errors::classify("iam:GetRole", e))?
            .role
            .and_then(|r| r.assume_role_policy_document),
        ApplyTarget::Bucket(bucket) => {
            match aws.s3().get_bucket_policy().bucket(bucket).send().await {
                Ok(out) => out.policy,
                Err(e) => {
                    let missing_policy = e
                        .as_service_error()
                        .and_then(aws_smithy_types::error::metadata::ProvideErrorMetadata::code)
                        == Some("NoSuchBucketPolicy");
                    if missing_policy {
                        None
                    } else {
                        return Err(errors::classify("s3:GetBucketPolicy", e));
                    }
                }
            }
        }
    };
    text.map(|t| parse(&decode_document(&t))).transpose()
}

fn none_if_missing(e: CoreError) -> Result<Option<String>> {
    match e {
        CoreError::NotFound { .. } => Ok(None),
        other => Err(other),
    }
}

/// Writes `body` where `target` says (the one place Sluice puts IAM and bucket policies).
/// The JSON is sent compact: IAM counts white space against its size limits.
pub(crate) async fn put_policy(
    aws: &AwsClients,
    target: &ApplyTarget,
    name: Option<&str>,
    body: &str,
) -> Result<()> {
    let compact = serde_json::from_str::<Value>(body)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| body.to_string());
    let body = compact.as_str();
    let name = name.unwrap_or_default();
    match target {
        ApplyTarget::User(user) => aws
            .iam()
            .put_user_policy()
            .user_name(user)
            .policy_name(name)
            .policy_document(body)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| errors::classify("iam:PutUserPolicy", e)),
        ApplyTarget::Role(role) => aws
            .iam()
            .put_role_policy()
            .role_name(role)
            .policy_name(name)
            .policy_document(body)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| errors::classify("iam:PutRolePolicy", e)),
        ApplyTarget::TrustOfRole(role) => aws
            .iam()
            .update_assume_role_policy()
            .role_name(role)
            .policy_document(body)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| errors::classify("iam:UpdateAssumeRolePolicy", e)),
        ApplyTarget::Bucket(bucket) => aws
            .s3()
            .put_bucket_policy()
            .bucket(bucket)
            .policy(body)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| errors::classify("s3:PutBucketPolicy", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_ids_are_hidden_wherever_they_sit() {
        let mut v: Value = serde_json::from_str(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},
            "Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:externalid":"topsecret"}}}}"#,
        )
        .expect("json");
        assert!(hide_external_ids(&mut v));
        assert!(!v.to_string().contains("topsecret"));
    }

    #[test]
    fn iam_documents_are_url_decoded() {
        assert_eq!(decode_document("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(decode_document("{\"a\":\"%20\"}"), "{\"a\":\"%20\"}");
    }

    #[test]
    fn documents_compare_in_the_form_aws_returns() {
        let sent: Value = serde_json::from_str(
            r#"{"Statement":[{"Principal":{"AWS":["123456789012"]},"Action":["s3:GetObject"]}]}"#,
        )
        .expect("json");
        let back: Value = serde_json::from_str(
            r#"{"Statement":{"Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject"}}"#,
        )
        .expect("json");
        assert_eq!(normalized(&sent), normalized(&back));
        assert_eq!(
            fingerprint(Some(&sent), None),
            fingerprint(Some(&back), None)
        );
        assert_ne!(
            fingerprint(Some(&sent), None),
            fingerprint(None, Some(&sent))
        );
    }
}
