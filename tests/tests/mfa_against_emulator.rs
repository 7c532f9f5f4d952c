//! The MFA code goes to what asked for it, against moto's STS: the source identity's key and
//! a connection's vendor role each ask for their own code, the error names which (the app's
//! dialog sends it back with the code), and one code never serves the other. A role refused
//! for another reason after its code was taken is reported as that refusal.

use sluice_core::connections::verify::CheckStatus;
use sluice_core::connections::ConnectionDraft;
use sluice_core::identity::{SourceIdentity, SourceUpdate};
use sluice_core::sensitive::SecretString;
use sluice_core::{CoreError, ErrorCode, Sluice};
use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::{admin_clients, iam_user_with_key};

const SERIAL: &str = "arn:aws:iam::123456789012:mfa/dialog-person";
const VENDOR_ROLE: &str = "arn:aws:iam::210987654321:role/vendor-read";

/// Who an MFA error asks the code for (`None`: the source identity).
fn asks_for(err: CoreError) -> Option<String> {
    match err {
        CoreError::Mfa { connection, .. } => connection,
        other => panic!("expected an MFA request, got {other}"),
    }
}

/// A connection to the vendor role (whose trust requires MFA) acting as `source`.
fn vendor_connection(s: &Sluice, name: &str, source: SourceIdentity, secret: Option<&str>) {
    s.save_connection(ConnectionDraft {
        name: name.into(),
        source,
        secret_access_key: secret.map(|k| SecretString::from(k.to_string())),
        role_arn: Some(VENDOR_ROLE.into()),
        mfa_serial: Some(SERIAL.into()),
        ..Default::default()
    })
    .expect("save connection");
}

fn calls(moto: &Moto, action: &str) -> Vec<String> {
    moto.recorded()
        .into_iter()
        .filter(|(a, _, _)| a == action)
        .map(|(_, body, _)| body)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_code_goes_to_the_session_that_asked_for_it() {
    let moto = Moto::recording();
    let iam = admin_clients(&moto.endpoint).await.iam();
    let (mfa_key, mfa_secret) = iam_user_with_key(&iam, "dialog-person", None).await;
    let (plain_key, plain_secret) = iam_user_with_key(&iam, "plain-person", None).await;
    let dir = tempfile::tempdir().expect("dir");
    let s = sluice_e2e::core_on(&moto.endpoint, dir.path());
    s.set_source(SourceUpdate {
        source: SourceIdentity::AccessKey {
            access_key_id: mfa_key.clone(),
        },
        region: Some("us-east-1".into()),
        secret_access_key: Some(SecretString::from(mfa_secret)),
        mfa_serial: Some(SERIAL.into()),
    })
    .expect("source with a device");
    // `vendor` acts as a key without a device; `own` as the source's key, which has one.
    vendor_connection(
        &s,
        "vendor",
        SourceIdentity::AccessKey {
            access_key_id: plain_key,
        },
        Some(&plain_secret),
    );
    s.save_connection(ConnectionDraft {
        name: "own".into(),
        source: SourceIdentity::AccessKey {
            access_key_id: mfa_key.clone(),
        },
        ..Default::default()
    })
    .expect("own connection");
    moto.start_recording();

    // Each asks for its own code, and says which it is.
    assert_eq!(asks_for(s.whoami().await.expect_err("source")), None);
    let vendor = s.verify_connection("vendor").await.expect_err("vendor");
    assert_eq!(asks_for(vendor), Some("vendor".into()));
    // A call made through the connection (the SDK asking the role session) asks the same.
    let listed = s
        .browse_list(Some("vendor"), "any-bucket", "", None)
        .await
        .expect_err("listing");
    assert_eq!(asks_for(listed), Some("vendor".into()));
    let own = s.verify_connection("own").await.expect_err("own");
    assert_eq!(asks_for(own), Some("own".into()));

    // The vendor's code makes the vendor's role session only.
    s.mfa_sign_in("111111", Some("vendor"))
        .await
        .expect("vendor code");
    let assumed = calls(&moto, "AssumeRole");
    assert_eq!(assumed.len(), 1, "{assumed:?}");
    assert!(assumed[0].contains("TokenCode=111111"), "{}", assumed[0]);
    assert!(calls(&moto, "GetSessionToken").is_empty());
    assert_eq!(
        asks_for(s.whoami().await.expect_err("still the source's")),
        None
    );

    // The code for `own` is its source key's session: the source identity shares it.
    s.mfa_sign_in("222222", Some("own"))
        .await
        .expect("own code");
    let sessions = calls(&moto, "GetSessionToken");
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert!(sessions[0].contains("TokenCode=222222"), "{}", sessions[0]);
    s.whoami()
        .await
        .expect("the source with its session, no second code");
    assert!(s.verify_connection("own").await.expect("own").passed);

    let report = s.verify_connection("vendor").await.expect("vendor");
    let role_check = report
        .checks
        .iter()
        .find(|c| c.id == "assume-role")
        .expect("assume-role check");
    assert_eq!(role_check.status, CheckStatus::Passed, "{role_check:?}");
    // No second code anywhere: one AssumeRole with a code, one GetSessionToken.
    let with_code = calls(&moto, "AssumeRole")
        .into_iter()
        .filter(|b| b.contains("TokenCode="))
        .count();
    assert_eq!(with_code, 1);
    assert_eq!(calls(&moto, "GetSessionToken").len(), 1);

    // A code for a connection that does not exist is refused, not sent elsewhere.
    let err = s
        .mfa_sign_in("333333", Some("missing"))
        .await
        .expect_err("no such connection");
    assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_refused_after_its_code_is_reported_as_refused() {
    let moto = Moto::start();
    let iam = admin_clients(&moto.endpoint).await.iam();
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}]}"#;
    let (key, secret) = iam_user_with_key(&iam, "no-assume", Some(policy)).await;
    // From here moto checks the caller's IAM policies: this user may not call sts:AssumeRole.
    moto.enforce_iam();
    let dir = tempfile::tempdir().expect("dir");
    let s = sluice_e2e::core_as(&moto.endpoint, dir.path(), &key, &secret);
    vendor_connection(
        &s,
        "vendor",
        SourceIdentity::AccessKey {
            access_key_id: key.clone(),
        },
        Some(&secret),
    );

    // The code is taken by AssumeRole, which AWS refuses for want of sts:AssumeRole: the
    // role's check says so (not "requires MFA" again).
    s.give_mfa_code("444444").expect("code");
    let report = s.verify_connection("vendor").await.expect("a report");
    let by_id = |id: &str| {
        report
            .checks
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("{id} check"))
    };
    assert_eq!(by_id("whoami").status, CheckStatus::Passed);
    let role = by_id("assume-role");
    assert_eq!(role.status, CheckStatus::Failed, "{role:?}");
    assert_eq!(role.error_kind, Some(ErrorCode::AccessDenied), "{role:?}");
    assert!(role.detail.contains("sts:AssumeRole"), "{role:?}");
    assert!(!report.passed);
}
