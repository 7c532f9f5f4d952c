//! Mapping S3 keys to local paths that can never leave the chosen folder.
//!
//! Keys are arbitrary strings: `../x`, `/etc/passwd`, `a//b`, NUL bytes, `CON` or a 900-byte
//! name are all legal in S3. Each path segment is cleaned on its own (see
//! [`crate::files::names`]), so the result is always a relative path of plain names under the
//! target folder, valid on Windows too.

use std::path::{Component, Path, PathBuf};

use crate::files::names::safe_file_name;

/// The relative local path for `key` below `base_prefix` (which is stripped). Never empty,
/// never absolute, never containing `..`.
pub fn relative_path(key: &str, base_prefix: &str) -> PathBuf {
    let rest = key.strip_prefix(base_prefix).unwrap_or(key);
    let mut path = PathBuf::new();
    for segment in rest.split('/') {
        if let Some(s) = safe_file_name(segment) {
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
        assert!(a.as_os_str().len() <= crate::files::names::MAX_NAME && a != b);
        assert_eq!(a.extension().and_then(|e| e.to_str()), Some("csv"));
    }

    #[test]
    fn inside_rejects_escapes() {
        assert!(inside(Path::new("/d"), Path::new("../x")).is_none());
        assert!(inside(Path::new("/d"), Path::new("/x")).is_none());
    }
}
