//! The audit's checks: each a small function over the facts, giving pass, warn or fail, a
//! finding in plain words, and the fix when Sluice can make it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::facts::BucketFacts;
use crate::setup::plan::denies_plain_http;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum AuditStatus {
    Pass,
    Warn,
    Fail,
}

impl AuditStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Warn => "warn",
            Self::Fail => "fail",
        }
    }
}

/// A fix Sluice can apply (after confirmation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum FixId {
    AccountPublicAccessBlock,
    BucketPublicAccessBlock,
    RemovePublicStatements,
    OwnerEnforced,
    DefaultEncryption,
    TlsOnly,
    Versioning,
}

impl FixId {
    /// Every fix, in the order they are safe to apply.
    pub const ALL: [FixId; 7] = [
        FixId::RemovePublicStatements,
        FixId::TlsOnly,
        FixId::OwnerEnforced,
        FixId::DefaultEncryption,
        FixId::Versioning,
        FixId::BucketPublicAccessBlock,
        FixId::AccountPublicAccessBlock,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::AccountPublicAccessBlock => "account-public-access-block",
            Self::BucketPublicAccessBlock => "bucket-public-access-block",
            Self::RemovePublicStatements => "remove-public-statements",
            Self::OwnerEnforced => "owner-enforced",
            Self::DefaultEncryption => "default-encryption",
            Self::TlsOnly => "tls-only",
            Self::Versioning => "versioning",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::AccountPublicAccessBlock => "Turn on Block Public Access for the whole account",
            Self::BucketPublicAccessBlock => "Turn on all four Block Public Access settings",
            Self::RemovePublicStatements => "Remove the statements that allow everyone",
            Self::OwnerEnforced => {
                "Reset the bucket ACL to private and set Object Ownership to bucket owner enforced (ACLs off)"
            }
            Self::DefaultEncryption => "Turn on default encryption (SSE-S3)",
            Self::TlsOnly => "Add a statement that refuses requests without TLS",
            Self::Versioning => "Turn on versioning",
        }
    }
}

/// One line of the scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AuditCheck {
    pub id: String,
    pub title: String,
    pub status: AuditStatus,
    pub detail: String,
    pub fix: Option<FixId>,
    pub fix_label: Option<String>,
}

fn check(
    id: &str,
    title: &str,
    status: AuditStatus,
    detail: String,
    fix: Option<FixId>,
) -> AuditCheck {
    let fix = fix.filter(|_| status != AuditStatus::Pass);
    AuditCheck {
        id: id.into(),
        title: title.into(),
        status,
        detail,
        fix_label: fix.map(|f| f.label().to_string()),
        fix,
    }
}

fn statements(policy: &str) -> Vec<Value> {
    match serde_json::from_str::<Value>(policy)
        .ok()
        .and_then(|d| d.get("Statement").cloned())
    {
        Some(Value::Array(items)) => items,
        Some(one) => vec![one],
        None => Vec::new(),
    }
}

