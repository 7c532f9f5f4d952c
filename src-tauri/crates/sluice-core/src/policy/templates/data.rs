//! What may be done with the data: the S3 sink writer, the customer reader (S3 and
//! Kinesis), the Kinesis producer and the TLS-only bucket policy.

use super::{built, principal_arn, Built, ReaderInput};
use crate::arn::{Arn, StreamArn};
use crate::error::{CoreError, Result};
use crate::policy::document::{PolicyKind, Principal, Statement};
use crate::validate;

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
        effect: crate::policy::document::Effect::Deny,
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
