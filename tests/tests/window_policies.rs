//! The real app window: generate a sink-writer policy from the form, see it lint clean,
//! save it through the native save dialog (answered with xdotool), apply it to an IAM user
//! after reviewing the diff, see it as Terraform and save it as CloudFormation, then paste the emnify example into the Lint tab and see its
//! errors — against moto.

use std::time::Duration;

use sluice_e2e::desktop::AppSession;
use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::admin_clients;

const EMNIFY_EXAMPLE: &str =
    include_str!("../../src-tauri/crates/sluice-core/tests/policies/emnify-example.json");

#[tokio::test(flavor = "multi_thread")]
async fn generate_apply_and_lint_policies_in_the_real_window() {
    let moto = Moto::start();
    let iam = admin_clients(&moto.endpoint).await.iam();
    iam.create_user()
        .user_name("strm-writer")
        .send()
        .await
        .expect("user");
    let (_config, env) = sluice_e2e::desktop::app_env(&moto.endpoint);
    let t = Duration::from_secs(20);
    let saved = tempfile::tempdir().expect("folder to save in");
    let saved_path = saved.path().join("strm-policy.json");
    let code_path = saved.path().join("strm-policy.yaml");

    let app = AppSession::start(&env).await;
    let outcome = async {
        app.click("[data-section=policies]", t).await?;
        app.wait_for_text("[data-testid=policy-missing]", t, |s| s.contains("Bucket"))
            .await?;
        app.click("[data-testid=policy-field-bucket]", t).await?;
        app.type_into("[data-testid=policy-field-bucket]", "strm-export")
            .await?;
        app.type_into("[data-testid=policy-field-prefix]", "events")
            .await?;
        app.wait_for_text("[data-testid=policy-json]", t, |s| {
            s.contains("arn:aws:s3:::strm-export/events/*.jsonl")
        })
        .await?;
        app.wait_for_text("[data-testid=lint-summary]", t, |s| {
            s.contains("no findings")
        })
        .await?;

        // The native GTK save dialog opens with the name field focused: type a full path.
        app.click("[data-testid=policy-save-as]", t).await?;
        sluice_e2e::desktop::focus_window("Save the policy", t).await?;
        sluice_e2e::desktop::xdotool(&["key", "ctrl+a"])?;
        sluice_e2e::desktop::xdotool(&["type", "--delay", "5", &saved_path.to_string_lossy()])?;
        sluice_e2e::desktop::xdotool(&["key", "Return"])?;
        let said = app
            .wait_for_text("[data-testid=generated-policy]", t, |s| {
                s.contains("Saved to")
            })
            .await?;
        let wanted = format!("Saved to {}.", saved_path.display());
        if !said.contains(&wanted) {
            return Err(format!("expected '{wanted}' in:\n{said}"));
        }

        app.click("[data-testid=apply-name]", t).await?;
        app.type_into("[data-testid=apply-name]", "strm-writer")
            .await?;
        app.click("[data-testid=apply-review]", t).await?;
        app.wait_for_text("[data-testid=apply-diff]", t, |s| {
            s.contains("+ ") && s.contains("s3:PutObject")
        })
        .await?;
        app.click("[data-testid=apply-confirm]", t).await?;
        app.click("[data-testid=confirm]", t).await?;
        app.wait_for_text("[data-testid=apply-done]", t, |s| {
            s.contains("read back and matches")
        })
        .await?;

        // The same policy as code: Terraform, then CloudFormation saved through the dialog.
        app.click("[data-testid=tab-code]", t).await?;
        app.wait_for_text("[data-testid=code-text]", t, |s| {
            s.contains("resource \"aws_iam_user_policy\" \"sink_writer\"")
                && s.contains("arn:aws:s3:::strm-export/events/*.jsonl")
        })
        .await?;
        app.click("[data-testid=code-format-cloudformation]", t)
            .await?;
        app.wait_for_text("[data-testid=code-text]", t, |s| {
            s.contains("Type: \"AWS::IAM::Policy\"")
        })
        .await?;
        app.click("[data-testid=code-save-as]", t).await?;
        sluice_e2e::desktop::focus_window("Save the code", t).await?;
        sluice_e2e::desktop::xdotool(&["key", "ctrl+a"])?;
        sluice_e2e::desktop::xdotool(&["type", "--delay", "5", &code_path.to_string_lossy()])?;
        sluice_e2e::desktop::xdotool(&["key", "Return"])?;
        app.wait_for_text("[data-testid=code-view]", t, |s| s.contains("Saved to"))
            .await?;
        app.click("[data-testid=tab-json]", t).await?;

        app.click("[data-testid=tab-lint]", t).await?;
        app.click("[data-testid=lint-text]", t).await?;
        app.type_into("[data-testid=lint-text]", EMNIFY_EXAMPLE)
            .await?;
        let findings = app
            .wait_for_text("[data-testid=lint-findings]", t, |s| {
                s.contains("action-resource-mismatch")
            })
            .await?;
        for code in ["json-comments", "principal-invalid"] {
            if !findings.contains(code) {
                return Err(format!("{code} missing from the findings:\n{findings}"));
            }
        }
        if !findings.contains("Statement 1") {
            return Err(format!(
                "findings do not point at the statement:\n{findings}"
            ));
        }
        if std::env::var_os("SLUICE_SCREENSHOT_POLICIES").is_some() {
            app.click("[data-testid=tab-generate]", t).await?;
            tokio::time::sleep(Duration::from_millis(1000)).await;
            let _ = std::process::Command::new("import")
                .args(["-window", "root"])
                .arg(std::env::var_os("SLUICE_SCREENSHOT_POLICIES").unwrap_or_default())
                .status();
        }
        Ok::<_, String>(())
    }
    .await;
    app.quit().await;
    outcome.expect("policy studio in the window");

    let file = std::fs::read_to_string(&saved_path).expect("the dialog saved the policy");
    assert!(
        file.contains("arn:aws:s3:::strm-export/events/*.jsonl"),
        "{file}"
    );

    let code = std::fs::read_to_string(&code_path).expect("the dialog saved the code");
    assert!(
        code.contains("AWS::IAM::Policy") && code.contains("strm-export/events/*.jsonl"),
        "{code}"
    );

    let stored = iam
        .get_user_policy()
        .user_name("strm-writer")
        .policy_name("sluice-sink-writer-strm-export")
        .send()
        .await
        .expect("the window applied the policy");
    assert!(stored.policy_document().contains("PutObject"));
}
