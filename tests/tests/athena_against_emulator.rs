//! Athena reports against moto. moto's Athena accepts queries and reports them SUCCEEDED at
//! once but does not run SQL and writes no result file, so this test puts the result object
//! where Athena would (the output location + the query id) as soon as Sluice has started the
//! query, and checks that Sluice streams it down into one clean CSV. The DDL and SQL are
//! golden-tested in the core; here: the estimate against the emulator's own listing, the
//! table created, a query run and polled, a query stopped, and the errors a manager sees.

use std::sync::Arc;

use sluice_core::athena::query::{self, QueryProgress};
use sluice_core::athena::AthenaTarget;
use sluice_core::jobs::Cancel;
use sluice_core::report::spec::{Filters, OutputFormat, Range, ReportSpec};
use sluice_core::ErrorCode;
use sluice_e2e::moto::Moto;
use sluice_e2e::objects::{gzip, mm_hour, mm_key, new_bucket, put};
use sluice_e2e::vendor::admin_clients;

fn spec() -> ReportSpec {
    ReportSpec {
        connection: None,
        bucket: "mm-data".into(),
        prefix: "timeseries/".into(),
        range: Range::Absolute {
            from: "2020-09-21T09".into(),
            to: "2020-09-21T13".into(),
        },
        filters: Filters {
            machines: vec!["1013".into()],
            ..Filters::default()
        },
        columns: vec!["eventTime".into(), "machineRef".into(), "value".into()],
        format: OutputFormat::Csv,
        sort_by_event_time: false,
    }
}

