//! The browse actions the app and CLI share, each acting through a connection or the
//! source identity: list, preview, object details, download with progress and cancel.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::download::{self, DownloadEvent, DownloadItem, DownloadOptions, DownloadSummary};
use super::listing::{self, ListPage, RangeListing};
use super::partitions;
use super::preview::{self, Preview, PreviewLimits};
use super::uri::S3Uri;
use crate::aws::errors;
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::validate;

/// Everything the details panel shows about one object.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ObjectDetails {
    pub bucket: String,
    pub key: String,
    pub size: f64,
    pub last_modified: Option<String>,
    pub storage_class: Option<String>,
    pub content_type: Option<String>,
    pub content_encoding: Option<String>,
    pub etag: Option<String>,
    pub s3_uri: String,
    pub console_url: String,
}

/// A download request from the UI.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DownloadRequest {
    pub connection: Option<String>,
    pub bucket: String,
    /// Exact keys to fetch (a selection), or empty to fetch everything under `prefix`.
    pub keys: Vec<String>,
    /// The prefix the local folder structure starts from.
    pub prefix: String,
    pub dest: String,
    pub decompress: bool,
    pub conflict: download::Conflict,
}

fn dest_path(dest: &str) -> Result<PathBuf> {
    let p = PathBuf::from(dest.trim());
    if dest.trim().is_empty() || !p.is_absolute() {
        return Err(CoreError::invalid(
            "destination folder",
            "choose an absolute folder path",
        ));
    }
    if p.exists() && !p.is_dir() {
        return Err(CoreError::invalid(
            "destination folder",
            format!("{} is a file", p.display()),
        ));
    }
    Ok(p)
}

impl Sluice {
    pub async fn browse_list(
        &self,
        connection: Option<&str>,
        bucket: &str,
        prefix: &str,
        token: Option<String>,
    ) -> Result<ListPage> {
        let s3 = self.s3_client(connection).await?;
        listing::list_page(&s3, bucket, prefix, Some("/"), token, 1000).await
    }

    pub async fn browse_range(
        &self,
        connection: Option<&str>,
        bucket: &str,
        base: &str,
        from: &str,
        to: &str,
    ) -> Result<RangeListing> {
        validate::bucket_name(bucket)?;
        validate::prefix(base)?;
        let s3 = self.s3_client(connection).await?;
        listing::list_range(
            &s3,
            bucket,
            base,
            partitions::parse_hour(from)?,
            partitions::parse_hour(to)?,
        )
        .await
    }

    pub async fn browse_preview(
        &self,
        connection: Option<&str>,
        bucket: &str,
        key: &str,
        rows: Option<u32>,
    ) -> Result<Preview> {
        validate::bucket_name(bucket)?;
        validate::prefix(key)?;
        let s3 = self.s3_client(connection).await?;
        let limits = PreviewLimits {
            rows: rows.map_or(100, |r| r.clamp(1, 10_000) as usize),
            ..PreviewLimits::default()
        };
        preview::preview_object(&s3, bucket, key, limits).await
    }

    pub async fn object_details(
        &self,
        connection: Option<&str>,
        bucket: &str,
        key: &str,
    ) -> Result<ObjectDetails> {
        validate::bucket_name(bucket)?;
        validate::prefix(key)?;
        let clients = match connection {
            Some(name) => self.connection_clients(name).await?,
            None => self.aws().await?,
        };
        let out = clients
            .s3()
            .head_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| errors::classify("s3:GetObject", e))?;
        let uri = S3Uri {
            bucket: bucket.to_string(),
            key: key.to_string(),
        };
        Ok(ObjectDetails {
            bucket: bucket.to_string(),
            key: key.to_string(),
            size: out.content_length().unwrap_or(0).max(0) as f64,
            last_modified: out
                .last_modified()
                .and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok()),
            storage_class: Some(
                out.storage_class()
                    .map_or("STANDARD".to_string(), |s| s.as_str().to_string()),
            ),
            content_type: out.content_type().map(str::to_string),
            content_encoding: out.content_encoding().map(str::to_string),
            etag: out.e_tag().map(|e| e.trim_matches('"').to_string()),
            s3_uri: uri.to_string(),
            console_url: S3Uri {
                bucket: bucket.to_string(),
                key: key
                    .rsplit_once('/')
                    .map(|(p, _)| format!("{p}/"))
                    .unwrap_or_default(),
            }
            .console_url(clients.region()),
        })
    }

    /// What a download would write, with files that already exist marked, so the user can be
    /// asked before anything is overwritten.
    pub async fn plan_download(&self, req: &DownloadRequest) -> Result<Vec<DownloadItem>> {
        validate::bucket_name(&req.bucket)?;
        validate::prefix(&req.prefix)?;
        let dest = dest_path(&req.dest)?;
        let s3 = self.s3_client(req.connection.as_deref()).await?;
        let objects: Vec<(String, f64)> = if req.keys.is_empty() {
            listing::list_all(&s3, &req.bucket, &req.prefix, |_| {})
                .await?
                .into_iter()
                .map(|o| (o.key, o.size))
                .collect()
        } else {
            req.keys.iter().map(|k| (k.clone(), 0.0)).collect()
        };
        Ok(download::plan(&dest, &req.prefix, &objects))
    }

    /// Runs a download as a cancellable job, reporting progress through `progress`.
    pub async fn download(
        &self,
        req: DownloadRequest,
        progress: Arc<dyn Fn(u32, DownloadEvent) + Send + Sync>,
    ) -> Result<DownloadSummary> {
        let items = self.plan_download(&req).await?;
        let dest = dest_path(&req.dest)?;
        let s3 = self.s3_client(req.connection.as_deref()).await?;
        let mut job = self.jobs().start("Download");
        let (id, cancel) = (job.id(), job.cancel());
        let report: Arc<dyn Fn(DownloadEvent) + Send + Sync> = Arc::new(move |e| progress(id, e));
        let options = DownloadOptions {
            conflict: req.conflict,
            decompress: req.decompress,
            concurrency: 4,
            written: self.written_files(),
        };
        let result = download::run(
            &s3,
            &req.bucket,
            Path::new(&dest),
            items,
            options,
            cancel,
            report,
        )
        .await;
        job.ended(&result, |summary| {
            format!("{} files written", summary.written)
        });
        result
    }
}

/// The folder downloads go to unless the user picks another.
pub fn default_download_dir() -> String {
    dirs::download_dir()
        .or_else(dirs::home_dir)
        .map(|d| d.join("sluice").display().to_string())
        .unwrap_or_default()
}

/// A progress message for the UI: which job, what happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct JobEvent {
    pub job: u32,
    pub event: DownloadEvent,
}
