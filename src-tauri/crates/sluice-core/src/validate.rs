//! Validation of user-supplied values, each with a message that says what is expected.
//!
//! Everything that reaches AWS or the disk from a person, a file or the environment passes
//! through one of these first, so a typo becomes a clear `InvalidInput` instead of an SDK
//! error three calls later.

use crate::error::{CoreError, Result};

/// An AWS region such as `eu-west-1` or `us-gov-west-1`.
pub fn region(value: &str) -> Result<&str> {
    let parts: Vec<&str> = value.split('-').collect();
    let ok = value.len() <= 32
        && parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if ok {
        Ok(value)
    } else {
        Err(CoreError::invalid(
            "region",
            format!("'{value}' is not an AWS region (expected something like eu-west-1)"),
        ))
    }
}

/// An AWS CLI profile name from `~/.aws/config`.
pub fn profile_name(value: &str) -> Result<&str> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
    if ok {
        Ok(value)
    } else {
        Err(CoreError::invalid(
            "profile",
            "use 1-64 letters, digits or _+=,.@- (the name in ~/.aws/config)",
        ))
    }
}

/// An access key id: 16-128 upper-case letters and digits (AKIA…, ASIA…).
pub fn access_key_id(value: &str) -> Result<&str> {
    let ok = (16..=128).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(value)
    } else {
        Err(CoreError::invalid(
            "access key id",
            "expected 16-128 upper-case letters and digits, like AKIAIOSFODNN7EXAMPLE",
        ))
    }
}

/// A secret access key: non-empty, printable, no whitespace.
pub fn secret_access_key(value: &str) -> Result<()> {
    let ok = (16..=256).contains(&value.len()) && value.chars().all(|c| c.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(CoreError::invalid(
            "secret access key",
            "expected 16-256 printable characters without spaces",
        ))
    }
}

/// A 12-digit AWS account id.
pub fn account_id(value: &str) -> Result<&str> {
    if value.len() == 12 && value.chars().all(|c| c.is_ascii_digit()) {
        Ok(value)
    } else {
        Err(CoreError::invalid(
            "account id",
            format!("'{value}' is not a 12-digit AWS account id"),
        ))
    }
}

/// An endpoint override (a local emulator, a VPC endpoint): an http(s) URL with a host.
pub fn endpoint_url(value: &str) -> Result<String> {
    let parsed = url::Url::parse(value)
        .map_err(|e| CoreError::invalid("endpoint URL", format!("'{value}' is not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(CoreError::invalid(
            "endpoint URL",
            "use http:// or https:// with a host, like http://127.0.0.1:5000",
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(CoreError::invalid(
            "endpoint URL",
            "must not contain a user name or password",
        ));
    }
    Ok(value.trim_end_matches('/').to_string())
}

/// An S3 bucket name (the general-purpose bucket naming rules).
pub fn bucket_name(value: &str) -> Result<&str> {
    let bad = |reason: &str| {
        Err(CoreError::invalid(
            "bucket name",
            format!("'{value}': {reason}"),
        ))
    };
    if !(3..=63).contains(&value.len()) {
        return bad("must be 3-63 characters");
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
    {
        return bad("only lower-case letters, digits, '.' and '-' are allowed");
    }
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !edge_ok(value.chars().next()) || !edge_ok(value.chars().last()) {
        return bad("must start and end with a letter or digit");
    }
    if value.contains("..") || value.contains(".-") || value.contains("-.") {
        return bad("no '..', '.-' or '-.'");
    }
    if value.split('.').count() == 4 && value.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return bad("must not look like an IP address");
    }
    if value.starts_with("xn--") || value.starts_with("sthree-") || value.ends_with("-s3alias") {
        return bad("uses a prefix or suffix reserved by AWS");
    }
    Ok(value)
}

/// An S3 key prefix: relative, no empty path segments, no control characters.
pub fn prefix(value: &str) -> Result<&str> {
    let bad = |reason: &str| Err(CoreError::invalid("prefix", format!("'{value}': {reason}")));
    if value.len() > 1024 {
        return bad("longer than 1024 bytes");
    }
    if value.starts_with('/') {
        return bad("must not start with '/'");
    }
    if value.contains("//") {
        return bad("must not contain '//'");
    }
    if value.chars().any(|c| c.is_control()) {
        return bad("must not contain control characters");
    }
    Ok(value)
}

fn iam_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

/// An ExternalId: 2-1224 characters of `[\w+=,.@:/-]`.
pub fn external_id(value: &str) -> Result<()> {
    let ok = (2..=1224).contains(&value.chars().count())
        && value
            .chars()
            .all(|c| iam_word_char(c) || c == ':' || c == '/');
    if ok {
        Ok(())
    } else {
        // Never echo the value: an ExternalId is a secret.
        Err(CoreError::invalid(
            "ExternalId",
            "expected 2-1224 letters, digits or + = , . @ : / - _ (no spaces)",
        ))
    }
}

/// An STS role session name: 2-64 characters of `[\w+=,.@-]`.
pub fn session_name(value: &str) -> Result<&str> {
    if (2..=64).contains(&value.len()) && value.chars().all(iam_word_char) {
        Ok(value)
    } else {
        Err(CoreError::invalid(
            "session name",
            "expected 2-64 letters, digits or + = , . @ - _",
        ))
    }
}

/// An inline policy name (1-128 characters of `[\w+=,.@-]`).
pub fn policy_name(value: &str) -> Result<&str> {
    if (1..=128).contains(&value.len()) && value.chars().all(iam_word_char) {
        Ok(value)
    } else {
        Err(CoreError::invalid(
            "policy name",
            format!("'{value}': expected 1-128 letters, digits or + = , . @ - _"),
        ))
    }
}

/// An IAM user or role name (1-64 characters of `[\w+=,.@-]`).
pub fn iam_name<'a>(field: &str, value: &'a str) -> Result<&'a str> {
    if (1..=64).contains(&value.len()) && value.chars().all(iam_word_char) {
        Ok(value)
    } else {
        Err(CoreError::invalid(
            field,
            format!("'{value}': expected 1-64 letters, digits or + = , . @ - _"),
        ))
    }
}

