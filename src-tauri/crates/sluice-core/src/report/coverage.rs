//! Coverage: rows per partition hour per machine, with the hours that have none — what a
//! manager looks at before trusting a report. Built from the counts each object reports, so
//! it costs nothing extra during a run; exported as a CSV summary table.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::rows::ObjectStats;
use crate::error::Result;
use crate::s3::partitions::{self, UnixHour};

/// One machine's coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MachineCoverage {
    pub machine: String,
    pub rows: f64,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
    /// Hours of the range in which this machine has no rows.
    pub missing_hours: u32,
    /// Rows in each hour of the range, in order (aligned with [`Coverage::hours`]).
    pub per_hour: Vec<u32>,
}

/// Rows per hour per machine over the whole range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    /// Every hour of the range, `2020-09-21T10`.
    pub hours: Vec<String>,
    /// Hours without a single object.
    pub empty_hours: Vec<String>,
    pub machines: Vec<MachineCoverage>,
}

/// Adds up object stats as the run goes.
#[derive(Debug)]
pub struct CoverageBuilder {
    from: UnixHour,
    to: UnixHour,
    machines: BTreeMap<String, MachineCoverage>,
}

impl CoverageBuilder {
    pub fn new(from: UnixHour, to: UnixHour) -> Self {
        Self {
            from,
            to,
            machines: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, hour: UnixHour, stats: &ObjectStats) {
        let width = (self.to - self.from).max(0) as usize;
        let slot = usize::try_from(hour - self.from)
            .ok()
            .filter(|s| *s < width);
        for (name, m) in &stats.machines {
            let c = self
                .machines
                .entry(name.clone())
                .or_insert_with(|| MachineCoverage {
                    machine: name.clone(),
                    rows: 0.0,
                    first_event: None,
                    last_event: None,
                    missing_hours: 0,
                    per_hour: vec![0; width],
                });
            c.rows += m.rows as f64;
            if let Some(s) = slot {
                c.per_hour[s] = c.per_hour[s].saturating_add(m.rows as u32);
            }
            if let Some(f) = &m.first_event {
                if c.first_event.as_ref().is_none_or(|cur| f < cur) {
                    c.first_event = Some(f.clone());
                }
            }
            if let Some(l) = &m.last_event {
                if c.last_event.as_ref().is_none_or(|cur| l > cur) {
                    c.last_event = Some(l.clone());
                }
            }
        }
    }

    pub fn finish(self, empty_hours: Vec<String>) -> Coverage {
        let mut machines: Vec<MachineCoverage> = self
            .machines
            .into_values()
            .map(|mut m| {
                m.missing_hours = m.per_hour.iter().filter(|n| **n == 0).count() as u32;
                m
            })
            .collect();
        // Machine numbers in numeric order, other names after them.
        machines.sort_by(
            |a, b| match (a.machine.parse::<u64>(), b.machine.parse::<u64>()) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                (Ok(_), Err(_)) => std::cmp::Ordering::Less,
                (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
                _ => a.machine.cmp(&b.machine),
            },
        );
        Coverage {
            hours: (self.from..self.to).map(partitions::format_hour).collect(),
            empty_hours,
            machines,
        }
    }
}

impl Coverage {
    /// The summary table: one row per machine.
    pub fn summary_csv(&self) -> Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let row = |w: &mut csv::Writer<Vec<u8>>, r: [&str; 5]| w.write_record(r);
        let fail = |e: csv::Error| crate::error::CoreError::Internal {
            detail: e.to_string(),
        };
        row(
            &mut w,
            [
                "machineRef",
                "rows",
                "firstEvent",
                "lastEvent",
                "missingHours",
            ],
        )
        .map_err(fail)?;
        for m in &self.machines {
            row(
                &mut w,
                [
                    &m.machine,
                    &m.rows.to_string(),
                    m.first_event.as_deref().unwrap_or(""),
                    m.last_event.as_deref().unwrap_or(""),
                    &m.missing_hours.to_string(),
                ],
            )
            .map_err(fail)?;
        }
        w.into_inner()
            .map_err(|e| crate::error::CoreError::Internal {
                detail: e.to_string(),
            })
    }

    /// The hours in which `machine` has no rows.
    pub fn gaps(&self, machine: &str) -> Vec<&str> {
        self.machines
            .iter()
            .find(|m| m.machine == machine)
            .map(|m| {
                m.per_hour
                    .iter()
                    .zip(&self.hours)
                    .filter(|(n, _)| **n == 0)
                    .map(|(_, h)| h.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::rows::MachineRows;

    fn stats(machine: &str, rows: u64, first: &str, last: &str) -> ObjectStats {
        let mut s = ObjectStats::default();
        s.machines.insert(
            machine.into(),
            MachineRows {
                rows,
                first_event: Some(first.into()),
                last_event: Some(last.into()),
            },
        );
        s
    }

    #[test]
    fn gaps_and_first_last_events_per_machine() {
        let from = partitions::parse_hour("2020-09-21T10").expect("hour");
        let mut b = CoverageBuilder::new(from, from + 3);
        b.add(
            from,
            &stats("1013", 5, "2020-09-21 10:00", "2020-09-21 10:59"),
        );
        b.add(
            from + 2,
            &stats("1013", 2, "2020-09-21 12:01", "2020-09-21 12:30"),
        );
        b.add(
            from + 2,
            &stats("998", 1, "2020-09-21 12:00", "2020-09-21 12:00"),
        );
        let c = b.finish(vec!["2020-09-21T11".into()]);
        assert_eq!(c.machines[0].machine, "998");
        let m = &c.machines[1];
        assert_eq!((m.rows, m.missing_hours), (7.0, 1));
        assert_eq!(m.per_hour, vec![5, 0, 2]);
        assert_eq!(m.last_event.as_deref(), Some("2020-09-21 12:30"));
        assert_eq!(c.gaps("1013"), vec!["2020-09-21T11"]);
        let csv = String::from_utf8(c.summary_csv().expect("csv")).expect("utf8");
        assert_eq!(
            csv.lines().nth(2),
            Some("1013,7,2020-09-21 10:00,2020-09-21 12:30,1")
        );
    }
}
