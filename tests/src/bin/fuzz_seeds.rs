//! `make fuzz` (first step): writes each fuzz target's seed corpus into `DIR/<target>/` from
//! the inputs the unit and end-to-end tests use — the handover email, the policy corpus,
//! MachineMetrics and DataMiner rows, KPL aggregates and gzip / zlib made by Sluice's own
//! writers, pasted get-records output, `~/.aws/config` files. Usage: `fuzz_seeds DIR`.

use std::io::Write;
use std::path::{Path, PathBuf};

use sluice_core::decode::kpl::{self, InnerRecord};

const HANDOVER: &str = "Hi, here is your access:\n\n  • ARN of a role in our account: arn:aws:iam::352302322568:role/the-data-access-role\n  • External ID: Correct-Horse/Battery:Staple\n  • ARN of the Kinesis Stream: arn:aws:kinesis:us-east-1:352302322568:stream/mm-customer-events\n  • ARN of the S3 Bucket: arn:aws:s3:::mm-customer-data/timeseries/\n  • URL of the S3 Bucket: https://s3.console.aws.amazon.com/s3/buckets/mm-customer-data?region=us-east-1&prefix=timeseries/\n";
const HANDOVER_BAD: &str = "random chatter\nRole: arn:aws:sts::352302322568:assumed-role/the-data-access-role\nExternalId: has spaces in it\nBucket: arn:aws:s3:::Bad_Bucket\nStream arn:aws:kinesis:us-east-1:35230232256:stream/x\n";
const MACHINEMETRICS: &str = "2020-09-21 10:00:01.000,2020-09-21 10:00:02.000,c1,1013,Sample,LOAD,X1load,6,,,,\n2020-09-21 10:00:03.000,2020-09-21 10:00:04.000,c1,1014,Sample,LOAD,X1load,7,,,,\n2020-09-21 10:00:00.500,2020-09-21 10:00:05.000,c1,1013,Alarm,,alarm,on,E1,high,q,Spindle, overheated\n";
const MM_HEADER: &str = "eventTime,receivedTime,machineRef,machineId,type,group,key,value,code,level,nativeCode,message\n";
const DATA_ROWS: &str = "35712;1743;7017;idx;0.1;2019-11-25T15:10:00;1574694600;0;d;e;p\n35712;1743;7018;idx;0.2;2019-11-25T15:10:00;not-a-time;0;d;e;p\n";
const DATA_HEADER: &str = "DMAID,EID,PID,IDX,VALUE,TIMESTAMP,TIMESTAMP_UNIX,TYPE,DESCRIPTION,ELEMENT,PARAMETER\n35712,1743,7017,idx,0.1,2019-11-25T15:10:00,1574694600,0,d,e,p\n";
const JSONL: &str =
    "{\"Data\":\"aGVsbG8=\",\"PartitionKey\":\"k1\"}\n{\"Data\":{\"a\":1}}\n\nnot json\n";
const JSON_RECORD: &str = "{\"DOCUMENT_TYPE\":\"DATA\",\"DMAID\":35712,\"EID\":1743,\"PID\":7017,\"VALUE\":\"0.1\",\"nested\":{\"a\":[1,2,{\"b\":null}]}}";
const GET_RECORDS: &str = "{\"Records\":[{\"SequenceNumber\":\"49590338271490256608559692538361571095921575989136588898\",\"ApproximateArrivalTimestamp\":1600682401.5,\"Data\":\"MjAyMC0wOS0yMSAxMDowMDowMS4wMDAsMjAyMC0wOS0yMSAxMDowMDowMi4wMDAsYzEsMTAxMyxTYW1wbGUsTE9BRCxYMWxvYWQsNiwsLCw=\",\"PartitionKey\":\"c1\"}],\"NextShardIterator\":\"AAAA\",\"MillisBehindLatest\":0}";
const AWS_CONFIG: &str = "[default]\nregion = us-east-1\n\n[profile sluice-vendor]\ncredential_process = /old/sluice credentials vendor\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\n[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n";

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("zlib");
    e.finish().expect("zlib")
}

fn aggregate() -> Vec<u8> {
    let records: Vec<InnerRecord> = MACHINEMETRICS
        .lines()
        .enumerate()
        .map(|(i, line)| InnerRecord {
            partition_key: Some(format!("c{i}")),
            explicit_hash_key: (i == 1).then(|| "340282366920938463463374607431768211455".into()),
            data: line.as_bytes().to_vec(),
        })
        .collect();
    kpl::aggregate(&records)
}

struct Seeds {
    root: PathBuf,
}

impl Seeds {
    fn put(&self, target: &str, name: &str, bytes: &[u8]) {
        let dir = self.root.join(target);
        std::fs::create_dir_all(&dir).expect("seed folder");
        std::fs::write(dir.join(name), bytes).expect("seed");
    }
}

