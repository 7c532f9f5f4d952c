//! The network: every AWS call Sluice makes goes through one kind of HTTP client, which
//! trusts the operating system's certificate store and goes through the proxy a corporate
//! laptop uses — the one set under Preferences, else the environment's, else the operating
//! system's. The network belongs to Rust: the webview makes no calls of its own.

pub mod client;
mod facade;
pub mod proxy;
pub mod system_proxy;

pub use facade::NetworkStatus;
