//! `make bench` (reports part): one moto server, ≥ 500 MB of MachineMetrics-shaped gzipped
//! CSV in hourly partitions (hundreds of objects), and three ways to get one CSV out of it:
//! - Sluice: `sluice report … -o FILE` (release CLI), at half and at the full range, with
//!   its peak memory (PSS, sampled) to show it stays flat as the range grows;
//! - the AWS CLI pipeline: `aws s3 cp --recursive` into a folder, then `zcat` of every file
//!   in partition order into one file;
//! - plain `zcat` of the same files already on disk (the one-core limit).
//!
//! Every timing ends when the output file is on disk (fsync). The bodies are compared, so
//! a fast wrong answer cannot pass for a fast one. Prints figures; nothing passes or fails.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use aws_sdk_s3::primitives::ByteStream;
use sluice_e2e::measure::run_measured;
use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::admin_clients;

const BUCKET: &str = "bench-reports";
const HEADER_LEN: usize = "eventTime,processTime,companyId,machineRef,type,subtype,key,value,nativeCode,nativeSeverity,qualifier,description\n".len();

/// A small deterministic generator (xorshift), so every run sees the same data.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// One delivery file of about `gz_target` gzipped bytes: MachineMetrics rows, no header.
fn delivery(seed: u64, gz_target: usize) -> (Vec<u8>, usize) {
    const KEYS: [(&str, &str, &str); 6] = [
        ("Sample", "LOAD", "X1load"),
        ("Sample", "ROTARY_VELOCITY", "S1speed"),
        ("Sample", "TEMPERATURE", "Tspindle"),
        ("Event", "EXECUTION", "execution"),
        ("Sample", "PATH_FEEDRATE", "Fact"),
        ("Event", "PART_COUNT", "partcount"),
    ];
    let mut rng = Rng(seed | 1);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut plain = 0usize;
    let mut ms = 0u64;
    while gz.get_ref().len() < gz_target {
        let mut batch = String::with_capacity(64 * 1024);
        for _ in 0..500 {
            ms += rng.next() % 40;
            let (t, st, k) = KEYS[(rng.next() % 6) as usize];
            let value = match t {
                "Event" if k == "execution" => {
                    ["ACTIVE", "READY", "STOPPED"][(rng.next() % 3) as usize].to_string()
                }
                "Event" => (rng.next() % 5000).to_string(),
                _ => format!("{}.{:02}", rng.next() % 1000, rng.next() % 100),
            };
            let (m, s, milli) = ((ms / 60_000) % 60, (ms / 1000) % 60, ms % 1000);
            batch.push_str(&format!(
                "2020-09-21 10:{m:02}:{s:02}.{milli:03},2020-09-21 10:{m:02}:{:02}.{:03},37326c68-f123-46fb-34fa-0d468f673100,{},{t},{st},{k},{value},,,,\n",
                (s + 4) % 60,
                (milli + 313) % 1000,
                1000 + rng.next() % 40
            ));
        }
        plain += batch.len();
        gz.write_all(batch.as_bytes()).expect("gzip");
    }
    (gz.finish().expect("gzip"), plain)
}

fn shell(script: &str, env: &[(String, String)]) -> Duration {
    let start = Instant::now();
    let ok = Command::new("bash")
        .args(["-o", "pipefail", "-ec", script])
        .envs(env.iter().cloned())
        .status()
        .expect("bash")
        .success();
    assert!(ok, "failed: {script}");
    start.elapsed()
}

