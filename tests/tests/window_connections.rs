//! The real app window: paste a vendor handover, save, see the policy, verify, and watch
//! the checklist turn green — against moto, with the ExternalId kept out of the page.

use std::time::Duration;

use sluice_e2e::desktop::AppSession;
use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::VendorWorld;

#[tokio::test(flavor = "multi_thread")]
async fn paste_handover_save_verify_in_the_real_window() {
    let moto = Moto::start();
    let world = VendorWorld::create(&moto.endpoint, "win").await;
    let (config, env) = sluice_e2e::desktop::app_env(&moto.endpoint);
    let t = Duration::from_secs(20);

    let app = AppSession::start(&env).await;
    let outcome = async {
        app.wait_for_text("[data-testid=connections-empty]", t, |s| {
            s.contains("No connections yet")
        })
        .await?;
        app.click("[data-testid=new-connection-button]", t).await?;
        app.click("[data-testid=handover-text]", t).await?;
        app.type_into("[data-testid=handover-text]", &world.handover(true))
            .await?;
        let typed = app.value_of("[data-testid=handover-text]").await?;
        if typed.lines().count() < 5 {
            return Err(format!("the pasted handover lost its lines: {typed:?}"));
        }
        app.click("[data-testid=read-handover]", t).await?;
        app.wait_for_text("[data-testid=external-id-from-handover]", t, |s| {
            s.contains("Found in the handover")
        })
        .await?;
        let role = app.value_of("[data-testid=field-role-arn]").await?;
        if role != world.role_arn {
            return Err(format!("role ARN not prefilled: {role}"));
        }
        app.click("[data-testid=save-connection]", t).await?;
        app.wait_for_text("[data-testid=policy-document]", t, |s| {
            s.contains(&world.role_arn)
        })
        .await?;
        app.click("[data-testid=go-verify]", t).await?;
        app.wait_for_text(
            "[data-testid=checklist][data-passed=true]",
            Duration::from_secs(40),
            |s| s.contains("Who am I"),
        )
        .await?;
        let passed = app
            .count("[data-testid=checklist] [data-status=passed]")
            .await;
        if passed != 7 {
            let list = app
                .wait_for_text("[data-testid=checklist]", t, |_| true)
                .await?;
            return Err(format!("{passed} of 7 checks passed:\n{list}"));
        }
        if std::env::var_os("SLUICE_SCREENSHOT_CONNECTIONS").is_some() {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let _ = std::process::Command::new("import")
                .args(["-window", "root"])
                .arg(std::env::var_os("SLUICE_SCREENSHOT_CONNECTIONS").unwrap_or_default())
                .status();
        }
        let page = app.page_source().await;
        if page.contains(&world.external_id) {
            return Err("the ExternalId reached the page".into());
        }
        Ok::<_, String>(())
    }
    .await;
    app.quit().await;
    outcome.expect("connection flow in the window");

    // What the window saved is on disk without secrets.
    let settings = std::fs::read_to_string(config.path().join("settings.json")).expect("settings");
    assert!(settings.contains(&world.role_arn));
    assert!(!settings.contains(&world.external_id));
}
