//! `sluice athena ddl | estimate` and `sluice report --engine athena` against moto (whose
//! Athena accepts queries but runs no SQL: the estimate and the DDL are what is checked here;
//! the run itself is in tests/tests/athena_against_emulator.rs).

use sluice_e2e::moto::Moto;
use sluice_e2e::objects::{gzip, mm_hour, mm_key, new_bucket, put};

mod common;
use common::{mm_range, ok, sluice};

#[tokio::test(flavor = "multi_thread")]
async fn ddl_and_estimate() {
    let moto = Moto::start();
    let s3 = new_bucket(&moto.endpoint, "mm-data").await;
    for hour in [10, 11] {
        put(
            &s3,
            "mm-data",
            &mm_key("timeseries/", 21, hour, 1),
            gzip(mm_hour(21, hour, 30, &[1013]).as_bytes()),
        )
        .await;
    }
    let home = tempfile::tempdir().expect("home");
    let ep = &moto.endpoint;
    let range = mm_range("2020-09-21T13");
    // The DDL needs no dates: the partition layout is read from the bucket.
    let ddl = ok(&sluice(
        &[
            "athena",
            "ddl",
            "--bucket",
            "mm-data",
            "--prefix",
            "timeseries/",
            "--database",
            "telemetry",
            "--table",
            "mm",
        ],
        ep,
        home.path(),
    ));
    assert!(
        ddl.starts_with("CREATE EXTERNAL TABLE IF NOT EXISTS `telemetry`.`mm`"),
        "{ddl}"
    );
    assert!(ddl.contains("'storage.location.template' = 's3://mm-data/timeseries/year=${year}/month=${month}/day=${day}/hour=${hour}/'"));
    let est = ok(&sluice(
        &[
            &["--json", "athena", "estimate"],
            &range[..],
            &["--machine", "1013"],
        ]
        .concat(),
        ep,
        home.path(),
    ));
    let v: serde_json::Value = serde_json::from_str(&est).expect("json");
    assert_eq!(
        (
            v["partitions"].as_u64(),
            v["hours"].as_u64(),
            v["objects"].as_u64()
        ),
        (Some(2), Some(3), Some(2))
    );
    assert!(v["sql"]
        .as_str()
        .is_some_and(|s| s.contains("hour IN (10, 11, 12)")));
    let bad = sluice(
        &[&["athena", "ddl"], &range[..], &["--table", "Bad-Name"]].concat(),
        ep,
        home.path(),
    );
    assert_eq!(bad.status.code(), Some(2));
}
