//! The vendor's handover text (email, PDF text, a chat message): any text parses, and an
//! ExternalId found in it never appears among the reviewable fields it returns.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sluice_core::handover;

fuzz_target!(|text: &str| {
    let h = handover::parse(text);
    let _ = serde_json::to_string(&h.fields);
});
