//! Printing for every command: a record, a message or an error, as aligned text for people
//! or JSON for scripts, and the exit code an error gives. Each feature prints its own
//! results in `commands/<feature>/print.rs`.

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

    pub(crate) fn print_json<T: Serialize>(&self, value: &T) {
        match serde_json::to_string_pretty(value) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("error: cannot encode the result as JSON: {e}"),
        }
    }

    /// Prints one record: `value` as JSON, or `rows` as aligned `Label: value` lines.
    pub fn record<T: Serialize>(&self, value: &T, rows: &[(&str, &str)]) {
        if self.json {
            return self.print_json(value);
        }
        let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 1;
        for (label, value) in rows {
            println!("{:<width$} {value}", format!("{label}:"));
        }
    }

    /// `value` as JSON, or one line of text.
    pub fn message<T: Serialize>(&self, value: &T, text: &str) {
        if self.json {
            self.print_json(value)
        } else {
            println!("{text}");
        }
    }

    pub fn is_json(&self) -> bool {
        self.json
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
