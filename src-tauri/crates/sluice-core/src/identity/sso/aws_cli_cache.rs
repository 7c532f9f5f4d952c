//! Sharing the sign-in with the AWS CLI and the SDK tools, only when the person asks for it:
//! the AWS CLI's token cache, `~/.aws/sso/cache/<sha1 of the start URL or sso-session
//! name>.json`. Sluice writes the access token, its expiry, the start URL and the region —
//! never the refresh token or its client secret, which stay in the OS keyring — rewrites the
//! file when it refreshes the token, and deletes it at Sign out or when sharing stops. The
//! file is written atomically, readable by its owner only.

use std::path::{Path, PathBuf};

use sha1::{Digest, Sha1};

use super::saved::{SsoSecrets, SsoSettings};
use super::SsoStatus;
use crate::aws::shared_files::{config_path, read_or_empty};
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::files::atomic::{file_error, write_private};
use crate::sensitive::Sensitive;

/// The cache file of `identifier` (a start URL, or an `sso-session` name), as every AWS SDK
/// names it: the lowercase hex SHA-1 of the identifier, `.json`.
pub fn file_name(identifier: &str) -> String {
    let hex: String = Sha1::digest(identifier.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{hex}.json")
}

/// The identifiers tools look the sign-in up by: the start URL (profiles that name it
/// themselves) and every `[sso-session NAME]` of the config text that signs in there.
pub fn identifiers(config_text: &str, start_url: &str) -> Vec<String> {
    let mut out = vec![start_url.to_owned()];
    for line in config_text.lines() {
        let Some(header) = line
            .trim()
            .strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
        else {
            continue;
        };
        let mut words = header.split_whitespace();
        let (Some("sso-session"), Some(name), None) = (words.next(), words.next(), words.next())
        else {
            continue;
        };
        let same_portal =
            crate::identity::profiles::section(config_text, &format!("sso-session {name}"))
                .iter()
                .any(|(k, v)| {
                    k == "sso_start_url"
                        && v.trim_end_matches('/') == start_url.trim_end_matches('/')
                });
        if same_portal && !out.iter().any(|o| o == name) {
            out.push(name.to_owned());
        }
    }
    out
}

/// The cache file's text (the AWS CLI's field names; the expiry in RFC 3339, UTC).
pub fn token_json(
    start_url: &str,
    region: &str,
    access_token: &Sensitive<String>,
    expires_at: i64,
) -> Sensitive<String> {
    let expires = aws_smithy_types::DateTime::from_secs(expires_at)
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default();
    Sensitive::new(
        serde_json::json!({
            "startUrl": start_url,
            "region": region,
            "accessToken": access_token.expose(),
            "expiresAt": expires,
        })
        .to_string(),
    )
}

/// The home folder the AWS CLI uses for `~/.aws/sso/cache`: `HOME` on macOS and Linux; on
/// Windows `USERPROFILE`, else `HOMEDRIVE` + `HOMEPATH` (as Python finds it), else `HOME`.
pub fn sdk_home(windows: bool, var: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    if !windows {
        return set("HOME").map(PathBuf::from);
    }
    if let Some(profile) = set("USERPROFILE") {
        return Some(profile.into());
    }
    match (set("HOMEDRIVE"), set("HOMEPATH")) {
        (Some(drive), Some(path)) => Some(format!("{drive}{path}").into()),
        _ => set("HOME").map(PathBuf::from),
    }
}

/// `~/.aws/sso/cache` of this computer.
pub fn cache_dir() -> Result<PathBuf> {
    let home = sdk_home(cfg!(windows), &|name| std::env::var(name).ok())
        .or_else(dirs::home_dir)
        .ok_or_else(|| CoreError::invalid("AWS CLI sign-in", "no home folder to share it in"))?;
    Ok(home.join(".aws").join("sso").join("cache"))
}

/// Writes the token under every identifier; returns the files written.
pub fn write(dir: &Path, identifiers: &[String], json: &Sensitive<String>) -> Result<Vec<PathBuf>> {
    identifiers
        .iter()
        .map(|id| {
            let path = dir.join(file_name(id));
            write_private(&path, json.expose().as_bytes())?;
            Ok(path)
        })
        .collect()
}

/// The access token a cache file holds, if it reads as one.
fn token_in(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["accessToken"].as_str().map(str::to_owned)
}

/// Deletes those of `paths` that still hold one of Sluice's `tokens` (a file the AWS CLI
/// wrote since, with its own sign-in, stays). Missing files are fine.
pub fn remove_ours(paths: &[PathBuf], tokens: &[&Sensitive<String>]) -> Result<()> {
    for path in paths {
        let ours = token_in(path).is_some_and(|t| tokens.iter().any(|o| o.expose() == &t));
        if !ours {
            continue;
        }
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(file_error(path, e)),
        }
    }
    Ok(())
}

