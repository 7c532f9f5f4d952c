//! The default credentials and region chains, without the EC2 instance metadata probe unless
//! the user asks for it.
//!
//! aws-config's own default chains end with IMDS. On a laptop that probe times out against
//! 169.254.169.254 and logs multi-line warnings before "no credentials" can be said. Sluice
//! runs on desktops, so the probe is opt-in: `--imds` / `SLUICE_IMDS=1`, or the SDK's own
//! setting `AWS_EC2_METADATA_DISABLED=false` said explicitly.

use aws_config::ecs::EcsCredentialsProvider;
use aws_config::environment::credentials::EnvironmentVariableCredentialsProvider;
use aws_config::environment::region::EnvironmentVariableRegionProvider;
use aws_config::imds::credentials::ImdsCredentialsProvider;
use aws_config::imds::region::ImdsRegionProvider;
use aws_config::meta::credentials::CredentialsProviderChain;
use aws_config::meta::region::{ProvideRegion, RegionProviderChain};
use aws_config::profile::region::ProfileFileRegionProvider;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::web_identity_token::WebIdentityTokenCredentialsProvider;
use aws_config::Region;

/// Whether the EC2 instance metadata service may be asked for credentials and the region:
/// Sluice's own switch, or the SDK's `AWS_EC2_METADATA_DISABLED=false` set explicitly.
pub fn imds_wanted(flag: bool) -> bool {
    flag || std::env::var("AWS_EC2_METADATA_DISABLED")
        .map(|v| v.trim().eq_ignore_ascii_case("false"))
        .unwrap_or(false)
}

/// Environment, then the shared config files (for `profile`), then IMDS when wanted.
pub fn region_chain(profile: Option<&str>, imds: bool) -> RegionProviderChain {
    let mut files = ProfileFileRegionProvider::builder();
    if let Some(name) = profile {
        files = files.profile_name(name);
    }
    let chain = RegionProviderChain::first_try(EnvironmentVariableRegionProvider::new())
        .or_else(files.build());
    if imds {
        chain.or_else(ImdsRegionProvider::builder().build())
    } else {
        chain
    }
}

/// The SDK's default credentials order (environment, profile, web identity, container), with
/// IMDS last and only when wanted.
pub async fn credentials_chain(
    profile: Option<&str>,
    region: &impl ProvideRegion,
    imds: bool,
    http: aws_smithy_runtime_api::client::http::SharedHttpClient,
) -> CredentialsProviderChain {
    let region: Option<Region> = region.region().await;
    // The providers that call AWS themselves (web identity, SSO and role profiles) go
    // through the same client, and so the same proxy, as every other call.
    let conf = ProviderConfig::default()
        .with_region(region)
        .with_http_client(http);
    let mut files = ProfileFileCredentialsProvider::builder().configure(&conf);
    if let Some(name) = profile {
        files = files.profile_name(name);
    }
    let chain = CredentialsProviderChain::first_try(
        "Environment",
        EnvironmentVariableCredentialsProvider::new(),
    )
    .or_else("Profile", files.build())
    .or_else(
        "WebIdentityToken",
        WebIdentityTokenCredentialsProvider::builder()
            .configure(&conf)
            .build(),
    )
    .or_else(
        "EcsContainer",
        EcsCredentialsProvider::builder().configure(&conf).build(),
    );
    if imds {
        chain.or_else(
            "Ec2InstanceMetadata",
            ImdsCredentialsProvider::builder().configure(&conf).build(),
        )
    } else {
        chain
    }
}
