//! Infrastructure as code for admins: every policy template and the whole destination setup
//! as Terraform and CloudFormation, to review and commit instead of applying from an app.
//!
//! One source of truth: the exporters call the same template functions and the same
//! destination `design` that `apply` carries out, fed with variable markers (`vars`), and
//! only write the result out (`hcl`, `yaml`). `policy_code` and `setup_code` are pure;
//! `export` is the `impl Sluice` facade.

pub mod cloudformation;
pub mod export;
pub mod hcl;
pub mod node;
pub mod policy_code;
pub mod setup_cloudformation;
pub mod setup_code;
pub mod setup_parts;
pub mod setup_terraform;
pub mod terraform;
pub mod vars;
pub mod yaml;

use serde::{Deserialize, Serialize};

/// The language of the exported code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum CodeFormat {
    Terraform,
    Cloudformation,
}

impl CodeFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Terraform => "tf",
            Self::Cloudformation => "yaml",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Terraform => "Terraform",
            Self::Cloudformation => "CloudFormation",
        }
    }
}

/// Where an identity policy goes in the code: an inline policy of a user or a role, or a
/// customer managed policy. Trust and bucket policies have only one place.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Attach {
    #[default]
    User,
    Role,
    Managed,
}

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CodeRequest {
    /// A policy template.
    Policy {
        request: crate::policy::TemplateRequest,
        format: CodeFormat,
        attach: Option<Attach>,
    },
    /// A destination; `import` adds what adopts the resources Sluice already created.
    Setup {
        spec: crate::setup::SinkSpec,
        format: CodeFormat,
        import: bool,
    },
}

/// Code ready to show, copy or save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GeneratedCode {
    pub format: CodeFormat,
    /// A file name to offer in the save dialog.
    pub file_name: String,
    pub text: String,
}

/// A line safe to put in a comment: no line breaks of any kind (YAML also breaks lines at
/// U+0085, U+2028 and U+2029), whatever a prefix or a sentence holds.
pub(crate) fn comment_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}
