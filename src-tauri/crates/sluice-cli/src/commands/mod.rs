//! One folder per feature, shaped like the core: `args.rs` its clap grammar, `mod.rs` its
//! handler (parse nothing, decide nothing — call the core), `print.rs` its output. What
//! every feature shares is here: the [`Outcome`] of a command, the check marks, reading a
//! secret from stdin, and the two-stage Ctrl-C.

pub mod athena;
pub mod audit;
pub mod connection;
pub mod identity;
pub mod policy;
pub mod proxy;
pub mod report;
pub mod s3;
pub mod sink;
pub mod sso;
pub mod stream;

use std::io::Read;

use sluice_core::connections::verify::CheckStatus;
use sluice_core::CoreError;

/// What a command reports beyond success: a failed check means exit code 1.
pub enum Outcome {
    Done,
    CheckFailed,
}

pub(crate) fn read_stdin(what: &str) -> Result<String, CoreError> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| CoreError::invalid(what, format!("cannot read standard input: {e}")))?;
    Ok(text.trim_end_matches(['\r', '\n']).to_string())
}

/// Whether standard input is a terminal a person can type at.
pub fn is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal()
}

/// Asks on stderr and reads one line from the terminal (a short-lived code, not echoed
/// anywhere else).
pub fn prompt_secret(question: &str) -> Result<String, CoreError> {
    use std::io::{BufRead, Write};
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CoreError::invalid("MFA code", format!("cannot read the terminal: {e}")))?;
    Ok(line.trim().to_string())
}

/// The mark of a connection check.
pub fn symbol(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Passed => "✓",
        CheckStatus::Failed => "✗",
        CheckStatus::Skipped => "–",
    }
}

/// The mark of a setup step or an audit check.
pub fn mark(passed: bool) -> &'static str {
    if passed {
        "✓"
    } else {
        "✗"
    }
}

/// Ctrl-C once: says `what_happens` and calls `stop` (cancel the job, which cleans up);
/// Ctrl-C again: quits at once with the shell's 130.
pub fn on_ctrl_c(what_happens: &'static str, stop: impl FnOnce() + Send + 'static) {
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("{what_happens}");
            stop();
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
}
