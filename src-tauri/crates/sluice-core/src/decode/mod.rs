//! One decode chain for every record Sluice shows — Kinesis records, pasted `get-records`
//! output, S3 previews and (next) report rows: a KPL aggregate is unpacked into its records,
//! gzip or zlib inflated by their magic bytes, then the content recognised (`formats`). Files
//! use the same pieces: `sniff` tells what a file is from its first bytes, `table` turns them
//! into columns with the MachineMetrics schema, CSV splitting and JSON flattening of
//! `formats`. Each step is a small function; a step that fails leaves a note on the record
//! and shows it raw, it never drops it.

pub mod compression;
pub mod formats;
pub mod kpl;
pub mod paste;
pub mod sniff;
pub mod table;

use base64::Engine;
use serde::{Deserialize, Serialize};

pub use formats::{Field, RecordKind};

/// How much of a record's raw bytes travel with it (to the UI); the size is always given.
pub const RAW_PREVIEW_BYTES: usize = 4096;

/// Where a record came from, as Kinesis (or a paste) says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordSource {
    pub shard: Option<String>,
    pub sequence: Option<String>,
    pub partition_key: Option<String>,
    /// RFC 3339.
    pub arrival: Option<String>,
}

/// A record, decoded. Deserialisable so the UI can hand back the records it filtered for
/// export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DecodedRecord {
    pub shard: Option<String>,
    pub sequence: Option<String>,
    /// The position inside a KPL aggregate.
    pub subsequence: Option<u32>,
    pub partition_key: Option<String>,
    pub explicit_hash_key: Option<String>,
    pub arrival: Option<String>,
    pub kind: RecordKind,
    pub fields: Vec<Field>,
    /// What a step could not do (a bad KPL checksum, corrupt gzip …).
    pub notes: Vec<String>,
    /// The record's size in bytes, as it arrived.
    pub raw_size: u32,
    /// The first bytes as it arrived, base64 (at most `RAW_PREVIEW_BYTES`).
    pub raw_base64: String,
}

fn raw_preview(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(&data[..data.len().min(RAW_PREVIEW_BYTES)])
}

fn one(
    source: &RecordSource,
    data: &[u8],
    subsequence: Option<u32>,
    keys: (Option<String>, Option<String>),
    mut notes: Vec<String>,
) -> DecodedRecord {
    let inflated = match compression::detect(data) {
        Some(how) => match compression::inflate(data, how) {
            Ok(bytes) => Some(bytes),
            Err(why) => {
                notes.push(why);
                None
            }
        },
        None => None,
    };
    let (kind, fields) = match &inflated {
        Some(bytes) => formats::recognise(bytes),
        // A step failed: show the bytes as they are, whatever they look like.
        None if !notes.is_empty() => formats::binary(data),
        None => formats::recognise(data),
    };
    DecodedRecord {
        shard: source.shard.clone(),
        sequence: source.sequence.clone(),
        subsequence,
        partition_key: keys.0.or_else(|| source.partition_key.clone()),
        explicit_hash_key: keys.1,
        arrival: source.arrival.clone(),
        kind,
        fields,
        notes,
        raw_size: u32::try_from(data.len()).unwrap_or(u32::MAX),
        raw_base64: raw_preview(data),
    }
}

/// A record as one JSON object: `{shard, sequence, subsequence, partition_key,
/// explicit_hash_key, arrival, kind, fields: {name: value}, notes}` (the CLI's `--json` and
/// the JSONL export).
pub fn json_line(r: &DecodedRecord) -> serde_json::Value {
    let fields: serde_json::Map<String, serde_json::Value> = r
        .fields
        .iter()
        .map(|f| (f.name.clone(), serde_json::Value::String(f.value.clone())))
        .collect();
    serde_json::json!({
        "shard": r.shard,
        "sequence": r.sequence,
        "subsequence": r.subsequence,
        "partition_key": r.partition_key,
        "explicit_hash_key": r.explicit_hash_key,
        "arrival": r.arrival,
        "kind": r.kind,
        "fields": fields,
        "notes": r.notes,
    })
}

/// Decodes one record: a KPL aggregate gives one row per inner record.
pub fn decode(source: &RecordSource, data: &[u8]) -> Vec<DecodedRecord> {
    if !kpl::is_aggregate(data) {
        return vec![one(source, data, None, (None, None), Vec::new())];
    }
    match kpl::deaggregate(data) {
        Ok(inner) => inner
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let mut d = one(
                    source,
                    &r.data,
                    Some(u32::try_from(i).unwrap_or(u32::MAX)),
                    (r.partition_key, r.explicit_hash_key),
                    Vec::new(),
                );
                d.raw_size = u32::try_from(r.data.len()).unwrap_or(u32::MAX);
                d
            })
            .collect(),
        Err(e) => vec![one(
            source,
            data,
            None,
            (None, None),
            vec![format!("{e}: shown raw")],
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gz(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).expect("gzip");
        e.finish().expect("gzip")
    }

    #[test]
    fn aggregates_unpack_into_rows_with_their_keys() {
        let packed = kpl::aggregate(&[
            kpl::InnerRecord {
                partition_key: Some("1013".into()),
                explicit_hash_key: None,
                data: b"{\"DOCUMENT_TYPE\":\"DATA\",\"VALUE\":\"1\"}".to_vec(),
            },
            kpl::InnerRecord {
                partition_key: Some("1014".into()),
                explicit_hash_key: Some("42".into()),
                data: gz(b"hello"),
            },
        ]);
        let source = RecordSource {
            shard: Some("shardId-000000000000".into()),
            sequence: Some("4959".into()),
            ..RecordSource::default()
        };
        let rows = decode(&source, &packed);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].subsequence, rows[0].partition_key.as_deref()),
            (Some(0), Some("1013"))
        );
        assert_eq!(rows[0].kind, RecordKind::DataMinerData);
        assert_eq!(rows[1].explicit_hash_key.as_deref(), Some("42"));
        assert_eq!(rows[1].kind, RecordKind::Text);
        assert!(rows.iter().all(|r| r.sequence.as_deref() == Some("4959")));
    }

    #[test]
    fn what_cannot_be_read_is_shown_raw_with_a_note() {
        let mut packed = kpl::aggregate(&[kpl::InnerRecord {
            partition_key: Some("k".into()),
            explicit_hash_key: None,
            data: b"x".to_vec(),
        }]);
        let last = packed.len() - 1;
        packed[last] ^= 1;
        let rows = decode(&RecordSource::default(), &packed);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].kind, RecordKind::Binary);
        assert!(rows[0].notes[0].contains("MD5"), "{:?}", rows[0].notes);
        let mut broken = gz(b"some text that is long enough to be cut");
        broken.truncate(12);
        let rows = decode(&RecordSource::default(), &broken);
        assert_eq!(rows[0].kind, RecordKind::Binary);
        assert!(
            rows[0].notes[0].contains("corrupt gzip"),
            "{:?}",
            rows[0].notes
        );
    }

    #[test]
    fn a_1_mib_record_keeps_its_size_and_a_capped_preview() {
        let big = vec![b'a'; 1024 * 1024];
        let rows = decode(&RecordSource::default(), &big);
        assert_eq!(rows[0].raw_size, 1024 * 1024);
        assert!(rows[0].raw_base64.len() <= RAW_PREVIEW_BYTES * 4 / 3 + 4);
    }
}
