//! kinesalite (npm, in memory) on a free loopback port: a Kinesis written by other people on
//! another codebase, so the stream and publish suites do not prove Sluice against one
//! emulator's quirks. Streams become ACTIVE at once (`--createStreamMs 0` and friends), as
//! moto's do; the suites still wait for ACTIVE, as a caller of real Kinesis must. It listens
//! on 127.0.0.1 only (`tests/kinesalite/serve.js`).

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::process::{free_port, serve, Guarded};

pub struct Kinesalite {
    pub endpoint: String,
    _process: Guarded,
}

/// The launcher beside the copy `make test` installs under `tests/kinesalite`.
pub fn kinesalite_path() -> PathBuf {
    crate::repo_root().join("tests/kinesalite/serve.js")
}

impl Kinesalite {
    pub fn start() -> Self {
        let script = kinesalite_path();
        let installed = crate::repo_root().join("tests/kinesalite/node_modules/kinesalite");
        assert!(
            installed.exists(),
            "kinesalite not found at {} — run `make test` (it installs it)",
            installed.display()
        );
        let port = free_port();
        let mut cmd = Command::new("node");
        cmd.arg(&script).arg(port.to_string()).stderr(Stdio::null());
        let process = serve("kinesalite", cmd, port, Duration::from_secs(30));
        Self {
            endpoint: format!("http://127.0.0.1:{port}"),
            _process: process,
        }
    }
}

/// The Kinesis a suite runs against: moto (which also emulates IAM, S3 and STS) or
/// kinesalite (Kinesis alone).
pub enum KinesisEmulator {
    Moto(crate::moto::Moto),
    Kinesalite(Kinesalite),
}

impl KinesisEmulator {
    pub fn moto() -> Self {
        Self::Moto(crate::moto::Moto::start())
    }

    pub fn kinesalite() -> Self {
        Self::Kinesalite(Kinesalite::start())
    }

    pub fn endpoint(&self) -> &str {
        match self {
            Self::Moto(m) => &m.endpoint,
            Self::Kinesalite(k) => &k.endpoint,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::Moto(_) => "moto",
            Self::Kinesalite(_) => "kinesalite",
        }
    }

    /// A Kinesis client on this emulator with the suites' admin key.
    pub async fn kinesis(&self) -> aws_sdk_kinesis::Client {
        crate::vendor::admin_clients(self.endpoint())
            .await
            .kinesis()
    }
}

/// Waits (bounded, 10 s) until `stream` is ACTIVE, as a caller of real Kinesis must after
/// CreateStream, SplitShard or MergeShards.
pub async fn wait_active(kinesis: &aws_sdk_kinesis::Client, stream: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let status = kinesis
            .describe_stream_summary()
            .stream_name(stream)
            .send()
            .await
            .ok()
            .and_then(|o| {
                o.stream_description_summary()
                    .map(|d| d.stream_status().clone())
            });
        if status == Some(aws_sdk_kinesis::types::StreamStatus::Active) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{stream} not ACTIVE within 10 s ({status:?})"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
