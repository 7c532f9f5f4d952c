//! `sluice stream publish` as a user runs it against moto: the dry run sends nothing, the
//! send prints statistics, `stream read` gives the records back, a re-run sends nothing.

use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::admin_clients;

mod common;
use common::{ok, sluice};

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_publish_read_back_and_resume() {
    let moto = Moto::start();
    let kinesis = admin_clients(&moto.endpoint).await.kinesis();
    kinesis
        .create_stream()
        .stream_name("dm-avg")
        .shard_count(1)
        .send()
        .await
        .expect("stream");
    let home = tempfile::tempdir().expect("home");
    let ep = &moto.endpoint;
    let file = home.path().join("trend.csv");
    let rows: String = (0..25)
        .map(|i| format!("35712;1743;{i};idx;0.0{i};0.01;0.09;2019-11-25 15:10:00;1574694600;5;AVG Trending point;E;P\n"))
        .collect();
    std::fs::write(
        &file,
        format!("{rows}35712;1743;9;idx;0.1;0.0;0.2;yesterday;1574694600;5;d;E;P\n"),
    )
    .expect("write");
    let f = file.to_str().expect("utf8");

    let dry = ok(&sluice(
        &[
            "stream",
            "publish",
            "dm-avg",
            f,
            "--type",
            "dataavg",
            "--dry-run",
        ],
        ep,
        home.path(),
    ));
    assert!(dry.contains("25 records in 1 PutRecords batches"), "{dry}");
    assert!(
        dry.contains("\"AVGTREND\":{\"AVG\":\"0.00\",\"MIN\":\"0.01\",\"MAX\":\"0.09\"}"),
        "{dry}"
    );
    assert!(dry.contains("line 26: TIMESTAMP 'yesterday'"), "{dry}");
    assert!(dry.contains("Nothing was sent"));

    let sent = ok(&sluice(
        &[
            "stream",
            "publish",
            "dm-avg",
            f,
            "--type",
            "dataavg",
            "--partition-key",
            "avg-{PID}",
        ],
        ep,
        home.path(),
    ));
    assert!(sent.contains("records sent 25, failed 0"), "{sent}");
    assert!(sent.contains("rows skipped 1"), "{sent}");
    let read = ok(&sluice(
        &["--json", "stream", "read", "dm-avg", "--limit", "100"],
        ep,
        home.path(),
    ));
    assert_eq!(read.lines().count(), 25, "{read}");
    assert!(
        read.contains("\"partitionKey\":\"avg-7\"") || read.contains("avg-7"),
        "{read}"
    );

    let again = ok(&sluice(
        &["stream", "publish", "dm-avg", f, "--type", "dataavg"],
        ep,
        home.path(),
    ));
    assert!(
        again.contains("records sent 0") && again.contains("(1 done)"),
        "{again}"
    );

    // PutRecords-shaped lines go as they are.
    let custom = home.path().join("custom.jsonl");
    std::fs::write(&custom, "{\"Data\":\"aGVsbG8=\",\"PartitionKey\":\"k\"}\n").expect("write");
    let sent = ok(&sluice(
        &[
            "stream",
            "publish",
            "dm-avg",
            custom.to_str().expect("utf8"),
            "--format",
            "jsonl",
        ],
        ep,
        home.path(),
    ));
    assert!(sent.contains("records sent 1"), "{sent}");
    let bad = sluice(
        &["stream", "publish", "no such stream!", f],
        ep,
        home.path(),
    );
    assert_eq!(bad.status.code(), Some(2));
}
