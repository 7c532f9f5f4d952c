//! `make bench` (streams part), in one run —
//! - decode-chain throughput on a mixed corpus of 1,000,000 records (MachineMetrics CSV,
//!   DataMiner, emnify and Stream Machine JSON, gzip, and KPL aggregates of 10), on one core;
//! - reading 10,000 records from moto: `sluice stream read` beside an AWS CLI loop of
//!   `get-shard-iterator` + `get-records` over the same shards (AWS CLI from PyPI).
//!
//! Prints one line per measurement. Not a test: nothing here passes or fails on a number.

use std::io::Write;
use std::process::Command;
use std::time::Instant;

use sluice_core::decode::{self, kpl, RecordSource};
use sluice_e2e::moto::Moto;

fn corpus() -> Vec<Vec<u8>> {
    let gz = {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let _ = e.write_all(
            b"2020-09-21 13:03:30.907,2020-09-21 13:03:35.720,acme,1013,Sample,LOAD,X1load,6,,,,",
        );
        e.finish().unwrap_or_default()
    };
    let kinds: Vec<Vec<u8>> = vec![
        b"2020-09-21 13:03:30.907,2020-09-21 13:03:35.720,acme,1013,Sample,ALARM,a1,1,E7,3,,Door open, cycle stopped".to_vec(),
        br#"{"DOCUMENT_TYPE":"DATA","DMAID":35712,"EID":1743,"PID":7017,"INDEX":"Bristow","VALUE":"0.123","TIMESTAMP":"2019-11-25T15:10:00","TIMESTAMP_UNIX":1574694600}"#.to_vec(),
        br#"{"id":1,"event_type":{"id":3,"description":"Update location"},"endpoint":{"name":"Truck 12","imei":"3566"},"sim":{"iccid":"8988"}}"#.to_vec(),
        br#"{"strmMeta":{"schemaId":"nps_unified_v1","nonce":1166008347,"timestamp":1616752583028},"device_id":"d1","session_id":"s1"}"#.to_vec(),
        gz,
    ];
    let aggregate = kpl::aggregate(
        &(0..10)
            .map(|i| kpl::InnerRecord {
                partition_key: Some(format!("machine-{}", i % 3)),
                explicit_hash_key: None,
                data: kinds[i % 4].clone(),
            })
            .collect::<Vec<_>>(),
    );
    let mut out = Vec::new();
    let mut i = 0;
    // Count what the chain yields: each aggregate gives 10 records.
    let mut records = 0;
    while records < 1_000_000 {
        if i % 20 == 19 {
            out.push(aggregate.clone());
            records += 10;
        } else {
            out.push(kinds[i % kinds.len()].clone());
            records += 1;
        }
        i += 1;
    }
    out
}

#[tokio::main]
async fn main() {
    let inputs = corpus();
    let source = RecordSource::default();
    let start = Instant::now();
    let mut rows = 0usize;
    for data in &inputs {
        rows += decode::decode(&source, data).len();
    }
    let took = start.elapsed();
    println!(
        "decode chain: {rows} records ({} inputs, mixed kinds, KPL aggregates of 10) in {:.2} s = {:.0} records/s on one core",
        inputs.len(),
        took.as_secs_f64(),
        rows as f64 / took.as_secs_f64()
    );

    let records: usize = std::env::var("SLUICE_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let moto = Moto::start();
    let ep = moto.endpoint.clone();
    sluice_e2e::vendor::machinemetrics_stream(&ep, "bench", records).await;
    // The release `sluice` sits next to this binary (make bench builds both).
    let sluice = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("sluice")))
        .unwrap_or_default();
    let start = Instant::now();
    let out = Command::new(&sluice)
        .args([
            "--json",
            "stream",
            "read",
            "bench",
            "--limit",
            &records.to_string(),
        ])
        .envs(sluice_e2e::emulator_env(&ep))
        .env(
            "SLUICE_CONFIG_DIR",
            std::env::temp_dir().join("sluice-bench-streams"),
        )
        .output()
        .expect("sluice");
    let sluice_took = start.elapsed();
    let read = String::from_utf8_lossy(&out.stdout).lines().count();
    println!(
        "read {records} records from moto: sluice stream read {:.0} ms ({read} decoded rows)",
        sluice_took.as_secs_f64() * 1000.0
    );
    let aws = sluice_e2e::repo_root().join(".venv/bin/aws");
    let script = format!(
        r#"set -e
A="{aws} --endpoint-url {ep} --region us-east-1 --output json"
n=0
for shard in $($A kinesis list-shards --stream-name bench --query 'Shards[].ShardId' --output text); do
  it=$($A kinesis get-shard-iterator --stream-name bench --shard-id "$shard" --shard-iterator-type TRIM_HORIZON --query ShardIterator --output text)
  while [ -n "$it" ] && [ "$it" != "None" ]; do
    page=$($A kinesis get-records --shard-iterator "$it" --limit 10000)
    c=$(printf '%s' "$page" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["Records"]))')
    n=$((n + c))
    [ "$c" = 0 ] && break
    it=$(printf '%s' "$page" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("NextShardIterator") or "")')
  done
done
echo $n
"#,
        aws = aws.display()
    );
    let start = Instant::now();
    let out = Command::new("bash")
        .args(["-c", &script])
        .envs(sluice_e2e::emulator_env(&ep))
        .output()
        .expect("aws cli");
    let aws_took = start.elapsed();
    println!(
        "read {records} records from moto: AWS CLI get-shard-iterator + get-records loop {:.0} ms ({} raw records, base64, not decoded)",
        aws_took.as_secs_f64() * 1000.0,
        String::from_utf8_lossy(&out.stdout).trim()
    );
}
