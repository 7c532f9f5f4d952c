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

/// The home folders the AWS tools read `~/.aws/sso/cache` under: `HOME` on macOS and Linux.
/// On Windows the AWS CLI (Python) reads `USERPROFILE` (else `HOMEDRIVE` + `HOMEPATH`) and
/// the SDKs read `HOME` first when it is set (Git Bash, Cygwin): both, when they differ.
pub fn sdk_homes(windows: bool, var: &dyn Fn(&str) -> Option<String>) -> Vec<PathBuf> {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    let home = set("HOME").map(PathBuf::from);
    if !windows {
        return home.into_iter().collect();
    }
    let profile = set("USERPROFILE").map(PathBuf::from).or_else(|| {
        match (set("HOMEDRIVE"), set("HOMEPATH")) {
            (Some(drive), Some(path)) => Some(format!("{drive}{path}").into()),
            _ => None,
        }
    });
    let mut homes: Vec<PathBuf> = profile.into_iter().chain(home).collect();
    homes.dedup();
    homes
}

/// The `~/.aws/sso/cache` folders of this computer.
pub fn cache_dirs() -> Result<Vec<PathBuf>> {
    let mut homes = sdk_homes(cfg!(windows), &|name| std::env::var(name).ok());
    if homes.is_empty() {
        homes.extend(dirs::home_dir());
    }
    if homes.is_empty() {
        return Err(CoreError::invalid(
            "AWS CLI sign-in",
            "no home folder to share it in",
        ));
    }
    Ok(homes
        .into_iter()
        .map(|h| h.join(".aws").join("sso").join("cache"))
        .collect())
}

/// The cache files of the sign-in at `start_url`: every identifier in every cache folder.
fn cache_files(start_url: &str) -> Result<Vec<PathBuf>> {
    let ids = identifiers(&read_or_empty(&config_path()?)?, start_url);
    Ok(cache_dirs()?
        .iter()
        .flat_map(|dir| ids.iter().map(|id| dir.join(file_name(id))))
        .collect())
}

