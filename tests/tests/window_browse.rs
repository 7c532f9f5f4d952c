//! The real app window: open a bucket, step into a date partition, preview a gzipped
//! MachineMetrics file and see its rows, then download the folder (decompressed, named
//! .csv) with progress over the IPC channel — against moto.

use std::time::Duration;

use sluice_e2e::desktop::AppSession;
use sluice_e2e::moto::Moto;
use sluice_e2e::objects::{gzip, mm_csv, put};
use sluice_e2e::vendor::admin_clients;

#[tokio::test(flavor = "multi_thread")]
async fn open_bucket_step_into_partition_preview_and_download_in_the_real_window() {
    let moto = Moto::start();
    let s3 = admin_clients(&moto.endpoint).await.s3();
    s3.create_bucket()
        .bucket("mm-window")
        .send()
        .await
        .expect("bucket");
    let key = "timeseries/year=2020/month=09/day=21/hour=10/company-2020-09-21-10-40-01-uuid.gz";
    put(&s3, "mm-window", key, gzip(mm_csv(10, 300).as_bytes())).await;
    put(
        &s3,
        "mm-window",
        "timeseries/year=2020/month=09/day=21/hour=11/company-2020-09-21-11-40-01-uuid.gz",
        gzip(mm_csv(11, 10).as_bytes()),
    )
    .await;

    let (_config, env) = sluice_e2e::desktop::app_env(&moto.endpoint);
    let downloads = tempfile::tempdir().expect("downloads");
    let dest = downloads.path().join("mm");
    let t = Duration::from_secs(20);

    let app = AppSession::start(&env).await;
    let outcome = async {
        app.click("[data-section=browse]", t).await?;
        app.click("[data-testid=browse-bucket]", t).await?;
        app.type_into("[data-testid=browse-bucket]", "mm-window")
            .await?;
        app.click("[data-testid=browse-open]", t).await?;
        for prefix in [
            "timeseries/",
            "timeseries/year=2020/",
            "timeseries/year=2020/month=09/",
            "timeseries/year=2020/month=09/day=21/",
            "timeseries/year=2020/month=09/day=21/hour=10/",
        ] {
            app.click(&format!("button[data-prefix='{prefix}']"), t)
                .await?;
            app.wait_for_text(&format!("button[data-crumb='{prefix}']"), t, |_| true)
                .await?;
        }
        app.click(&format!("button[data-key='{key}']"), t).await?;
        let summary = app
            .wait_for_text("[data-testid=preview-summary]", t, |s| s.contains("rows"))
            .await?;
        if !summary.contains("MachineMetrics columns") || !summary.contains("100 rows") {
            return Err(format!("unexpected preview summary: {summary}"));
        }
        let rows = app.count("[data-testid=preview-table] tbody tr").await;
        if rows != 100 {
            return Err(format!("{rows} rows in the preview table"));
        }
        let page = app.page_source().await;
        let header: Vec<String> = ["eventTime", "machineRef", "value"]
            .iter()
            .filter(|c| page.contains(&format!(">{c}</th>")))
            .map(|c| c.to_string())
            .collect();
        if let Some(path) = std::env::var_os("SLUICE_SCREENSHOT_BROWSE") {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let _ = std::process::Command::new("import")
                .args(["-window", "root"])
                .arg(path)
                .status();
        }
        // Download the folder: decompressed and named .csv, inside the chosen folder.
        app.click("button.download-folder", t).await?;
        let dest_input = "[data-testid=download-dest]";
        app.wait_for_text("[data-testid=download-dialog]", t, |_| true)
            .await?;
        app.clear(dest_input).await?;
        app.type_into(dest_input, &dest.display().to_string())
            .await?;
        app.click("[data-testid=download-check]", t).await?;
        app.click("[data-testid=download-start]", t).await?;
        let summary = app
            .wait_for_text(
                "[data-testid=download-summary]",
                Duration::from_secs(30),
                |s| s.contains("written"),
            )
            .await?;
        if !summary.starts_with("1 written, 0 skipped, 0 failed") {
            return Err(format!("download summary: {summary}"));
        }
        Ok::<_, String>(header)
    }
    .await;
    app.quit().await;
    let header = outcome.expect("browse flow in the window");
    assert_eq!(
        header,
        ["eventTime", "machineRef", "value"],
        "MachineMetrics column headers"
    );
    let csv = dest.join("company-2020-09-21-10-40-01-uuid.csv");
    assert_eq!(
        std::fs::read_to_string(&csv).expect("downloaded csv"),
        mm_csv(10, 300)
    );
}
