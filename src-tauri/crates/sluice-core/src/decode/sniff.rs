//! What a file really is, from its first bytes — whatever its name or Content-Encoding says.
//!
//! Browsers unzip `.gz` downloads without renaming them and vendors upload gzip without a
//! `.gz`; the magic bytes decide.

use serde::Serialize;

/// The container: compressed or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Container {
    Gzip,
    Zip,
    Parquet,
    Plain,
    Empty,
}

/// The content inside (after decompression).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ContentKind {
    Csv,
    Jsonl,
    Json,
    Text,
    Binary,
    Empty,
}

impl ContentKind {
    /// The file extension that names this content correctly.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Jsonl => "jsonl",
            Self::Json => "json",
            Self::Text | Self::Empty => "txt",
            Self::Binary => "bin",
        }
    }
}

pub fn container(head: &[u8]) -> Container {
    match head {
        [] => Container::Empty,
        [0x1f, 0x8b, ..] => Container::Gzip,
        [b'P', b'K', 3, 4, ..] => Container::Zip,
        [b'P', b'A', b'R', b'1', ..] => Container::Parquet,
        _ => Container::Plain,
    }
}

fn looks_binary(sample: &[u8]) -> bool {
    if sample.contains(&0) {
        return true;
    }
    let text = match std::str::from_utf8(sample) {
        Ok(t) => t,
        // A sample cut inside a multi-byte character is still text.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&sample[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return true,
    };
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    control * 20 > text.chars().count().max(1)
}

/// Classifies decompressed content from a sample of its first bytes.
pub fn content(sample: &[u8]) -> ContentKind {
    if sample.iter().all(|b| b.is_ascii_whitespace()) {
        return ContentKind::Empty;
    }
    if looks_binary(sample) {
        return ContentKind::Binary;
    }
    let text = String::from_utf8_lossy(sample);
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    // Only whole lines count: the last one may be cut by the sample.
    let whole = if sample.ends_with(b"\n") || lines.len() < 2 {
        lines.len()
    } else {
        lines.len() - 1
    };
    let complete = &lines[..whole.max(1).min(lines.len())];
    let trimmed = text.trim_start();
    if trimmed.starts_with('{')
        && complete.len() > 1
        && complete
            .iter()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok_and(|v| v.is_object()))
    {
        return ContentKind::Jsonl;
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if complete.len() == 1
            && serde_json::from_str::<serde_json::Value>(complete[0]).is_ok_and(|v| v.is_object())
            && !text.trim_end().contains('\n')
        {
            return ContentKind::Json;
        }
        if trimmed.starts_with('[')
            || serde_json::from_str::<serde_json::Value>(text.trim()).is_ok()
            || complete.len() == 1
        {
            return ContentKind::Json;
        }
    }
    if csv_delimiter(sample).is_some() {
        return ContentKind::Csv;
    }
    ContentKind::Text
}

/// The delimiters Sluice recognises, in order of preference.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The CSV delimiter of a sample, if it is CSV at all: records parsed with RFC 4180 quoting
/// (quoted delimiters, doubled quotes, line breaks inside quotes, CRLF), the first record
/// with two or more fields, and at least four in five of the first twenty records with that
/// many. Records with more fields are tolerated (a free-text last column with an unquoted
/// delimiter); fewer are not. Only whole records count: the sample may end mid-record.
pub fn csv_delimiter(sample: &[u8]) -> Option<u8> {
    let whole = match sample.iter().rposition(|&b| b == b'\n') {
        Some(i) => &sample[..=i],
        None => sample,
    };
    let whole = whole.strip_prefix("\u{feff}".as_bytes()).unwrap_or(whole);
    DELIMITERS
        .into_iter()
        .filter_map(|d| csv_fit(whole, d).map(|(fields, share)| (d, fields, share)))
        .max_by(|a, b| a.2.total_cmp(&b.2).then(a.1.cmp(&b.1)).then(b.0.cmp(&a.0)))
        .map(|(d, _, _)| d)
}

