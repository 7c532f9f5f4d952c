//! Who a statement applies to (Principal) and when (Condition).

use serde_json::Value;

use super::parse::strings;
use super::{At, Findings, Rule};
use crate::policy::catalog::catalog;
use crate::policy::document::PolicyKind;

const OPERATORS: [&str; 27] = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

fn is_account(text: &str) -> bool {
    crate::validate::account_id(text).is_ok()
}

fn is_service_principal(text: &str) -> bool {
    let host_ok = text
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
    host_ok && (text.ends_with(".amazonaws.com") || text.ends_with(".amazonaws.com.cn"))
}

fn is_federated(text: &str) -> bool {
    let provider_arn = text.starts_with("arn:aws")
        && (text.contains(":saml-provider/") || text.contains(":oidc-provider/"));
    provider_arn || (text.contains('.') && !text.contains([' ', '/', ':']))
}

/// Principal / NotPrincipal: where the kind allows it, and well-formed.
pub fn check(st: &Value, at: At<'_>, kind: PolicyKind, allow: bool, found: &mut Findings) {
    let principal = st.get("Principal").or_else(|| st.get("NotPrincipal"));
    let Some(principal) = principal else {
        if kind != PolicyKind::Identity {
            found.add(
                Rule::PrincipalMissing,
                at,
                format!("a statement in a {} must name its Principal", kind.label()),
            );
        }
        return;
    };
    if kind == PolicyKind::Identity {
        found.add(
            Rule::PrincipalInIdentityPolicy,
            at,
            "an identity policy applies to whoever it is attached to; it names no Principal",
        );
        return;
    }
    let conditioned = st.get("Condition").is_some();
    let everyone = |found: &mut Findings| {
        if allow && !conditioned {
            found.add(
                Rule::PrincipalWildcard,
                at,
                "\"*\" lets anyone, in any account, use this statement",
            );
        }
    };
    match principal {
        Value::String(s) if s == "*" => everyone(found),
        Value::Object(map) => {
            for (key, value) in map {
                let Some(values) = strings(value) else {
                    found.add(
                        Rule::PrincipalInvalid,
                        at,
                        format!("Principal {key} must be a string or an array of strings"),
                    );
                    continue;
                };
                for v in values {
                    let ok = match key.as_str() {
                        "AWS" if v == "*" => {
                            everyone(found);
                            true
                        }
                        "AWS" => is_account(v) || crate::arn::is_principal_arn(v),
                        "Service" => is_service_principal(v),
                        "Federated" => is_federated(v),
                        "CanonicalUser" => {
                            v.len() == 64 && v.chars().all(|c| c.is_ascii_hexdigit())
                        }
                        _ => false,
                    };
                    if !ok {
                        found.add(Rule::PrincipalInvalid, at, principal_message(key, v));
                    }
                }
            }
        }
        other => found.add(
            Rule::PrincipalInvalid,
            at,
            format!("Principal {other} is neither \"*\" nor an object such as {{\"AWS\": ARN}}"),
        ),
    }
    if kind == PolicyKind::Trust && allow {
        check_external_id(st, principal, at, found);
    }
}

fn principal_message(key: &str, value: &str) -> String {
    match key {
        "AWS" => format!("'{value}' is not an IAM ARN, a 12-digit account id or \"*\""),
        "Service" => format!("'{value}' is not a service principal (name.amazonaws.com)"),
        "Federated" => format!("'{value}' is not an identity provider"),
        "CanonicalUser" => format!("'{value}' is not a canonical user id"),
        other => {
            format!("'{other}' is not a principal type (AWS, Service, Federated, CanonicalUser)")
        }
    }
}

/// A trust that lets another AWS principal assume the role should require an ExternalId.
fn check_external_id(st: &Value, principal: &Value, at: At<'_>, found: &mut Findings) {
    let assumes = st
        .get("Action")
        .and_then(strings)
        .is_some_and(|a| a.iter().any(|a| a.eq_ignore_ascii_case("sts:AssumeRole")));
    let aws: Vec<&str> = principal
        .get("AWS")
        .and_then(strings)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| *p != "*")
        .collect();
    let has_external_id = st
        .get("Condition")
        .and_then(Value::as_object)
        .is_some_and(|ops| {
            ops.values().any(|keys| {
                keys.as_object().is_some_and(|k| {
                    k.keys()
                        .any(|key| key.eq_ignore_ascii_case("sts:ExternalId"))
                })
            })
        });
    if assumes && !aws.is_empty() && !has_external_id {
        found.add(
            Rule::TrustWithoutExternalId,
            at,
            format!(
                "{} may assume the role without an ExternalId; if it is a third party, require one",
                aws.join(", ")
            ),
        );
    }
}

