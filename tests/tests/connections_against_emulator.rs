//! Connections against a real moto server: handover import → save → verify (who am I →
//! assume role with and without ExternalId → probe bucket and stream), the inline policy
//! applied with IAM, sessions, and a scan proving no secret leaks into settings, logs or
//! anything the UI receives.

use std::sync::Arc;

use sluice_core::connections::console::switch_role_link;
use sluice_core::connections::policy::PolicyTarget;
use sluice_core::connections::verify::CheckStatus;
use sluice_core::connections::{ConnectionDraft, ExternalIdChange};
use sluice_core::context::AwsOverrides;
use sluice_core::policy::apply::ApplyTarget;
use sluice_core::policy::studio::PolicySource;
use sluice_core::policy::templates::{AssumeRoleInput, TemplateRequest};
use sluice_core::secrets::MemoryStore;
use sluice_core::sensitive::SecretString;
use sluice_core::settings::SettingsStore;
use sluice_core::{ErrorCode, Sluice};
use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::{admin_clients, VendorWorld};

fn sluice(moto: &Moto, dir: &std::path::Path) -> Sluice {
    sluice_e2e::core_on(&moto.endpoint, dir)
}

fn statuses(report: &sluice_core::connections::verify::VerifyReport) -> Vec<(String, CheckStatus)> {
    report
        .checks
        .iter()
        .map(|c| (c.id.clone(), c.status))
        .collect()
}

#[tokio::test]
async fn import_verify_and_use_a_connection_with_an_external_id() {
    let moto = Moto::start();
    let world = VendorWorld::create(&moto.endpoint, "mm").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice(&moto, dir.path());

    let saved = s
        .save_connection(world.draft("machinemetrics", &world.handover(true)))
        .expect("save");
    let role = saved.role.as_ref().expect("role");
    assert!(role.has_external_id);
    assert_eq!(saved.bucket.as_deref(), Some(world.bucket.as_str()));
    assert_eq!(saved.prefix.as_deref(), Some("timeseries/"));

    let report = s.verify_connection("machinemetrics").await.expect("verify");
    assert!(report.passed, "{report:#?}");
    let all_passed: Vec<(String, CheckStatus)> = [
        "whoami",
        "assume-role",
        "s3-list",
        "s3-head",
        "kinesis-describe",
        "kinesis-shards",
        "kinesis-iterator",
    ]
    .iter()
    .map(|id| (id.to_string(), CheckStatus::Passed))
    .collect();
    assert_eq!(statuses(&report), all_passed);
    let whoami = &report.checks[0].detail;
    assert!(whoami.contains(&world.customer_user), "{whoami}");
    assert!(
        report.checks[3].detail.contains(&world.first_key),
        "{:?}",
        report.checks[3]
    );

    // The session is the assumed role's, with an expiry for the countdown.
    let status = s.session_status("machinemetrics").await.expect("status");
    assert!(status.uses_role);
    let left = status.seconds_left.expect("seconds left");
    assert!((3000..=3600).contains(&left), "{left}");
    let clients = s
        .connection_clients("machinemetrics")
        .await
        .expect("clients");
    let caller = sluice_core::identity::whoami(&clients)
        .await
        .expect("whoami as role");
    assert!(
        caller
            .arn
            .contains(":assumed-role/mm-data-access-role/sluice-test"),
        "{}",
        caller.arn
    );
    let listed = clients
        .s3()
        .list_objects_v2()
        .bucket(&world.bucket)
        .prefix("timeseries/")
        .send()
        .await
        .expect("list through the connection");
    assert_eq!(listed.key_count(), Some(2));
    let reloaded = s.reload_session("machinemetrics").await.expect("reload");
    assert!(reloaded.expires_at.is_some());

    // With an ExternalId the console cannot switch roles: no link, a note.
    let link = switch_role_link(&saved).expect("link");
    assert!(link.url.is_none() && link.note.is_some());

    // Deleting the connection deletes its secrets.
    s.remove_connection("machinemetrics").expect("remove");
    assert_eq!(
        s.connection("machinemetrics").expect_err("gone").code(),
        ErrorCode::NotFound
    );
    let ext = sluice_core::secrets::SecretKey::new(
        sluice_core::secrets::SecretKind::ExternalId,
        "machinemetrics",
    )
    .expect("key");
    assert!(s.secrets().get(&ext).expect("get").is_none());
    let key = sluice_core::secrets::SecretKey::new(
        sluice_core::secrets::SecretKind::SecretAccessKey,
        &world.customer_key_id,
    )
    .expect("key");
    assert!(s.secrets().get(&key).expect("get").is_none());
}

