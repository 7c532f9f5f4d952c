//! Every finding the linter can report, as data: a stable code, a severity, a title and the
//! fix. Checks only say which rule fired and where; the wording lives here, in one table.

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// Will not work, or is dangerous.
    Error,
    /// Works, but grants more than it should or misses a safeguard.
    Warning,
    /// Worth knowing.
    Info,
}

/// One kind of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    NotJson,
    PolicyTooLarge,
    JsonComments,
    VersionMissing,
    VersionUnknown,
    VersionOld,
    StatementMissing,
    ElementUnknown,
    ElementsOpposite,
    EffectInvalid,
    ActionMissing,
    ServiceUnknown,
    ServiceNotChecked,
    ActionUnknown,
    ActionResourceMismatch,
    ResourceNotSupported,
    ResourceDoubleSlash,
    ArnMalformed,
    PrincipalInvalid,
    PrincipalInIdentityPolicy,
    PrincipalMissing,
    ResourceMissing,
    ResourceInTrustPolicy,
    TrustActionInvalid,
    AllowAll,
    SidDuplicate,
    SidInvalid,
    ConditionOperatorUnknown,
    PrincipalWildcard,
    ActionWildcard,
    ResourceWildcard,
    TrustWithoutExternalId,
    NotActionAllow,
    NotResourceAllow,
    ConditionKeyUnknown,
    ConditionTypeMismatch,
    ExternalIdInvalid,
}

/// The data behind a rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleSpec {
    pub code: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub fix: &'static str,
}

const fn spec(
    code: &'static str,
    severity: Severity,
    title: &'static str,
    fix: &'static str,
) -> RuleSpec {
    RuleSpec {
        code,
        severity,
        title,
        fix,
    }
}

use Severity::{Error, Info, Warning};

impl Rule {
    /// Every rule, for documentation and tests.
    pub const ALL: [Rule; 37] = [
        Rule::NotJson,
        Rule::PolicyTooLarge,
        Rule::JsonComments,
        Rule::VersionMissing,
        Rule::VersionUnknown,
        Rule::VersionOld,
        Rule::StatementMissing,
        Rule::ElementUnknown,
        Rule::ElementsOpposite,
        Rule::EffectInvalid,
        Rule::ActionMissing,
        Rule::ServiceUnknown,
        Rule::ServiceNotChecked,
        Rule::ActionUnknown,
        Rule::ActionResourceMismatch,
        Rule::ResourceNotSupported,
        Rule::ResourceDoubleSlash,
        Rule::ArnMalformed,
        Rule::PrincipalInvalid,
        Rule::PrincipalInIdentityPolicy,
        Rule::PrincipalMissing,
        Rule::ResourceMissing,
        Rule::ResourceInTrustPolicy,
        Rule::TrustActionInvalid,
        Rule::AllowAll,
        Rule::SidDuplicate,
        Rule::SidInvalid,
        Rule::ConditionOperatorUnknown,
        Rule::PrincipalWildcard,
        Rule::ActionWildcard,
        Rule::ResourceWildcard,
        Rule::TrustWithoutExternalId,
        Rule::NotActionAllow,
        Rule::NotResourceAllow,
        Rule::ConditionKeyUnknown,
        Rule::ConditionTypeMismatch,
        Rule::ExternalIdInvalid,
    ];

