//! Bucket security audit (emnify's S3 security guidelines, and what AWS recommends): account
//! and bucket Block Public Access, public policy, ACLs and Object Ownership, default
//! encryption, TLS-only access, versioning, and who the bucket policy lets in.
//!
//! Facts are read first (`facts`), judged by small pure checks (`checks`) into a scorecard
//! of pass / warn / fail, and each fixable finding has one fix (`fixes`), applied only after
//! the user confirms it.

pub mod checks;
pub mod facts;
pub mod fixes;

use serde::Serialize;

pub use checks::{AuditCheck, AuditStatus, FixId};

/// The scorecard for one bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AuditReport {
    pub bucket: String,
    pub account: String,
    pub checks: Vec<AuditCheck>,
    pub passed: u32,
    pub warnings: u32,
    pub failed: u32,
}

impl AuditReport {
    pub fn new(bucket: &str, account: &str, checks: Vec<AuditCheck>) -> Self {
        let count = |s: AuditStatus| {
            u32::try_from(checks.iter().filter(|c| c.status == s).count()).unwrap_or(u32::MAX)
        };
        Self {
            bucket: bucket.to_string(),
            account: account.to_string(),
            passed: count(AuditStatus::Pass),
            warnings: count(AuditStatus::Warn),
            failed: count(AuditStatus::Fail),
            checks,
        }
    }

    /// The scorecard as CSV (RFC 4180): check, status, finding, fix.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["bucket", "check", "status", "finding", "fix"]);
        for c in &self.checks {
            let _ = w.write_record([
                self.bucket.as_str(),
                c.title.as_str(),
                c.status.label(),
                c.detail.as_str(),
                c.fix_label.as_deref().unwrap_or(""),
            ]);
        }
        w.into_inner()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }
}
