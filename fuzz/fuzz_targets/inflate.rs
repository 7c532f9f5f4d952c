//! gzip and zlib recognised by their magic bytes and inflated within the budget: any bytes
//! inflate to at most MAX_INFLATED or are refused, never more.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sluice_core::decode::compression::{self, Compression, MAX_INFLATED};

fuzz_target!(|data: &[u8]| {
    let detected = compression::detect(data);
    for how in [Compression::Gzip, Compression::Zlib] {
        if let Ok(out) = compression::inflate(data, how) {
            assert!(out.len() as u64 <= MAX_INFLATED);
        }
    }
    let _ = detected;
});
