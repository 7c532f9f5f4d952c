//! The bucket audit against moto: a deliberately weak bucket (public policy, public ACL,
//! a grant to another account, no versioning, no TLS rule, no Block Public Access) shows
//! each weakness; each offered fix clears its finding; the scorecard exports as CSV.

use sluice_core::audit::{AuditStatus, FixId};
use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::admin_clients;

/// A plain unsigned GET to the emulator (moto serves it while IAM checks are off).
fn raw_get(endpoint: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let addr = endpoint.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

#[tokio::test(flavor = "multi_thread")]
async fn a_weak_bucket_is_found_out_and_fixed() {
    let moto = Moto::start();
    let s3 = admin_clients(&moto.endpoint).await.s3();
    s3.create_bucket()
        .bucket("weak-bucket")
        .acl(aws_sdk_s3::types::BucketCannedAcl::PublicRead)
        .send()
        .await
        .expect("bucket");
    let policy = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::weak-bucket/*"},
        {"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::weak-bucket/*"}]}"#;
    s3.put_bucket_policy()
        .bucket("weak-bucket")
        .policy(policy)
        .send()
        .await
        .expect("policy");
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice_e2e::admin_core(&moto.endpoint, dir.path());

    let report = s.audit_bucket("weak-bucket").await.expect("audit");
    let status = |r: &sluice_core::audit::AuditReport, id: &str| {
        r.checks.iter().find(|c| c.id == id).map(|c| c.status)
    };
    for id in ["bucket-bpa", "policy-public", "acls", "tls-only"] {
        assert_eq!(
            status(&report, id),
            Some(AuditStatus::Fail),
            "{id}: {report:?}"
        );
    }
    for id in ["versioning", "principals", "account-bpa"] {
        assert_eq!(
            status(&report, id),
            Some(AuditStatus::Warn),
            "{id}: {report:?}"
        );
    }
    let partner = report
        .checks
        .iter()
        .find(|c| c.id == "principals")
        .map(|c| c.detail.clone())
        .unwrap_or_default();
    assert!(partner.contains("999988887777"), "{partner}");
    assert!(report.failed >= 4);

    let csv_path = dir.path().join("audit.csv");
    s.save_audit_csv(&report, &csv_path, false).expect("csv");
    let csv = std::fs::read_to_string(&csv_path).expect("read");
    assert!(csv.starts_with("bucket,check,status,finding,fix"));
    assert!(csv.contains("weak-bucket,Bucket policy is not public,fail,"));
    assert!(
        s.save_audit_csv(&report, &csv_path, false).is_err(),
        "no silent overwrite"
    );

    let fixes: Vec<FixId> = report.checks.iter().filter_map(|c| c.fix).collect();
    assert!(fixes.len() >= 6, "{fixes:?}");
    let after = s.fix_bucket("weak-bucket", &fixes).await.expect("fix");
    for c in &after.checks {
        match c.id.as_str() {
            "principals" => assert_eq!(c.status, AuditStatus::Warn, "left for the owner to judge"),
            // moto answers GetBucketVersioning with a root element the SDK rejects
            // (GetBucketVersioningResponse), so the audit says it could not read it; the
            // fix is checked below with a plain request.
            "versioning" => assert!(c.detail.contains("could not be read"), "{c:?}"),
            _ => assert_eq!(c.status, AuditStatus::Pass, "{c:?}"),
        }
    }
    let versioning = raw_get(&moto.endpoint, "/weak-bucket/?versioning");
    assert!(
        versioning.contains("<Status>Enabled</Status>"),
        "{versioning}"
    );
    // The partner's grant is kept; only the public statement went.
    let kept = s3
        .get_bucket_policy()
        .bucket("weak-bucket")
        .send()
        .await
        .expect("policy")
        .policy
        .unwrap_or_default();
    assert!(
        kept.contains("Partner") && !kept.contains("\"Public\""),
        "{kept}"
    );
    let missing = s.audit_bucket("no-such-bucket").await.expect_err("missing");
    assert_eq!(missing.code(), sluice_core::ErrorCode::NotFound);
}
