//! The real app window under Xvfb, driven by tauri-driver + WebKitWebDriver: click
//! "Verify identity" and read the account number that moto returns.

use std::time::Duration;

use sluice_e2e::desktop::AppSession;
use sluice_e2e::moto::Moto;

#[tokio::test]
async fn verify_identity_in_the_real_window() {
    let moto = Moto::start();
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
        Ok::<_, String>((account, arn))
    }
    .await;
    app.quit().await;
    let (account, arn) = outcome.expect("window flow");
    assert_eq!(account, "123456789012");
    assert!(arn.starts_with("arn:aws:sts::123456789012:"), "{arn}");
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
