//! A small vendor world inside moto, as a handover describes it: a role to assume (trust
//! policy with an ExternalId condition), a bucket with hive-partitioned objects under a
//! prefix, a 2-shard stream with records, and a customer IAM user with an access key.

use aws_sdk_s3::primitives::ByteStream;
use sluice_core::aws::{AwsClients, AwsOptions};
use sluice_core::connections::{ConnectionDraft, ExternalIdChange};
use sluice_core::handover;
use sluice_core::identity::SourceIdentity;
use sluice_core::secrets::{MemoryStore, SecretKey, SecretKind, SecretStore};
use sluice_core::sensitive::SecretString;

pub const ACCOUNT: &str = "123456789012";
pub const ADMIN_KEY_ID: &str = "AKIAADMINEXAMPLE0001";
pub const ADMIN_SECRET: &str = "admin-secret-admin-secret";

pub struct VendorWorld {
    pub role_arn: String,
    pub bucket: String,
    pub prefix: String,
    pub first_key: String,
    pub stream_arn: String,
    pub customer_user: String,
    pub customer_key_id: String,
    pub customer_secret: String,
    pub external_id: String,
}

/// Creates an empty 2-shard stream named `name`.
pub async fn two_shard_stream(kinesis: &aws_sdk_kinesis::Client, name: &str) {
    kinesis
        .create_stream()
        .stream_name(name)
        .shard_count(2)
        .send()
        .await
        .expect("stream");
}

/// A 2-shard stream named `name` holding `records` MachineMetrics CSV lines over 50
/// machines, put 500 at a time (the benchmarks' stream).
pub async fn machinemetrics_stream(endpoint: &str, name: &str, records: usize) {
    use aws_sdk_kinesis::primitives::Blob;
    use aws_sdk_kinesis::types::PutRecordsRequestEntry;
    let kinesis = admin_clients(endpoint).await.kinesis();
    two_shard_stream(&kinesis, name).await;
    for batch in (0..records).collect::<Vec<_>>().chunks(500) {
        let entries = batch
            .iter()
            .map(|i| {
                PutRecordsRequestEntry::builder()
                    .partition_key(format!("machine-{}", i % 50))
                    .data(Blob::new(format!(
                        "2020-09-21 13:03:30.907,2020-09-21 13:03:35.720,acme,{},Sample,LOAD,X1load,{i},,,,",
                        1000 + i % 50
                    )))
                    .build()
                    .expect("entry")
            })
            .collect::<Vec<_>>();
        kinesis
            .put_records()
            .stream_name(name)
            .set_records(Some(entries))
            .send()
            .await
            .expect("put");
    }
}

/// Clients acting as an emulator admin (moto accepts any key while IAM checks are off).
pub async fn admin_clients(endpoint: &str) -> AwsClients {
    key_clients(endpoint, ADMIN_KEY_ID, ADMIN_SECRET).await
}

/// Clients signing with one access key (an IAM user's own key, under IAM enforcement).
pub async fn key_clients(endpoint: &str, key_id: &str, secret: &str) -> AwsClients {
    let store = MemoryStore::default();
    let key = SecretKey::new(SecretKind::SecretAccessKey, key_id).expect("key");
    store.set(&key, &secret.to_string().into()).expect("set");
    AwsClients::build(
        &AwsOptions {
            region: Some("us-east-1".into()),
            endpoint_url: Some(endpoint.to_string()),
            source: SourceIdentity::AccessKey {
                access_key_id: key_id.into(),
            },
            imds: false,
            ..Default::default()
        },
        &store,
    )
    .await
    .expect("clients")
}

/// Creates an IAM user, optionally with an inline policy, and returns its (key id, secret).
pub async fn iam_user_with_key(
    iam: &aws_sdk_iam::Client,
    name: &str,
    policy: Option<&str>,
) -> (String, String) {
    iam.create_user()
        .user_name(name)
        .send()
        .await
        .expect("user");
    if let Some(policy) = policy {
        iam.put_user_policy()
            .user_name(name)
            .policy_name("granted")
            .policy_document(policy)
            .send()
            .await
            .expect("policy");
    }
    let out = iam
        .create_access_key()
        .user_name(name)
        .send()
        .await
        .expect("key");
    let key = out.access_key().expect("key");
    (
        key.access_key_id().to_string(),
        key.secret_access_key().to_string(),
    )
}

