//! Publishing to Kinesis, as DataMiner's producer connector does: offload files (Data,
//! DataAvg, Alarm CSV) become the seed's JSON records, or custom PutRecords-shaped files go
//! as they are, in PutRecords batches with partial-failure retry, statistics and an events
//! log. A ledger in the app's data folder remembers what each stream accepted, so a stopped
//! run resumes without sending a record twice.
//!
//! `dataminer` converts rows, `source` reads files, `batch` cuts calls, `send` retries,
//! `ledger` resumes, `run` ties them together, `facade` offers it to the app and the CLI.

pub mod batch;
pub mod dataminer;
pub mod facade;
pub mod ledger;
pub mod run;
pub mod send;
pub mod source;
