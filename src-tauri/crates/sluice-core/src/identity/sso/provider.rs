//! A role's credentials from the portal as an SDK credentials provider: the SDK's identity
//! cache asks again shortly before they expire, so a long download or tail keeps going.

use aws_credential_types::provider::{self, error::CredentialsError, ProvideCredentials};

use super::portal;
use crate::sensitive::Sensitive;

/// GetRoleCredentials for one account and role, with one sign-in's access token.
#[derive(Debug)]
pub struct SsoRoleProvider {
    pub portal: aws_sdk_sso::Client,
    pub token: Sensitive<String>,
    pub account_id: String,
    pub role_name: String,
}

impl ProvideCredentials for SsoRoleProvider {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::new(async move {
            portal::role_credentials(&self.portal, &self.token, &self.account_id, &self.role_name)
                .await
                .map_err(|e| CredentialsError::provider_error(e.to_string()))
        })
    }
}
