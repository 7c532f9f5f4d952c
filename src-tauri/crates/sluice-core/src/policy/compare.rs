//! How a policy in AWS and a proposed one are compared and shown: documents read back from
//! IAM are URL-decoded, both sides are put in the form AWS returns (a bare account id as its
//! root ARN, a one-element array as a string), ExternalId values are hidden before anything
//! is displayed, and a fingerprint ties an apply to the plan that was reviewed.

use serde_json::Value;

use crate::error::{CoreError, Result};
use crate::validate;

const HIDDEN: &str = "(ExternalId hidden)";

/// Replaces the values of `sts:ExternalId` conditions so the document can be shown.
pub(crate) fn hide_external_ids(value: &mut Value) -> bool {
    let mut hid = false;
    if let Some(statements) = value.get_mut("Statement") {
        let list: Vec<&mut Value> = match statements {
            Value::Array(items) => items.iter_mut().collect(),
            other => vec![other],
        };
        for st in list {
            let Some(ops) = st.get_mut("Condition").and_then(Value::as_object_mut) else {
                continue;
            };
            for keys in ops.values_mut().filter_map(Value::as_object_mut) {
                for (key, v) in keys.iter_mut() {
                    if key.eq_ignore_ascii_case("sts:ExternalId") {
                        *v = Value::String(HIDDEN.into());
                        hid = true;
                    }
                }
            }
        }
    }
    hid
}

/// IAM returns policy documents URL-encoded; S3 returns them as they are.
pub(crate) fn decode_document(text: &str) -> String {
    if text.trim_start().starts_with('{') {
        text.to_string()
    } else {
        percent_encoding::percent_decode_str(text)
            .decode_utf8_lossy()
            .into_owned()
    }
}

pub(crate) fn parse(text: &str) -> Result<Value> {
    serde_json::from_str(text)
        .map_err(|e| CoreError::invalid("policy", format!("not valid JSON: {e}")))
}

/// The form IAM and S3 give back: a bare account id in `Principal` becomes its root ARN
/// and a one-element array a plain string. Documents are compared in this form.
pub(crate) fn normalized(value: &Value) -> Value {
    match value {
        Value::Array(items) if items.len() == 1 => normalized(&items[0]),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if k == "Principal" || k == "NotPrincipal" {
                        principal_arns(v)
                    } else {
                        v.clone()
                    };
                    (k.clone(), normalized(&v))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn principal_arns(principal: &Value) -> Value {
    let mut principal = principal.clone();
    if let Some(aws) = principal.get_mut("AWS") {
        let to_arn = |v: &mut Value| {
            if let Some(id) = v.as_str().filter(|s| validate::account_id(s).is_ok()) {
                *v = Value::String(format!("arn:aws:iam::{id}:root"));
            }
        };
        match aws {
            Value::Array(items) => items.iter_mut().for_each(to_arn),
            one => to_arn(one),
        }
    }
    principal
}

/// A short fingerprint of what a plan showed (FNV-1a over both documents), so an apply
/// can refuse when the policy or AWS changed after the review.
pub(crate) fn fingerprint(current: Option<&Value>, proposed: Option<&Value>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [current, proposed] {
        let text = part.map(|v| normalized(v).to_string()).unwrap_or_default();
        for byte in text.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}
