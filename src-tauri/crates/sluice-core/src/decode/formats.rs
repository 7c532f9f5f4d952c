//! What a record says: the vendors' formats recognised field by field, any other JSON
//! flattened, CSV lines split with RFC 4180 quoting, text as text, and anything else as hex
//! and base64 — never an error.

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The MachineMetrics schema (seed: machinemetrics-data-access.txt). Their files have no
/// header row, so a 12-column CSV whose first field is a timestamp gets these names.
pub const MACHINEMETRICS_COLUMNS: [&str; 12] = [
    "eventTime",
    "processTime",
    "companyId",
    "machineRef",
    "type",
    "subtype",
    "key",
    "value",
    "nativeCode",
    "nativeSeverity",
    "qualifier",
    "description",
];

/// The kind of record, as recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum RecordKind {
    /// A MachineMetrics CSV line: the 12 named columns.
    MachineMetrics,
    /// DataMiner `DOCUMENT_TYPE` Data.
    DataMinerData,
    /// DataMiner `DOCUMENT_TYPE` DataAvg (`AVGTREND.AVG/MIN/MAX`).
    DataMinerDataAvg,
    /// DataMiner `DOCUMENT_TYPE` Alarm.
    DataMinerAlarm,
    /// An emnify event (`event_type`, `endpoint`, `sim` …).
    EmnifyEvent,
    /// An emnify usage record (`volume`, `operator` …).
    EmnifyUsage,
    /// Stream Machine JSON with `strmMeta`.
    StreamMachine,
    /// Any other JSON.
    Json,
    /// A CSV line of unknown schema.
    Csv,
    Text,
    Binary,
}

/// One column of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Field {
    pub name: String,
    pub value: String,
}

fn field(name: impl Into<String>, value: impl Into<String>) -> Field {
    Field {
        name: name.into(),
        value: value.into(),
    }
}

fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Nested objects become dotted names at any depth (`endpoint.name`, `operator.country.mcc`);
/// arrays stay JSON text.
pub(crate) fn flatten(prefix: &str, value: &Value, out: &mut Vec<Field>) {
    match value {
        // An empty object keeps its column: `{}` shows as `json: {}`, `{"meta":{}}` as
        // `meta: {}`, never as a row without it.
        Value::Object(map) if map.is_empty() => {
            let name = if prefix.is_empty() { "json" } else { prefix };
            out.push(field(name, "{}"));
        }
        Value::Object(map) => {
            for (k, v) in map {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&name, v, out);
            }
        }
        other => out.push(field(prefix, cell(other))),
    }
}

fn json_kind(map: &serde_json::Map<String, Value>) -> RecordKind {
    if let Some(t) = map.get("DOCUMENT_TYPE").and_then(Value::as_str) {
        match t.to_ascii_lowercase().replace(['_', ' '], "").as_str() {
            "data" => return RecordKind::DataMinerData,
            "dataavg" | "avg" | "average" => return RecordKind::DataMinerDataAvg,
            "alarm" => return RecordKind::DataMinerAlarm,
            _ => {}
        }
    }
    if map.contains_key("strmMeta") {
        return RecordKind::StreamMachine;
    }
    if map.contains_key("event_type") {
        return RecordKind::EmnifyEvent;
    }
    if map.contains_key("volume")
        && (map.contains_key("operator") || map.contains_key("sim") || map.contains_key("endpoint"))
    {
        return RecordKind::EmnifyUsage;
    }
    RecordKind::Json
}

pub(crate) fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 19
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b' ' || b[10] == b'T')
        && b[13] == b':'
}

/// A MachineMetrics line: 12 fields, a timestamp first; a description holding an unquoted
/// comma takes the rest of the line.
fn machinemetrics(fields: &[String]) -> Option<Vec<Field>> {
    if fields.len() < 12
        || !fields.first().is_some_and(|f| looks_like_timestamp(f))
        || !looks_like_timestamp(&fields[1])
    {
        return None;
    }
    let mut values: Vec<String> = fields[..11].to_vec();
    values.push(fields[11..].join(","));
    Some(
        MACHINEMETRICS_COLUMNS
            .iter()
            .zip(values)
            .map(|(n, v)| field(*n, v))
            .collect(),
    )
}

