//! What the IaC suites share: run `sluice` with the real keyring, write what it printed to a
//! file, and hand files to the project venv's checkers (iac_check.py, cfn-lint) and to
//! checkov, whose findings must be ones Sluice's design accepts
//! (`tests/iac/checkov-accepted.txt`).
// Each suite uses part of the kit.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    sluice_e2e::repo_root()
}

pub fn said(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `sluice` on the emulator with the real keyring (the writer's secret goes there).
pub fn sluice(args: &[&str], endpoint: &str, home: &Path, stdin: Option<&str>) -> Output {
    let mut cmd = sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home);
    cmd.args(args).envs(sluice_e2e::emulator_env(endpoint)).env(
        "SLUICE_KEYRING_SERVICE",
        format!("sluice-iac-test-{}", std::process::id()),
    );
    sluice_e2e::run_with_stdin(cmd, stdin)
}

/// Runs `sluice` and writes what it printed to `dir/name`.
pub fn export(args: &[&str], endpoint: &str, home: &Path, dir: &Path, name: &str) -> PathBuf {
    let out = sluice(args, endpoint, home, None);
    let text = crate::common::ok(&out);
    assert!(
        !text.contains("sluicevar"),
        "a marker left in {name}: {text}"
    );
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the export");
    path
}

pub fn python(args: &[&str]) -> Output {
    Command::new(root().join(".venv/bin/python"))
        .arg(root().join("tests/iac/iac_check.py"))
        .args(args)
        .output()
        .expect("run iac_check.py (make test creates the venv)")
}

pub fn agrees(args: &[&str]) -> String {
    let out = python(args);
    let text = said(&out);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("DIFF"), "{text}");
    text
}

/// cfn-lint: no error (exit code bit 2) and no warning (bit 4) on any template.
pub fn cfn_lint(files: &[PathBuf]) {
    let out = Command::new(root().join(".venv/bin/cfn-lint"))
        .args(files)
        .output()
        .expect("run cfn-lint");
    assert!(out.status.success(), "cfn-lint: {}", said(&out));
}

/// checkov over a folder: every failed check must be one the design accepts on purpose.
pub fn checkov(dir: &Path) -> Vec<String> {
    let accepted: Vec<String> =
        std::fs::read_to_string(root().join("tests/iac/checkov-accepted.txt"))
            .expect("accepted list")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split('\t').next().map(str::to_string))
            .collect();
    let out = Command::new(root().join(".venv-checkov/bin/checkov"))
        .args(["--quiet", "--compact", "-o", "json", "-d"])
        .arg(dir)
        .env("BC_SKIP_MAPPING", "TRUE")
        .env("CHECKOV_RUN_SCA_PACKAGE_SCAN_V2", "false")
        .output()
        .expect("run checkov (make test creates .venv-checkov)");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("checkov json: {e}\n{}", said(&out)));
    let runs = match report {
        serde_json::Value::Array(runs) => runs,
        one => vec![one],
    };
    let mut failed = Vec::new();
    let mut passed = 0;
    for run in &runs {
        passed += run["summary"]["passed"].as_u64().unwrap_or(0);
        for f in run["results"]["failed_checks"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let id = f["check_id"].as_str().unwrap_or_default().to_string();
            assert!(
                accepted.contains(&id),
                "checkov {id} ({}) on {} in {} is not accepted by Sluice's design",
                f["check_name"],
                f["resource"],
                f["file_path"]
            );
            failed.push(id);
        }
    }
    assert!(passed > 0, "checkov checked nothing: {}", said(&out));
    failed
}

pub fn kms_key(endpoint: &str) -> String {
    let out = Command::new(root().join(".venv/bin/python"))
        .args([
            "-c",
            "import boto3,sys; print(boto3.client('kms', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing').create_key()['KeyMetadata']['Arn'])",
            endpoint,
        ])
        .output()
        .expect("create a KMS key");
    assert!(out.status.success(), "{}", said(&out));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

pub fn keyring_session() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "no D-Bus session: run through `make test` (it starts dbus + gnome-keyring)"
    );
}
