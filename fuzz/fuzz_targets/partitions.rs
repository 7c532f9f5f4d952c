//! Partition detection from keys and folder names, and hour parsing: any text is read or
//! refused, and a parsed hour formats back to text that parses to the same hour.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sluice_core::s3::partitions;

fuzz_target!(|text: &str| {
    let _ = partitions::partition_of(text);
    let children: Vec<String> = text.split('\n').map(str::to_string).collect();
    let _ = partitions::detect_layout(&children);
    if let Ok(hour) = partitions::parse_hour(text) {
        let shown = partitions::format_hour(hour);
        assert_eq!(partitions::parse_hour(&shown).ok(), Some(hour), "{shown}");
    }
});
