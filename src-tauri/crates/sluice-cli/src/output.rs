//! Printing results and errors, as aligned text for people or JSON for scripts.

use std::process::ExitCode;

use serde::Serialize;
use sluice_core::{CoreError, ErrorCode};

pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// Prints one record: `value` as JSON, or `rows` as aligned `Label: value` lines.
    pub fn record<T: Serialize>(&self, value: &T, rows: &[(&str, &str)]) {
        if self.json {
            match serde_json::to_string_pretty(value) {
                Ok(text) => println!("{text}"),
                Err(e) => eprintln!("error: cannot encode the result as JSON: {e}"),
            }
            return;
        }
        let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 1;
        for (label, value) in rows {
            println!("{:<width$} {value}", format!("{label}:"));
        }
    }

    /// Reports `err` and returns the exit code for it.
    pub fn error(&self, err: &CoreError) -> ExitCode {
        let code = err.code();
        eprintln!("error: {err}");
        if self.json {
            let body = serde_json::json!({
                "error": { "kind": code.as_str(), "message": err.to_string() }
            });
            println!("{body}");
        }
        exit_code(code)
    }
}

/// 2 for anything the user typed wrong, 1 for everything else that failed.
pub fn exit_code(code: ErrorCode) -> ExitCode {
    match code {
        ErrorCode::InvalidInput | ErrorCode::Settings => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
}