/// A vendor display name (shown on the console's switch-role page): 1-64 printable characters.
pub fn display_name(value: &str) -> Result<&str> {
    if (1..=64).contains(&value.chars().count()) && !value.chars().any(char::is_control) {
        Ok(value)
    } else {
        Err(CoreError::invalid(
            "display name",
            "use 1-64 characters without control characters",
        ))
    }
}

/// A connection name: 1-64 letters, digits, '-', '_' or '.'.
pub fn connection_name(value: &str) -> Result<&str> {
    let ok = (1..=64).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !value.starts_with('.');
    if ok {
        Ok(value)
    } else {
        Err(CoreError::invalid(
            "connection name",
            "use 1-64 letters, digits, '-', '_' or '.' (not starting with '.')",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for ok in ["eu-west-1", "us-east-1", "us-gov-west-1", "ap-southeast-2"] {
            assert!(region(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "eu-west",
            "EU-WEST-1",
            "eu_west_1",
            "eu--1",
            "us-east-1a",
        ] {
            assert!(region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(account_id("123456789012").is_ok());
        for bad in ["12345678901", "1234567890123", "12345678901a", ""] {
            assert!(account_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn access_keys() {
        assert!(access_key_id("AKIAIOSFODNN7EXAMPLE").is_ok());
        assert!(access_key_id("akiaiosfodnn7example").is_err());
        assert!(access_key_id("AKIA").is_err());
        assert!(secret_access_key("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").is_ok());
        assert!(secret_access_key("has space inside it okay").is_err());
    }

    #[test]
    fn endpoints() {
        assert_eq!(
            endpoint_url("http://127.0.0.1:5000/").expect("valid"),
            "http://127.0.0.1:5000"
        );
        for bad in [
            "127.0.0.1:5000",
            "ftp://host",
            "http://user:pw@host",
            "nonsense",
        ] {
            let e = endpoint_url(bad).expect_err(bad);
            assert_eq!(e.code(), crate::ErrorCode::InvalidInput);
        }
    }

    #[test]
    fn profiles() {
        assert!(profile_name("vendor-sso").is_ok());
        assert!(profile_name("a b").is_err());
        assert!(profile_name("").is_err());
    }

    #[test]
    fn buckets() {
        for ok in ["mm-demo-data", "vendor.data-bucket", "abc", "a1b2"] {
            assert!(bucket_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ab",
            "Upper",
            "-lead",
            "trail-",
            "a..b",
            "192.168.1.1",
            "xn--abc",
            "x-s3alias",
            "under_score",
            "a.-b",
        ] {
            assert!(bucket_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prefixes() {
        assert!(prefix("timeseries/").is_ok());
        assert!(prefix("").is_ok());
        for bad in ["/abs", "a//b", "a\u{0}b"] {
            assert!(prefix(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn external_ids_and_sessions() {
        assert!(external_id("Ext-Id:with/odd=chars@1").is_ok());
        assert!(external_id("x").is_err());
        assert!(external_id("has space").is_err());
        assert!(external_id(&"a".repeat(1225)).is_err());
        let e = external_id("s3cret value").expect_err("space");
        assert!(!e.to_string().contains("s3cret"));
        assert!(session_name("sluice-demo").is_ok());
        assert!(session_name("x").is_err());
        assert!(session_name(&"a".repeat(65)).is_err());
    }

    #[test]
    fn connection_names() {
        assert!(connection_name("machinemetrics").is_ok());
        for bad in ["", ".hidden", "a/b", "a b", &"x".repeat(65)] {
            assert!(connection_name(bad).is_err(), "{bad}");
        }
    }
}
