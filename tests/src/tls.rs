//! A TLS front for moto (`tests/tls/front.py`) on a free loopback port, with a certificate
//! from a private root CA — what an endpoint looks like behind a corporate TLS-inspecting
//! proxy. The root is written to [`TlsFront::ca`] for a test to put in the trust store.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::process::{free_port, serve, Guarded};

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
        let mut cmd = Command::new(crate::repo_root().join(".venv/bin/python"));
        cmd.arg(crate::repo_root().join("tests/tls/front.py"))
            .arg(dir.path())
            .arg(port.to_string())
            .arg(upstream_port.to_string())
            .stderr(Stdio::inherit());
        let process = serve("tls-front", cmd, port, Duration::from_secs(20));
        Self {
            endpoint: format!("https://127.0.0.1:{port}"),
            ca: dir.path().join("ca.pem"),
            _dir: dir,
            _process: process,
        }
    }
}
