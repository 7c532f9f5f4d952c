//! Where the `sluice` command line is, and putting it on the PATH.
//!
//! Every package carries the CLI as a sidecar beside the app's own binary: `/usr/bin` from
//! the .deb and .rpm, `Sluice.app/Contents/MacOS` on macOS, the install folder on Windows —
//! so the app finds it on every platform, and the `credential_process` profiles point at it.
//! Linux packages already put it on the PATH; on macOS the app offers a symlink in
//! `/usr/local/bin`, on Windows it adds the install folder to the user's PATH. Each decision
//! is a pure function of the platform, tested for all three.

use serde::Serialize;

use crate::platform::Platform;

/// The CLI's file name.
pub fn cli_file_name(platform: Platform) -> &'static str {
    if platform.is_windows() {
        "sluice.exe"
    } else {
        "sluice"
    }
}

/// The folder part of `path` (as the platform writes paths), without the last separator.
pub fn folder_of(path: &str, platform: Platform) -> &str {
    let cut = if platform.is_windows() {
        path.rfind(['\\', '/'])
    } else {
        path.rfind('/')
    };
    cut.map_or("", |i| &path[..i])
}

/// The CLI inside the app's package: beside `app_exe`, the app's own binary.
pub fn cli_beside(app_exe: &str, platform: Platform) -> String {
    let sep = if platform.is_windows() { '\\' } else { '/' };
    format!(
        "{}{sep}{}",
        folder_of(app_exe, platform),
        cli_file_name(platform)
    )
}

/// What putting `sluice` on the PATH takes here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum PathOffer {
    /// A terminal finds it already.
    OnPath,
    /// macOS: a symlink `link` → `target`.
    Symlink { link: String, target: String },
    /// Windows: the user's PATH becomes `value` (the install folder `folder` added).
    UserPath { folder: String, value: String },
    /// The app runs from a place that goes away (a mounted disk image, macOS's App
    /// Translocation): it must be moved first, or the link would point at nothing.
    MoveFirst { reason: String },
}

/// Why the CLI at `cli` is in a place that goes away, if it is: on macOS an app run from its
/// mounted disk image (`/Volumes/…`) or translocated by Gatekeeper (`…/AppTranslocation/…`).
pub fn temporary_place(cli: &str, platform: Platform) -> Option<String> {
    let temporary = platform == Platform::MacOs
        && (cli.starts_with("/Volumes/") || cli.contains("/AppTranslocation/"));
    temporary.then(|| {
        "Sluice runs from its disk image or a temporary copy: move Sluice to Applications and open it from there first".to_owned()
    })
}

/// The macOS symlink's place.
pub const MAC_LINK: &str = "/usr/local/bin/sluice";

/// Whether `folder` is one of the entries of a PATH value.
pub fn path_has(path_value: &str, folder: &str, platform: Platform) -> bool {
    let (split, fold): (char, fn(&str) -> String) = if platform.is_windows() {
        (';', |s: &str| {
            s.trim().trim_end_matches(['\\', '/']).to_lowercase()
        })
    } else {
        (':', |s: &str| s.trim().trim_end_matches('/').to_owned())
    };
    let want = fold(folder);
    path_value
        .split(split)
        .filter(|e| !e.trim().is_empty())
        .any(|e| fold(e) == want)
}

/// What to offer for the CLI at `cli`, given the PATH a terminal gets (`path_value`: the
/// process's on Linux and macOS, the user's own on Windows).
pub fn path_offer(cli: &str, path_value: &str, platform: Platform) -> PathOffer {
    let folder = folder_of(cli, platform);
    if let Some(reason) = temporary_place(cli, platform) {
        return PathOffer::MoveFirst { reason };
    }
    match platform {
        _ if path_has(path_value, folder, platform) => PathOffer::OnPath,
        Platform::Linux => PathOffer::OnPath,
        Platform::MacOs => PathOffer::Symlink {
            link: MAC_LINK.to_owned(),
            target: cli.to_owned(),
        },
        Platform::Windows => {
            let value = match path_value.trim().trim_end_matches(';') {
                "" => folder.to_owned(),
                current => format!("{current};{folder}"),
            };
            PathOffer::UserPath {
                folder: folder.to_owned(),
                value,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_is_beside_the_app_on_every_platform() {
        assert_eq!(
            cli_beside("/usr/bin/sluice-app", Platform::Linux),
            "/usr/bin/sluice"
        );
        assert_eq!(
            cli_beside(
                "/Applications/Sluice.app/Contents/MacOS/sluice-app",
                Platform::MacOs
            ),
            "/Applications/Sluice.app/Contents/MacOS/sluice"
        );
        assert_eq!(
            cli_beside(r"C:\Program Files\Sluice\sluice-app.exe", Platform::Windows),
            r"C:\Program Files\Sluice\sluice.exe"
        );
        assert_eq!(
            cli_beside(
                r"C:\Users\Ana Lee\AppData\Local\Sluice/sluice-app.exe",
                Platform::Windows
            ),
            r"C:\Users\Ana Lee\AppData\Local\Sluice\sluice.exe"
        );
    }

    #[test]
    fn each_platform_gets_its_own_way_onto_the_path() {
        assert_eq!(
            path_offer(
                "/usr/bin/sluice",
                "/usr/local/bin:/usr/bin",
                Platform::Linux
            ),
            PathOffer::OnPath
        );
        let mac = "/Applications/Sluice.app/Contents/MacOS/sluice";
        assert_eq!(
            path_offer(mac, "/usr/local/bin:/usr/bin:/bin", Platform::MacOs),
            PathOffer::Symlink {
                link: "/usr/local/bin/sluice".into(),
                target: mac.into()
            }
        );
        let win = r"C:\Users\ana\AppData\Local\Sluice\sluice.exe";
        assert_eq!(
            path_offer(win, r"C:\Tools;%USERPROFILE%\bin;", Platform::Windows),
            PathOffer::UserPath {
                folder: r"C:\Users\ana\AppData\Local\Sluice".into(),
                value: r"C:\Tools;%USERPROFILE%\bin;C:\Users\ana\AppData\Local\Sluice".into()
            }
        );
        // Already there (any case, a trailing backslash): nothing to do.
        assert_eq!(
            path_offer(
                win,
                r"c:\users\ana\appdata\local\sluice\;C:\Tools",
                Platform::Windows
            ),
            PathOffer::OnPath
        );
        assert_eq!(
            path_offer(win, "", Platform::Windows),
            PathOffer::UserPath {
                folder: r"C:\Users\ana\AppData\Local\Sluice".into(),
                value: r"C:\Users\ana\AppData\Local\Sluice".into()
            }
        );
        assert!(!path_has("/usr/binx", "/usr/bin", Platform::Linux));
        // Run from the disk image or a translocated copy: move it first.
        for temporary in [
            "/Volumes/Sluice/Sluice.app/Contents/MacOS/sluice",
            "/private/var/folders/x/T/AppTranslocation/ABC/d/Sluice.app/Contents/MacOS/sluice",
        ] {
            assert!(matches!(
                path_offer(temporary, "/usr/bin", Platform::MacOs),
                PathOffer::MoveFirst { .. }
            ));
            assert!(temporary_place(temporary, Platform::MacOs).is_some());
            assert!(temporary_place(temporary, Platform::Linux).is_none());
        }
    }
}
