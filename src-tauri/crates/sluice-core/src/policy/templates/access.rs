//! Who may act: the customer's assume-role policy and the vendor role's trust policy with
//! its ExternalId condition.

use super::{built, external_id_placeholder, Built, ExternalIdValue};
use crate::arn::RoleArn;
use crate::error::{CoreError, Result};
use crate::policy::document::{PolicyKind, Principal, Statement};
use crate::validate;

/// A customer's inline policy: `sts:AssumeRole` on exactly one role.
pub fn assume_role(role: &RoleArn) -> Built {
    built(
        "assume-role",
        PolicyKind::Identity,
        format!("sluice-assume-{}", role.name().replace('/', "-")),
        vec![(
            Statement::allow("AssumeVendorRole", "sts:AssumeRole", role.as_str()),
            format!(
                "Lets this user or role assume {} (sts:AssumeRole) and do nothing else.",
                role.as_str()
            ),
        )],
    )
}

/// The principal ARN for an account id or an IAM user / role ARN.
pub fn principal_arn(field: &str, text: &str) -> Result<String> {
    let text = text.trim();
    if text.len() == 12 && text.chars().all(|c| c.is_ascii_digit()) {
        return Ok(format!("arn:aws:iam::{text}:root"));
    }
    let expected = || {
        CoreError::invalid(
            field,
            format!("'{text}': expected a 12-digit account id or an IAM user or role ARN"),
        )
    };
    // A trust names an account, a user or a role (the kinds a vendor hands over).
    let resource = text.splitn(6, ':').nth(5).unwrap_or_default();
    let kind_ok = text.starts_with("arn:")
        && text.split(':').nth(2) == Some("iam")
        && (resource == "root" || resource.starts_with("user/") || resource.starts_with("role/"));
    if kind_ok && crate::arn::is_principal_arn(text) {
        Ok(text.to_string())
    } else {
        Err(expected())
    }
}

/// A vendor role's trust policy, with an `sts:ExternalId` condition when one is given.
pub fn trust(principal: &str, external_id: Option<ExternalIdValue<'_>>) -> Result<Built> {
    let who = principal_arn("principal", principal)?;
    let mut statement = Statement {
        principal: Some(Principal::Aws(who.clone().into())),
        resource: None,
        ..Statement::allow("TrustedPrincipalAssumesRole", "sts:AssumeRole", "")
    };
    let sentence = match external_id {
        Some(ExternalIdValue::Secret(value)) => {
            validate::external_id(value)?;
            statement = statement.with_condition("StringEquals", "sts:ExternalId", value);
            format!("Lets {who} assume this role, only when it passes the agreed ExternalId.")
        }
        Some(ExternalIdValue::Placeholder(name)) => {
            statement = statement.with_condition(
                "StringEquals",
                "sts:ExternalId",
                external_id_placeholder(name),
            );
            format!("Lets {who} assume this role, only when it passes the agreed ExternalId.")
        }
        None => format!("Lets {who} assume this role; no ExternalId is required."),
    };
    Ok(built(
        "trust",
        PolicyKind::Trust,
        String::new(),
        vec![(statement, sentence)],
    ))
}
