//! Tauri commands, one file per feature. Each is a one-liner over `sluice-core`.

pub mod athena;
pub mod browse;
pub mod code;
pub mod connections;
pub mod desktop;
pub mod identity;
pub mod network;
pub mod policy;
pub mod publish;
pub mod reports;
pub mod setup;
pub mod streams;
pub mod tools;
