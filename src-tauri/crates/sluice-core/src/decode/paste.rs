//! Records pasted by people following a vendor's CLI instructions: the JSON that
//! `aws kinesis get-records` prints, or one base64 `Data` string.

use base64::Engine;
use serde_json::Value;

use super::RecordSource;
use crate::error::{CoreError, Result};

fn b64(text: &str) -> Option<Vec<u8>> {
    let t = text.trim();
    base64::engine::general_purpose::STANDARD
        .decode(t)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(t))
        .ok()
}

fn arrival(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => {
            let secs = n.as_f64()?;
            let whole = secs.floor() as i64;
            let nanos = ((secs - secs.floor()) * 1e9).round() as u32;
            aws_smithy_types::DateTime::from_secs_and_nanos(whole, nanos.min(999_999_999))
                .fmt(aws_smithy_types::date_time::Format::DateTime)
                .ok()
        }
        _ => None,
    }
}

/// The records in `text`, with what the paste says about each.
pub fn parse(text: &str) -> Result<Vec<(RecordSource, Vec<u8>)>> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(CoreError::invalid(
            "records",
            "paste the output of `aws kinesis get-records` or one base64 Data value",
        ));
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let doc: Value = serde_json::from_str(trimmed).map_err(|e| {
            CoreError::invalid(
                "records",
                format!("not the JSON of `aws kinesis get-records`: {e}"),
            )
        })?;
        let records = match &doc {
            Value::Array(items) => items.clone(),
            other => other
                .get("Records")
                .and_then(Value::as_array)
                .cloned()
                .ok_or_else(|| CoreError::invalid("records", "no \"Records\" array in the JSON"))?,
        };
        return records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let data = r
                    .get("Data")
                    .and_then(Value::as_str)
                    .and_then(b64)
                    .ok_or_else(|| {
                        CoreError::invalid(
                            "records",
                            format!("record {} has no base64 \"Data\"", i + 1),
                        )
                    })?;
                Ok((
                    RecordSource {
                        shard: None,
                        sequence: r
                            .get("SequenceNumber")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        partition_key: r
                            .get("PartitionKey")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        arrival: r.get("ApproximateArrivalTimestamp").and_then(arrival),
                    },
                    data,
                ))
            })
            .collect();
    }
    let data = b64(trimmed).ok_or_else(|| {
        CoreError::invalid(
            "records",
            "neither get-records JSON nor a base64 Data value",
        )
    })?;
    Ok(vec![(RecordSource::default(), data)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_records_output_and_single_values() {
        let json = r#"{"Records":[{"SequenceNumber":"4959","ApproximateArrivalTimestamp":1600693410.5,"Data":"aGVsbG8=","PartitionKey":"1013"}],"NextShardIterator":"AAA","MillisBehindLatest":0}"#;
        let rows = parse(json).expect("parses");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].1, b"hello");
        assert_eq!(rows[0].0.partition_key.as_deref(), Some("1013"));
        assert_eq!(rows[0].0.arrival.as_deref(), Some("2020-09-21T13:03:30.5Z"));
        assert_eq!(parse("aGVsbG8=").expect("one")[0].1, b"hello");
        assert!(parse("{\"Records\":[{\"Data\":\"***\"}]}").is_err());
        assert!(parse("not base64 at all!").is_err());
        assert!(parse("  ").is_err());
    }
}
