//! File names Sluice makes are valid on every desktop: no characters Windows refuses
//! (`<>:"/\\|?*`, control characters), no trailing dots or spaces (which Windows drops, so
//! two names could become one), no reserved device names (`CON`, `NUL`, `COM1`…), and no
//! longer than common file systems allow. Downloads, reports, exports and every name a save
//! dialog suggests go through [`safe_file_name`]; a name that is taken gets a free variant.

use std::path::{Path, PathBuf};

const RESERVED: [&str; 24] = [
    "CONIN$", "CONOUT$", "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5",
    "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8",
    "LPT9",
];
/// Bytes per file name on common file systems.
pub const MAX_NAME: usize = 200;

fn fnv(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// One safe file name (a path segment), or `None` for names that mean nothing (`""`, `.`).
pub fn safe_file_name(segment: &str) -> Option<String> {
    if segment.is_empty() || segment == "." {
        return None;
    }
    if segment == ".." {
        return Some("__".into());
    }
    let mut name: String = segment
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"/\\|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    // Windows drops trailing dots and spaces, which could merge two names into one.
    while name.ends_with('.') || name.ends_with(' ') {
        name.pop();
        name.push('_');
        if name.chars().all(|c| c == '_') {
            break;
        }
    }
    let stem = name
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_ascii_uppercase();
    if RESERVED.contains(&stem.as_str()) {
        name.insert(0, '_');
    }
    if name.len() > MAX_NAME {
        let ext = Path::new(&name)
            .extension()
            .and_then(|e| e.to_str())
            .filter(|e| e.len() <= 16)
            .map(|e| format!(".{e}"))
            .unwrap_or_default();
        let mut cut = MAX_NAME - ext.len() - 9;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name = format!("{}-{:08x}{ext}", &name[..cut], fnv(segment));
    }
    Some(name)
}

/// A free variant of `path`: `name (1).ext`, `name (2).ext`, …
pub fn free_name(path: &Path) -> PathBuf {
    if !path.exists() {
        return path.to_path_buf();
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("file");
    let ext = path
        .extension()
        .and_then(|s| s.to_str())
        .map(|e| format!(".{e}"))
        .unwrap_or_default();
    (1..)
        .map(|i| path.with_file_name(format!("{stem} ({i}){ext}")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_on_windows_whatever_made_them() {
        for (name, want) in [
            (
                "report 2026-12-01..2026-12-03.csv",
                "report 2026-12-01..2026-12-03.csv",
            ),
            ("acme: line 1/2.csv", "acme_ line 1_2.csv"),
            ("CON.csv", "_CON.csv"),
            ("lpt9", "_lpt9"),
            ("name. ", "name._"),
            ("..", "__"),
        ] {
            assert_eq!(safe_file_name(name).as_deref(), Some(want), "{name:?}");
        }
        assert_eq!(safe_file_name(""), None);
        assert_eq!(safe_file_name("."), None);
    }

    #[test]
    fn a_taken_name_gets_a_free_variant() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("report.csv");
        assert_eq!(free_name(&path), path);
        std::fs::write(&path, "x").expect("write");
        assert_eq!(free_name(&path), dir.path().join("report (1).csv"));
    }
}
