//! The six least-privilege policies Sluice writes, as pure functions of validated input.
//!
//! Each template gives canonical JSON with named `Sid`s and one plain sentence per
//! statement, so an admin can read what they are about to grant. The shapes follow the
//! vendors' own documents (seeds): the Stream Machine sink writer, the MachineMetrics
//! assume-role and ExternalId trust, the DataMiner Kinesis producer, the emnify S3 security
//! guidelines.

use serde::{Deserialize, Serialize};

use super::document::{PolicyDocument, PolicyKind, Principal, Statement};
use crate::arn::{Arn, RoleArn, StreamArn};
use crate::error::{CoreError, Result};
use crate::validate;

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
        }
    }
}

fn built(
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

/// A customer's inline policy: `sts:AssumeRole` on exactly one role.
pub fn assume_role(role: &RoleArn) -> Built {
    built(
        "assume-role",
        PolicyKind::Identity,
        format!("sluice-assume-{}", role.name().replace('/', "-")),
        vec![(
            Statement::allow("AssumeVendorRole", "sts:AssumeRole", role.as_str()),
            format!(
                "Lets this user or role assume {} (sts:AssumeRole) and do nothing else.",
                role.as_str()
            ),
        )],
    )
}

/// The principal ARN for an account id or an IAM user / role ARN.
pub fn principal_arn(field: &str, text: &str) -> Result<String> {
    let text = text.trim();
    if text.len() == 12 && text.chars().all(|c| c.is_ascii_digit()) {
        return Ok(format!("arn:aws:iam::{text}:root"));
    }
    let expected = || {
        CoreError::invalid(
            field,
            format!("'{text}': expected a 12-digit account id or an IAM user or role ARN"),
        )
    };
    // A trust names an account, a user or a role (the kinds a vendor hands over).
    let resource = text.splitn(6, ':').nth(5).unwrap_or_default();
    let kind_ok = text.starts_with("arn:")
        && text.split(':').nth(2) == Some("iam")
        && (resource == "root" || resource.starts_with("user/") || resource.starts_with("role/"));
    if kind_ok && crate::arn::is_principal_arn(text) {
        Ok(text.to_string())
    } else {
        Err(expected())
    }
}

/// A vendor role's trust policy, with an `sts:ExternalId` condition when one is given.
pub fn trust(principal: &str, external_id: Option<ExternalIdValue<'_>>) -> Result<Built> {
    let who = principal_arn("principal", principal)?;
    let mut statement = Statement {
        principal: Some(Principal::Aws(who.clone().into())),
        resource: None,
        ..Statement::allow("TrustedPrincipalAssumesRole", "sts:AssumeRole", "")
    };
    let sentence = match external_id {
        Some(ExternalIdValue::Secret(value)) => {
            validate::external_id(value)?;
            statement = statement.with_condition("StringEquals", "sts:ExternalId", value);
            format!("Lets {who} assume this role, only when it passes the agreed ExternalId.")
        }
        Some(ExternalIdValue::Placeholder(name)) => {
            statement = statement.with_condition(
                "StringEquals",
                "sts:ExternalId",
                external_id_placeholder(name),
            );
            format!("Lets {who} assume this role, only when it passes the agreed ExternalId.")
        }
        None => format!("Lets {who} assume this role; no ExternalId is required."),
    };
    Ok(built(
        "trust",
        PolicyKind::Trust,
        String::new(),
        vec![(statement, sentence)],
    ))
}

/// `PREFIX` without surrounding slashes, validated; empty when there is none.
fn clean_prefix(prefix: &str) -> Result<String> {
    let trimmed = prefix.trim().trim_matches('/');
    validate::prefix(trimmed)?;
    if trimmed.contains("${") {
        return Err(CoreError::invalid(
            "prefix",
            format!("'{trimmed}': '${{' would start an IAM policy variable"),
        ));
    }
    if trimmed.contains(['*', '?']) {
        return Err(CoreError::invalid(
            "prefix",
            format!("'{trimmed}': a prefix is a folder, without wildcards"),
        ));
    }
    Ok(trimmed.to_string())
}

/// `arn:aws:s3:::BUCKET/PREFIX/` or `arn:aws:s3:::BUCKET/`: never a `//`.
fn object_base(bucket: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        format!("arn:aws:s3:::{bucket}/")
    } else {
        format!("arn:aws:s3:::{bucket}/{prefix}/")
    }
}

/// Stream Machine's sink writer: find the bucket's region, put `*.jsonl` under the prefix.
pub fn sink_writer(bucket: &str, prefix: &str, suffix: &str) -> Result<Built> {
    let bucket = validate::bucket_name(bucket.trim())?;
    let prefix = clean_prefix(prefix)?;
    let suffix = suffix.trim();
    if suffix.contains(['/', '*', '?'])
        || suffix.contains("${")
        || suffix.chars().any(char::is_control)
    {
        return Err(CoreError::invalid(
            "suffix",
            format!("'{suffix}': a file ending such as .jsonl, without '/' or wildcards"),
        ));
    }
    let objects = format!("{}*{suffix}", object_base(bucket, &prefix));
    let location = format!("arn:aws:s3:::{bucket}");
    let where_ = if prefix.is_empty() {
        format!("anywhere in {bucket}")
    } else {
        format!("under {bucket}/{prefix}/")
    };
    let ending = if suffix.is_empty() {
        "any name".to_string()
    } else {
        format!("names ending in {suffix}")
    };
    Ok(built(
        "sink-writer",
        PolicyKind::Identity,
        format!("sluice-sink-writer-{bucket}"),
        vec![
            (
                Statement::allow("FindBucketRegion", "s3:GetBucketLocation", location),
                format!("Lets the writer ask which region {bucket} is in (s3:GetBucketLocation): SDKs need it before they write."),
            ),
            (
                Statement::allow("WriteBatchFiles", "s3:PutObject", objects),
                format!("Lets the writer create objects {where_} with {ending} (s3:PutObject), and nothing else: no listing, reading or deleting."),
            ),
        ],
    ))
}

