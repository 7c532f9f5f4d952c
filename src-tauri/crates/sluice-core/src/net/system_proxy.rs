//! The operating system's proxy setting, for an app started from Finder or the Start menu
//! (which has no proxy variables). macOS: the output of `scutil --proxy` (the System Settings
//! → Network → Proxies values). Windows: the user's Internet Settings in the registry, as
//! `reg query` prints them (what Windows Settings → Proxy writes). Linux desktops give the
//! proxy to programs as `HTTPS_PROXY` / `NO_PROXY`, which [`super::proxy::choose`] reads.
//!
//! Each reading is a pure parser over the tool's text, tested with every platform's output
//! on any machine; only running the tool is platform code.

use super::proxy::SystemProxy;
use crate::platform::Platform;

/// `scutil --proxy`: the HTTPS proxy when enabled, else the HTTP one; the exceptions list as
/// `NO_PROXY`; a PAC file when one is set. Only the top-level dictionary counts: the
/// per-interface copies under `__SCOPED__` are nested dictionaries, skipped.
pub fn parse_scutil(text: &str) -> SystemProxy {
    let mut values = std::collections::HashMap::new();
    let mut exceptions = Vec::new();
    let mut depth = 0usize;
    let mut in_exceptions = false;
    for line in text.lines() {
        let line = line.trim();
        if line == "}" {
            depth = depth.saturating_sub(1);
            in_exceptions = false;
            continue;
        }
        let opens = line.ends_with('{');
        if let Some((key, value)) = line.split_once(" : ") {
            let (key, value) = (key.trim(), value.trim());
            if depth == 1 && key == "ExceptionsList" && opens {
                in_exceptions = true;
            } else if depth == 2 && in_exceptions {
                exceptions.push(value.to_owned());
            } else if depth == 1 && !opens {
                values.insert(key.to_owned(), value.to_owned());
            }
        }
        if opens {
            depth += 1;
        }
    }
    let on = |key: &str| values.get(key).is_some_and(|v| v == "1");
    let proxy = |kind: &str| {
        let host = values
            .get(&format!("{kind}Proxy"))
            .filter(|h| !h.is_empty())?;
        let port = values
            .get(&format!("{kind}Port"))
            .and_then(|p| p.parse::<u16>().ok())
            .unwrap_or(80);
        on(&format!("{kind}Enable")).then(|| format!("http://{host}:{port}"))
    };
    let pac = values
        .get("ProxyAutoConfigURLString")
        .filter(|_| on("ProxyAutoConfigEnable"))
        .cloned();
    SystemProxy {
        url: proxy("HTTPS").or_else(|| proxy("HTTP")),
        no_proxy: super::proxy::no_proxy_rules(exceptions.iter().map(String::as_str)),
        pac_url: pac,
    }
}

/// `reg query "HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings"`:
/// `ProxyEnable`, `ProxyServer` (`host:port`, or per scheme `http=…;https=…`),
/// `ProxyOverride` (`;`-separated, `<local>` for names without a dot) and `AutoConfigURL`.
pub fn parse_reg_query(text: &str) -> SystemProxy {
    let value = |name: &str| {
        text.lines().find_map(|line| {
            let mut parts = line.split_whitespace();
            if parts.next()? != name {
                return None;
            }
            let _kind = parts.next()?;
            let rest: Vec<&str> = parts.collect();
            Some(rest.join(" "))
        })
    };
    let enabled = value("ProxyEnable").is_some_and(|v| {
        let v = v.trim_start_matches("0x");
        u32::from_str_radix(v, 16).is_ok_and(|n| n != 0)
    });
    let url = value("ProxyServer")
        .filter(|_| enabled)
        .and_then(|server| server_for_https(&server));
    let no_proxy = value("ProxyOverride").and_then(|list| {
        let hosts = list.split(';').flat_map(|h| match h.trim() {
            "<local>" => vec!["localhost", "127.0.0.1", "::1"],
            other => vec![other],
        });
        super::proxy::no_proxy_rules(hosts)
    });
    SystemProxy {
        url,
        no_proxy: no_proxy.filter(|_| enabled),
        pac_url: value("AutoConfigURL").filter(|u| !u.is_empty()),
    }
}

/// The proxy for HTTPS from a `ProxyServer` value: the `https=` entry, else `http=`, else the
/// single `host:port` every scheme uses; given a scheme when it has none.
fn server_for_https(server: &str) -> Option<String> {
    let server = server.trim();
    let chosen = if server.contains('=') {
        let entry = |scheme: &str| {
            server.split(';').find_map(|part| {
                let (k, v) = part.split_once('=')?;
                (k.trim().eq_ignore_ascii_case(scheme)).then(|| v.trim().to_owned())
            })
        };
        entry("https").or_else(|| entry("http"))?
    } else {
        server.to_owned()
    };
    if chosen.is_empty() {
        None
    } else if chosen.contains("://") {
        Some(chosen)
    } else {
        Some(format!("http://{chosen}"))
    }
}

/// The command that prints this platform's proxy setting, if it has one to ask.
pub fn command(platform: Platform) -> Option<(String, &'static [&'static str])> {
    match platform {
        Platform::MacOs => Some(("/usr/sbin/scutil".to_owned(), &["--proxy"])),
        Platform::Windows => Some((
            crate::platform::windows_tool("reg.exe", &|name| std::env::var(name).ok()),
            &[
                "query",
                r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings",
            ],
        )),
        Platform::Linux => None,
    }
}

