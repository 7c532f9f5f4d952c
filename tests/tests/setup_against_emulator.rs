//! Destination setup against moto with IAM enforcement on: an admin whose policy lacks
//! iam:PutUserPolicy is stopped after the user is created, resumes once allowed, and the
//! run adopts what exists; the writer's own key validates (write allowed, listing denied);
//! apply again changes nothing; the credentials file; rotation; teardown — each checked
//! with the SDK as a second admin.

use sluice_core::secrets::{SecretKey, SecretKind};
use sluice_core::setup::apply::StepProgress;
use sluice_core::setup::SinkSpec;
use sluice_core::{ErrorCode, Sluice};
use sluice_e2e::moto::Moto;
use sluice_e2e::setup_fixtures::{
    quick, recorder, spec, sse_algorithm, states, ALLOW_ALL, NO_PUT_USER_POLICY,
};
use sluice_e2e::vendor::{admin_clients, iam_user_with_key, key_clients};

#[tokio::test(flavor = "multi_thread")]
async fn apply_resume_validate_rotate_and_tear_down_under_iam_enforcement() {
    let moto = Moto::start();
    let boot = admin_clients(&moto.endpoint).await.iam();
    let (root_id, root_secret) = iam_user_with_key(&boot, "superadmin", Some(ALLOW_ALL)).await;
    let (admin_id, admin_secret) = iam_user_with_key(&boot, "setup-admin", Some(ALLOW_ALL)).await;
    boot.put_user_policy()
        .user_name("setup-admin")
        .policy_name("no-user-policies")
        .policy_document(NO_PUT_USER_POLICY)
        .send()
        .await
        .expect("deny");
    let dir = tempfile::tempdir().expect("tempdir");
    let s: Sluice = sluice_e2e::core_as(&moto.endpoint, dir.path(), &admin_id, &admin_secret);
    moto.enforce_iam();
    let root = key_clients(&moto.endpoint, &root_id, &root_secret).await;

    // The plan changes nothing and lists every step.
    let plan = s.plan_setup(&spec()).await.expect("plan");
    assert_eq!(plan.steps.len(), 8, "{plan:?}");
    assert!(root
        .s3()
        .head_bucket()
        .bucket("strm-export")
        .send()
        .await
        .is_err());

    // Stopped after the user is created: the admin may not put user policies.
    let (events, progress) = recorder();
    let err = s
        .apply_setup(&spec(), quick(), &progress)
        .await
        .expect_err("no iam:PutUserPolicy");
    assert_eq!(err.code(), ErrorCode::AccessDenied, "{err}");
    assert!(states(&events).contains(&("user-policy".into(), StepProgress::Failed)));
    root.s3()
        .head_bucket()
        .bucket("strm-export")
        .send()
        .await
        .expect("bucket made before the failure");
    root.iam()
        .get_user()
        .user_name("strm-export-demo")
        .send()
        .await
        .expect("user made before the failure");
    let record = s
        .setup_record("strm-export-demo")
        .expect("record")
        .expect("some");
    assert!(record.created_bucket && record.created_user && !record.put_user_policy);

    // Allowed now: the run resumes, adopting the bucket and the user.
    root.iam()
        .delete_user_policy()
        .user_name("setup-admin")
        .policy_name("no-user-policies")
        .send()
        .await
        .expect("grant");
    let (events, progress) = recorder();
    let outcome = s
        .apply_setup(&spec(), quick(), &progress)
        .await
        .expect("resume");
    let seen = states(&events);
    let failed: Vec<_> = events
        .lock()
        .map(|l| {
            l.iter()
                .filter(|e| e.state == StepProgress::Failed)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    assert!(failed.is_empty(), "{failed:?}");
    for id in ["bucket", "public-access-block", "user"] {
        assert!(
            seen.contains(&(id.into(), StepProgress::Skipped)),
            "{id}: {seen:?}"
        );
    }
    for id in ["user-policy", "access-key", "validate"] {
        assert!(
            seen.contains(&(id.into(), StepProgress::Done)),
            "{id}: {seen:?}"
        );
    }
    let validation = outcome.validation.clone().expect("validated");
    assert!(validation.write.passed, "{validation:?}");
    assert!(validation.list_denied.passed, "{validation:?}");
    assert!(outcome.key_created);
    let key_id = outcome.access_key_id.clone().expect("key");
    let secret = s
        .secrets()
        .get(&SecretKey::new(SecretKind::SecretAccessKey, &key_id).expect("key"))
        .expect("keyring")
        .expect("stored")
        .into_exposed();
    let shown = format!(
        "{}{:?}",
        serde_json::to_string(&outcome).expect("json"),
        events.lock().map(|l| l.clone()).unwrap_or_default()
    );
    assert!(!shown.contains(&secret), "the secret reached a payload");

    // What AWS holds now, read by the second admin.
    let s3 = root.s3();
    let bpa = s3
        .get_public_access_block()
        .bucket("strm-export")
        .send()
        .await
        .expect("bpa");
    assert_eq!(
        bpa.public_access_block_configuration()
            .and_then(|c| c.block_public_policy()),
        Some(true)
    );
    let enc = s3
        .get_bucket_encryption()
        .bucket("strm-export")
        .send()
        .await
        .expect("encryption");
    assert_eq!(sse_algorithm(&enc), "AES256");
    let listed = s3
        .list_objects_v2()
        .bucket("strm-export")
        .prefix("events/.strm_test_")
        .send()
        .await
        .expect("list");
    assert_eq!(listed.contents().len(), 1);
    let user_keys = |iam: aws_sdk_iam::Client| async move {
        iam.list_access_keys()
            .user_name("strm-export-demo")
            .send()
            .await
            .expect("keys")
            .access_key_metadata()
            .iter()
            .filter_map(|k| k.access_key_id().map(str::to_string))
            .collect::<Vec<_>>()
    };
    assert_eq!(user_keys(root.iam()).await, vec![key_id.clone()]);

    // Again: nothing new, no second key.
    let (events, progress) = recorder();
    let again = s
        .apply_setup(&spec(), quick(), &progress)
        .await
        .expect("again");
    assert!(!again.key_created);
    assert!(states(&events)
        .iter()
        .all(|(id, st)| *st == StepProgress::Skipped
            || id == "validate"
            || *st == StepProgress::Started));
    assert_eq!(user_keys(root.iam()).await, vec![key_id.clone()]);

    // The credentials file, in the shape of `aws iam create-access-key`, 0600, never replaced.
    let file = dir.path().join("s3.json");
    s.export_sink_credentials("strm-export-demo", &file, false)
        .expect("export");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
    assert_eq!(json["AccessKey"]["AccessKeyId"], key_id.as_str());
    assert_eq!(json["AccessKey"]["SecretAccessKey"], secret.as_str());
    assert_eq!(json["AccessKey"]["UserName"], "strm-export-demo");
    assert_eq!(json["AccessKey"]["Status"], "Active");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(s
        .export_sink_credentials("strm-export-demo", &file, false)
        .is_err());

    // Rotation: a new key, validated, the old one gone from IAM and the keyring.
    let rotated = s
        .rotate_setup_key("strm-export-demo", quick())
        .await
        .expect("rotate");
    assert_eq!(rotated.old_key, key_id);
    assert!(rotated.validation.passed, "{:?}", rotated.validation);
    assert_eq!(user_keys(root.iam()).await, vec![rotated.new_key.clone()]);
    assert!(s
        .secrets()
        .get(&SecretKey::new(SecretKind::SecretAccessKey, &key_id).expect("key"))
        .expect("keyring")
        .is_none());

    // Teardown: the bucket is not empty, so it goes only when emptying is confirmed.
    let preview = s
        .teardown_setup("strm-export-demo", true, false, false)
        .await
        .expect("preview");
    // One validation object from each of the two applies and the rotation.
    assert_eq!(preview.bucket_contents.map(|c| c.objects), Some(3));
    assert!(!preview.applied);
    let refused = s
        .teardown_setup("strm-export-demo", true, false, true)
        .await
        .expect_err("not empty");
    assert!(
        refused.to_string().contains("confirm emptying"),
        "{refused}"
    );
    let done = s
        .teardown_setup("strm-export-demo", true, true, true)
        .await
        .expect("teardown");
    assert!(done.applied);
    assert!(root
        .iam()
        .get_user()
        .user_name("strm-export-demo")
        .send()
        .await
        .is_err());
    assert!(s3.head_bucket().bucket("strm-export").send().await.is_err());
    assert!(s
        .setup_record("strm-export-demo")
        .expect("record")
        .is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tls_statement_joins_an_existing_bucket_policy_in_another_region() {
    let moto = Moto::start();
    let admin = admin_clients(&moto.endpoint).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice_e2e::admin_core(&moto.endpoint, dir.path());
    let eu = admin.in_region("eu-west-1");
    eu.s3()
        .create_bucket()
        .bucket("mm-existing")
        .create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::EuWest1)
                .build(),
        )
        .send()
        .await
        .expect("bucket");
    let reader = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Reader","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::mm-existing/*"}]}"#;
    eu.s3()
        .put_bucket_policy()
        .bucket("mm-existing")
        .policy(reader)
        .send()
        .await
        .expect("policy");
    let spec = SinkSpec {
        bucket: "mm-existing".into(),
        prefix: None,
        suffix: Some(".jsonl".into()),
        user: "mm-writer".into(),
        region: Some("eu-west-1".into()),
        kms_key_arn: Some(
            "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab".into(),
        ),
        tls_only: None,
    };
    let plan = s.plan_setup(&spec).await.expect("plan");
    let bucket_step = plan.step("bucket").expect("bucket step");
    assert_eq!(bucket_step.state, sluice_core::setup::StepState::Done);
    let policy_step = plan.step("bucket-policy").expect("policy step");
    let merged = policy_step.detail.clone().unwrap_or_default();
    assert!(
        merged.contains("Reader") && merged.contains("aws:SecureTransport"),
        "{merged}"
    );
    let (events, progress) = recorder();
    // Validation cannot pass over plain HTTP (see `spec`); every other step must, and the
    // refused write names the TLS-only statement at once instead of blaming the grant.
    let outcome = s.apply_setup(&spec, quick(), &progress).await;
    let detail = match &outcome {
        Ok(o) => o.validation.as_ref().map(|v| v.write.detail.clone()),
        Err(e) => Some(e.to_string()),
    }
    .unwrap_or_default();
    assert!(
        detail.contains("TLS-only statement")
            && detail.contains(&format!("{} speaks plain HTTP", moto.endpoint))
            && !detail.contains("attempt"),
        "{detail}"
    );
    let failed: Vec<_> = states(&events)
        .into_iter()
        .filter(|(id, st)| *st == StepProgress::Failed && id != "validate")
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
    let stored = eu
        .s3()
        .get_bucket_policy()
        .bucket("mm-existing")
        .send()
        .await
        .expect("policy")
        .policy
        .unwrap_or_default();
    assert!(
        stored.contains("Reader") && stored.contains("aws:SecureTransport"),
        "{stored}"
    );
    let enc = eu
        .s3()
        .get_bucket_encryption()
        .bucket("mm-existing")
        .send()
        .await
        .expect("encryption");
    assert_eq!(sse_algorithm(&enc), "aws:kms");
    let record = s.setup_record("mm-writer").expect("record").expect("some");
    assert!(!record.created_bucket && record.created_user && record.put_bucket_policy);
    // Teardown leaves an adopted bucket to its owner.
    let refused = s
        .teardown_setup("mm-writer", true, true, true)
        .await
        .expect_err("adopted bucket");
    assert!(refused.to_string().contains("did not create"), "{refused}");
    s.teardown_setup("mm-writer", false, false, true)
        .await
        .expect("teardown");
    eu.s3()
        .head_bucket()
        .bucket("mm-existing")
        .send()
        .await
        .expect("the adopted bucket stays");
}

#[tokio::test(flavor = "multi_thread")]
async fn guards_foreign_users_moved_destinations_unvalidated_keys_and_versioned_buckets() {
    let moto = Moto::start();
    let admin = admin_clients(&moto.endpoint).await;
    admin
        .iam()
        .create_user()
        .user_name("ops-admin")
        .send()
        .await
        .expect("a user Sluice did not make");
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice_e2e::admin_core(&moto.endpoint, dir.path());
    let spec = |bucket: &str, user: &str| SinkSpec {
        bucket: bucket.into(),
        prefix: Some("events".into()),
        suffix: None,
        user: user.into(),
        region: None,
        kms_key_arn: None,
        tls_only: Some(false),
    };
    let (_, progress) = recorder();

    // An existing user without Sluice's marks is never adopted.
    let plan = s
        .plan_setup(&spec("b-one", "ops-admin"))
        .await
        .expect("plan");
    assert_eq!(plan.blocked().map(|st| st.id.as_str()), Some("user"));
    let err = s
        .apply_setup(&spec("b-one", "ops-admin"), quick(), &progress)
        .await
        .expect_err("blocked");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(root_has_no_keys(&admin, "ops-admin").await);

    // Without IAM enforcement the new key may list: validation fails, so no credentials file.
    let outcome = s
        .apply_setup(&spec("b-one", "writer"), quick(), &progress)
        .await
        .expect("apply");
    let v = outcome.validation.expect("validated");
    assert!(v.write.passed && !v.list_denied.passed, "{v:?}");
    let file = dir.path().join("s3.json");
    let refused = s
        .export_sink_credentials("writer", &file, false)
        .expect_err("unvalidated key");
    assert!(
        refused.to_string().contains("not passed validation"),
        "{refused}"
    );
    assert!(!file.exists());

    // The same user may not be pointed at another bucket while its destination stands.
    let moved = s
        .plan_setup(&spec("b-two", "writer"))
        .await
        .expect_err("moved");
    assert!(
        moved
            .to_string()
            .contains("already writes to s3://b-one/events"),
        "{moved}"
    );

    // A versioned bucket is emptied of every version and delete marker before it goes.
    let s3 = admin.s3();
    s3.put_bucket_versioning()
        .bucket("b-one")
        .versioning_configuration(
            aws_sdk_s3::types::VersioningConfiguration::builder()
                .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .expect("versioning");
    for body in ["one", "two"] {
        s3.put_object()
            .bucket("b-one")
            .key("events/a.jsonl")
            .body(aws_sdk_s3::primitives::ByteStream::from_static(
                body.as_bytes(),
            ))
            .send()
            .await
            .expect("put");
    }
    s3.delete_object()
        .bucket("b-one")
        .key("events/a.jsonl")
        .send()
        .await
        .expect("delete marker");
    let preview = s
        .teardown_setup("writer", true, false, false)
        .await
        .expect("preview");
    // The validation file, two versions and a delete marker.
    assert_eq!(preview.bucket_contents.map(|c| c.objects), Some(4));
    s.teardown_setup("writer", true, true, true)
        .await
        .expect("teardown");
    assert!(s3.head_bucket().bucket("b-one").send().await.is_err());
}

async fn root_has_no_keys(admin: &sluice_core::aws::AwsClients, user: &str) -> bool {
    admin
        .iam()
        .list_access_keys()
        .user_name(user)
        .send()
        .await
        .map(|k| k.access_key_metadata().is_empty())
        .unwrap_or(false)
}
