//! A whole run against a fake Kinesis: resume after a stop sends only what was not accepted.

use std::sync::Mutex;

use super::*;
use crate::streams::publish::send::{CallFuture, Entry, EntryResult, PutRecords};

#[derive(Default)]
struct Recorder {
    sent: Mutex<Vec<String>>,
}

impl PutRecords for Recorder {
    fn put<'a>(&'a self, _stream: &'a StreamRef, entries: &'a [Entry]) -> CallFuture<'a> {
        Box::pin(async move {
            let mut sent = self.sent.lock().expect("lock");
            Ok(entries
                .iter()
                .map(|e| {
                    sent.push(e.partition_key.clone());
                    EntryResult::Accepted {
                        shard: "shardId-000000000000".into(),
                        sequence: format!("{:06}", sent.len()),
                    }
                })
                .collect())
        })
    }
}

fn offload(dir: &std::path::Path, rows: usize) -> String {
    let text: String = (0..rows)
        .map(|i| format!("35712,1743,{i},idx,{i}.5,2019-11-25T15:10:00,1574694600,0,d,e,p\n"))
        .collect();
    let path = dir.join("DMA_Data_1.csv");
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

#[tokio::test]
async fn a_stopped_run_resumes_with_only_what_was_not_accepted() {
    let dir = tempfile::tempdir().expect("dir");
    let req = PublishRequest {
        connection: None,
        paths: vec![offload(dir.path(), 1200)],
        format: PublishFormat::Dataminer,
        data_type: None,
        stream: "dm-data".into(),
        streams: TypeStreams::default(),
        partition_key: None,
    };
    let mut ledger = Ledger::open(dir.path()).expect("ledger");
    let dry = plan(&req, &mut ledger).expect("plan");
    assert_eq!((dry.records, dry.batches, dry.samples.len()), (1200, 3, 5));
    assert_eq!(dry.samples[0].partition_key, "35712/1743/0");
    assert!(dry.samples[0]
        .data
        .starts_with("{\"DOCUMENT_TYPE\":\"DATA\",\"DMAID\":35712"));

    // Stop after the first batch.
    let api = Recorder::default();
    let cancel = Cancel::default();
    let stopper = cancel.clone();
    let events = Mutex::new(Vec::new());
    let on = |e: PublishEvent| {
        if matches!(e, PublishEvent::Stats { .. }) {
            stopper.cancel();
        }
        events.lock().expect("lock").push(e);
    };
    let first = publish(&api, &req, &mut ledger, Retry::default(), &cancel, &on)
        .await
        .expect("first run");
    assert!(first.cancelled);
    assert_eq!((first.sent, first.files_done), (500.0, 0));
    assert!(events
        .lock()
        .expect("lock")
        .iter()
        .any(|e| matches!(e, PublishEvent::Log { event } if event.kind == EventKind::Stopped)));

    // The dry run now counts what is left; the second run sends exactly that.
    let left = plan(&req, &mut Ledger::open(dir.path()).expect("ledger")).expect("plan");
    assert_eq!((left.records, left.files[0].already_sent), (700, 500));
    let mut ledger = Ledger::open(dir.path()).expect("ledger");
    let second = publish(
        &api,
        &req,
        &mut ledger,
        Retry::default(),
        &Cancel::default(),
        &|_| {},
    )
    .await
    .expect("second run");
    assert_eq!((second.sent, second.files_done), (700.0, 1));
    let sent = api.sent.lock().expect("lock").clone();
    let unique: BTreeSet<&String> = sent.iter().collect();
    assert_eq!(
        (sent.len(), unique.len()),
        (1200, 1200),
        "every record sent exactly once"
    );
    assert_eq!(second.first.as_ref().map(|f| f.shards), Some(1));

    // A third run has nothing to send.
    let third = publish(
        &api,
        &req,
        &mut ledger,
        Retry::default(),
        &Cancel::default(),
        &|_| {},
    )
    .await
    .expect("third run");
    assert_eq!((third.sent, third.files_done), (0.0, 1));
    let csv = String::from_utf8(events_csv(&[LogEvent {
        at: "t".into(),
        kind: EventKind::FileDone,
        message: "a, b".into(),
    }]))
    .expect("utf8");
    assert_eq!(csv, "at,kind,message\nt,fileDone,\"a, b\"\n");
}
