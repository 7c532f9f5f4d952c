//! A Kinesis record's bytes through the whole decode chain (KPL, gzip / zlib, format
//! sniffing, CSV / JSON / MachineMetrics): at least one row, each with fields, and every row
//! serialises.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sluice_core::decode::{self, RecordSource};

fuzz_target!(|data: &[u8]| {
    let rows = decode::decode(&RecordSource::default(), data);
    assert!(!rows.is_empty());
    for row in &rows {
        assert!(!row.fields.is_empty());
        let _ = decode::json_line(row);
    }
});
