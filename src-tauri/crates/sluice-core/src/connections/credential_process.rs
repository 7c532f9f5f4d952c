//! Using a connection from other tools: the AWS `credential_process` JSON, and a
//! `[profile NAME]` entry for `~/.aws/config` that runs `sluice credentials`.
//!
//! The profile entry holds only the command line, never a secret; it is shown as a diff and
//! written atomically.

use std::path::Path;

use aws_credential_types::provider::ProvideCredentials;
use serde::Serialize;

use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::platform::Platform;
use crate::validate;

/// The AWS CLI's credential_process output (Version 1). Serializes secrets on purpose: it is
/// only ever printed to the stdout of `sluice credentials` for the AWS tool that ran it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ProcessCredentials {
    version: u8,
    access_key_id: String,
    secret_access_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration: Option<String>,
}

impl Sluice {
    /// The credential_process JSON for a connection (its role session, else its source).
    pub async fn process_credentials(&self, name: &str) -> Result<String> {
        let clients = self.connection_clients(name).await?;
        let provider = clients.sdk_config().credentials_provider().ok_or_else(|| {
            CoreError::NoCredentials {
                detail: "no credentials provider".into(),
            }
        })?;
        let c = provider.provide_credentials().await.map_err(|e| {
            match std::error::Error::source(&e).and_then(|s| s.downcast_ref::<CoreError>()) {
                // A code is needed: said as such, so the CLI asks or names --mfa-code.
                Some(CoreError::Mfa {
                    serial,
                    reason,
                    connection,
                }) => CoreError::Mfa {
                    serial: serial.clone(),
                    reason: reason.clone(),
                    connection: connection.clone(),
                },
                Some(core) => CoreError::AccessDenied {
                    action: "sts:AssumeRole".into(),
                    message: core.to_string(),
                },
                None => CoreError::NoCredentials {
                    detail: aws_smithy_types::error::display::DisplayErrorContext(&e).to_string(),
                },
            }
        })?;
        let body = ProcessCredentials {
            version: 1,
            access_key_id: c.access_key_id().to_string(),
            secret_access_key: c.secret_access_key().to_string(),
            session_token: c.session_token().map(str::to_string),
            expiration: c.expiry().map(|t| {
                aws_smithy_types::DateTime::from(t)
                    .fmt(aws_smithy_types::date_time::Format::DateTime)
                    .unwrap_or_default()
            }),
        };
        serde_json::to_string(&body).map_err(|e| CoreError::Internal {
            detail: e.to_string(),
        })
    }
}

/// A planned change to `~/.aws/config`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ProfilePlan {
    pub path: String,
    pub profile: String,
    /// `-` / `+` lines for the section that changes.
    pub diff: String,
    pub changed: bool,
    #[serde(skip)]
    pub new_text: String,
}

/// One argument of a `credential_process` line, quoted for the platform that runs it. The
/// AWS SDKs hand the line to the shell — `sh -c` on Linux and macOS, `cmd.exe /C` on
/// Windows — and the AWS CLI splits it the same way, so:
/// - Linux, macOS: plain when safe, else in single quotes (nothing inside is expanded: not
///   `$`, not a backtick, not a backslash), a `'` written as `'\''`;
/// - Windows: plain when safe, else in double quotes with backslashes kept as they are
///   (`"C:\Program Files\Sluice\sluice.exe"`); a `"` cannot be in a Windows path, and `%`
///   would be expanded by cmd.exe, so neither is accepted.
pub fn quote(arg: &str, platform: Platform) -> Result<String> {
    let safe = |c: char| c.is_ascii_alphanumeric() || "/._-:=@+,".contains(c);
    if platform.is_windows() {
        if arg.contains(['"', '%']) || arg.chars().any(char::is_control) {
            return Err(CoreError::invalid(
                "credential_process",
                format!(
                    "'{arg}' holds a character the Windows command line cannot carry (\" or %)"
                ),
            ));
        }
        let safe = |c: char| safe(c) || c == '\\';
        return Ok(if !arg.is_empty() && arg.chars().all(safe) {
            arg.to_string()
        } else {
            format!("\"{arg}\"")
        });
    }
    if arg.chars().any(char::is_control) {
        return Err(CoreError::invalid(
            "credential_process",
            format!("'{}' holds a control character", arg.escape_default()),
        ));
    }
    Ok(if !arg.is_empty() && arg.chars().all(safe) {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    })
}

