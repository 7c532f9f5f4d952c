//! Reports for managers: a date range × machines over hourly partitions → one clean CSV (or
//! an Excel workbook), with a plan before anything is downloaded and a coverage table after.
//!
//! `spec` is the definition, `plan` the partition-pruned listing, `rows` one object's
//! decode-filter-encode, `output` the file formats, `sort` the bounded-memory sort by event
//! time, `coverage` rows per hour per machine, `run` the pipeline, `saved` stored definitions.

pub mod coverage;
pub mod facade;
pub mod output;
pub mod plan;
pub mod rows;
pub mod run;
pub mod saved;
pub mod sort;
pub mod spec;
