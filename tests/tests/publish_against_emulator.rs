//! Publishing against two emulators, moto and kinesalite: DataMiner offload files (Data and
//! Alarm, one bad row) into two streams, stopped after the first batch and resumed, read
//! back from TRIM_HORIZON — exactly the records sent, in count and content, none twice —
//! and a third run that sends nothing again.

use std::sync::Arc;

use base64::Engine;
use sluice_core::decode::RecordKind;
use sluice_core::streams::publish::run::{PublishEvent, PublishRequest, TypeStreams};
use sluice_core::streams::publish::source::PublishFormat;
use sluice_core::streams::read::{ReadRequest, StartPosition};
use sluice_core::streams::shard::Pace;
use sluice_e2e::kinesalite::{wait_active, KinesisEmulator};

async fn stream(kinesis: &aws_sdk_kinesis::Client, name: &str, shards: i32) {
    kinesis
        .create_stream()
        .stream_name(name)
        .shard_count(shards)
        .send()
        .await
        .expect("stream");
    wait_active(kinesis, name).await;
}

fn data_rows(n: usize) -> String {
    (0..n)
        .map(|i| format!("35712,1743,{},idx {i},{i}.25,2019-11-25T15:10:00,{},0,Realtime trending point,E1,P{i}\n", 7000 + i % 7, 1_574_694_600 + i))
        .collect()
}

fn alarm_rows(n: usize) -> String {
    let header = "DMAID,EID,PID,ALARMID,PREVKEY,VALUE,SEVERITY_ID,SEVERITY,SEVERITY_LEVEL_ID,SEVERITY_LEVEL,TOA,TOA_UNIX,TYPE_ID,TYPE,OWNER,STATUS_ID,STATUS,USERCOMMENT,UPLOADED,SOURCE_ID,SOURCE,USERSTATUS_ID,USERSTATUS,ROOTKEY,INDEX,RCALEVEL,DISPLAY_INDEX,ELEMENT_NAME,PARAMETER_NAME,DISPLAY_VALUE,CREATIONTIME,CREATIONTIME_UNIX\n";
    let rows: String = (0..n)
        .map(|i| format!("35708,240,145,{},0,259,1,Critical,6,High,2019-11-25T15:10:00,1574694600,10,New alarm,,12,Open,,,16,DataMiner System,19,Acknowledged,1082431,idx,-1,idx,E,P,259,2019-11-25T15:10:00,1574694600\n", 1_082_431 + i))
        .collect();
    format!("{header}{rows}")
}

