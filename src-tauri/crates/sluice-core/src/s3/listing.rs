//! Listing a bucket as folders (one page at a time, for load-on-scroll), recursively, or by
//! date range over partition prefixes only.

use serde::Serialize;

use super::names::{name_info, NameInfo};
use super::partitions::{self, Layout, UnixHour};
use crate::aws::errors;
use crate::error::{CoreError, Result};
use crate::validate;

/// One object in a listing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ObjectEntry {
    pub key: String,
    pub size: f64,
    /// RFC 3339.
    pub last_modified: Option<String>,
    pub storage_class: Option<String>,
    pub etag: Option<String>,
    pub name: Option<NameInfo>,
}

/// One page of a folder listing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ListPage {
    pub bucket: String,
    pub prefix: String,
    /// Sub-folders (common prefixes), full prefixes ending in `/`.
    pub folders: Vec<String>,
    pub objects: Vec<ObjectEntry>,
    /// Pass back to get the next page; `None` on the last page.
    pub next_token: Option<String>,
    /// The date-partition layout below this prefix, if its folders look like one.
    pub layout: Option<Layout>,
}

fn rfc3339(t: &aws_sdk_s3::primitives::DateTime) -> Option<String> {
    t.fmt(aws_smithy_types::date_time::Format::DateTime).ok()
}

fn entry(o: &aws_sdk_s3::types::Object) -> Option<ObjectEntry> {
    let key = o.key()?.to_string();
    Some(ObjectEntry {
        size: o.size().unwrap_or(0).max(0) as f64,
        last_modified: o.last_modified().and_then(rfc3339),
        storage_class: o.storage_class().map(|s| s.as_str().to_string()),
        etag: o.e_tag().map(|e| e.trim_matches('"').to_string()),
        name: name_info(&key),
        key,
    })
}

/// One page under `prefix`: `delimiter` `/` gives folders, `None` lists recursively.
pub async fn list_page(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    prefix: &str,
    delimiter: Option<&str>,
    token: Option<String>,
    max_keys: i32,
) -> Result<ListPage> {
    validate::bucket_name(bucket)?;
    validate::prefix(prefix)?;
    let out = s3
        .list_objects_v2()
        .bucket(bucket)
        .prefix(prefix)
        .set_delimiter(delimiter.map(str::to_string))
        .set_continuation_token(token)
        .max_keys(max_keys.clamp(1, 1000))
        .send()
        .await
        .map_err(|e| errors::classify("s3:ListBucket", e))?;
    let folders: Vec<String> = out
        .common_prefixes()
        .iter()
        .filter_map(|p| p.prefix().map(str::to_string))
        .collect();
    let layout = partitions::detect_layout(&folders);
    Ok(ListPage {
        bucket: bucket.to_string(),
        prefix: prefix.to_string(),
        objects: out.contents().iter().filter_map(entry).collect(),
        folders,
        next_token: out
            .next_continuation_token()
            .map(str::to_string)
            .filter(|_| out.is_truncated() == Some(true)),
        layout,
    })
}

/// Every object under `prefix` (all pages), calling `on_page` after each LIST call.
pub async fn list_all(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    prefix: &str,
    mut on_page: impl FnMut(&ListPage),
) -> Result<Vec<ObjectEntry>> {
    let mut objects = Vec::new();
    let mut token = None;
    loop {
        let page = list_page(s3, bucket, prefix, None, token, 1000).await?;
        on_page(&page);
        token = page.next_token.clone();
        objects.extend(page.objects);
        if token.is_none() {
            return Ok(objects);
        }
    }
}

/// The result of listing a date range.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RangeListing {
    pub objects: Vec<ObjectEntry>,
    /// The partition prefixes that were listed.
    pub prefixes: Vec<String>,
    /// LIST requests made (including the one that found the layout).
    pub list_calls: u32,
    pub layout: Layout,
}

/// Where the date partitions below `base` start and how they are named, with the LIST
/// requests it took. `base` itself may already be inside one (e.g. `timeseries/year=2020/`):
/// it is cut back to the part before the partition.
pub async fn partition_root(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    base: &str,
) -> Result<(String, Layout, u32)> {
    if let Some((root, layout, _)) = partitions::partition_of(base) {
        return Ok((root, layout, 0));
    }
    let page = list_page(s3, bucket, base, Some("/"), None, 1000).await?;
    let layout = page.layout.ok_or_else(|| {
        CoreError::invalid(
            "date range",
            format!("no year=/month=/day= or YYYY/MM/DD partitions under s3://{bucket}/{base}"),
        )
    })?;
    Ok((base.to_string(), layout, 1))
}

/// Objects in the partitions whose hour is in `[from, to)` below `base`. Only partition
/// prefixes in the range are listed.
pub async fn list_range(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    base: &str,
    from: UnixHour,
    to: UnixHour,
) -> Result<RangeListing> {
    let (root, layout, mut calls) = partition_root(s3, bucket, base).await?;
    let prefixes = partitions::prefixes_for_range(&root, layout, from, to)?;
    let mut objects = Vec::new();
    for prefix in &prefixes {
        let found = list_all(s3, bucket, prefix, |_| calls += 1).await?;
        objects.extend(found.into_iter().filter(|o| {
            // A day prefix may hold hours outside the range at the edges: keep the range exact.
            partitions::partition_of(&o.key).is_none_or(|(_, _, p)| {
                let h = p.unix_hour();
                p.hour.is_none() || (from..to).contains(&h)
            })
        }));
    }
    Ok(RangeListing {
        objects,
        prefixes,
        list_calls: calls,
        layout,
    })
}
