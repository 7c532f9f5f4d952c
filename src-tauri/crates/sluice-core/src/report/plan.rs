//! The plan shown before anything is downloaded: which partitions and objects a report reads,
//! how many bytes, and which hours of the range have no objects at all.
//!
//! Listing is partition-pruned (only the range's day and hour prefixes are listed), and the
//! objects come back in partition order — hour by hour, then by key — which is the order the
//! run writes rows in.

use serde::Serialize;

use super::spec::ReportSpec;
use crate::error::{CoreError, Result};
use crate::s3::listing::{self, ObjectEntry};
use crate::s3::partitions::{self, Layout, UnixHour};

/// One object to read, with the partition hour it lies in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PlannedObject {
    pub key: String,
    pub size: f64,
    /// `2020-09-21T10`.
    pub hour: String,
}

/// What a report would read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReportPlan {
    pub bucket: String,
    pub prefix: String,
    pub layout: Layout,
    /// `[from, to)` as `2020-09-21T10`.
    pub from: String,
    pub to: String,
    /// Hours in the range.
    pub hours: u32,
    /// Hours that have at least one object.
    pub partitions: u32,
    pub objects: Vec<PlannedObject>,
    pub bytes: f64,
    /// Hours of the range without a single object.
    pub missing_hours: Vec<String>,
    /// LIST requests made.
    pub list_calls: u32,
}

impl ReportPlan {
    pub fn object_count(&self) -> usize {
        self.objects.len()
    }
}

/// The partition hour an object lies in (a day-level partition counts as its first hour).
fn hour_of(o: &ObjectEntry) -> Option<UnixHour> {
    partitions::partition_of(&o.key).map(|(_, _, p)| p.unix_hour())
}

/// Lists the range and orders what it finds.
pub async fn plan(
    s3: &aws_sdk_s3::Client,
    spec: &ReportSpec,
    from: UnixHour,
    to: UnixHour,
) -> Result<ReportPlan> {
    spec.validate()?;
    let listed = listing::list_range(s3, &spec.bucket, &spec.prefix, from, to).await?;
    Ok(arrange(
        spec,
        from,
        to,
        listed.objects,
        listed.layout,
        listed.list_calls,
    ))
}

/// Orders listed objects by partition hour then key and finds the hours with none.
pub fn arrange(
    spec: &ReportSpec,
    from: UnixHour,
    to: UnixHour,
    objects: Vec<ObjectEntry>,
    layout: Layout,
    list_calls: u32,
) -> ReportPlan {
    let mut dated: Vec<(UnixHour, ObjectEntry)> = objects
        .into_iter()
        .filter(|o| !o.key.ends_with('/') && o.size > 0.0)
        .filter_map(|o| hour_of(&o).map(|h| (h, o)))
        .collect();
    dated.sort_by(|a, b| (a.0, &a.1.key).cmp(&(b.0, &b.1.key)));
    let present: std::collections::BTreeSet<UnixHour> = dated.iter().map(|(h, _)| *h).collect();
    let missing_hours = (from..to)
        .filter(|h| !present.contains(h))
        .map(partitions::format_hour)
        .collect();
    ReportPlan {
        bucket: spec.bucket.clone(),
        prefix: spec.prefix.clone(),
        layout,
        from: partitions::format_hour(from),
        to: partitions::format_hour(to),
        hours: (to - from) as u32,
        partitions: present.len() as u32,
        bytes: dated.iter().map(|(_, o)| o.size).sum(),
        objects: dated
            .into_iter()
            .map(|(h, o)| PlannedObject {
                key: o.key,
                size: o.size,
                hour: partitions::format_hour(h),
            })
            .collect(),
        missing_hours,
        list_calls,
    }
}

/// The error for a range that holds nothing to read.
pub fn no_data(plan: &ReportPlan) -> CoreError {
    CoreError::invalid(
        "date range",
        format!(
            "no objects in s3://{}/{} between {} and {} (UTC): choose another range or prefix",
            plan.bucket, plan.prefix, plan.from, plan.to
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(key: &str, size: f64) -> ObjectEntry {
        ObjectEntry {
            key: key.into(),
            size,
            last_modified: None,
            storage_class: None,
            etag: None,
            name: None,
        }
    }

    #[test]
    fn objects_are_in_partition_order_and_gaps_are_named() {
        let spec = ReportSpec::sample("b", "ts/");
        let from = partitions::parse_hour("2020-09-21T09").expect("hour");
        let plan = arrange(
            &spec,
            from,
            from + 4,
            vec![
                obj("ts/year=2020/month=09/day=21/hour=11/b.gz", 5.0),
                obj("ts/year=2020/month=09/day=21/hour=09/z.gz", 1.0),
                obj("ts/year=2020/month=09/day=21/hour=11/a.gz", 2.0),
                obj("ts/year=2020/month=09/day=21/hour=11/", 0.0),
            ],
            Layout::Hive,
            2,
        );
        let keys: Vec<_> = plan.objects.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                "ts/year=2020/month=09/day=21/hour=09/z.gz",
                "ts/year=2020/month=09/day=21/hour=11/a.gz",
                "ts/year=2020/month=09/day=21/hour=11/b.gz"
            ]
        );
        assert_eq!(plan.missing_hours, vec!["2020-09-21T10", "2020-09-21T12"]);
        assert_eq!((plan.partitions, plan.hours, plan.bytes), (2, 4, 8.0));
    }
}
