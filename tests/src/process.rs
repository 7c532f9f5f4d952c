//! Child processes that are always stopped: SIGTERM first (so tauri-driver can stop its
//! WebKitWebDriver), then SIGKILL, on drop.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Guarded {
    name: &'static str,
    child: Child,
}

impl Guarded {
    pub fn new(name: &'static str, child: Child) -> Self {
        if let Some(dir) = std::env::var_os("SLUICE_PID_DIR") {
            let _ = std::fs::write(
                std::path::Path::new(&dir).join(format!("{name}-{}.pid", child.id())),
                child.id().to_string(),
            );
        }
        Self { name, child }
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Fails if the process has already exited (with its status).
    pub fn check_alive(&mut self) -> Result<(), String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Err(format!("{} exited early: {status}", self.name)),
            _ => Ok(()),
        }
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free TCP port on 127.0.0.1.
/// Starts `cmd` (no stdin, no stdout) as the server `name` and waits until it listens on
/// `port`; panics naming it when it dies or never listens within `timeout`.
pub fn serve(name: &'static str, mut cmd: Command, port: u16, timeout: Duration) -> Guarded {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {name}: {e}"));
    let mut process = Guarded::new(name, child);
    let up = wait_for_port(port, timeout);
    process
        .check_alive()
        .unwrap_or_else(|e| panic!("{name} is not running: {e}"));
    assert!(
        up,
        "{name} did not listen on 127.0.0.1:{port} within {} s",
        timeout.as_secs()
    );
    process
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Waits until something accepts TCP connections on `127.0.0.1:port`.
pub fn wait_for_port(port: u16, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// `pid` and every process below it, from `/proc/<pid>/task/<pid>/children`.
pub fn descendants(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut queue = vec![pid];
    while let Some(p) = queue.pop() {
        out.push(p);
        if let Ok(children) = std::fs::read_to_string(format!("/proc/{p}/task/{p}/children")) {
            queue.extend(
                children
                    .split_whitespace()
                    .filter_map(|c| c.parse::<u32>().ok()),
            );
        }
    }
    out
}

/// The environment a running process started with (`/proc/<pid>/environ`).
pub fn environment(pid: u32) -> Vec<(String, String)> {
    std::fs::read(format!("/proc/{pid}/environ"))
        .unwrap_or_default()
        .split(|b| *b == 0)
        .filter_map(|kv| {
            let kv = String::from_utf8_lossy(kv);
            kv.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect()
}

/// One plain HTTP/1.1 request with an empty body to `endpoint` (`http://127.0.0.1:PORT`),
/// for the test servers' control APIs; returns the whole response.
pub fn http(endpoint: &str, method: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let addr = endpoint.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect to the test server");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}