/// A token's fingerprint (SHA-1, hex): kept in the settings to recognise Sluice's own files
/// without keeping the token there.
pub fn fingerprint(token: &str) -> String {
    Sha1::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The access token a cache file holds, if it reads as one.
fn token_in(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["accessToken"].as_str().map(str::to_owned)
}

/// Deletes those of `paths` that still hold a token of Sluice's — one whose fingerprint is in
/// `ours` (a file the AWS CLI wrote since, with its own sign-in, stays). Missing files are
/// fine.
pub fn remove_ours(paths: &[PathBuf], ours: &[String]) -> Result<()> {
    for path in paths {
        let mine = token_in(path).is_some_and(|t| ours.contains(&fingerprint(&t)));
        if !mine {
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
    /// Asked for by the person, so a file that cannot be written or deleted is an error —
    /// and, for a share that could not be written, the problem the status shows.
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
            if let Err(e) = self.write_aws_cli_cache(None) {
                self.record_aws_cli_problem(&e)?;
                return Err(e);
            }
        }
        self.sso_status()
    }

    /// Writes the current token into the AWS CLI's cache, when sharing is on and signed in.
    /// Each file is recorded before it is written, so one written is always one Sluice can
    /// delete; files written before for identifiers no longer in the config are deleted
    /// while they hold one of Sluice's tokens (`previous`: the one being replaced).
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
        let paths = cache_files(&sign_in.start_url)?;
        let mut ours: Vec<String> = saved.aws_cli_tokens.clone();
        ours.push(fingerprint(token.expose()));
        ours.extend(previous.map(|p| fingerprint(p.expose())));
        ours.dedup();
        let recorded: Vec<String> = paths
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        self.settings().update(|s: &mut SsoSettings| {
            for p in &recorded {
                if !s.aws_cli_files.contains(p) {
                    s.aws_cli_files.push(p.clone());
                }
            }
            // Every token that may still be in one of the files, until they are rewritten.
            s.aws_cli_tokens = ours.clone();
            Ok(())
        })?;
        for path in &paths {
            write_private(path, json.expose().as_bytes())?;
        }
        let dropped: Vec<PathBuf> = saved
            .aws_cli_files
            .iter()
            .filter(|p| !recorded.contains(p))
            .map(PathBuf::from)
            .collect();
        remove_ours(&dropped, &ours)?;
        let now = fingerprint(token.expose());
        self.settings().update(|s: &mut SsoSettings| {
            s.aws_cli_files = recorded.clone();
            s.aws_cli_tokens = vec![now.clone()];
            s.aws_cli_problem = None;
            Ok(())
        })?;
        Ok(())
    }

    /// Deletes the AWS CLI cache files Sluice wrote that still hold one of its tokens (one
    /// written, or one of `tokens`), and forgets them. Files written before Sluice kept a
    /// record are found by the sign-in's identifiers.
    pub(super) fn remove_aws_cli_cache(&self, tokens: &[&Sensitive<String>]) -> Result<()> {
        let saved: SsoSettings = self.settings().read()?;
        let mut paths: Vec<PathBuf> = saved.aws_cli_files.iter().map(PathBuf::from).collect();
        if paths.is_empty() && saved.share_with_aws_cli {
            if let Some(sign_in) = &saved.sso_sign_in {
                paths = cache_files(&sign_in.start_url)?;
            }
        }
        let mut ours = saved.aws_cli_tokens.clone();
        ours.extend(tokens.iter().map(|t| fingerprint(t.expose())));
        if let Some(sign_in) = &saved.sso_sign_in {
            let current = SsoSecrets {
                store: self.secrets(),
            }
            .access_token(&sign_in.start_url)?;
            ours.extend(current.map(|t| fingerprint(t.expose())));
        }
        remove_ours(&paths, &ours)?;
        self.settings().update(|s: &mut SsoSettings| {
            s.aws_cli_files.clear();
            s.aws_cli_tokens.clear();
            Ok(())
        })
    }

    /// Sharing is a courtesy to other tools: a cache file that cannot be written or deleted
    /// never stops a sign-in, a refresh or a sign-out. The problem is kept for the status
    /// (the app shows it beside the sharing switch).
    pub(super) fn note_aws_cli_problem(&self, result: Result<()>) -> Result<()> {
        match result {
            Ok(()) => Ok(()),
            Err(e) => self.record_aws_cli_problem(&e),
        }
    }

    fn record_aws_cli_problem(&self, e: &CoreError) -> Result<()> {
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
    fn the_home_folders_follow_each_platforms_tools() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let both = env(&[("HOME", "/home/ana"), ("USERPROFILE", "C:\\Users\\ana")]);
        assert_eq!(sdk_homes(false, &both), [PathBuf::from("/home/ana")]);
        assert!(sdk_homes(false, &env(&[("USERPROFILE", "C:\\x")])).is_empty());
        // Windows: the AWS CLI's USERPROFILE, and the SDKs' HOME when it is set apart.
        assert_eq!(
            sdk_homes(true, &both),
            [PathBuf::from("C:\\Users\\ana"), PathBuf::from("/home/ana")]
        );
        let drive = env(&[("HOMEDRIVE", "D:"), ("HOMEPATH", "\\Users\\ana")]);
        assert_eq!(sdk_homes(true, &drive), [PathBuf::from("D:\\Users\\ana")]);
        let same = env(&[("USERPROFILE", "C:\\h"), ("HOME", "C:\\h")]);
        assert_eq!(sdk_homes(true, &same), [PathBuf::from("C:\\h")]);
        assert!(sdk_homes(true, &env(&[("HOMEDRIVE", "D:")])).is_empty());
    }

    #[test]
    fn only_files_that_still_hold_sluices_token_are_removed() {
        let dir = tempfile::tempdir().expect("dir");
        let files = [dir.path().join("a.json"), dir.path().join("b.json")];
        std::fs::write(&files[0], r#"{"accessToken":"ours"}"#).expect("write");
        // The AWS CLI signed in itself since: its file stays.
        std::fs::write(&files[1], r#"{"accessToken":"the-cli-s-own"}"#).expect("write");
        let ours = [fingerprint("ours")];
        remove_ours(&files, &ours).expect("remove");
        remove_ours(&files, &ours).expect("remove again");
        assert!(!files[0].exists());
        assert!(files[1].exists());
        assert_eq!(
            fingerprint("abc"),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
    }
}
