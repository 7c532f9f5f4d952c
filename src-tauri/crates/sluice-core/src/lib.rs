//! Sluice's core: every piece of logic the desktop app and the `sluice` command line share.
//!
//! The core owns no global state. A [`Sluice`] context is built from a settings store, a
//! secret store and AWS overrides, so the app, the CLI and the tests all construct exactly
//! the same services. Nothing in here knows about Tauri.

pub mod arn;
pub mod athena;
pub mod audit;
pub mod aws;
pub mod connections;
pub mod context;
pub mod decode;
pub mod desktop;
pub mod error;
pub mod files;
pub mod handover;
pub mod handover_file;
pub mod iac;
pub mod identity;
pub mod jobs;
pub mod net;
pub mod platform;
pub mod policy;
pub mod repair;
pub mod report;
pub mod s3;
pub mod secrets;
pub mod sensitive;
pub mod settings;
pub mod setup;
pub mod streams;
pub mod validate;

pub use context::Sluice;
pub use error::{CoreError, ErrorCode};
pub use sensitive::Sensitive;
