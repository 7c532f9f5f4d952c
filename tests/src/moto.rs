//! A moto server (the local AWS emulator) on a free loopback port, one per test binary or
//! per test that needs server-wide settings such as IAM enforcement.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::process::{free_port, wait_for_port, Guarded};

pub struct Moto {
    pub endpoint: String,
    _process: Guarded,
}

/// `$SLUICE_MOTO_SERVER`, else the project venv's `moto_server`.
pub fn moto_server_path() -> PathBuf {
    std::env::var_os("SLUICE_MOTO_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::repo_root().join(".venv/bin/moto_server"))
}

impl Moto {
    pub fn start() -> Self {
        let exe = moto_server_path();
        assert!(
            exe.exists(),
            "moto_server not found at {} — run `make test` (it creates the venv)",
            exe.display()
        );
        let port = free_port();
        let child = Command::new(&exe)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let mut process = Guarded::new("moto", child);
        let up = wait_for_port(port, Duration::from_secs(30));
        process.check_alive().expect("moto_server running");
        assert!(
            up,
            "moto_server did not listen on 127.0.0.1:{port} within 30 s"
        );
        Self {
            endpoint: format!("http://127.0.0.1:{port}"),
            _process: process,
        }
    }
}
