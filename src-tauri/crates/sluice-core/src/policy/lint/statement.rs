//! Checks over one statement: its elements, actions, resources and whether they fit.

use serde_json::Value;

use super::parse::strings;
use super::{principal, At, Findings, Rule};
use crate::policy::catalog::{catalog, Action, ArnPattern, Service};
use crate::policy::document::{PolicyKind, STATEMENT_ELEMENTS};

const TRUST_ACTIONS: [&str; 6] = [
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
];

static ACCESS_POINT_OBJECT: std::sync::LazyLock<ArnPattern> = std::sync::LazyLock::new(|| {
    ArnPattern::new("arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}")
});

/// An action the catalog knows exactly.
struct Known<'c> {
    service: &'c Service,
    action: &'c Action,
}

/// Sids must be unique within a policy; IAM (identity and trust policies) takes only
/// letters and digits, resource policies such as KMS key policies also take spaces.
pub fn check_sids(statements: &[&Value], kind: PolicyKind, found: &mut Findings) {
    let mut seen = std::collections::HashSet::new();
    for (index, st) in statements.iter().enumerate() {
        if let Some(sid) = st.get("Sid").and_then(Value::as_str) {
            let at = At {
                index: Some(index),
                sid: Some(sid),
            };
            if !seen.insert(sid) {
                found.add(Rule::SidDuplicate, at, format!("Sid '{sid}' is used twice"));
            }
            if kind != PolicyKind::Resource && !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
                found.add(
                    Rule::SidInvalid,
                    at,
                    format!("Sid '{sid}' has characters other than letters and digits"),
                );
            }
        }
    }
}

/// All checks for statement `index` of a policy of kind `kind`.
pub fn check(st: &Value, index: usize, kind: PolicyKind, found: &mut Findings) {
    let at = At {
        index: Some(index),
        sid: st.get("Sid").and_then(Value::as_str),
    };
    let Some(object) = st.as_object() else {
        found.add(Rule::ElementUnknown, at, "a statement is a JSON object");
        return;
    };
    for key in object.keys() {
        if !STATEMENT_ELEMENTS.contains(&key.as_str()) {
            found.add(
                Rule::ElementUnknown,
                at,
                format!("'{key}' is not a statement element"),
            );
        }
    }
    for (one, other) in [
        ("Action", "NotAction"),
        ("Resource", "NotResource"),
        ("Principal", "NotPrincipal"),
    ] {
        if object.contains_key(one) && object.contains_key(other) {
            found.add(
                Rule::ElementsOpposite,
                at,
                format!("the statement has both {one} and {other}"),
            );
        }
    }
    let allow = match st.get("Effect").and_then(Value::as_str) {
        Some("Allow") => true,
        Some("Deny") => false,
        other => {
            let shown = other.map_or_else(|| "missing".to_string(), |e| format!("'{e}'"));
            found.add(Rule::EffectInvalid, at, format!("Effect is {shown}"));
            false
        }
    };
    principal::check(st, at, kind, allow, found);
    let actions = check_actions(st, at, kind, allow, found);
    let resources = check_resources(st, at, kind, allow, found);
    if allow && actions.contains(&"*") && resources.as_ref().is_some_and(|r| r.contains(&"*")) {
        found.add(
            Rule::AllowAll,
            at,
            "\"Action\": \"*\" on \"Resource\": \"*\" allows everything",
        );
    } else if allow {
        warn_wildcards(&actions, resources.as_deref(), at, kind, found);
    }
    if let Some(resources) = &resources {
        check_fit(&actions, resources, at, found);
    }
    principal::check_conditions(st, at, kind, found);
}

