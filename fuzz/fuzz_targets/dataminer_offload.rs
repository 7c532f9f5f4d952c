//! A DataMiner offload file (Data, DataAvg, Alarm CSV, any delimiter) read as `stream
//! publish` reads it: every row becomes a record or a problem naming its line, and no record
//! is larger than Kinesis takes.
#![no_main]
use std::io::Write;

use libfuzzer_sys::fuzz_target;
use sluice_core::streams::publish::source::{self, PublishFormat, MAX_RECORD_BYTES};

fuzz_target!(|data: &[u8]| {
    let Some((&how, body)) = data.split_first() else {
        return;
    };
    let format = match how % 3 {
        0 => PublishFormat::Dataminer,
        1 => PublishFormat::Jsonl,
        _ => PublishFormat::Lines,
    };
    let template = (how & 0x80 != 0).then_some("{DMAID}-{line}");
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("DMA1_Data_fuzz.csv");
    let Ok(mut f) = std::fs::File::create(&path) else {
        return;
    };
    if f.write_all(body).is_err() {
        return;
    }
    drop(f);
    if let Ok(read) = source::read_file(&path, format, None, template) {
        for r in &read.records {
            assert!(r.data.len() + r.partition_key.len() <= MAX_RECORD_BYTES);
            assert!(!r.partition_key.is_empty());
        }
    }
});
