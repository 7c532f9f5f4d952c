//! The policies Sluice writes, as typed values that serialise to canonical IAM JSON:
//! `Version` first, then statements whose keys come in the order people read them
//! (`Sid`, `Effect`, `Principal`, `Action`, `Resource`, `Condition`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A statement's elements, in the order people read them.
pub const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// The only policy language version worth writing.
pub const VERSION: &str = "2012-10-17";

/// Which kind of policy a document is; each is judged by its own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum PolicyKind {
    /// Attached to a user, group or role: no `Principal`.
    Identity,
    /// Attached to a resource such as a bucket: has a `Principal` and a `Resource`.
    Resource,
    /// A role's trust (assume-role) policy: has a `Principal`, no `Resource`.
    Trust,
}

impl PolicyKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Identity => "identity policy",
            Self::Resource => "resource policy",
            Self::Trust => "trust policy",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    pub version: &'static str,
    pub statement: Vec<Statement>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// Condition block: operator → key → values.
pub type Condition = BTreeMap<String, BTreeMap<String, OneOrMany>>;

/// A JSON string or array of strings; one value is written as a plain string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneOrMany(pub Vec<String>);

impl Serialize for OneOrMany {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => s.serialize_str(one),
            many => many.serialize(s),
        }
    }
}

impl<T: Into<String>> From<Vec<T>> for OneOrMany {
    fn from(v: Vec<T>) -> Self {
        Self(v.into_iter().map(Into::into).collect())
    }
}

impl From<&str> for OneOrMany {
    fn from(v: &str) -> Self {
        Self(vec![v.to_string()])
    }
}

impl From<String> for OneOrMany {
    fn from(v: String) -> Self {
        Self(vec![v])
    }
}

/// A principal: `"*"` or `{"AWS": …}` / `{"Service": …}`.
#[derive(Debug, Clone)]
pub enum Principal {
    Aws(OneOrMany),
    Everyone,
}

impl Serialize for Principal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Everyone => s.serialize_str("*"),
            Self::Aws(arns) => {
                let mut m = BTreeMap::new();
                m.insert("AWS", arns);
                m.serialize(s)
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    pub sid: String,
    pub effect: Effect,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<Principal>,
    pub action: OneOrMany,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<OneOrMany>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
}

impl Statement {
    /// An `Allow` of `actions` on `resources`.
    pub fn allow(
        sid: &str,
        actions: impl Into<OneOrMany>,
        resources: impl Into<OneOrMany>,
    ) -> Self {
        Self {
            sid: sid.to_string(),
            effect: Effect::Allow,
            principal: None,
            action: actions.into(),
            resource: Some(resources.into()),
            condition: None,
        }
    }

    pub fn with_condition(
        mut self,
        operator: &str,
        key: &str,
        values: impl Into<OneOrMany>,
    ) -> Self {
        self.condition
            .get_or_insert_with(BTreeMap::new)
            .entry(operator.to_string())
            .or_default()
            .insert(key.to_string(), values.into());
        self
    }

    pub fn with_principal(mut self, principal: Principal) -> Self {
        self.principal = Some(principal);
        self
    }
}

impl PolicyDocument {
    pub fn new(statement: Vec<Statement>) -> Self {
        Self {
            version: VERSION,
            statement,
        }
    }

    /// Pretty JSON, two-space indented, as people paste it into the console.
    pub fn to_pretty_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Re-indents any JSON policy the same way, so two documents compare line by line.
/// Keys are sorted (IAM gives no meaning to their order).
pub fn canonical_json(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_serialise_in_reading_order_with_single_values_as_strings() {
        let doc = PolicyDocument::new(vec![Statement::allow(
            "Read",
            vec!["s3:GetObject"],
            "arn:aws:s3:::b/*",
        )
        .with_condition("Bool", "aws:SecureTransport", "true")]);
        let json = doc.to_pretty_json();
        let sid = json.find("\"Sid\"").expect("sid");
        let effect = json.find("\"Effect\"").expect("effect");
        let action = json.find("\"Action\"").expect("action");
        assert!(json.find("\"Version\"").expect("version") < sid);
        assert!(sid < effect && effect < action);
        assert!(json.contains("\"Action\": \"s3:GetObject\""));
        assert!(!json.contains("Principal"));
    }
}