/// Whether `a` from `skip` on holds exactly the bytes of `b` (read in chunks).
fn same_bytes(a: &Path, skip: u64, b: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let (Ok(mut a), Ok(mut b)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    if a.seek(SeekFrom::Start(skip)).is_err() {
        return false;
    }
    let (mut x, mut y) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    loop {
        let n = a.read(&mut x).unwrap_or(0);
        let mut got = 0;
        while got < n {
            match b.read(&mut y[got..n]) {
                Ok(0) | Err(_) => return false,
                Ok(k) => got += k,
            }
        }
        if x[..n] != y[..n] {
            return false;
        }
        if n == 0 {
            return b.read(&mut y).map(|k| k == 0).unwrap_or(false);
        }
    }
}

/// Starts a measurement from a quiet disk: earlier outputs gone, dirty pages written back.
fn settle(paths: &[&Path]) {
    for p in paths {
        let _ = std::fs::remove_file(p);
    }
    let _ = Command::new("sync").status();
    std::thread::sleep(Duration::from_millis(500));
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

#[tokio::main]
async fn main() {
    let total_mb: usize = std::env::var("SLUICE_BENCH_REPORT_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512);
    let objects: usize = std::env::var("SLUICE_BENCH_REPORT_OBJECTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(320);
    let per_hour = 12; // one file every five minutes, as MachineMetrics delivers
    let moto = Moto::start();
    let ep = moto.endpoint.clone();
    let env = sluice_e2e::emulator_env(&ep);
    let s3 = admin_clients(&ep).await.s3();
    s3.create_bucket()
        .bucket(BUCKET)
        .send()
        .await
        .expect("bucket");

    // 16 distinct delivery files, each put under many keys: generating 500 MB of gzip once
    // per key would take longer than everything measured.
    let gz_each = total_mb * 1_000_000 / objects;
    let started = Instant::now();
    let templates: Vec<(Vec<u8>, usize)> = (0..16)
        .map(|i| delivery(0x9E37_79B9 + i, gz_each))
        .collect();
    let hours = objects.div_ceil(per_hour);
    let key = |n: usize| {
        let (h, i) = (n / per_hour, n % per_hour);
        let (day, hour) = (1 + h / 24, h % 24);
        format!("timeseries/year=2020/month=09/day={day:02}/hour={hour:02}/company-2-2020-09-{day:02}-{hour:02}-{:02}-00-{n:05}.gz", i * 5)
    };
    let mut set = tokio::task::JoinSet::new();
    for worker in 0..6 {
        let s3 = s3.clone();
        let bodies: Vec<Vec<u8>> = templates.iter().map(|t| t.0.clone()).collect();
        let keys: Vec<(usize, String)> = (0..objects)
            .filter(|n| n % 6 == worker)
            .map(|n| (n, key(n)))
            .collect();
        set.spawn(async move {
            for (n, k) in keys {
                s3.put_object()
                    .bucket(BUCKET)
                    .key(&k)
                    .body(ByteStream::from(bodies[n % 16].clone()))
                    .send()
                    .await
                    .expect("put");
            }
        });
    }
    while let Some(r) = set.join_next().await {
        r.expect("put task");
    }
    let gz_total: u64 = (0..objects).map(|n| templates[n % 16].0.len() as u64).sum();
    let plain_total: u64 = (0..objects).map(|n| templates[n % 16].1 as u64).sum();
    println!(
        "data: {objects} objects in {hours} hourly partitions, {:.0} MB gzipped, {:.0} MB of CSV (seeded in {:.0} s)",
        mb(gz_total),
        mb(plain_total),
        started.elapsed().as_secs_f64()
    );

    let work = tempfile::tempdir().expect("work dir");
    let out = work.path().join("sluice.csv");
    let sluice =
        PathBuf::from(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()))
            .join("release/sluice");
    let hour_name = |h: usize| format!("2020-09-{:02}T{:02}", 1 + h / 24, h % 24);
    let mut full = Duration::ZERO;
    for (label, span) in [("half the range", hours / 2), ("the full range", hours)] {
        settle(&[&out]);
        let mut cmd = Command::new(&sluice);
        cmd.args([
            "report",
            "--bucket",
            BUCKET,
            "--prefix",
            "timeseries/",
            "--from",
            &hour_name(0),
            "--to",
            &hour_name(span),
            "--replace",
            "-o",
        ])
        .arg(&out)
        .envs(env.iter().cloned())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
        let (took, peak, cpu, ok) = run_measured(cmd);
        assert!(ok, "sluice report failed");
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        println!(
            "sluice report, {label} ({span} hours): {:.2} s ({cpu:.1} s of CPU), {:.0} MB written ({:.0} MB/s of CSV out), peak PSS {:.0} MiB",
            took.as_secs_f64(),
            mb(size),
            mb(size) / took.as_secs_f64(),
            peak as f64 / 1024.0
        );
        full = took;
    }
    let sluice_size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);

    let dl = work.path().join("aws");
    let aws = sluice_e2e::repo_root().join(".venv/bin/aws");
    let files = format!("find {} -name '*.gz' -print0 | sort -z", dl.display());
    let cli_out = work.path().join("aws.csv");
    settle(&[]);
    let cp = shell(
        &format!("{} --endpoint-url {ep} s3 cp s3://{BUCKET}/timeseries/ {} --recursive --only-show-errors", aws.display(), dl.display()),
        &env,
    );
    let cat = shell(
        &format!(
            "{files} | xargs -0 zcat > {0} && sync {0}",
            cli_out.display()
        ),
        &env,
    );
    let pipeline = cp + cat;
    println!(
        "aws s3 cp --recursive + zcat: {:.2} s ({:.2} s download, {:.2} s zcat) → Sluice is {:.1}× faster end to end",
        pipeline.as_secs_f64(),
        cp.as_secs_f64(),
        cat.as_secs_f64(),
        pipeline.as_secs_f64() / full.as_secs_f64()
    );
    let zcat_out = work.path().join("zcat.csv");
    settle(&[&cli_out]);
    let zcat = shell(
        &format!(
            "{files} | xargs -0 zcat > {0} && sync {0}",
            zcat_out.display()
        ),
        &env,
    );
    let zsize = std::fs::metadata(&zcat_out).map(|m| m.len()).unwrap_or(0);
    println!(
        "zcat of the same files on disk: {:.2} s ({:.0} MB/s) → Sluice's throughput is {:.2}× zcat's",
        zcat.as_secs_f64(),
        mb(zsize) / zcat.as_secs_f64(),
        zcat.as_secs_f64() / full.as_secs_f64()
    );
    // The same rows in the same order: Sluice's file is zcat's plus one header line.
    let same =
        sluice_size == zsize + HEADER_LEN as u64 && same_bytes(&out, HEADER_LEN as u64, &zcat_out);
    println!("bodies identical to zcat's output: {same}");
}
