//! The proxy as the app's Preferences and `sluice proxy` show and set it: what calls go
//! through now and why, and Sluice's own setting (kept in the settings file's `proxy`
//! section; it never holds a password).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::proxy::{choose, no_proxy_list, proxy_url, ProxyChoice, ProxyPrefs, SystemProxy};
use crate::context::Sluice;
use crate::error::Result;

/// What the Preferences show: the proxy in use, and Sluice's own setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NetworkStatus {
    pub proxy: ProxyChoice,
    pub preferences: ProxyPrefs,
}

/// This feature's section of the settings file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct NetworkSettings {
    #[serde(default)]
    proxy: ProxyPrefs,
}

/// The operating system's setting, read once per run (when Preferences and the environment
/// leave the choice to it).
#[derive(Default)]
struct SystemProxyState(OnceLock<Option<SystemProxy>>);

impl Sluice {
    /// The proxy AWS calls go through now.
    pub fn proxy_choice(&self) -> Result<ProxyChoice> {
        let prefs = self.settings().read::<NetworkSettings>()?.proxy;
        let env = |name: &str| std::env::var(name).ok();
        // The OS is asked only when it decides.
        let decided = choose(&prefs, &env, None);
        if decided.url.is_some() {
            return Ok(decided);
        }
        let system = self.state::<SystemProxyState>();
        let system = system.0.get_or_init(super::system_proxy::read);
        Ok(choose(&prefs, &env, system.as_ref()))
    }

    pub fn network_status(&self) -> Result<NetworkStatus> {
        Ok(NetworkStatus {
            proxy: self.proxy_choice()?,
            preferences: self.settings().read::<NetworkSettings>()?.proxy,
        })
    }

    /// Sets Sluice's own proxy (`url` empty or `None`: none of its own, so the environment's
    /// or the operating system's is used). Live sessions keep their connections until they
    /// are made again; new calls use the new proxy.
    pub fn set_proxy(&self, url: Option<&str>, no_proxy: Option<&str>) -> Result<NetworkStatus> {
        let url = url
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(proxy_url)
            .transpose()?;
        let no_proxy = match (&url, no_proxy) {
            (Some(_), Some(list)) => no_proxy_list(list)?,
            _ => None,
        };
        self.settings().update(|s: &mut NetworkSettings| {
            s.proxy = ProxyPrefs { url, no_proxy };
            Ok(())
        })?;
        self.forget_all_sessions();
        self.network_status()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::proxy::ProxyFrom;

    #[test]
    fn a_proxy_set_here_is_used_kept_and_cleared() {
        let dir = tempfile::tempdir().expect("dir");
        let (s, _) = crate::context::test_context(dir.path());
        let status = s
            .set_proxy(Some("http://127.0.0.1:3128"), Some("localhost, .corp"))
            .expect("set");
        assert_eq!(status.proxy.from, ProxyFrom::Preferences);
        assert_eq!(status.proxy.no_proxy.as_deref(), Some("localhost,.corp"));
        let saved = std::fs::read_to_string(s.settings().path()).expect("settings");
        assert!(saved.contains("http://127.0.0.1:3128"), "{saved}");
        let err = s
            .set_proxy(Some("http://ana:pw@proxy:1"), None)
            .expect_err("password");
        assert!(err.to_string().contains("password"), "{err}");
        let saved = std::fs::read_to_string(s.settings().path()).expect("settings");
        assert!(!saved.contains("ana:pw"), "{saved}");
        let cleared = s.set_proxy(None, Some("ignored")).expect("clear");
        assert_eq!(cleared.preferences, ProxyPrefs::default());
        assert_ne!(cleared.proxy.from, ProxyFrom::Preferences);
    }
}