impl Sluice {
    /// Shares the sign-in with the AWS CLI and the SDK tools from now on (the token file is
    /// written now when signed in, and again at every refresh), or stops (Sluice's files go).
    /// Asked for by the person, so a file that cannot be written or deleted is an error.
    pub fn sso_share_with_aws_cli(&self, share: bool) -> Result<SsoStatus> {
        if !share {
            self.remove_aws_cli_cache(&[])?;
        }
        self.settings().update(|s: &mut SsoSettings| {
            s.share_with_aws_cli = share;
            s.aws_cli_problem = None;
            Ok(())
        })?;
        if share {
            self.write_aws_cli_cache(None)?;
        }
        self.sso_status()
    }

    /// Writes the current token into the AWS CLI's cache, when sharing is on and signed in,
    /// and records the files. Files written before for identifiers no longer in the config
    /// are deleted when they hold `previous` (the token being replaced) or the current one.
    pub(super) fn write_aws_cli_cache(&self, previous: Option<&Sensitive<String>>) -> Result<()> {
        let saved: SsoSettings = self.settings().read()?;
        let Some(sign_in) = saved.sso_sign_in.filter(|_| saved.share_with_aws_cli) else {
            return Ok(());
        };
        let secrets = SsoSecrets {
            store: self.secrets(),
        };
        let Some(token) = secrets.access_token(&sign_in.start_url)? else {
            return Ok(());
        };
        let json = token_json(
            &sign_in.start_url,
            &sign_in.region,
            &token,
            sign_in.token_expires_at,
        );
        let ids = identifiers(&read_or_empty(&config_path()?)?, &sign_in.start_url);
        let written = write(&cache_dir()?, &ids, &json)?;
        let dropped: Vec<PathBuf> = saved
            .aws_cli_files
            .iter()
            .map(PathBuf::from)
            .filter(|p| !written.contains(p))
            .collect();
        let mut tokens = vec![&token];
        tokens.extend(previous);
        remove_ours(&dropped, &tokens)?;
        self.settings().update(|s: &mut SsoSettings| {
            s.aws_cli_files = written
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            s.aws_cli_problem = None;
            Ok(())
        })?;
        Ok(())
    }

    /// Deletes the AWS CLI cache files Sluice wrote that still hold its token (the current
    /// one, or one of `tokens`), and forgets them.
    pub(super) fn remove_aws_cli_cache(&self, tokens: &[&Sensitive<String>]) -> Result<()> {
        let saved: SsoSettings = self.settings().read()?;
        if saved.aws_cli_files.is_empty() {
            return Ok(());
        }
        let current = match &saved.sso_sign_in {
            Some(s) => SsoSecrets {
                store: self.secrets(),
            }
            .access_token(&s.start_url)?,
            None => None,
        };
        let mut all: Vec<&Sensitive<String>> = tokens.to_vec();
        all.extend(current.as_ref());
        let paths: Vec<PathBuf> = saved.aws_cli_files.iter().map(PathBuf::from).collect();
        remove_ours(&paths, &all)?;
        self.settings().update(|s: &mut SsoSettings| {
            s.aws_cli_files.clear();
            Ok(())
        })
    }