    pub const fn spec(self) -> RuleSpec {
        match self {
            Rule::NotJson => spec("not-json", Error, "Not valid JSON", "Fix the JSON syntax at the position shown; IAM accepts nothing else."),
            Rule::PolicyTooLarge => spec("policy-too-large", Error, "Larger than IAM accepts", "Split the policy: IAM takes at most 20,480 characters (bucket policies), 10,240 (role inline), 6,144 (managed), 2,048 (user inline), not counting white space."),
            Rule::JsonComments => spec("json-comments", Error, "JSON with comments", "Remove the // or /* */ comments: IAM rejects them."),
            Rule::VersionMissing => spec("version-missing", Error, "No Version", "Add \"Version\": \"2012-10-17\"; without it policy variables are not supported."),
            Rule::VersionUnknown => spec("version-unknown", Error, "Unknown Version", "Use \"Version\": \"2012-10-17\"."),
            Rule::VersionOld => spec("version-old", Info, "Old policy language version", "Use \"Version\": \"2012-10-17\" for policy variables and current features."),
            Rule::StatementMissing => spec("statement-missing", Error, "No statements", "Add a \"Statement\" array with at least one statement."),
            Rule::ElementUnknown => spec("element-unknown", Error, "Unknown element", "Remove the element or fix its spelling; IAM rejects unknown elements."),
            Rule::ElementsOpposite => spec("elements-opposite", Error, "An element and its opposite together", "Keep either Action or NotAction (Resource or NotResource, Principal or NotPrincipal), not both."),
            Rule::EffectInvalid => spec("effect-invalid", Error, "Effect must be Allow or Deny", "Set \"Effect\" to \"Allow\" or \"Deny\"."),
            Rule::ActionMissing => spec("action-missing", Error, "No Action", "Add \"Action\" with the actions this statement is about."),
            Rule::ServiceUnknown => spec("service-unknown", Error, "Unknown service", "Use an AWS service prefix such as s3, kinesis, sts, iam or kms."),
            Rule::ServiceNotChecked => spec("service-not-checked", Info, "Service not checked in detail", "Sluice checks s3, kinesis, sts, iam, kms, athena and glue action by action; review the others by hand."),
            Rule::ActionUnknown => spec("action-unknown", Error, "Unknown action", "Use an action from the AWS Service Authorization Reference; check the spelling."),
            Rule::ActionResourceMismatch => spec("action-resource-mismatch", Error, "Action cannot apply to these resources", "Name a resource of the type the action needs (object actions take BUCKET/KEY ARNs, bucket actions the bucket ARN)."),
            Rule::ResourceNotSupported => spec("resource-not-supported", Error, "Action cannot be limited to a resource", "Move the action to a statement with \"Resource\": \"*\"."),
            Rule::ResourceDoubleSlash => spec("resource-double-slash", Error, "// in a resource path", "Remove the empty path segment: with no prefix, leave out the slash too."),
            Rule::ArnMalformed => spec("arn-malformed", Error, "Malformed ARN", "Write arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, or \"*\"."),
            Rule::PrincipalInvalid => spec("principal-invalid", Error, "Principal is not an ARN, account, service or *", "Name principals by ARN (arn:aws:iam::ACCOUNT:user/NAME), 12-digit account id, service (name.amazonaws.com) or \"*\"."),
            Rule::PrincipalInIdentityPolicy => spec("principal-in-identity-policy", Error, "Principal in an identity policy", "Remove Principal: an identity policy applies to the user or role it is attached to."),
            Rule::PrincipalMissing => spec("principal-missing", Error, "No Principal", "Resource and trust policies must say who they apply to with \"Principal\"."),
            Rule::ResourceMissing => spec("resource-missing", Error, "No Resource", "Add \"Resource\" with the ARNs the actions apply to."),
            Rule::ResourceInTrustPolicy => spec("resource-in-trust-policy", Error, "Resource in a trust policy", "Remove Resource: a trust policy is about the role it belongs to."),
            Rule::TrustActionInvalid => spec("trust-action-invalid", Error, "Action not allowed in a trust policy", "A trust policy grants sts:AssumeRole (or AssumeRoleWithSAML / WithWebIdentity, TagSession, SetSourceIdentity) only."),
            Rule::AllowAll => spec("allow-all", Error, "Allows every action on every resource", "Name the actions and resources the principal needs."),
            Rule::SidDuplicate => spec("sid-duplicate", Error, "Duplicate Sid", "Give each statement its own Sid."),
            Rule::SidInvalid => spec("sid-invalid", Error, "Sid with invalid characters", "Use only letters and digits in a Sid."),
            Rule::ConditionOperatorUnknown => spec("condition-operator-unknown", Error, "Unknown condition operator", "Use an operator such as StringEquals, StringLike, ArnLike, Bool, IpAddress or Null."),
            Rule::PrincipalWildcard => spec("principal-wildcard", Warning, "Everyone is allowed", "Name the accounts, users or roles that need access, or add a condition that limits \"*\"."),
            Rule::ActionWildcard => spec("action-wildcard", Warning, "Wildcard action", "List the actions that are needed instead of a wildcard."),
            Rule::ResourceWildcard => spec("resource-wildcard", Warning, "Wildcard resource", "Name the bucket, objects, stream or key instead of \"*\"."),
            Rule::TrustWithoutExternalId => spec("trust-without-external-id", Warning, "Third-party trust without an ExternalId", "Add \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"…\"}} so no other customer of the vendor can use the role (the confused deputy)."),
            Rule::NotActionAllow => spec("not-action-allow", Warning, "Allow with NotAction", "Allow the actions that are needed with Action; NotAction allows everything else, including future actions."),
            Rule::NotResourceAllow => spec("not-resource-allow", Warning, "Allow with NotResource", "Allow the resources that are needed with Resource; NotResource allows everything else."),
            Rule::ExternalIdInvalid => spec("external-id-invalid", Error, "Not a usable ExternalId", "An ExternalId is 2-1224 characters of letters, digits and + = , . @ : / - _ (no spaces); generate one with Sluice."),
            Rule::ConditionTypeMismatch => spec("condition-type-mismatch", Warning, "Operator does not fit the key's type", "Use an operator of the key's type: String… for strings, Numeric… for numbers, Date… for dates, Bool, IpAddress, Arn… for ARNs."),
            Rule::ConditionKeyUnknown => spec("condition-key-unknown", Warning, "Condition key the service does not have", "Use a condition key the service documents (or a global aws: key); an unknown key never matches."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_unique_code_a_title_and_a_fix() {
        let mut codes = std::collections::HashSet::new();
        for rule in Rule::ALL {
            let s = rule.spec();
            assert!(codes.insert(s.code), "duplicate code {}", s.code);
            assert!(!s.title.is_empty() && !s.fix.is_empty());
        }
    }
}
