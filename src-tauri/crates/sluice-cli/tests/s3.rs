//! `sluice s3 ls | preview | get` and `sluice fix-gz` as a user runs them, against moto.

use sluice_e2e::moto::Moto;
use sluice_e2e::objects::{gzip, mm_csv, put};
use sluice_e2e::vendor::admin_clients;

mod common;
use common::{ok, sluice};

#[tokio::test(flavor = "multi_thread")]
async fn ls_preview_get_and_fix_gz() {
    let moto = Moto::start();
    let s3 = admin_clients(&moto.endpoint).await.s3();
    s3.create_bucket()
        .bucket("mm-data")
        .send()
        .await
        .expect("bucket");
    for hour in 9..13 {
        let key = format!("timeseries/year=2020/month=09/day=21/hour={hour:02}/company-2020-09-21-{hour:02}-40-01-uuid.gz");
        put(&s3, "mm-data", &key, gzip(mm_csv(hour, 20).as_bytes())).await;
    }
    put(
        &s3,
        "mm-data",
        "exports/unzipped-by-browser.gz",
        mm_csv(10, 5).into_bytes(),
    )
    .await;
    let home = tempfile::tempdir().expect("home");
    let ep = &moto.endpoint;

    let root = ok(&sluice(&["s3", "ls", "s3://mm-data/"], ep, home.path()));
    assert!(
        root.contains("PRE exports/") && root.contains("PRE timeseries/"),
        "{root}"
    );

    let out = sluice(
        &[
            "s3",
            "ls",
            "s3://mm-data/timeseries/",
            "--from",
            "2020-09-21T10",
            "--to",
            "2020-09-21T12",
        ],
        ep,
        home.path(),
    );
    let listed = ok(&out);
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(
        listed.contains("hour=10/") && listed.contains("hour=11/") && !listed.contains("hour=09/"),
        "{listed}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2 objects in 2 partitions (3 LIST calls)")
    );

    let key = "s3://mm-data/timeseries/year=2020/month=09/day=21/hour=10/company-2020-09-21-10-40-01-uuid.gz";
    let table = ok(&sluice(
        &["s3", "preview", key, "--rows", "3"],
        ep,
        home.path(),
    ));
    let mut lines = table.lines();
    assert!(
        lines.next().unwrap_or_default().starts_with("eventTime"),
        "{table}"
    );
    assert_eq!(lines.count(), 3, "{table}");
    let json: serde_json::Value = serde_json::from_str(&ok(&sluice(
        &["s3", "preview", key, "--rows", "2", "--json"],
        ep,
        home.path(),
    )))
    .expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(2));
    assert_eq!(json[0]["machineRef"], "1013");
    assert_eq!(json[0]["subtype"], "LOAD");
    assert_eq!(json[0]["key"], "X1load");

    let dest = home.path().join("downloads");
    let dest_s = dest.to_str().expect("utf8");
    let got = ok(&sluice(
        &[
            "s3",
            "get",
            "s3://mm-data/timeseries/",
            dest_s,
            "--from",
            "2020-09-21T10",
            "--to",
            "2020-09-21T12",
            "--decompress",
        ],
        ep,
        home.path(),
    ));
    assert!(got.starts_with("2 written, 0 skipped, 0 failed"), "{got}");
    let csv = dest.join("year=2020/month=09/day=21/hour=10/company-2020-09-21-10-40-01-uuid.csv");
    assert_eq!(std::fs::read_to_string(&csv).expect("csv"), mm_csv(10, 20));
    // Again: existing files are skipped, not overwritten.
    let again = ok(&sluice(
        &[
            "s3",
            "get",
            "s3://mm-data/timeseries/",
            dest_s,
            "--from",
            "2020-09-21T10",
            "--to",
            "2020-09-21T12",
            "--decompress",
        ],
        ep,
        home.path(),
    ));
    assert!(again.starts_with("0 written, 2 skipped"), "{again}");

    // A browser-unpacked download, repaired.
    ok(&sluice(
        &[
            "s3",
            "get",
            "s3://mm-data/exports/unzipped-by-browser.gz",
            dest_s,
        ],
        ep,
        home.path(),
    ));
    let lied = dest.join("unzipped-by-browser.gz");
    assert!(lied.exists());
    let dry = ok(&sluice(&["fix-gz", dest_s, "--dry-run"], ep, home.path()));
    assert!(
        dry.contains("would rename") && dry.contains("dry run, nothing changed"),
        "{dry}"
    );
    assert!(lied.exists());
    let fixed = ok(&sluice(&["fix-gz", dest_s, "--json"], ep, home.path()));
    let report: serde_json::Value = serde_json::from_str(&fixed).expect("json");
    assert_eq!(report["renamed"], 1);
    assert!(dest.join("unzipped-by-browser.csv").exists() && !lied.exists());

    // Bad input: exit 2 with the reason; a missing key: exit 1 with a hint.
    let bad = sluice(&["s3", "ls", "s3://Bad_Bucket/"], ep, home.path());
    assert_eq!(bad.status.code(), Some(2));
    let missing = sluice(
        &["s3", "get", "s3://mm-data/nope.csv", dest_s],
        ep,
        home.path(),
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("for a prefix add --recursive"));
}
