//! Date partitions in keys: hive style (`year=2020/month=09/day=21/hour=10/`) and plain
//! (`2020/09/21/10/`).
//!
//! A date-time range becomes the list of partition prefixes it covers — whole days where the
//! range covers a whole day, single hours at the edges — so listing a range costs LIST calls
//! in proportion to the range, never to the size of the bucket.

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// How a bucket's date partitions are spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Layout {
    /// `year=2020/month=09/day=21/hour=10/`
    Hive,
    /// `2020/09/21/10/`
    Slashed,
}

/// Hours since 1970-01-01T00 (UTC).
pub type UnixHour = i64;

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

fn days_in_month(y: i64, m: i64) -> i64 {
    days_from_civil(
        if m == 12 { y + 1 } else { y },
        if m == 12 { 1 } else { m + 1 },
        1,
    ) - days_from_civil(y, m, 1)
}

/// A calendar hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PartitionHour {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    /// `None` for a day-level partition (no `hour=` part).
    pub hour: Option<u8>,
}

impl PartitionHour {
    fn new(year: i64, month: i64, day: i64, hour: Option<i64>) -> Option<Self> {
        let ok = (1970..=9999).contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day)
            && hour.is_none_or(|h| (0..24).contains(&h));
        ok.then(|| Self {
            year: year as i32,
            month: month as u8,
            day: day as u8,
            hour: hour.map(|h| h as u8),
        })
    }

    pub fn unix_hour(&self) -> UnixHour {
        days_from_civil(self.year.into(), self.month.into(), self.day.into()) * 24
            + i64::from(self.hour.unwrap_or(0))
    }

    pub fn from_unix_hour(h: UnixHour) -> Self {
        let (y, m, d) = civil_from_days(h.div_euclid(24));
        Self {
            year: y as i32,
            month: m as u8,
            day: d as u8,
            hour: Some(h.rem_euclid(24) as u8),
        }
    }
}

/// Parses `2020-09-21T10`, `2020-09-21T10:00`, `2020-09-21T10:00:00Z` or `2020-09-21` (UTC).
pub fn parse_hour(text: &str) -> Result<UnixHour> {
    let bad = || {
        CoreError::invalid(
            "date-time",
            format!("'{text}' is not like 2020-09-21T10 (UTC)"),
        )
    };
    let t = text.trim().trim_end_matches('Z');
    let (date, time) = t.split_once(['T', ' ']).unwrap_or((t, "00"));
    let mut d = date.split('-').map(|p| p.parse::<i64>().map_err(|_| bad()));
    let (y, m, day) = (
        d.next().ok_or_else(bad)??,
        d.next().ok_or_else(bad)??,
        d.next().ok_or_else(bad)??,
    );
    if d.next().is_some() {
        return Err(bad());
    }
    let hour = time
        .split(':')
        .next()
        .unwrap_or("00")
        .parse::<i64>()
        .map_err(|_| bad())?;
    PartitionHour::new(y, m, day, Some(hour))
        .map(|p| p.unix_hour())
        .ok_or_else(bad)
}

/// Formats a unix hour as `2020-09-21T10`.
pub fn format_hour(h: UnixHour) -> String {
    let p = PartitionHour::from_unix_hour(h);
    format!(
        "{:04}-{:02}-{:02}T{:02}",
        p.year,
        p.month,
        p.day,
        p.hour.unwrap_or(0)
    )
}

fn join(base: &str, rest: &str) -> String {
    if base.is_empty() || base.ends_with('/') {
        format!("{base}{rest}")
    } else {
        format!("{base}/{rest}")
    }
}

fn day_part(layout: Layout, p: &PartitionHour) -> String {
    match layout {
        Layout::Hive => format!("year={:04}/month={:02}/day={:02}/", p.year, p.month, p.day),
        Layout::Slashed => format!("{:04}/{:02}/{:02}/", p.year, p.month, p.day),
    }
}

/// The partition prefixes under `base` that cover the hours `[from, to)`.
pub fn prefixes_for_range(
    base: &str,
    layout: Layout,
    from: UnixHour,
    to: UnixHour,
) -> Result<Vec<String>> {
    if to <= from {
        return Err(CoreError::invalid(
            "date range",
            "the end must be after the start",
        ));
    }
    if to - from > 24 * 366 * 5 {
        return Err(CoreError::invalid(
            "date range",
            "at most five years at a time",
        ));
    }
    let mut out = Vec::new();
    let mut h = from;
    while h < to {
        let p = PartitionHour::from_unix_hour(h);
        if h.rem_euclid(24) == 0 && h + 24 <= to {
            out.push(join(base, &day_part(layout, &p)));
            h += 24;
        } else {
            let hour = match layout {
                Layout::Hive => format!("hour={:02}/", p.hour.unwrap_or(0)),
                Layout::Slashed => format!("{:02}/", p.hour.unwrap_or(0)),
            };
            out.push(join(base, &format!("{}{hour}", day_part(layout, &p))));
            h += 1;
        }
    }
    Ok(out)
}

