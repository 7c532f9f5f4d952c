//! Reading Kinesis against two emulators, moto and kinesalite (other people's code, not
//! each other's): a 2-shard stream holding each record kind and a KPL aggregate made by the
//! official library — every inner record appears exactly once — from each start position,
//! with a limit, an unknown stream, and a split shard read across parent and children with
//! nothing lost or repeated; a tail that picks up live records, also across a split.
//!
//! Where the two differ, AWS decides: a start time after Kinesis's clock is refused by
//! GetShardIterator (kinesalite, like AWS: "timestampInMillis cannot be greater than
//! currentTimestampInMillis"; moto accepts it), so Sluice reads from the tip instead and
//! both give no records. The IAM check runs on moto alone (kinesalite has no IAM).

use std::collections::HashSet;
use std::time::Duration;

use aws_sdk_kinesis::primitives::Blob;
use sluice_core::decode::RecordKind;
use sluice_core::streams::read::{ReadRequest, StartPosition};
use sluice_core::streams::shard::Pace;
use sluice_core::ErrorCode;
use sluice_e2e::kinesalite::{wait_active, KinesisEmulator};
use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::admin_clients;

fn fast() -> Pace {
    Pace {
        call_interval: Duration::from_millis(5),
        first_backoff: Duration::from_millis(5),
        max_retries: 2,
    }
}

fn request(start: StartPosition, limit: u32) -> ReadRequest {
    ReadRequest {
        connection: None,
        stream: "mm-events".into(),
        start,
        until: None,
        limit,
        shards: Vec::new(),
    }
}

/// An aggregate packed by PyPI `aws-kinesis-agg` (in the test venv): 3 inner records.
fn official_aggregate() -> Vec<u8> {
    let script = r#"
import sys
from aws_kinesis_agg.aggregator import RecordAggregator
agg = RecordAggregator()
agg.add_user_record("kpl-a", b"2020-09-21 13:03:30.907,2020-09-21 13:03:35.720,acme,1013,Sample,LOAD,X1load,6,,,,", None)
agg.add_user_record("kpl-b", b'{"DOCUMENT_TYPE":"ALARM","ALARMID":7}', "1")
agg.add_user_record("kpl-a", b"inner text", None)
sys.stdout.buffer.write(agg.clear_and_get().get_contents()[2])
"#;
    sluice_e2e::venv_python(script, &[])
}

