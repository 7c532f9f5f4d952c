//! Desktop preferences kept in the settings file: whether the window's size, position and
//! last section are remembered, and whether a long job that ends while the window is in the
//! background says so in a notification. Both are on by default and can be turned off.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::Sluice;

/// The window's last size and position, in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct WindowPlacement {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub maximized: bool,
}

/// One screen's area, in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DesktopPrefs {
    #[serde(default = "yes")]
    pub remember_window: bool,
    #[serde(default = "yes")]
    pub notify_when_done: bool,
    /// The section shown last (`connections`, `browse`, …).
    #[serde(default)]
    pub last_section: Option<String>,
    #[serde(default)]
    pub window: Option<WindowPlacement>,
}

fn yes() -> bool {
    true
}

impl Default for DesktopPrefs {
    fn default() -> Self {
        Self {
            remember_window: true,
            notify_when_done: true,
            last_section: None,
            window: None,
        }
    }
}

/// Smallest window worth restoring (the app's own minimum size).
pub const MIN_SIZE: (u32, u32) = (720, 480);

impl WindowPlacement {
    /// The placement to restore on these screens: at least the minimum size, no bigger than
    /// the screen it is on, and moved back onto a screen when that one is gone (a laptop off
    /// its external monitor). `None` when there is no screen to put it on.
    pub fn fitted(self, screens: &[Screen]) -> Option<Self> {
        let center = (
            self.x.saturating_add((self.width / 2) as i32),
            self.y.saturating_add((self.height / 2) as i32),
        );
        let on = |s: &&Screen| {
            center.0 >= s.x
                && center.0 < s.x.saturating_add(s.width as i32)
                && center.1 >= s.y
                && center.1 < s.y.saturating_add(s.height as i32)
        };
        let screen = screens.iter().find(on).or(screens.first())?;
        let width = self.width.clamp(MIN_SIZE.0, screen.width.max(MIN_SIZE.0));
        let height = self.height.clamp(MIN_SIZE.1, screen.height.max(MIN_SIZE.1));
        let max_x = screen
            .x
            .saturating_add(screen.width.saturating_sub(width) as i32);
        let max_y = screen
            .y
            .saturating_add(screen.height.saturating_sub(height) as i32);
        Some(Self {
            x: self.x.clamp(screen.x, max_x.max(screen.x)),
            y: self.y.clamp(screen.y, max_y.max(screen.y)),
            width,
            height,
            maximized: self.maximized,
        })
    }
}

/// Whether a job that just ended should raise a notification.
pub fn should_notify(prefs: &DesktopPrefs, window_focused: bool) -> bool {
    prefs.notify_when_done && !window_focused
}

/// Notification text from the webview: one line, at most 200 characters.
pub fn notice_text(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    line.trim().to_string()
}

/// The sections a last section may name (the UI's navigation).
const SECTIONS: &[&str] = &[
    "connections",
    "browse",
    "streams",
    "reports",
    "policies",
    "setup",
    "tools",
];

/// This feature's section of the settings file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct DesktopSettings {
    #[serde(default)]
    desktop: DesktopPrefs,
}

impl Sluice {
    pub fn desktop_prefs(&self) -> Result<DesktopPrefs> {
        Ok(self.settings().read::<DesktopSettings>()?.desktop)
    }

    /// Saves the two switches; turning "remember" off forgets what was remembered.
    pub fn set_desktop_prefs(&self, remember_window: bool, notify: bool) -> Result<DesktopPrefs> {
        self.update_desktop(|d| {
            d.remember_window = remember_window;
            d.notify_when_done = notify;
            if !remember_window {
                d.window = None;
                d.last_section = None;
            }
        })
    }

    /// Remembers the section shown, when remembering is on; unknown names are ignored.
    pub fn remember_section(&self, section: &str) -> Result<DesktopPrefs> {
        let known = SECTIONS.contains(&section);
        self.update_desktop(|d| {
            if d.remember_window && known {
                d.last_section = Some(section.to_string());
            }
        })
    }