#[tokio::test]
async fn without_an_external_id_verify_passes_and_the_console_link_works() {
    let moto = Moto::start();
    let world = VendorWorld::create(&moto.endpoint, "plain").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice(&moto, dir.path());
    let saved = s
        .save_connection(world.draft("plain", &world.handover(false)))
        .expect("save");
    assert!(!saved.role.as_ref().expect("role").has_external_id);
    let report = s.verify_connection("plain").await.expect("verify");
    assert!(report.passed, "{report:#?}");
    let link = switch_role_link(&saved).expect("link");
    let url = link.url.expect("url");
    assert!(url.starts_with("https://signin.aws.amazon.com/switchrole?account=123456789012&roleName=plain-data-access-role"), "{url}");
}

#[tokio::test]
async fn missing_bucket_and_stream_fail_with_the_action_and_a_fix() {
    let moto = Moto::start();
    let world = VendorWorld::create(&moto.endpoint, "gone").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice(&moto, dir.path());
    let mut draft = world.draft("gone", &world.handover(true));
    draft.bucket = Some("no-such-vendor-bucket".into());
    draft.stream_arn = Some(world.stream_arn.replace("gone-events", "no-such-stream"));
    s.save_connection(draft).expect("save");
    let report = s.verify_connection("gone").await.expect("verify");
    assert!(!report.passed);
    let by_id = |id: &str| report.checks.iter().find(|c| c.id == id).expect(id).clone();
    let list = by_id("s3-list");
    assert_eq!(list.status, CheckStatus::Failed);
    assert_eq!(list.error_kind, Some(ErrorCode::NotFound));
    assert!(list.detail.contains("s3:ListBucket"), "{list:?}");
    assert!(
        list.fix
            .as_deref()
            .unwrap_or_default()
            .contains("arn:aws:s3:::no-such-vendor-bucket"),
        "{list:?}"
    );
    assert_eq!(by_id("s3-head").status, CheckStatus::Skipped);
    let describe = by_id("kinesis-describe");
    assert_eq!(describe.status, CheckStatus::Failed);
    assert!(
        describe.detail.contains("kinesis:DescribeStreamSummary"),
        "{describe:?}"
    );
    assert_eq!(by_id("kinesis-iterator").status, CheckStatus::Skipped);
    assert_eq!(by_id("assume-role").status, CheckStatus::Passed);
}

