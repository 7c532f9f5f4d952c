//! The profiles of `~/.aws/config` and `~/.aws/credentials`, and what each one is, so a
//! person picks one from a list instead of typing a name they may not know.
//!
//! Only names and kinds leave this file: no key, token or `credential_process` command is
//! ever read into a [`ProfileInfo`].

use serde::Serialize;

use crate::context::Sluice;
use crate::error::Result;

/// How a profile gets its credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ProfileKind {
    /// IAM Identity Center (`sso_session` or `sso_start_url`).
    Sso,
    /// A role assumed from another profile or source (`role_arn`).
    Role,
    /// A program prints the credentials (`credential_process`).
    CredentialProcess,
    /// `aws login` (`login_session`).
    Login,
    /// Long-term access keys.
    AccessKeys,
    /// Access keys with a session token (they expire).
    TemporaryKeys,
    /// Settings only (a region, an output format): credentials come from elsewhere.
    NoCredentials,
}

/// One profile, as the picker shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ProfileInfo {
    pub name: String,
    pub kind: ProfileKind,
    pub region: Option<String>,
    /// The SSO start URL or session, or the role ARN (and where it starts from).
    pub detail: Option<String>,
}

/// `(profile, key, value)` of an INI text; `config` names sections `[profile NAME]` (and
/// `[default]`), the credentials file `[NAME]`. Other sections (`[sso-session …]`,
/// `[services …]`) and nested settings are skipped.
fn entries(text: &str, config: bool) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let header = header.trim();
            current = if !config || header == "default" {
                Some(header.to_string())
            } else {
                header
                    .strip_prefix("profile ")
                    .map(|name| name.trim().to_string())
            };
            continue;
        }
        if let (Some(profile), Some((key, value))) = (&current, line.split_once('=')) {
            out.push((
                profile.clone(),
                key.trim().to_ascii_lowercase(),
                value.trim().to_string(),
            ));
        }
    }
    out
}

/// Where an IAM Identity Center profile signs in, and the role it uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoProfile {
    pub start_url: String,
    pub region: String,
    pub account_id: Option<String>,
    pub role_name: Option<String>,
}

/// The `key = value` lines of the section headed exactly `[header]`.
pub(crate) fn section(text: &str, header: &str) -> Vec<(String, String)> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let line = line.trim();
        if let Some(h) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = h.split_whitespace().collect::<Vec<_>>().join(" ") == header;
            continue;
        }
        if let (true, Some((k, v))) = (inside, line.split_once('=')) {
            out.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    out
}

/// The `key = value` lines of profile `name` in the config text (`[default]` or
/// `[profile NAME]`).
pub fn profile_section(config_text: &str, name: &str) -> Vec<(String, String)> {
    let header = if name == "default" {
        "default".to_string()
    } else {
        format!("profile {name}")
    };
    section(config_text, &header)
}

