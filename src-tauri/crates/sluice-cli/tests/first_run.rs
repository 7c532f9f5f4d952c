//! A first run on a laptop with no AWS credentials: one line on stderr, no EC2 instance
//! metadata probe unless asked for (`--imds`), and `-v` shows what happened.
//!
//! A local listener stands in for the metadata service (`AWS_EC2_METADATA_SERVICE_ENDPOINT`)
//! and counts the connections it gets.

use std::net::TcpListener;
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A metadata endpoint that accepts and drops every connection, counting them.
struct FakeImds {
    url: String,
    hits: Arc<AtomicUsize>,
}

impl FakeImds {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        std::thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(60);
            while Instant::now() < until {
                match listener.accept() {
                    Ok((stream, _)) => {
                        counter.fetch_add(1, Ordering::SeqCst);
                        drop(stream);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Self { url, hits }
    }
}

fn whoami(imds: &FakeImds, extra: &[&str], home: &std::path::Path) -> Output {
    sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home)
        .env_remove("AWS_EC2_METADATA_DISABLED")
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url)
        .env("AWS_REGION", "us-east-1")
        .arg("whoami")
        .args(extra)
        .output()
        .expect("run sluice")
}

#[test]
fn no_credentials_is_one_quiet_line_without_a_metadata_probe() {
    let home = tempfile::tempdir().expect("home");
    let imds = FakeImds::start();
    let out = whoami(&imds, &[], home.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "error: No AWS credentials found: add an access key or choose a profile",
        "one line and nothing else"
    );
    assert_eq!(imds.hits.load(Ordering::SeqCst), 0, "IMDS was probed");
}

#[test]
fn imds_is_asked_only_when_opted_in_and_still_quiet() {
    let home = tempfile::tempdir().expect("home");
    let imds = FakeImds::start();
    let out = whoami(&imds, &["--imds"], home.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(imds.hits.load(Ordering::SeqCst) > 0, "IMDS was not asked");
}

#[test]
fn verbose_shows_the_credential_chain() {
    let home = tempfile::tempdir().expect("home");
    let imds = FakeImds::start();
    let out = whoami(&imds, &["-vv"], home.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.lines().count() > 1, "{stderr}");
    assert!(stderr.contains("Environment"), "{stderr}");
    assert!(stderr.trim_end().ends_with("choose a profile"), "{stderr}");
    assert_eq!(imds.hits.load(Ordering::SeqCst), 0, "IMDS was probed");
}
