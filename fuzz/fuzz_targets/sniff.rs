//! The format sniffer and the preview table: any sample is classified, and a table never
//! holds more rows than asked for.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sluice_core::decode::{sniff, table};

fuzz_target!(|data: &[u8]| {
    let Some((&first, sample)) = data.split_first() else {
        return;
    };
    let _ = sniff::container(sample);
    let _ = sniff::csv_delimiter(sample);
    let kind = sniff::content(sample);
    let max_rows = usize::from(first % 64) + 1;
    let t = table::build(kind, sample, first & 0x80 != 0, max_rows);
    assert!(t.rows.len() <= max_rows);
});