#[tokio::test]
async fn the_inline_policy_is_applied_to_the_callers_own_user() {
    let moto = Moto::start();
    let world = VendorWorld::create(&moto.endpoint, "pol").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice(&moto, dir.path());
    s.save_connection(world.draft("pol", &world.handover(true)))
        .expect("save");

    let policy = s.inline_policy("pol").await.expect("policy");
    assert_eq!(
        policy.suggested_target,
        Some(PolicyTarget::User(world.customer_user.clone()))
    );
    let applied = s
        .apply_inline_policy("pol", &PolicyTarget::User(world.customer_user.clone()))
        .await
        .expect("apply");
    let admin = admin_clients(&moto.endpoint).await;
    let stored = admin
        .iam()
        .get_user_policy()
        .user_name(&world.customer_user)
        .policy_name(&applied.policy_name)
        .send()
        .await
        .expect("get user policy");
    let doc = stored.policy_document();
    let decoded = url::form_urlencoded::parse(format!("d={doc}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(if decoded.starts_with('{') {
        &decoded
    } else {
        doc
    })
    .expect("policy json");
    assert_eq!(json["Statement"][0]["Action"], "sts:AssumeRole");
    assert_eq!(json["Statement"][0]["Resource"], world.role_arn.as_str());

    // The studio's assume-role template for the same role names the policy the same way:
    // applying both leaves one policy on the user, not two.
    let studio = PolicySource::Template(TemplateRequest::AssumeRole(AssumeRoleInput {
        role_arn: world.role_arn.to_string(),
    }));
    let target = ApplyTarget::User(world.customer_user.clone());
    let studio_dir = tempfile::tempdir().expect("tempdir");
    let admin_studio = sluice_e2e::admin_core(&moto.endpoint, studio_dir.path());
    let plan = admin_studio
        .plan_policy_apply(&target, &studio, None)
        .await
        .expect("studio plan");
    assert!(
        plan.exists,
        "the studio finds the policy Connections applied: {plan:?}"
    );
    let again = admin_studio
        .apply_policy(&target, &studio, None, Some(&plan.fingerprint))
        .await
        .expect("studio apply");
    assert_eq!(
        again.policy_name.as_deref(),
        Some(applied.policy_name.as_str())
    );
    let names = admin
        .iam()
        .list_user_policies()
        .user_name(&world.customer_user)
        .send()
        .await
        .expect("list user policies");
    assert_eq!(
        names.policy_names(),
        std::slice::from_ref(&applied.policy_name)
    );

    // A user that does not exist is a clear NotFound naming the action.
    let err = s
        .apply_inline_policy("pol", &PolicyTarget::User("nobody-here".into()))
        .await
        .expect_err("no such user");
    assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
    assert!(err.to_string().contains("iam:PutUserPolicy"), "{err}");
}

#[test]
fn invalid_drafts_are_rejected_and_nothing_is_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Sluice::new(
        SettingsStore::at(dir.path().join("settings.json")),
        Arc::new(MemoryStore::default()),
        AwsOverrides::default(),
    );
    let base = ConnectionDraft {
        name: "vendor".into(),
        role_arn: Some("arn:aws:iam::352302322568:role/reader".into()),
        ..Default::default()
    };
    let cases: Vec<(ConnectionDraft, &str)> = vec![
        (
            ConnectionDraft {
                name: "bad name".into(),
                ..base.clone()
            },
            "connection name",
        ),
        (
            ConnectionDraft {
                role_arn: Some("arn:aws:iam::35230232256:role/x".into()),
                ..base.clone()
            },
            "role ARN",
        ),
        (
            ConnectionDraft {
                bucket: Some("Bad_Bucket".into()),
                ..base.clone()
            },
            "bucket name",
        ),
        (
            ConnectionDraft {
                bucket: Some("ok-bucket".into()),
                prefix: Some("a//b".into()),
                ..base.clone()
            },
            "prefix",
        ),
        (
            ConnectionDraft {
                stream_arn: Some("arn:aws:kinesis:us-east-1:1:stream/x".into()),
                ..base.clone()
            },
            "stream ARN",
        ),
        (
            ConnectionDraft {
                external_id: ExternalIdChange::Set(SecretString::from("has space".to_string())),
                ..base.clone()
            },
            "ExternalId",
        ),
        (
            ConnectionDraft {
                session_name: Some("x".into()),
                ..base.clone()
            },
            "session name",
        ),
        (
            ConnectionDraft {
                duration_seconds: Some(60),
                ..base.clone()
            },
            "session duration",
        ),
        (
            ConnectionDraft {
                region: Some("moon-1".into()),
                ..base.clone()
            },
            "region",
        ),
    ];
    for (draft, field) in cases {
        let err = s.save_connection(draft).expect_err(field);
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{field}: {err}");
        assert!(
            err.to_string().starts_with(&format!("Invalid {field}")),
            "{field}: {err}"
        );
    }
    assert!(
        !s.settings().path().exists(),
        "nothing may be written for invalid input"
    );
}

