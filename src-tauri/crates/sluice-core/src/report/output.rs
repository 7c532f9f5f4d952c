//! The report file: plain RFC 4180 CSV, CSV for Excel (UTF-8 BOM, CRLF) or an `.xlsx`
//! workbook written in constant memory.
//!
//! Everything goes to a fresh `.<name>.<random>.part` beside the target, moved into place
//! only when the run succeeds; dropping an unfinished output deletes it. An existing file is
//! replaced only when the user said so, checked again at the rename.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::spec::OutputFormat;
use crate::error::{CoreError, Result};

/// Excel's sheet limit, the header included.
pub const XLSX_MAX_ROWS: u32 = 1_048_576;

enum Sink {
    Csv(BufWriter<std::fs::File>),
    Xlsx {
        book: Box<rust_xlsxwriter::Workbook>,
        row: u32,
    },
}

pub struct OutputFile {
    target: PathBuf,
    part: tempfile::TempPath,
    sink: Sink,
    replace: bool,
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> CoreError {
    CoreError::Internal {
        detail: format!("{}: {e}", path.display()),
    }
}

/// Checks a report's target path before anything is read.
pub fn check_target(target: &Path, replace: bool) -> Result<()> {
    if !target.is_absolute() || target.file_name().is_none() {
        return Err(CoreError::invalid(
            "output file",
            "choose an absolute file path",
        ));
    }
    let dir = target.parent().unwrap_or(Path::new("/"));
    if !dir.is_dir() {
        return Err(CoreError::invalid(
            "output file",
            format!("the folder {} does not exist", dir.display()),
        ));
    }
    if target.exists() && !replace {
        return Err(CoreError::invalid(
            "output file",
            format!(
                "{} already exists: choose another name or allow replacing it",
                target.display()
            ),
        ));
    }
    Ok(())
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> CoreError {
    CoreError::Internal {
        detail: format!("writing the workbook: {e}"),
    }
}

impl OutputFile {
    pub fn create(
        target: &Path,
        format: OutputFormat,
        columns: &[String],
        replace: bool,
    ) -> Result<Self> {
        check_target(target, replace)?;
        let dir = target.parent().unwrap_or(Path::new("/"));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let part = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".part")
            .tempfile_in(dir)
            .map_err(|e| io_error(target, e))?;
        let (file, part) = part.into_parts();
        let sink = match format {
            OutputFormat::Csv | OutputFormat::ExcelCsv => {
                let mut w = BufWriter::with_capacity(1 << 20, file);
                let crlf = format == OutputFormat::ExcelCsv;
                if crlf {
                    w.write_all("\u{feff}".as_bytes())
                        .map_err(|e| io_error(target, e))?;
                }
                let mut header = csv::WriterBuilder::new()
                    .terminator(if crlf {
                        csv::Terminator::CRLF
                    } else {
                        csv::Terminator::Any(b'\n')
                    })
                    .from_writer(Vec::new());
                header
                    .write_record(columns)
                    .map_err(|e| io_error(target, e))?;
                w.write_all(&header.into_inner().unwrap_or_default())
                    .map_err(|e| io_error(target, e))?;
                Sink::Csv(w)
            }
            OutputFormat::Xlsx => {
                drop(file);
                let mut book = Box::new(rust_xlsxwriter::Workbook::new());
                let sheet = book
                    .add_worksheet_with_constant_memory()
                    .map_err(xlsx_error)?;
                sheet.set_name("Report").map_err(xlsx_error)?;
                for (c, name) in columns.iter().enumerate() {
                    sheet
                        .write_string(0, c as u16, name.as_str())
                        .map_err(xlsx_error)?;
                }
                Sink::Xlsx { book, row: 1 }
            }
        };
        Ok(Self {
            target: target.to_path_buf(),
            part,
            sink,
            replace,
        })
    }

    /// Appends encoded rows (CSV, as [`super::rows`] writes them).
    pub fn write_rows(&mut self, data: &[u8]) -> Result<()> {
        match &mut self.sink {
            Sink::Csv(w) => w.write_all(data).map_err(|e| io_error(&self.target, e)),
            Sink::Xlsx { book, row } => {
                let sheet = book.worksheet_from_index(0).map_err(xlsx_error)?;
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(data);
                for record in reader.records() {
                    let record = record.map_err(|e| io_error(&self.target, e))?;
                    if *row >= XLSX_MAX_ROWS {
                        return Err(CoreError::invalid(
                            "output format",
                            format!(
                                "more than {} rows do not fit in an Excel sheet: choose CSV or a shorter range",
                                XLSX_MAX_ROWS - 1
                            ),
                        ));
                    }
                    for (c, cell) in record.iter().enumerate() {
                        let c = c as u16;
                        match plain_number(cell) {
                            Some(n) => sheet.write_number(*row, c, n),
                            None => sheet.write_string(*row, c, cell),
                        }
                        .map_err(xlsx_error)?;
                    }
                    *row += 1;
                }
                Ok(())
            }
        }
    }

    /// Flushes, moves the part file into place and returns the path written.
    pub fn finish(self) -> Result<PathBuf> {
        let Self {
            target,
            part,
            sink,
            replace,
        } = self;
        match sink {
            Sink::Csv(w) => {
                let file = w.into_inner().map_err(|e| io_error(&target, e.error()))?;
                file.sync_all().map_err(|e| io_error(&target, e))?;
            }
            Sink::Xlsx { mut book, .. } => {
                book.save(&*part).map_err(xlsx_error)?;
            }
        }
        crate::files::place::persist(part, &target, replace).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                CoreError::invalid(
                    "output file",
                    format!(
                        "{} appeared meanwhile; nothing was replaced",
                        target.display()
                    ),
                )
            } else {
                crate::files::place::place_error(&target, &e.error)
            }
        })?;
        Ok(target)
    }
}

