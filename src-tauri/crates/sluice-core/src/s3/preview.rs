//! Previews without downloads: one streaming GET, decompressed as it arrives, abandoned as
//! soon as the table has its rows — or when a byte budget runs out, so a gzip bomb or a 10 GB
//! object costs a few MB.

use std::io::Write;

use serde::Serialize;

use super::names::{name_info, NameInfo};
use crate::aws::errors;
use crate::decode::sniff::{self, Container, ContentKind};
use crate::decode::table::{self, Table};
use crate::error::{CoreError, Result};

/// Limits for one preview.
#[derive(Debug, Clone, Copy)]
pub struct PreviewLimits {
    pub rows: usize,
    /// Bytes read from S3 at most.
    pub read_budget: usize,
    /// Decompressed bytes kept at most.
    pub output_budget: usize,
}

impl Default for PreviewLimits {
    fn default() -> Self {
        Self {
            rows: 100,
            read_budget: 4 << 20,
            output_budget: 8 << 20,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub bucket: String,
    pub key: String,
    /// The object's size in bytes.
    pub size: f64,
    pub content_type: Option<String>,
    pub content_encoding: Option<String>,
    pub container: Container,
    pub content: ContentKind,
    pub table: Table,
    /// Bytes read from S3 for this preview.
    pub bytes_read: f64,
    /// Whether the whole object was read.
    pub complete: bool,
    /// Something the user should know (empty file, truncated gzip, budget reached …).
    pub note: Option<String>,
    pub name: Option<NameInfo>,
}

/// Feeds bytes through gzip (when needed) into a bounded buffer.
struct Decoder {
    gzip: Option<flate2::write::MultiGzDecoder<Vec<u8>>>,
    plain: Vec<u8>,
}

impl Decoder {
    fn new(container: Container) -> Self {
        Self {
            gzip: (container == Container::Gzip)
                .then(|| flate2::write::MultiGzDecoder::new(Vec::new())),
            plain: Vec::new(),
        }
    }

    fn write(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        match &mut self.gzip {
            Some(d) => d.write_all(chunk),
            None => {
                self.plain.extend_from_slice(chunk);
                Ok(())
            }
        }
    }

    fn output(&self) -> &[u8] {
        match &self.gzip {
            Some(d) => d.get_ref(),
            None => &self.plain,
        }
    }

    /// At the end of the object: a gzip stream that did not end cleanly is truncated.
    fn finish(&mut self) -> std::io::Result<()> {
        match &mut self.gzip {
            Some(d) => d.try_finish(),
            None => Ok(()),
        }
    }
}

/// Why reading stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Rows,
    Budget,
}

/// Bytes in, decompressed bytes out, in small slices so a gzip bomb is caught within one
/// slice's expansion; newlines are counted as they arrive.
struct Feed {
    limits: PreviewLimits,
    decoder: Option<Decoder>,
    container: Container,
    bytes_read: usize,
    counted: usize,
    lines: usize,
}

impl Feed {
    const SLICE: usize = 4 * 1024;

    fn new(limits: PreviewLimits) -> Self {
        Self {
            limits,
            decoder: None,
            container: Container::Empty,
            bytes_read: 0,
            counted: 0,
            lines: 0,
        }
    }

    fn start(&mut self, container: Container) {
        self.container = container;
        self.decoder = Some(Decoder::new(container));
    }

    fn push(&mut self, data: &[u8]) -> std::io::Result<Option<Stop>> {
        let Some(d) = self.decoder.as_mut() else {
            return Ok(None);
        };
        // One row more than asked, for a possible header line.
        let wanted = self.limits.rows + 1;
        for piece in data.chunks(Self::SLICE) {
            d.write(piece)?;
            let out = d.output();
            self.lines += out[self.counted..].iter().filter(|&&b| b == b'\n').count();
            self.counted = out.len();
            if self.lines >= wanted {
                return Ok(Some(Stop::Rows));
            }
            if out.len() >= self.limits.output_budget {
                return Ok(Some(Stop::Budget));
            }
        }
        Ok((self.bytes_read >= self.limits.read_budget).then_some(Stop::Budget))
    }
}

/// Streams the start of `s3://bucket/key` and returns it as a table.
pub async fn preview_object(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    limits: PreviewLimits,
) -> Result<Preview> {
    let out = s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| errors::classify("s3:GetObject", e))?;
    let size = out.content_length().unwrap_or(0).max(0) as f64;
    let content_type = out.content_type().map(str::to_string);
    let content_encoding = out.content_encoding().map(str::to_string);
    let mut body = out.body;

    let mut head: Vec<u8> = Vec::new();
    let mut feed = Feed::new(limits);
    let mut complete = false;
    let mut stop = None;
    loop {
        let chunk = body.try_next().await.map_err(|e| CoreError::Network {
            action: "s3:GetObject".into(),
            detail: e.to_string(),
        })?;
        let Some(chunk) = chunk else {
            complete = true;
            break;
        };
        feed.bytes_read += chunk.len();
        if feed.decoder.is_none() {
            head.extend_from_slice(&chunk);
            if head.len() < 4 {
                continue;
            }
            feed.start(sniff::container(&head));
            stop = feed
                .push(&std::mem::take(&mut head))
                .map_err(|e| bad_gzip(bucket, key, &e))?;
        } else {
            stop = feed.push(&chunk).map_err(|e| bad_gzip(bucket, key, &e))?;
        }
        if stop.is_some() {
            break;
        }
    }
    drop(body);
    if feed.decoder.is_none() {
        // Objects of fewer than 4 bytes.
        feed.start(sniff::container(&head));
        stop = feed.push(&head).map_err(|e| bad_gzip(bucket, key, &e))?;
    }
    let bytes_read = feed.bytes_read;
    let container = feed.container;
    let mut note = (stop == Some(Stop::Budget)).then(|| {
        format!(
            "stopped after {} KiB read: the preview budget ran out before {} rows",
            bytes_read / 1024,
            limits.rows
        )
    });
    let mut d = feed
        .decoder
        .unwrap_or_else(|| Decoder::new(Container::Plain));
    if complete {
        if let Err(e) = d.finish() {
            if d.output().is_empty() {
                return Err(bad_gzip(bucket, key, &e));
            }
            note = Some("the gzip data is truncated: the object ends before the compressed stream does; showing the rows that could be read".into());
        }
    }
    let data = d.output();
    let sample = &data[..data.len().min(64 * 1024)];
    let content = if bytes_read == 0 {
        ContentKind::Empty
    } else {
        sniff::content(sample)
    };
    if content == ContentKind::Empty && note.is_none() {
        note = Some("empty file (a validation or idle batch)".into());
    }
    let container = if bytes_read == 0 {
        Container::Empty
    } else {
        container
    };
    let table = table::build(content, data, complete, limits.rows);
    Ok(Preview {
        bucket: bucket.to_string(),
        key: key.to_string(),
        size,
        content_type,
        content_encoding,
        container,
        content,
        table,
        bytes_read: bytes_read as f64,
        complete,
        note,
        name: name_info(key),
    })
}

fn bad_gzip(bucket: &str, key: &str, e: &std::io::Error) -> CoreError {
    let why = if e.kind() == std::io::ErrorKind::UnexpectedEof {
        "the file ends before the compressed data does (a truncated upload or download)".to_string()
    } else {
        format!("the data is not valid gzip ({e})")
    };
    CoreError::invalid(format!("gzip data in s3://{bucket}/{key}"), why)
}
