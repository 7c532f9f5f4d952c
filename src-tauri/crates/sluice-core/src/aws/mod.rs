//! The AWS client factory: one place that turns a source identity, a region and an optional
//! endpoint override into configured SDK clients.
//!
//! With an endpoint override (a local emulator such as moto, or a private endpoint) S3 is
//! switched to path-style addressing, because virtual-hosted bucket names do not resolve
//! against `127.0.0.1`. Retries and timeouts are set once here for every client.

pub mod chain;
pub mod errors;
pub mod shared_files;

use std::time::Duration;

use aws_config::meta::region::RegionProviderChain;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::Credentials;

use crate::error::{CoreError, Result};
use crate::identity::SourceIdentity;
use crate::net::proxy::ProxyChoice;
use crate::secrets::{SecretKey, SecretKind, SecretStore};
use crate::validate;

/// Region used when neither the user nor the AWS config chain names one.
pub const FALLBACK_REGION: &str = "us-east-1";

/// Everything needed to build clients.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsOptions {
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub source: SourceIdentity,
    /// Ask the EC2 instance metadata service too (see [`chain`]); off on desktops.
    pub imds: bool,
    /// The proxy every call goes through (see [`crate::net`]).
    pub proxy: ProxyChoice,
}

/// Clients for unit tests: a region, and an endpoint nothing listens on.
#[cfg(test)]
pub(crate) async fn offline_clients(secrets: &dyn SecretStore) -> AwsClients {
    AwsClients::build(
        &AwsOptions {
            region: Some("eu-west-1".into()),
            endpoint_url: Some("http://127.0.0.1:9".into()),
            ..Default::default()
        },
        secrets,
    )
    .await
    .expect("offline clients")
}

/// Configured SDK clients for one source identity.
#[derive(Clone, Debug)]
pub struct AwsClients {
    config: SdkConfig,
    endpoint_override: bool,
}

