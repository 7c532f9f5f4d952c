//! The real app window: build a report (dataset, hours, a machine), see its plan name the
//! missing hour, run it with progress, see the coverage chart and table, save the definition
//! and run it again in one click — against moto.

use std::time::Duration;

use sluice_e2e::desktop::AppSession;
use sluice_e2e::moto::Moto;
use sluice_e2e::objects::{gzip, mm_hour, mm_key, new_bucket, put};

/// Sets an input's value as a user would and lets Svelte see it.
fn set_value(css: &str, value: &str) -> String {
    sluice_e2e::desktop::set_value_js(css, value, "input")
}

#[tokio::test(flavor = "multi_thread")]
async fn build_a_report_see_its_coverage_save_it_and_run_it_again_in_the_real_window() {
    let moto = Moto::start();
    let s3 = new_bucket(&moto.endpoint, "mm-reports").await;
    for hour in [9, 10, 12] {
        let rows = mm_hour(21, hour, 60, &[1013, 1014]);
        put(
            &s3,
            "mm-reports",
            &mm_key("timeseries/", 21, hour, 1),
            gzip(rows.as_bytes()),
        )
        .await;
    }
    let (_config, env) = sluice_e2e::desktop::app_env(&moto.endpoint);
    let out_dir = tempfile::tempdir().expect("reports");
    let first = out_dir.path().join("line2.csv");
    let t = Duration::from_secs(20);

    let app = AppSession::start(&env).await;
    let outcome = async {
        app.click("[data-section=reports]", t).await?;
        app.wait_for_text("[data-testid=saved-reports], .card", t, |_| true)
            .await?;
        app.click("[data-testid=report-bucket]", t).await?;
        app.type_into("[data-testid=report-bucket]", "mm-reports")
            .await?;
        app.run_js(&set_value("[data-testid=report-from]", "2020-09-21T09:00"))
            .await?;
        app.run_js(&set_value("[data-testid=report-to]", "2020-09-21T13:00"))
            .await?;
        app.type_into("[data-testid=report-machines]", "1014")
            .await?;
        app.click("[data-testid=report-plan]", t).await?;
        let missing = app
            .wait_for_text("[data-testid=report-missing-hours]", t, |s| {
                s.contains("2020-09-21T11")
            })
            .await?;
        let summary = app
            .wait_for_text("[data-testid=report-plan-summary]", t, |s| {
                s.contains("objects")
            })
            .await?;
        if !summary.contains("3 of 4 hours") {
            return Err(format!("plan: {summary} / {missing}"));
        }
        app.clear("[data-testid=report-output]").await?;
        app.type_into("[data-testid=report-output]", &first.display().to_string())
            .await?;
        app.click("[data-testid=report-run]", t).await?;
        let rows = app
            .wait_for_text("[data-testid=report-rows]", t, |s| !s.is_empty())
            .await?;
        if rows != "90" {
            return Err(format!("{rows} rows reported"));
        }
        let canvases = app.count("[data-testid=coverage-chart] canvas").await;
        let gaps = app
            .run_js("return document.querySelector('[data-testid=coverage-chart]').dataset.gaps")
            .await?;
        let table = app
            .wait_for_text("[data-testid=coverage-table]", t, |s| s.contains("1014"))
            .await?;
        if canvases == 0 || gaps != serde_json::json!("1") || !table.contains("90") {
            return Err(format!(
                "coverage: {canvases} canvases, gaps {gaps}, table {table}"
            ));
        }
        if let Some(path) = std::env::var_os("SLUICE_SCREENSHOT_REPORTS") {
            app.run_js(
                "document.querySelector('[data-testid=report-result]').scrollIntoView(); return 1",
            )
            .await?;
            tokio::time::sleep(Duration::from_millis(800)).await;
            let _ = std::process::Command::new("import")
                .args(["-window", "root"])
                .arg(path)
                .status();
        }

        // Save the definition, then run it again in one click: a fresh file beside the first.
        app.type_into("[data-testid=report-save-name]", "Line 2")
            .await?;
        app.click("[data-testid=report-save]", t).await?;
        app.wait_for_text("[data-testid=saved-reports]", t, |s| s.contains("Line 2"))
            .await?;
        app.run_js(
            "document.querySelector('[data-testid=report-path]').textContent = ''; return 1",
        )
        .await?;
        app.click("[data-testid=saved-run]", t).await?;
        let again = app
            .wait_for_text("[data-testid=report-path]", Duration::from_secs(30), |s| {
                s.ends_with(".csv")
            })
            .await?;
        Ok::<_, String>(again)
    }
    .await;
    app.quit().await;
    let again = outcome.expect("reports flow in the window");
    let text = std::fs::read_to_string(&first).expect("first report");
    assert_eq!(text.lines().count(), 91);
    assert!(text.lines().skip(1).all(|l| l.contains(",1014,")));
    assert_ne!(std::path::Path::new(&again), first);
    assert!(
        again.starts_with(&out_dir.path().display().to_string()),
        "{again}"
    );
    assert_eq!(
        std::fs::read_to_string(&again).expect("second report"),
        text
    );
}
