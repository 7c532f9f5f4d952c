//! After a full connection session against moto — import, save, verify, session, reload,
//! policy, console link, credential_process — no secret (ExternalId, secret key, the
//! session's own secret and token) appears in the settings file, the logs, or any payload
//! the UI receives.

use std::sync::{Arc, Mutex};

use sluice_core::connections::console::switch_role_link;
use sluice_core::handover;
use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::VendorWorld;

/// Any value the UI would receive, as JSON text.
macro_rules! json {
    ($value:expr $(,)?) => {
        serde_json::to_string($value).expect("json")
    };
}

/// Collects everything logged while a closure runs.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    /// Everything Sluice logs (down to trace) on this thread until the guard drops.
    fn capture() -> (Self, tracing::subscriber::DefaultGuard) {
        let logs = Self::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter("info,sluice_core=trace")
            .with_writer(move || writer.clone())
            .finish();
        (logs, tracing::subscriber::set_default(subscriber))
    }
}

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_reaches_settings_logs_or_ui_payloads() {
    let (logs, _guard) = LogBuffer::capture();

    let moto = Moto::start();
    let world = VendorWorld::create(&moto.endpoint, "scan").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice_e2e::core_on(&moto.endpoint, dir.path());
    let mut payloads: Vec<String> = Vec::new();
    let text = world.handover(true);
    payloads.push(serde_json::to_string(&handover::parse(&text).fields).expect("json"));
    let saved = s.save_connection(world.draft("scan", &text)).expect("save");
    payloads.push(serde_json::to_string(&saved).expect("json"));
    payloads.push(serde_json::to_string(&s.connections().expect("list")).expect("json"));
    payloads.push(
        serde_json::to_string(&s.verify_connection("scan").await.expect("verify")).expect("json"),
    );
    payloads.push(
        serde_json::to_string(&s.session_status("scan").await.expect("status")).expect("json"),
    );
    payloads.push(
        serde_json::to_string(&s.reload_session("scan").await.expect("reload")).expect("json"),
    );
    payloads.push(
        serde_json::to_string(&s.inline_policy("scan").await.expect("policy")).expect("json"),
    );
    payloads.push(serde_json::to_string(&switch_role_link(&saved).expect("link")).expect("json"));
    payloads.push(serde_json::to_string(&s.source_status().expect("source")).expect("json"));
    // Browsing through the connection, and the errors a user can run into.
    let page = s
        .browse_list(Some("scan"), &world.bucket, &world.prefix, None)
        .await
        .expect("list through the connection");
    payloads.push(serde_json::to_string(&page).expect("json"));
    for err in [
        s.browse_preview(Some("scan"), &world.bucket, "missing.csv", None)
            .await
            .expect_err("missing"),
        s.browse_list(Some("scan"), "no-such-bucket-here", "", None)
            .await
            .expect_err("no bucket"),
        // The vendor's sample objects are cut gzip: the preview error is scanned too.
        s.browse_preview(Some("scan"), &world.bucket, &world.first_key, None)
            .await
            .expect_err("cut gzip"),
        s.save_connection(sluice_core::connections::ConnectionDraft {
            external_id: sluice_core::connections::ExternalIdChange::Set(
                format!("{} x", world.external_id).into(),
            ),
            ..world.draft("scan", &world.handover(false))
        })
        .expect_err("bad external id"),
    ] {
        payloads.push(err.to_string());
    }

    // The session's own temporary secrets must not leak either.
    let process = s
        .process_credentials("scan")
        .await
        .expect("process credentials");
    let process: serde_json::Value = serde_json::from_str(&process).expect("json");
    let session_secret = process["SecretAccessKey"]
        .as_str()
        .expect("secret")
        .to_string();
    let session_token = process["SessionToken"].as_str().expect("token").to_string();
    assert_eq!(process["Version"], 1);

    let settings = std::fs::read_to_string(s.settings().path()).expect("settings");
    let logged = String::from_utf8(logs.0.lock().expect("logs").clone()).expect("utf8");
    for secret in [
        &world.external_id,
        &world.customer_secret,
        &session_secret,
        &session_token,
    ] {
        assert!(
            !settings.contains(secret.as_str()),
            "secret in settings file"
        );
        assert!(!logged.contains(secret.as_str()), "secret in logs");
        for p in &payloads {
            assert!(!p.contains(secret.as_str()), "secret in a UI payload: {p}");
        }
    }
}

