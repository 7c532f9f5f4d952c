//! `make bench` (publish part): 100,000 DataMiner Data rows into one moto server, in one run —
//! - conversion alone (offload CSV row → the seed's JSON record), rows per second on one core;
//! - `sluice stream publish` (release CLI): read, convert, PutRecords batches of 500;
//! - the AWS CLI: `aws kinesis put-records --cli-input-json` over 500-record batch files
//!   already converted (from PyPI), one call after another as a script would.
//!
//! - memory: peak PSS of `sluice stream publish` over 100,000 and over 1,000,000 rows (ten
//!   times the data), each into a stream of its own on kinesalite (moto's PutRecords slows
//!   as a stream fills: a million records would take it over an hour); a run streams a
//!   record at a time, so both should hold the same memory.
//!   `SLUICE_BENCH_PUBLISH_MEMORY_ROWS` sets the larger.
//!
//! Each stream is read back to count what arrived. Prints figures; nothing passes or fails.

use std::process::Command;
use std::time::Instant;

use sluice_core::streams::publish::source::{self, PublishFormat};
use sluice_e2e::kinesalite::{wait_active, Kinesalite};
use sluice_e2e::measure::run_measured;
use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::{admin_clients, two_shard_stream};

fn rows(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "35712,{},{},Bristow Group-Lagos BRC-{i},{}.{:03},2019-11-25T15:10:00,{},0,Realtime trending point,FST_IS1002_N1_IDRCT_EH_EH,Remote QoS Downstream Requested {i}\n",
                1700 + i % 50,
                7000 + i % 13,
                i % 1000,
                i % 997,
                1_574_694_600 + i as u64
            )
        })
        .collect()
}

