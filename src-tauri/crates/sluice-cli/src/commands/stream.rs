//! `sluice stream decode`: records pasted from the vendors' CLI instructions, through the
//! same decode chain the app uses.

use sluice_core::decode::{self, paste};
use sluice_core::CoreError;

use super::connection::{read_stdin, Outcome};
use crate::cli::StreamCommand;
use crate::output::Output;

pub fn run(out: &Output, cmd: &StreamCommand) -> Result<Outcome, CoreError> {
    let StreamCommand::Decode { input } = cmd;
    let text = if input == "-" {
        read_stdin("records")?
    } else {
        std::fs::read_to_string(input)
            .map_err(|e| CoreError::invalid("records file", format!("{input}: {e}")))?
    };
    let rows: Vec<_> = paste::parse(&text)?
        .iter()
        .flat_map(|(source, data)| decode::decode(source, data))
        .collect();
    out.records(&rows);
    Ok(Outcome::Done)
}