/// Parses what [`command`] printed on `platform`.
pub fn parse(platform: Platform, text: &str) -> Option<SystemProxy> {
    match platform {
        Platform::MacOs => Some(parse_scutil(text)),
        Platform::Windows => Some(parse_reg_query(text)),
        Platform::Linux => None,
    }
}

/// This computer's proxy setting (`None` on Linux, or when the tool cannot be run).
pub fn read() -> Option<SystemProxy> {
    let platform = Platform::current();
    let (program, args) = command(platform)?;
    let mut cmd = std::process::Command::new(program);
    cmd.args(args)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    #[cfg(windows)]
    {
        // No console window flashes up behind the app.
        use std::os::windows::process::CommandExt;
        const CREATE_NO_WINDOW: u32 = 0x0800_0000;
        cmd.creation_flags(CREATE_NO_WINDOW);
    }
    let out = cmd.output().ok().filter(|o| o.status.success())?;
    parse(platform, &String::from_utf8_lossy(&out.stdout))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCUTIL: &str = "<dictionary> {
  ExceptionsList : <array> {
    0 : *.local
    1 : 169.254/16
  }
  FTPPassive : 1
  HTTPEnable : 1
  HTTPPort : 8080
  HTTPProxy : web.corp.example
  HTTPSEnable : 1
  HTTPSPort : 3128
  HTTPSProxy : secure.corp.example
  ProxyAutoConfigEnable : 0
  ProxyAutoConfigURLString : http://wpad.corp.example/wpad.dat
  __SCOPED__ : <dictionary> {
    en0 : <dictionary> {
      ExceptionsList : <array> {
        0 : *.local
        1 : 169.254/16
      }
      HTTPSEnable : 1
      HTTPSPort : 9999
      HTTPSProxy : scoped.corp.example
    }
  }
}
";

    #[test]
    fn macos_https_proxy_with_its_exceptions() {
        let p = parse(Platform::MacOs, SCUTIL).expect("macOS has a setting");
        assert_eq!(p.url.as_deref(), Some("http://secure.corp.example:3128"));
        // As the proxy matcher reads them: a suffix, and a network in full.
        assert_eq!(p.no_proxy.as_deref(), Some(".local,169.254.0.0/16"));
        assert_eq!(p.pac_url, None, "the PAC file is not enabled");
        let http_only = SCUTIL.replace("HTTPSEnable : 1", "HTTPSEnable : 0");
        assert_eq!(
            parse_scutil(&http_only).url.as_deref(),
            Some("http://web.corp.example:8080")
        );
        let pac = SCUTIL
            .replace("HTTPSEnable : 1", "HTTPSEnable : 0")
            .replace("HTTPEnable : 1", "HTTPEnable : 0")
            .replace("ProxyAutoConfigEnable : 0", "ProxyAutoConfigEnable : 1");
        let p = parse_scutil(&pac);
        assert_eq!(p.url, None);
        assert_eq!(
            p.pac_url.as_deref(),
            Some("http://wpad.corp.example/wpad.dat")
        );
        assert_eq!(
            parse_scutil("<dictionary> {\n  HTTPEnable : 0\n}\n"),
            SystemProxy::default()
        );
    }

    const REG: &str = "
HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings
    CertificateRevocation    REG_DWORD    0x1
    ProxyEnable    REG_DWORD    0x1
    ProxyServer    REG_SZ    proxy.corp.example:8080
    ProxyOverride    REG_SZ    *.corp.example;<local>
";

    #[test]
    fn windows_proxy_server_in_each_form_with_its_overrides() {
        let p = parse(Platform::Windows, REG).expect("Windows has a setting");
        assert_eq!(p.url.as_deref(), Some("http://proxy.corp.example:8080"));
        assert_eq!(
            p.no_proxy.as_deref(),
            Some(".corp.example,localhost,127.0.0.1,::1")
        );
        let wildcard = REG.replace("*.corp.example;<local>", "10.*;192.168.*;intranet");
        assert_eq!(
            parse_reg_query(&wildcard).no_proxy.as_deref(),
            Some("10.0.0.0/8,192.168.0.0/16,intranet")
        );
        let per_scheme = REG.replace(
            "proxy.corp.example:8080",
            "http=web.corp.example:80;https=secure.corp.example:3128;ftp=f:21",
        );
        assert_eq!(
            parse_reg_query(&per_scheme).url.as_deref(),
            Some("http://secure.corp.example:3128")
        );
        let http_only = REG.replace("proxy.corp.example:8080", "http=web.corp.example:80");
        assert_eq!(
            parse_reg_query(&http_only).url.as_deref(),
            Some("http://web.corp.example:80")
        );
        let off = REG.replace("0x1\n    ProxyServer", "0x0\n    ProxyServer");
        assert_eq!(parse_reg_query(&off), SystemProxy::default());
        let pac = format!("{off}    AutoConfigURL    REG_SZ    http://wpad/wpad.dat\n");
        assert_eq!(
            parse_reg_query(&pac).pac_url.as_deref(),
            Some("http://wpad/wpad.dat")
        );
    }

    #[test]
    fn linux_asks_no_tool() {
        assert_eq!(command(Platform::Linux), None);
        assert_eq!(parse(Platform::Linux, SCUTIL), None);
        assert!(command(Platform::MacOs).is_some() && command(Platform::Windows).is_some());
    }
}
