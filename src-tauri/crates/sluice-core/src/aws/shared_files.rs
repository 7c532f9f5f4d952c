//! Where the AWS CLI and SDKs keep their shared files: `~/.aws/config` and
//! `~/.aws/credentials`, or the files `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`
//! name instead, as every AWS tool reads them.

use std::path::PathBuf;

use crate::error::{CoreError, Result};

/// `$AWS_CONFIG_FILE`, else `~/.aws/config`.
pub fn config_path() -> Result<PathBuf> {
    shared_file("AWS_CONFIG_FILE", "config")
}

/// `$AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
pub fn credentials_path() -> Result<PathBuf> {
    shared_file("AWS_SHARED_CREDENTIALS_FILE", "credentials")
}

fn shared_file(variable: &str, name: &str) -> Result<PathBuf> {
    if let Some(p) = std::env::var_os(variable) {
        return Ok(p.into());
    }
    dirs::home_dir()
        .map(|h| h.join(".aws").join(name))
        .ok_or_else(|| {
            CoreError::invalid(
                format!("AWS {name} file"),
                format!("no home directory; set {variable}"),
            )
        })
}

/// The text of a shared file, or nothing when it does not exist.
pub fn read_or_empty(path: &std::path::Path) -> Result<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(CoreError::invalid(
            "AWS shared file",
            format!("{}: {e}", path.display()),
        )),
    }
}