    /// Sharing is a courtesy to other tools: a cache file that cannot be written or deleted
    /// never stops a sign-in, a refresh or a sign-out. The problem is kept for the status
    /// (the app shows it beside the sharing switch).
    pub(super) fn note_aws_cli_problem(&self, result: Result<()>) -> Result<()> {
        let Err(e) = result else {
            return Ok(());
        };
        self.settings().update(|s: &mut SsoSettings| {
            s.aws_cli_problem = Some(format!("sharing with the AWS CLI: {e}"));
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_as_the_sdks_name_them() {
        // As `printf corp | sha1sum` gives it.
        assert_eq!(
            file_name("corp"),
            "ee0bfd2552fbd840c02cc48b6e823320543c450f.json"
        );
        assert_eq!(
            file_name("abc"),
            "a9993e364706816aba3e25717850c26c9cd0d89d.json"
        );
    }

    #[test]
    fn every_session_of_the_same_portal_is_an_identifier() {
        let config = "\
[profile corp]
sso_session = corp
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start/
sso_region = eu-west-1
[sso-session other]
sso_start_url = https://other.awsapps.com/start
[sso-session  corp-admin ]
sso_start_url = https://corp.awsapps.com/start
";
        assert_eq!(
            identifiers(config, "https://corp.awsapps.com/start"),
            ["https://corp.awsapps.com/start", "corp", "corp-admin"]
        );
        assert_eq!(identifiers("", "https://x.awsapps.com/start").len(), 1);
    }

    #[test]
    fn the_file_holds_the_token_and_its_expiry_but_no_refresh_token() {
        let json = token_json(
            "https://corp.awsapps.com/start",
            "eu-west-1",
            &Sensitive::new("the-access-token".into()),
            1_800_000_000,
        );
        let v: serde_json::Value = serde_json::from_str(json.expose()).expect("json");
        assert_eq!(v["accessToken"], "the-access-token");
        assert_eq!(v["expiresAt"], "2027-01-15T08:00:00Z");
        assert_eq!(v["region"], "eu-west-1");
        assert!(v.get("refreshToken").is_none() && v.get("clientSecret").is_none());
    }

    #[test]
    fn the_home_folder_follows_each_platforms_sdk_rule() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let unix = env(&[("HOME", "/home/ana"), ("USERPROFILE", "C:\\Users\\ana")]);
        assert_eq!(sdk_home(false, &unix), Some("/home/ana".into()));
        assert_eq!(sdk_home(false, &env(&[("USERPROFILE", "C:\\x")])), None);
        // Windows: USERPROFILE before HOME, as the AWS CLI (Python) reads it.
        assert_eq!(sdk_home(true, &unix), Some("C:\\Users\\ana".into()));
        let drive = env(&[
            ("HOMEDRIVE", "D:"),
            ("HOMEPATH", "\\Users\\ana"),
            ("HOME", "C:\\h"),
        ]);
        assert_eq!(sdk_home(true, &drive), Some("D:\\Users\\ana".into()));
        assert_eq!(
            sdk_home(true, &env(&[("HOME", "C:\\h")])),
            Some("C:\\h".into())
        );
        assert_eq!(sdk_home(true, &env(&[("HOMEDRIVE", "D:")])), None);
    }

    #[test]
    fn writing_then_removing_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("dir");
        let cache = dir.path().join(".aws/sso/cache");
        let ids = vec![
            "https://corp.awsapps.com/start".to_string(),
            "corp".to_string(),
        ];
        let json = Sensitive::new("{}".to_string());
        let written = write(&cache, &ids, &json).expect("write");
        assert_eq!(written.len(), 2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&written[0])
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
        // A file the AWS CLI rewrote with its own sign-in stays; Sluice's own goes.
        std::fs::write(&written[1], r#"{"accessToken":"the-cli-s-own"}"#).expect("rewrite");
        let ours = Sensitive::new("ours".to_string());
        std::fs::write(&written[0], r#"{"accessToken":"ours"}"#).expect("write");
        remove_ours(&written, &[&ours]).expect("remove");
        remove_ours(&written, &[&ours]).expect("remove again");
        assert!(!written[0].exists());
        assert!(written[1].exists());
    }
}
