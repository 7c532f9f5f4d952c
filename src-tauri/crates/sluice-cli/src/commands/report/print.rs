//! Printing reports: the plan, the run's result, coverage, saved definitions.

use sluice_core::report::plan::ReportPlan;
use sluice_core::report::run::ReportResult;
use sluice_core::report::saved::SavedReport;

use crate::output::Output;

fn hours(list: &[String]) -> String {
    if list.is_empty() {
        "none".into()
    } else if list.len() > 12 {
        format!(
            "{} … {} ({} hours)",
            list[0],
            list[list.len() - 1],
            list.len()
        )
    } else {
        list.join(", ")
    }
}

impl Output {
    pub fn report_plan(&self, p: &ReportPlan) {
        self.record(
            p,
            &[
                (
                    "Range",
                    &format!("{} to {} (UTC, end excluded)", p.from, p.to),
                ),
                (
                    "Partitions",
                    &format!("{} of {} hours", p.partitions, p.hours),
                ),
                ("Objects", &p.objects.len().to_string()),
                ("Bytes", &format!("{:.0}", p.bytes)),
                ("Missing hours", &hours(&p.missing_hours)),
                ("LIST calls", &p.list_calls.to_string()),
            ],
        );
    }

    pub fn report_result(&self, r: &ReportResult) {
        self.record(
            r,
            &[
                ("Written", r.path.as_deref().unwrap_or("-")),
                ("Rows", &format!("{:.0}", r.rows)),
                ("Objects read", &r.objects.to_string()),
                ("Bytes read", &format!("{:.0}", r.bytes)),
                ("Missing hours", &hours(&r.missing_hours)),
                ("Seconds", &format!("{:.2}", r.seconds)),
            ],
        );
    }

    pub fn coverage(&self, r: &ReportResult) {
        if self.is_json() {
            return self.print_json(&r.coverage);
        }
        println!("hours without objects: {}", hours(&r.coverage.empty_hours));
        println!(
            "{:<12} {:>10} {:<26} {:<26} {:>8}",
            "machineRef", "rows", "first event", "last event", "missing"
        );
        for m in &r.coverage.machines {
            println!(
                "{:<12} {:>10} {:<26} {:<26} {:>8}",
                m.machine,
                m.rows,
                m.first_event.as_deref().unwrap_or("-"),
                m.last_event.as_deref().unwrap_or("-"),
                m.missing_hours
            );
        }
    }

    pub fn saved_reports(&self, list: &[SavedReport]) {
        if self.is_json() {
            return self.print_json(&list);
        }
        if list.is_empty() {
            println!("no saved reports: save one with `sluice report save NAME --bucket …`");
        }
        for r in list {
            println!("{}\ts3://{}/{}", r.name, r.spec.bucket, r.spec.prefix);
        }
    }
}