fn principals(st: &Value) -> Vec<String> {
    match st.get("Principal") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Object(map)) => map
            .values()
            .flat_map(|v| match v {
                Value::String(s) => vec![s.clone()],
                Value::Array(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// An Allow to everyone with no condition: what makes a bucket policy public.
pub fn is_public_statement(st: &Value) -> bool {
    st.get("Effect").and_then(Value::as_str) == Some("Allow")
        && st.get("Condition").is_none()
        && (principals(st).iter().any(|p| p == "*") || st.get("NotPrincipal").is_some())
}

fn account_of(principal: &str) -> Option<String> {
    if principal.len() == 12 && principal.chars().all(|c| c.is_ascii_digit()) {
        return Some(principal.to_string());
    }
    principal
        .split(':')
        .nth(4)
        .filter(|a| a.len() == 12)
        .map(str::to_string)
}

/// The scorecard for the facts.
pub fn run(f: &BucketFacts) -> Vec<AuditCheck> {
    use AuditStatus::{Fail, Pass, Warn};
    let b = &f.bucket;
    let mut out = Vec::new();
    out.push(match f.account_public_access_blocked {
        Some(true) => check(
            "account-bpa",
            "Account Block Public Access",
            Pass,
            "on for the whole account".into(),
            None,
        ),
        Some(false) => check(
            "account-bpa",
            "Account Block Public Access",
            Warn,
            "not on for the whole account: each bucket must guard itself".into(),
            Some(FixId::AccountPublicAccessBlock),
        ),
        None => check(
            "account-bpa",
            "Account Block Public Access",
            Warn,
            "could not be read (s3:GetAccountPublicAccessBlock)".into(),
            None,
        ),
    });
    out.push(if b.public_access_blocked {
        check(
            "bucket-bpa",
            "Bucket Block Public Access",
            Pass,
            "all four settings on".into(),
            None,
        )
    } else {
        check(
            "bucket-bpa",
            "Bucket Block Public Access",
            Fail,
            "not all four settings are on".into(),
            Some(FixId::BucketPublicAccessBlock),
        )
    });
    let stmts = b.policy.as_deref().map(statements).unwrap_or_default();
    let public = stmts.iter().filter(|s| is_public_statement(s)).count();
    out.push(if public > 0 {
        check(
            "policy-public",
            "Bucket policy is not public",
            Fail,
            format!("{public} statement(s) allow everyone without a condition"),
            Some(FixId::RemovePublicStatements),
        )
    } else {
        check(
            "policy-public",
            "Bucket policy is not public",
            Pass,
            if b.policy.is_some() {
                "no statement allows everyone".into()
            } else {
                "no bucket policy".into()
            },
            None,
        )
    });
    out.push(if b.owner_enforced && f.public_acl_grants.is_empty() {
        check(
            "acls",
            "ACLs off (bucket owner enforced)",
            Pass,
            "Object Ownership is bucket owner enforced".into(),
            None,
        )
    } else if !f.public_acl_grants.is_empty() {
        check(
            "acls",
            "ACLs off (bucket owner enforced)",
            Fail,
            format!("the ACL grants {}", f.public_acl_grants.join(", ")),
            Some(FixId::OwnerEnforced),
        )
    } else {
        check(
            "acls",
            "ACLs off (bucket owner enforced)",
            Warn,
            "ACLs are still in effect".into(),
            Some(FixId::OwnerEnforced),
        )
    });
    out.push(match b.encryption.as_deref() {
        Some("aws:kms" | "aws:kms:dsse") => check(
            "encryption",
            "Default encryption",
            Pass,
            format!(
                "SSE-KMS{}",
                b.kms_key
                    .as_deref()
                    .map(|k| format!(" with {k}"))
                    .unwrap_or_default()
            ),
            None,
        ),
        Some(alg) => check(
            "encryption",
            "Default encryption",
            Pass,
            format!("{} (SSE-S3)", alg),
            None,
        ),
        None => check(
            "encryption",
            "Default encryption",
            Fail,
            "no default encryption".into(),
            Some(FixId::DefaultEncryption),
        ),
    });
    out.push(if b.policy.as_deref().is_some_and(denies_plain_http) {
        check(
            "tls-only",
            "Requests without TLS refused",
            Pass,
            "the bucket policy denies aws:SecureTransport false".into(),
            None,
        )
    } else {
        check(
            "tls-only",
            "Requests without TLS refused",
            Fail,
            "nothing refuses plain HTTP".into(),
            Some(FixId::TlsOnly),
        )
    });
    let lost = "overwritten or deleted objects cannot be recovered";
    let (status, detail) = match f.versioning.as_ref().map(|v| v.as_deref()) {
        Ok(Some("Enabled")) => (Pass, "enabled".to_string()),
        Ok(Some(other)) => (Warn, format!("{}: {lost}", other.to_lowercase())),
        Ok(None) => (Warn, format!("never enabled: {lost}")),
        Err(why) => (Warn, format!("could not be read ({why})")),
    };
    out.push(check(
        "versioning",
        "Versioning",
        status,
        detail,
        Some(FixId::Versioning),
    ));
    let mut outside: Vec<String> = stmts
        .iter()
        .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
        .flat_map(principals)
        .filter(|p| p != "*")
        .filter(|p| account_of(p).is_some_and(|a| a != f.account))
        .collect();
    outside.sort();
    outside.dedup();
    out.push(if outside.is_empty() {
        check(
            "principals",
            "Principals the policy grants",
            Pass,
            "none outside this account".into(),
            None,
        )
    } else {
        check(
            "principals",
            "Principals the policy grants",
            Warn,
            format!("outside this account: {}", outside.join(", ")),
            None,
        )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::observe::BucketState;

    #[test]
    fn a_weak_bucket_fails_and_a_strong_one_passes() {
        let weak = BucketFacts {
            account: "123456789012".into(),
            account_public_access_blocked: Some(false),
            bucket: BucketState {
                exists: true,
                policy: Some(r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
                    {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#.into()),
                ..BucketState::default()
            },
            public_acl_grants: vec!["READ for everyone".into()],
            versioning: Ok(None),
        };
        let checks = run(&weak);
        let status = |id: &str| checks.iter().find(|c| c.id == id).map(|c| c.status);
        for id in [
            "bucket-bpa",
            "policy-public",
            "acls",
            "encryption",
            "tls-only",
        ] {
            assert_eq!(status(id), Some(AuditStatus::Fail), "{id}");
        }
        assert_eq!(status("principals"), Some(AuditStatus::Warn));
        assert!(checks
            .iter()
            .filter(|c| c.status == AuditStatus::Fail)
            .all(|c| c.fix.is_some()));
        let strong = BucketFacts {
            account: "123456789012".into(),
            account_public_access_blocked: Some(true),
            bucket: BucketState {
                exists: true,
                public_access_blocked: true,
                owner_enforced: true,
                encryption: Some("AES256".into()),
                kms_key: None,
                policy: Some(crate::setup::plan::bucket_policy_with_tls("mm-data", None)),
            },
            public_acl_grants: Vec::new(),
            versioning: Ok(Some("Enabled".into())),
        };
        assert!(
            run(&strong).iter().all(|c| c.status == AuditStatus::Pass),
            "{:?}",
            run(&strong)
        );
    }

    #[test]
    fn fix_codes_round_trip() {
        for f in FixId::ALL {
            assert_eq!(FixId::parse(f.code()), Some(f));
        }
        assert_eq!(FixId::parse("nope"), None);
    }
}
