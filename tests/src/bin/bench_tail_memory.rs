//! `make bench` (tail memory): `sluice stream tail` (release CLI) following a 2-shard moto
//! stream written at 1 MB/s per shard (100 MachineMetrics-shaped CSV records of 10 KB per
//! shard per second, the Kinesis per-shard write limit) for `SLUICE_BENCH_TAIL_SECONDS`
//! (default 600). Its PSS is sampled every second and reported each minute, with the records
//! and bytes it printed, beside the floor: the same command tailing an idle stream for 20 s
//! first (alone, so the two never share pages and split their PSS). The tail promises a
//! bounded buffer (pages of at most 1,000 records, at most 16 in flight, nothing kept after
//! printing): the figure should stay flat however long it runs.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_kinesis::primitives::Blob;
use aws_sdk_kinesis::types::PutRecordsRequestEntry;
use sluice_e2e::kinesalite::wait_active;
use sluice_e2e::measure::pss_kib;
use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::admin_clients;

const RECORD_BYTES: usize = 10_000;
const RECORDS_PER_SHARD_SECOND: usize = 100;
const SHARDS: i32 = 2;

fn record(i: u64) -> Vec<u8> {
    let head = format!(
        "2020-09-21 10:{:02}:{:02}.000,2020-09-21 10:00:02.000,mill-{},{},Sample,LOAD,X1load,{i},,,,",
        (i / 60) % 60,
        i % 60,
        i % 8,
        1000 + i % 8
    );
    let mut data = head.into_bytes();
    data.resize(RECORD_BYTES, b'x');
    data
}

/// Starts `sluice stream tail STREAM --for SECONDS` and counts what it prints.
fn tail(
    sluice: &std::path::Path,
    stream: &str,
    seconds: u64,
    env: &[(String, String)],
    config: &std::path::Path,
) -> (std::process::Child, Arc<AtomicU64>, Arc<AtomicU64>) {
    let errors = std::fs::File::create(config.join(format!("{stream}.stderr"))).expect("stderr");
    let mut child = Command::new(sluice)
        .args(["stream", "tail", stream, "--for", &format!("{seconds}s")])
        .env("SLUICE_CONFIG_DIR", config)
        .envs(env.iter().cloned())
        .stdout(Stdio::piped())
        .stderr(errors)
        .spawn()
        .expect("sluice stream tail");
    let (lines, bytes) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let stdout = child.stdout.take().expect("stdout");
    let (l, b) = (lines.clone(), bytes.clone());
    std::thread::spawn(move || {
        let mut reader = BufReader::with_capacity(1 << 20, stdout);
        let mut line = Vec::new();
        while reader
            .read_until(b'\n', &mut line)
            .map(|n| n > 0)
            .unwrap_or(false)
        {
            l.fetch_add(1, Ordering::Relaxed);
            b.fetch_add(line.len() as u64, Ordering::Relaxed);
            line.clear();
        }
    });
    (child, lines, bytes)
}

#[tokio::main]
async fn main() {
    let seconds: u64 = std::env::var("SLUICE_BENCH_TAIL_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    let moto = Moto::start();
    let env = sluice_e2e::emulator_env(&moto.endpoint);
    let kinesis = admin_clients(&moto.endpoint).await.kinesis();
    for name in ["tail-busy", "tail-idle"] {
        kinesis
            .create_stream()
            .stream_name(name)
            .shard_count(SHARDS)
            .send()
            .await
            .expect("stream");
        wait_active(&kinesis, name).await;
    }
    let shards = kinesis
        .list_shards()
        .stream_name("tail-busy")
        .send()
        .await
        .expect("shards");
    let hash_keys: Vec<String> = shards
        .shards()
        .iter()
        .filter_map(|s| {
            s.hash_key_range()
                .map(|r| r.starting_hash_key().to_string())
        })
        .collect();
    let sluice = std::path::PathBuf::from(
        std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()),
    )
    .join("release/sluice");
    let work = tempfile::tempdir().expect("work");

    // The floor: an idle tail, alone.
    let (mut idle, _, _) = tail(&sluice, "tail-idle", 20, &env, work.path());
    let mut peak_idle = 0u64;
    while idle.try_wait().ok().flatten().is_none() {
        peak_idle = peak_idle.max(pss_kib(idle.id()).unwrap_or(0));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!(
        "  floor: `sluice stream tail` of an idle stream for 20 s: peak PSS {:.1} MB",
        peak_idle as f64 / 1024.0
    );
    let (mut busy, lines, bytes) = tail(&sluice, "tail-busy", seconds, &env, work.path());
    tokio::time::sleep(Duration::from_secs(2)).await;

    // The writer: every second, one PutRecords call of 100 × 10 KB per shard.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let writer = {
        let (kinesis, stop, sent) = (kinesis.clone(), stop.clone(), sent.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                tick.tick().await;
                for key in &hash_keys {
                    let entries: Vec<PutRecordsRequestEntry> = (0..RECORDS_PER_SHARD_SECOND)
                        .map(|_| {
                            i += 1;
                            PutRecordsRequestEntry::builder()
                                .data(Blob::new(record(i)))
                                .partition_key("p")
                                .explicit_hash_key(key)
                                .build()
                                .expect("entry")
                        })
                        .collect();
                    if let Ok(out) = kinesis
                        .put_records()
                        .stream_name("tail-busy")
                        .set_records(Some(entries))
                        .send()
                        .await
                    {
                        let ok = out
                            .records()
                            .iter()
                            .filter(|r| r.error_code().is_none())
                            .count();
                        sent.fetch_add(ok as u64, Ordering::Relaxed);
                    }
                }
            }
        })
    };

    let start = Instant::now();
    let mut peak_busy = 0u64;
    let mut next_report = 60;
    println!("tail memory: 2 shards at 1 MB/s each for {seconds} s (PSS of `sluice stream tail`)");
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let done = busy.try_wait().ok().flatten().is_some();
        let b = pss_kib(busy.id()).unwrap_or(0);
        peak_busy = peak_busy.max(b);
        let at = start.elapsed().as_secs();
        if at >= next_report || done {
            println!(
                "  {at:>4} s: PSS {:.1} MB (peak {:.1}); {} records / {:.0} MB printed, {} put",
                b as f64 / 1024.0,
                peak_busy as f64 / 1024.0,
                lines.load(Ordering::Relaxed),
                bytes.load(Ordering::Relaxed) as f64 / 1e6,
                sent.load(Ordering::Relaxed)
            );
            next_report += 60;
        }
        if done {
            break;
        }
    }
    stop.store(true, Ordering::Relaxed);
    let _ = writer.await;
    let status = busy.wait().expect("tail status");
    if !status.success() {
        let why = std::fs::read_to_string(work.path().join("tail-busy.stderr")).unwrap_or_default();
        println!("  the tail stopped early ({status}): {}", why.trim());
    }
    println!(
        "tail memory: peak PSS {:.1} MB following {:.0} MB in {seconds} s, beside {:.1} MB for an idle tail",
        peak_busy as f64 / 1024.0,
        bytes.load(Ordering::Relaxed) as f64 / 1e6,
        peak_idle as f64 / 1024.0
    );
}