#[tokio::test(flavor = "multi_thread")]
async fn read_every_kind_from_every_position_and_across_a_split_on_moto() {
    read_every_kind_from_every_position_and_across_a_split(KinesisEmulator::moto()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn read_every_kind_from_every_position_and_across_a_split_on_kinesalite() {
    read_every_kind_from_every_position_and_across_a_split(KinesisEmulator::kinesalite()).await;
}

async fn read_every_kind_from_every_position_and_across_a_split(emulator: KinesisEmulator) {
    let kinesis = emulator.kinesis().await;
    kinesis
        .create_stream()
        .stream_name("mm-events")
        .shard_count(2)
        .send()
        .await
        .expect("stream");
    wait_active(&kinesis, "mm-events").await;
    let put = |pk: &str, data: Vec<u8>| {
        kinesis
            .put_record()
            .stream_name("mm-events")
            .partition_key(pk)
            .data(Blob::new(data))
            .send()
    };
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("1013", b"2020-09-21 13:03:30.907,2020-09-21 13:03:35.720,acme,1013,Sample,ALARM,a1,1,E7,3,,Door open, cycle stopped".to_vec()),
        ("dma", br#"{"DOCUMENT_TYPE":"DATAAVG","DMAID":1,"AVGTREND":{"AVG":1,"MIN":0,"MAX":2}}"#.to_vec()),
        ("emnify", br#"{"event_type":{"id":1},"endpoint":{"name":"Truck 12"},"sim":{"iccid":"8988"}}"#.to_vec()),
        ("strm", br#"{"strmMeta":{"schemaId":"nps_unified_v1"},"device_id":"d1"}"#.to_vec()),
        ("kpl", official_aggregate()),
        ("bin", vec![0, 159, 146, 150]),
    ];
    let mut sequences = Vec::new();
    for (pk, body) in bodies {
        let out = put(pk, body).await.expect("put");
        sequences.push(out.sequence_number().to_string());
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice_e2e::admin_core(emulator.endpoint(), dir.path());

    let info = s
        .stream_info(
            None,
            &sluice_core::streams::StreamRef::parse("mm-events").expect("ref"),
        )
        .await
        .expect("info");
    assert_eq!(info.shards.len(), 2);
    assert!(info.shards.iter().all(|sh| sh.open));

    let all = s
        .read_stream(&request(StartPosition::TrimHorizon, 1000), fast())
        .await
        .expect("read");
    assert_eq!(
        all.records.len(),
        5 + 3,
        "{:?}",
        all.records.iter().map(|r| r.kind).collect::<Vec<_>>()
    );
    assert!(!all.truncated);
    let kinds: HashSet<RecordKind> = all.records.iter().map(|r| r.kind).collect();
    for k in [
        RecordKind::MachineMetrics,
        RecordKind::DataMinerDataAvg,
        RecordKind::EmnifyEvent,
        RecordKind::StreamMachine,
        RecordKind::DataMinerAlarm,
        RecordKind::Text,
        RecordKind::Binary,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing");
    }
    let kpl: Vec<_> = all
        .records
        .iter()
        .filter(|r| r.subsequence.is_some())
        .collect();
    assert_eq!(kpl.len(), 3, "each inner record once");
    assert_eq!(
        kpl.iter()
            .filter(|r| r.partition_key.as_deref() == Some("kpl-a"))
            .count(),
        2
    );
    let unique: HashSet<_> = all
        .records
        .iter()
        .map(|r| (r.shard.clone(), r.sequence.clone(), r.subsequence))
        .collect();
    assert_eq!(unique.len(), all.records.len());

    let latest = s
        .read_stream(&request(StartPosition::Latest, 1000), fast())
        .await
        .expect("latest");
    assert!(latest.records.is_empty());
    let limited = s
        .read_stream(&request(StartPosition::TrimHorizon, 3), fast())
        .await
        .expect("limit");
    assert_eq!(limited.records.len(), 3);
    assert!(limited.truncated);
    let first = &sequences[0];
    let at = s
        .read_stream(
            &request(StartPosition::AtSequence(first.clone()), 1000),
            fast(),
        )
        .await
        .expect("at");
    assert!(at
        .records
        .iter()
        .any(|r| r.sequence.as_deref() == Some(first)));
    let after = s
        .read_stream(
            &request(StartPosition::AfterSequence(first.clone()), 1000),
            fast(),
        )
        .await
        .expect("after");
    assert!(!after
        .records
        .iter()
        .any(|r| r.sequence.as_deref() == Some(first)));
    let future = s
        .read_stream(
            &request(
                StartPosition::AtTimestamp("2099-01-01T00:00:00Z".into()),
                1000,
            ),
            fast(),
        )
        .await
        .expect("future");
    assert!(future.records.is_empty());
    let past = s
        .read_stream(
            &request(
                StartPosition::AtTimestamp("2000-01-01T00:00:00Z".into()),
                1000,
            ),
            fast(),
        )
        .await
        .expect("past");
    assert_eq!(past.records.len(), all.records.len());

    let mut missing = request(StartPosition::TrimHorizon, 10);
    missing.stream = "no-such-stream".into();
    let err = s
        .read_stream(&missing, fast())
        .await
        .expect_err("unknown stream");
    assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
    let mut bad = request(StartPosition::AtTimestamp("yesterday".into()), 10);
    bad.limit = 10;
    assert_eq!(
        s.read_stream(&bad, fast())
            .await
            .expect_err("bad time")
            .code(),
        ErrorCode::InvalidInput
    );

    // Split a shard, write more, and read everything: parents before children.
    let parent = info.shards[0].clone();
    let start: u128 = parent.hash_key_start.parse().expect("start");
    let end: u128 = parent.hash_key_end.parse().expect("end");
    kinesis
        .split_shard()
        .stream_name("mm-events")
        .shard_to_split(&parent.id)
        .new_starting_hash_key((start + (end - start) / 2).to_string())
        .send()
        .await
        .expect("split");
    wait_active(&kinesis, "mm-events").await;
    for i in 0..6 {
        put(
            &format!("after-split-{i}"),
            format!("late {i}").into_bytes(),
        )
        .await
        .expect("put");
    }
    let resharded = s
        .read_stream(&request(StartPosition::TrimHorizon, 1000), fast())
        .await
        .expect("read");
    assert_eq!(
        resharded.records.len(),
        all.records.len() + 6,
        "on {}",
        emulator.name()
    );
    let unique: HashSet<_> = resharded
        .records
        .iter()
        .map(|r| (r.shard.clone(), r.sequence.clone(), r.subsequence))
        .collect();
    assert_eq!(unique.len(), resharded.records.len(), "nothing read twice");
    assert!(resharded.shards.len() >= 4, "{:?}", resharded.shards);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tail_picks_up_records_put_while_it_runs_and_across_a_split_on_moto() {
    a_tail_picks_up_records_put_while_it_runs_and_across_a_split(KinesisEmulator::moto()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tail_picks_up_records_put_while_it_runs_and_across_a_split_on_kinesalite() {
    a_tail_picks_up_records_put_while_it_runs_and_across_a_split(KinesisEmulator::kinesalite())
        .await;
}

/// Waits (bounded) until `seen` holds `n` values.
async fn until_seen(seen: &std::sync::Mutex<Vec<String>>, n: usize) {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while seen.lock().map(|l| l.len()).unwrap_or(0) < n && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn a_tail_picks_up_records_put_while_it_runs_and_across_a_split(emulator: KinesisEmulator) {
    use std::sync::{Arc, Mutex};
    let kinesis = emulator.kinesis().await;
    kinesis
        .create_stream()
        .stream_name("mm-tail")
        .shard_count(2)
        .send()
        .await
        .expect("stream");
    wait_active(&kinesis, "mm-tail").await;
    let put = |pk: String, data: String| {
        kinesis
            .put_record()
            .stream_name("mm-tail")
            .partition_key(pk)
            .data(Blob::new(data))
            .send()
    };
    put("before".into(), "put before the tail".into())
        .await
        .expect("put");
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Arc::new(sluice_e2e::admin_core(emulator.endpoint(), dir.path()));
    let cancel = sluice_core::jobs::Cancel::default();
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let tail = {
        let (s, cancel, seen) = (s.clone(), cancel.clone(), seen.clone());
        tokio::spawn(async move {
            let request = sluice_core::streams::tail::TailRequest {
                connection: None,
                stream: "mm-tail".into(),
                start: StartPosition::Latest,
                shards: Vec::new(),
            };
            s.tail_stream(&request, fast(), &cancel, &move |batch| {
                if let Ok(mut l) = seen.lock() {
                    l.extend(
                        batch
                            .records
                            .iter()
                            .filter_map(|r| r.fields.first().map(|f| f.value.clone())),
                    );
                }
            })
            .await
        })
    };
    // LATEST is taken when the tail asks for its iterators: a marker record put until the
    // tail shows one proves it is reading, without guessing how long that takes.
    let mut markers = 0;
    while seen.lock().map(|l| l.is_empty()).unwrap_or(true) {
        assert!(markers < 300, "the tail showed nothing within 15 s");
        put(format!("marker-{markers}"), "marker".into())
            .await
            .expect("put");
        markers += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let markers_seen = seen.lock().map(|l| l.len()).unwrap_or(0);
    for i in 0..4 {
        put(format!("live-{i}"), format!("live {i}"))
            .await
            .expect("put");
    }
    until_seen(&seen, markers_seen + 4).await;

    // Split a shard while the tail runs: the parent closes, its children start from their
    // beginning, and records put to them arrive too.
    let shards = kinesis
        .list_shards()
        .stream_name("mm-tail")
        .send()
        .await
        .expect("shards");
    let parent = &shards.shards()[0];
    let range = parent.hash_key_range().expect("range");
    let start: u128 = range.starting_hash_key().parse().expect("start");
    let end: u128 = range.ending_hash_key().parse().expect("end");
    kinesis
        .split_shard()
        .stream_name("mm-tail")
        .shard_to_split(parent.shard_id())
        .new_starting_hash_key((start + (end - start) / 2).to_string())
        .send()
        .await
        .expect("split");
    wait_active(&kinesis, "mm-tail").await;
    for i in 0..8 {
        put(format!("split-{i}"), format!("after split {i}"))
            .await
            .expect("put");
    }
    until_seen(&seen, markers_seen + 12).await;
    cancel.cancel();
    let total = tail.await.expect("joined").expect("tail");
    let got = seen.lock().map(|l| l.clone()).unwrap_or_default();
    let real: Vec<&String> = got.iter().filter(|v| *v != "marker").collect();
    assert_eq!(real.len(), 12, "on {}: {got:?}", emulator.name());
    assert_eq!(total as usize, got.len(), "{got:?}");
    for i in 0..4 {
        assert!(got.contains(&format!("live {i}")), "{got:?}");
    }
    for i in 0..8 {
        assert!(got.contains(&format!("after split {i}")), "{got:?}");
    }
    assert!(
        !got.iter().any(|v| v == "put before the tail"),
        "latest starts after it"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_without_kinesis_rights_is_told_what_to_grant() {
    let moto = Moto::start();
    let admin = admin_clients(&moto.endpoint).await;
    admin
        .kinesis()
        .create_stream()
        .stream_name("mm-locked")
        .shard_count(1)
        .send()
        .await
        .expect("stream");
    let (id, secret) =
        sluice_e2e::vendor::iam_user_with_key(&admin.iam(), "no-kinesis", None).await;
    moto.enforce_iam();
    let dir = tempfile::tempdir().expect("tempdir");
    let s = sluice_e2e::core_as(&moto.endpoint, dir.path(), &id, &secret);
    let mut req = request(StartPosition::TrimHorizon, 10);
    req.stream = "mm-locked".into();
    let err = s.read_stream(&req, fast()).await.expect_err("denied");
    assert_eq!(err.code(), ErrorCode::AccessDenied, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("kinesis:") && text.contains("sluice policy reader"),
        "{text}"
    );
}