#[tokio::test(flavor = "multi_thread")]
async fn published_records_read_back_exactly_and_a_rerun_sends_nothing_on_moto() {
    published_records_read_back_exactly_and_a_rerun_sends_nothing(KinesisEmulator::moto()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn published_records_read_back_exactly_and_a_rerun_sends_nothing_on_kinesalite() {
    published_records_read_back_exactly_and_a_rerun_sends_nothing(KinesisEmulator::kinesalite())
        .await;
}

async fn published_records_read_back_exactly_and_a_rerun_sends_nothing(emulator: KinesisEmulator) {
    let kinesis = emulator.kinesis().await;
    stream(&kinesis, "dm-data", 2).await;
    stream(&kinesis, "dm-alarms", 1).await;
    let dir = tempfile::tempdir().expect("dir");
    let files = dir.path().join("offload");
    std::fs::create_dir(&files).expect("mkdir");
    let mut data = data_rows(1203);
    data.push_str("35712,1743,x,idx,1,2019-11-25T15:10:00,1574694600,0,d,e,p\n");
    std::fs::write(files.join("DMA35712_Data_20191125.csv"), data).expect("write");
    std::fs::write(files.join("alarms.csv"), alarm_rows(40)).expect("write");
    let core = Arc::new(sluice_e2e::admin_core(emulator.endpoint(), dir.path()));
    let req = PublishRequest {
        connection: None,
        paths: vec![files.display().to_string()],
        format: PublishFormat::Dataminer,
        data_type: None,
        stream: "dm-data".into(),
        streams: TypeStreams {
            alarm: Some("dm-alarms".into()),
            ..TypeStreams::default()
        },
        partition_key: None,
    };

    let plan = core.publish_plan(&req).expect("dry run");
    assert_eq!(
        (plan.records, plan.batches, plan.problem_count),
        (1243, 4, 1)
    );
    assert_eq!(plan.problems[0].line, 1204);
    assert!(plan.problems[0].reason.contains("PID 'x' is not a number"));
    let sent_data: Vec<String> = {
        // What the dry run would send is what must come back.
        let f = sluice_core::streams::publish::source::read_file(
            &files.join("DMA35712_Data_20191125.csv"),
            PublishFormat::Dataminer,
            None,
            None,
        )
        .expect("read");
        f.records
            .iter()
            .map(|r| String::from_utf8(r.data.clone()).expect("utf8"))
            .collect()
    };

    // Stopped after the first batch: 500 records accepted and kept in the ledger.
    let stopper = Arc::downgrade(&core);
    let stopped = core
        .publish(
            &req,
            Arc::new(move |job, e| {
                if matches!(e, PublishEvent::Stats { .. }) {
                    if let Some(core) = stopper.upgrade() {
                        core.jobs().cancel(job);
                    }
                }
            }),
        )
        .await
        .expect("stopped run");
    assert!(stopped.cancelled);
    assert_eq!((stopped.sent, stopped.files_done), (500.0, 0));

    // Resumed: the rest, and nothing of the first 500 again.
    let events = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = events.clone();
    let stats = core
        .publish(
            &req,
            Arc::new(move |_, e| seen.lock().expect("lock").push(e)),
        )
        .await
        .expect("publish");
    assert_eq!(
        (
            stats.sent,
            stats.failed,
            stats.skipped_rows,
            stats.files_done
        ),
        (743.0, 0.0, 1.0, 2),
        "on {}",
        emulator.name()
    );
    assert_eq!(
        stats.input_read, stats.input_bytes,
        "every file read to the end"
    );
    assert!(events
        .lock()
        .expect("lock")
        .iter()
        .any(|e| matches!(e, PublishEvent::Log { .. })));
    let first = stopped.first.clone().expect("first record");
    assert_eq!(
        first.stream, "dm-data",
        "files go in path order: DMA… before alarms…"
    );

    let read = |name: &str| ReadRequest {
        connection: None,
        stream: name.into(),
        start: StartPosition::TrimHorizon,
        until: None,
        limit: 5000,
        shards: Vec::new(),
    };
    let back = core
        .read_stream(&read("dm-data"), Pace::default())
        .await
        .expect("read back");
    assert_eq!(back.records.len(), 1203);
    assert!(back
        .records
        .iter()
        .all(|r| r.kind == RecordKind::DataMinerData));
    let mut got: Vec<String> = back
        .records
        .iter()
        .map(|r| {
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(&r.raw_base64)
                    .expect("b64"),
            )
            .expect("utf8")
        })
        .collect();
    let mut want = sent_data.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want, "the same records, byte for byte");
    let alarms = core
        .read_stream(&read("dm-alarms"), Pace::default())
        .await
        .expect("alarms");
    assert_eq!(alarms.records.len(), 40);
    assert!(alarms
        .records
        .iter()
        .all(|r| r.kind == RecordKind::DataMinerAlarm));
    assert!(alarms.records.iter().all(|r| r
        .partition_key
        .as_deref()
        .is_some_and(|k| k.starts_with("35708/108"))));

    // Run again: everything was accepted, nothing goes twice.
    let again = core
        .publish(&req, Arc::new(|_, _| {}))
        .await
        .expect("again");
    assert_eq!((again.sent, again.files_done), (0.0, 2));
    let back = core
        .read_stream(&read("dm-data"), Pace::default())
        .await
        .expect("read again");
    assert_eq!(back.records.len(), 1203);
}