impl VendorWorld {
    /// Creates everything under names derived from `tag`, so several worlds can share a server.
    pub async fn create(endpoint: &str, tag: &str) -> Self {
        let admin = admin_clients(endpoint).await;
        let external_id = format!("Ext-{tag}:passphrase/42");
        let trust = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": { "AWS": format!("arn:aws:iam::{ACCOUNT}:root") },
                "Action": "sts:AssumeRole",
                "Condition": { "StringEquals": { "sts:ExternalId": external_id } }
            }]
        });
        let role = admin
            .iam()
            .create_role()
            .role_name(format!("{tag}-data-access-role"))
            .assume_role_policy_document(trust.to_string())
            .send()
            .await
            .expect("create role");
        let role_arn = role.role().map(|r| r.arn().to_string()).expect("role arn");

        let bucket = format!("{tag}-vendor-data");
        let s3 = admin.s3();
        s3.create_bucket()
            .bucket(&bucket)
            .send()
            .await
            .expect("bucket");
        let prefix = "timeseries/".to_string();
        let mut first_key = String::new();
        for hour in 10..12 {
            let key = format!(
                "{prefix}year=2020/month=09/day=21/hour={hour}/company-2020-09-21-{hour}-40-01.gz"
            );
            if first_key.is_empty() {
                first_key = key.clone();
            }
            s3.put_object()
                .bucket(&bucket)
                .key(&key)
                .body(ByteStream::from_static(b"\x1f\x8b\x08\x00\x00\x00\x00\x00"))
                .send()
                .await
                .expect("put");
        }

        let stream = format!("{tag}-events");
        let kinesis = admin.kinesis();
        kinesis
            .create_stream()
            .stream_name(&stream)
            .shard_count(2)
            .send()
            .await
            .expect("stream");
        let summary = kinesis
            .describe_stream_summary()
            .stream_name(&stream)
            .send()
            .await
            .expect("describe");
        let stream_arn = summary
            .stream_description_summary()
            .map(|s| s.stream_arn().to_string())
            .expect("stream arn");

        let customer_user = format!("{tag}-customer");
        let iam = admin.iam();
        iam.create_user()
            .user_name(&customer_user)
            .send()
            .await
            .expect("user");
        let key = iam
            .create_access_key()
            .user_name(&customer_user)
            .send()
            .await
            .expect("access key");
        let key = key.access_key().expect("key");
        Self {
            role_arn,
            bucket,
            prefix,
            first_key,
            stream_arn,
            customer_user,
            customer_key_id: key.access_key_id().to_string(),
            customer_secret: key.secret_access_key().to_string(),
            external_id,
        }
    }

    /// The handover email the vendor would send for this world.
    pub fn handover(&self, with_external_id: bool) -> String {
        let mut text = format!(
            "Hello,\n\nhere is your data access.\n\n  • ARN of a role in our account: {}\n",
            self.role_arn
        );
        if with_external_id {
            text.push_str(&format!("  • External ID: {}\n", self.external_id));
        }
        text.push_str(&format!(
            "  • ARN of the Kinesis Stream: {}\n  • ARN of the S3 Bucket: arn:aws:s3:::{}/{}\n  • URL of the S3 Bucket: https://s3.console.aws.amazon.com/s3/buckets/{}?region=us-east-1&prefix={}\n\nRegards\n",
            self.stream_arn, self.bucket, self.prefix, self.bucket, self.prefix
        ));
        text
    }

    /// A connection draft read from `text` (a handover), acting as the customer's own key.
    pub fn draft(&self, name: &str, text: &str) -> ConnectionDraft {
        let parsed = handover::parse(text);
        assert!(
            parsed.fields.problems.is_empty(),
            "{:?}",
            parsed.fields.problems
        );
        let f = parsed.fields;
        ConnectionDraft {
            name: name.into(),
            source: SourceIdentity::AccessKey {
                access_key_id: self.customer_key_id.clone(),
            },
            secret_access_key: Some(SecretString::from(self.customer_secret.clone())),
            region: f.region,
            role_arn: f.role_arn,
            session_name: Some("sluice-test".into()),
            duration_seconds: None,
            display_name: f.display_name,
            mfa_serial: None,
            external_id: parsed.external_id.map_or(ExternalIdChange::Keep, |e| {
                ExternalIdChange::Set(SecretString::from(e.into_exposed()))
            }),
            bucket: f.bucket,
            prefix: f.prefix,
            stream_arn: f.stream_arn,
        }
    }
}
