//! A pasted policy, text → JSON → findings: any text gets a report, never a panic, and a
//! report with errors never claims the document is clean.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sluice_core::policy::lint::lint;

fuzz_target!(|text: &str| {
    let report = lint(text, None);
    if report.has_errors() {
        assert!(!report.findings.is_empty());
    }
});
