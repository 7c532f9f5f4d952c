//! Temporary credentials pasted from wherever they were handed out: the IAM Identity Center
//! portal's "Command line or programmatic access" blocks (`export …` for macOS / Linux,
//! `SET …` for the Windows command prompt, `$Env:…` for PowerShell, or the `[profile]`
//! block for `~/.aws/credentials`), the JSON of `aws sts get-session-token` /
//! `assume-role`, or `aws configure export-credentials` (process format).
//!
//! Only the key id leaves this file in clear: the secret key and the session token are
//! [`Sensitive`] from the moment they are read, and no error message quotes a value.

use serde_json::Value;

use crate::error::{CoreError, Result};
use crate::sensitive::Sensitive;
use crate::validate;

/// One set of temporary credentials.
#[derive(Debug, Clone)]
pub struct PastedCredentials {
    pub access_key_id: String,
    pub secret_access_key: Sensitive<String>,
    pub session_token: Sensitive<String>,
    /// When they expire (RFC 3339), when the pasted text says.
    pub expires: Option<String>,
}

/// The names each value goes by, in the environment blocks and in a profile block.
const ID: &[&str] = &["aws_access_key_id", "accesskeyid"];
const SECRET: &[&str] = &["aws_secret_access_key", "secretaccesskey"];
const TOKEN: &[&str] = &["aws_session_token", "sessiontoken", "aws_security_token"];
const EXPIRY: &[&str] = &[
    "aws_credential_expiration",
    "aws_session_expiration",
    "x_security_token_expires",
    "expiration",
];

fn invalid(reason: impl Into<String>) -> CoreError {
    CoreError::invalid("pasted credentials", reason)
}

/// Reads one set of temporary credentials from `text`, in any of the shapes above.
pub fn parse(text: &str) -> Result<PastedCredentials> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(
            "paste the block the portal shows under \"Command line or programmatic access\"",
        ));
    }
    let fields = if text.starts_with('{') {
        json_fields(text)?
    } else {
        line_fields(text)
    };
    let find = |names: &[&str]| {
        fields
            .iter()
            .find(|(k, _)| names.contains(&k.as_str()))
            .map(|(_, v)| v.clone())
    };
    let missing = |what: &str, name: &str| {
        invalid(format!(
            "no {what} found (AWS_{name} or aws_{name_lower})",
            name_lower = name.to_lowercase()
        ))
    };
    let id = find(ID).ok_or_else(|| missing("access key id", "ACCESS_KEY_ID"))?;
    let secret = find(SECRET).ok_or_else(|| missing("secret access key", "SECRET_ACCESS_KEY"))?;
    let token = find(TOKEN).ok_or_else(|| {
        invalid("no session token found (AWS_SESSION_TOKEN or aws_session_token): these are not temporary credentials; use the access key form for a long-term key")
    })?;
    from_fields(&id, secret, token, find(EXPIRY))
}

/// The three values typed (or pasted) one by one, and the expiry if known.
pub fn from_fields(
    access_key_id: &str,
    secret_access_key: String,
    session_token: String,
    expires: Option<String>,
) -> Result<PastedCredentials> {
    let id = validate::access_key_id(access_key_id.trim())?.to_string();
    let secret = Sensitive::new(secret_access_key.trim().to_string());
    validate::secret_access_key(secret.expose())?;
    let token = session_token.trim().to_string();
    if token.len() < 16 || token.chars().any(char::is_whitespace) {
        return Err(invalid(
            "the session token is cut short or has spaces in it: copy it again, whole",
        ));
    }
    let expires = expires.map(|e| normalized_time(e.trim())).transpose()?;
    Ok(PastedCredentials {
        access_key_id: id,
        secret_access_key: secret,
        session_token: Sensitive::new(token),
        expires,
    })
}

/// `2026-12-03T18:00:00Z`, `2026-12-03T19:00:00+01:00` or epoch seconds, as RFC 3339 UTC.
fn normalized_time(text: &str) -> Result<String> {
    use aws_smithy_types::date_time::{DateTime, Format};
    let not_a_time = || invalid(format!("the expiry '{text}' is not a date and time"));
    let parsed = match utc_offset(text) {
        Some((local, offset)) => DateTime::from_str(&format!("{local}Z"), Format::DateTime)
            .map(|t| DateTime::from_secs(t.secs() - offset))
            .map_err(|_| not_a_time())?,
        None => DateTime::from_str(text, Format::DateTime)
            .or_else(|_| text.parse::<i64>().map(DateTime::from_secs))
            .map_err(|_| not_a_time())?,
    };
    parsed
        .fmt(Format::DateTime)
        .map_err(|_| invalid(format!("the expiry '{text}' is out of range")))
}

/// `2026-12-03T19:00:00+01:00` as the local part and its offset east of UTC in seconds.
fn utc_offset(text: &str) -> Option<(&str, i64)> {
    let (local, zone) = text.split_at(text.len().checked_sub(6)?);
    let sign = match zone.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = zone[1..].split_once(':')?;
    let minutes = h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?;
    local.contains('T').then_some((local, sign * minutes * 60))
}