/// A cell that is a plain decimal number (no leading zeros, no exponent) becomes a number;
/// everything else, timestamps included, stays text as in the source.
fn plain_number(cell: &str) -> Option<f64> {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let ok = !digits.is_empty()
        && digits.len() <= 15
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.')
        && !(digits.starts_with('0') && digits.len() > 1 && !digits.starts_with("0."));
    ok.then(|| cell.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> Vec<String> {
        vec!["eventTime".into(), "value".into()]
    }

    #[test]
    fn csv_for_excel_has_a_bom_and_crlf() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("r.csv");
        let mut out =
            OutputFile::create(&target, OutputFormat::ExcelCsv, &cols(), false).expect("create");
        out.write_rows(b"2020-09-21 10:00:01,6\r\n").expect("rows");
        out.finish().expect("finish");
        let bytes = std::fs::read(&target).expect("read");
        assert_eq!(
            bytes,
            "\u{feff}eventTime,value\r\n2020-09-21 10:00:01,6\r\n".as_bytes()
        );
        // It never replaces a file unless asked, and leaves no part file behind.
        assert!(OutputFile::create(&target, OutputFormat::Csv, &cols(), false).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
    }

    #[test]
    fn an_unfinished_output_leaves_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("r.xlsx");
        let mut out =
            OutputFile::create(&target, OutputFormat::Xlsx, &cols(), false).expect("create");
        out.write_rows(b"2020-09-21 10:00:01,6\n").expect("rows");
        drop(out);
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 0);
        let mut out =
            OutputFile::create(&target, OutputFormat::Xlsx, &cols(), false).expect("create");
        out.write_rows(b"2020-09-21 10:00:01,6\n").expect("rows");
        out.finish().expect("finish");
        let bytes = std::fs::read(&target).expect("read");
        assert_eq!(&bytes[..2], b"PK");
    }

    #[test]
    fn only_plain_numbers_become_numbers() {
        assert_eq!(plain_number("1013"), Some(1013.0));
        assert_eq!(plain_number("-2.5"), Some(-2.5));
        for text in ["007", "2020-09-21 10:00", "1e5", "", ".5", "ON"] {
            assert_eq!(plain_number(text), None, "{text}");
        }
    }
}
