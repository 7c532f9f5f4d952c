//! Destination setup for admins: a secure bucket, an IAM writer user with the sink-writer
//! policy, its access key in the keyring, a validation write with that key, rotation and
//! teardown — the Stream Machine export steps (seed `streammachine-s3-export.txt`) with the
//! emnify S3 security guidelines.
//!
//! Plan first (`plan`: pure data from the spec and what already exists), then apply step
//! by step (`apply`), recording what Sluice created (`record`) so a re-run adopts instead of
//! duplicating, a failed run resumes, and teardown undoes exactly that.

pub mod apply;
pub mod credentials;
pub mod design;
pub mod observe;
pub mod plan;
pub mod record;
pub mod spec;
pub mod teardown;
pub mod validate;

pub use plan::{SetupPlan, Step, StepState};
pub use spec::{Encryption, SinkSpec};
