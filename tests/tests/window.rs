//! The real app window under Xvfb, driven by tauri-driver + WebKitWebDriver: click
//! "Verify identity" and read the account number that moto returns; then set a proxy under
//! Preferences and see the next call go through it.

use std::time::Duration;

use sluice_e2e::desktop::AppSession;
use sluice_e2e::moto::Moto;

#[tokio::test]
async fn verify_identity_in_the_real_window() {
    let moto = Moto::start();
    let proxy = sluice_e2e::proxy::ForwardProxy::start().await;
    let (_config, env) = sluice_e2e::desktop::app_env(&moto.endpoint);

    let app = AppSession::start(&env).await;
    let outcome = async {
        // The endpoint override is visible, so nobody mistakes the emulator for AWS.
        app.wait_for_text(
            "[data-testid=endpoint-override]",
            Duration::from_secs(20),
            |t| t.contains(&moto.endpoint),
        )
        .await?;
        app.click("[data-testid=verify-identity]", Duration::from_secs(20))
            .await?;
        let account = app
            .wait_for_text(
                "[data-testid=identity-account]",
                Duration::from_secs(30),
                |t| !t.is_empty(),
            )
            .await?;
        let arn = app
            .wait_for_text("[data-testid=identity-arn]", Duration::from_secs(5), |t| {
                !t.is_empty()
            })
            .await?;
        if let Some(path) = std::env::var_os("SLUICE_SCREENSHOT") {
            // The whole X screen: the real window as a person would see it, once painted.
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let _ = std::process::Command::new("import")
                .args(["-window", "root"])
                .arg(&path)
                .status();
        }

        // Preferences: no proxy yet; one set there carries the next call.
        let t = Duration::from_secs(20);
        app.click("[data-testid=preferences]", t).await?;
        app.wait_for_text("[data-testid=proxy-in-use]", t, |s| {
            s.contains("straight to AWS")
        })
        .await?;
        app.wait_for_text("[data-testid=cli-on-path]", t, |s| s.contains("sluice"))
            .await?;
        app.type_into("[data-testid=proxy-url]", &proxy.url).await?;
        app.click("[data-testid=proxy-save]", t).await?;
        app.wait_for_text("[data-testid=proxy-in-use]", t, |s| s.contains("set here"))
            .await?;
        let before = proxy.seen().len();
        app.click("[data-testid=verify-identity]", t).await?;
        let deadline = std::time::Instant::now() + t;
        while proxy.seen().len() == before && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let through = proxy.seen().len() - before;
        Ok::<_, String>((account, arn, through))
    }
    .await;
    app.quit().await;
    let (account, arn, through) = outcome.expect("window flow");
    assert_eq!(account, "123456789012");
    assert!(arn.starts_with("arn:aws:sts::123456789012:"), "{arn}");
    assert!(
        through >= 1,
        "the call after setting the proxy did not go through it"
    );
}

#[tokio::test]
async fn no_credentials_are_reported_by_kind_in_the_window() {
    let moto = Moto::start();
    let (config, env) = sluice_e2e::desktop::app_env(&moto.endpoint);
    // Settings point at an access key whose secret is not in the (empty) keyring service.
    std::fs::write(
        config.path().join("settings.json"),
        r#"{"region":"us-east-1","source":{"type":"accessKey","accessKeyId":"AKIANOSECRETSTORED01"}}"#,
    )
    .expect("settings");
    let app = AppSession::start(&env).await;
    let outcome = async {
        app.click("[data-testid=verify-identity]", Duration::from_secs(20))
            .await?;
        app.wait_for_text(
            "[role=alert][data-error-kind=NoCredentials]",
            Duration::from_secs(30),
            |t| t.contains("No AWS credentials found: add an access key or choose a profile"),
        )
        .await
    }
    .await;
    app.quit().await;
    outcome.expect("no-credentials message shown");
}
