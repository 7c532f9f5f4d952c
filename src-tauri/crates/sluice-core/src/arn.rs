//! Amazon Resource Names: parsing and validation with messages a non-AWS person can act on.
//!
//! Vendors hand over role, stream and bucket ARNs by email; a pasted ARN with the wrong
//! service, a typo in the account or an assumed-role *session* ARN instead of the role ARN
//! is caught here rather than as an opaque AccessDenied later.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::validate;

const PARTITIONS: [&str; 3] = ["aws", "aws-cn", "aws-us-gov"];

/// Whether `partition` is an AWS partition (the three public ones and the isolated regions).
pub fn is_partition(partition: &str) -> bool {
    PARTITIONS.contains(&partition) || partition.starts_with("aws-iso")
}

/// Whether `text` names an IAM principal by ARN: an account root, a user, role or group,
/// an assumed-role or federated session, or a CloudFront origin access identity.
pub fn is_principal_arn(text: &str) -> bool {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" || !is_partition(parts[1]) || !parts[3].is_empty() {
        return false;
    }
    let (service, account, resource) = (parts[2], parts[4], parts[5]);
    let named = |prefix: &str| {
        resource
            .strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && !rest.ends_with('/'))
    };
    if service == "iam" && account == "cloudfront" {
        return named("user/CloudFront Origin Access Identity ");
    }
    let kind_ok = match service {
        "iam" => {
            resource == "root"
                || ["user/", "role/", "group/", "federated-user/"]
                    .iter()
                    .any(|p| named(p))
        }
        "sts" => named("assumed-role/") || named("federated-user/"),
        _ => false,
    };
    kind_ok && validate::account_id(account).is_ok()
}

/// A parsed ARN: `arn:partition:service:region:account:resource`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account: String,
    pub resource: String,
}

impl Arn {
    /// Parses any ARN; `field` names it in the error ("role ARN", "stream ARN" …).
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        let text = text.trim();
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        if parts.len() != 6 || parts[0] != "arn" {
            return Err(CoreError::invalid(
                field,
                format!(
                    "'{text}' is not an ARN (expected arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE)"
                ),
            ));
        }
        if !PARTITIONS.contains(&parts[1]) {
            return Err(CoreError::invalid(
                field,
                format!(
                    "unknown partition '{}' (expected aws, aws-cn or aws-us-gov)",
                    parts[1]
                ),
            ));
        }
        if parts[2].is_empty()
            || !parts[2]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(CoreError::invalid(
                field,
                format!("bad service '{}'", parts[2]),
            ));
        }
        if !parts[3].is_empty() {
            validate::region(parts[3]).map_err(|_| {
                CoreError::invalid(field, format!("bad region '{}' in the ARN", parts[3]))
            })?;
        }
        if !parts[4].is_empty() {
            validate::account_id(parts[4]).map_err(|_| {
                CoreError::invalid(
                    field,
                    format!("the account '{}' is not 12 digits", parts[4]),
                )
            })?;
        }
        if parts[5].is_empty()
            || parts[5]
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(CoreError::invalid(
                field,
                "the resource part is empty or has spaces",
            ));
        }
        Ok(Self {
            partition: parts[1].to_string(),
            service: parts[2].to_string(),
            region: parts[3].to_string(),
            account: parts[4].to_string(),
            resource: parts[5].to_string(),
        })
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

/// An IAM role ARN (`arn:aws:iam::ACCOUNT:role/PATH/NAME`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "specta", specta(type = String))]
pub struct RoleArn(String);