impl AwsClients {
    /// Builds the shared SDK config. Reads a stored secret key from `secrets` when the source
    /// is an access key; fails with `NoCredentials` if it is missing.
    pub async fn build(options: &AwsOptions, secrets: &dyn SecretStore) -> Result<Self> {
        let http = crate::net::client::http_client(&options.proxy)?;
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http.clone())
            .retry_config(RetryConfig::standard().with_max_attempts(3))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(60))
                    .build(),
            );

        let (profile, imds, region) = region_provider(options)?;

        match &options.source {
            SourceIdentity::DefaultChain | SourceIdentity::Profile { .. } => {
                if let Some(name) = profile {
                    loader = loader.profile_name(name);
                }
                loader = loader.credentials_provider(
                    chain::credentials_chain(profile, &region, imds, http).await,
                );
            }
            SourceIdentity::AccessKey { access_key_id } => {
                let id = validate::access_key_id(access_key_id)?;
                let key = SecretKey::new(SecretKind::SecretAccessKey, id)?;
                let secret = secrets.get(&key)?.ok_or_else(|| CoreError::NoCredentials {
                    detail: format!("no secret key for {id} in the OS keyring"),
                })?;
                loader = loader.credentials_provider(Credentials::new(
                    id,
                    secret.into_exposed(),
                    None,
                    None,
                    "sluice-keyring",
                ));
            }
            SourceIdentity::Temporary {
                access_key_id,
                expires,
            } => {
                let id = validate::access_key_id(access_key_id)?;
                let read = |kind, what: &str| -> Result<_> {
                    secrets.get(&SecretKey::new(kind, id)?)?.ok_or_else(|| {
                        CoreError::NoCredentials {
                            detail: format!("no {what} for {id} in the OS keyring"),
                        }
                    })
                };
                let secret = read(SecretKind::SecretAccessKey, "secret key")?;
                let token = read(SecretKind::SessionToken, "session token")?;
                let expiry = expires.as_deref().and_then(|e| {
                    aws_smithy_types::DateTime::from_str(
                        e,
                        aws_smithy_types::date_time::Format::DateTime,
                    )
                    .ok()
                    .and_then(|t| std::time::SystemTime::try_from(t).ok())
                });
                loader = loader.credentials_provider(Credentials::new(
                    id,
                    secret.into_exposed(),
                    Some(token.into_exposed()),
                    expiry,
                    "sluice-pasted",
                ));
            }
            SourceIdentity::Sso {
                start_url,
                sso_region,
                account_id,
                role_name,
            } => {
                use crate::identity::sso::{clients::SsoClients, provider::SsoRoleProvider, saved};
                let token = saved::SsoSecrets { store: secrets }
                    .access_token(start_url)?
                    .ok_or_else(|| CoreError::SignIn {
                        reason: "not signed in: sign in first".into(),
                    })?;
                loader = loader.credentials_provider(SsoRoleProvider {
                    portal: SsoClients::new(sso_region, &options.proxy).await?.portal,
                    token,
                    account_id: account_id.clone(),
                    role_name: role_name.clone(),
                });
            }
        }
        loader = loader.region(region);

        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(validate::endpoint_url(url)?);
        }

        Ok(Self {
            config: loader.load().await,
            endpoint_override: options.endpoint_url.is_some(),
        })
    }

    /// The region a session with `options` would use, without reading any credentials: for
    /// work that only needs to know where (the destination's code), not who.
    pub async fn session_region(options: &AwsOptions) -> Result<String> {
        let (_, _, region) = region_provider(options)?;
        Ok(region
            .region()
            .await
            .map_or_else(|| FALLBACK_REGION.to_string(), |r| r.to_string()))
    }

    /// Resolves credentials now, so a missing identity is reported as `NoCredentials` before
    /// any request is attempted.
    pub async fn ensure_credentials(&self) -> Result<()> {
        let provider =
            self.config
                .credentials_provider()
                .ok_or_else(|| CoreError::NoCredentials {
                    detail: "no credentials provider configured".into(),
                })?;
        provider
            .provide_credentials()
            .await
            .map(|_| ())
            .map_err(|e| CoreError::NoCredentials {
                detail: aws_smithy_types::error::display::DisplayErrorContext(&e).to_string(),
            })
    }

    /// Whether these clients act with a session (credentials with a session token), so a
    /// role assumed with them is a chained role. `false` when the credentials cannot be
    /// resolved now (the call that needs them reports why).
    /// Whether these clients act with a session, and when their current credentials expire
    /// (`None`: long-term keys, or credentials that cannot be resolved now).
    pub async fn session_facts(&self) -> (bool, Option<std::time::SystemTime>) {
        match self.config.credentials_provider() {
            Some(provider) => match provider.provide_credentials().await {
                Ok(c) => (c.session_token().is_some(), c.expiry()),
                Err(_) => (false, None),
            },
            None => (false, None),
        }
    }

    pub async fn acts_with_a_session(&self) -> bool {
        match self.config.credentials_provider() {
            Some(provider) => provider
                .provide_credentials()
                .await
                .is_ok_and(|c| c.session_token().is_some()),
            None => false,
        }
    }

    /// The same clients acting with other credentials (e.g. an assumed role's session).
    pub fn with_credentials(&self, provider: impl ProvideCredentials + 'static) -> Self {
        Self {
            config: self
                .config
                .to_builder()
                .credentials_provider(
                    aws_credential_types::provider::SharedCredentialsProvider::new(provider),
                )
                .build(),
            endpoint_override: self.endpoint_override,
        }
    }

    /// The same clients in another region (S3 buckets are created in their own region).
    pub fn in_region(&self, region: &str) -> Self {
        Self {
            config: self
                .config
                .to_builder()
                .region(Region::new(region.to_owned()))
                .build(),
            endpoint_override: self.endpoint_override,
        }
    }

    pub fn region(&self) -> Option<&str> {
        self.config.region().map(|r| r.as_ref())
    }

    pub fn sdk_config(&self) -> &SdkConfig {
        &self.config
    }

    pub fn sts(&self) -> aws_sdk_sts::Client {
        aws_sdk_sts::Client::new(&self.config)
    }

    pub fn s3(&self) -> aws_sdk_s3::Client {
        let conf = aws_sdk_s3::config::Builder::from(&self.config)
            .force_path_style(self.endpoint_override)
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }

    pub fn kinesis(&self) -> aws_sdk_kinesis::Client {
        aws_sdk_kinesis::Client::new(&self.config)
    }

    /// S3 Control (account-wide settings). Its endpoint rules put the account id in the
    /// host name, which an endpoint override such as `127.0.0.1:PORT` cannot take: with an
    /// override, requests go to the override as it is (the account id is still sent in the
    /// `x-amz-account-id` header).
    pub fn s3control(&self) -> aws_sdk_s3control::Client {
        let mut conf = aws_sdk_s3control::config::Builder::from(&self.config);
        if let Some(url) = self
            .config
            .endpoint_url()
            .filter(|_| self.endpoint_override)
        {
            conf = conf.endpoint_resolver(FixedEndpoint(url.to_string()));
        }
        aws_sdk_s3control::Client::from_conf(conf.build())
    }

    pub fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.config)
    }

    pub fn athena(&self) -> aws_sdk_athena::Client {
        aws_sdk_athena::Client::new(&self.config)
    }

    pub fn glue(&self) -> aws_sdk_glue::Client {
        aws_sdk_glue::Client::new(&self.config)
    }
}