/// Action / NotAction: present, well-formed, known. Returns the listed actions.
fn check_actions<'v>(
    st: &'v Value,
    at: At<'_>,
    kind: PolicyKind,
    allow: bool,
    found: &mut Findings,
) -> Vec<&'v str> {
    let (value, not) = match (st.get("Action"), st.get("NotAction")) {
        (Some(v), _) => (v, false),
        (None, Some(v)) => (v, true),
        (None, None) => {
            found.add(Rule::ActionMissing, at, "the statement has no Action");
            return Vec::new();
        }
    };
    if not && allow {
        found.add(
            Rule::NotActionAllow,
            at,
            "Allow with NotAction grants every action not listed",
        );
    }
    let Some(actions) = strings(value).filter(|a| !a.is_empty()) else {
        found.add(
            Rule::ActionMissing,
            at,
            "Action must be a string or a non-empty array of strings",
        );
        return Vec::new();
    };
    let mut unchecked = Vec::new();
    for action in &actions {
        check_action(action, at, &mut unchecked, found);
        if kind == PolicyKind::Trust
            && !not
            && !action.contains('*')
            && !TRUST_ACTIONS.contains(&action.to_ascii_lowercase().as_str())
        {
            found.add(
                Rule::TrustActionInvalid,
                at,
                format!("'{action}' cannot be granted by a trust policy"),
            );
        }
    }
    if not {
        Vec::new()
    } else {
        actions
    }
}

fn check_action(action: &str, at: At<'_>, unchecked: &mut Vec<String>, found: &mut Findings) {
    if action == "*" {
        return;
    }
    let Some((prefix, name)) = action
        .split_once(':')
        .filter(|(p, n)| !p.is_empty() && !n.is_empty())
    else {
        found.add(
            Rule::ActionUnknown,
            at,
            format!("'{action}' is not of the form service:Action"),
        );
        return;
    };
    if !catalog().is_service(prefix) {
        found.add(
            Rule::ServiceUnknown,
            at,
            format!("'{prefix}' in '{action}' is not an AWS service prefix"),
        );
        return;
    }
    let Some(service) = catalog().service(prefix) else {
        let prefix = prefix.to_ascii_lowercase();
        if !unchecked.contains(&prefix) {
            found.add(
                Rule::ServiceNotChecked,
                at,
                format!("{prefix} actions are not checked one by one"),
            );
            unchecked.push(prefix);
        }
        return;
    };
    let known = if name.contains(['*', '?']) {
        service.matching_actions(name).next().is_some()
    } else {
        service.action(name).is_some()
    };
    if !known {
        found.add(
            Rule::ActionUnknown,
            at,
            format!("{} has no action '{name}'", service.name),
        );
    }
}

/// Resource / NotResource: present where the kind needs it, well-formed ARNs.
fn check_resources<'v>(
    st: &'v Value,
    at: At<'_>,
    kind: PolicyKind,
    allow: bool,
    found: &mut Findings,
) -> Option<Vec<&'v str>> {
    let (value, not) = match (st.get("Resource"), st.get("NotResource")) {
        (Some(v), _) => (v, false),
        (None, Some(v)) => (v, true),
        (None, None) => {
            if kind != PolicyKind::Trust {
                found.add(
                    Rule::ResourceMissing,
                    at,
                    format!("a statement in a {} needs a Resource", kind.label()),
                );
            }
            return None;
        }
    };
    if kind == PolicyKind::Trust {
        found.add(
            Rule::ResourceInTrustPolicy,
            at,
            "a trust policy names no Resource",
        );
    }
    if not && allow {
        found.add(
            Rule::NotResourceAllow,
            at,
            "Allow with NotResource grants every resource not listed",
        );
    }
    let Some(resources) = strings(value) else {
        found.add(
            Rule::ArnMalformed,
            at,
            "Resource must be a string or an array of strings",
        );
        return None;
    };
    if resources.is_empty() && kind != PolicyKind::Trust {
        found.add(Rule::ResourceMissing, at, "Resource is an empty array");
        return None;
    }
    // Only well-formed ARNs go on to be matched against the actions.
    let well_formed: Vec<&str> = resources
        .into_iter()
        .filter(|r| check_arn(r, at, found))
        .collect();
    (!not).then_some(well_formed)
}

