//! Reports against moto: a range over several days with a gap, files with and without a
//! header row, each filter, every output format, sorting, and every way a run can fail
//! (a corrupt object, a cancel, no data) — none of which may leave a file behind.

use std::path::Path;
use std::sync::Arc;

use sluice_core::report::run::{ReportProgress, RunOptions};
use sluice_core::report::spec::{Filters, OutputFormat, Range, ReportSpec};
use sluice_core::{ErrorCode, Sluice};
use sluice_e2e::moto::Moto;
use sluice_e2e::objects::{gzip, mm_hour, mm_key, new_bucket, put};

const HEADER: &str = "eventTime,processTime,companyId,machineRef,type,subtype,key,value,nativeCode,nativeSeverity,qualifier,description\n";
const MACHINES: [u32; 3] = [1013, 1014, 1015];

fn spec(from: &str, to: &str) -> ReportSpec {
    ReportSpec {
        connection: None,
        bucket: "mm-data".into(),
        prefix: "timeseries/".into(),
        range: Range::Absolute {
            from: from.into(),
            to: to.into(),
        },
        filters: Filters::default(),
        columns: Vec::new(),
        format: OutputFormat::Csv,
        sort_by_event_time: false,
    }
}

/// 2020-09-20T22 .. 2020-09-23T02 (52 hours), 30 rows an hour, hour 2020-09-21T05 missing.
/// Even hours carry their own header row; hour 10 of the 21st has two files, the second
/// stored plain under a `.gz` name.
async fn seed(endpoint: &str) -> aws_sdk_s3::Client {
    let s3 = new_bucket(endpoint, "mm-data").await;
    let mut h = 0;
    for (day, hours) in [(20, 22..24), (21, 0..24), (22, 0..24), (23, 0..2)] {
        for hour in hours {
            h += 1;
            if (day, hour) == (21, 5) {
                continue;
            }
            let rows = mm_hour(day, hour, 30, &MACHINES);
            let text = if h % 2 == 0 {
                format!("{HEADER}{rows}")
            } else {
                rows
            };
            put(
                &s3,
                "mm-data",
                &mm_key("timeseries/", day, hour, 1),
                gzip(text.as_bytes()),
            )
            .await;
        }
    }
    let extra = mm_hour(21, 10, 10, &[1013]).replace(":00.000,", ":59.000,");
    put(
        &s3,
        "mm-data",
        &mm_key("timeseries/", 21, 10, 2),
        extra.into_bytes(),
    )
    .await;
    s3
}

fn quiet() -> Arc<dyn Fn(u32, ReportProgress) + Send + Sync> {
    Arc::new(|_, _| {})
}

