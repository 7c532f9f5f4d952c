//! The sender against a fake Kinesis that fails some entries of a batch and throttles calls.

use std::collections::HashMap;
use std::sync::Mutex;

use super::*;

/// Fails each entry its first `fail_first` times, and throttles call numbers in `throttle`.
struct Flaky {
    fail_first: u32,
    throttle: Vec<u32>,
    calls: Mutex<u32>,
    seen: Mutex<HashMap<String, u32>>,
    accepted: Mutex<Vec<String>>,
}

impl PutRecords for Flaky {
    fn put<'a>(&'a self, _stream: &'a StreamRef, entries: &'a [Entry]) -> CallFuture<'a> {
        Box::pin(async move {
            let call = {
                let mut c = self.calls.lock().expect("lock");
                *c += 1;
                *c
            };
            if self.throttle.contains(&call) {
                return Err(CallError::Throttled);
            }
            let mut seen = self.seen.lock().expect("lock");
            Ok(entries
                .iter()
                .map(|e| {
                    let key = String::from_utf8_lossy(&e.data).into_owned();
                    let n = seen.entry(key.clone()).or_default();
                    *n += 1;
                    // Odd-numbered records fail until they have been tried `fail_first` times.
                    let odd = key.trim_start_matches('r').parse::<u32>().unwrap_or(0) % 2 == 1;
                    if odd && *n <= self.fail_first {
                        EntryResult::Failed {
                            code: "ProvisionedThroughputExceededException".into(),
                            message: "Rate exceeded for shard".into(),
                        }
                    } else {
                        self.accepted.lock().expect("lock").push(key.clone());
                        EntryResult::Accepted {
                            shard: "shardId-000000000000".into(),
                            sequence: format!("{call:04}{key}"),
                        }
                    }
                })
                .collect())
        })
    }
}

fn entries(n: usize) -> Vec<Entry> {
    (0..n)
        .map(|i| Entry {
            data: format!("r{i}").into_bytes(),
            partition_key: format!("{i}"),
        })
        .collect()
}

fn quick() -> Retry {
    Retry {
        first_backoff: Duration::from_millis(1),
        max_attempts: 5,
    }
}

fn stream() -> StreamRef {
    StreamRef::parse("dm-data").expect("stream")
}

#[tokio::test]
async fn failed_entries_are_retried_alone_and_every_record_is_accepted_once() {
    let api = Flaky {
        fail_first: 2,
        throttle: vec![2],
        calls: Mutex::new(0),
        seen: Mutex::new(HashMap::new()),
        accepted: Mutex::new(Vec::new()),
    };
    let batch = entries(10);
    let out = send_batch(&api, &stream(), &batch, quick())
        .await
        .expect("send");
    assert!(out
        .results
        .iter()
        .all(|r| matches!(r, Some(EntryResult::Accepted { .. }))));
    let mut accepted = api.accepted.lock().expect("lock").clone();
    accepted.sort();
    let mut want: Vec<String> = (0..10).map(|i| format!("r{i}")).collect();
    want.sort();
    assert_eq!(accepted, want, "each record accepted exactly once");
    // Even records went once; odd ones three times (two failures); call 2 was throttled.
    let seen = api.seen.lock().expect("lock");
    assert_eq!(seen["r0"], 1);
    assert_eq!(seen["r1"], 3);
    assert_eq!((out.throttled, out.partial_failures), (1, 2));
    assert_eq!(out.retried, 5 + 5 + 5);
}

#[tokio::test]
async fn entries_that_keep_failing_are_reported_with_their_code() {
    let api = Flaky {
        fail_first: 99,
        throttle: vec![],
        calls: Mutex::new(0),
        seen: Mutex::new(HashMap::new()),
        accepted: Mutex::new(Vec::new()),
    };
    let out = send_batch(&api, &stream(), &entries(4), quick())
        .await
        .expect("send");
    let failed: Vec<usize> = out
        .results
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r, Some(EntryResult::Failed { code, .. }) if code == "ProvisionedThroughputExceededException"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(failed, vec![1, 3]);
    assert_eq!(
        api.seen.lock().expect("lock")["r1"],
        5,
        "tried up to the limit"
    );
    assert_eq!(api.seen.lock().expect("lock")["r0"], 1, "never sent twice");
}

/// Accepts even entries, then fails every later call outright.
struct Breaks {
    calls: Mutex<u32>,
}

impl PutRecords for Breaks {
    fn put<'a>(&'a self, _stream: &'a StreamRef, entries: &'a [Entry]) -> CallFuture<'a> {
        Box::pin(async move {
            let call = {
                let mut c = self.calls.lock().expect("lock");
                *c += 1;
                *c
            };
            if call > 1 {
                return Err(CallError::Other(CoreError::Network {
                    action: "kinesis:PutRecords".into(),
                    detail: "connection reset".into(),
                }));
            }
            Ok(entries
                .iter()
                .enumerate()
                .map(|(i, _)| {
                    if i % 2 == 0 {
                        EntryResult::Accepted {
                            shard: "s".into(),
                            sequence: format!("{i}"),
                        }
                    } else {
                        EntryResult::Failed {
                            code: "InternalFailure".into(),
                            message: String::new(),
                        }
                    }
                })
                .collect())
        })
    }
}

#[tokio::test]
async fn a_call_that_fails_after_some_were_accepted_keeps_them() {
    let api = Breaks {
        calls: Mutex::new(0),
    };
    let out = send_batch(&api, &stream(), &entries(4), quick())
        .await
        .expect("partial outcome");
    assert!(matches!(out.error, Some(CoreError::Network { .. })));
    assert!(matches!(out.results[0], Some(EntryResult::Accepted { .. })));
    assert!(matches!(out.results[2], Some(EntryResult::Accepted { .. })));
    assert!(
        out.results[1].is_none() && out.results[3].is_none(),
        "not sent twice, not lost: left for the next run"
    );
}