/// Reports a malformed ARN or a `//`; `false` when it is not an ARN at all.
fn check_arn(resource: &str, at: At<'_>, found: &mut Findings) -> bool {
    if resource == "*" {
        return true;
    }
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    let partition_ok = parts
        .get(1)
        .is_some_and(|p| crate::arn::is_partition(p) || p.contains(['*', '?']));
    let account_ok = parts.get(4).is_some_and(|a| {
        a.is_empty()
            || *a == "aws"
            || a.contains(['*', '?', '$'])
            || (a.len() == 12 && a.chars().all(|c| c.is_ascii_digit()))
    });
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && partition_ok
        && !parts[2].is_empty()
        && account_ok
        && !parts[5].is_empty();
    if !ok {
        found.add(
            Rule::ArnMalformed,
            at,
            format!("'{resource}' is not an ARN or \"*\""),
        );
        return false;
    }
    if parts[5].contains("//") {
        found.add(
            Rule::ResourceDoubleSlash,
            at,
            format!("'{resource}' has an empty path segment (//), which never matches a key"),
        );
    }
    true
}

/// Warnings for wildcard actions and resources in an Allow.
fn warn_wildcards(
    actions: &[&str],
    resources: Option<&[&str]>,
    at: At<'_>,
    kind: PolicyKind,
    found: &mut Findings,
) {
    for action in actions.iter().filter(|a| a.contains('*')) {
        found.add(
            Rule::ActionWildcard,
            at,
            format!("'{action}' allows every matching action, now and in future"),
        );
    }
    let Some(resources) = resources else { return };
    let restrictable = actions
        .iter()
        .any(|a| known(a).is_none_or(|k| !k.action.resource_types.is_empty()));
    if kind != PolicyKind::Trust && restrictable && resources.contains(&"*") {
        found.add(
            Rule::ResourceWildcard,
            at,
            "\"Resource\": \"*\" applies these actions to every resource in the account",
        );
    }
}

fn known(action: &str) -> Option<Known<'static>> {
    let (prefix, name) = action.split_once(':')?;
    if name.contains(['*', '?']) {
        return None;
    }
    let service = catalog().service(prefix)?;
    service.action(name).map(|action| Known { service, action })
}

/// Each known action must be able to apply to at least one of the named resources.
fn check_fit(actions: &[&str], resources: &[&str], at: At<'_>, found: &mut Findings) {
    if resources.is_empty() || resources.contains(&"*") {
        return;
    }
    for action in actions {
        let Some(k) = known(action) else { continue };
        let listed = resources.join(", ");
        let full = format!("{}:{}", k.service.prefix, k.action.name);
        if k.action.resource_types.is_empty() {
            found.add(
                Rule::ResourceNotSupported,
                at,
                format!("{full} cannot be limited to a resource, so it never matches {listed}"),
            );
            continue;
        }
        let patterns: Vec<_> = k
            .action
            .resource_types
            .iter()
            .filter_map(|t| k.service.resources.get(t).map(|p| (t, p)))
            .collect();
        if patterns.is_empty() {
            continue;
        }
        // S3 object actions also work through an access point's object ARNs.
        let via_access_point = k.service.prefix == "s3"
            && k.action.resource_types.iter().any(|t| t == "object")
            && resources.iter().any(|r| ACCESS_POINT_OBJECT.admits(r));
        let fits = via_access_point
            || resources
                .iter()
                .any(|r| patterns.iter().any(|(_, p)| p.admits(r)));
        if !fits {
            let wanted: Vec<String> = patterns
                .iter()
                .map(|(t, p)| format!("{t} ({})", p.text.replace("${Partition}", "aws")))
                .collect();
            found.add(
                Rule::ActionResourceMismatch,
                at,
                format!(
                    "{full} applies to {}, but this statement names {listed}",
                    wanted.join(" or ")
                ),
            );
        }
    }
}
