//! A TLS front for moto (`tests/tls/front.py`) on a free loopback port, with a certificate
//! from a private root CA — what an endpoint looks like behind a corporate TLS-inspecting
//! proxy. The root is written to [`TlsFront::ca`] for a test to put in the trust store.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::process::{free_port, wait_for_port, Guarded};

pub struct TlsFront {
    /// `https://127.0.0.1:<port>`.
    pub endpoint: String,
    /// The private root CA (PEM).
    pub ca: PathBuf,
    _dir: tempfile::TempDir,
    _process: Guarded,
}

impl TlsFront {
    /// Serves HTTPS in front of the plain-HTTP `upstream` (`http://127.0.0.1:<port>`).
    pub fn start(upstream: &str) -> Self {
        let upstream_port = upstream
            .rsplit(':')
            .next()
            .and_then(|p| p.trim_end_matches('/').parse::<u16>().ok())
            .expect("upstream port");
        let dir = tempfile::tempdir().expect("dir");
        let port = free_port();
        let child = Command::new(crate::repo_root().join(".venv/bin/python"))
            .arg(crate::repo_root().join("tests/tls/front.py"))
            .arg(dir.path())
            .arg(port.to_string())
            .arg(upstream_port.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the TLS front");
        let mut process = Guarded::new("tls-front", child);
        let up = wait_for_port(port, Duration::from_secs(20));
        process.check_alive().expect("TLS front running");
        assert!(up, "the TLS front did not listen on 127.0.0.1:{port}");
        Self {
            endpoint: format!("https://127.0.0.1:{port}"),
            ca: dir.path().join("ca.pem"),
            _dir: dir,
            _process: process,
        }
    }
}
