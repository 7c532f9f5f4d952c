//! Which proxy every AWS call goes through, decided in one pure function: the proxy set under
//! Preferences, else the environment's (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` with
//! `NO_PROXY`, as a terminal gives them), else the operating system's setting (an app started
//! from Finder or the Start menu has no proxy variables; see [`super::system_proxy`]).
//!
//! A proxy address may not carry a password: Sluice keeps no proxy secret, so one never
//! reaches the settings file, and an address from elsewhere is shown without its user part.

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// The proxy set under Preferences (the settings file's `proxy` section).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ProxyPrefs {
    /// `http://host:port`; `None`: no proxy of Sluice's own (the environment's or the OS's).
    #[serde(default)]
    pub url: Option<String>,
    /// Hosts reached directly: comma-separated names, `.domain` suffixes, IPs or CIDRs.
    #[serde(default)]
    pub no_proxy: Option<String>,
}

/// Where the proxy in use comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ProxyFrom {
    /// No proxy: calls go straight to AWS.
    #[default]
    None,
    Preferences,
    Environment,
    System,
}

/// The proxy calls go through, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ProxyChoice {
    pub from: ProxyFrom,
    /// The proxy's address (without any user part).
    pub url: Option<String>,
    /// Hosts reached directly.
    pub no_proxy: Option<String>,
    /// Something the person should know (a PAC file Sluice cannot read, …).
    pub note: Option<String>,
}

/// The operating system's proxy setting, as [`super::system_proxy`] reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SystemProxy {
    pub url: Option<String>,
    pub no_proxy: Option<String>,
    /// A proxy auto-configuration file is set.
    pub pac_url: Option<String>,
}

