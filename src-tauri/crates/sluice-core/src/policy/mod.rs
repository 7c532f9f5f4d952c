//! The policy studio: one place writes every IAM policy Sluice produces, lints any policy
//! an admin pastes, and applies a policy where it belongs after showing the difference.
//!
//! Pure planning first (`templates`, `lint`, `diff`), then effects (`apply`), then a report
//! the UI and the CLI both render. `studio` is the `impl Sluice` facade.

pub mod apply;
pub mod catalog;
pub mod compare;
pub mod diff;
pub mod document;
pub mod lint;
pub mod studio;
pub mod templates;

pub use document::PolicyKind;
pub use lint::{lint, Finding, LintReport, Severity};
pub use templates::TemplateRequest;
