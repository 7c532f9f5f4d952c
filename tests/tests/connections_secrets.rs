//! After a full connection session against moto — import, save, verify, session, reload,
//! policy, console link, credential_process — no secret (ExternalId, secret key, the
//! session's own secret and token) appears in the settings file, the logs, or any payload
//! the UI receives.

use std::sync::{Arc, Mutex};

use sluice_core::connections::console::switch_role_link;
use sluice_core::handover;
use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::VendorWorld;

/// Collects everything logged while a closure runs.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

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
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("info,sluice_core=trace")
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

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