fn policies(root: &Path) -> Vec<String> {
    let dir = root.join("src-tauri/crates/sluice-core/tests/policies");
    let corpus = std::fs::read_to_string(dir.join("corpus.json")).expect("policy corpus");
    let value: serde_json::Value = serde_json::from_str(&corpus).expect("corpus json");
    let mut out = vec![std::fs::read_to_string(dir.join("emnify-example.json")).expect("emnify")];
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(ref m) if m.contains_key("Statement") => {
                out.push(serde_json::to_string_pretty(&v).unwrap_or_default());
            }
            serde_json::Value::Object(m) => stack.extend(m.into_values()),
            serde_json::Value::Array(a) => stack.extend(a),
            serde_json::Value::String(s) if s.contains("Statement") => out.push(s),
            _ => {}
        }
    }
    out
}

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).expect("usage: fuzz_seeds DIR"));
    let s = Seeds { root };
    let repo = sluice_e2e::repo_root();

    s.put("handover", "email.txt", HANDOVER.as_bytes());
    s.put("handover", "bad.txt", HANDOVER_BAD.as_bytes());
    for (i, p) in policies(&repo).iter().enumerate().take(200) {
        s.put("policy_lint", &format!("policy-{i:03}.json"), p.as_bytes());
    }
    s.put("policy_lint", "comments.json", b"// a comment\n{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}");

    let agg = aggregate();
    let records: [(&str, Vec<u8>); 8] = [
        ("mm.csv", MACHINEMETRICS.as_bytes().to_vec()),
        (
            "header.csv",
            format!("{MM_HEADER}{MACHINEMETRICS}").into_bytes(),
        ),
        ("record.json", JSON_RECORD.as_bytes().to_vec()),
        ("rows.jsonl", JSONL.as_bytes().to_vec()),
        ("kpl.bin", agg.clone()),
        ("mm.csv.gz", gzip(MACHINEMETRICS.as_bytes())),
        ("record.json.z", zlib(JSON_RECORD.as_bytes())),
        ("kpl.gz", gzip(&agg)),
    ];
    for (name, bytes) in &records {
        for target in ["decode_chain", "record_formats", "sniff", "inflate"] {
            let bytes = if target == "sniff" {
                [&[7u8][..], bytes].concat()
            } else {
                bytes.clone()
            };
            s.put(target, name, &bytes);
        }
    }
    s.put("kpl", "three.bin", &agg);
    s.put(
        "kpl",
        "one.bin",
        &kpl::aggregate(&[InnerRecord {
            partition_key: Some("k".into()),
            explicit_hash_key: None,
            data: JSON_RECORD.as_bytes().to_vec(),
        }]),
    );
    let mut multi = gzip(b"first member\n");
    multi.extend(gzip(MACHINEMETRICS.as_bytes()));
    s.put("inflate", "two-members.gz", &multi);

    for (i, key) in [
        "timeseries/date=2020-09-21/hour=10/part-0000.csv.gz",
        "../../etc/passwd",
        "a//b/./c/CON.txt",
        "events/2020/09/21/10/file:name?.jsonl",
    ]
    .iter()
    .enumerate()
    {
        s.put("s3_key_path", &format!("key-{i}"), key.as_bytes());
        s.put("partitions", &format!("key-{i}"), key.as_bytes());
    }
    s.put("partitions", "hour", b"2020-09-21T10");
    s.put(
        "partitions",
        "children",
        b"date=2020-09-21/\ndate=2020-09-22/\nhour=10/",
    );

    s.put(
        "report_rows",
        "plain",
        format!("\0{MACHINEMETRICS}").as_bytes(),
    );
    s.put(
        "report_rows",
        "header",
        format!("\x03{MM_HEADER}{MACHINEMETRICS}").as_bytes(),
    );
    s.put(
        "report_rows",
        "gzip",
        &gzip(format!("{MM_HEADER}{MACHINEMETRICS}").as_bytes()),
    );

    s.put(
        "dataminer_offload",
        "data",
        format!("\0{DATA_ROWS}").as_bytes(),
    );
    s.put(
        "dataminer_offload",
        "header",
        format!("\x03{DATA_HEADER}").as_bytes(),
    );
    s.put(
        "dataminer_offload",
        "jsonl",
        format!("\x01{JSONL}").as_bytes(),
    );
    s.put(
        "dataminer_offload",
        "lines",
        format!("\u{82}{MACHINEMETRICS}").as_bytes(),
    );

    s.put("pasted_records", "get-records.json", GET_RECORDS.as_bytes());
    s.put(
        "pasted_records",
        "base64.txt",
        b"MjAyMC0wOS0yMSAxMDowMDowMS4wMDAsYzE=",
    );

    s.put("aws_config", "config", AWS_CONFIG.as_bytes());
    s.put("aws_config", "empty", b"");
    s.put(
        "aws_config",
        "crlf",
        AWS_CONFIG.replace('\n', "\r\n").as_bytes(),
    );
}
