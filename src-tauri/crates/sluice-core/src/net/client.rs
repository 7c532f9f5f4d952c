//! The one HTTP client every SDK client of Sluice's uses: rustls with the operating system's
//! certificate store (so a corporate TLS-inspecting proxy's root, installed in the OS, is
//! trusted), through the chosen proxy (see [`super::proxy`]).

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use aws_smithy_http_client::{Builder, Connector};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

use super::proxy::{ProxyChoice, ProxyFrom};
use crate::error::{CoreError, Result};

/// The smithy proxy configuration for a choice. The environment's is read by the client
/// itself (with `NO_PROXY`'s full rules); the others are given their address and exceptions.
pub fn proxy_config(choice: &ProxyChoice) -> Result<ProxyConfig> {
    let url = match (choice.from, choice.url.as_deref()) {
        (ProxyFrom::None, _) | (_, None) => return Ok(ProxyConfig::disabled()),
        (ProxyFrom::Environment, _) => return Ok(ProxyConfig::from_env()),
        (_, Some(url)) => url,
    };
    let config = ProxyConfig::all(url)
        .map_err(|e| CoreError::invalid("proxy address", format!("{url} cannot be used: {e}")))?;
    Ok(match choice.no_proxy.as_deref() {
        Some(rules) => config.no_proxy(rules),
        None => config,
    })
}

/// An HTTPS client (plain HTTP too, for a local emulator) through `choice`'s proxy.
pub fn http_client(choice: &ProxyChoice) -> Result<SharedHttpClient> {
    let proxy = proxy_config(choice)?;
    Ok(
        Builder::new().build_with_connector_fn(move |settings, components| {
            let mut builder = Connector::builder().proxy_config(proxy.clone());
            builder.set_connector_settings(settings.cloned());
            if let Some(components) = components {
                builder.set_sleep_impl(components.sleep_impl());
            }
            builder
                .tls_provider(Provider::Rustls(CryptoMode::AwsLc))
                .build()
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_choice_makes_its_proxy_configuration() {
        let none = proxy_config(&ProxyChoice::default()).expect("none");
        assert!(none.is_disabled());
        let env = proxy_config(&ProxyChoice {
            from: ProxyFrom::Environment,
            url: Some("http://env:1".into()),
            ..ProxyChoice::default()
        })
        .expect("env");
        assert!(env.is_from_env());
        let prefs = proxy_config(&ProxyChoice {
            from: ProxyFrom::Preferences,
            url: Some("http://127.0.0.1:3128".into()),
            no_proxy: Some("localhost".into()),
            note: None,
        })
        .expect("prefs");
        assert!(!prefs.is_disabled() && !prefs.is_from_env());
        let bad = proxy_config(&ProxyChoice {
            from: ProxyFrom::System,
            url: Some("http://bad host:1".into()),
            ..ProxyChoice::default()
        });
        assert!(bad.is_err());
    }
}
