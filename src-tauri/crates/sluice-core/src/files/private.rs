//! Files that hold a secret (a new access key, the token shared with the AWS CLI) are
//! readable by their owner only, before they get their name: mode 0600 on macOS and Linux,
//! and on Windows an ACL that grants the signed-in user alone, with nothing inherited from
//! the folder (`icacls`, run without a console window).

use std::path::Path;

use super::paths::file_error;
use crate::error::Result;
use crate::platform::Platform;

/// The `icacls` arguments that leave `path` to `user` (`DOMAIN\name`) alone on Windows;
/// `None` on the platforms where a mode bit says it.
pub fn owner_only_acl(path: &str, user: &str, platform: Platform) -> Option<Vec<String>> {
    platform.is_windows().then(|| {
        vec![
            path.to_owned(),
            "/inheritance:r".to_owned(),
            "/grant:r".to_owned(),
            format!("{user}:F"),
            "/q".to_owned(),
        ]
    })
}

/// The signed-in Windows user as `icacls` names it, from `USERDOMAIN` and `USERNAME`.
pub fn windows_user(var: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let name = var("USERNAME").filter(|n| !n.is_empty())?;
    Some(match var("USERDOMAIN").filter(|d| !d.is_empty()) {
        Some(domain) => format!("{domain}\\{name}"),
        None => name,
    })
}

/// Makes `path` readable and writable by its owner only.
pub fn restrict_to_owner(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| file_error(path, e))?;
    }
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        const CREATE_NO_WINDOW: u32 = 0x0800_0000;
        let user = windows_user(&|name| std::env::var(name).ok())
            .ok_or_else(|| file_error(path, "the signed-in user is not known (USERNAME)"))?;
        let args = owner_only_acl(&path.display().to_string(), &user, Platform::Windows)
            .unwrap_or_default();
        let icacls = crate::platform::windows_tool("icacls.exe", &|name| std::env::var(name).ok());
        let status = std::process::Command::new(icacls)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .creation_flags(CREATE_NO_WINDOW)
            .status()
            .map_err(|e| file_error(path, e))?;
        if !status.success() {
            return Err(file_error(
                path,
                "could not make it readable by you only (icacls)",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_gets_an_owner_only_acl_and_unix_a_mode() {
        let args = owner_only_acl(r"C:\Users\ana\key.json", r"CORP\ana", Platform::Windows)
            .expect("Windows");
        assert_eq!(
            args,
            [
                r"C:\Users\ana\key.json",
                "/inheritance:r",
                "/grant:r",
                r"CORP\ana:F",
                "/q"
            ]
        );
        assert_eq!(owner_only_acl("/x", "ana", Platform::Linux), None);
        assert_eq!(owner_only_acl("/x", "ana", Platform::MacOs), None);
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |n: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            windows_user(&env(&[("USERNAME", "ana"), ("USERDOMAIN", "CORP")])).as_deref(),
            Some(r"CORP\ana")
        );
        assert_eq!(
            windows_user(&env(&[("USERNAME", "ana")])).as_deref(),
            Some("ana")
        );
        assert_eq!(windows_user(&env(&[])), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_private_file_is_mode_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("key.json");
        std::fs::write(&path, "{}").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        restrict_to_owner(&path).expect("restrict");
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
