//! "Who am I": the caller identity behind the configured credentials (STS GetCallerIdentity).
//!
//! It is the first check of every setup flow: it proves the credentials work at all and
//! tells the user which account and principal they are about to act as.

use serde::Serialize;

use crate::aws::{errors, AwsClients};
use crate::error::{CoreError, Result};

/// The account, principal ARN and unique id of the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CallerIdentity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

/// Calls STS GetCallerIdentity with the clients' credentials.
pub async fn whoami(clients: &AwsClients) -> Result<CallerIdentity> {
    clients.ensure_credentials().await?;
    let out = clients
        .sts()
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| errors::classify("sts:GetCallerIdentity", e))?;
    let missing = |field: &str| CoreError::Service {
        action: "sts:GetCallerIdentity".into(),
        code: "IncompleteResponse".into(),
        message: format!("the response has no {field}"),
    };
    Ok(CallerIdentity {
        account: out.account.ok_or_else(|| missing("Account"))?,
        arn: out.arn.ok_or_else(|| missing("Arn"))?,
        user_id: out.user_id.ok_or_else(|| missing("UserId"))?,
    })
}