/// Replaces (or appends) `[profile NAME]` in `current` with a credential_process entry.
pub fn plan_profile(
    path: &Path,
    current: &str,
    profile: &str,
    command: &[String],
    region: Option<&str>,
    platform: Platform,
) -> Result<ProfilePlan> {
    validate::profile_name(profile)?;
    let header = format!("[profile {profile}]");
    let line = command
        .iter()
        .map(|a| quote(a, platform))
        .collect::<Result<Vec<_>>>()?
        .join(" ");
    let mut section = vec![header.clone(), format!("credential_process = {line}")];
    if let Some(r) = region {
        section.push(format!("region = {r}"));
    }

    let lines: Vec<&str> = current.lines().collect();
    // Every section with this header: the first is replaced, any later copy (whose values
    // the AWS CLI would read instead) is removed.
    let sections: Vec<(usize, usize)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.trim() == header)
        .map(|(s, _)| {
            let end = lines[s + 1..]
                .iter()
                .position(|l| l.trim_start().starts_with('['))
                .map_or(lines.len(), |i| s + 1 + i);
            // Keep blank lines that separate sections outside the replaced block.
            let mut old_end = end;
            while old_end > s + 1 && lines[old_end - 1].trim().is_empty() {
                old_end -= 1;
            }
            (s, old_end)
        })
        .collect();
    let in_section = |i: usize| sections.iter().any(|&(s, e)| (s..e).contains(&i));
    let old: Vec<&str> = sections
        .iter()
        .flat_map(|&(s, e)| lines[s..e].iter().copied())
        .collect();
    let mut out: Vec<String> = Vec::new();
    match sections.first() {
        Some(&(first, _)) => {
            for (i, l) in lines.iter().enumerate() {
                if i == first {
                    out.extend(section.iter().cloned());
                } else if !in_section(i) {
                    out.push(l.to_string());
                }
            }
        }
        None => {
            out.extend(lines.iter().map(|l| l.to_string()));
            if out.last().is_some_and(|l| !l.trim().is_empty()) {
                out.push(String::new());
            }
            out.extend(section.iter().cloned());
        }
    }
    let mut new_text = out.join("\n");
    new_text.push('\n');

    let diff: Vec<String> = old
        .iter()
        .filter(|l| !section.iter().any(|n| n == *l))
        .map(|l| format!("- {l}"))
        .chain(
            section
                .iter()
                .filter(|n| !old.iter().any(|l| l == n))
                .map(|l| format!("+ {l}")),
        )
        .collect();
    Ok(ProfilePlan {
        path: path.display().to_string(),
        profile: profile.to_string(),
        changed: !diff.is_empty(),
        diff: diff.join("\n"),
        new_text,
    })
}

impl Sluice {
    /// The change that would point `[profile PROFILE]` at `sluice credentials --connection NAME`.
    pub fn plan_cli_profile(
        &self,
        name: &str,
        profile: &str,
        sluice_exe: &Path,
        config: &Path,
    ) -> Result<ProfilePlan> {
        let connection = self.connection(name)?;
        let current = crate::aws::shared_files::read_or_empty(config)?;
        let mut command = vec![sluice_exe.display().to_string()];
        if let Some(endpoint) = self.aws_options()?.endpoint_url {
            command.extend(["--endpoint-url".to_string(), endpoint]);
        }
        command.extend([
            "credentials".into(),
            "--connection".into(),
            name.to_string(),
        ]);
        plan_profile(
            config,
            &current,
            profile,
            &command,
            connection.region.as_deref(),
            Platform::current(),
        )
    }