impl RoleArn {
    pub fn parse(text: &str) -> Result<Self> {
        let arn = Arn::parse("role ARN", text)?;
        if arn.service == "sts" && arn.resource.starts_with("assumed-role/") {
            // The seed's own example makes this mistake: a session ARN, not the role.
            let name = arn
                .resource
                .trim_start_matches("assumed-role/")
                .split('/')
                .next()
                .unwrap_or_default();
            return Err(CoreError::invalid(
                "role ARN",
                format!(
                    "this is an assumed-role session ARN; the role ARN is arn:{}:iam::{}:role/{name}",
                    arn.partition, arn.account
                ),
            ));
        }
        if arn.service != "iam" || !arn.resource.starts_with("role/") || arn.account.is_empty() {
            return Err(CoreError::invalid(
                "role ARN",
                format!(
                    "'{text}' is not an IAM role ARN (expected arn:aws:iam::ACCOUNT:role/NAME)"
                ),
            ));
        }
        let name = arn.resource.rsplit('/').next().unwrap_or_default();
        let ok_name = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
        if !ok_name {
            return Err(CoreError::invalid(
                "role ARN",
                format!("bad role name '{name}'"),
            ));
        }
        Ok(Self(arn.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn arn(&self) -> Arn {
        // Constructed only from a validated ARN.
        Arn::parse("role ARN", &self.0).unwrap_or(Arn {
            partition: "aws".into(),
            service: "iam".into(),
            region: String::new(),
            account: String::new(),
            resource: String::new(),
        })
    }

    pub fn account(&self) -> String {
        self.arn().account
    }

    pub fn partition(&self) -> String {
        self.arn().partition
    }

    /// The role's name, without its path.
    pub fn name(&self) -> String {
        self.arn()
            .resource
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

impl TryFrom<String> for RoleArn {
    type Error = CoreError;
    fn try_from(value: String) -> Result<Self> {
        Self::parse(&value)
    }
}

impl From<RoleArn> for String {
    fn from(value: RoleArn) -> Self {
        value.0
    }
}

impl fmt::Display for RoleArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Kinesis stream ARN (`arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "specta", specta(type = String))]
pub struct StreamArn(String);

impl StreamArn {
    pub fn parse(text: &str) -> Result<Self> {
        let arn = Arn::parse("stream ARN", text)?;
        let name = arn.resource.strip_prefix("stream/").unwrap_or_default();
        let ok_name = !name.is_empty()
            && name.len() <= 128
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if arn.service != "kinesis" || arn.region.is_empty() || arn.account.is_empty() || !ok_name {
            return Err(CoreError::invalid(
                "stream ARN",
                format!("'{text}' is not a Kinesis stream ARN (expected arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)"),
            ));
        }
        Ok(Self(arn.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn name(&self) -> String {
        self.0.rsplit('/').next().unwrap_or_default().to_string()
    }

    pub fn region(&self) -> String {
        self.0.split(':').nth(3).unwrap_or_default().to_string()
    }
}

impl TryFrom<String> for StreamArn {
    type Error = CoreError;
    fn try_from(value: String) -> Result<Self> {
        Self::parse(&value)
    }
}

impl From<StreamArn> for String {
    fn from(value: StreamArn) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns() {
        let r = RoleArn::parse("arn:aws:iam::352302322568:role/the-data-access-role").expect("ok");
        assert_eq!(r.account(), "352302322568");
        assert_eq!(r.name(), "the-data-access-role");
        let with_path = RoleArn::parse("arn:aws:iam::352302322568:role/vendors/mm").expect("path");
        assert_eq!(with_path.name(), "mm");

        let e = RoleArn::parse("arn:aws:sts::352302322568:assumed-role/the-data-access-role")
            .expect_err("session arn");
        assert!(
            e.to_string()
                .contains("arn:aws:iam::352302322568:role/the-data-access-role"),
            "{e}"
        );
        for bad in [
            "arn:aws:iam::35230232256:role/x",
            "arn:aws:s3:::bucket",
            "arn:foo:iam::352302322568:role/x",
            "role/x",
            "arn:aws:iam::352302322568:user/x",
            "arn:aws:iam::352302322568:role/",
        ] {
            assert!(RoleArn::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stream_arns() {
        let s = StreamArn::parse("arn:aws:kinesis:us-east-1:352302322568:stream/mm-events")
            .expect("ok");
        assert_eq!(s.name(), "mm-events");
        assert_eq!(s.region(), "us-east-1");
        for bad in [
            "arn:aws:kinesis::352302322568:stream/x",
            "arn:aws:kinesis:us-east-1:352302322568:firehose/x",
            "arn:aws:kinesis:us-east-1:352302322568:stream/bad name",
        ] {
            assert!(StreamArn::parse(bad).is_err(), "{bad}");
        }
    }
}