/// Condition: known operators, and keys the statement's services (or AWS globally) have.
pub fn check_conditions(st: &Value, at: At<'_>, kind: PolicyKind, found: &mut Findings) {
    let Some(condition) = st.get("Condition") else {
        return;
    };
    let Some(operators) = condition.as_object() else {
        found.add(
            Rule::ConditionOperatorUnknown,
            at,
            "Condition must be an object of operators",
        );
        return;
    };
    for (operator, keys) in operators {
        let base = operator
            .strip_prefix("ForAllValues:")
            .or_else(|| operator.strip_prefix("ForAnyValue:"))
            .unwrap_or(operator);
        let base = if base != "Null" {
            base.strip_suffix("IfExists").unwrap_or(base)
        } else {
            base
        };
        let known = OPERATORS.contains(&base);
        if !known {
            found.add(
                Rule::ConditionOperatorUnknown,
                at,
                format!("'{operator}' is not a condition operator"),
            );
        }
        let Some(keys) = keys.as_object() else {
            found.add(
                Rule::ConditionOperatorUnknown,
                at,
                format!("'{operator}' must hold an object of condition keys"),
            );
            continue;
        };
        for (key, values) in keys {
            check_condition_key(key, at, kind, found);
            if key.eq_ignore_ascii_case("sts:ExternalId") {
                check_external_id_values(values, at, found);
            }
            if known {
                check_condition_type(base, key, values, at, found);
            }
        }
    }
}

fn check_condition_key(key: &str, at: At<'_>, kind: PolicyKind, found: &mut Findings) {
    let Some((prefix, _)) = key.split_once(':') else {
        found.add(
            Rule::ConditionKeyUnknown,
            at,
            format!("'{key}' is not of the form service:key"),
        );
        return;
    };
    if prefix.eq_ignore_ascii_case("aws") || catalog().documents_condition_key(key) {
        return;
    }
    // Trust policies also take web identity providers' keys (token.actions…:sub).
    if kind == PolicyKind::Trust && prefix.contains('.') {
        return;
    }
    if let Some(service) = catalog().service(prefix) {
        found.add(
            Rule::ConditionKeyUnknown,
            at,
            format!("{} has no condition key '{key}'", service.name),
        );
    } else if !catalog().is_service(prefix) {
        found.add(
            Rule::ConditionKeyUnknown,
            at,
            format!("'{prefix}' in '{key}' is not an AWS service"),
        );
    }
}

/// The operator families a key type accepts. String operators also work on ARNs and
/// numbers; everything accepts `Null`.
fn operator_fits(operator: &str, key_type: &str) -> bool {
    let family = [
        "String",
        "Numeric",
        "Date",
        "Bool",
        "Binary",
        "IpAddress",
        "NotIpAddress",
        "Arn",
        "Null",
    ]
    .into_iter()
    .find(|f| operator.starts_with(f))
    .unwrap_or("");
    let key_type = key_type.strip_prefix("ArrayOf").unwrap_or(key_type);
    match family {
        "Null" | "" => true,
        "String" => matches!(key_type, "String" | "ARN" | "Numeric"),
        "Arn" => key_type == "ARN",
        "Numeric" => key_type == "Numeric",
        "Date" => key_type == "Date",
        "Bool" => key_type == "Bool",
        "IpAddress" | "NotIpAddress" => key_type == "IPAddress",
        _ => true,
    }
}

/// Whether one condition value can be of `key_type` (values holding a policy variable
/// are taken on trust).
fn value_fits(key_type: &str, value: &Value) -> bool {
    let key_type = key_type.strip_prefix("ArrayOf").unwrap_or(key_type);
    let text = match value {
        Value::String(s) if s.contains("${") => return true,
        Value::String(s) => s.as_str(),
        Value::Bool(_) => return key_type == "Bool",
        Value::Number(_) => return matches!(key_type, "Numeric" | "Date"),
        _ => return false,
    };
    match key_type {
        "Numeric" => text.parse::<f64>().is_ok(),
        "Date" => {
            text.parse::<i64>().is_ok()
                || (text.len() >= 10
                    && text.is_char_boundary(10)
                    && text[..10].chars().enumerate().all(|(i, c)| {
                        if i == 4 || i == 7 {
                            c == '-'
                        } else {
                            c.is_ascii_digit()
                        }
                    }))
        }
        "Bool" => text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false"),
        "IPAddress" => {
            let (addr, bits) = text.split_once('/').unwrap_or((text, "0"));
            addr.parse::<std::net::IpAddr>().is_ok() && bits.parse::<u8>().is_ok()
        }
        _ => true,
    }
}

fn check_condition_type(
    operator: &str,
    key: &str,
    values: &Value,
    at: At<'_>,
    found: &mut Findings,
) {
    let Some(key_type) = catalog().condition_type(key) else {
        return;
    };
    if !operator_fits(operator, key_type) {
        found.add(
            Rule::ConditionTypeMismatch,
            at,
            format!("{key} is a {key_type} key, but '{operator}' compares another type"),
        );
        return;
    }
    // `Null` takes true / false whatever the key's type.
    let key_type = if operator == "Null" { "Bool" } else { key_type };
    let list: Vec<&Value> = match values {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    if list.into_iter().any(|v| !value_fits(key_type, v)) {
        found.add(
            Rule::ConditionTypeMismatch,
            at,
            // Never the value itself: it may be an ExternalId.
            format!("{key} is a {key_type} key, but a value given for it is not one"),
        );
    }
}

/// Every ExternalId a trust requires must be one a caller can pass. The value is never
/// echoed: it is a secret.
fn check_external_id_values(values: &Value, at: At<'_>, found: &mut Findings) {
    let ok = strings(values).is_some_and(|list| {
        !list.is_empty()
            && list
                .iter()
                .all(|v| v.contains("${") || crate::validate::external_id(v).is_ok())
    });
    if !ok {
        found.add(
            Rule::ExternalIdInvalid,
            at,
            "the sts:ExternalId condition holds a value no caller can pass",
        );
    }
}