fn csv_fields(text: &str) -> Option<Vec<String>> {
    let line = text.trim_end_matches(['\r', '\n']);
    if line.contains('\n') {
        return None;
    }
    // Most lines hold no quotes: split them directly (the csv reader would allocate its
    // buffers for every record, and this chain runs per record).
    if !line.contains('"') {
        let fields: Vec<String> = line.split(',').map(str::to_string).collect();
        return (fields.len() >= 2).then_some(fields);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let record = reader.records().next()?.ok()?;
    (record.len() >= 2).then(|| record.iter().map(str::to_string).collect())
}

fn hex(data: &[u8]) -> String {
    data.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Bytes shown as they are: hex (the first 256) and base64.
pub fn binary(data: &[u8]) -> (RecordKind, Vec<Field>) {
    (
        RecordKind::Binary,
        vec![
            field("hex", hex(&data[..data.len().min(256)])),
            field(
                "base64",
                base64::engine::general_purpose::STANDARD.encode(data),
            ),
        ],
    )
}

/// Recognises a record's (decompressed) bytes.
pub fn recognise(data: &[u8]) -> (RecordKind, Vec<Field>) {
    let text = std::str::from_utf8(data).ok().filter(|t| {
        !t.chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    });
    let Some(text) = text else {
        return binary(data);
    };
    let trimmed = text.trim().trim_start_matches('\u{feff}');
    if trimmed.starts_with('{') {
        if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(trimmed) {
            let kind = json_kind(&map);
            let mut fields = Vec::new();
            flatten("", &Value::Object(map), &mut fields);
            return (kind, fields);
        }
    }
    if let Some(fields) = csv_fields(trimmed) {
        if let Some(mm) = machinemetrics(&fields) {
            return (RecordKind::MachineMetrics, mm);
        }
        return (
            RecordKind::Csv,
            fields
                .into_iter()
                .enumerate()
                .map(|(i, v)| field(format!("column {}", i + 1), v))
                .collect(),
        );
    }
    (RecordKind::Text, vec![field("text", text)])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `record_formats` fuzz target: `{}` gave a row without a single column,
    /// and an empty nested object vanished from the row.
    #[test]
    fn empty_json_objects_keep_a_column() {
        let (kind, fields) = recognise(b"{}\n");
        assert_eq!(kind, RecordKind::Json);
        assert_eq!(fields, vec![field("json", "{}")]);
        let (_, fields) = recognise(br#"{"meta":{},"v":1}"#);
        assert_eq!(get(&fields, "meta"), Some("{}"));
        assert_eq!(get(&fields, "v"), Some("1"));
    }

    fn get<'a>(fields: &'a [Field], name: &str) -> Option<&'a str> {
        fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.as_str())
    }

    #[test]
    fn each_vendor_format_is_recognised() {
        let (k, f) = recognise(b"2020-09-21 13:03:30.907,2020-09-21 13:03:35.720,acme,1013,Sample,ALARM,a1,1,E7,3,,Door open, cycle stopped");
        assert_eq!(k, RecordKind::MachineMetrics);
        assert_eq!(get(&f, "machineRef"), Some("1013"));
        assert_eq!(get(&f, "description"), Some("Door open, cycle stopped"));
        let (k, f) = recognise(br#"{"DOCUMENT_TYPE":"DATAAVG","DMAID":35712,"AVGTREND":{"AVG":1.5,"MIN":1,"MAX":2},"TIMESTAMP_UNIX":1574694600}"#);
        assert_eq!(k, RecordKind::DataMinerDataAvg);
        assert_eq!(get(&f, "AVGTREND.MAX"), Some("2"));
        assert_eq!(
            recognise(br#"{"DOCUMENT_TYPE":"ALARM","ALARMID":1}"#).0,
            RecordKind::DataMinerAlarm
        );
        assert_eq!(
            recognise(br#"{"DOCUMENT_TYPE":"Data","VALUE":"0.123"}"#).0,
            RecordKind::DataMinerData
        );
        let (k, f) = recognise(br#"{"id":1,"event_type":{"id":3,"description":"Update location"},"endpoint":{"name":"Truck 12","imei":"3566"},"sim":{"iccid":"8988"}}"#);
        assert_eq!(k, RecordKind::EmnifyEvent);
        assert_eq!(get(&f, "endpoint.name"), Some("Truck 12"));
        assert_eq!(get(&f, "sim.iccid"), Some("8988"));
        let (k, f) = recognise(br#"{"volume":{"rx":1.5,"tx":0.5},"operator":{"mnc":"01","country":{"mcc":"262"}},"endpoint":{"name":"x"}}"#);
        assert_eq!(k, RecordKind::EmnifyUsage);
        assert_eq!(get(&f, "operator.country.mcc"), Some("262"));
        let (k, f) = recognise(br#"{"strmMeta":{"schemaId":"nps_unified_v1","timestamp":1616752583028},"device_id":"d1"}"#);
        assert_eq!(k, RecordKind::StreamMachine);
        assert_eq!(get(&f, "strmMeta.timestamp"), Some("1616752583028"));
        assert_eq!(recognise(br#"{"any":{"thing":[1,2]}}"#).0, RecordKind::Json);
        let (k, f) = recognise(b"1013,\"Door open, cycle stopped\",1\r\n");
        assert_eq!(k, RecordKind::Csv);
        assert_eq!(get(&f, "column 2"), Some("Door open, cycle stopped"));
        assert_eq!(recognise(b"hello world").0, RecordKind::Text);
        let (k, f) = recognise(&[0, 159, 146, 150]);
        assert_eq!(k, RecordKind::Binary);
        assert_eq!(get(&f, "hex"), Some("00 9f 92 96"));
        assert_eq!(get(&f, "base64"), Some("AJ+Slg=="));
    }
}