/// The environment variables that name a proxy, in the order they are used for AWS's
/// HTTPS endpoints.
const ENV_PROXY: &[&str] = &[
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// A proxy address as Preferences takes it: `http://` or `https://`, a host and a port, no
/// user or password, no path.
pub fn proxy_url(value: &str) -> Result<String> {
    let bad = |why: &str| CoreError::invalid("proxy address", why.to_owned());
    let value = value.trim();
    let rest = value
        .strip_prefix("http://")
        .or_else(|| value.strip_prefix("https://"))
        .ok_or_else(|| {
            bad("start it with http:// (or https://), e.g. http://proxy.corp.example:8080")
        })?;
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains('@') {
        return Err(bad(
            "a proxy that needs a password is not supported: use one that does not, or set HTTPS_PROXY",
        ));
    }
    if authority.is_empty() || authority.contains(['/', '?', '#', ' ']) {
        return Err(bad(
            "give a host and a port only, e.g. http://proxy.corp.example:8080",
        ));
    }
    let port = authority
        .rsplit_once(':')
        .filter(|(host, _)| !host.is_empty() && !host.ends_with(':'))
        .and_then(|(_, port)| port.parse::<u16>().ok())
        .filter(|p| *p > 0);
    if port.is_none() {
        return Err(bad("add the port, e.g. http://proxy.corp.example:8080"));
    }
    Ok(format!("{}{authority}", &value[..value.len() - rest.len()]))
}

/// A `NO_PROXY` list as Preferences takes it: comma-separated, no spaces inside an entry.
pub fn no_proxy_list(value: &str) -> Result<Option<String>> {
    let entries: Vec<&str> = value
        .split([',', ';'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    if entries.iter().any(|e| e.contains(char::is_whitespace)) {
        return Err(CoreError::invalid(
            "hosts without the proxy",
            "separate hosts with commas, e.g. localhost,.corp.example,10.0.0.0/8",
        ));
    }
    Ok(no_proxy_rules(entries))
}

/// Bypass entries as the proxy matcher reads them (names, `.suffix`es, IPs, CIDRs, `*`):
/// the wildcards people and operating systems write become those — `*.corp` is `.corp`,
/// `10.*` is `10.0.0.0/8`, and macOS's `169.254/16` is `169.254.0.0/16`.
pub fn no_proxy_rules<'a>(entries: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let rules: Vec<String> = entries
        .into_iter()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(no_proxy_rule)
        .collect();
    (!rules.is_empty()).then(|| rules.join(","))
}

fn no_proxy_rule(entry: &str) -> String {
    if entry == "*" {
        return entry.to_owned();
    }
    if let Some(suffix) = entry.strip_prefix("*.") {
        return format!(".{suffix}");
    }
    // An IPv4 prefix: `10.*`, `192.168.*`, `169.254/16`.
    let (head, bits) = match entry.split_once('/') {
        Some((head, bits)) => (head, bits.parse::<u8>().ok()),
        None => (entry, None),
    };
    let wildcard = head.ends_with(".*");
    let parts: Vec<&str> = head.trim_end_matches(".*").split('.').collect();
    let numeric = parts.len() < 4 && parts.iter().all(|p| p.parse::<u8>().is_ok());
    if numeric && (wildcard || bits.is_some()) {
        let bits = bits.unwrap_or((parts.len() * 8) as u8);
        let mut octets = parts;
        octets.resize(4, "0");
        return format!("{}/{bits}", octets.join("."));
    }
    entry.to_owned()
}

/// An address as it may be shown: any `user:password@` taken out.
pub fn without_user(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((_, host)) => format!("{scheme}://{host}{path}"),
        None => url.to_owned(),
    }
}

/// The proxy to use: Preferences, else the environment (`env` reads a variable), else the
/// operating system's setting.
pub fn choose(
    prefs: &ProxyPrefs,
    env: &dyn Fn(&str) -> Option<String>,
    system: Option<&SystemProxy>,
) -> ProxyChoice {
    if let Some(url) = prefs.url.as_deref().filter(|u| !u.trim().is_empty()) {
        return ProxyChoice {
            from: ProxyFrom::Preferences,
            url: Some(without_user(url)),
            no_proxy: prefs.no_proxy.clone(),
            note: None,
        };
    }
    let set = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    if let Some(url) = ENV_PROXY.iter().find_map(|name| set(name)) {
        return ProxyChoice {
            from: ProxyFrom::Environment,
            url: Some(without_user(&url)),
            no_proxy: set("NO_PROXY").or_else(|| set("no_proxy")),
            note: None,
        };
    }
    let Some(system) = system else {
        return ProxyChoice::default();
    };
    let note = system.pac_url.as_ref().map(|pac| {
        format!(
            "the system uses a proxy auto-configuration file ({pac}), which Sluice does not read: if AWS cannot be reached, set the proxy here"
        )
    });
    match &system.url {
        Some(url) => ProxyChoice {
            from: ProxyFrom::System,
            url: Some(without_user(url)),
            no_proxy: system.no_proxy.clone(),
            note,
        },
        None => ProxyChoice {
            note,
            ..ProxyChoice::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn preferences_then_the_environment_then_the_system() {
        let prefs = ProxyPrefs {
            url: Some("http://prefs.corp:3128".into()),
            no_proxy: Some(".corp".into()),
        };
        let vars = env(&[
            ("HTTPS_PROXY", "http://env.corp:8080"),
            ("NO_PROXY", "localhost"),
        ]);
        let system = SystemProxy {
            url: Some("http://os.corp:80".into()),
            no_proxy: Some("*.local".into()),
            pac_url: None,
        };
        let chosen = choose(&prefs, &vars, Some(&system));
        assert_eq!(chosen.from, ProxyFrom::Preferences);
        assert_eq!(chosen.url.as_deref(), Some("http://prefs.corp:3128"));
        assert_eq!(chosen.no_proxy.as_deref(), Some(".corp"));

        let chosen = choose(&ProxyPrefs::default(), &vars, Some(&system));
        assert_eq!(chosen.from, ProxyFrom::Environment);
        assert_eq!(chosen.url.as_deref(), Some("http://env.corp:8080"));
        assert_eq!(chosen.no_proxy.as_deref(), Some("localhost"));

        let lower = env(&[("http_proxy", "http://lower:1")]);
        assert_eq!(
            choose(&ProxyPrefs::default(), &lower, None).url.as_deref(),
            Some("http://lower:1")
        );

        let chosen = choose(&ProxyPrefs::default(), &env(&[]), Some(&system));
        assert_eq!(chosen.from, ProxyFrom::System);
        assert_eq!(chosen.url.as_deref(), Some("http://os.corp:80"));

        let none = choose(&ProxyPrefs::default(), &env(&[("HTTPS_PROXY", " ")]), None);
        assert_eq!(none, ProxyChoice::default());
    }

    #[test]
    fn a_pac_file_is_named_and_a_password_is_never_shown() {
        let system = SystemProxy {
            url: None,
            no_proxy: None,
            pac_url: Some("http://wpad/wpad.dat".into()),
        };
        let chosen = choose(&ProxyPrefs::default(), &env(&[]), Some(&system));
        assert_eq!(chosen.from, ProxyFrom::None);
        assert!(chosen.note.expect("note").contains("wpad.dat"));
        let vars = env(&[("HTTPS_PROXY", "http://ana:hunter2@env.corp:8080/")]);
        let chosen = choose(&ProxyPrefs::default(), &vars, None);
        assert_eq!(chosen.url.as_deref(), Some("http://env.corp:8080/"));
    }

    #[test]
    fn preferences_take_a_host_and_port_without_a_password() {
        assert_eq!(
            proxy_url(" http://proxy.corp:8080/ ").expect("ok"),
            "http://proxy.corp:8080"
        );
        assert_eq!(
            proxy_url("https://[::1]:3128").expect("ipv6"),
            "https://[::1]:3128"
        );
        for (bad, why) in [
            ("proxy.corp:8080", "http://"),
            ("http://ana:pw@proxy.corp:8080", "password"),
            ("http://proxy.corp", "port"),
            ("http://proxy.corp:0", "port"),
            ("http://proxy.corp:99999", "port"),
            ("http://:8080", "port"),
            ("http://proxy.corp:8080/path", "host and a port"),
            ("socks5://proxy.corp:1080", "http://"),
        ] {
            let err = proxy_url(bad).expect_err(bad);
            assert!(err.to_string().contains(why), "{bad}: {err}");
        }
        assert_eq!(
            no_proxy_list(" localhost, .corp ;10.0.0.0/8,").expect("ok"),
            Some("localhost,.corp,10.0.0.0/8".into())
        );
        assert_eq!(no_proxy_list(" , ").expect("empty"), None);
        assert_eq!(
            no_proxy_list("*.corp.example, 10.*, 172.16/12, 10.1.2.3, *, host").expect("ok"),
            Some(".corp.example,10.0.0.0/8,172.16.0.0/12,10.1.2.3,*,host".into())
        );
        assert!(no_proxy_list("a b").is_err());
    }
}
