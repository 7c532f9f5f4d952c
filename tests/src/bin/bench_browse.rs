//! `make bench` (browse part): against one moto server, in one run —
//! - the first 100 rows of a large gzipped CSV: Sluice's streaming preview vs the AWS CLI's
//!   `aws s3 cp … - | zcat | head -n 100` (time, and bytes fetched);
//! - listing a prefix of 100,000 keys: the first screen (one page) and the whole listing,
//!   vs `aws s3api list-objects-v2`.
//!
//! Prints one line per measurement. Not a test: nothing here passes or fails on a number.

use std::process::Command;
use std::time::{Duration, Instant};

use sluice_core::s3::listing;
use sluice_core::s3::preview::{preview_object, PreviewLimits};
use sluice_e2e::moto::Moto;
use sluice_e2e::objects::{gzip, mm_csv, put, put_many};
use sluice_e2e::vendor::admin_clients;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn aws(endpoint: &str, script: &str) -> Duration {
    let aws = sluice_e2e::repo_root().join(".venv/bin/aws");
    let start = Instant::now();
    let status = Command::new("bash")
        .args([
            "-o",
            "pipefail",
            "-c",
            &script.replace(
                "aws ",
                &format!("{} --endpoint-url {endpoint} ", aws.display()),
            ),
        ])
        .envs(sluice_e2e::emulator_env(endpoint))
        .status()
        .expect("run aws cli");
    // `head` closing the pipe early makes the writer fail: that is the point of the baseline.
    let _ = status;
    start.elapsed()
}

#[tokio::main]
async fn main() {
    let runs: usize = std::env::var("SLUICE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let keys: usize = std::env::var("SLUICE_BENCH_KEYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let moto = Moto::start();
    let ep = moto.endpoint.clone();
    let s3 = admin_clients(&ep).await.s3();
    s3.create_bucket()
        .bucket("bench")
        .send()
        .await
        .expect("bucket");

    let csv = mm_csv(10, 400_000);
    let gz = gzip(csv.as_bytes());
    println!(
        "object: {} MB of CSV, {} MB gzipped",
        csv.len() >> 20,
        gz.len() >> 20
    );
    let gz_len = gz.len();
    put(&s3, "bench", "big/large.csv.gz", gz).await;

    let mut ours = Vec::new();
    let mut read = 0.0;
    for _ in 0..runs {
        let start = Instant::now();
        let p = preview_object(&s3, "bench", "big/large.csv.gz", PreviewLimits::default())
            .await
            .expect("preview");
        ours.push(start.elapsed());
        read = p.bytes_read;
        assert_eq!(p.table.rows.len(), 100);
    }
    let baseline: Vec<Duration> = (0..runs)
        .map(|_| aws(&ep, "aws s3 cp s3://bench/big/large.csv.gz - 2>/dev/null | zcat 2>/dev/null | head -n 100 > /dev/null"))
        .collect();
    println!(
        "first 100 rows: sluice preview {} reading {} KiB | aws s3 cp | zcat | head {} (object {} KiB)",
        ms(median(ours)),
        read as u64 / 1024,
        ms(median(baseline)),
        gz_len / 1024
    );

    let names: Vec<String> = (0..keys).map(|i| format!("many/{i:06}.jsonl")).collect();
    let start = Instant::now();
    put_many(&s3, "bench", names).await;
    println!(
        "seeded {keys} keys in {:.1} s",
        start.elapsed().as_secs_f64()
    );

    let first: Vec<Duration> = futures_first_pages(&s3, runs).await;
    let mut all = Vec::new();
    for _ in 0..1 {
        let start = Instant::now();
        let n = listing::list_all(&s3, "bench", "many/", |_| {})
            .await
            .expect("list")
            .len();
        all.push(start.elapsed());
        assert_eq!(n, keys);
    }
    let cli_first: Vec<Duration> = (0..runs)
        .map(|_| aws(&ep, "aws s3api list-objects-v2 --bucket bench --prefix many/ --max-items 1000 > /dev/null"))
        .collect();
    let cli_all: Vec<Duration> = (0..1)
        .map(|_| {
            aws(
                &ep,
                "aws s3api list-objects-v2 --bucket bench --prefix many/ > /dev/null",
            )
        })
        .collect();
    println!(
        "list {keys} keys: first screen (1000) sluice {} vs aws s3api {} | all sluice {} vs aws s3api {}",
        ms(median(first)),
        ms(median(cli_first)),
        ms(median(all)),
        ms(median(cli_all))
    );
}

async fn futures_first_pages(s3: &aws_sdk_s3::Client, runs: usize) -> Vec<Duration> {
    let mut out = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let page = listing::list_page(s3, "bench", "many/", Some("/"), None, 1000)
            .await
            .expect("page");
        out.push(start.elapsed());
        assert_eq!(page.objects.len(), 1000);
    }
    out
}
