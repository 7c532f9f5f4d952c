//! `sluice stream decode` on what people paste from the vendors' CLI instructions — including
//! a KPL aggregate made by the official aggregation library (PyPI `aws-kinesis-agg`, in the
//! test venv) with two partition keys and an explicit hash key.

use std::process::{Command, Output};

fn sluice(args: &[&str], stdin: &str) -> Output {
    let home = tempfile::tempdir().expect("home");
    let cmd = sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home.path());
    let mut cmd = cmd;
    cmd.args(args);
    sluice_e2e::run_with_stdin(cmd, Some(stdin))
}

/// `get-records` JSON around an aggregate the official library packed.
fn official_aggregate() -> String {
    let script = r#"
import base64, json
from aws_kinesis_agg.aggregator import RecordAggregator
agg = RecordAggregator()
agg.add_user_record("machine-1013", b"2020-09-21 13:03:30.907,2020-09-21 13:03:35.720,acme,1013,Sample,ALARM,a1,1,E7,3,,Door open, cycle stopped", None)
agg.add_user_record("machine-1014", b'{"DOCUMENT_TYPE":"ALARM","ALARMID":7}', "340282366920938463463374607431768211455")
agg.add_user_record("machine-1013", b'{"strmMeta":{"schemaId":"nps_unified_v1"},"device_id":"d1"}', None)
pk, ehk, data = agg.clear_and_get().get_contents()
print(json.dumps({"Records": [{"SequenceNumber": "4959", "ApproximateArrivalTimestamp": 1600693410.5,
    "Data": base64.b64encode(data).decode(), "PartitionKey": pk}]}))
"#;
    String::from_utf8(sluice_e2e::venv_python(script, &[])).expect("utf8")
}

#[test]
fn an_official_kpl_aggregate_decodes_into_every_inner_record_once() {
    let out = sluice(&["--json", "stream", "decode", "-"], &official_aggregate());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["kind"], "machineMetrics");
    assert_eq!(rows[0]["fields"]["description"], "Door open, cycle stopped");
    assert_eq!(rows[0]["partition_key"], "machine-1013");
    assert_eq!(rows[1]["kind"], "dataMinerAlarm");
    assert_eq!(
        rows[1]["explicit_hash_key"],
        "340282366920938463463374607431768211455"
    );
    assert_eq!(rows[2]["kind"], "streamMachine");
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["subsequence"], i);
        assert_eq!(row["sequence"], "4959");
        assert_eq!(row["arrival"], "2020-09-21T13:03:30.5Z");
    }

    let table = sluice(&["stream", "decode"], &official_aggregate());
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.starts_with("kind") && text.contains("machineMetrics"),
        "{text}"
    );

    let bad = sluice(&["stream", "decode"], "definitely not records");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("get-records"));
}

#[tokio::test(flavor = "multi_thread")]
async fn info_and_read_against_the_emulator() {
    let moto = sluice_e2e::moto::Moto::start();
    let kinesis = sluice_e2e::vendor::admin_clients(&moto.endpoint)
        .await
        .kinesis();
    kinesis
        .create_stream()
        .stream_name("mm-cli")
        .shard_count(2)
        .send()
        .await
        .expect("stream");
    for i in 0..3 {
        kinesis
            .put_record()
            .stream_name("mm-cli")
            .partition_key(format!("machine-{i}"))
            .data(aws_sdk_kinesis::primitives::Blob::new(format!(
                "2020-09-21 13:03:3{i}.000,2020-09-21 13:03:35.720,acme,101{i},Sample,LOAD,X1load,{i},,,,"
            )))
            .send()
            .await
            .expect("put");
    }
    let home = tempfile::tempdir().expect("home");
    let run = |args: &[&str]| {
        let mut cmd = sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home.path());
        cmd.args(args)
            .envs(sluice_e2e::emulator_env(&moto.endpoint));
        sluice_e2e::run_with_stdin(cmd, None)
    };
    let info = run(&["stream", "info", "mm-cli"]);
    assert!(
        info.status.success(),
        "{}",
        String::from_utf8_lossy(&info.stderr)
    );
    assert!(String::from_utf8_lossy(&info.stdout).contains("2 open shard(s)"));
    let read = run(&["--json", "stream", "read", "mm-cli", "--limit", "2"]);
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&read.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .all(|r| r["kind"] == "machineMetrics" && r["shard"].is_string()));
    assert!(String::from_utf8_lossy(&read.stderr).contains("--limit"));
    let latest = run(&["--json", "stream", "read", "mm-cli", "--from", "latest"]);
    assert!(latest.status.success());
    assert!(String::from_utf8_lossy(&latest.stdout).trim().is_empty());
    // A tail sees records put while it runs, and only those; Ctrl-C ends it cleanly. LATEST
    // is taken when the tail asks for its iterators: a marker put until the tail prints one
    // proves it is reading, without guessing how long that takes.
    let mut tail = sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home.path());
    let mut tail = tail
        .args(["--json", "stream", "tail", "mm-cli", "--for", "60s"])
        .envs(sluice_e2e::emulator_env(&moto.endpoint))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("tail");
    let keys = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let reader = {
        let keys = keys.clone();
        let stdout = tail.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                let row: serde_json::Value = serde_json::from_str(&line).expect("json line");
                let key = row["partition_key"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                keys.lock().expect("keys").push(key);
            }
        })
    };
    let put = |key: String| {
        let kinesis = kinesis.clone();
        async move {
            kinesis
                .put_record()
                .stream_name("mm-cli")
                .partition_key(key.clone())
                .data(aws_sdk_kinesis::primitives::Blob::new(key))
                .send()
                .await
                .expect("put");
        }
    };
    let seen = |key: &str| keys.lock().expect("keys").iter().any(|k| k == key);
    let mut markers = 0;
    while keys.lock().expect("keys").is_empty() {
        assert!(markers < 300, "the tail printed nothing within 15 s");
        put(format!("marker-{markers}")).await;
        markers += 1;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    put("live-0".into()).await;
    put("live-1".into()).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !(seen("live-0") && seen("live-1")) && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let interrupted = Command::new("kill")
        .args(["-INT", &tail.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(interrupted.success());
    let tailed = tail.wait_with_output().expect("tail ends on Ctrl-C");
    reader.join().expect("reader");
    assert!(
        tailed.status.success(),
        "{}",
        String::from_utf8_lossy(&tailed.stderr)
    );
    let keys = keys.lock().expect("keys").clone();
    assert!(seen("live-0") && seen("live-1"), "{keys:?}");
    assert!(
        keys.iter()
            .all(|k| k.starts_with("marker-") || k.starts_with("live-")),
        "only records put while the tail ran: {keys:?}"
    );

    let missing = run(&["stream", "read", "no-such-stream"]);
    assert_eq!(
        missing.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}