    /// Remembers the window's placement, when remembering is on. A maximized window keeps
    /// the size and place it had before, so un-maximizing after a restart goes back there.
    pub fn remember_window(&self, placement: WindowPlacement) -> Result<DesktopPrefs> {
        self.update_desktop(|d| {
            if d.remember_window {
                d.window = Some(match (placement.maximized, d.window) {
                    (true, Some(before)) => WindowPlacement {
                        maximized: true,
                        ..before
                    },
                    _ => placement,
                });
            }
        })
    }

    fn update_desktop(&self, change: impl FnOnce(&mut DesktopPrefs)) -> Result<DesktopPrefs> {
        self.settings().update(|settings: &mut DesktopSettings| {
            change(&mut settings.desktop);
            Ok(settings.desktop.clone())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAPTOP: Screen = Screen {
        x: 0,
        y: 0,
        width: 1920,
        height: 1080,
    };

    fn placed(x: i32, y: i32, width: u32, height: u32) -> WindowPlacement {
        WindowPlacement {
            x,
            y,
            width,
            height,
            maximized: false,
        }
    }

    #[test]
    fn a_window_left_on_a_missing_monitor_comes_back_on_screen() {
        let back = placed(2500, 300, 1200, 780)
            .fitted(&[LAPTOP])
            .expect("fits");
        assert_eq!(back, placed(720, 300, 1200, 780));
        let huge = placed(-50, -50, 4000, 3000)
            .fitted(&[LAPTOP])
            .expect("fits");
        assert_eq!(huge, placed(0, 0, 1920, 1080));
        let tiny = placed(10, 10, 100, 100).fitted(&[LAPTOP]).expect("fits");
        assert_eq!((tiny.width, tiny.height), MIN_SIZE);
        let second = Screen {
            x: 1920,
            y: 0,
            width: 2560,
            height: 1440,
        };
        let kept = placed(2500, 300, 1200, 780)
            .fitted(&[LAPTOP, second])
            .expect("fits");
        assert_eq!(
            kept,
            placed(2500, 300, 1200, 780),
            "still on the second screen"
        );
        assert_eq!(placed(0, 0, 800, 600).fitted(&[]), None);
    }

    #[test]
    fn notice_text_is_one_short_line() {
        assert_eq!(notice_text(" Report\nready\t"), "Report ready");
        assert_eq!(notice_text(&"x".repeat(500)).len(), 200);
    }

    #[test]
    fn notify_only_in_the_background_and_when_wanted() {
        let mut prefs = DesktopPrefs::default();
        assert!(should_notify(&prefs, false));
        assert!(!should_notify(&prefs, true));
        prefs.notify_when_done = false;
        assert!(!should_notify(&prefs, false));
    }

    #[test]
    fn prefs_round_trip_and_remembering_can_be_turned_off() {
        let dir = tempfile::tempdir().expect("dir");
        let (sluice, _) = crate::context::test_context(dir.path());
        assert_eq!(
            sluice.desktop_prefs().expect("prefs"),
            DesktopPrefs::default()
        );
        sluice.remember_section("browse").expect("section");
        sluice.remember_section("../../etc").expect("ignored");
        sluice
            .remember_window(placed(10, 20, 1000, 700))
            .expect("window");
        let prefs = sluice.desktop_prefs().expect("prefs");
        assert_eq!(prefs.last_section.as_deref(), Some("browse"));
        assert_eq!(prefs.window, Some(placed(10, 20, 1000, 700)));
        // Maximized: the flag is kept with the size it had before.
        let mut max = placed(0, 0, 1920, 1080);
        max.maximized = true;
        let prefs = sluice.remember_window(max).expect("window");
        let mut expected = placed(10, 20, 1000, 700);
        expected.maximized = true;
        assert_eq!(prefs.window, Some(expected));

        let off = sluice.set_desktop_prefs(false, false).expect("off");
        assert_eq!((off.window, off.last_section), (None, None));
        sluice.remember_section("reports").expect("section");
        assert_eq!(sluice.desktop_prefs().expect("prefs").last_section, None);
    }
}
