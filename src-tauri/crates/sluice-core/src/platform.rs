//! The operating system as a value. Decisions that differ by platform (how a command line is
//! quoted, where a tool keeps its files) take a [`Platform`] instead of asking `cfg!` inside,
//! so every platform's rule is a pure function that unit tests run on any machine.

/// The desktop platforms Sluice ships for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Linux,
    MacOs,
    Windows,
}

impl Platform {
    /// The platform this build runs on (other Unixes follow Linux's rules).
    pub const fn current() -> Self {
        if cfg!(windows) {
            Self::Windows
        } else if cfg!(target_os = "macos") {
            Self::MacOs
        } else {
            Self::Linux
        }
    }

    pub const fn is_windows(self) -> bool {
        matches!(self, Self::Windows)
    }
}

/// A Windows system tool by its full path under `%SystemRoot%\System32` (`relative`, e.g.
/// `icacls.exe`), so a same-named program earlier on the PATH is never run instead.
pub fn windows_tool(relative: &str, var: &dyn Fn(&str) -> Option<String>) -> String {
    match var("SystemRoot").filter(|r| !r.is_empty()) {
        Some(root) => format!("{}\\System32\\{relative}", root.trim_end_matches('\\')),
        None => format!("C:\\Windows\\System32\\{relative}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_tools_are_named_by_their_full_path() {
        let root = |name: &str| (name == "SystemRoot").then(|| "D:\\Windows\\".to_string());
        assert_eq!(
            windows_tool("icacls.exe", &root),
            "D:\\Windows\\System32\\icacls.exe"
        );
        assert_eq!(
            windows_tool("reg.exe", &|_| None),
            "C:\\Windows\\System32\\reg.exe"
        );
    }

    #[test]
    fn this_build_knows_its_platform() {
        let expected = if cfg!(windows) {
            Platform::Windows
        } else if cfg!(target_os = "macos") {
            Platform::MacOs
        } else {
            Platform::Linux
        };
        assert_eq!(Platform::current(), expected);
        assert!(Platform::Windows.is_windows() && !Platform::MacOs.is_windows());
    }
}
