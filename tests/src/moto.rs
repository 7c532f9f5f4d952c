//! A moto server (the local AWS emulator) on a free loopback port, one per test binary or
//! per test that needs server-wide settings such as IAM enforcement.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::process::{free_port, serve, Guarded};

pub struct Moto {
    pub endpoint: String,
    /// Where moto's request recorder writes, for a server started with [`Moto::recording`].
    recording: Option<(tempfile::TempDir, PathBuf)>,
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
        Self::start_with(&[])
    }

    /// A server whose request recorder writes to a file of its own: call
    /// [`Moto::start_recording`] once the setup is done, then read [`Moto::recorded`].
    pub fn recording() -> Self {
        let dir = tempfile::tempdir().expect("recording dir");
        let path = dir.path().join("moto-recording");
        let mut moto =
            Self::start_with(&[("MOTO_RECORDER_FILEPATH", path.to_str().expect("utf8 path"))]);
        moto.recording = Some((dir, path));
        moto
    }

    /// A server with these environment variables (e.g. moto's request recorder file).
    pub fn start_with(env: &[(&str, &str)]) -> Self {
        let exe = moto_server_path();
        assert!(
            exe.exists(),
            "moto_server not found at {} — run `make test` (it creates the venv)",
            exe.display()
        );
        let port = free_port();
        let mut cmd = Command::new(&exe);
        cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .envs(env.iter().copied())
            .stderr(Stdio::null());
        let process = serve("moto", cmd, port, Duration::from_secs(30));
        Self {
            endpoint: format!("http://127.0.0.1:{port}"),
            recording: None,
            _process: process,
        }
    }
}

impl Moto {
    /// Turns on IAM enforcement for this server (after the users, policies and keys a test
    /// needs exist). Server-wide, so tests that use it start their own `Moto`.
    pub fn enforce_iam(&self) {
        use std::io::{Read, Write};
        let addr = self.endpoint.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(addr).expect("connect to moto");
        let request = format!(
            "POST /moto-api/reset-auth HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 1\r\nConnection: close\r\n\r\n0"
        );
        stream
            .write_all(request.as_bytes())
            .expect("send reset-auth");
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .expect("read reset-auth");
        assert!(
            response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200"),
            "moto refused reset-auth: {response}"
        );
    }
}

impl Moto {
    /// Starts moto's request recorder (on a server from [`Moto::recording`]).
    pub fn start_recording(&self) {
        self.post("/moto-api/recorder/start-recording");
    }

    /// The requests the recorder wrote: (action, decoded body, headers as one lowercase text).
    pub fn recorded(&self) -> Vec<(String, String, String)> {
        use base64::Engine;
        let path = &self
            .recording
            .as_ref()
            .expect("a server from Moto::recording")
            .1;
        let text = std::fs::read_to_string(path).unwrap_or_default();
        text.lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .map(|entry| {
                let raw = entry["body"].as_str().unwrap_or_default();
                let body = if entry["body_encoded"] == true {
                    base64::engine::general_purpose::STANDARD
                        .decode(raw)
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                        .unwrap_or_default()
                } else {
                    raw.to_string()
                };
                let action = body
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("Action="))
                    .unwrap_or_default()
                    .to_string();
                (action, body, entry["headers"].to_string().to_lowercase())
            })
            .collect()
    }

    fn post(&self, path: &str) -> String {
        let response = crate::process::http(&self.endpoint, "POST", path);
        assert!(response.starts_with("HTTP/1.1 200"), "moto: {response}");
        response
    }
}
