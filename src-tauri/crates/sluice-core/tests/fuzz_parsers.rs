//! Property tests (a fuzz target run on every `cargo test`): the sniffers, table builders,
//! handover parser, partition reader and key-to-path mapping take arbitrary input without
//! panicking, and keep their promises on it.

use std::path::{Component, Path};

use proptest::prelude::*;
use sluice_core::decode::sniff::{self, ContentKind};
use sluice_core::decode::table;
use sluice_core::handover;
use sluice_core::s3::{local_path, partitions};

const KINDS: [ContentKind; 6] = [
    ContentKind::Csv,
    ContentKind::Jsonl,
    ContentKind::Json,
    ContentKind::Text,
    ContentKind::Binary,
    ContentKind::Empty,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn sniffers_and_tables_take_any_bytes(data in proptest::collection::vec(any::<u8>(), 0..2048), complete in any::<bool>(), rows in 1usize..50) {
        let _ = sniff::container(&data);
        let kind = sniff::content(&data);
        let t = table::build(kind, &data, complete, rows);
        prop_assert!(t.rows.len() <= rows);
        for r in &t.rows {
            prop_assert!(r.len() <= t.columns.len().max(1) || kind == ContentKind::Csv);
        }
        for k in KINDS {
            let t = table::build(k, &data, complete, rows);
            prop_assert!(t.rows.len() <= rows);
        }
    }

    #[test]
    fn csv_like_text_never_loses_the_row_limit(lines in proptest::collection::vec("[a-z0-9 ,\"]{0,40}", 0..60), rows in 1usize..30) {
        let text = lines.join("\n");
        let t = table::build(ContentKind::Csv, text.as_bytes(), true, rows);
        prop_assert!(t.rows.len() <= rows);
    }

    #[test]
    fn any_key_maps_inside_the_folder(key in "\\PC{0,300}", base in "[a-z/]{0,10}") {
        let rel = local_path::relative_path(&key, &base);
        prop_assert!(!rel.as_os_str().is_empty());
        prop_assert!(rel.components().all(|c| matches!(c, Component::Normal(_))), "{:?}", rel);
        prop_assert!(local_path::inside(Path::new("/dest"), &rel).is_some());
        for c in rel.components() {
            let s = c.as_os_str().to_string_lossy();
            prop_assert!(s.len() <= 200 && s != ".." && !s.contains('\0'));
        }
    }

    #[test]
    fn handover_parsing_never_panics_or_leaks_the_external_id(noise in "\\PC{0,400}", secret in "[A-Za-z0-9+=,.@:/-]{8,40}") {
        let text = format!("{noise}\nExternal ID: {secret}\n{noise}");
        let h = handover::parse(&text);
        let json = serde_json::to_string(&h.fields).unwrap_or_default();
        // The secret may only appear in the reviewable fields if the noise itself contains it.
        prop_assert!(!json.contains(&secret) || noise.contains(&secret));
        let _ = handover::parse(&noise);
    }

    #[test]
    fn partition_readers_take_any_text(key in "\\PC{0,120}", hour in "\\PC{0,30}") {
        let _ = partitions::partition_of(&key);
        let _ = partitions::parse_hour(&hour);
    }

    #[test]
    fn range_prefixes_cover_the_range(start in 0i64..400_000, len in 1i64..2_000) {
        let p = partitions::prefixes_for_range("t/", partitions::Layout::Hive, start, start + len).expect("range");
        // Never more prefixes than hours, and at most ~2 edge days' worth of hour prefixes.
        prop_assert!(p.len() as i64 <= len);
        prop_assert!(p.iter().filter(|x| x.contains("hour=")).count() <= 46);
    }
}