/// The profile, whether instance metadata may be asked, and the region chain for `options`.
fn region_provider(options: &AwsOptions) -> Result<(Option<&str>, bool, RegionProviderChain)> {
    let imds = chain::imds_wanted(options.imds);
    let profile = match &options.source {
        SourceIdentity::Profile { name } => Some(validate::profile_name(name)?),
        _ => None,
    };
    let region = match &options.region {
        Some(r) => RegionProviderChain::first_try(Region::new(validate::region(r)?.to_owned())),
        None => chain::region_chain(profile, imds),
    }
    .or_else(FALLBACK_REGION);
    Ok((profile, imds, region))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;
    use crate::Sensitive;

    #[tokio::test]
    async fn stored_access_key_without_secret_is_no_credentials() {
        let opts = AwsOptions {
            region: Some("eu-west-1".into()),
            endpoint_url: Some("http://127.0.0.1:9".into()),
            source: SourceIdentity::AccessKey {
                access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            },
            imds: false,
            proxy: ProxyChoice::default(),
        };
        let err = AwsClients::build(&opts, &MemoryStore::default())
            .await
            .expect_err("no secret stored");
        assert_eq!(err.code(), crate::ErrorCode::NoCredentials);
    }

    #[tokio::test]
    async fn stored_access_key_resolves_and_region_is_kept() {
        let store = MemoryStore::default();
        let key = SecretKey::new(SecretKind::SecretAccessKey, "AKIAIOSFODNN7EXAMPLE").expect("key");
        store
            .set(
                &key,
                &Sensitive::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCY".into()),
            )
            .expect("set");
        let opts = AwsOptions {
            region: Some("eu-west-1".into()),
            endpoint_url: Some("http://127.0.0.1:9".into()),
            source: SourceIdentity::AccessKey {
                access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            },
            imds: false,
            proxy: ProxyChoice::default(),
        };
        let clients = AwsClients::build(&opts, &store).await.expect("build");
        clients.ensure_credentials().await.expect("credentials");
        assert_eq!(clients.region(), Some("eu-west-1"));
    }

    #[tokio::test]
    async fn bad_region_and_endpoint_are_invalid_input() {
        let store = MemoryStore::default();
        for opts in [
            AwsOptions {
                region: Some("mars".into()),
                ..Default::default()
            },
            AwsOptions {
                region: Some("eu-west-1".into()),
                endpoint_url: Some("not a url".into()),
                ..Default::default()
            },
        ] {
            let err = AwsClients::build(&opts, &store).await.expect_err("invalid");
            assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        }
    }
}

/// Resolves every S3 Control request to one URL (an endpoint override).
#[derive(Debug)]
struct FixedEndpoint(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for FixedEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        _params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(
            aws_smithy_types::endpoint::Endpoint::builder()
                .url(self.0.clone())
                .build(),
        ))
    }
}
