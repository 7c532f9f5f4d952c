//! A report's object bytes (gzip or plain, a header or MachineMetrics lines) → rows: any
//! object is read or refused with a message, and every row kept ends with its terminator.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sluice_core::report::rows::{read_object, Chunk, RowRules};
use sluice_core::report::spec::ReportSpec;

/// Every column and every row, or one machine's rows sorted, by the input's first byte.
fn rules(flags: u8) -> RowRules {
    let spec = if flags & 2 == 0 {
        r#"{"bucket":"b","prefix":"ts/","range":{"kind":"lastDays","days":7}}"#
    } else {
        r#"{"bucket":"b","prefix":"ts/","range":{"kind":"lastDays","days":7},
            "filters":{"machines":["mill-1"],"valueContains":"1"},"sortByEventTime":true}"#
    };
    let spec: ReportSpec = serde_json::from_str(spec).expect("spec");
    RowRules::new(&spec, flags & 1 == 1)
}

fuzz_target!(|data: &[u8]| {
    let flags = data.first().copied().unwrap_or(0);
    let _ = read_object(data, &rules(flags), &mut |c: Chunk| {
        for r in &c.rows {
            assert!(r.start <= r.end && r.end <= c.data.len());
            assert!(r.key_start <= r.key_end && r.key_end <= c.data.len());
        }
        true
    });
});
