//! The seven least-privilege policies Sluice writes, as pure functions of validated input.
//!
//! Each template gives canonical JSON with named `Sid`s and one plain sentence per
//! statement, so an admin can read what they are about to grant. The shapes follow the
//! vendors' own documents (seeds): the Stream Machine sink writer, the MachineMetrics
//! assume-role and ExternalId trust, the DataMiner Kinesis producer, the emnify S3 security
//! guidelines.

use serde::{Deserialize, Serialize};

use super::document::{PolicyDocument, PolicyKind, Statement};
use crate::arn::{RoleArn, StreamArn};
use crate::error::Result;

mod access;
mod athena;
mod data;

pub use access::{assume_role, principal_arn, trust};
pub use athena::athena_reader;
pub use data::{bucket_policy, producer, reader, sink_writer};

/// Which template, with its form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "template", rename_all = "camelCase")]
pub enum TemplateRequest {
    AssumeRole(AssumeRoleInput),
    Trust(TrustInput),
    SinkWriter(SinkWriterInput),
    Reader(ReaderInput),
    Producer(ProducerInput),
    BucketPolicy(BucketPolicyInput),
    AthenaReader(AthenaReaderInput),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AssumeRoleInput {
    pub role_arn: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TrustInput {
    /// A 12-digit account id (its root) or an IAM user / role ARN.
    pub principal: String,
    /// The keyring name of the ExternalId to require, if any (see `generate_external_id`).
    pub external_id_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SinkWriterInput {
    pub bucket: String,
    pub prefix: Option<String>,
    /// Key suffix the writer may create; default `.jsonl`.
    pub suffix: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReaderInput {
    pub bucket: String,
    pub prefix: Option<String>,
    pub stream_arn: Option<String>,
    pub kms_key_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ProducerInput {
    pub stream_arn: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BucketPolicyInput {
    pub bucket: String,
    /// An account id or IAM ARN to grant read access to, if any.
    pub reader_principal: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AthenaReaderInput {
    /// The account and region of the workgroup and the Glue catalog.
    pub account: String,
    pub region: String,
    pub workgroup: String,
    pub database: String,
    pub table: String,
    /// `s3://bucket/prefix/` of the data.
    pub data: String,
    /// `s3://bucket/prefix/` for query results.
    pub results: String,
}

/// A statement's `Sid` and what it means in one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub sid: String,
    pub sentence: String,
}

/// A template's output before it is rendered for the UI or for AWS. Not `Debug`: rendered
/// for AWS, a trust policy holds its ExternalId.
#[derive(Clone)]
pub struct Built {
    pub template: &'static str,
    pub kind: PolicyKind,
    pub suggested_name: String,
    pub document: PolicyDocument,
    pub explanations: Vec<Explanation>,
}

/// What the ExternalId condition of a trust policy holds. Not `Debug`: it may be the secret.
#[derive(Clone, Copy)]
pub enum ExternalIdValue<'a> {
    /// The real value, for a file or for AWS.
    Secret(&'a str),
    /// A stand-in naming the keyring entry, for display.
    Placeholder(&'a str),
}

/// Text shown in place of a stored ExternalId.
pub fn external_id_placeholder(name: &str) -> String {
    format!("(ExternalId kept in the OS keyring as '{name}')")
}

impl TemplateRequest {
    /// The template's CLI name, e.g. `sink-writer`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::AssumeRole(_) => "assume-role",
            Self::Trust(_) => "trust",
            Self::SinkWriter(_) => "sink-writer",
            Self::Reader(_) => "reader",
            Self::Producer(_) => "producer",
            Self::BucketPolicy(_) => "bucket-policy",
            Self::AthenaReader(_) => "athena-reader",
        }
    }

    /// Validates the form and builds the policy. A trust policy's ExternalId is given
    /// separately so the caller decides whether the real value appears.
    pub fn build(&self, external_id: Option<ExternalIdValue<'_>>) -> Result<Built> {
        match self {
            Self::AssumeRole(i) => Ok(assume_role(&RoleArn::parse(i.role_arn.trim())?)),
            Self::Trust(i) => trust(&i.principal, external_id),
            Self::SinkWriter(i) => sink_writer(
                &i.bucket,
                i.prefix.as_deref().unwrap_or(""),
                i.suffix.as_deref().unwrap_or(".jsonl"),
            ),
            Self::Reader(i) => reader(i),
            Self::Producer(i) => producer(&StreamArn::parse(i.stream_arn.trim())?),
            Self::BucketPolicy(i) => bucket_policy(&i.bucket, i.reader_principal.as_deref()),
            Self::AthenaReader(i) => athena_reader(i),
        }
    }
}

pub(super) fn built(
    template: &'static str,
    kind: PolicyKind,
    suggested_name: String,
    parts: Vec<(Statement, String)>,
) -> Built {
    let explanations = parts
        .iter()
        .map(|(s, sentence)| Explanation {
            sid: s.sid.clone(),
            sentence: sentence.clone(),
        })
        .collect();
    Built {
        template,
        kind,
        suggested_name,
        document: PolicyDocument::new(parts.into_iter().map(|(s, _)| s).collect()),
        explanations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(b: &Built) -> serde_json::Value {
        serde_json::to_value(&b.document).expect("json")
    }

    #[test]
    fn sink_writer_is_exactly_the_two_statements_of_the_seed() {
        let b = sink_writer("strm-export", "events", ".jsonl").expect("built");
        let v = json(&b);
        assert_eq!(v["Version"], "2012-10-17");
        let st = v["Statement"].as_array().expect("array");
        assert_eq!(st.len(), 2);
        assert_eq!(st[0]["Action"], "s3:GetBucketLocation");
        assert_eq!(st[0]["Resource"], "arn:aws:s3:::strm-export");
        assert_eq!(st[1]["Action"], "s3:PutObject");
        assert_eq!(st[1]["Resource"], "arn:aws:s3:::strm-export/events/*.jsonl");
        assert_eq!(b.explanations.len(), 2);
    }

    #[test]
    fn sink_writer_never_writes_a_double_slash() {
        for prefix in ["", "/", "events/", "/events", "events//x"] {
            if let Ok(b) = sink_writer("strm-export", prefix, ".jsonl") {
                let text = b.document.to_pretty_json();
                assert!(!text.contains("//"), "{prefix}: {text}");
            }
        }
        let none = sink_writer("strm-export", "", ".jsonl").expect("built");
        assert_eq!(
            json(&none)["Statement"][1]["Resource"],
            "arn:aws:s3:::strm-export/*.jsonl"
        );
        assert!(sink_writer("strm-export", "a//b", ".jsonl").is_err());
        assert!(sink_writer("Bad_Bucket", "", ".jsonl").is_err());
        assert!(sink_writer("strm-export", "", "/x").is_err());
    }

    #[test]
    fn trust_requires_the_external_id_and_names_the_principal() {
        let b = trust("352302322568", Some(ExternalIdValue::Secret("abc-123"))).expect("built");
        let v = json(&b);
        let st = &v["Statement"][0];
        assert_eq!(st["Principal"]["AWS"], "arn:aws:iam::352302322568:root");
        assert_eq!(st["Condition"]["StringEquals"]["sts:ExternalId"], "abc-123");
        assert!(st.get("Resource").is_none());
        let shown =
            trust("352302322568", Some(ExternalIdValue::Placeholder("vendor"))).expect("built");
        assert!(!shown.document.to_pretty_json().contains("abc-123"));
        assert!(trust("arn:aws:s3:::bucket", None).is_err());
        assert!(trust("12345", None).is_err());
    }

    #[test]
    fn reader_limits_listing_to_the_prefix() {
        let b = reader(&ReaderInput {
            bucket: "mm-data".into(),
            prefix: Some("timeseries/".into()),
            stream_arn: Some("arn:aws:kinesis:us-east-1:123456789012:stream/mm".into()),
            kms_key_arn: Some(
                "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                    .into(),
            ),
        })
        .expect("built");
        let v = json(&b);
        assert_eq!(
            v["Statement"][0]["Condition"]["StringLike"]["s3:prefix"][1],
            "timeseries/*"
        );
        assert_eq!(
            v["Statement"][1]["Resource"],
            "arn:aws:s3:::mm-data/timeseries/*"
        );
        assert_eq!(
            v["Statement"][2]["Action"].as_array().map(Vec::len),
            Some(4)
        );
        assert_eq!(v["Statement"][3]["Action"], "kms:Decrypt");
    }

    #[test]
    fn the_athena_reader_is_lint_clean_and_scoped() {
        let input = AthenaReaderInput {
            account: "123456789012".into(),
            region: "eu-west-1".into(),
            workgroup: "reports".into(),
            database: "telemetry".into(),
            table: "mm".into(),
            data: "s3://mm-data/timeseries/".into(),
            results: "s3://athena-results/sluice/".into(),
        };
        let b = athena_reader(&input).expect("built");
        let text = b.document.to_pretty_json();
        let report = crate::policy::lint::lint(&text, Some(PolicyKind::Identity));
        assert!(report.findings.is_empty(), "{:?}", report.findings);
        let v = json(&b);
        assert_eq!(
            v["Statement"][0]["Resource"],
            "arn:aws:athena:eu-west-1:123456789012:workgroup/reports"
        );
        assert_eq!(
            v["Statement"][4]["Resource"],
            "arn:aws:s3:::mm-data/timeseries/*"
        );
        assert_eq!(
            v["Statement"][6]["Resource"],
            "arn:aws:s3:::athena-results/sluice/*"
        );
        assert!(!text.contains("\"*\""));
        let bad = AthenaReaderInput {
            table: "x*".into(),
            ..input
        };
        assert!(athena_reader(&bad).is_err());
    }

    #[test]
    fn bucket_policy_denies_plain_http() {
        let b = bucket_policy("mm-data", Some("123456789012")).expect("built");
        let v = json(&b);
        assert_eq!(v["Statement"][0]["Effect"], "Deny");
        assert_eq!(v["Statement"][0]["Principal"], "*");
        assert_eq!(
            v["Statement"][0]["Condition"]["Bool"]["aws:SecureTransport"],
            "false"
        );
        assert_eq!(v["Statement"].as_array().map(Vec::len), Some(3));
    }
}
