//! Signing in to IAM Identity Center in the real window: the device code shown large, the
//! stand-in approving it, an account and role picked, whoami answering as that role (an IAM
//! user's keys in moto), no token in the page, then Sign out and "Sign in again"; then an
//! access key with an MFA device, whose check asks for the code in place and passes once it
//! is given. One app launch walks it all, with the real keyring and the real SDK clients.

use std::time::Duration;

use sluice_e2e::desktop::{set_value_js as set_value, AppSession};
use sluice_e2e::moto::Moto;
use sluice_e2e::sso::SsoStandIn;

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_pick_a_role_verify_and_sign_out_in_the_real_window() {
    let moto = Moto::start();
    let iam = sluice_e2e::vendor::admin_clients(&moto.endpoint)
        .await
        .iam();
    let (key_id, secret) = sluice_e2e::vendor::iam_user_with_key(&iam, "sso-person", None).await;
    let standin = SsoStandIn::start(&key_id, &secret);
    let (_config, mut env) = sluice_e2e::desktop::app_env(&moto.endpoint);
    env.extend(standin.env());
    // Whatever "open in the browser" runs on this display, it must not start a browser.
    env.push(("BROWSER".into(), "true".into()));
    // A home of its own, where sharing the sign-in writes the AWS CLI's token cache.
    let home = tempfile::tempdir().expect("home");
    env.push(("HOME".into(), home.path().display().to_string()));
    let shared = home
        .path()
        .join(".aws/sso/cache/a51746d4aa793ae07b25e90c3a5db96fc7832bd7.json");

    let app = AppSession::start(&env).await;
    let wait = Duration::from_secs(30);
    let outcome = async {
        app.wait_for_text("[data-testid=source-kind]", wait, |_| true)
            .await?;
        app.run_js(&set_value("[data-testid=source-kind]", "sso", "change"))
            .await?;
        app.wait_for_text("[data-testid=sso-start-url]", wait, |_| true)
            .await?;
        app.run_js(&set_value(
            "[data-testid=sso-start-url]",
            "https://corp.awsapps.com/start",
            "input",
        ))
        .await?;
        app.run_js(&set_value("[data-testid=sso-region]", "eu-west-1", "input"))
            .await?;
        app.click("[data-testid=sso-sign-in]", wait).await?;

        // The code, large, while the stand-in answers pending, then slow_down, then approves.
        let code = app
            .wait_for_text("[data-testid=sso-code]", wait, |t| t.starts_with("ABCD-"))
            .await?;
        app.wait_for_text("[data-testid=sso-signed-in]", wait, |t| {
            t.contains("https://corp.awsapps.com/start")
        })
        .await?;

        // The picker: search, then use the role.
        app.run_js(&set_value(
            "[data-testid=sso-search]",
            "datareader",
            "input",
        ))
        .await?;
        app.wait_for_text("[data-testid=sso-roles]", wait, |t| {
            t.contains("Telemetry") && !t.contains("Sandbox")
        })
        .await?;
        app.click("[data-testid=sso-use]", wait).await?;
        app.wait_for_text("[data-testid=sso-roles]", wait, |t| t.contains("In use"))
            .await?;
        // Shared with the AWS CLI on request: the token file appears.
        app.click("[data-testid=sso-share]", wait).await?;
        let started = std::time::Instant::now();
        while !shared.exists() && started.elapsed() < wait {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let shared_token =
            std::fs::read_to_string(&shared).map_err(|e| format!("shared token: {e}"))?;
        app.click("[data-testid=verify-identity]", wait).await?;
        let arn = app
            .wait_for_text("[data-testid=identity-arn]", wait, |t| !t.is_empty())
            .await?;
        let page = app.page_source().await;

        // Sign out, then the identity check says to sign in again and offers the button.
        app.click("[data-testid=sso-sign-out]", wait).await?;
        app.wait_for_text("[data-testid=sso-start-url]", wait, |_| true)
            .await?;
        let unshared = !shared.exists();
        app.click("[data-testid=verify-identity]", wait).await?;
        let refused = app
            .wait_for_text("[role=alert][data-error-kind=SignIn]", wait, |t| {
                !t.is_empty()
            })
            .await?;
        app.wait_for_text("[data-testid=sign-in-again]", wait, |_| true)
            .await?;

        // An access key with an MFA device: the check asks for the code where it failed.
        app.run_js(&set_value(
            "[data-testid=source-kind]",
            "accessKey",
            "change",
        ))
        .await?;
        app.wait_for_text("[data-testid=mfa-serial]", wait, |_| true)
            .await?;
        app.run_js(&set_value("[data-testid=access-key-id]", &key_id, "input"))
            .await?;
        app.run_js(&set_value("[data-testid=secret-key]", &secret, "input"))
            .await?;
        app.run_js(&set_value(
            "[data-testid=mfa-serial]",
            "arn:aws:iam::123456789012:mfa/sso-person",
            "input",
        ))
        .await?;
        app.click("[data-testid=source-save]", wait).await?;
        app.wait_for_text("[data-testid=source-saved]", wait, |t| t.contains("Saved"))
            .await?;
        app.click("[data-testid=verify-identity]", wait).await?;
        let asked = app
            .wait_for_text("[role=alert][data-error-kind=MfaRequired]", wait, |t| {
                !t.is_empty()
            })
            .await?;
        app.run_js(&set_value("[data-testid=mfa-code]", "123456", "input"))
            .await?;
        app.click("[data-testid=mfa-submit]", wait).await?;
        app.wait_for_text("[data-testid=mfa-answer]", wait, |t| {
            t.contains("Code accepted")
        })
        .await?;
        app.click("[data-testid=verify-identity]", wait).await?;
        app.wait_for_text("[data-testid=identity-account]", wait, |t| {
            t == "123456789012"
        })
        .await?;
        Ok::<_, String>((code, arn, page, refused, asked, shared_token, unshared))
    }
    .await;
    app.quit().await;
    let (code, arn, page, refused, asked, shared_token, unshared) =
        outcome.expect("sign-in flow in the window");
    assert!(
        shared_token.contains("\"accessToken\":\"standin-access-"),
        "{shared_token}"
    );
    assert!(!shared_token.contains("standin-refresh-"), "{shared_token}");
    assert!(unshared, "signing out deletes the shared token");
    assert!(code.starts_with("ABCD-"), "{code}");
    assert_eq!(arn, "arn:aws:iam::123456789012:user/sso-person");
    for secret in [
        "standin-access-",
        "standin-refresh-",
        "standin-client-secret-",
    ] {
        assert!(!page.contains(secret), "{secret} reached the webview");
    }
    assert!(refused.contains("sign in first"), "{refused}");
    assert!(
        asked.contains("arn:aws:iam::123456789012:mfa/sso-person"),
        "{asked}"
    );
    let stats = standin.stats();
    assert_eq!(stats["logout"], 1, "{stats}");
    assert!(stats["credentials"].as_u64() >= Some(2), "{stats}");
}
