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
    let commas: Vec<usize> = complete.iter().map(|l| l.matches(',').count()).collect();
    if commas.first().is_some_and(|&c| c > 0) && commas.iter().all(|&c| c == commas[0]) {
        return ContentKind::Csv;
    }
    ContentKind::Text
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
}
