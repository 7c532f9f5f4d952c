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

#[cfg(test)]
mod tests {
    use super::*;

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
