//! The access portal's side of a sign-in: the accounts and roles the person may use
//! (ListAccounts, ListAccountRoles, both paginated), a role's credentials
//! (GetRoleCredentials) and Logout. Every call carries the access token as a bearer token.

use aws_credential_types::Credentials;
use serde::Serialize;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::aws::errors::classify;
use crate::error::{CoreError, Result};
use crate::sensitive::Sensitive;

/// One account and the roles the person may take in it, for the picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SsoAccount {
    pub account_id: String,
    pub account_name: String,
    pub email: Option<String>,
    pub roles: Vec<String>,
}

/// A portal refusal: an UnauthorizedException means the token is no longer good, which
/// only signing in again fixes.
fn portal_error<E>(action: &str, err: SdkError<E, HttpResponse>) -> CoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if err.code() == Some("UnauthorizedException") {
        return CoreError::SignIn {
            reason: "the sign-in expired: sign in again".into(),
        };
    }
    classify(action, err)
}

/// Every account and its roles, sorted by account name.
pub async fn accounts(
    portal: &aws_sdk_sso::Client,
    token: &Sensitive<String>,
) -> Result<Vec<SsoAccount>> {
    let mut pages = portal
        .list_accounts()
        .access_token(token.expose())
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(account) = pages.next().await {
        let account = account.map_err(|e| portal_error("sso:ListAccounts", e))?;
        let Some(id) = account.account_id else {
            continue;
        };
        let roles = roles(portal, token, &id).await?;
        out.push(SsoAccount {
            account_name: account.account_name.unwrap_or_else(|| id.clone()),
            email: account.email_address,
            account_id: id,
            roles,
        });
    }
    out.sort_by(|a, b| {
        a.account_name
            .to_lowercase()
            .cmp(&b.account_name.to_lowercase())
            .then_with(|| a.account_id.cmp(&b.account_id))
    });
    Ok(out)
}

async fn roles(
    portal: &aws_sdk_sso::Client,
    token: &Sensitive<String>,
    account_id: &str,
) -> Result<Vec<String>> {
    let mut pages = portal
        .list_account_roles()
        .access_token(token.expose())
        .account_id(account_id)
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(role) = pages.next().await {
        let role = role.map_err(|e| portal_error("sso:ListAccountRoles", e))?;
        out.extend(role.role_name);
    }
    out.sort();
    Ok(out)
}

/// The role's temporary credentials, with their expiry.
pub async fn role_credentials(
    portal: &aws_sdk_sso::Client,
    token: &Sensitive<String>,
    account_id: &str,
    role_name: &str,
) -> Result<Credentials> {
    let out = portal
        .get_role_credentials()
        .access_token(token.expose())
        .account_id(account_id)
        .role_name(role_name)
        .send()
        .await
        .map_err(|e| portal_error("sso:GetRoleCredentials", e))?;
    let incomplete = || CoreError::Service {
        action: "sso:GetRoleCredentials".into(),
        code: "IncompleteResponse".into(),
        message: "the portal returned no credentials".into(),
    };
    let creds = out.role_credentials.ok_or_else(incomplete)?;
    let (Some(id), Some(secret), Some(session)) = (
        creds.access_key_id,
        creds.secret_access_key,
        creds.session_token,
    ) else {
        return Err(incomplete());
    };
    let expiry = u64::try_from(creds.expiration)
        .ok()
        .filter(|ms| *ms > 0)
        .map(|ms| std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms));
    Ok(Credentials::new(
        id,
        secret,
        Some(session),
        expiry,
        "sluice-sso",
    ))
}

/// Logout: the portal ends the sign-in's session.
pub async fn logout(portal: &aws_sdk_sso::Client, token: &Sensitive<String>) -> Result<()> {
    portal
        .logout()
        .access_token(token.expose())
        .send()
        .await
        .map(|_| ())
        .map_err(|e| portal_error("sso:Logout", e))
}
