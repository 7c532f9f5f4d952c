//! The app's "Put sluice on the PATH" (see [`super::cli_path`]): what it would do, then doing
//! it and saying what was done. A file already at the symlink's place is never replaced.

use serde::Serialize;

use super::cli_path::{cli_beside, path_offer, PathOffer};
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::platform::Platform;

/// The CLI inside the package and what putting it on the PATH takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CliStatus {
    /// Where the CLI is (beside the app).
    pub cli: String,
    /// Whether it is there (a development build may not have it).
    pub installed: bool,
    pub offer: PathOffer,
}

/// Reads the user's own PATH as stored (`%VARIABLES%` unexpanded), in UTF-8.
const READ_USER_PATH: &str = "[Console]::OutputEncoding = [Text.Encoding]::UTF8; \
(Get-Item -Path 'HKCU:\\Environment').GetValue('Path', '', 'DoNotExpandEnvironmentNames')";

/// Adds `$env:SLUICE_VALUE` (a folder) to the user's PATH unless it is there: read and
/// written in one go as stored (an expandable string, `%VARIABLES%` kept), then announced
/// to running programs so new terminals see it.
const ADD_TO_USER_PATH: &str = "$ErrorActionPreference = 'Stop'; \
$key = [Microsoft.Win32.Registry]::CurrentUser.CreateSubKey('Environment'); \
$old = $key.GetValue('Path', '', 'DoNotExpandEnvironmentNames'); \
$dir = $env:SLUICE_VALUE; \
$parts = @($old -split ';' | Where-Object { $_ -ne '' }); \
if (-not ($parts | Where-Object { $_.TrimEnd('\\') -ieq $dir.TrimEnd('\\') })) { \
$key.SetValue('Path', (($parts + $dir) -join ';'), 'ExpandString') }; \
$key.Close(); \
[Environment]::SetEnvironmentVariable('SLUICE_PATH_CHANGED', '1', 'User'); \
[Environment]::SetEnvironmentVariable('SLUICE_PATH_CHANGED', $null, 'User')";

/// The PATH a terminal gets: the process's on macOS and Linux, the user's own on Windows
/// (the process's mixes in the machine's).
fn terminal_path(platform: Platform) -> String {
    if platform.is_windows() {
        powershell(READ_USER_PATH, None).unwrap_or_default()
    } else {
        std::env::var("PATH").unwrap_or_default()
    }
}

/// Runs a PowerShell script without a console window; `value` reaches it as
/// `$env:SLUICE_VALUE` (no quoting of a path into a command line).
fn powershell(script: &str, value: Option<&str>) -> Option<String> {
    let exe = crate::platform::windows_tool(r"WindowsPowerShell\v1.0\powershell.exe", &|name| {
        std::env::var(name).ok()
    });
    let mut cmd = std::process::Command::new(exe);
    cmd.args(["-NoProfile", "-NonInteractive", "-Command", script])
        .stdin(std::process::Stdio::null());
    if let Some(value) = value {
        cmd.env("SLUICE_VALUE", value);
    }
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        cmd.creation_flags(0x0800_0000);
    }
    let out = cmd.output().ok().filter(|o| o.status.success())?;
    Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

impl Sluice {
    /// The CLI beside the app binary `app_exe`, and what putting it on the PATH takes.
    pub fn cli_status(&self, app_exe: &std::path::Path) -> CliStatus {
        let platform = Platform::current();
        let cli = cli_beside(&app_exe.display().to_string(), platform);
        CliStatus {
            installed: std::path::Path::new(&cli).is_file(),
            offer: path_offer(&cli, &terminal_path(platform), platform),
            cli,
        }
    }

    /// Puts the CLI on the PATH as [`Sluice::cli_status`] offers; says what it did.
    pub fn put_cli_on_path(&self, app_exe: &std::path::Path) -> Result<String> {
        let status = self.cli_status(app_exe);
        if !status.installed {
            return Err(CoreError::NotFound {
                action: "sluice command line".into(),
                message: format!(
                    "it is not at {} (install Sluice from its package)",
                    status.cli
                ),
            });
        }
        match status.offer {
            PathOffer::OnPath => {
                Ok("sluice is on the PATH already: open a terminal and run `sluice --help`".into())
            }
            PathOffer::Symlink { link, target } => symlink(&link, &target),
            PathOffer::MoveFirst { reason } => Err(CoreError::invalid("PATH", reason)),
            PathOffer::UserPath { folder, .. } => {
                // The script reads the PATH again itself: a value read earlier never
                // replaces it.
                powershell(ADD_TO_USER_PATH, Some(&folder)).ok_or_else(|| CoreError::File {
                    path: "the user's PATH".into(),
                    detail: "PowerShell could not change it".into(),
                })?;
                Ok(format!(
                    "Added {folder} to your PATH: new terminals find `sluice`"
                ))
            }
        }
    }
}

#[cfg(unix)]
fn symlink(link: &str, target: &str) -> Result<String> {
    let path = std::path::Path::new(link);
    if let Ok(existing) = std::fs::read_link(path) {
        if existing == std::path::Path::new(target) {
            return Ok(format!("{link} already points at {target}"));
        }
    }
    if path.symlink_metadata().is_ok() {
        return Err(CoreError::invalid(
            "PATH",
            format!("{link} exists already and is not Sluice's: remove it first, or run `sudo ln -sf '{target}' {link}`"),
        ));
    }
    std::os::unix::fs::symlink(target, path).map_err(|e| CoreError::File {
        path: link.to_owned(),
        detail: format!(
            "{e}: run `sudo mkdir -p /usr/local/bin && sudo ln -s '{target}' {link}` in a terminal"
        ),
    })?;
    Ok(format!(
        "Linked {link} to {target}: terminals find `sluice`"
    ))
}

#[cfg(not(unix))]
fn symlink(link: &str, _target: &str) -> Result<String> {
    Err(CoreError::invalid(
        "PATH",
        format!("{link}: symlinks are for macOS"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_made_once_and_never_over_another_file() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("sluice");
        std::fs::write(&target, "cli").expect("cli");
        let link = dir.path().join("bin-sluice");
        let (link_s, target_s) = (link.display().to_string(), target.display().to_string());
        let said = symlink(&link_s, &target_s).expect("link");
        assert!(said.starts_with("Linked"), "{said}");
        assert_eq!(std::fs::read_link(&link).expect("link"), target);
        assert!(symlink(&link_s, &target_s)
            .expect("again")
            .contains("already points"));
        let other = dir.path().join("other");
        std::fs::write(&other, "someone else's").expect("other");
        let err = symlink(&other.display().to_string(), &target_s).expect_err("taken");
        assert!(err.to_string().contains("not Sluice's"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&other).expect("read"),
            "someone else's"
        );
    }

    #[test]
    fn a_build_without_the_cli_says_where_it_looked() {
        let dir = tempfile::tempdir().expect("dir");
        let (s, _) = crate::context::test_context(dir.path());
        let app = dir.path().join("sluice-app");
        let status = s.cli_status(&app);
        assert!(!status.installed);
        let name = super::super::cli_path::cli_file_name(Platform::current());
        assert_eq!(status.cli, dir.path().join(name).display().to_string());
        assert!(s.put_cli_on_path(&app).is_err());
    }
}
