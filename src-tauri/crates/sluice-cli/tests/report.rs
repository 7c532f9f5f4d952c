//! `sluice report`, `report plan`, `report coverage --csv` and saved definitions, as a user
//! runs them against moto.

use sluice_e2e::moto::Moto;
use sluice_e2e::objects::{gzip, mm_hour, mm_key, new_bucket, put};

mod common;
use common::{mm_range, ok, sluice};

#[tokio::test(flavor = "multi_thread")]
async fn report_plan_coverage_and_saved_definitions() {
    let moto = Moto::start();
    let s3 = new_bucket(&moto.endpoint, "mm-data").await;
    for hour in [10, 11, 13] {
        let key = mm_key("timeseries/", 21, hour, 1);
        put(
            &s3,
            "mm-data",
            &key,
            gzip(mm_hour(21, hour, 40, &[1013, 1014]).as_bytes()),
        )
        .await;
    }
    let home = tempfile::tempdir().expect("home");
    let ep = &moto.endpoint;
    let out = home.path().join("report.csv");
    let out_s = out.to_str().expect("utf8");
    let range = mm_range("2020-09-21T14");

    let plan = ok(&sluice(
        &[&["report", "plan"], &range[..]].concat(),
        ep,
        home.path(),
    ));
    assert!(
        plan.contains("3 of 4 hours") && plan.contains("2020-09-21T12"),
        "{plan}"
    );

    let args = [
        &["report"],
        &range[..],
        &[
            "--machine",
            "1013",
            "--columns",
            "eventTime,machineRef,value",
            "-o",
            out_s,
        ],
    ]
    .concat();
    let printed = ok(&sluice(&args, ep, home.path()));
    assert!(
        printed.contains("Rows:") && printed.contains(" 60"),
        "{printed}"
    );
    assert!(
        printed.contains("Missing hours: 2020-09-21T12"),
        "{printed}"
    );
    let text = std::fs::read_to_string(&out).expect("report");
    assert_eq!(text.lines().count(), 61);
    assert!(text.starts_with("eventTime,machineRef,value\n2020-09-21 10:00:00.000,1013,0\n"));

    // The same output again is refused with exit 2; --replace replaces it.
    let again = sluice(&args, ep, home.path());
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    ok(&sluice(
        &[&args[..], &["--replace", "--xlsx"]].concat(),
        ep,
        home.path(),
    ));
    assert!(std::fs::read(&out).expect("xlsx").starts_with(b"PK"));

    let table = home.path().join("coverage.csv");
    let cov = ok(&sluice(
        &[
            &["report", "coverage"],
            &range[..],
            &["--csv", table.to_str().expect("utf8")],
        ]
        .concat(),
        ep,
        home.path(),
    ));
    assert!(
        cov.contains("2020-09-21T12") && cov.contains("1014"),
        "{cov}"
    );
    let csv = std::fs::read_to_string(&table).expect("coverage csv");
    assert_eq!(
        csv.lines().next(),
        Some("machineRef,rows,firstEvent,lastEvent,missingHours")
    );
    assert!(csv.contains("\n1013,60,2020-09-21 10:00:00.000,"), "{csv}");

    ok(&sluice(
        &[
            &["report", "save", "weekly"],
            &range[..],
            &["--machine", "1014"],
        ]
        .concat(),
        ep,
        home.path(),
    ));
    assert!(ok(&sluice(&["report", "list"], ep, home.path()))
        .contains("weekly\ts3://mm-data/timeseries/"));
    let saved_out = home.path().join("saved.csv");
    let printed = ok(&sluice(
        &[
            "report",
            "--saved",
            "weekly",
            "-o",
            saved_out.to_str().expect("utf8"),
        ],
        ep,
        home.path(),
    ));
    assert!(printed.contains(" 60"), "{printed}");
    assert!(std::fs::read_to_string(&saved_out)
        .expect("saved")
        .lines()
        .skip(1)
        .all(|l| l.contains(",1014,")));

    // Bad input: a range with no data is exit 2 and no file.
    let empty = home.path().join("empty.csv");
    let none = sluice(
        &[
            "report",
            "--bucket",
            "mm-data",
            "--prefix",
            "timeseries/",
            "--from",
            "2021-01-01T00",
            "--to",
            "2021-01-01T05",
            "-o",
            empty.to_str().expect("utf8"),
        ],
        ep,
        home.path(),
    );
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no objects"));
    assert!(!empty.exists());
}
