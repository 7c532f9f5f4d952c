//! Previews without downloads: one streaming GET, decompressed as it arrives, abandoned as
//! soon as the table has its rows — or when a byte budget runs out, so a gzip bomb or a 10 GB
//! object costs a few MB.

use std::io::Write;

use serde::Serialize;

use super::names::{name_info, NameInfo};
use super::sniff::{self, Container, ContentKind};
use super::table::{self, Table};
use crate::aws::errors;
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
            output_budget: 16 << 20,
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

fn newlines(data: &[u8]) -> usize {
    data.iter().filter(|&&b| b == b'\n').count()
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
    let mut decoder: Option<Decoder> = None;
    let mut container = Container::Empty;
    let mut bytes_read = 0usize;
    let mut complete = false;
    let mut note = None;
    // One row more than asked, for a possible header line.
    let wanted_lines = limits.rows + 1;

    loop {
        let chunk = body.try_next().await.map_err(|e| CoreError::Network {
            action: "s3:GetObject".into(),
            detail: e.to_string(),
        })?;
        let Some(chunk) = chunk else {
            complete = true;
            break;
        };
        bytes_read += chunk.len();
        let d = match &mut decoder {
            Some(d) => d,
            None => {
                head.extend_from_slice(&chunk);
                if head.len() < 4 {
                    continue;
                }
                container = sniff::container(&head);
                let mut d = Decoder::new(container);
                d.write(&std::mem::take(&mut head))
                    .map_err(|e| bad_gzip(bucket, key, &e))?;
                decoder = Some(d);
                if let Some(d) = &decoder {
                    if newlines(d.output()) >= wanted_lines
                        || d.output().len() >= limits.output_budget
                    {
                        break;
                    }
                }
                continue;
            }
        };
        d.write(&chunk).map_err(|e| bad_gzip(bucket, key, &e))?;
        if newlines(d.output()) >= wanted_lines {
            break;
        }
        if d.output().len() >= limits.output_budget || bytes_read >= limits.read_budget {
            note = Some(format!(
                "stopped after {} KiB read: the preview budget ran out before {} rows",
                bytes_read / 1024,
                limits.rows
            ));
            break;
        }
    }
    drop(body);

    if decoder.is_none() {
        container = sniff::container(&head);
        let mut d = Decoder::new(container);
        d.write(&head).map_err(|e| bad_gzip(bucket, key, &e))?;
        decoder = Some(d);
    }
    let mut d = decoder.unwrap_or_else(|| Decoder::new(Container::Plain));
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
    if content == ContentKind::Empty {
        note = Some("empty file (a validation or idle batch)".into());
        container = if bytes_read == 0 {
            Container::Empty
        } else {
            container
        };
    }
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