async fn run(
    core: &Sluice,
    spec: &ReportSpec,
    out: &Path,
) -> sluice_core::report::run::ReportResult {
    core.report_run(spec, out, false, RunOptions::default(), quiet())
        .await
        .unwrap_or_else(|e| panic!("report: {e}"))
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn a_range_over_days_is_one_csv_with_one_header_and_its_gap_named() {
    let moto = Moto::start();
    seed(&moto.endpoint).await;
    let dir = tempfile::tempdir().expect("dir");
    let core = sluice_e2e::admin_core(&moto.endpoint, dir.path());
    let spec = spec("2020-09-20T22", "2020-09-23T02");

    let plan = core.report_plan(&spec).await.expect("plan");
    assert_eq!((plan.hours, plan.partitions), (52, 51));
    assert_eq!(plan.objects.len(), 52);
    assert_eq!(plan.missing_hours, vec!["2020-09-21T05"]);

    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).expect("mkdir");
    let out = out_dir.join("report.csv");
    let result = run(&core, &spec, &out).await;
    let text = std::fs::read_to_string(&out).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(result.rows, 51.0 * 30.0 + 10.0);
    assert_eq!(lines.len(), 51 * 30 + 10 + 1, "one header and every row");
    assert_eq!(lines[0], HEADER.trim_end());
    assert_eq!(
        text.matches("eventTime").count(),
        1,
        "the files' own headers are dropped"
    );
    // Hour by hour in partition order, rows as in the files.
    assert!(
        lines[1].starts_with("2020-09-20 22:00:00.000,"),
        "{}",
        lines[1]
    );
    assert!(lines.last().expect("row").starts_with("2020-09-23 01:"));
    assert_eq!(result.missing_hours, vec!["2020-09-21T05"]);
    for m in &result.coverage.machines {
        assert_eq!(result.coverage.gaps(&m.machine), vec!["2020-09-21T05"]);
    }
    let m1013 = &result.coverage.machines[0];
    assert_eq!(
        (m1013.machine.as_str(), m1013.rows),
        ("1013", 51.0 * 10.0 + 10.0)
    );
    assert_eq!(
        m1013.first_event.as_deref(),
        Some("2020-09-20 22:00:00.000")
    );
    assert_eq!(
        files_in(&out_dir),
        vec!["report.csv"],
        "the part file was renamed"
    );

    // The same file again is refused; nothing is replaced.
    let err = core
        .report_run(&spec, &out, false, RunOptions::default(), quiet())
        .await
        .expect_err("exists");
    assert!(err.to_string().contains("already exists"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn each_filter_columns_formats_and_sorting() {
    let moto = Moto::start();
    seed(&moto.endpoint).await;
    let dir = tempfile::tempdir().expect("dir");
    let core = sluice_e2e::admin_core(&moto.endpoint, dir.path());
    let base = spec("2020-09-21T09", "2020-09-21T12");
    let count = |name: &str| {
        std::fs::read_to_string(dir.path().join(name))
            .expect("read")
            .lines()
            .count()
            - 1
    };

    let mut s = base.clone();
    s.filters.machines = vec!["1014".into(), "1015".into()];
    run(&core, &s, &dir.path().join("machines.csv")).await;
    assert_eq!(count("machines.csv"), 3 * 20);

    let mut s = base.clone();
    s.filters.key = Some("S1speed".into());
    run(&core, &s, &dir.path().join("key.csv")).await;
    assert_eq!(count("key.csv"), 3 * 15 + 5);

    let mut s = base.clone();
    s.filters.r#type = Some("Sample".into());
    s.filters.value_contains = Some("9".into());
    s.columns = vec!["machineRef".into(), "value".into()];
    run(&core, &s, &dir.path().join("value.csv")).await;
    let text = std::fs::read_to_string(dir.path().join("value.csv")).expect("read");
    assert!(text.starts_with("machineRef,value\n"));
    assert!(text
        .lines()
        .skip(1)
        .all(|l| l.split(',').nth(1).is_some_and(|v| v.contains('9'))));

    let mut s = base.clone();
    s.format = OutputFormat::ExcelCsv;
    run(&core, &s, &dir.path().join("excel.csv")).await;
    let bytes = std::fs::read(dir.path().join("excel.csv")).expect("read");
    assert!(bytes.starts_with("\u{feff}eventTime,".as_bytes()));
    assert_eq!(
        bytes.iter().filter(|b| **b == b'\n').count(),
        3 * 30 + 10 + 1
    );
    assert_eq!(
        String::from_utf8_lossy(&bytes).matches("\r\n").count(),
        3 * 30 + 10 + 1
    );

    let mut s = base.clone();
    s.format = OutputFormat::Xlsx;
    let r = run(&core, &s, &dir.path().join("report.xlsx")).await;
    assert_eq!(r.rows, 100.0);
    assert!(std::fs::read(dir.path().join("report.xlsx"))
        .expect("read")
        .starts_with(b"PK"));

    // The second file of hour 10 goes back in time after the first: unsorted, the rows
    // stay as in the files; sorted, they interleave by eventTime.
    run(&core, &base, &dir.path().join("plain.csv")).await;
    let plain = std::fs::read_to_string(dir.path().join("plain.csv")).expect("read");
    let plain_times: Vec<&str> = plain.lines().skip(1).map(|l| &l[..23]).collect();
    assert!(!plain_times.windows(2).all(|w| w[0] <= w[1]));
    let mut s = base.clone();
    s.sort_by_event_time = true;
    core.report_run(
        &s,
        &dir.path().join("sorted.csv"),
        false,
        RunOptions {
            concurrency: 3,
            sort_budget: 4096,
        },
        quiet(),
    )
    .await
    .expect("sorted");
    let text = std::fs::read_to_string(dir.path().join("sorted.csv")).expect("read");
    let times: Vec<&str> = text.lines().skip(1).map(|l| &l[..23]).collect();
    assert_eq!(times.len(), 100);
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "sorted by eventTime"
    );
    let mut sorted_plain = plain_times.clone();
    sorted_plain.sort();
    assert_eq!(times, sorted_plain, "the same rows, only reordered");
    assert!(!files_in(dir.path()).iter().any(|n| n.ends_with(".part")));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_corrupt_object_a_cancel_or_no_data_leaves_no_file() {
    let moto = Moto::start();
    let s3 = seed(&moto.endpoint).await;
    let dir = tempfile::tempdir().expect("dir");
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).expect("mkdir");
    let core = Arc::new(sluice_e2e::admin_core(&moto.endpoint, dir.path()));
    let out = out_dir.join("report.csv");

    // A damaged gzip object in the middle of the range.
    let mut broken = gzip(mm_hour(22, 3, 3000, &MACHINES).as_bytes());
    let n = broken.len();
    broken[n / 2..n / 2 + 200].fill(0x41);
    let bad_key = mm_key("timeseries/", 22, 3, 1);
    put(&s3, "mm-data", &bad_key, broken).await;
    let err = core
        .report_run(
            &spec("2020-09-22T00", "2020-09-22T06"),
            &out,
            false,
            RunOptions::default(),
            quiet(),
        )
        .await
        .expect_err("corrupt");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(
        err.to_string().contains(&bad_key) && err.to_string().contains("line "),
        "{err}"
    );
    assert!(files_in(&out_dir).is_empty(), "no output and no part file");

    // Cancel after the first object is written.
    for i in 0..30 {
        let rows = mm_hour(23, 5, 20_000, &MACHINES);
        put(
            &s3,
            "mm-data",
            &mm_key("timeseries/", 23, 5, 10 + i),
            gzip(rows.as_bytes()),
        )
        .await;
    }
    let canceller = core.clone();
    let progress: Arc<dyn Fn(u32, ReportProgress) + Send + Sync> = Arc::new(move |job, p| {
        if p.objects_done >= 1 {
            canceller.jobs().cancel(job);
        }
    });
    let options = RunOptions {
        concurrency: 2,
        ..RunOptions::default()
    };
    let err = core
        .report_run(
            &spec("2020-09-23T05", "2020-09-23T06"),
            &out,
            false,
            options,
            progress,
        )
        .await
        .expect_err("cancelled");
    assert_eq!(err.code(), ErrorCode::Cancelled, "{err}");
    assert!(files_in(&out_dir).is_empty(), "no output and no part file");

    // A range with no objects, and filters that match nothing: a message, not an empty file.
    let err = core
        .report_run(
            &spec("2021-01-01T00", "2021-01-02T00"),
            &out,
            false,
            RunOptions::default(),
            quiet(),
        )
        .await
        .expect_err("no data");
    assert!(err.to_string().contains("no objects"), "{err}");
    let mut s = spec("2020-09-21T09", "2020-09-21T12");
    s.filters.machines = vec!["4242".into()];
    let err = core
        .report_run(&s, &out, false, RunOptions::default(), quiet())
        .await
        .expect_err("no rows");
    assert!(err.to_string().contains("no rows matched"), "{err}");
    assert!(files_in(&out_dir).is_empty());
}
