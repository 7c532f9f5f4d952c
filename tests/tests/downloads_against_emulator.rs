//! Downloads against moto: hostile keys never escape the folder, colliding names stay apart,
//! cancel leaves no partial file, decompress names files for their content, and existing
//! files are skipped, kept beside, or replaced only as chosen.

use std::path::Path;
use std::sync::Arc;

use sluice_core::s3::download::{
    self, Cancel, Conflict, DownloadEvent, DownloadOptions, FileOutcome,
};
use sluice_core::s3::listing;
use sluice_e2e::moto::Moto;
use sluice_e2e::objects::{gzip, mm_csv, new_bucket, put};

fn files_under(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(root)
                        .expect("inside")
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out.sort();
    out
}

/// Downloads `items` from bucket "dls" into `dest`, without progress or cancel.
async fn fetch(
    s3: &aws_sdk_s3::Client,
    dest: &Path,
    items: Vec<download::DownloadItem>,
    conflict: Conflict,
    decompress: bool,
) -> sluice_core::error::Result<download::DownloadSummary> {
    download::run(
        s3,
        "dls",
        dest,
        items,
        options(conflict, decompress),
        Cancel::default(),
        Arc::new(|_| {}),
    )
    .await
}

fn options(conflict: Conflict, decompress: bool) -> DownloadOptions {
    DownloadOptions {
        conflict,
        decompress,
        concurrency: 3,
        written: Arc::default(),
    }
}

#[tokio::test]
async fn hostile_keys_never_escape_the_folder() {
    let moto = Moto::start();
    let s3 = new_bucket(&moto.endpoint, "hostile").await;
    let long = format!("in/{}.csv", "x".repeat(300));
    let keys = [
        "in/../../escape.txt",
        "in//double.txt",
        "in/CON",
        "in/aux.csv",
        "in/a:b?.txt",
        "in/a_b_.txt",
        "in/sub/",
        "in/sub/x.txt",
        long.as_str(),
        "in/ok.txt",
    ];
    for k in keys {
        put(&s3, "hostile", k, b"data".to_vec()).await;
    }
    let listed = listing::list_all(&s3, "hostile", "in/", |_| {})
        .await
        .expect("list");
    assert_eq!(listed.len(), keys.len(), "{listed:?}");

    let outer = tempfile::tempdir().expect("tempdir");
    let dest = outer.path().join("dest");
    let items = download::plan(
        &dest,
        "in/",
        &listed
            .iter()
            .map(|o| (o.key.clone(), o.size))
            .collect::<Vec<_>>(),
    );
    let summary = download::run(
        &s3,
        "hostile",
        &dest,
        items,
        options(Conflict::Skip, false),
        Cancel::default(),
        Arc::new(|_| {}),
    )
    .await
    .expect("download");
    assert_eq!(
        summary.written as usize,
        keys.len() - 1, // all but the folder marker "in/sub/"
        "{:?}",
        summary.outcomes
    );
    // Everything is inside dest, nothing next to it.
    assert_eq!(
        files_under(outer.path())
            .iter()
            .filter(|f| !f.starts_with("dest/"))
            .count(),
        0
    );
    let inside = files_under(&dest);
    assert!(
        inside.contains(&"__/__/escape.txt".to_string()),
        "{inside:?}"
    );
    assert!(
        inside.contains(&"_CON".to_string()) && inside.contains(&"_aux.csv".to_string()),
        "{inside:?}"
    );
    assert!(inside.iter().all(|f| !f.ends_with(".part")));
    // "a:b?.txt" and "a_b_.txt" clean up to the same name: both are kept, apart.
    assert!(
        inside.contains(&"a_b_.txt".to_string()) && inside.contains(&"a_b_~2.txt".to_string()),
        "{inside:?}"
    );
    assert!(inside.contains(&"sub/x.txt".to_string()), "{inside:?}");
}

