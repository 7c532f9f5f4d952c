//! The real app window: open a stream, read its MachineMetrics records as columns, filter to
//! one machine, open a record, and export the filtered records as CSV through the native
//! save dialog (answered with xdotool); then publish a DataMiner offload file: dry run, send,
//! see the statistics and read the stream back from the first record sent — against moto.

use std::time::Duration;

use aws_sdk_kinesis::primitives::Blob;
use sluice_e2e::desktop::{focus_window, xdotool, AppSession};
use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::admin_clients;

#[tokio::test(flavor = "multi_thread")]
async fn read_filter_and_export_a_stream_in_the_real_window() {
    let moto = Moto::start();
    let kinesis = admin_clients(&moto.endpoint).await.kinesis();
    kinesis
        .create_stream()
        .stream_name("mm-window")
        .shard_count(2)
        .send()
        .await
        .expect("stream");
    for (i, machine) in ["1013", "1014", "1015", "1013"].iter().enumerate() {
        kinesis
            .put_record()
            .stream_name("mm-window")
            .partition_key(*machine)
            .data(Blob::new(format!(
                "2020-09-21 13:03:3{i}.000,2020-09-21 13:03:35.720,acme,{machine},Sample,ALARM,a1,{i},E7,3,,Door open, cycle {i}"
            )))
            .send()
            .await
            .expect("put");
    }
    kinesis
        .create_stream()
        .stream_name("dm-window")
        .shard_count(1)
        .send()
        .await
        .expect("stream");
    let (_config, env) = sluice_e2e::desktop::app_env(&moto.endpoint);
    let out = tempfile::tempdir().expect("out");
    let offload = out.path().join("DMA35712_Alarm_20191125.csv");
    let alarms: String = (0..30)
        .map(|i| format!("35708,240,145,{},0,259,1,Critical,6,High,2019-11-25T15:10:00,1574694600,10,New alarm,,12,Open,,,16,DataMiner System,19,Acknowledged,1082431,idx,-1,idx,E,P,259,2019-11-25T15:10:00,1574694600\n", 1_082_431 + i))
        .collect();
    std::fs::write(&offload, format!("{alarms}35708,240,145,bad\n")).expect("offload");
    let csv = out.path().join("machine-1013.csv");
    let t = Duration::from_secs(20);

    let app = AppSession::start(&env).await;
    let outcome = async {
        app.click("[data-section=streams]", t).await?;
        app.click("[data-testid=streams-stream]", t).await?;
        app.type_into("[data-testid=streams-stream]", "mm-window")
            .await?;
        app.click("[data-testid=streams-read]", t).await?;
        app.wait_for_text("[data-testid=streams-shown]", t, |s| s.contains("4 of 4"))
            .await?;
        // The column names, from the page itself (WebKit's element text skips this grid).
        let deadline = std::time::Instant::now() + t;
        while !app.page_source().await.contains(">machineRef<") {
            if std::time::Instant::now() > deadline {
                return Err("no machineRef column".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let rows = app
            .count("[data-testid=records-table] [data-kind=machineMetrics]")
            .await;
        if rows != 4 {
            return Err(format!("{rows} MachineMetrics rows in the table, not 4"));
        }
        app.click("[data-testid=streams-filter]", t).await?;
        app.type_into("[data-testid=streams-filter]", "machineRef=1013")
            .await?;
        app.wait_for_text("[data-testid=streams-shown]", t, |s| s.contains("2 of 4"))
            .await?;
        app.click("[data-testid=records-table] button.rec", t)
            .await?;
        app.wait_for_text("[data-testid=record-detail]", t, |s| {
            s.contains("description") && s.contains("Door open, cycle")
        })
        .await?;
        if let Some(shot) = std::env::var_os("SLUICE_SCREENSHOT_STREAMS") {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let _ = std::process::Command::new("import")
                .args(["-window", "root"])
                .arg(shot)
                .status();
        }
        app.click("[data-testid=streams-export-csv]", t).await?;
        focus_window("Export the records", t).await?;
        xdotool(&["key", "ctrl+a"])?;
        xdotool(&["type", "--delay", "5", &csv.to_string_lossy()])?;
        xdotool(&["key", "Return"])?;
        app.wait_for_text("[data-testid=streams-exported]", t, |s| {
            s.contains("2 records")
        })
        .await?;

        // Publish: a dry run names the bad row, the send shows its statistics, and the reader
        // opens the stream at the first record sent.
        app.click("[data-testid=tab-publish]", t).await?;
        app.type_into("[data-testid=publish-paths]", &offload.to_string_lossy())
            .await?;
        app.type_into("[data-testid=publish-stream]", "dm-window")
            .await?;
        app.click("[data-testid=publish-dry-run]", t).await?;
        app.wait_for_text("[data-testid=publish-plan]", t, |s| {
            s.contains("30 records in 1 PutRecords batches") && s.contains("line 31")
        })
        .await?;
        app.click("[data-testid=publish-send]", t).await?;
        app.wait_for_text("[data-testid=publish-sent]", t, |s| s == "30")
            .await?;
        app.wait_for_text("[data-testid=publish-stats]", t, |s| {
            s.contains("1 / 1 done")
        })
        .await?;
        app.click("[data-testid=publish-read-back]", t).await?;
        app.wait_for_text("[data-testid=streams-shown]", t, |s| s.contains("30 of 30"))
            .await?;
        let alarms = app
            .count("[data-testid=records-table] [data-kind=dataMinerAlarm]")
            .await;
        if alarms == 0 {
            return Err("the read-back records are not DataMiner alarms".into());
        }
        Ok::<_, String>(())
    }
    .await;
    app.quit().await;
    outcome.expect("streams in the window");

    let written = std::fs::read_to_string(&csv).expect("the export");
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines.len(), 3, "a header and two records:\n{written}");
    assert!(lines[0].starts_with("shard,sequence,subsequence,partition_key,arrival,kind,eventTime"));
    assert!(lines[1..].iter().all(|l| l.contains(",1013,")), "{written}");
    assert!(written.contains("\"Door open, cycle"), "{written}");
}
