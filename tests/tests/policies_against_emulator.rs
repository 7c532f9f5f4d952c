//! The policy studio against moto: generated policies applied with the core (diff, apply,
//! read back), then proven least-privilege with moto's IAM enforcement — each user signs
//! with its own key, the calls its policy names succeed and the neighbouring ones fail.

use aws_sdk_s3::primitives::ByteStream;
use sluice_core::policy::apply::ApplyTarget;
use sluice_core::policy::studio::PolicySource;
use sluice_core::policy::templates::{
    BucketPolicyInput, ProducerInput, ReaderInput, SinkWriterInput, TemplateRequest, TrustInput,
};
use sluice_core::ErrorCode;
use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::{admin_clients, iam_user_with_key, key_clients};

fn template(t: TemplateRequest) -> PolicySource {
    PolicySource::Template(t)
}

#[tokio::test(flavor = "multi_thread")]
async fn generated_policies_allow_exactly_what_they_say_under_iam_enforcement() {
    let moto = Moto::start();
    let admin = admin_clients(&moto.endpoint).await;
    let bucket = "strm-export";
    admin
        .s3()
        .create_bucket()
        .bucket(bucket)
        .send()
        .await
        .expect("bucket");
    for key in ["events/seed.jsonl", "other/seed.jsonl"] {
        admin
            .s3()
            .put_object()
            .bucket(bucket)
            .key(key)
            .body(ByteStream::from_static(b"{}\n"))
            .send()
            .await
            .expect("seed");
    }
    admin
        .kinesis()
        .create_stream()
        .stream_name("dm-data")
        .shard_count(1)
        .send()
        .await
        .expect("stream");
    let stream_arn = admin
        .kinesis()
        .describe_stream_summary()
        .stream_name("dm-data")
        .send()
        .await
        .expect("describe")
        .stream_description_summary()
        .map(|s| s.stream_arn().to_string())
        .expect("arn");
    let iam = admin.iam();
    let writer = iam_user_with_key(&iam, "strm-writer", None).await;
    let reader = iam_user_with_key(&iam, "mm-reader", None).await;
    let producer = iam_user_with_key(&iam, "dm-producer", None).await;

    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice_e2e::admin_core(&moto.endpoint, dir.path());
    let plans = [
        (
            "strm-writer",
            TemplateRequest::SinkWriter(SinkWriterInput {
                bucket: bucket.into(),
                prefix: Some("events".into()),
                suffix: None,
            }),
        ),
        (
            "mm-reader",
            TemplateRequest::Reader(ReaderInput {
                bucket: bucket.into(),
                prefix: Some("events".into()),
                stream_arn: Some(stream_arn.clone()),
                kms_key_arn: None,
            }),
        ),
        (
            "dm-producer",
            TemplateRequest::Producer(ProducerInput {
                stream_arn: stream_arn.clone(),
            }),
        ),
    ];
    for (user, request) in &plans {
        let target = ApplyTarget::User((*user).into());
        let source = template(request.clone());
        let plan = s
            .plan_policy_apply(&target, &source, None)
            .await
            .expect("plan");
        assert!(!plan.exists && plan.changed, "{plan:?}");
        assert!(plan.lint.findings.is_empty(), "{:?}", plan.lint.findings);
        let applied = s
            .apply_policy(&target, &source, None, Some(&plan.fingerprint))
            .await
            .expect("apply");
        assert!(applied.verified, "{user}: read back differs");
        let again = s
            .plan_policy_apply(&target, &source, None)
            .await
            .expect("plan again");
        assert!(again.exists && !again.changed, "{user}: {again:?}");
    }

    moto.enforce_iam();

    // Sink writer: puts PREFIX/*.jsonl, nothing else.
    let w = key_clients(&moto.endpoint, &writer.0, &writer.1).await.s3();
    let put = |c: &aws_sdk_s3::Client, key: &str| {
        c.put_object()
            .bucket(bucket)
            .key(key)
            .body(ByteStream::from_static(b""))
            .send()
    };
    put(&w, "events/.strm_test_1.jsonl")
        .await
        .expect("writer may put events/*.jsonl");
    assert!(put(&w, "other/a.jsonl").await.is_err(), "other prefix");
    assert!(put(&w, "events/a.txt").await.is_err(), "other suffix");
    assert!(
        w.list_objects_v2().bucket(bucket).send().await.is_err(),
        "writer may not list"
    );
    assert!(
        w.get_object()
            .bucket(bucket)
            .key("events/seed.jsonl")
            .send()
            .await
            .is_err(),
        "writer may not read"
    );

    // Reader: lists and reads the prefix, reads the stream, writes nothing.
    let r = key_clients(&moto.endpoint, &reader.0, &reader.1).await;
    r.s3()
        .list_objects_v2()
        .bucket(bucket)
        .prefix("events/")
        .send()
        .await
        .expect("reader may list events/");
    // moto does not evaluate conditions in identity policies, so the s3:prefix condition
    // that keeps the reader's listing inside events/ cannot be proven here (the reader can
    // list other/ on the emulator); reading other/ is denied below, which moto does enforce.
    r.s3()
        .get_object()
        .bucket(bucket)
        .key("events/seed.jsonl")
        .send()
        .await
        .expect("reader may read events/");
    assert!(
        r.s3()
            .get_object()
            .bucket(bucket)
            .key("other/seed.jsonl")
            .send()
            .await
            .is_err(),
        "reader may not read other/"
    );
    assert!(
        put(&r.s3(), "events/b.jsonl").await.is_err(),
        "reader may not write"
    );
    // moto checks every Kinesis call against the resource "*" (it has no stream-level
    // resources), so a stream-scoped Allow never matches there: only the denials of the
    // Kinesis statements can be proven on the emulator. The allowed Kinesis actions are
    // checked by the linter against the Service Authorization Reference instead.
    // moto reports Kinesis denials in a body the SDK cannot parse: "is an error" is the proof.
    assert!(
        r.kinesis()
            .put_record()
            .stream_arn(&stream_arn)
            .partition_key("k")
            .data(aws_sdk_kinesis::primitives::Blob::new("x"))
            .send()
            .await
            .is_err(),
        "reader may not put records"
    );

    // Producer: puts records, reads nothing.
    let p = key_clients(&moto.endpoint, &producer.0, &producer.1).await;
    assert!(
        p.kinesis()
            .list_shards()
            .stream_arn(&stream_arn)
            .send()
            .await
            .is_err(),
        "producer may not list shards"
    );
    assert!(
        p.s3()
            .list_objects_v2()
            .bucket(bucket)
            .send()
            .await
            .is_err(),
        "producer may not touch S3"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn trust_and_bucket_policies_are_diffed_applied_and_read_back_without_showing_the_external_id(
) {
    let moto = Moto::start();
    let admin = admin_clients(&moto.endpoint).await;
    let old_trust = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                       "Action": "sts:AssumeRole"}]
    });
    admin
        .iam()
        .create_role()
        .role_name("vendor-data-role")
        .assume_role_policy_document(old_trust.to_string())
        .send()
        .await
        .expect("role");
    admin
        .s3()
        .create_bucket()
        .bucket("mm-secure")
        .send()
        .await
        .expect("bucket");
    admin
        .iam()
        .create_user()
        .user_name("careful")
        .send()
        .await
        .expect("user");
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice_e2e::admin_core(&moto.endpoint, dir.path());

    // Trust with a generated ExternalId: the diff hides it, AWS gets it.
    s.generate_trust_external_id("acme", false)
        .expect("generate");
    let trust = template(TemplateRequest::Trust(TrustInput {
        principal: "352302322568".into(),
        external_id_name: Some("acme".into()),
    }));
    let target = ApplyTarget::TrustOfRole("vendor-data-role".into());
    let plan = s
        .plan_policy_apply(&target, &trust, None)
        .await
        .expect("plan");
    assert!(plan.exists && plan.changed);
    let diff: Vec<String> = plan
        .diff
        .iter()
        .map(|l| format!("{:?} {}", l.op, l.text))
        .collect();
    let diff = diff.join("\n");
    assert!(
        diff.contains("Remove") && diff.contains("111122223333"),
        "{diff}"
    );
    assert!(
        diff.contains("Add") && diff.contains("352302322568"),
        "{diff}"
    );
    assert!(diff.contains("(ExternalId hidden)"), "{diff}");
    // A review that no longer matches AWS is refused: someone changed the role meanwhile.
    admin
        .iam()
        .update_assume_role_policy()
        .role_name("vendor-data-role")
        .policy_document(
            old_trust
                .to_string()
                .replace("111122223333", "444455556666"),
        )
        .send()
        .await
        .expect("change behind our back");
    let err = s
        .apply_policy(&target, &trust, None, Some(&plan.fingerprint))
        .await
        .expect_err("stale review");
    assert!(err.to_string().contains("review it again"), "{err}");
    let plan = s
        .plan_policy_apply(&target, &trust, None)
        .await
        .expect("plan again");
    let applied = s
        .apply_policy(&target, &trust, None, Some(&plan.fingerprint))
        .await
        .expect("apply");
    assert!(applied.verified);
    let stored = admin
        .iam()
        .get_role()
        .role_name("vendor-data-role")
        .send()
        .await
        .expect("get role")
        .role
        .and_then(|r| r.assume_role_policy_document)
        .expect("trust");
    let secret_rendered = s
        .policy_text_with_secrets(&trust)
        .expect("render")
        .into_exposed();
    let secret: serde_json::Value = serde_json::from_str(&secret_rendered).expect("json");
    let secret = secret["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"]
        .as_str()
        .expect("external id")
        .to_string();
    assert!(stored.contains(&secret), "AWS holds the ExternalId");
    for shown in [
        serde_json::to_string(&plan).expect("json"),
        serde_json::to_string(&applied).expect("json"),
        serde_json::to_string(
            &s.generate_policy(match &trust {
                PolicySource::Template(t) => t,
                PolicySource::Document(_) => unreachable!(),
            })
            .expect("shown"),
        )
        .expect("json"),
    ] {
        assert!(
            !shown.contains(&secret),
            "the UI payload holds the ExternalId"
        );
    }

    // Bucket policy: none before, the TLS deny after.
    let bucket = ApplyTarget::Bucket("mm-secure".into());
    let tls = template(TemplateRequest::BucketPolicy(BucketPolicyInput {
        bucket: "mm-secure".into(),
        reader_principal: Some("123456789012".into()),
    }));
    let plan = s
        .plan_policy_apply(&bucket, &tls, None)
        .await
        .expect("plan");
    assert!(!plan.exists && plan.changed);
    assert!(
        s.apply_policy(&bucket, &tls, None, None)
            .await
            .expect("apply")
            .verified
    );
    let stored = admin
        .s3()
        .get_bucket_policy()
        .bucket("mm-secure")
        .send()
        .await
        .expect("policy")
        .policy
        .unwrap_or_default();
    assert!(stored.contains("aws:SecureTransport"), "{stored}");

    // A policy with lint errors is never applied; a missing user is named.
    let seed =
        include_str!("../../src-tauri/crates/sluice-core/tests/policies/emnify-example.json");
    let user = ApplyTarget::User("careful".into());
    let err = s
        .apply_policy(
            &user,
            &PolicySource::Document(seed.into()),
            Some("emnify"),
            None,
        )
        .await
        .expect_err("lint errors");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("lint error"), "{err}");
    assert!(admin
        .iam()
        .get_user_policy()
        .user_name("careful")
        .policy_name("emnify")
        .send()
        .await
        .is_err());
    let err = s
        .plan_policy_apply(
            &ApplyTarget::User("nobody".into()),
            &PolicySource::Document("{}".into()),
            None,
        )
        .await
        .expect_err("no such user");
    assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
}