/// The partition a key or prefix lies in, and the base prefix before the partition parts.
pub fn partition_of(key: &str) -> Option<(String, Layout, PartitionHour)> {
    let parts: Vec<&str> = key.split('/').collect();
    for i in 0..parts.len() {
        let hive = |p: &str, name: &str| p.strip_prefix(name).and_then(|v| v.parse::<i64>().ok());
        if let (Some(y), Some(m), Some(d)) = (
            hive(parts[i], "year="),
            parts.get(i + 1).and_then(|p| hive(p, "month=")),
            parts.get(i + 2).and_then(|p| hive(p, "day=")),
        ) {
            let h = parts.get(i + 3).and_then(|p| hive(p, "hour="));
            let base = parts[..i].iter().map(|p| format!("{p}/")).collect();
            return PartitionHour::new(y, m, d, h).map(|p| (base, Layout::Hive, p));
        }
        let num = |p: Option<&&str>, len: usize| {
            p.filter(|p| p.len() == len && p.chars().all(|c| c.is_ascii_digit()))
                .and_then(|p| p.parse::<i64>().ok())
        };
        if let (Some(y), Some(m), Some(d)) = (
            num(Some(&parts[i]), 4),
            num(parts.get(i + 1), 2),
            num(parts.get(i + 2), 2),
        ) {
            // The hour is a 2-digit segment that is itself a folder (not the file name).
            let h = if i + 4 < parts.len() {
                num(parts.get(i + 3), 2)
            } else {
                None
            };
            let base = parts[..i].iter().map(|p| format!("{p}/")).collect();
            return PartitionHour::new(y, m, d, h).map(|p| (base, Layout::Slashed, p));
        }
    }
    None
}

/// Guesses the layout below `base` from the names of its first child folders.
pub fn detect_layout(children: &[String]) -> Option<Layout> {
    children.iter().find_map(|c| {
        let last = c
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        if last
            .strip_prefix("year=")
            .is_some_and(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
        {
            Some(Layout::Hive)
        } else if last.len() == 4 && last.chars().all(|c| c.is_ascii_digit()) {
            Some(Layout::Slashed)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_round_trip_through_the_calendar() {
        let h = parse_hour("2020-09-21T10").expect("ok");
        assert_eq!(format_hour(h), "2020-09-21T10");
        assert_eq!(parse_hour("2020-09-21T10:30:00Z").expect("ok"), h);
        assert_eq!(parse_hour("2020-09-21").expect("ok"), h - 10);
        assert_eq!(
            format_hour(parse_hour("2020-02-29T23").expect("leap") + 1),
            "2020-03-01T00"
        );
        assert_eq!(
            format_hour(parse_hour("2020-12-31T23").expect("ok") + 1),
            "2021-01-01T00"
        );
        for bad in [
            "2020-13-01T00",
            "2021-02-29T00",
            "2020-09-21T24",
            "yesterday",
            "2020-09",
        ] {
            assert!(parse_hour(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_few_hours_are_hour_prefixes() {
        let from = parse_hour("2020-09-21T10").expect("ok");
        let p = prefixes_for_range("timeseries/", Layout::Hive, from, from + 2).expect("range");
        assert_eq!(
            p,
            vec![
                "timeseries/year=2020/month=09/day=21/hour=10/",
                "timeseries/year=2020/month=09/day=21/hour=11/"
            ]
        );
    }

    #[test]
    fn whole_days_are_day_prefixes_and_edges_are_hours() {
        let from = parse_hour("2020-09-20T22").expect("ok");
        let to = parse_hour("2020-09-23T01").expect("ok");
        let p = prefixes_for_range("", Layout::Slashed, from, to).expect("range");
        assert_eq!(
            p,
            vec![
                "2020/09/20/22/",
                "2020/09/20/23/",
                "2020/09/21/",
                "2020/09/22/",
                "2020/09/23/00/"
            ]
        );
        // A month costs about 30 prefixes, not 720.
        let month = prefixes_for_range(
            "x",
            Layout::Hive,
            parse_hour("2020-09-01").expect("ok"),
            parse_hour("2020-10-01").expect("ok"),
        )
        .expect("month");
        assert_eq!(month.len(), 30);
        assert!(prefixes_for_range("x", Layout::Hive, from, from).is_err());
    }

    #[test]
    fn partitions_are_read_from_keys() {
        let (base, layout, p) =
            partition_of("timeseries/year=2020/month=09/day=21/hour=10/f.gz").expect("hive");
        assert_eq!((base.as_str(), layout), ("timeseries/", Layout::Hive));
        assert_eq!(format_hour(p.unix_hour()), "2020-09-21T10");
        let (base, layout, p) = partition_of("exports/2021/03/26/09/file.jsonl").expect("slashed");
        assert_eq!(
            (base.as_str(), layout, p.hour),
            ("exports/", Layout::Slashed, Some(9))
        );
        let (_, _, p) = partition_of("exports/2021/03/26/file.jsonl").expect("day");
        assert_eq!(p.hour, None);
        assert!(partition_of("strm/2021-03-26T09:56:30-stream-x.jsonl").is_none());
        assert!(partition_of("year=2020/month=13/day=01/").is_none());
        assert_eq!(detect_layout(&["t/year=2020/".into()]), Some(Layout::Hive));
        assert_eq!(
            detect_layout(&["t/misc/".into(), "t/2021/".into()]),
            Some(Layout::Slashed)
        );
        assert_eq!(detect_layout(&["t/misc/".into()]), None);
    }
}
