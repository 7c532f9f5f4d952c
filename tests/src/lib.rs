//! Shared harness for Sluice's end-to-end suites: real parts, started per test binary.
//!
//! - [`moto::Moto`]: a moto server on a free loopback port (the AWS emulator).
//! - [`kinesalite::Kinesalite`]: a second Kinesis, for the stream and publish suites.
//! - [`sso::SsoStandIn`]: IAM Identity Center's sign-in and portal APIs, for SSO tests.
//! - [`vendor::VendorWorld`]: a vendor's role, bucket and stream plus a customer user.
//! - [`tls::TlsFront`]: HTTPS in front of moto with a private root CA (TLS inspection).
//! - [`proxy::ForwardProxy`]: a loopback forward proxy that records what it was asked for.
//! - [`desktop`]: tauri-driver + WebKitWebDriver driving the real built app window.
//!
//! Every process started here is stopped on drop, and its pid is also written to
//! `$SLUICE_PID_DIR` (when set) so the test script can stop it even after a crash.

pub mod desktop;
pub mod kinesalite;
pub mod measure;
pub mod moto;
pub mod objects;
pub mod process;
pub mod proxy;
pub mod setup_fixtures;
pub mod sso;
pub mod tls;
pub mod vendor;

use std::path::PathBuf;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs a Python `script` with `args` in the test venv (where the reference libraries live:
/// boto3, aws-kinesis-agg) and returns what it printed; panics with its stderr if it failed.
pub fn venv_python(script: &str, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new(repo_root().join(".venv/bin/python"))
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("the test venv's python (make test creates it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The folder holding the workspace's built binaries (next to this test executable).
pub fn target_bin_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // target/<profile>/deps/<test-binary>
    exe.parent()
        .and_then(|deps| deps.parent())
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// A core context on the emulator with an in-memory secret store and settings in `dir`.
pub fn core_on(endpoint: &str, dir: &std::path::Path) -> sluice_core::Sluice {
    sluice_core::Sluice::new(
        sluice_core::settings::SettingsStore::at(dir.join("settings.json")),
        std::sync::Arc::new(sluice_core::secrets::MemoryStore::default()),
        sluice_core::context::AwsOverrides {
            endpoint_url: Some(endpoint.to_string()),
            region: Some("us-east-1".into()),
            profile: None,
            imds: false,
        },
    )
}

/// A core context on the emulator acting with one access key (its secret in memory).
pub fn core_as(
    endpoint: &str,
    dir: &std::path::Path,
    key_id: &str,
    secret: &str,
) -> sluice_core::Sluice {
    let s = core_on(endpoint, dir);
    s.set_source(sluice_core::identity::SourceUpdate {
        source: sluice_core::identity::SourceIdentity::AccessKey {
            access_key_id: key_id.into(),
        },
        region: Some("us-east-1".into()),
        secret_access_key: Some(sluice_core::sensitive::SecretString::from(
            secret.to_string(),
        )),
        mfa_serial: None,
    })
    .expect("an access key source");
    s
}

/// A core context acting as the emulator admin ([`vendor::ADMIN_KEY_ID`]).
pub fn admin_core(endpoint: &str, dir: &std::path::Path) -> sluice_core::Sluice {
    core_as(endpoint, dir, vendor::ADMIN_KEY_ID, vendor::ADMIN_SECRET)
}

/// `exe` with a clean environment: a private HOME and settings folder, no instance metadata,
/// nothing else from the test's own environment.
pub fn clean_command(exe: &str, home: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(exe);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("SLUICE_CONFIG_DIR", home.join("config"))
        .env("AWS_EC2_METADATA_DISABLED", "true");
    cmd
}

/// Environment for a child process that must talk to `endpoint` with emulator credentials only.
pub fn emulator_env(endpoint: &str) -> Vec<(String, String)> {
    [
        ("AWS_ENDPOINT_URL", endpoint),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Runs `cmd` with the desktop session's D-Bus (for the keyring) and `stdin` as its input,
/// capturing its output.
pub fn run_with_stdin(mut cmd: std::process::Command, stdin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    for var in ["DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"] {
        if let Some(v) = std::env::var_os(var) {
            cmd.env(var, v);
        }
    }
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run the command");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("wait")
}