fn target(workgroup: &str) -> AthenaTarget {
    AthenaTarget {
        workgroup: workgroup.into(),
        database: "telemetry".into(),
        table: "mm".into(),
        output: None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn estimate_create_run_and_stop_on_the_emulator() {
    let moto = Moto::start();
    let s3 = new_bucket(&moto.endpoint, "mm-data").await;
    let mut bytes = 0usize;
    for hour in [9, 10, 12] {
        let body = gzip(mm_hour(21, hour, 40, &[1013, 1014]).as_bytes());
        bytes += body.len();
        put(&s3, "mm-data", &mm_key("timeseries/", 21, hour, 1), body).await;
    }
    s3.create_bucket()
        .bucket("athena-results")
        .send()
        .await
        .expect("results bucket");
    let athena = admin_clients(&moto.endpoint).await.athena();
    athena
        .create_work_group()
        .name("reports")
        .configuration(
            aws_sdk_athena::types::WorkGroupConfiguration::builder()
                .result_configuration(
                    aws_sdk_athena::types::ResultConfiguration::builder()
                        .output_location("s3://athena-results/q/")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("workgroup");
    let dir = tempfile::tempdir().expect("dir");
    let core = sluice_e2e::admin_core(&moto.endpoint, dir.path());

    // The estimate lists exactly the range's partitions.
    let e = core
        .athena_estimate(&spec(), &target("reports"))
        .await
        .expect("estimate");
    assert_eq!((e.partitions, e.hours, e.objects), (3, 4, 3));
    assert_eq!(e.bytes, bytes as f64);
    assert!(
        (e.cost_usd - 10e6 / 1e12 * 5.0).abs() < 1e-12,
        "under 10 MB bills 10 MB"
    );
    assert!(
        e.sql.contains("hour IN (9, 10, 11, 12)") && e.sql.contains("\"machineref\" IN ('1013')")
    );

    // The table: its DDL goes through the workgroup; an identical table in the catalog is
    // reused without a query; a table of that name reading elsewhere is reported.
    let created = core
        .athena_create_table(&spec().dataset(), &target("reports"))
        .await
        .expect("create table");
    assert!(!created.reused && created.query_id.is_some(), "{created:?}");
    let glue = admin_clients(&moto.endpoint).await.glue();
    glue.create_database()
        .database_input(
            aws_sdk_glue::types::DatabaseInput::builder()
                .name("telemetry")
                .build()
                .expect("db"),
        )
        .send()
        .await
        .expect("database");
    let table = |name: &str, location: &str| {
        aws_sdk_glue::types::TableInput::builder()
            .name(name)
            .storage_descriptor(
                aws_sdk_glue::types::StorageDescriptor::builder()
                    .location(location)
                    .build(),
            )
            .parameters(
                "storage.location.template",
                format!("{location}year=${{year}}/month=${{month}}/day=${{day}}/hour=${{hour}}/"),
            )
            .build()
            .expect("table")
    };
    glue.create_table()
        .database_name("telemetry")
        .table_input(table("mm", "s3://mm-data/timeseries/"))
        .send()
        .await
        .expect("same table");
    let reused = core
        .athena_create_table(&spec().dataset(), &target("reports"))
        .await
        .expect("reuse");
    assert!(reused.reused && reused.query_id.is_none(), "{reused:?}");
    glue.create_table()
        .database_name("telemetry")
        .table_input(table("other", "s3://elsewhere/data/"))
        .send()
        .await
        .expect("other table");
    let err = core
        .athena_create_table(
            &spec().dataset(),
            &AthenaTarget {
                table: "other".into(),
                ..target("reports")
            },
        )
        .await
        .expect_err("a different table");
    assert!(err.to_string().contains("s3://elsewhere/data/"), "{err}");

    // A report: as soon as the query exists, put its result where Athena would.
    let results = s3.clone();
    let on = Arc::new(move |_job: u32, p: QueryProgress| {
        let s3 = results.clone();
        let key = format!("q/{}.csv", p.query_id);
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().expect("runtime");
            rt.block_on(put(
                &s3,
                "athena-results",
                &key,
                b"\"eventTime\",\"machineRef\",\"value\"\n\"2020-09-21 09:00:00.000\",\"1013\",\"0\"\n\"2020-09-21 09:00:14.000\",\"1013\",\"2, or \"\"two\"\"\"\n".to_vec(),
            ));
        })
        .join()
        .expect("put result");
    });
    let out = dir.path().join("athena.csv");
    let r = core
        .athena_report(&spec(), &target("reports"), &out, false, on)
        .await
        .expect("athena report");
    assert_eq!(r.rows, 2.0);
    assert_eq!(
        std::fs::read_to_string(&out).expect("report"),
        "eventTime,machineRef,value\n2020-09-21 09:00:00.000,1013,0\n2020-09-21 09:00:14.000,1013,\"2, or \"\"two\"\"\"\n"
    );

    // Stop: a cancelled run calls StopQueryExecution and writes nothing.
    let cancel = Cancel::default();
    cancel.cancel();
    let err = query::run(
        &athena,
        "SELECT 1",
        &target("reports"),
        "s3://athena-results/q/",
        &cancel,
        &|_| {},
    )
    .await
    .expect_err("stopped");
    assert_eq!(err.code(), ErrorCode::Cancelled);
    let last = athena
        .list_query_executions()
        .work_group("reports")
        .send()
        .await
        .expect("list");
    let mut cancelled = 0;
    for id in last.query_execution_ids() {
        let q = athena
            .get_query_execution()
            .query_execution_id(id)
            .send()
            .await
            .expect("get");
        if q.query_execution()
            .and_then(|e| e.status())
            .and_then(|s| s.state())
            .map(|s| s.as_str())
            == Some("CANCELLED")
        {
            cancelled += 1;
        }
    }
    assert_eq!(cancelled, 1, "the emulator saw StopQueryExecution");

    // A workgroup that does not exist, and one without a result location, say so.
    let err = core
        .athena_report(
            &spec(),
            &AthenaTarget {
                output: Some("s3://athena-results/q/".into()),
                ..target("nope")
            },
            &dir.path().join("x.csv"),
            false,
            Arc::new(|_, _| {}),
        )
        .await
        .expect_err("no workgroup");
    assert!(err.to_string().contains("nope"), "{err}");
    athena
        .create_work_group()
        .name("bare")
        .send()
        .await
        .expect("workgroup");
    let err = core
        .athena_report(
            &spec(),
            &target("bare"),
            &dir.path().join("y.csv"),
            false,
            Arc::new(|_, _| {}),
        )
        .await
        .expect_err("no result location");
    assert!(err.to_string().contains("no result location"), "{err}");
    assert!(!dir.path().join("x.csv").exists() && !dir.path().join("y.csv").exists());
}
