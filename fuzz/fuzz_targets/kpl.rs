//! KPL de-aggregation with its MD5 check: any bytes are refused or unpacked, and what unpacks
//! packs again into an aggregate that unpacks to the same records.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sluice_core::decode::kpl;

fuzz_target!(|data: &[u8]| {
    let _ = kpl::is_aggregate(data);
    if let Ok(records) = kpl::deaggregate(data) {
        let again = kpl::aggregate(&records);
        assert_eq!(kpl::deaggregate(&again).ok(), Some(records));
    }
});
