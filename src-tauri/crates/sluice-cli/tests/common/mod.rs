//! What the emulator-backed CLI suites share: run `sluice` as a user would (clean
//! environment, private HOME, every call to the emulator) and insist that it succeeded.

use std::process::Output;

#[allow(dead_code)] // the IaC suite runs `sluice` with the keyring, through its own helper
pub fn sluice(args: &[&str], endpoint: &str, home: &std::path::Path) -> Output {
    sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home)
        .args(args)
        .envs(sluice_e2e::emulator_env(endpoint))
        .output()
        .expect("run sluice")
}

/// Standard output of a run that must have succeeded (else everything it printed).
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The range arguments for the MachineMetrics test bucket (`mm-data`, `timeseries/`) on
/// 2020-09-21, from 10:00 to the hour `to` (e.g. `"2020-09-21T14"`).
#[allow(dead_code)] // the report and Athena suites use it; the other suites share this module
pub fn mm_range(to: &str) -> Vec<&str> {
    vec![
        "--bucket",
        "mm-data",
        "--prefix",
        "timeseries/",
        "--from",
        "2020-09-21T10",
        "--to",
        to,
    ]
}