/// `(name, value)` from `export NAME=value`, `SET NAME=value`, `$Env:NAME="value"` and
/// `name = value` lines; names lower-cased, quotes removed, `[profile]` headers skipped.
fn line_fields(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = strip_prefix_ci(line, "export ")
                .or_else(|| strip_prefix_ci(line, "set "))
                .or_else(|| strip_prefix_ci(line, "$env:"))
                .unwrap_or(line);
            let (name, value) = rest.split_once('=')?;
            let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
            Some((name.trim().to_ascii_lowercase(), value.to_string()))
        })
        .collect()
}

fn strip_prefix_ci<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let head = line.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| line[prefix.len()..].trim_start())
}

/// The fields of `{"Credentials": {...}}` (STS) or `{"AccessKeyId": …}` (process format).
fn json_fields(text: &str) -> Result<Vec<(String, String)>> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| invalid(format!("not valid JSON ({e})")))?;
    let object = value
        .get("Credentials")
        .unwrap_or(&value)
        .as_object()
        .ok_or_else(|| invalid("the JSON holds no credentials object"))?;
    Ok(object
        .iter()
        .filter_map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some((k.to_ascii_lowercase(), text))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "ASIAIOSFODNN7EXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==";

    fn check(c: &PastedCredentials) {
        assert_eq!(c.access_key_id, ID);
        assert_eq!(c.secret_access_key.expose(), SECRET);
        assert_eq!(c.session_token.expose(), TOKEN);
    }

    #[test]
    fn every_shape_the_portal_and_the_cli_hand_out_is_read() {
        let shapes = [
            format!("export AWS_ACCESS_KEY_ID=\"{ID}\"\nexport AWS_SECRET_ACCESS_KEY=\"{SECRET}\"\nexport AWS_SESSION_TOKEN=\"{TOKEN}\"\n"),
            format!("SET AWS_ACCESS_KEY_ID={ID}\r\nSET AWS_SECRET_ACCESS_KEY={SECRET}\r\nSET AWS_SESSION_TOKEN={TOKEN}\r\n"),
            format!("$Env:AWS_ACCESS_KEY_ID=\"{ID}\"\n$Env:AWS_SECRET_ACCESS_KEY=\"{SECRET}\"\n$Env:AWS_SESSION_TOKEN=\"{TOKEN}\""),
            format!("[123456789012_ReadOnly]\naws_access_key_id={ID}\naws_secret_access_key = {SECRET}\naws_session_token={TOKEN}\n"),
            format!("{{\"Credentials\": {{\"AccessKeyId\": \"{ID}\", \"SecretAccessKey\": \"{SECRET}\", \"SessionToken\": \"{TOKEN}\", \"Expiration\": \"2030-01-01T00:00:00+00:00\"}}}}"),
            format!("{{\"Version\": 1, \"AccessKeyId\": \"{ID}\", \"SecretAccessKey\": \"{SECRET}\", \"SessionToken\": \"{TOKEN}\", \"Expiration\": \"2030-01-01T00:00:00Z\"}}"),
        ];
        for text in &shapes {
            let c = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            check(&c);
        }
        let json = parse(&shapes[4]).expect("sts");
        assert_eq!(json.expires.as_deref(), Some("2030-01-01T00:00:00Z"));
        assert_eq!(parse(&shapes[0]).expect("export").expires, None);
        let east = format!(
            "{}export AWS_CREDENTIAL_EXPIRATION=2030-01-01T01:30:00+01:30\n",
            shapes[0]
        );
        assert_eq!(
            parse(&east).expect("offset").expires.as_deref(),
            Some("2030-01-01T00:00:00Z")
        );
        let with_expiry = format!(
            "{}export AWS_CREDENTIAL_EXPIRATION=2030-01-01T01:02:03Z\n",
            shapes[0]
        );
        assert_eq!(
            parse(&with_expiry).expect("expiry").expires.as_deref(),
            Some("2030-01-01T01:02:03Z")
        );
    }

    #[test]
    fn what_is_missing_or_malformed_is_named_and_no_secret_is_echoed() {
        let no_token =
            format!("export AWS_ACCESS_KEY_ID={ID}\nexport AWS_SECRET_ACCESS_KEY={SECRET}\n");
        let cut_token = format!("{no_token}export AWS_SESSION_TOKEN=IQo\n");
        let bad_id = format!("export AWS_ACCESS_KEY_ID=nope\nexport AWS_SECRET_ACCESS_KEY={SECRET}\nexport AWS_SESSION_TOKEN={TOKEN}\n");
        let bad_expiry = format!(
            "{no_token}export AWS_SESSION_TOKEN={TOKEN}\nexport AWS_CREDENTIAL_EXPIRATION=soon\n"
        );
        let cases = [
            ("", "paste the block"),
            (no_token.as_str(), "no session token"),
            (cut_token.as_str(), "cut short"),
            (bad_id.as_str(), "access key id"),
            (bad_expiry.as_str(), "not a date"),
            ("{ not json", "not valid JSON"),
            ("export AWS_SESSION_TOKEN=x", "no access key id"),
        ];
        for (text, expected) in cases {
            let err = parse(text).expect_err(expected);
            let message = err.to_string();
            assert_eq!(err.code(), crate::ErrorCode::InvalidInput, "{message}");
            assert!(message.contains(expected), "{expected}: {message}");
            assert!(
                !message.contains(SECRET) && !message.contains(TOKEN),
                "{message}"
            );
        }
    }
}
