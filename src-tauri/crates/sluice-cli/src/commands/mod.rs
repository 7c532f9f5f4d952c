//! Subcommand handlers: parse nothing, decide nothing — call the core and print.

pub mod athena;
pub mod audit;
pub mod connection;
pub mod policy;
pub mod publish;
pub mod report;
pub mod s3;
pub mod sink;
pub mod stream;