    /// Writes the planned profile (atomically; the rest of the file is kept as it was).
    pub fn write_cli_profile(
        &self,
        name: &str,
        profile: &str,
        sluice_exe: &Path,
        config: &Path,
    ) -> Result<ProfilePlan> {
        let plan = self.plan_cli_profile(name, profile, sluice_exe, config)?;
        if plan.changed {
            crate::files::write_atomically(config, plan.new_text.as_bytes())?;
        }
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd() -> Vec<String> {
        ["/opt/sluice/sluice", "credentials", "--connection", "mm"]
            .map(String::from)
            .to_vec()
    }

    /// Found by the `aws_config` fuzz target: a config holding the profile twice kept the
    /// second copy, whose stale credential_process the AWS CLI would then read.
    #[test]
    fn a_profile_listed_twice_is_replaced_once_and_the_copy_removed() {
        let current = "[default]\nregion = us-east-1\n\n[profile sluice-v]\ncredential_process = /old/a\n\n[profile other]\nregion = eu-west-1\n\n[profile sluice-v]\ncredential_process = /old/b\nregion = us-west-2\n";
        let plan = plan_profile(
            Path::new("/c"),
            current,
            "sluice-v",
            &cmd(),
            None,
            Platform::Linux,
        )
        .expect("plan");
        let headers: Vec<&str> = plan
            .new_text
            .lines()
            .filter(|l| l.starts_with('['))
            .collect();
        assert_eq!(
            headers,
            ["[default]", "[profile sluice-v]", "[profile other]"]
        );
        assert!(!plan.new_text.contains("/old/"), "{}", plan.new_text);
        assert!(plan.new_text.contains("region = eu-west-1"));
        assert!(
            plan.diff.contains("- credential_process = /old/b"),
            "{}",
            plan.diff
        );
        assert!(plan.diff.contains("- region = us-west-2"), "{}", plan.diff);
    }

    #[test]
    fn appends_a_new_profile_and_keeps_the_rest() {
        let current = "[default]\nregion = eu-west-1\n";
        let plan = plan_profile(
            Path::new("/x"),
            current,
            "mm",
            &cmd(),
            Some("us-east-1"),
            Platform::Linux,
        )
        .expect("plan");
        assert_eq!(
            plan.new_text,
            "[default]\nregion = eu-west-1\n\n[profile mm]\ncredential_process = /opt/sluice/sluice credentials --connection mm\nregion = us-east-1\n"
        );
        assert!(plan.changed);
        assert!(plan.diff.starts_with("+ [profile mm]"));
    }

    #[test]
    fn replaces_an_existing_profile_only() {
        let current =
            "[profile mm]\naws_access_key_id = AKIAOLD\n\n[profile other]\nregion = eu-west-1\n";
        let plan = plan_profile(
            Path::new("/x"),
            current,
            "mm",
            &cmd(),
            None,
            Platform::Linux,
        )
        .expect("plan");
        assert_eq!(
            plan.new_text,
            "[profile mm]\ncredential_process = /opt/sluice/sluice credentials --connection mm\n\n[profile other]\nregion = eu-west-1\n"
        );
        assert!(plan.diff.contains("- aws_access_key_id = AKIAOLD"));
        // Planning the same again changes nothing.
        let again = plan_profile(
            Path::new("/x"),
            &plan.new_text,
            "mm",
            &cmd(),
            None,
            Platform::Linux,
        )
        .expect("plan");
        assert!(!again.changed);
        assert_eq!(again.new_text, plan.new_text);
    }

    #[test]
    fn paths_with_spaces_are_quoted() {
        let command = vec![
            "/Applications/Sluice App/sluice".to_string(),
            "credentials".into(),
        ];
        let plan =
            plan_profile(Path::new("/x"), "", "mm", &command, None, Platform::MacOs).expect("plan");
        assert!(plan
            .new_text
            .contains("credential_process = '/Applications/Sluice App/sluice' credentials"));
    }

    #[test]
    fn each_platform_quotes_the_way_its_shell_reads() {
        let q = |arg: &str, p| quote(arg, p).expect("quotable");
        for unix in [Platform::Linux, Platform::MacOs] {
            assert_eq!(q("/usr/bin/sluice", unix), "/usr/bin/sluice");
            assert_eq!(q("--endpoint-url", unix), "--endpoint-url");
            assert_eq!(q("http://127.0.0.1:5000", unix), "http://127.0.0.1:5000");
            assert_eq!(
                q("/Users/ana/My Apps/sluice", unix),
                "'/Users/ana/My Apps/sluice'"
            );
            // Nothing inside single quotes is expanded by sh.
            assert_eq!(q("/opt/$HOME/`x`/a\\b", unix), "'/opt/$HOME/`x`/a\\b'");
            assert_eq!(
                q("/Users/o'neil/sluice", unix),
                "'/Users/o'\\''neil/sluice'"
            );
            assert_eq!(q("", unix), "''");
            assert!(quote("/a\nb", unix).is_err());
        }
        let w = Platform::Windows;
        assert_eq!(q("C:\\Tools\\sluice.exe", w), "C:\\Tools\\sluice.exe");
        assert_eq!(
            q("C:\\Program Files\\Sluice\\sluice.exe", w),
            "\"C:\\Program Files\\Sluice\\sluice.exe\""
        );
        assert_eq!(
            q("C:\\Users\\ana\\R&D\\sluice.exe", w),
            "\"C:\\Users\\ana\\R&D\\sluice.exe\""
        );
        assert_eq!(q("--connection", w), "--connection");
        for bad in ["C:\\%PATH%\\sluice.exe", "a\"b"] {
            let err = quote(bad, w).expect_err("not for cmd.exe");
            assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        }
    }

    /// The Linux rule, checked by the shell that reads it: `sh -c` gets back every argument.
    #[cfg(unix)]
    #[test]
    fn sh_reads_back_what_was_quoted() {
        let args = [
            "/tmp/My Apps/sluice",
            "it's",
            "$HOME",
            "`id`",
            "a\\b",
            "plain",
        ];
        let line: Vec<String> = args
            .iter()
            .map(|a| quote(a, Platform::Linux).expect("quote"))
            .collect();
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf '%s\\n' {}", line.join(" ")))
            .output()
            .expect("sh");
        let back: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect();
        assert_eq!(back, args);
    }
}