/// (fields of the first record, share of records with at least that many and the same
/// count as the majority) when `delimiter` reads `data` as a table.
fn csv_fit(data: &[u8], delimiter: u8) -> Option<(usize, f64)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(data);
    let counts: Vec<usize> = reader
        .records()
        .take(20)
        .map_while(Result::ok)
        .filter(|r| !(r.len() == 1 && r.get(0).is_some_and(|f| f.trim().is_empty())))
        .map(|r| r.len())
        .collect();
    let first = *counts.first()?;
    if first < 2 {
        return None;
    }
    let same = counts.iter().filter(|&&c| c == first).count();
    let fewer = counts.iter().any(|&c| c < first);
    let share = same as f64 / counts.len() as f64;
    (share >= 0.8 && !fewer).then_some((first, share))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers() {
        assert_eq!(container(&[0x1f, 0x8b, 8, 0]), Container::Gzip);
        assert_eq!(container(b"PK\x03\x04rest"), Container::Zip);
        assert_eq!(container(b"PAR1"), Container::Parquet);
        assert_eq!(container(b"a,b\n"), Container::Plain);
        assert_eq!(container(b""), Container::Empty);
    }

    #[test]
    fn contents() {
        assert_eq!(content(b"2020-09-21 13:03:30.907,2020-09-21 13:03:35.720,c,1013,Sample,LOAD,X1load,6,,,,\n2020-09-21 13:03:31.000,2020-09-21 13:03:36.000,c,1013,Sample,LOAD,X1load,7,,,,\n"), ContentKind::Csv);
        assert_eq!(content(b"{\"a\":1}\n{\"a\":2}\n"), ContentKind::Jsonl);
        assert_eq!(content(b"{\n  \"a\": 1\n}\n"), ContentKind::Json);
        assert_eq!(content(b"[{\"a\":1},{\"a\":2}]"), ContentKind::Json);
        assert_eq!(content(b"hello world\nsecond line\n"), ContentKind::Text);
        assert_eq!(content(b"\x00\x01\x02binary"), ContentKind::Binary);
        assert_eq!(content(b"  \n"), ContentKind::Empty);
        assert_eq!(content("é,ü\nä,ö\n".as_bytes()), ContentKind::Csv);
        // A sample cut in the middle of a UTF-8 character is still text.
        let cut = &"aé,b\nc,d\n".as_bytes()[..2];
        assert_ne!(content(cut), ContentKind::Binary);
    }

    #[test]
    fn csv_with_quoted_commas_escaped_quotes_line_breaks_and_crlf() {
        let alarm = "eventTime,machineRef,description\r\n\
            2020-09-21 10:00:00,1013,\"Door open, cycle stopped\"\r\n\
            2020-09-21 10:01:00,1013,\"Operator said \"\"stop\"\"\"\r\n\
            2020-09-21 10:02:00,1014,\"Two\nlines, really\"\r\n";
        assert_eq!(content(alarm.as_bytes()), ContentKind::Csv);
        assert_eq!(csv_delimiter(alarm.as_bytes()), Some(b','));
        // Comma counting would have called this Text: the quoted field holds a comma.
        let one_quoted = "a,b\n1,\"x, y\"\n2,z\n";
        assert_eq!(content(one_quoted.as_bytes()), ContentKind::Csv);
    }

    #[test]
    fn other_delimiters_are_found() {
        assert_eq!(csv_delimiter(b"a;b;c\n1;2,5;3\n4;5;6\n"), Some(b';'));
        assert_eq!(csv_delimiter(b"a\tb\n1\t2\n"), Some(b'\t'));
        assert_eq!(csv_delimiter(b"a|b|c\n1|2|3\n"), Some(b'|'));
        assert_eq!(csv_delimiter(b"just one column\nand another\n"), None);
        // A record cut by the sample does not count against the rest.
        assert_eq!(csv_delimiter(b"a,b,c\n1,2,3\n4,5"), Some(b','));
    }

    #[test]
    fn a_free_text_last_column_with_an_unquoted_comma_is_still_csv() {
        let mm = "2020-09-21 13:03:30.907,2020-09-21 13:03:35.720,c,1013,Sample,ALARM,a1,1,E7,3,,Door open\n\
            2020-09-21 13:03:31.000,2020-09-21 13:03:36.000,c,1013,Sample,ALARM,a1,1,E7,3,,Door open, cycle stopped\n\
            2020-09-21 13:03:32.000,2020-09-21 13:03:37.000,c,1013,Sample,ALARM,a1,0,E7,3,,Door closed\n\
            2020-09-21 13:03:33.000,2020-09-21 13:03:38.000,c,1013,Sample,ALARM,a1,0,E7,3,,Door closed\n\
            2020-09-21 13:03:34.000,2020-09-21 13:03:39.000,c,1013,Sample,ALARM,a1,0,E7,3,,Door closed\n";
        assert_eq!(content(mm.as_bytes()), ContentKind::Csv);
    }
}