#[tokio::test]
async fn with_iam_checks_on_a_user_without_the_inline_policy_is_told_to_apply_it() {
    let moto = Moto::start();
    let world = VendorWorld::create(&moto.endpoint, "deny").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice(&moto, dir.path());
    s.save_connection(world.draft("deny", &world.handover(false)))
        .expect("save");
    moto.enforce_iam();

    let report = s.verify_connection("deny").await.expect("verify");
    assert!(!report.passed);
    let by_id = |id: &str| report.checks.iter().find(|c| c.id == id).expect(id).clone();
    assert_eq!(by_id("whoami").status, CheckStatus::Passed);
    let assume = by_id("assume-role");
    assert_eq!(assume.status, CheckStatus::Failed, "{assume:?}");
    assert_eq!(
        assume.error_kind,
        Some(ErrorCode::AccessDenied),
        "{assume:?}"
    );
    let fix = assume.fix.unwrap_or_default();
    assert!(
        fix.contains(&format!(
            "your user may not call sts:AssumeRole on {}",
            world.role_arn
        )) && fix.contains("apply the inline policy"),
        "{fix}"
    );
    // Probes that need the role are skipped, not failed again.
    for id in [
        "s3-list",
        "s3-head",
        "kinesis-describe",
        "kinesis-shards",
        "kinesis-iterator",
    ] {
        assert_eq!(by_id(id).status, CheckStatus::Skipped, "{id}");
    }
}

#[tokio::test]
async fn the_inline_policy_is_saved_to_a_file_without_silent_overwrite() {
    let moto = Moto::start();
    let world = VendorWorld::create(&moto.endpoint, "file").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice(&moto, dir.path());
    s.save_connection(world.draft("file", &world.handover(false)))
        .expect("save");
    let path = dir.path().join("policy.json");
    s.save_inline_policy("file", &path, false)
        .await
        .expect("first save");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    assert_eq!(json["Statement"][0]["Resource"], world.role_arn.as_str());
    std::fs::write(&path, "mine").expect("edit");
    let err = s
        .save_inline_policy("file", &path, false)
        .await
        .expect_err("exists");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "mine");
    s.save_inline_policy("file", &path, true)
        .await
        .expect("replace");
    assert!(std::fs::read_to_string(&path)
        .expect("read")
        .contains("sts:AssumeRole"));
}

/// A role assumed from a session (here pasted temporary credentials) is a chained role,
/// which AWS caps at one hour: a connection set to two hours asks for one and says why,
/// while the same connection from a long-term key keeps its two hours.
#[tokio::test]
async fn a_chained_role_is_clamped_to_one_hour_and_says_so() {
    use sluice_core::identity::SourceIdentity;
    let moto = Moto::start();
    let world = VendorWorld::create(&moto.endpoint, "chain").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice(&moto, dir.path());
    let text = world.handover(false);

    let long_term = ConnectionDraft {
        duration_seconds: Some(7200),
        ..world.draft("long", &text)
    };
    s.save_connection(long_term).expect("save");
    let status = s.reload_session("long").await.expect("session");
    assert_eq!(status.note, None);
    assert!(
        status.seconds_left.is_some_and(|left| left > 3600),
        "{status:?}"
    );

    let session = sluice_e2e::vendor::key_clients(
        &moto.endpoint,
        &world.customer_key_id,
        &world.customer_secret,
    )
    .await
    .sts()
    .get_session_token()
    .send()
    .await
    .expect("session token");
    let c = session.credentials.expect("credentials");
    let pasted = format!(
        "export AWS_ACCESS_KEY_ID={}\nexport AWS_SECRET_ACCESS_KEY={}\nexport AWS_SESSION_TOKEN={}\n",
        c.access_key_id, c.secret_access_key, c.session_token
    );
    let status = s
        .set_temporary_source(SecretString::from(pasted), None)
        .expect("temporary source");
    let chained = ConnectionDraft {
        source: status.source.clone(),
        secret_access_key: None,
        duration_seconds: Some(7200),
        ..world.draft("chained", &text)
    };
    assert!(matches!(chained.source, SourceIdentity::Temporary { .. }));
    s.save_connection(chained).expect("save");
    let status = s.reload_session("chained").await.expect("session");
    let note = status.note.clone().expect("a note");
    assert!(
        note.contains("sessions last 1 hour, not the 120 minutes set"),
        "{note}"
    );
    assert!(
        status.seconds_left.is_some_and(|left| left <= 3600),
        "{status:?}"
    );
}