async fn count(kinesis: &aws_sdk_kinesis::Client, stream: &str) -> usize {
    let shards = kinesis
        .list_shards()
        .stream_name(stream)
        .send()
        .await
        .expect("shards");
    let mut total = 0;
    for s in shards.shards() {
        let mut it = kinesis
            .get_shard_iterator()
            .stream_name(stream)
            .shard_id(s.shard_id())
            .shard_iterator_type(aws_sdk_kinesis::types::ShardIteratorType::TrimHorizon)
            .send()
            .await
            .expect("iterator")
            .shard_iterator()
            .map(str::to_string);
        while let Some(i) = it {
            let out = kinesis
                .get_records()
                .shard_iterator(i)
                .limit(10_000)
                .send()
                .await
                .expect("records");
            total += out.records().len();
            if out.records().is_empty() {
                break;
            }
            it = out.next_shard_iterator().map(str::to_string);
        }
    }
    total
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("SLUICE_BENCH_PUBLISH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let moto = Moto::start();
    let ep = moto.endpoint.clone();
    let memory_only = std::env::var_os("SLUICE_BENCH_PUBLISH_MEMORY_ONLY").is_some();
    let env = sluice_e2e::emulator_env(&ep);
    let kinesis = admin_clients(&ep).await.kinesis();
    for name in ["bench-sluice", "bench-cli"] {
        two_shard_stream(&kinesis, name).await;
    }
    let work = tempfile::tempdir().expect("work");
    let file = work.path().join("DMA35712_Data_bench.csv");
    std::fs::write(&file, rows(n)).expect("offload");
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);

    let sluice = std::path::PathBuf::from(
        std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()),
    )
    .join("release/sluice");
    if !memory_only {
        let start = Instant::now();
        let read = source::read_file(&file, PublishFormat::Dataminer, None, None).expect("convert");
        let convert = start.elapsed().as_secs_f64();
        assert_eq!(read.records.len(), n);
        println!(
            "convert: {n} rows ({:.1} MB of offload CSV) → JSON records in {convert:.2} s = {:.0} rows/s on one core",
            size as f64 / 1e6,
            n as f64 / convert
        );

        let start = Instant::now();
        let ok = Command::new(&sluice)
            .args(["stream", "publish", "bench-sluice"])
            .arg(&file)
            .env("SLUICE_CONFIG_DIR", work.path())
            .envs(env.iter().cloned())
            .stdout(std::process::Stdio::null())
            .status()
            .expect("sluice")
            .success();
        let ours = start.elapsed().as_secs_f64();
        assert!(ok, "sluice stream publish failed");
        let arrived = count(&kinesis, "bench-sluice").await;
        println!(
            "sluice stream publish: {ours:.2} s = {:.0} records/s ({arrived} records in the stream)",
            n as f64 / ours
        );

        // The AWS CLI baseline gets the records already converted, in batch files of 500.
        let batches = work.path().join("batches");
        std::fs::create_dir(&batches).expect("mkdir");
        for (b, chunk) in read.records.chunks(500).enumerate() {
            let records: Vec<serde_json::Value> = chunk
                .iter()
                .map(|r| serde_json::json!({"Data": String::from_utf8_lossy(&r.data), "PartitionKey": r.partition_key}))
                .collect();
            let body = serde_json::json!({"StreamName": "bench-cli", "Records": records});
            std::fs::write(batches.join(format!("{b:04}.json")), body.to_string()).expect("batch");
        }
        let aws = sluice_e2e::repo_root().join(".venv/bin/aws");
        let start = Instant::now();
        let ok = Command::new("bash")
            .args([
                "-ec",
                &format!(
                    "for f in {}/*.json; do {} --endpoint-url {ep} --region us-east-1 kinesis put-records --cli-input-json file://$f > /dev/null; done",
                    batches.display(),
                    aws.display()
                ),
            ])
            .envs(env.iter().cloned())
            .status()
            .expect("aws")
            .success();
        let theirs = start.elapsed().as_secs_f64();
        assert!(ok, "aws kinesis put-records failed");
        let arrived = count(&kinesis, "bench-cli").await;
        println!(
            "aws kinesis put-records × {}: {theirs:.2} s = {:.0} records/s ({arrived} records in the stream) → Sluice {:.1}× faster, conversion included",
            n.div_ceil(500),
            n as f64 / theirs,
            theirs / ours
        );

        drop(read);
    }

    // Memory at two sizes, ten times apart: a folder of files and one large file each.
    let large: usize = std::env::var("SLUICE_BENCH_PUBLISH_MEMORY_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let kinesalite = Kinesalite::start();
    let memory_env = sluice_e2e::emulator_env(&kinesalite.endpoint);
    let memory_kinesis = admin_clients(&kinesalite.endpoint).await.kinesis();
    let mut peaks = Vec::new();
    for rows_n in [large / 10, large] {
        let stream = format!("bench-memory-{rows_n}");
        two_shard_stream(&memory_kinesis, &stream).await;
        wait_active(&memory_kinesis, &stream).await;
        let folder = work.path().join(format!("memory-{rows_n}"));
        std::fs::create_dir(&folder).expect("mkdir");
        // Half in one file, half over ten files.
        std::fs::write(folder.join("DMA35712_Data_big.csv"), rows(rows_n / 2)).expect("big");
        for part in 0..10 {
            std::fs::write(
                folder.join(format!("DMA35712_Data_{part:02}.csv")),
                rows(rows_n / 20),
            )
            .expect("part");
        }
        let bytes: u64 = std::fs::read_dir(&folder)
            .expect("ls")
            .flatten()
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum();
        let mut cmd = Command::new(&sluice);
        cmd.args(["stream", "publish", &stream])
            .arg(&folder)
            .env(
                "SLUICE_CONFIG_DIR",
                work.path().join(format!("config-{rows_n}")),
            )
            .envs(memory_env.iter().cloned())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let (took, peak, cpu, ok) = run_measured(cmd);
        assert!(ok, "sluice stream publish of {rows_n} rows failed");
        let arrived = count(&memory_kinesis, &stream).await;
        println!(
            "memory: sluice stream publish of {rows_n} rows ({:.0} MB in 11 files) into kinesalite: peak PSS {:.1} MB, {:.1} s, {cpu:.1} CPU s ({arrived} records in the stream)",
            bytes as f64 / 1e6,
            peak as f64 / 1024.0,
            took.as_secs_f64()
        );
        peaks.push(peak as f64);
        std::fs::remove_dir_all(&folder).expect("clean");
    }
    if let [small, big] = peaks[..] {
        println!(
            "memory: 10× the rows → peak PSS {:+.1} % ({:.1} → {:.1} MB)",
            100.0 * (big - small) / small.max(1.0),
            small / 1024.0,
            big / 1024.0
        );
    }
}
