//! Splitting plain CSV bytes into records fast. Most MachineMetrics lines hold no quote at
//! all: those are cut at commas with `memchr` and can be written back byte for byte. A line
//! with a quote (RFC 4180: a field with a comma, a quote or a line break) is gathered until
//! its quotes balance and parsed by the `csv` crate, so quoting is always understood.

use std::io::BufRead;

/// One record: its fields as ranges of `buf`, joined by commas.
#[derive(Debug, Default)]
pub struct Record {
    /// The fields, comma-separated (quotes removed when the line had any).
    pub buf: Vec<u8>,
    pub bounds: Vec<(usize, usize)>,
    /// The line had no quote: `buf` is the line exactly as in the file.
    pub raw: bool,
    /// The physical line the record starts on (1-based).
    pub line: u64,
}

impl Record {
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    pub fn field(&self, i: usize) -> &[u8] {
        self.bounds
            .get(i)
            .map_or(&b""[..], |&(a, b)| &self.buf[a..b])
    }

    /// Folds fields past `width` into the last one (an unquoted comma in a description).
    pub fn fold_into(&mut self, width: usize) {
        if width > 0 && self.bounds.len() > width {
            let end = self.bounds[self.bounds.len() - 1].1;
            self.bounds.truncate(width);
            self.bounds[width - 1].1 = end;
        }
    }

    fn split_raw(&mut self) {
        self.bounds.clear();
        let mut start = 0;
        for comma in memchr::memchr_iter(b',', &self.buf) {
            self.bounds.push((start, comma));
            start = comma + 1;
        }
        self.bounds.push((start, self.buf.len()));
    }
}

/// Reads records from plain CSV bytes.
pub struct Records<R> {
    inner: R,
    line: u64,
    gathered: Vec<u8>,
    parsed: csv::ByteRecord,
}

fn trim_line_end(buf: &mut Vec<u8>) {
    while matches!(buf.last(), Some(b'\n' | b'\r')) {
        buf.pop();
    }
}

impl<R: BufRead> Records<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            line: 0,
            gathered: Vec::new(),
            parsed: csv::ByteRecord::new(),
        }
    }

    /// Fills `rec` with the next non-empty record; `false` at the end.
    pub fn next_into(&mut self, rec: &mut Record) -> Result<bool, String> {
        loop {
            rec.buf.clear();
            let n = self
                .inner
                .read_until(b'\n', &mut rec.buf)
                .map_err(|e| format!("line {}: the data is damaged ({e})", self.line + 1))?;
            if n == 0 {
                return Ok(false);
            }
            self.line += 1;
            rec.line = self.line;
            trim_line_end(&mut rec.buf);
            if rec.buf.is_empty() {
                continue;
            }
            if memchr::memchr(b'"', &rec.buf).is_none() {
                rec.raw = true;
                rec.split_raw();
                return Ok(true);
            }
            // Only a quote that opens a field starts a quoted field (RFC 4180); a quote
            // inside a field (`pipe 5" dia`) is text, and the field is re-quoted on output.
            if !rec.buf.starts_with(b"\"") && memchr::memmem::find(&rec.buf, b",\"").is_none() {
                rec.raw = false;
                rec.split_raw();
                return Ok(true);
            }
            return self.quoted(rec).map(|()| true);
        }
    }

    /// A record with quotes: gather lines until the quotes balance, then parse it properly.
    fn quoted(&mut self, rec: &mut Record) -> Result<(), String> {
        let start = rec.line;
        self.gathered.clear();
        self.gathered.extend_from_slice(&rec.buf);
        while memchr::memchr_iter(b'"', &self.gathered).count() % 2 == 1 {
            self.gathered.push(b'\n');
            let before = self.gathered.len();
            let n = self
                .inner
                .read_until(b'\n', &mut self.gathered)
                .map_err(|e| format!("line {}: the data is damaged ({e})", self.line + 1))?;
            if n == 0 {
                return Err(format!("line {start}: a quoted field is never closed"));
            }
            self.line += 1;
            let mut tail = self.gathered.split_off(before);
            if tail.ends_with(b"\n") {
                tail.pop();
                if tail.ends_with(b"\r") {
                    tail.pop();
                }
            }
            self.gathered.extend_from_slice(&tail);
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&self.gathered[..]);
        match reader.read_byte_record(&mut self.parsed) {
            Ok(true) => {}
            Ok(false) => return Err(format!("line {start}: an empty quoted record")),
            Err(e) => return Err(format!("line {start}: {e}")),
        }
        rec.buf.clear();
        rec.bounds.clear();
        for (i, f) in self.parsed.iter().enumerate() {
            if i > 0 {
                rec.buf.push(b',');
            }
            let a = rec.buf.len();
            rec.buf.extend_from_slice(f);
            rec.bounds.push((a, rec.buf.len()));
        }
        rec.raw = false;
        Ok(())
    }
}

/// Appends one field, quoted when RFC 4180 requires it.
pub fn write_field(out: &mut Vec<u8>, field: &[u8]) {
    let needs = field
        .iter()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    if !needs {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    for &b in field {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(u64, bool, Vec<String>)> {
        let mut r = Records::new(text.as_bytes());
        let mut rec = Record::default();
        let mut out = Vec::new();
        while r.next_into(&mut rec).expect("read") {
            let fields = (0..rec.len())
                .map(|i| String::from_utf8_lossy(rec.field(i)).into_owned())
                .collect();
            out.push((rec.line, rec.raw, fields));
        }
        out
    }

    #[test]
    fn plain_lines_split_at_commas_and_quoted_ones_parse() {
        let got = all("a,b,,\r\n\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,1");
        assert_eq!(
            got[0],
            (1, true, vec!["a".into(), "b".into(), "".into(), "".into()])
        );
        assert_eq!(
            got[1],
            (
                3,
                false,
                vec!["x, y".into(), "say \"hi\"".into(), "two\nlines".into()]
            )
        );
        assert_eq!(got[2], (5, true, vec!["last".into(), "1".into()]));
        // A quote inside a field is text: it neither opens a field nor swallows the next line.
        let got = all("a,pipe 5\" dia,b\nnext,1\n");
        assert_eq!(
            got[0],
            (
                1,
                false,
                vec!["a".into(), "pipe 5\" dia".into(), "b".into()]
            )
        );
        assert_eq!(got[1].0, 2);
        let mut r = Records::new(&b"\"open,1\n2,3\n"[..]);
        let err = r.next_into(&mut Record::default()).expect_err("unclosed");
        assert!(err.contains("line 1"), "{err}");
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let mut out = Vec::new();
        for f in [&b"plain"[..], b"a,b", b"say \"hi\"", b""] {
            write_field(&mut out, f);
            out.push(b'|');
        }
        assert_eq!(out, b"plain|\"a,b\"|\"say \"\"hi\"\"\"||");
        let mut rec = Record {
            buf: b"1,2,desc, with comma".to_vec(),
            ..Record::default()
        };
        rec.split_raw();
        rec.fold_into(3);
        assert_eq!(rec.field(2), b"desc, with comma");
    }
}