/// The same scan over the admin flows: policy studio (a trust ExternalId generated into the
/// keyring, shown, diffed, applied) and destination setup (plan, apply with progress,
/// validation, rotation, teardown preview, audit) — the writer's secret key and the
/// ExternalId stay out of the settings, the setup record, the logs and every payload.
#[tokio::test(flavor = "multi_thread")]
async fn no_secret_reaches_records_logs_or_payloads_in_policies_and_setup() {
    use sluice_core::policy::apply::ApplyTarget;
    use sluice_core::policy::studio::PolicySource;
    use sluice_core::policy::templates::{TemplateRequest, TrustInput};
    use sluice_core::secrets::{SecretKey, SecretKind};
    use sluice_core::setup::validate::Patience;
    use sluice_core::setup::SinkSpec;

    let (logs, _guard) = LogBuffer::capture();

    let moto = Moto::start();
    let admin = sluice_e2e::vendor::admin_clients(&moto.endpoint).await;
    admin
        .iam()
        .create_role()
        .role_name("vendor-role")
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}"#)
        .send()
        .await
        .expect("role");
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice_e2e::admin_core(&moto.endpoint, dir.path());
    let mut payloads: Vec<String> = Vec::new();

    s.generate_trust_external_id("acme", false)
        .expect("generate");
    let trust = TemplateRequest::Trust(TrustInput {
        principal: "352302322568".into(),
        external_id_name: Some("acme".into()),
    });
    payloads.push(json!(&s.generate_policy(&trust).expect("shown")));
    let source = PolicySource::Template(trust);
    let target = ApplyTarget::TrustOfRole("vendor-role".into());
    let plan = s
        .plan_policy_apply(&target, &source, None)
        .await
        .expect("plan");
    payloads.push(json!(&plan));
    payloads.push(json!(&s
        .apply_policy(&target, &source, None, Some(&plan.fingerprint))
        .await
        .expect("apply"),));
    payloads.push(json!(&s.trust_external_id("acme").expect("status")));

    let spec = SinkSpec {
        bucket: "scan-export".into(),
        prefix: Some("events".into()),
        suffix: None,
        user: "scan-writer".into(),
        region: None,
        kms_key_arn: None,
        tls_only: Some(false),
    };
    let quick = Patience {
        attempts: 1,
        first_pause: std::time::Duration::from_millis(10),
    };
    payloads.push(json!(&s.plan_setup(&spec).await.expect("plan")));
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let outcome = s
        .apply_setup(&spec, quick, &move |e| {
            if let Ok(mut l) = sink.lock() {
                l.push(serde_json::to_string(&e).unwrap_or_default());
            }
        })
        .await
        .expect("apply");
    payloads.push(json!(&outcome));
    payloads.extend(events.lock().map(|l| l.clone()).unwrap_or_default());
    let first_key = outcome.access_key_id.clone().expect("key");
    let first_secret = s
        .secrets()
        .get(&SecretKey::new(SecretKind::SecretAccessKey, &first_key).expect("key"))
        .expect("keyring")
        .expect("stored")
        .into_exposed();
    payloads.push(json!(&s
        .validate_setup("scan-writer", quick)
        .await
        .expect("validate")));
    let rotation = s.rotate_setup_key("scan-writer", quick).await;
    if let Ok(r) = &rotation {
        payloads.push(json!(r));
    }
    let current = s
        .setup_record("scan-writer")
        .expect("record")
        .and_then(|r| r.current_key().map(|k| k.access_key_id.clone()))
        .expect("current key");
    let current_secret = s
        .secrets()
        .get(&SecretKey::new(SecretKind::SecretAccessKey, &current).expect("key"))
        .expect("keyring")
        .expect("stored")
        .into_exposed();
    payloads.push(json!(&s
        .teardown_setup("scan-writer", true, false, false)
        .await
        .expect("preview"),));
    payloads.push(json!(&s.audit_bucket("scan-export").await.expect("audit")));
    for err in [
        s.export_sink_credentials("nobody", &dir.path().join("x.json"), false)
            .expect_err("no such setup"),
        s.generate_trust_external_id("acme", false)
            .expect_err("exists"),
    ] {
        payloads.push(err.to_string());
    }
    let external_id = s
        .policy_text_with_secrets(&source)
        .expect("render")
        .into_exposed();
    let external_id: serde_json::Value = serde_json::from_str(&external_id).expect("json");
    let external_id = external_id["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"]
        .as_str()
        .expect("id")
        .to_string();

    let settings = std::fs::read_to_string(s.settings().path()).unwrap_or_default();
    let record =
        std::fs::read_to_string(dir.path().join("setups/scan-writer.json")).expect("record");
    let logged = String::from_utf8(logs.0.lock().expect("logs").clone()).expect("utf8");
    for secret in [&external_id, &first_secret, &current_secret] {
        assert!(
            !settings.contains(secret.as_str()),
            "secret in settings file"
        );
        assert!(
            !record.contains(secret.as_str()),
            "secret in the setup record"
        );
        assert!(!logged.contains(secret.as_str()), "secret in logs");
        for p in &payloads {
            assert!(!p.contains(secret.as_str()), "secret in a UI payload: {p}");
        }
    }
}

