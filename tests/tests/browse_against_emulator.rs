//! Browsing S3 against moto: pagination, date-range pruning, and previews of every format
//! and failure (downloads are in downloads_against_emulator.rs).

use sluice_core::decode::sniff::{Container, ContentKind};
use sluice_core::decode::table::ColumnSource;
use sluice_core::s3::listing;
use sluice_core::s3::partitions::{parse_hour, Layout};
use sluice_core::s3::preview::{preview_object, PreviewLimits};
use sluice_core::ErrorCode;
use sluice_e2e::moto::Moto;
use sluice_e2e::objects::{gzip, mm_csv, new_bucket, put, put_many};

#[tokio::test]
async fn listing_pages_past_1000_keys_and_shows_folders() {
    let moto = Moto::start();
    let s3 = new_bucket(&moto.endpoint, "many").await;
    let keys: Vec<String> = (0..1050).map(|i| format!("batch/{i:05}.jsonl")).collect();
    put_many(&s3, "many", keys).await;
    put(&s3, "many", "other/readme.txt", b"hi".to_vec()).await;

    let mut pages = 0;
    let all = listing::list_all(&s3, "many", "batch/", |_| pages += 1)
        .await
        .expect("list");
    assert_eq!(all.len(), 1050);
    assert_eq!(pages, 2, "1050 keys need two LIST pages of 1000");

    let root = listing::list_page(&s3, "many", "", Some("/"), None, 1000)
        .await
        .expect("root");
    assert_eq!(root.folders, vec!["batch/", "other/"]);
    let first = listing::list_page(&s3, "many", "batch/", Some("/"), None, 500)
        .await
        .expect("page");
    assert_eq!(first.objects.len(), 500);
    let second = listing::list_page(
        &s3,
        "many",
        "batch/",
        Some("/"),
        first.next_token.clone(),
        500,
    )
    .await
    .expect("page 2");
    assert_eq!(second.objects[0].key, "batch/00500.jsonl");
    assert!(second.next_token.is_some());
}

