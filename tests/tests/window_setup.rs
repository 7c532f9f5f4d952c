//! The real app window: set up a destination through the wizard — form, plan, apply with
//! progress, the result page with the writer's key validated (write allowed, listing denied)
//! — then audit a weak bucket and see its scorecard. Against moto with IAM enforcement on,
//! the app acting as an admin user.

use std::time::Duration;

use sluice_e2e::desktop::AppSession;
use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::{admin_clients, key_clients};

#[tokio::test(flavor = "multi_thread")]
async fn set_up_a_destination_and_audit_a_bucket_in_the_real_window() {
    let moto = Moto::start();
    let boot = admin_clients(&moto.endpoint).await;
    let iam = boot.iam();
    iam.create_user()
        .user_name("admin")
        .send()
        .await
        .expect("user");
    iam.put_user_policy()
        .user_name("admin")
        .policy_name("all")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .send()
        .await
        .expect("policy");
    let key = iam
        .create_access_key()
        .user_name("admin")
        .send()
        .await
        .expect("key");
    let key = key.access_key().expect("key");
    let (id, secret) = (
        key.access_key_id().to_string(),
        key.secret_access_key().to_string(),
    );
    boot.s3()
        .create_bucket()
        .bucket("weak-bucket")
        .acl(aws_sdk_s3::types::BucketCannedAcl::PublicRead)
        .send()
        .await
        .expect("weak bucket");
    moto.enforce_iam();
    let (_config, mut env) = sluice_e2e::desktop::app_env(&moto.endpoint);
    for (k, v) in env.iter_mut() {
        match k.as_str() {
            "AWS_ACCESS_KEY_ID" => v.clone_from(&id),
            "AWS_SECRET_ACCESS_KEY" => v.clone_from(&secret),
            _ => {}
        }
    }
    let t = Duration::from_secs(20);

    let app = AppSession::start(&env).await;
    let outcome = async {
        app.click("[data-section=setup]", t).await?;
        app.click("[data-testid=setup-bucket]", t).await?;
        app.type_into("[data-testid=setup-bucket]", "strm-export")
            .await?;
        app.type_into("[data-testid=setup-prefix]", "events")
            .await?;
        app.type_into("[data-testid=setup-user]", "strm-export-demo")
            .await?;
        // moto cannot tell HTTPS from HTTP, so a TLS-only bucket policy would refuse the
        // validation write: leave the bucket policy alone here.
        app.click("[data-testid=setup-tls]", t).await?;
        app.click("[data-testid=setup-review]", t).await?;
        app.wait_for_text("[data-testid=setup-plan]", t, |s| {
            s.contains("Create bucket strm-export") && s.contains("iam:CreateAccessKey")
        })
        .await?;
        app.click("[data-testid=setup-apply]", t).await?;
        app.click("[data-testid=confirm]", t).await?;
        let result = app
            .wait_for_text(
                "[data-testid=setup-validation]",
                Duration::from_secs(60),
                |s| s.contains("Listing denied"),
            )
            .await?;
        if app
            .count("[data-testid=setup-validation][data-passed=true]")
            .await
            != 1
        {
            return Err(format!("validation did not pass:\n{result}"));
        }
        let key_id = app
            .wait_for_text("[data-testid=setup-key-id]", t, |s| s.starts_with("AKIA"))
            .await?;
        if let Some(shot) = std::env::var_os("SLUICE_SCREENSHOT_SETUP") {
            tokio::time::sleep(Duration::from_millis(800)).await;
            let _ = std::process::Command::new("import")
                .args(["-window", "root"])
                .arg(shot)
                .status();
        }

        // The same destination as Terraform, adopting what the wizard just created.
        app.click("[data-testid=tab-code]", t).await?;
        app.wait_for_text("[data-testid=code-text]", t, |s| {
            s.contains("resource \"aws_s3_bucket_public_access_block\" \"destination\"")
        })
        .await?;
        app.click("[data-testid=code-import]", t).await?;
        let code = app
            .wait_for_text("[data-testid=code-text]", t, |s| s.contains("import {"))
            .await?;
        if !code.contains(&format!("id = \"{key_id}\"")) {
            return Err(format!(
                "the import does not name the new key {key_id}:\n{code}"
            ));
        }
        if let Some(shot) = std::env::var_os("SLUICE_SCREENSHOT_CODE") {
            tokio::time::sleep(Duration::from_millis(800)).await;
            let _ = std::process::Command::new("import")
                .args(["-window", "root"])
                .arg(shot)
                .status();
        }

        app.click("[data-testid=tab-audit]", t).await?;
        app.click("[data-testid=audit-bucket]", t).await?;
        app.type_into("[data-testid=audit-bucket]", "weak-bucket")
            .await?;
        app.click("[data-testid=audit-run]", t).await?;
        let card = app
            .wait_for_text("[data-testid=audit-scorecard]", t, |s| {
                s.contains("Bucket Block Public Access")
            })
            .await?;
        if app
            .count("[data-testid=audit-scorecard] [data-check=acls][data-status=fail]")
            .await
            != 1
        {
            return Err(format!("the public ACL was not failed:\n{card}"));
        }
        Ok::<_, String>(key_id)
    }
    .await;
    app.quit().await;
    let key_id = outcome.expect("setup and audit in the window");

    let root = key_clients(&moto.endpoint, &id, &secret).await;
    let keys = root
        .iam()
        .list_access_keys()
        .user_name("strm-export-demo")
        .send()
        .await
        .expect("keys");
    let ids: Vec<_> = keys
        .access_key_metadata()
        .iter()
        .filter_map(|k| k.access_key_id())
        .collect();
    assert_eq!(ids, vec![key_id.as_str()]);
}