/// The same scan over signing in: an IAM Identity Center device sign-in against the
/// stand-in (client secret, device code, access and refresh tokens, the role's session
/// token) and an access key with an MFA device (the code, GetSessionToken's session). None
/// of it may reach the settings file, the logs, a payload for the UI or an error.
#[tokio::test(flavor = "multi_thread")]
async fn no_sign_in_token_client_secret_session_or_mfa_code_leaks() {
    use sluice_core::identity::{SourceIdentity, SourceUpdate};
    let (logs, _guard) = LogBuffer::capture();

    let moto = Moto::start();
    let iam = sluice_e2e::vendor::admin_clients(&moto.endpoint)
        .await
        .iam();
    let (key_id, secret) = sluice_e2e::vendor::iam_user_with_key(&iam, "scan-person", None).await;
    let standin = sluice_e2e::sso::SsoStandIn::start(&key_id, &secret);
    for (name, value) in standin.env() {
        // Only this test in this binary signs in; the others never read these.
        std::env::set_var(name, value);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice_e2e::core_on(&moto.endpoint, dir.path());
    let mut payloads: Vec<String> = Vec::new();

    let code = s
        .sso_start("https://corp.awsapps.com/quick", "eu-west-1", &|_| false)
        .await
        .expect("start");
    payloads.push(json!(&code));
    payloads.push(json!(&s.sso_wait().await.expect("signed in")));
    payloads.push(json!(&s.sso_accounts().await.expect("accounts")));
    payloads.push(
        s.sso_use("111122223333", "Admin")
            .await
            .expect_err("not this role")
            .to_string(),
    );
    payloads.push(json!(&s
        .sso_use("111122223333", "DataReader")
        .await
        .expect("use"),));
    payloads.push(json!(&s.whoami().await.expect("whoami as the role")));
    payloads.push(json!(&s.source_status().expect("source")));
    payloads.push(json!(&s.sso_status().expect("status")));
    payloads.push(json!(&s.sso_logout().await.expect("logout")));
    payloads.push(s.whoami().await.expect_err("signed out").to_string());

    // An access key with an MFA device: the error before the code, then the session.
    s.set_source(SourceUpdate {
        source: SourceIdentity::AccessKey {
            access_key_id: key_id.clone(),
        },
        region: Some("us-east-1".into()),
        secret_access_key: Some(secret.clone().into()),
        mfa_serial: Some("arn:aws:iam::123456789012:mfa/scan-person".into()),
    })
    .expect("mfa source");
    payloads.push(s.whoami().await.expect_err("needs a code").to_string());
    s.mfa_sign_in("654321", None).await.expect("mfa session");
    payloads.push(json!(&s.whoami().await.expect("whoami with MFA")));
    payloads.push(json!(&s.source_status().expect("source")));

    let settings = std::fs::read_to_string(s.settings().path()).expect("settings");
    let logged = String::from_utf8(logs.0.lock().expect("logs").clone()).expect("utf8");
    for secret in [
        "standin-access-",
        "standin-refresh-",
        "standin-client-secret-",
        "standin-device-",
        "standin-session-",
        // moto's MFA session token, and the code
        "AQoEXAMPLEH4aoAH0g",
        "654321",
        secret.as_str(),
    ] {
        assert!(!settings.contains(secret), "{secret} in the settings file");
        assert!(!logged.contains(secret), "{secret} in the logs");
        for p in &payloads {
            assert!(!p.contains(secret), "{secret} in a payload: {p}");
        }
    }
    assert!(
        payloads
            .iter()
            .any(|p| p.contains("arn:aws:iam::123456789012:user/scan-person")),
        "the role's credentials were used: {payloads:?}"
    );
}
