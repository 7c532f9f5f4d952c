//! DataMiner central-database offload rows → the connector's JSON records, field for field
//! as the seed's three schemas say: numbers as numbers, `*_UNIX` times as integers, DataAvg's
//! `AVGTREND {AVG, MIN, MAX}` nested, everything else a string. A row that does not fit —
//! a missing column, a number that is not a number, a bad timestamp — is refused whole.

use serde::{Deserialize, Serialize};

/// The three offload types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum DataType {
    Data,
    DataAvg,
    Alarm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    /// A JSON number (integer when the text is one).
    Number,
    /// Seconds since 1970 as a JSON integer.
    UnixTime,
    /// `2019-11-25T15:10:00`.
    Time,
}

use FieldType::{Number as N, Text as S, Time as T, UnixTime as U};

const DATA: &[(&str, FieldType)] = &[
    ("DMAID", N),
    ("EID", N),
    ("PID", N),
    ("INDEX", S),
    ("VALUE", S),
    ("TIMESTAMP", T),
    ("TIMESTAMP_UNIX", U),
    ("ISTATUS", N),
    ("ISTATUS_DESC", S),
    ("ELEMENT_NAME", S),
    ("PARAMETER_NAME", S),
];

/// `AVG`, `MIN` and `MAX` are columns of the file and `AVGTREND` members in the record.
const DATA_AVG: &[(&str, FieldType)] = &[
    ("DMAID", N),
    ("EID", N),
    ("PID", N),
    ("INDEX", S),
    ("AVG", S),
    ("MIN", S),
    ("MAX", S),
    ("TIMESTAMP", T),
    ("TIMESTAMP_UNIX", U),
    ("ISTATUS", N),
    ("ISTATUS_DESC", S),
    ("ELEMENT_NAME", S),
    ("PARAMETER_NAME", S),
];

/// `STATUS` is text (the seed types it as a number but its example is "Open").
const ALARM: &[(&str, FieldType)] = &[
    ("DMAID", N),
    ("EID", N),
    ("PID", N),
    ("ALARMID", N),
    ("PREVKEY", N),
    ("VALUE", S),
    ("SEVERITY_ID", N),
    ("SEVERITY", S),
    ("SEVERITY_LEVEL_ID", N),
    ("SEVERITY_LEVEL", S),
    ("TOA", T),
    ("TOA_UNIX", U),
    ("TYPE_ID", N),
    ("TYPE", S),
    ("OWNER", S),
    ("STATUS_ID", N),
    ("STATUS", S),
    ("USERCOMMENT", S),
    ("UPLOADED", S),
    ("SOURCE_ID", N),
    ("SOURCE", S),
    ("USERSTATUS_ID", N),
    ("USERSTATUS", S),
    ("ROOTKEY", N),
    ("INDEX", S),
    ("RCALEVEL", N),
    ("DISPLAY_INDEX", S),
    ("ELEMENT_NAME", S),
    ("PARAMETER_NAME", S),
    ("DISPLAY_VALUE", S),
    ("CREATIONTIME", T),
    ("CREATIONTIME_UNIX", U),
];

impl DataType {
    /// The columns of an offload file of this type, in order (no header row needed).
    pub fn columns(self) -> &'static [(&'static str, FieldType)] {
        match self {
            Self::Data => DATA,
            Self::DataAvg => DATA_AVG,
            Self::Alarm => ALARM,
        }
    }

    /// The record's `DOCUMENT_TYPE`.
    pub fn document_type(self) -> &'static str {
        match self {
            Self::Data => "DATA",
            Self::DataAvg => "DATAAVG",
            Self::Alarm => "ALARM",
        }
    }

    /// The partition key template the connector uses by default.
    pub fn default_partition_key(self) -> &'static str {
        match self {
            Self::Alarm => "{DMAID}/{ALARMID}",
            Self::Data | Self::DataAvg => "{DMAID}/{EID}/{PID}",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Data => "Data",
            Self::DataAvg => "DataAvg",
            Self::Alarm => "Alarm",
        }
    }

    /// The type a file name suggests (`…Alarm…`, `…DataAvg…`, `…Data…`).
    pub fn from_file_name(name: &str) -> Option<Self> {
        let n = name.to_ascii_lowercase();
        if n.contains("alarm") {
            Some(Self::Alarm)
        } else if n.contains("avg") || n.contains("average") {
            Some(Self::DataAvg)
        } else if n.contains("data") || n.contains("trend") {
            Some(Self::Data)
        } else {
            None
        }
    }

    /// The type a header row names, when it is one.
    pub fn from_header(fields: &[String]) -> Option<Self> {
        let has = |n: &str| fields.iter().any(|f| f.eq_ignore_ascii_case(n));
        let known = [DATA, DATA_AVG, ALARM]
            .iter()
            .flat_map(|s| s.iter())
            .filter(|(n, _)| has(n))
            .count();
        if !(has("DMAID") && has("EID")) || known < 3 {
            return None;
        }
        Some(if has("ALARMID") {
            Self::Alarm
        } else if has("AVG") || has("AVGTREND.AVG") {
            Self::DataAvg
        } else {
            Self::Data
        })
    }
}