#[tokio::test]
async fn cancel_leaves_no_partial_file_and_conflicts_are_honoured() {
    let moto = Moto::start();
    let s3 = new_bucket(&moto.endpoint, "dls").await;
    put(&s3, "dls", "big/large.csv", mm_csv(12, 60_000).into_bytes()).await;
    put(
        &s3,
        "dls",
        "mm/year=2020/month=09/day=21/hour=10/company-2020-09-21-10-40-01-uuid.gz",
        gzip(mm_csv(10, 50).as_bytes()),
    )
    .await;
    let dir = tempfile::tempdir().expect("tempdir");

    // Cancel as soon as bytes flow: no .part, no file.
    let cancel = Cancel::default();
    let on_bytes = cancel.clone();
    let items = download::plan(dir.path(), "big/", &[("big/large.csv".to_string(), 0.0)]);
    let summary = download::run(
        &s3,
        "dls",
        dir.path(),
        items,
        options(Conflict::Skip, false),
        cancel,
        Arc::new(move |e| {
            if matches!(e, DownloadEvent::Bytes { .. }) {
                on_bytes.cancel();
            }
        }),
    )
    .await
    .expect("run");
    assert!(summary.cancelled);
    assert_eq!(files_under(dir.path()), Vec::<String>::new());

    // Decompress on the fly: the .gz becomes a .csv with the original content.
    let key =
        "mm/year=2020/month=09/day=21/hour=10/company-2020-09-21-10-40-01-uuid.gz".to_string();
    let plan = |dest: &Path| download::plan(dest, "mm/", &[(key.clone(), 0.0)]);
    let s = fetch(&s3, dir.path(), plan(dir.path()), Conflict::Skip, true)
        .await
        .expect("decompress");
    assert_eq!(s.written, 1, "{:?}", s.outcomes);
    let csv_path = dir
        .path()
        .join("year=2020/month=09/day=21/hour=10/company-2020-09-21-10-40-01-uuid.csv");
    assert_eq!(
        std::fs::read_to_string(&csv_path).expect("csv"),
        mm_csv(10, 50)
    );

    // Existing files: skip keeps them, rename adds " (1)", overwrite replaces.
    let gz_path = dir
        .path()
        .join("year=2020/month=09/day=21/hour=10/company-2020-09-21-10-40-01-uuid.gz");
    std::fs::write(&gz_path, b"mine").expect("mine");
    let s = fetch(&s3, dir.path(), plan(dir.path()), Conflict::Skip, false)
        .await
        .expect("skip");
    assert_eq!(s.skipped, 1);
    assert_eq!(std::fs::read(&gz_path).expect("r"), b"mine");
    let s = fetch(&s3, dir.path(), plan(dir.path()), Conflict::Rename, false)
        .await
        .expect("rename");
    match &s.outcomes[0].1 {
        FileOutcome::Written { path } => assert!(
            path.ends_with("company-2020-09-21-10-40-01-uuid (1).gz"),
            "{path}"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read(&gz_path).expect("r"), b"mine");
    fetch(
        &s3,
        dir.path(),
        plan(dir.path()),
        Conflict::Overwrite,
        false,
    )
    .await
    .expect("overwrite");
    assert_eq!(
        std::fs::read(&gz_path).expect("r"),
        gzip(mm_csv(10, 50).as_bytes())
    );
    assert!(files_under(dir.path())
        .iter()
        .all(|f| !f.ends_with(".part")));
    // A file already named like a part file is never touched.
    let stray = dir
        .path()
        .join("year=2020/month=09/day=21/hour=10/company-2020-09-21-10-40-01-uuid.gz.part");
    std::fs::write(&stray, b"not ours").expect("stray");
    fetch(
        &s3,
        dir.path(),
        plan(dir.path()),
        Conflict::Overwrite,
        false,
    )
    .await
    .expect("again");
    assert_eq!(std::fs::read(&stray).expect("stray"), b"not ours");
}
