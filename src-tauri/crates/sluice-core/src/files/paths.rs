//! Paths as Sluice names them to people: in errors ("Could not write <path>: …") and in
//! what it says it wrote, without the `\\?\` prefix Windows gives canonical paths.

use std::path::Path;

use crate::error::CoreError;

/// The error for a file that could not be written.
pub fn file_error(path: &Path, detail: impl std::fmt::Display) -> CoreError {
    CoreError::File {
        path: shown(path),
        detail: detail.to_string(),
    }
}

/// A path as the person knows it (see [`shown_on`]).
pub fn shown(path: &Path) -> String {
    shown_on(
        &path.display().to_string(),
        crate::platform::Platform::current(),
    )
}

/// A path as the person knows it: on Windows without the `\\?\` prefix a canonical path
/// carries (`\\?\C:\x` is `C:\x`, `\\?\UNC\server\share` is `\\server\share`) when the
/// plain form means the same file — under 260 characters, no device name in it.
pub fn shown_on(path: &str, platform: crate::platform::Platform) -> String {
    if !platform.is_windows() {
        return path.to_owned();
    }
    let plain = if let Some(unc) = path.strip_prefix(r"\\?\UNC\") {
        format!(r"\\{unc}")
    } else if let Some(rest) = path.strip_prefix(r"\\?\").filter(|r| {
        r.as_bytes().get(1) == Some(&b':')
            && r.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
    }) {
        rest.to_owned()
    } else {
        return path.to_owned();
    };
    // Every name in it is one Windows takes as it is (the drive aside).
    let device = plain
        .split('\\')
        .filter(|part| !part.is_empty() && !part.ends_with(':'))
        .any(|part| super::names::safe_file_name(part).as_deref() != Some(part));
    if plain.len() < 260 && !device {
        plain
    } else {
        path.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_as_people_know_them_on_each_platform() {
        use crate::platform::Platform::{Linux, MacOs, Windows};
        assert_eq!(
            shown_on(r"\\?\C:\Users\ana\report.csv", Windows),
            r"C:\Users\ana\report.csv"
        );
        assert_eq!(
            shown_on(r"\\?\UNC\files\share\a.csv", Windows),
            r"\\files\share\a.csv"
        );
        // A device name, or a path too long without the prefix, keeps it.
        assert_eq!(shown_on(r"\\?\C:\data\CON", Windows), r"\\?\C:\data\CON");
        let long = format!(r"\\?\C:\{}", "d\\".repeat(200));
        assert_eq!(shown_on(&long, Windows), long);
        assert_eq!(shown_on(r"C:\plain.csv", Windows), r"C:\plain.csv");
        for unix in [Linux, MacOs] {
            assert_eq!(shown_on(r"/home/ana/\\?\x", unix), r"/home/ana/\\?\x");
        }
    }
}
