//! The core's AWS factory and "who am I" against a real moto server.

use sluice_core::aws::{AwsClients, AwsOptions};
use sluice_core::identity::SourceIdentity;
use sluice_core::identity::SourceUpdate;
use sluice_core::secrets::MemoryStore;
use sluice_core::sensitive::SecretString;
use sluice_core::{ErrorCode, Sluice};
use sluice_e2e::moto::Moto;

const KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn sluice(moto: &Moto, dir: &std::path::Path) -> Sluice {
    sluice_e2e::core_on(&moto.endpoint, dir)
}

#[tokio::test]
async fn whoami_with_a_stored_access_key_returns_the_emulator_account() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice(&moto, dir.path());
    s.set_source(SourceUpdate {
        source: SourceIdentity::AccessKey {
            access_key_id: KEY_ID.into(),
        },
        region: None,
        secret_access_key: Some(SecretString::from(SECRET.to_string())),
        mfa_serial: None,
    })
    .expect("configure source");

    let id = s.whoami().await.expect("whoami");
    assert_eq!(id.account, "123456789012");
    assert!(
        id.arn.starts_with("arn:aws:sts::123456789012:"),
        "{}",
        id.arn
    );
    assert!(!id.user_id.is_empty());

    // The settings file holds the key id but never the secret.
    let file = std::fs::read_to_string(s.settings().path()).expect("settings");
    assert!(file.contains(KEY_ID) && !file.contains(SECRET));
}

#[tokio::test]
async fn whoami_without_credentials_says_so() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice(&moto, dir.path());
    // An access key source whose secret is not in the store.
    s.settings()
        .update(
            |saved: &mut sluice_core::identity::source::IdentitySettings| {
                saved.source = SourceIdentity::AccessKey {
                    access_key_id: KEY_ID.into(),
                };
                Ok(())
            },
        )
        .expect("save");
    let err = s.whoami().await.expect_err("no secret");
    assert_eq!(err.code(), ErrorCode::NoCredentials);
    assert_eq!(
        err.to_string(),
        "No AWS credentials found: add an access key or choose a profile"
    );
}

#[tokio::test]
async fn unreachable_endpoint_is_a_network_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = MemoryStore::default();
    let port = sluice_e2e::process::free_port(); // nothing listens here
    let key = sluice_core::secrets::SecretKey::new(
        sluice_core::secrets::SecretKind::SecretAccessKey,
        KEY_ID,
    )
    .expect("key");
    sluice_core::secrets::SecretStore::set(&store, &key, &SECRET.to_string().into()).expect("set");
    let clients = AwsClients::build(
        &AwsOptions {
            region: Some("us-east-1".into()),
            endpoint_url: Some(format!("http://127.0.0.1:{port}")),
            source: SourceIdentity::AccessKey {
                access_key_id: KEY_ID.into(),
            },
            imds: false,
            ..Default::default()
        },
        &store,
    )
    .await
    .expect("build");
    let err = sluice_core::identity::whoami(&clients)
        .await
        .expect_err("nothing listens");
    assert_eq!(err.code(), ErrorCode::Network, "{err}");
    assert!(err.to_string().contains("sts:GetCallerIdentity"), "{err}");
    drop(dir);
}

#[tokio::test]
async fn every_client_reaches_the_emulator_and_s3_is_path_style() {
    let moto = Moto::start();
    let store = MemoryStore::default();
    let key = sluice_core::secrets::SecretKey::new(
        sluice_core::secrets::SecretKind::SecretAccessKey,
        KEY_ID,
    )
    .expect("key");
    sluice_core::secrets::SecretStore::set(&store, &key, &SECRET.to_string().into()).expect("set");
    let clients = AwsClients::build(
        &AwsOptions {
            region: Some("eu-west-1".into()),
            endpoint_url: Some(moto.endpoint.clone()),
            source: SourceIdentity::AccessKey {
                access_key_id: KEY_ID.into(),
            },
            imds: false,
            ..Default::default()
        },
        &store,
    )
    .await
    .expect("build");

    // S3: a bucket with a dotted name only works path-style against 127.0.0.1.
    let s3 = clients.s3();
    s3.create_bucket()
        .bucket("vendor.data-bucket")
        .create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::EuWest1)
                .build(),
        )
        .send()
        .await
        .expect("create bucket");
    s3.put_object()
        .bucket("vendor.data-bucket")
        .key("year=2020/month=09/day=21/hour=10/a.csv.gz")
        .body(aws_sdk_s3::primitives::ByteStream::from_static(b"x"))
        .send()
        .await
        .expect("put");
    let listed = s3
        .list_objects_v2()
        .bucket("vendor.data-bucket")
        .send()
        .await
        .expect("list");
    assert_eq!(listed.key_count(), Some(1));

    // A missing bucket is classified as NotFound.
    let err = s3
        .head_bucket()
        .bucket("no-such-bucket-here")
        .send()
        .await
        .map_err(|e| sluice_core::aws::errors::classify("s3:HeadBucket", e))
        .expect_err("missing bucket");
    assert_eq!(err.code(), ErrorCode::NotFound, "{err}");

    // Kinesis and IAM go to the same endpoint.
    clients
        .kinesis()
        .create_stream()
        .stream_name("machine-events")
        .shard_count(2)
        .send()
        .await
        .expect("create stream");
    let streams = clients
        .kinesis()
        .list_streams()
        .send()
        .await
        .expect("streams");
    assert_eq!(streams.stream_names(), ["machine-events".to_string()]);
    clients
        .iam()
        .create_user()
        .user_name("sluice-reader")
        .send()
        .await
        .expect("create user");
    let users = clients.iam().list_users().send().await.expect("users");
    assert!(users
        .users()
        .iter()
        .any(|u| u.user_name() == "sluice-reader"));
}
