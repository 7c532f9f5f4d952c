//! IAM Identity Center sign-in without the AWS CLI: the OAuth device flow against SSO OIDC,
//! the portal's accounts and roles, and a role's credentials as the source identity.
//!
//! `clients` builds the two unsigned SDK clients (the SDK's `AWS_ENDPOINT_URL_SSO_OIDC` and
//! `AWS_ENDPOINT_URL_SSO` point them elsewhere), `device` is the pure polling decision,
//! `saved` is the sign-in's section of the settings file and its keyring entries, `portal`
//! lists accounts and roles and fetches role credentials, `provider` renews them for the SDK,
//! `tokens` keeps the token fresh and the registration reused, `aws_cli_cache` shares the
//! sign-in with the AWS CLI when asked, and `facade` is the `impl Sluice` the app and the
//! CLI call.

pub mod aws_cli_cache;
pub mod clients;
pub mod device;
pub mod facade;
pub mod portal;
pub mod provider;
pub mod saved;
pub mod tokens;

pub use device::DeviceCode;
pub use facade::{SsoState, SsoStatus};
pub use portal::SsoAccount;
