//! `impl Sluice` for the policy studio: generate a template for display, keep a trust
//! policy's ExternalId in the keyring, lint, and save a policy to a file.
//!
//! A trust policy's ExternalId is a secret. What the UI sees names the keyring entry in its
//! place; the real value is put in only here in the core, when the policy is saved to a
//! file or sent to AWS.

use serde::{Deserialize, Serialize};

use super::document::PolicyKind;
use super::lint::{lint, LintReport};
use super::templates::{Explanation, ExternalIdValue, TemplateRequest};
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::secrets::{SecretKey, SecretKind};
use crate::sensitive::Sensitive;

/// A template's policy as the UI and CLI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GeneratedPolicy {
    pub template: String,
    pub kind: PolicyKind,
    /// A name for the inline policy (empty for trust and bucket policies).
    pub suggested_name: String,
    pub document: String,
    pub explanations: Vec<Explanation>,
    pub lint: LintReport,
}

/// Where a policy comes from: a template, rendered in the core where the ExternalId lives,
/// or a document the admin pasted or opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
pub enum PolicySource {
    Template(TemplateRequest),
    Document(String),
}

/// Whether a named trust ExternalId is in the keyring (never its value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ExternalIdStatus {
    pub name: String,
    pub configured: bool,
}

/// A policy file the user opened: where it was and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OpenedPolicy {
    pub path: String,
    pub text: String,
}

/// Policy files larger than this are not read (IAM's own limit is 20,480 characters).
const MAX_POLICY_FILE_BYTES: u64 = 64 * 1024;

/// A policy ready for a file or for AWS. Holds a secret when it is a trust policy with an
/// ExternalId, so it is not `Debug`.
pub(crate) struct Rendered {
    pub text: Sensitive<String>,
    pub suggested_name: String,
}

/// 244 random bits (two v4 UUIDs) as 64 hex digits: within the ExternalId alphabet.
fn fresh_external_id() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Stands in for a stored ExternalId when a displayed trust policy is linted.
const LINT_STAND_IN: &str = "stored-external-id";

fn external_id_key(name: &str) -> Result<SecretKey> {
    SecretKey::new(SecretKind::TrustExternalId, name)
}

impl Sluice {
    /// The template's policy for display: a stored ExternalId is named, not shown.
    pub fn generate_policy(&self, request: &TemplateRequest) -> Result<GeneratedPolicy> {
        let placeholder = match request {
            TemplateRequest::Trust(t) => {
                match t.external_id_name.as_deref() {
                    Some(name) => {
                        if !self.trust_external_id(name)?.configured {
                            return Err(CoreError::invalid(
                            "ExternalId",
                            format!("no ExternalId named '{name}' in the keyring: generate one first"),
                        ));
                        }
                        Some(ExternalIdValue::Placeholder(name))
                    }
                    None => None,
                }
            }
            _ => None,
        };
        let built = request.build(placeholder)?;
        let document = built.document.to_pretty_json();
        // Lint the policy as it will be used: a well-formed stand-in for the stored ExternalId.
        let linted = match placeholder {
            Some(_) => request
                .build(Some(ExternalIdValue::Secret(LINT_STAND_IN)))?
                .document
                .to_pretty_json(),
            None => document.clone(),
        };
        Ok(GeneratedPolicy {
            template: built.template.to_string(),
            kind: built.kind,
            suggested_name: built.suggested_name,
            lint: lint(&linted, Some(built.kind)),
            document,
            explanations: built.explanations,
        })
    }

    /// Lints a policy; `kind` is the kind meant, or `None` to work it out.
    pub fn lint_policy(&self, text: &str, kind: Option<PolicyKind>) -> LintReport {
        lint(text, kind)
    }

    /// Whether a trust ExternalId of this name is stored.
    pub fn trust_external_id(&self, name: &str) -> Result<ExternalIdStatus> {
        let configured = self.secrets().get(&external_id_key(name)?)?.is_some();
        Ok(ExternalIdStatus {
            name: name.to_string(),
            configured,
        })
    }

    /// Makes a strong ExternalId and stores it in the keyring under `name`. An existing one
    /// is replaced only when asked: a vendor may already have handed it to a customer.
    pub fn generate_trust_external_id(
        &self,
        name: &str,
        replace: bool,
    ) -> Result<ExternalIdStatus> {
        let key = external_id_key(name)?;
        if !replace && self.secrets().get(&key)?.is_some() {
            return Err(CoreError::invalid(
                "ExternalId",
                format!("'{name}' already holds an ExternalId; replacing it breaks roles that require it"),
            ));
        }
        self.secrets()
            .set(&key, &Sensitive::new(fresh_external_id()))?;
        self.trust_external_id(name)
    }

