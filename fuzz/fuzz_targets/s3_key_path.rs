//! An S3 key (chosen by the bucket's owner) → a local path: always inside the chosen folder,
//! never `..`, never empty, each part short enough for every file system.
#![no_main]
use std::path::{Component, Path};

use libfuzzer_sys::fuzz_target;
use sluice_core::s3::local_path;

fuzz_target!(|input: (&str, &str)| {
    let (key, base) = input;
    let rel = local_path::relative_path(key, base);
    assert!(!rel.as_os_str().is_empty());
    assert!(
        rel.components().all(|c| matches!(c, Component::Normal(_))),
        "{rel:?}"
    );
    assert!(local_path::inside(Path::new("/dest"), &rel).is_some());
    for c in rel.components() {
        let s = c.as_os_str().to_string_lossy();
        assert!(s.len() <= 255 && s != ".." && !s.contains('\0'), "{s:?}");
    }
    let _ = sluice_core::files::names::safe_file_name(key);
});
