//! What a vendor's file name says: Stream Machine batches carry their time and the Kafka
//! partitions they hold (`2021-03-26T09:56:30-stream-<uuid>---0-1-2-3-4.jsonl`); validation
//! files are `.strm_test_<uuid>.jsonl`.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NameInfo {
    /// Batch time from the name (`2021-03-26T09:56:30`).
    pub time: Option<String>,
    /// Partition numbers from the name.
    pub partitions: Vec<u32>,
    /// A Stream Machine validation file (normally empty).
    pub validation_file: bool,
}

/// Reads what the last path segment of `key` says, if anything.
pub fn name_info(key: &str) -> Option<NameInfo> {
    let name = key.rsplit('/').next().unwrap_or(key);
    if name.starts_with(".strm_test_") && name.ends_with(".jsonl") {
        return Some(NameInfo {
            time: None,
            partitions: Vec::new(),
            validation_file: true,
        });
    }
    let stem = name
        .strip_suffix(".jsonl")
        .or_else(|| name.strip_suffix(".jsonl.gz"))?;
    let time = stem.get(..19).filter(|t| {
        let b = t.as_bytes();
        b.len() == 19
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':'
    })?;
    let partitions = stem
        .rsplit_once("---")
        .map(|(_, p)| p.split('-').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default();
    Some(NameInfo {
        time: Some(time.to_string()),
        partitions,
        validation_file: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_machine_names() {
        let i = name_info("encrypted-events/2021-03-26T09:56:30-stream-151daf78-eb70-4b6a-aeb4-578edc32bee6---0-1-2-3-4.jsonl").expect("batch");
        assert_eq!(i.time.as_deref(), Some("2021-03-26T09:56:30"));
        assert_eq!(i.partitions, vec![0, 1, 2, 3, 4]);
        assert!(!i.validation_file);
        let v = name_info("x/.strm_test_0b9c1f5e-1d2c-4e5f-8a9b-0c1d2e3f4a5b.jsonl")
            .expect("validation");
        assert!(v.validation_file);
        assert!(name_info("timeseries/year=2020/a.gz").is_none());
        assert!(name_info("notatime-stream.jsonl").is_none());
    }
}
