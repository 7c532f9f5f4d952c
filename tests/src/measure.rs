//! Measuring a child process the way the benchmarks report it: wall time, peak PSS (the
//! process's share of every page it maps, sampled from `/proc/PID/smaps_rollup`) and CPU
//! seconds. Linux only, as the benchmarks are.

use std::process::Command;
use std::time::{Duration, Instant};

/// CPU seconds (user + system) a process has used so far.
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// A process's PSS now, in KiB.
pub fn pss_kib(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    text.lines()
        .find(|l| l.starts_with("Pss:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
}

/// Wall time, peak PSS (KiB, sampled every 20 ms) and CPU seconds (as last sampled) of a
/// process, and whether it succeeded.
pub fn run_measured(mut cmd: Command) -> (Duration, u64, f64, bool) {
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn");
    let pid = child.id();
    let mut peak = 0u64;
    let mut cpu = 0.0f64;
    let ok = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.success();
        }
        peak = peak.max(pss_kib(pid).unwrap_or(0));
        cpu = cpu_seconds(pid).unwrap_or(cpu);
        std::thread::sleep(Duration::from_millis(20));
    };
    (start.elapsed(), peak, cpu, ok)
}