    /// Stores a given ExternalId (read from standard input by the CLI) under `name`; an
    /// existing one is replaced only when asked.
    pub fn store_trust_external_id(
        &self,
        name: &str,
        value: Sensitive<String>,
        replace: bool,
    ) -> Result<()> {
        crate::validate::external_id(value.expose())?;
        let key = external_id_key(name)?;
        if !replace && self.secrets().get(&key)?.is_some() {
            return Err(CoreError::invalid(
                "ExternalId",
                format!("'{name}' already holds an ExternalId; replacing it breaks roles that require it"),
            ));
        }
        self.secrets().set(&key, &value)
    }

    /// The policy with every secret in place, for a file or for AWS.
    pub(crate) fn render_policy(&self, source: &PolicySource) -> Result<Rendered> {
        match source {
            PolicySource::Document(text) => Ok(Rendered {
                text: Sensitive::new(text.clone()),
                suggested_name: String::new(),
            }),
            PolicySource::Template(request) => {
                let secret = match request {
                    TemplateRequest::Trust(t) => match t.external_id_name.as_deref() {
                        Some(name) => Some(
                            self.secrets()
                                .get(&external_id_key(name)?)?
                                .ok_or_else(|| {
                                    CoreError::invalid(
                                        "ExternalId",
                                        format!("no ExternalId named '{name}' in the keyring"),
                                    )
                                })?,
                        ),
                        None => None,
                    },
                    _ => None,
                };
                let built =
                    request.build(secret.as_ref().map(|s| ExternalIdValue::Secret(s.expose())))?;
                Ok(Rendered {
                    text: Sensitive::new(built.document.to_pretty_json()),
                    suggested_name: built.suggested_name,
                })
            }
        }
    }

    /// The policy JSON with its ExternalId in place, for `sluice policy trust` on a terminal
    /// (the admin asked for exactly this document).
    pub fn policy_text_with_secrets(&self, source: &PolicySource) -> Result<Sensitive<String>> {
        Ok(self.render_policy(source)?.text)
    }

    /// Reads a policy file the user chose to lint: UTF-8 text of at most 64 KiB.
    pub fn read_policy_file(&self, path: &std::path::Path) -> Result<OpenedPolicy> {
        let shown = path.display().to_string();
        let bad = |reason: String| CoreError::invalid("policy file", format!("{shown}: {reason}"));
        let meta = std::fs::metadata(path).map_err(|e| bad(e.to_string()))?;
        if !meta.is_file() {
            return Err(bad("not a file".into()));
        }
        if meta.len() > MAX_POLICY_FILE_BYTES {
            return Err(bad(format!(
                "{} bytes is larger than any IAM policy; open the policy itself",
                meta.len()
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|_| bad("not UTF-8 text".into()))?;
        Ok(OpenedPolicy { path: shown, text })
    }

    /// Saves a policy to a file the user chose; never replaces a file unless asked.
    pub fn save_policy(
        &self,
        source: &PolicySource,
        path: &std::path::Path,
        replace: bool,
    ) -> Result<String> {
        let rendered = self.render_policy(source)?;
        let text = format!("{}\n", rendered.text.expose().trim_end());
        self.save_user_file(path, text.as_bytes(), replace)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::templates::TrustInput;
    use crate::secrets::SecretStore;

    #[test]
    fn a_generated_external_id_stays_in_the_keyring_and_only_the_file_holds_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (s, store) = crate::context::test_context(dir.path());
        let request = TemplateRequest::Trust(TrustInput {
            principal: "352302322568".into(),
            external_id_name: Some("acme".into()),
        });
        assert!(s.generate_policy(&request).is_err(), "nothing stored yet");
        assert!(
            s.generate_trust_external_id("acme", false)
                .expect("gen")
                .configured
        );
        assert!(
            s.generate_trust_external_id("acme", false).is_err(),
            "no silent replace"
        );
        let secret = store
            .get(&external_id_key("acme").expect("key"))
            .expect("get")
            .expect("stored")
            .into_exposed();
        assert_eq!(secret.len(), 64);
        let shown = s.generate_policy(&request).expect("shown");
        assert!(!shown.document.contains(&secret));
        assert!(shown.lint.findings.is_empty(), "{:?}", shown.lint.findings);
        let path = dir.path().join("trust.json");
        s.save_policy(&PolicySource::Template(request), &path, false)
            .expect("saved");
        let file = std::fs::read_to_string(&path).expect("read");
        assert!(file.contains(&secret));
    }

    #[test]
    fn policy_files_are_read_only_when_they_can_be_policies() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (s, _) = crate::context::test_context(dir.path());
        let ok = dir.path().join("p.json");
        std::fs::write(&ok, "{\"Version\": \"2012-10-17\"}").expect("write");
        assert!(s
            .read_policy_file(&ok)
            .expect("read")
            .text
            .contains("2012-10-17"));
        let big = dir.path().join("big.json");
        std::fs::write(&big, vec![b' '; 70 * 1024]).expect("write");
        assert!(s.read_policy_file(&big).is_err());
        let binary = dir.path().join("bin.json");
        std::fs::write(&binary, [0xff, 0xfe, 0x00]).expect("write");
        assert!(s.read_policy_file(&binary).is_err());
        assert!(s.read_policy_file(dir.path()).is_err());
    }
}