/// The IAM Identity Center settings of profile `name` in the config text: from its
/// `[sso-session …]` or from the profile itself (the legacy form). `None` for any other kind.
pub fn sso_profile(config_text: &str, name: &str) -> Option<SsoProfile> {
    let profile = profile_section(config_text, name);
    let get = |from: &[(String, String)], key: &str| {
        from.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let portal = match get(&profile, "sso_session") {
        Some(session) => section(config_text, &format!("sso-session {session}")),
        None => profile.clone(),
    };
    Some(SsoProfile {
        start_url: get(&portal, "sso_start_url")?,
        region: get(&portal, "sso_region")?,
        account_id: get(&profile, "sso_account_id"),
        role_name: get(&profile, "sso_role_name"),
    })
}

/// Every profile of the two files, by name, with its kind.
pub fn list(config_text: &str, credentials_text: &str) -> Vec<ProfileInfo> {
    let mut all = entries(config_text, true);
    all.extend(entries(credentials_text, false));
    let mut names: Vec<String> = all.iter().map(|(p, _, _)| p.clone()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|name| crate::validate::profile_name(name).is_ok())
        .map(|name| {
            let get = |key: &str| {
                all.iter()
                    .find(|(p, k, _)| *p == name && k == key)
                    .map(|(_, _, v)| v.clone())
            };
            let has = |key: &str| get(key).is_some();
            let (kind, detail) = if has("sso_session") || has("sso_start_url") {
                (
                    ProfileKind::Sso,
                    sso_profile(config_text, &name)
                        .map(|p| p.start_url)
                        .or_else(|| get("sso_start_url"))
                        .or_else(|| get("sso_session")),
                )
            } else if let Some(role) = get("role_arn") {
                let from = get("source_profile")
                    .map(|p| format!(" from profile {p}"))
                    .or_else(|| get("credential_source").map(|s| format!(" from {s}")))
                    .unwrap_or_default();
                (ProfileKind::Role, Some(format!("{role}{from}")))
            } else if has("credential_process") {
                (ProfileKind::CredentialProcess, None)
            } else if has("login_session") {
                (ProfileKind::Login, None)
            } else if has("aws_access_key_id") && has("aws_session_token") {
                (ProfileKind::TemporaryKeys, None)
            } else if has("aws_access_key_id") {
                (ProfileKind::AccessKeys, None)
            } else {
                (ProfileKind::NoCredentials, None)
            };
            ProfileInfo {
                region: get("region"),
                name,
                kind,
                detail,
            }
        })
        .collect()
}

impl Sluice {
    /// The IAM Identity Center settings of profile `name`, if it is an SSO profile.
    pub fn aws_sso_profile(&self, name: &str) -> Result<Option<SsoProfile>> {
        use crate::aws::shared_files::{config_path, read_or_empty};
        Ok(sso_profile(&read_or_empty(&config_path()?)?, name))
    }

    /// The profiles of the shared AWS files (missing files are empty).
    pub fn aws_profiles(&self) -> Result<Vec<ProfileInfo>> {
        use crate::aws::shared_files::{config_path, credentials_path, read_or_empty};
        Ok(list(
            &read_or_empty(&config_path()?)?,
            &read_or_empty(&credentials_path()?)?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
[default]
region = eu-west-1

[profile corp]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile legacy-sso]
sso_start_url = https://old.awsapps.com/start

[profile vendor]
role_arn = arn:aws:iam::210987654321:role/vendor-read
source_profile = default
s3 =
  max_concurrent_requests = 4

[profile tool]
credential_process = /usr/local/bin/get-creds --secret s3cr3t

[profile browser]
login_session = arn:aws:iam::123456789012:user/me

[services local]
s3 =
  endpoint_url = http://127.0.0.1:5000
";

    const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

# pasted from the portal
[123456789012_ReadOnly]
aws_access_key_id=ASIAIOSFODNN7EXAMPLE
aws_secret_access_key=secret
aws_session_token=token
";

    #[test]
    fn every_kind_is_told_apart_and_no_secret_is_kept() {
        let found = list(CONFIG, CREDENTIALS);
        let kind = |name: &str| {
            found
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.kind)
                .unwrap_or_else(|| panic!("{name} missing from {found:?}"))
        };
        assert_eq!(kind("default"), ProfileKind::AccessKeys);
        assert_eq!(kind("corp"), ProfileKind::Sso);
        assert_eq!(kind("legacy-sso"), ProfileKind::Sso);
        assert_eq!(kind("vendor"), ProfileKind::Role);
        assert_eq!(kind("tool"), ProfileKind::CredentialProcess);
        assert_eq!(kind("browser"), ProfileKind::Login);
        assert_eq!(kind("123456789012_ReadOnly"), ProfileKind::TemporaryKeys);
        assert_eq!(
            found.len(),
            7,
            "sso-session and services sections are not profiles"
        );
        let default = found.iter().find(|p| p.name == "default").expect("default");
        assert_eq!(default.region.as_deref(), Some("eu-west-1"));
        let vendor = found.iter().find(|p| p.name == "vendor").expect("vendor");
        assert_eq!(
            vendor.detail.as_deref(),
            Some("arn:aws:iam::210987654321:role/vendor-read from profile default")
        );
        let printed = serde_json::to_string(&found).expect("json");
        for secret in ["wJalrXUtnFEMI", "s3cr3t", "token\"", "AKIAIOSFODNN7EXAMPLE"] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
    }

    #[test]
    fn sso_profiles_give_their_portal_from_the_session_or_themselves() {
        let corp = sso_profile(CONFIG, "corp").expect("corp");
        assert_eq!(corp.start_url, "https://corp.awsapps.com/start");
        assert_eq!(corp.region, "us-east-1");
        assert_eq!(corp.account_id.as_deref(), Some("123456789012"));
        assert_eq!(corp.role_name.as_deref(), Some("ReadOnly"));
        // The legacy form needs its own sso_region; without one it cannot sign in.
        assert_eq!(sso_profile(CONFIG, "legacy-sso"), None);
        let legacy = sso_profile(
            "[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = eu-west-1\n",
            "old",
        )
        .expect("legacy");
        assert_eq!(legacy.region, "eu-west-1");
        assert_eq!(legacy.account_id, None);
        assert_eq!(sso_profile(CONFIG, "vendor"), None);
        assert_eq!(sso_profile(CONFIG, "missing"), None);
    }

    #[test]
    fn empty_or_odd_files_give_what_they_hold() {
        assert!(list("", "").is_empty());
        let odd = list(
            "[profile]\nregion=x\n[profile ok]\nregion = y\nno equals here\n",
            "",
        );
        assert_eq!(odd.len(), 1);
        assert_eq!(odd[0].name, "ok");
        assert_eq!(odd[0].kind, ProfileKind::NoCredentials);
    }
}
