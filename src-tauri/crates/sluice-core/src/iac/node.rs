//! An ordered tree of values with variables in its strings: what a policy document or a
//! CloudFormation template is before it is written out. Keys keep the order they are put
//! in, so the output reads like a hand-written template (`Version` before `Statement`,
//! `Sid` before `Effect`), whatever order a JSON map would give.

use serde_json::Value;

use super::vars::{split, Seg, Var};
use crate::policy::document::STATEMENT_ELEMENTS;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Text(Vec<Seg>),
    Bool(bool),
    Int(i64),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    /// A literal string.
    pub fn s(text: impl Into<String>) -> Self {
        let text = text.into();
        Self::Text(if text.is_empty() {
            Vec::new()
        } else {
            vec![Seg::Lit(text)]
        })
    }

    /// A variable on its own.
    pub fn var(v: Var) -> Self {
        Self::Text(vec![Seg::Var(v)])
    }

    /// A map from `(key, value)` pairs.
    pub fn map<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Node)>) -> Self {
        Self::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Self::Map(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The items of a list, or the value itself as a list of one (IAM's one-or-many).
    pub fn items(&self) -> Vec<&Node> {
        match self {
            Self::List(items) => items.iter().collect(),
            other => vec![other],
        }
    }

    /// Converts JSON, splitting strings at the markers of `vars`.
    pub fn from_json(value: &Value, vars: &[Var]) -> Self {
        Self::convert(value, vars, false)
    }

    fn convert(value: &Value, vars: &[Var], statement: bool) -> Self {
        match value {
            Value::String(s) => Self::Text(split(s, vars)),
            Value::Bool(b) => Self::Bool(*b),
            Value::Number(n) => Self::Int(n.as_i64().unwrap_or_default()),
            Value::Null => Self::s(""),
            Value::Array(items) => Self::List(
                items
                    .iter()
                    .map(|v| Self::convert(v, vars, statement))
                    .collect(),
            ),
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort_by_key(|k| {
                    let rank = if statement {
                        STATEMENT_ELEMENTS.iter().position(|s| s == k)
                    } else {
                        ["Version", "Statement"].iter().position(|s| s == k)
                    };
                    (rank.unwrap_or(usize::MAX), k.to_string())
                });
                Self::Map(
                    keys.into_iter()
                        .map(|k| {
                            let child = Self::convert(&map[k], vars, k == "Statement");
                            (k.clone(), child)
                        })
                        .collect(),
                )
            }
        }
    }
}

/// A policy document's JSON text as a tree; `None` when it is not JSON.
pub fn policy(text: &str, vars: &[Var]) -> Option<Node> {
    let value: Value = serde_json::from_str(text).ok()?;
    Some(Node::from_json(&value, vars))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_keys_come_in_reading_order() {
        let doc = policy(
            r#"{"Statement":[{"Resource":"r","Effect":"Allow","Sid":"A","Action":"s3:GetObject"}],"Version":"2012-10-17"}"#,
            &[],
        )
        .expect("json");
        let Node::Map(top) = &doc else { panic!("map") };
        assert_eq!(top[0].0, "Version");
        let st = doc.get("Statement").expect("statement").items()[0];
        let Node::Map(keys) = st else { panic!("map") };
        let order: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(order, ["Sid", "Effect", "Action", "Resource"]);
    }
}
