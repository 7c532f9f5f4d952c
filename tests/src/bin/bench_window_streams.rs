//! `make bench` (window part): the real app window under Xvfb reads a stream of 100,000
//! records into the Streams table, then the table is scrolled to the end and timed until its
//! last row is on screen. Run inside `scripts/with-desktop.sh`.
//!
//! Prints one line per measurement. Not a test: nothing here passes or fails on a number.

use std::time::{Duration, Instant};

use sluice_e2e::desktop::AppSession;
use sluice_e2e::moto::Moto;

#[tokio::main]
async fn main() {
    let records: usize = std::env::var("SLUICE_BENCH_TABLE_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let moto = Moto::start();
    let seeding = Instant::now();
    sluice_e2e::vendor::machinemetrics_stream(&moto.endpoint, "table", records).await;
    eprintln!(
        "seeded {records} records in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );
    let (_config, env) = sluice_e2e::desktop::app_env(&moto.endpoint);
    let t = Duration::from_secs(30);
    let app = AppSession::start(&env).await;
    let outcome = async {
        app.click("[data-section=streams]", t).await?;
        app.click("[data-testid=streams-stream]", t).await?;
        app.type_into("[data-testid=streams-stream]", "table").await?;
        app.run_js(&format!(
            "const i = document.querySelector('input[type=number]'); i.value = '{records}'; i.dispatchEvent(new Event('input', {{bubbles: true}})); return true"
        ))
        .await?;
        let read = Instant::now();
        app.click("[data-testid=streams-read]", t).await?;
        let want = format!("{records} of {records}");
        app.wait_for_text("[data-testid=streams-shown]", Duration::from_secs(300), |s| s.contains(&want))
            .await?;
        let read_took = read.elapsed();
        let last = records - 1;
        let scroll = Instant::now();
        app.run_js("const v = document.querySelector('[data-testid=records-table] [data-testid=virtual-list]'); v.scrollTop = v.scrollHeight; return true")
            .await?;
        loop {
            let shown = app
                .run_js(&format!(
                    "return new Promise(r => requestAnimationFrame(() => r(!!document.querySelector('[data-testid=records-table] [data-index=\"{last}\"]'))))"
                ))
                .await?;
            if shown == serde_json::Value::Bool(true) {
                break;
            }
            if scroll.elapsed() > Duration::from_secs(30) {
                return Err("the last row never showed".to_string());
            }
        }
        Ok::<_, String>((read_took, scroll.elapsed()))
    }
    .await;
    app.quit().await;
    match outcome {
        Ok((read, scroll)) => {
            println!(
                "window: read {records} records into the Streams table in {:.1} s (moto, decode, IPC, render)",
                read.as_secs_f64()
            );
            println!(
                "window: scroll the {records}-row table to the end: last row painted after {:.0} ms",
                scroll.as_secs_f64() * 1000.0
            );
        }
        Err(e) => println!("window: streams table not measured: {e}"),
    }
}
