//! One record's plain bytes recognised as CSV (quoted or not), a MachineMetrics line, JSON
//! or binary: every input gets a kind and at least one field.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sluice_core::decode::formats;

fuzz_target!(|data: &[u8]| {
    let (_, fields) = formats::recognise(data);
    assert!(!fields.is_empty());
    let (_, fields) = formats::binary(data);
    assert!(!fields.is_empty());
});