#[tokio::test]
async fn a_date_range_lists_only_its_partitions() {
    let moto = Moto::start();
    let s3 = new_bucket(&moto.endpoint, "parts").await;
    let mut keys = Vec::new();
    for day in 19..=23 {
        for hour in 0..24 {
            keys.push(format!(
                "timeseries/year=2020/month=09/day={day:02}/hour={hour:02}/f-{day}-{hour}.gz"
            ));
        }
    }
    put_many(&s3, "parts", keys).await;

    let from = parse_hour("2020-09-21T10").expect("from");
    let two_hours = listing::list_range(&s3, "parts", "timeseries/", from, from + 2)
        .await
        .expect("range");
    assert_eq!(two_hours.layout, Layout::Hive);
    assert_eq!(two_hours.objects.len(), 2);
    assert_eq!(two_hours.list_calls, 3, "1 to find the layout + 1 per hour");
    assert!(two_hours
        .objects
        .iter()
        .all(|o| o.key.contains("day=21/hour=1")));

    // Two whole days cost two LISTs, not 48, and nothing outside the range comes back.
    let days = listing::list_range(
        &s3,
        "parts",
        "timeseries/",
        parse_hour("2020-09-20").expect("d"),
        parse_hour("2020-09-22").expect("d"),
    )
    .await
    .expect("days");
    assert_eq!(days.objects.len(), 48);
    assert_eq!(days.list_calls, 3);

    let err = listing::list_range(&s3, "parts", "", from, from + 1)
        .await
        .expect_err("no partitions at the root");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn previews_of_every_kind() {
    let moto = Moto::start();
    let s3 = new_bucket(&moto.endpoint, "previews").await;
    let csv = mm_csv(10, 500);
    put(&s3, "previews", "mm/no-header.gz", gzip(csv.as_bytes())).await;
    let with_header = format!("eventTime,processTime,companyId,machineRef,type,subtype,key,value,nativeCode,nativeSeverity,qualifier,description\n{csv}");
    put(
        &s3,
        "previews",
        "mm/with-header.csv.gz",
        gzip(with_header.as_bytes()),
    )
    .await;
    let jsonl = "{\"strmMeta\":{\"schemaId\":\"nps_unified_v1\",\"timestamp\":1616752583028},\"device_id\":\"d1\"}\n{\"strmMeta\":{\"schemaId\":\"nps_unified_v1\",\"timestamp\":1616752583029},\"device_id\":\"d2\"}\n";
    put(
        &s3,
        "previews",
        "strm/2021-03-26T09:56:30-stream-151daf78---0-1-2-3-4.jsonl",
        jsonl.as_bytes().to_vec(),
    )
    .await;
    put(
        &s3,
        "previews",
        "strm/.strm_test_0b9c1f5e.jsonl",
        Vec::new(),
    )
    .await;
    put(
        &s3,
        "previews",
        "plain/unzipped-by-browser.gz",
        csv.as_bytes().to_vec(),
    )
    .await;
    let gz = gzip(csv.as_bytes());
    put(
        &s3,
        "previews",
        "cut/truncated.gz",
        gz[..gz.len() / 2].to_vec(),
    )
    .await;
    // The 10-byte gzip header alone: not one compressed byte to read.
    put(&s3, "previews", "cut/header-only.gz", gz[..10].to_vec()).await;
    s3.put_object()
        .bucket("previews")
        .key("enc/data.csv")
        .content_encoding("gzip")
        .content_type("text/csv")
        .body(gzip(csv.as_bytes()).into())
        .send()
        .await
        .expect("put encoded");
    let limits = PreviewLimits::default();

    let p = preview_object(&s3, "previews", "mm/no-header.gz", limits)
        .await
        .expect("gz csv");
    assert_eq!(
        (p.container, p.content),
        (Container::Gzip, ContentKind::Csv)
    );
    assert_eq!(p.table.column_source, ColumnSource::MachineMetrics);
    assert_eq!(p.table.rows.len(), 100);
    assert_eq!(p.table.columns[3], "machineRef");
    assert!(!p.complete, "a 500-row file is abandoned after 100 rows");

    let p = preview_object(&s3, "previews", "mm/with-header.csv.gz", limits)
        .await
        .expect("header");
    assert_eq!(p.table.column_source, ColumnSource::HeaderRow);
    assert_eq!(p.table.rows.len(), 100);
    assert!(p.table.rows[0][0].starts_with("2020-09-21 10:00:00"));

    let p = preview_object(
        &s3,
        "previews",
        "strm/2021-03-26T09:56:30-stream-151daf78---0-1-2-3-4.jsonl",
        limits,
    )
    .await
    .expect("jsonl");
    assert_eq!(p.content, ContentKind::Jsonl);
    assert_eq!(
        p.table.columns,
        vec!["strmMeta.schemaId", "strmMeta.timestamp", "device_id"]
    );
    let name = p.name.expect("name info");
    assert_eq!(
        (name.time.as_deref(), name.partitions),
        (Some("2021-03-26T09:56:30"), vec![0, 1, 2, 3, 4])
    );

    let p = preview_object(&s3, "previews", "strm/.strm_test_0b9c1f5e.jsonl", limits)
        .await
        .expect("empty");
    assert_eq!(p.content, ContentKind::Empty);
    assert_eq!(
        p.note.as_deref(),
        Some("empty file (a validation or idle batch)")
    );
    assert!(p.name.expect("name").validation_file);

    let p = preview_object(&s3, "previews", "plain/unzipped-by-browser.gz", limits)
        .await
        .expect("plain .gz");
    assert_eq!(
        (p.container, p.content),
        (Container::Plain, ContentKind::Csv)
    );
    assert_eq!(p.table.rows.len(), 100);

    let p = preview_object(&s3, "previews", "enc/data.csv", limits)
        .await
        .expect("content-encoding");
    assert_eq!(p.content_encoding.as_deref(), Some("gzip"));
    assert_eq!(
        (p.container, p.content),
        (Container::Gzip, ContentKind::Csv)
    );

    let p = preview_object(
        &s3,
        "previews",
        "cut/truncated.gz",
        PreviewLimits {
            rows: 10_000,
            ..limits
        },
    )
    .await
    .expect("truncated, with rows");
    assert!(
        p.note.as_deref().unwrap_or_default().contains("truncated"),
        "{:?}",
        p.note
    );
    assert!(!p.table.rows.is_empty());
    let err = preview_object(&s3, "previews", "cut/header-only.gz", limits)
        .await
        .expect_err("truncated, nothing readable");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(
        err.to_string()
            .contains("ends before the compressed data does"),
        "{err}"
    );

    let err = preview_object(&s3, "previews", "nope.csv", limits)
        .await
        .expect_err("missing");
    assert_eq!(err.code(), ErrorCode::NotFound);

    // Alarm descriptions with quoted commas and quotes, a quoted line break, CRLF: a table
    // with its header, not one column of text.
    let alarms = "machineRef,description,value\r\n1013,\"Door open, cycle stopped\",1\r\n1014,\"Said \"\"stop\"\"\",0\r\n1015,\"Two\r\nlines\",1\r\n";
    put(
        &s3,
        "previews",
        "alarms/quoted.csv.gz",
        gzip(alarms.as_bytes()),
    )
    .await;
    let p = preview_object(&s3, "previews", "alarms/quoted.csv.gz", limits)
        .await
        .expect("quoted csv");
    assert_eq!(p.content, ContentKind::Csv);
    assert_eq!(p.table.column_source, ColumnSource::HeaderRow);
    assert_eq!(p.table.columns, vec!["machineRef", "description", "value"]);
    assert_eq!(p.table.rows[0][1], "Door open, cycle stopped");
    assert_eq!(p.table.rows[1][1], "Said \"stop\"");
    assert_eq!(p.table.rows.len(), 3);
}

#[tokio::test]
async fn a_large_object_costs_only_what_the_preview_needs() {
    let moto = Moto::start();
    let s3 = new_bucket(&moto.endpoint, "big").await;
    let csv = mm_csv(11, 200_000); // ~28 MB
    let size = csv.len();
    put(&s3, "big", "big.csv", csv.into_bytes()).await;
    let p = preview_object(&s3, "big", "big.csv", PreviewLimits::default())
        .await
        .expect("preview");
    assert_eq!(p.table.rows.len(), 100);
    assert!(
        p.bytes_read < 2.0 * 1024.0 * 1024.0,
        "read {} of {size} bytes",
        p.bytes_read
    );

    // A gzip bomb: 200 MB of one repeated line in ~200 KB; the output budget stops it.
    let bomb = gzip(&vec![b'a'; 200 << 20]);
    put(&s3, "big", "bomb.gz", bomb).await;
    let p = preview_object(&s3, "big", "bomb.gz", PreviewLimits::default())
        .await
        .expect("bomb");
    assert!(
        p.note.as_deref().unwrap_or_default().contains("budget"),
        "{:?}",
        p.note
    );
}
