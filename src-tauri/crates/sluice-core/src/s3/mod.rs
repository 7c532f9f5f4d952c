//! S3 browsing: listing by folder or by date partition, streaming previews, safe downloads.
//!
//! Everything streams: listings come page by page, previews read only as many bytes as the
//! first rows need (within a hard budget), downloads go to `.part` files renamed at the end.

pub mod browse;
pub mod download;
pub mod listing;
pub mod local_path;
pub mod names;
pub mod partitions;
pub mod preview;
pub mod security;
pub mod session;
pub mod uri;