/// Where each schema column is in a file's rows.
#[derive(Debug, Clone)]
pub struct Layout {
    pub data_type: DataType,
    positions: Vec<usize>,
    properties: Option<usize>,
}

impl Layout {
    /// Columns in schema order (a file without a header row).
    pub fn ordered(data_type: DataType) -> Self {
        Self {
            data_type,
            positions: (0..data_type.columns().len()).collect(),
            properties: None,
        }
    }

    /// Columns found by name in a header row (`DOCUMENT_TYPE` and extra columns ignored).
    pub fn from_header(data_type: DataType, header: &[String]) -> Result<Self, String> {
        let at = |n: &str| {
            header.iter().position(|h| {
                let h = h.trim();
                h.eq_ignore_ascii_case(n) || h.eq_ignore_ascii_case(&format!("AVGTREND.{n}"))
            })
        };
        let positions = data_type
            .columns()
            .iter()
            .map(|(n, _)| at(n).ok_or_else(|| format!("the header has no {n} column")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            data_type,
            positions,
            properties: at("ELEMENT_PROPERTIES"),
        })
    }

    /// The value of a schema column in a row.
    pub fn get<'a>(&self, row: &'a [String], name: &str) -> Option<&'a str> {
        let i = self
            .data_type
            .columns()
            .iter()
            .position(|(n, _)| *n == name)?;
        row.get(self.positions[i]).map(String::as_str)
    }
}

fn is_time(t: &str) -> bool {
    let b = t.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    b.len() >= 19
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b' ')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
}

fn number(name: &str, text: &str) -> Result<String, String> {
    let t = text.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Ok(i.to_string());
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() && !t.is_empty() => Ok(serde_json::Number::from_f64(f)
            .map(|n| n.to_string())
            .unwrap_or_else(|| f.to_string())),
        _ => Err(format!("{name} '{text}' is not a number")),
    }
}

fn push_text(out: &mut String, s: &str) {
    out.push_str(&serde_json::Value::String(s.to_string()).to_string());
}

/// One row as the record's JSON text, fields in the schema's order.
pub fn to_json(layout: &Layout, row: &[String]) -> Result<String, String> {
    let cols = layout.data_type.columns();
    let needed = layout.positions.iter().copied().max().unwrap_or(0) + 1;
    if row.len() < needed {
        return Err(format!(
            "{} columns, a {} row has {}",
            row.len(),
            layout.data_type.label(),
            cols.len()
        ));
    }
    let mut out = String::with_capacity(256);
    out.push_str("{\"DOCUMENT_TYPE\":");
    push_text(&mut out, layout.data_type.document_type());
    let mut avg = Vec::new();
    for (i, (name, kind)) in cols.iter().enumerate() {
        let raw = row[layout.positions[i]].as_str();
        let value = match kind {
            S => serde_json::Value::String(raw.to_string()).to_string(),
            N => number(name, raw)?,
            U => raw
                .trim()
                .parse::<i64>()
                .map(|v| v.to_string())
                .map_err(|_| format!("{name} '{raw}' is not a Unix time in seconds"))?,
            T => {
                let t = raw.trim();
                if !is_time(t) {
                    return Err(format!(
                        "{name} '{raw}' is not a time like 2019-11-25T15:10:00"
                    ));
                }
                serde_json::Value::String(t.replacen(' ', "T", 1)).to_string()
            }
        };
        if layout.data_type == DataType::DataAvg && matches!(*name, "AVG" | "MIN" | "MAX") {
            avg.push((*name, value));
            if *name == "MAX" {
                out.push_str(",\"AVGTREND\":{");
                let inner: Vec<String> = avg.iter().map(|(n, v)| format!("\"{n}\":{v}")).collect();
                out.push_str(&inner.join(","));
                out.push('}');
            }
            continue;
        }
        out.push_str(&format!(",\"{name}\":{value}"));
    }
    if let Some(p) = layout
        .properties
        .and_then(|p| row.get(p))
        .filter(|p| !p.trim().is_empty())
    {
        let v: serde_json::Value = serde_json::from_str(p)
            .ok()
            .filter(serde_json::Value::is_object)
            .ok_or_else(|| "ELEMENT_PROPERTIES is not a JSON object".to_string())?;
        out.push_str(&format!(",\"ELEMENT_PROPERTIES\":{v}"));
    }
    out.push('}');
    Ok(out)
}

#[cfg(test)]
mod tests;
