//! The source identity: where the credentials for AWS calls come from (the default chain,
//! a profile, or an access key whose secret is in the keyring), which account and principal
//! answer for them, and what the UI may see of it.
//!
//! `mfa` turns what needs an MFA code into a session, `mfa_role` assumes a profile's role
//! with `mfa_serial` itself (the SDK would leave the code out). `sso` signs in to IAM Identity Center. `source` is the saved choice and its section of the settings file, `profiles` lists the
//! shared AWS files' profiles for the picker, `pasted` reads temporary credentials pasted
//! from the portal or the CLI, `whoami` asks STS who answers,
//! and `facade` is the `impl Sluice` the app and the CLI call.

pub mod facade;
pub mod mfa;
pub mod mfa_role;
pub mod pasted;
pub mod profiles;
pub mod source;
pub mod sso;
pub mod whoami;

pub use facade::{SourceStatus, SourceUpdate};
pub use source::SourceIdentity;
pub use whoami::{whoami, CallerIdentity};
