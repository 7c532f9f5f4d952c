//! Mapping S3 keys to local paths that can never leave the chosen folder.
//!
//! Keys are arbitrary strings: `../x`, `/etc/passwd`, `a//b`, NUL bytes, `CON` or a 900-byte
//! name are all legal in S3. Each path segment is cleaned on its own, so the result is always
//! a relative path of plain names under the target folder, valid on Windows too.

use std::path::{Component, Path, PathBuf};

const RESERVED: [&str; 24] = [
    "CONIN$", "CONOUT$", "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5",
    "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8",
    "LPT9",
];
/// Bytes per file name on common file systems.
const MAX_NAME: usize = 200;

fn fnv(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// One safe path segment, or `None` for segments that mean nothing (`""`, `.`).
pub fn safe_segment(segment: &str) -> Option<String> {
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

/// The relative local path for `key` below `base_prefix` (which is stripped). Never empty,
/// never absolute, never containing `..`.
pub fn relative_path(key: &str, base_prefix: &str) -> PathBuf {
    let rest = key.strip_prefix(base_prefix).unwrap_or(key);
    let mut path = PathBuf::new();
    for segment in rest.split('/') {
        if let Some(s) = safe_segment(segment) {
            path.push(s);
        }
    }
    if path.as_os_str().is_empty() {
        path.push("_");
    }
    path
}

/// `dest/relative`, after checking that `relative` is only plain names.
pub fn inside(dest: &Path, relative: &Path) -> Option<PathBuf> {
    relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| dest.join(relative))
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
    fn hostile_keys_stay_inside() {
        let cases = [
            ("../../etc/passwd", "__/__/etc/passwd"),
            ("/abs/key.csv", "abs/key.csv"),
            ("a//b.csv", "a/b.csv"),
            ("./x/./y", "x/y"),
            ("nul\u{0}byte.csv", "nul_byte.csv"),
            ("CON", "_CON"),
            ("dir/aux.csv", "dir/_aux.csv"),
            ("com1.txt", "_com1.txt"),
            ("back\\slash", "back_slash"),
            ("trailing. ", "trailing._"),
            ("", "_"),
            ("..", "__"),
            ("a:b?c*", "a_b_c_"),
        ];
        for (key, want) in cases {
            let p = relative_path(key, "");
            assert_eq!(p, PathBuf::from(want), "{key:?}");
            assert!(inside(Path::new("/tmp/dest"), &p).is_some(), "{key:?}");
        }
    }

    #[test]
    fn base_prefix_is_stripped_and_long_names_are_shortened_uniquely() {
        assert_eq!(
            relative_path("timeseries/year=2020/a.gz", "timeseries/"),
            PathBuf::from("year=2020/a.gz")
        );
        let long_a = format!("{}a.csv", "x".repeat(400));
        let long_b = format!("{}b.csv", "x".repeat(400));
        let a = relative_path(&long_a, "");
        let b = relative_path(&long_b, "");
        assert!(a.as_os_str().len() <= MAX_NAME && a != b);
        assert_eq!(a.extension().and_then(|e| e.to_str()), Some("csv"));
    }

    #[test]
    fn inside_rejects_escapes() {
        assert!(inside(Path::new("/d"), Path::new("../x")).is_none());
        assert!(inside(Path::new("/d"), Path::new("/x")).is_none());
    }
}
