//! The inline policy a customer's own user or role needs to assume the vendor role:
//! `sts:AssumeRole` on exactly that role ARN, shown before it is applied.

use serde::{Deserialize, Serialize};

use crate::arn::RoleArn;
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::identity;
use crate::policy::apply::{put_policy, ApplyTarget};
use crate::validate;

/// Who gets the inline policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "name", rename_all = "camelCase")]
pub enum PolicyTarget {
    User(String),
    Role(String),
}

/// The policy, its name, and where it would go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct InlinePolicy {
    pub policy_name: String,
    /// The policy JSON, pretty-printed for review and copying.
    pub document: String,
    /// The caller's own user or role, when "who am I" could tell.
    pub suggested_target: Option<PolicyTarget>,
}

/// `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":ROLE}]}`,
/// written by the policy studio's assume-role template.
pub fn assume_role_document(role: &RoleArn) -> String {
    crate::policy::templates::assume_role(role)
        .document
        .to_pretty_json()
}

/// The inline policy's name: the studio's assume-role template names it after the role, so
/// applying it from either place replaces one policy instead of adding a second.
pub fn policy_name(role: &RoleArn) -> String {
    crate::policy::templates::assume_role(role).suggested_name
}

/// The user or role behind a caller ARN (`…:user/NAME`, `…:assumed-role/ROLE/SESSION`).
pub fn target_from_caller_arn(arn: &str) -> Option<PolicyTarget> {
    let resource = arn.splitn(6, ':').nth(5)?;
    if let Some(path) = resource.strip_prefix("user/") {
        return path
            .rsplit('/')
            .next()
            .map(|n| PolicyTarget::User(n.to_string()));
    }
    if let Some(rest) = resource.strip_prefix("assumed-role/") {
        return rest
            .split('/')
            .next()
            .map(|n| PolicyTarget::Role(n.to_string()));
    }
    None
}

impl Sluice {
    /// The inline policy for a connection's vendor role, with a suggested target.
    pub async fn inline_policy(&self, name: &str) -> Result<InlinePolicy> {
        let connection = self.connection(name)?;
        let role = connection.role.as_ref().ok_or_else(|| {
            CoreError::invalid(
                "connection",
                format!("'{name}' has no vendor role, so it needs no assume-role policy"),
            )
        })?;
        let suggested_target = match self.connection_session(name).await {
            Ok(session) => identity::whoami(&session.source)
                .await
                .ok()
                .and_then(|id| target_from_caller_arn(&id.arn)),
            Err(_) => None,
        };
        Ok(InlinePolicy {
            policy_name: policy_name(&role.role_arn),
            document: assume_role_document(&role.role_arn),
            suggested_target,
        })
    }

    /// Saves the policy JSON to `path` (absolute). An existing file is replaced only when
    /// `replace` is set; the write is atomic.
    pub async fn save_inline_policy(
        &self,
        name: &str,
        path: &std::path::Path,
        replace: bool,
    ) -> Result<String> {
        let policy = self.inline_policy(name).await?;
        self.save_user_file(path, format!("{}\n", policy.document).as_bytes(), replace)
    }

    /// Puts the inline policy on `target` (iam PutUserPolicy / PutRolePolicy) as the
    /// connection's source identity.
    pub async fn apply_inline_policy(
        &self,
        name: &str,
        target: &PolicyTarget,
    ) -> Result<InlinePolicy> {
        let policy = self.inline_policy(name).await?;
        let session = self.connection_session(name).await?;
        let target = match target {
            PolicyTarget::User(user) => {
                ApplyTarget::User(validate::iam_name("user name", user)?.to_string())
            }
            PolicyTarget::Role(role) => {
                ApplyTarget::Role(validate::iam_name("role name", role)?.to_string())
            }
        };
        put_policy(
            &session.source,
            &target,
            Some(&policy.policy_name),
            &policy.document,
        )
        .await?;
        Ok(policy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_allows_exactly_assume_role_on_the_role() {
        let role =
            RoleArn::parse("arn:aws:iam::352302322568:role/the-data-access-role").expect("arn");
        let doc: serde_json::Value =
            serde_json::from_str(&assume_role_document(&role)).expect("json");
        assert_eq!(doc["Version"], "2012-10-17");
        let st = &doc["Statement"][0];
        assert_eq!(st["Effect"], "Allow");
        assert_eq!(st["Action"], "sts:AssumeRole");
        assert_eq!(
            st["Resource"],
            "arn:aws:iam::352302322568:role/the-data-access-role"
        );
        assert_eq!(doc["Statement"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn the_name_is_the_studio_template_name() {
        let role = RoleArn::parse("arn:aws:iam::352302322568:role/vendor/the-data-access-role")
            .expect("arn");
        assert_eq!(policy_name(&role), "sluice-assume-the-data-access-role");
        assert_eq!(
            policy_name(&role),
            crate::policy::templates::assume_role(&role).suggested_name
        );
    }

    #[test]
    fn targets_from_caller_arns() {
        assert_eq!(
            target_from_caller_arn("arn:aws:iam::123456789012:user/ops/alice"),
            Some(PolicyTarget::User("alice".into()))
        );
        assert_eq!(
            target_from_caller_arn("arn:aws:sts::123456789012:assumed-role/Admin/alice@corp"),
            Some(PolicyTarget::Role("Admin".into()))
        );
        assert_eq!(
            target_from_caller_arn("arn:aws:iam::123456789012:root"),
            None
        );
        assert_eq!(target_from_caller_arn("nonsense"), None);
    }
}
