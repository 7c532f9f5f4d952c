//! The two IAM Identity Center clients. Neither signs its requests (the OIDC calls carry the
//! client secret, the portal calls a bearer token), so they are built without credentials.
//! They are built apart from the other services' clients: `--endpoint-url` (an emulator
//! for S3, STS, IAM …) does not apply to them, while the SDK's own per-service variables
//! `AWS_ENDPOINT_URL_SSO_OIDC` and `AWS_ENDPOINT_URL_SSO` do.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};

use crate::error::Result;
use crate::net::proxy::ProxyChoice;
use crate::validate;

/// SSO OIDC (sign-in) and the SSO portal (accounts, roles, credentials) in one region.
#[derive(Debug, Clone)]
pub struct SsoClients {
    pub oidc: aws_sdk_ssooidc::Client,
    pub portal: aws_sdk_sso::Client,
}

impl SsoClients {
    pub async fn new(region: &str, proxy: &ProxyChoice) -> Result<Self> {
        let region = validate::region(region)?.to_owned();
        let config = aws_config::defaults(BehaviorVersion::latest())
            .http_client(crate::net::client::http_client(proxy)?)
            .no_credentials()
            .region(Region::new(region))
            .retry_config(RetryConfig::standard().with_max_attempts(3))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(30))
                    .build(),
            )
            .load()
            .await;
        Ok(Self {
            oidc: aws_sdk_ssooidc::Client::new(&config),
            portal: aws_sdk_sso::Client::new(&config),
        })
    }
}
