//! Pasted `aws kinesis get-records` output (or lines of base64): any text is refused with a
//! message or gives records that decode.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sluice_core::decode::{self, paste};

fuzz_target!(|text: &str| {
    if let Ok(records) = paste::parse(text) {
        for (source, data) in records.iter().take(50) {
            assert!(!decode::decode(source, data).is_empty());
        }
    }
});
