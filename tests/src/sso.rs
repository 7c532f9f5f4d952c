//! The IAM Identity Center stand-in (`tests/sso/standin.py`) on a free loopback port: the
//! OIDC and portal APIs the real SDK clients reach through `AWS_ENDPOINT_URL_SSO_OIDC` and
//! `AWS_ENDPOINT_URL_SSO`. Its role credentials are an IAM user's keys made in moto.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::process::{free_port, serve, Guarded};

pub struct SsoStandIn {
    pub endpoint: String,
    _process: Guarded,
}

impl SsoStandIn {
    /// Starts the stand-in; GetRoleCredentials hands out `key_id` / `secret`.
    pub fn start(key_id: &str, secret: &str) -> Self {
        let port = free_port();
        let mut cmd = Command::new(crate::repo_root().join(".venv/bin/python"));
        cmd.arg(crate::repo_root().join("tests/sso/standin.py"))
            .arg(port.to_string())
            .env("SSO_STANDIN_KEY_ID", key_id)
            .env("SSO_STANDIN_SECRET", secret)
            .stderr(Stdio::inherit());
        let process = serve("sso-standin", cmd, port, Duration::from_secs(20));
        Self {
            endpoint: format!("http://127.0.0.1:{port}"),
            _process: process,
        }
    }

    /// The SDK's per-service endpoint overrides that send sign-in here.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("AWS_ENDPOINT_URL_SSO_OIDC".into(), self.endpoint.clone()),
            ("AWS_ENDPOINT_URL_SSO".into(), self.endpoint.clone()),
        ]
    }

    /// How many registrations, device codes, polls, refreshes, logouts and credential
    /// requests the stand-in answered.
    pub fn stats(&self) -> serde_json::Value {
        let response = crate::process::http(&self.endpoint, "GET", "/_stats");
        let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
        serde_json::from_str(body).expect("stats JSON")
    }
}