/// Read access to a bucket prefix and, optionally, a stream and a KMS key.
pub fn reader(input: &ReaderInput) -> Result<Built> {
    let bucket = validate::bucket_name(input.bucket.trim())?;
    let prefix = clean_prefix(input.prefix.as_deref().unwrap_or(""))?;
    let mut list = Statement::allow(
        "ListDataPrefix",
        "s3:ListBucket",
        format!("arn:aws:s3:::{bucket}"),
    );
    let list_sentence = if prefix.is_empty() {
        format!("Lets the reader list the keys in {bucket} (s3:ListBucket).")
    } else {
        list = list.with_condition(
            "StringLike",
            "s3:prefix",
            vec![format!("{prefix}/"), format!("{prefix}/*")],
        );
        format!("Lets the reader list only the keys under {prefix}/ in {bucket} (s3:ListBucket with an s3:prefix condition).")
    };
    let mut parts = vec![
        (list, list_sentence),
        (
            Statement::allow(
                "ReadDataObjects",
                "s3:GetObject",
                format!("{}*", object_base(bucket, &prefix)),
            ),
            format!(
                "Lets the reader download objects {} (s3:GetObject).",
                if prefix.is_empty() {
                    format!("in {bucket}")
                } else {
                    format!("under {bucket}/{prefix}/")
                }
            ),
        ),
    ];
    if let Some(stream) = input.stream_arn.as_deref().filter(|s| !s.trim().is_empty()) {
        let stream = StreamArn::parse(stream.trim())?;
        parts.push((
            Statement::allow(
                "ReadStream",
                vec![
                    "kinesis:DescribeStreamSummary",
                    "kinesis:ListShards",
                    "kinesis:GetShardIterator",
                    "kinesis:GetRecords",
                ],
                stream.as_str(),
            ),
            format!(
                "Lets the reader describe {} and read its records from every shard.",
                stream.name()
            ),
        ));
    }
    if let Some(key) = input
        .kms_key_arn
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        let key = key.trim();
        let arn = Arn::parse("KMS key ARN", key)?;
        if arn.service != "kms"
            || !arn.resource.starts_with("key/")
            || arn.region.is_empty()
            || validate::account_id(&arn.account).is_err()
        {
            return Err(CoreError::invalid(
                "KMS key ARN",
                format!("'{key}': expected arn:aws:kms:REGION:ACCOUNT:key/KEY-ID"),
            ));
        }
        parts.push((
            Statement::allow("DecryptData", "kms:Decrypt", key),
            "Lets the reader decrypt data encrypted with this KMS key (kms:Decrypt), nothing else with it.".to_string(),
        ));
    }
    Ok(built(
        "reader",
        PolicyKind::Identity,
        format!("sluice-reader-{bucket}"),
        parts,
    ))
}

/// DataMiner's Kinesis producer: put records into one stream.
pub fn producer(stream: &StreamArn) -> Result<Built> {
    Ok(built(
        "producer",
        PolicyKind::Identity,
        // Inline policy names stop at 128 characters; stream names are ASCII.
        format!("sluice-producer-{}", stream.name())
            .chars()
            .take(128)
            .collect(),
        vec![(
            Statement::allow(
                "PutStreamRecords",
                vec![
                    "kinesis:PutRecord",
                    "kinesis:PutRecords",
                    "kinesis:DescribeStreamSummary",
                ],
                stream.as_str(),
            ),
            format!(
                "Lets the producer put records into {} and read its summary, nothing else.",
                stream.name()
            ),
        )],
    ))
}

/// A bucket policy that refuses plain HTTP and optionally grants one reader.
pub fn bucket_policy(bucket: &str, reader_principal: Option<&str>) -> Result<Built> {
    let bucket = validate::bucket_name(bucket.trim())?;
    let bucket_arn = format!("arn:aws:s3:::{bucket}");
    let objects = format!("arn:aws:s3:::{bucket}/*");
    let deny = Statement {
        effect: super::document::Effect::Deny,
        principal: Some(Principal::Everyone),
        ..Statement::allow(
            "DenyInsecureTransport",
            "s3:*",
            vec![bucket_arn.clone(), objects.clone()],
        )
    }
    .with_condition("Bool", "aws:SecureTransport", "false");
    let mut parts = vec![(
        deny,
        format!("Refuses every request to {bucket} that does not use TLS (aws:SecureTransport is false), whoever sends it."),
    )];
    if let Some(reader) = reader_principal.filter(|s| !s.trim().is_empty()) {
        let who = principal_arn("reader principal", reader)?;
        parts.push((
            Statement::allow("ReaderLists", "s3:ListBucket", bucket_arn)
                .with_principal(Principal::Aws(who.clone().into())),
            format!("Lets {who} list the keys in {bucket}."),
        ));
        parts.push((
            Statement::allow("ReaderReads", "s3:GetObject", objects)
                .with_principal(Principal::Aws(who.clone().into())),
            format!("Lets {who} download the objects in {bucket}."),
        ));
    }
    Ok(built(
        "bucket-policy",
        PolicyKind::Resource,
        String::new(),
        parts,
    ))
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
