//! Objects for browse tests: MachineMetrics-style CSV, gzip, hive partitions, bulk puts.

use std::io::Write;

use aws_sdk_s3::primitives::ByteStream;

/// `n` MachineMetrics CSV lines (no header), starting at the given hour.
pub fn mm_csv(hour: u32, n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "2020-09-21 {hour:02}:{:02}:{:02}.000,2020-09-21 {hour:02}:{:02}:{:02}.500,37326c68-f123-46fb-34fa-0d468f673100,{},Sample,LOAD,X1load,{},,,,\n",
                (i / 60) % 60,
                i % 60,
                (i / 60) % 60,
                i % 60,
                1013 + i % 3,
                i % 120
            )
        })
        .collect()
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

pub async fn put(s3: &aws_sdk_s3::Client, bucket: &str, key: &str, body: Vec<u8>) {
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(body))
        .send()
        .await
        .unwrap_or_else(|e| panic!("put {key}: {e:?}"));
}

/// Puts many small objects, a few requests at a time.
pub async fn put_many(s3: &aws_sdk_s3::Client, bucket: &str, keys: Vec<String>) {
    let mut set = tokio::task::JoinSet::new();
    for chunk in keys.chunks(keys.len().div_ceil(8).max(1)) {
        let s3 = s3.clone();
        let bucket = bucket.to_string();
        let chunk = chunk.to_vec();
        set.spawn(async move {
            for key in chunk {
                put(&s3, &bucket, &key, b"x".to_vec()).await;
            }
        });
    }
    while let Some(r) = set.join_next().await {
        r.expect("put task");
    }
}

/// A new bucket on the emulator, and an admin S3 client for it.
pub async fn new_bucket(endpoint: &str, name: &str) -> aws_sdk_s3::Client {
    let s3 = crate::vendor::admin_clients(endpoint).await.s3();
    s3.create_bucket()
        .bucket(name)
        .send()
        .await
        .expect("bucket");
    s3
}

/// `n` MachineMetrics rows (no header) for one hour of 2020-09 on `machines` in turn, the
/// event times rising through the hour.
pub fn mm_hour(day: u32, hour: u32, n: usize, machines: &[u32]) -> String {
    (0..n)
        .map(|i| {
            let (m, s) = ((i * 7 / 60) % 60, (i * 7) % 60);
            format!(
                "2020-09-{day:02} {hour:02}:{m:02}:{s:02}.000,2020-09-{day:02} {hour:02}:{m:02}:{s:02}.400,37326c68-f123-46fb-34fa-0d468f673100,{},Sample,{},{},{},,,,\n",
                machines[i % machines.len()],
                if i % 2 == 0 { "LOAD" } else { "SPEED" },
                if i % 2 == 0 { "X1load" } else { "S1speed" },
                i % 97
            )
        })
        .collect()
}

/// The hive partition key of one MachineMetrics delivery file.
pub fn mm_key(prefix: &str, day: u32, hour: u32, n: u32) -> String {
    format!(
        "{prefix}year=2020/month=09/day={day:02}/hour={hour:02}/company-2-2020-09-{day:02}-{hour:02}-{:02}-00-{n:04}.gz",
        n % 60
    )
}
