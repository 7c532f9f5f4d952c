//! The OS keyring on the real Secret Service (gnome-keyring inside a private D-Bus session,
//! started by `make test`): secrets are stored, read back and deleted.

use std::sync::Arc;

use sluice_core::context::AwsOverrides;
use sluice_core::identity::{SourceIdentity, SourceUpdate};
use sluice_core::secrets::{KeyringStore, SecretKey, SecretKind, SecretStore};
use sluice_core::sensitive::SecretString;
use sluice_core::settings::SettingsStore;
use sluice_core::{Sensitive, Sluice};
use sluice_e2e::moto::Moto;

fn require_session_bus() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "no D-Bus session: run the keyring tests through `make test` (it starts dbus + gnome-keyring)"
    );
}

fn unique_service() -> String {
    format!("sluice-test-{}", uuid::Uuid::new_v4())
}

#[test]
fn secret_round_trip_on_the_real_secret_service() {
    require_session_bus();
    let store = KeyringStore::new(unique_service());
    let key = SecretKey::new(SecretKind::ExternalId, "vendor-a").expect("key");
    assert!(store.get(&key).expect("get before").is_none());

    store
        .set(&key, &Sensitive::new("Ext-Id:with/odd=chars@1".to_string()))
        .expect("set");
    let back = store.get(&key).expect("get").expect("present");
    assert_eq!(back.expose(), "Ext-Id:with/odd=chars@1");

    // Overwrite replaces, it does not add a second entry.
    store
        .set(&key, &Sensitive::new("second".to_string()))
        .expect("overwrite");
    assert_eq!(
        store.get(&key).expect("get").expect("present").expose(),
        "second"
    );

    assert!(store.delete(&key).expect("delete"));
    assert!(store.get(&key).expect("get after").is_none());
    assert!(!store.delete(&key).expect("delete again"));
}

#[tokio::test]
async fn access_key_in_the_keyring_answers_whoami_and_is_deleted_on_switch() {
    require_session_bus();
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let service = unique_service();
    let sluice = Sluice::new(
        SettingsStore::at(dir.path().join("settings.json")),
        Arc::new(KeyringStore::new(service.clone())),
        AwsOverrides {
            endpoint_url: Some(moto.endpoint.clone()),
            region: Some("us-east-1".into()),
            profile: None,
            imds: false,
        },
    );
    let secret = "kEyRiNgSeCrEt/0123456789abcdefABCDEF";
    let status = sluice
        .set_source(SourceUpdate {
            source: SourceIdentity::AccessKey {
                access_key_id: "AKIAKEYRINGTEST00001".into(),
            },
            region: None,
            secret_access_key: Some(SecretString::from(secret.to_string())),
            mfa_serial: None,
        })
        .expect("set source");
    assert!(status.secret_configured);

    // A second store on the same service (a new app run) reads the same secret.
    let fresh = KeyringStore::new(service.clone());
    let key = SecretKey::new(SecretKind::SecretAccessKey, "AKIAKEYRINGTEST00001").expect("key");
    assert_eq!(
        fresh.get(&key).expect("get").expect("present").expose(),
        secret
    );

    let id = sluice.whoami().await.expect("whoami with keyring key");
    assert_eq!(id.account, "123456789012");
    let settings = std::fs::read_to_string(sluice.settings().path()).expect("settings");
    assert!(!settings.contains(secret));

    sluice
        .set_source(SourceUpdate {
            source: SourceIdentity::DefaultChain,
            region: None,
            secret_access_key: None,
            mfa_serial: None,
        })
        .expect("switch to default chain");
    assert!(
        fresh.get(&key).expect("get").is_none(),
        "secret left in keyring"
    );
}
