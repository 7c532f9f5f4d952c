//! Reading a vendor's handover email: role ARN, ExternalId, stream and bucket (as ARNs or
//! console URLs), switch-role URL, region.
//!
//! Each recognised value is validated; a value that is recognised but wrong becomes a
//! problem with its line number, and lines that mean nothing to us are ignored. Secrets
//! (ExternalId, a secret access key) come back wrapped in [`Sensitive`] and are never part
//! of the reviewable [`HandoverFields`].

use serde::Serialize;

use crate::arn::{Arn, RoleArn, StreamArn};
use crate::sensitive::Sensitive;
use crate::validate;

/// What a handover contained, without secrets: safe to show and to send to the UI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct HandoverFields {
    pub role_arn: Option<String>,
    pub stream_arn: Option<String>,
    pub bucket: Option<String>,
    pub prefix: Option<String>,
    pub region: Option<String>,
    pub switch_role_url: Option<String>,
    pub display_name: Option<String>,
    pub access_key_id: Option<String>,
    /// Whether an ExternalId was found (its value stays in Rust).
    pub external_id_found: bool,
    /// Whether a secret access key was found (its value stays in Rust).
    pub secret_access_key_found: bool,
    pub problems: Vec<HandoverProblem>,
}

/// A recognised value that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct HandoverProblem {
    pub line: u32,
    pub field: String,
    pub message: String,
}

/// The parsed handover: reviewable fields plus the secrets it carried.
#[derive(Debug, Default)]
pub struct Handover {
    pub fields: HandoverFields,
    pub external_id: Option<Sensitive<String>>,
    pub secret_access_key: Option<Sensitive<String>>,
}

const EXTERNAL_ID_LABELS: &[&str] = &["external id", "externalid", "external-id", "passphrase"];
const SECRET_KEY_LABELS: &[&str] = &["secret access key", "aws_secret_access_key", "secret key"];

/// Parses the pasted text. Never fails: unknown lines are skipped, bad values are listed.
pub fn parse(text: &str) -> Handover {
    let mut h = Handover::default();
    for (index, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let external_id = labelled_value(line, EXTERNAL_ID_LABELS);
        if let Some(value) = &external_id {
            match validate::external_id(value) {
                Ok(()) => {
                    h.external_id = Some(Sensitive::new(value.clone()));
                    h.fields.external_id_found = true;
                }
                Err(e) => h.problem(line_no, "ExternalId", e),
            }
        }
        let secret_key = labelled_value(line, SECRET_KEY_LABELS);
        if let Some(value) = &secret_key {
            match validate::secret_access_key(value) {
                Ok(()) => {
                    h.secret_access_key = Some(Sensitive::new(value.clone()));
                    h.fields.secret_access_key_found = true;
                }
                Err(e) => h.problem(line_no, "secret access key", e),
            }
        }
        // Secret values are never read as ARNs, URLs or key ids.
        let is_secret = |t: &str| {
            [&external_id, &secret_key]
                .iter()
                .any(|s| s.as_deref().is_some_and(|v| v.contains(t)))
        };
        for token in tokens(line).filter(|t| !is_secret(t)) {
            h.read_token(line_no, line, token);
        }
    }
    h
}

impl Handover {
    fn problem(&mut self, line: u32, field: &str, err: crate::CoreError) {
        let message = match err {
            crate::CoreError::InvalidInput { reason, .. } => reason,
            other => other.to_string(),
        };
        self.fields.problems.push(HandoverProblem {
            line,
            field: field.to_string(),
            message,
        });
    }

    fn read_token(&mut self, line_no: u32, line: &str, token: &str) {
        if token.starts_with("arn:") {
            self.read_arn(line_no, line, token);
        } else if token.starts_with("https://") {
            self.read_url(line_no, token);
        } else if is_access_key_id_candidate(token) && self.fields.access_key_id.is_none() {
            self.fields.access_key_id = Some(token.to_string());
        }
    }

    fn read_arn(&mut self, line_no: u32, line: &str, token: &str) {
        let parsed = match Arn::parse("ARN", token) {
            Ok(a) => a,
            Err(e) => return self.problem(line_no, "ARN", e),
        };
        match parsed.service.as_str() {
            "iam" if parsed.resource.starts_with("role/") => match RoleArn::parse(token) {
                Ok(r) => self.fields.role_arn = Some(r.to_string()),
                Err(e) => self.problem(line_no, "role ARN", e),
            },
            "sts" if parsed.resource.starts_with("assumed-role/") => {
                if let Err(e) = RoleArn::parse(token) {
                    self.problem(line_no, "role ARN", e);
                }
            }
            "kinesis" => match StreamArn::parse(token) {
                Ok(s) => {
                    self.fields.region.get_or_insert_with(|| s.region());
                    self.fields.stream_arn = Some(s.as_str().to_string());
                }
                Err(e) => self.problem(line_no, "stream ARN", e),
            },
            "s3" => {
                let (bucket, prefix) = split_bucket_path(&parsed.resource);
                self.fields.prefix = None;
                self.set_bucket(line_no, bucket, prefix);
            }
            // A user ARN: the vendor's IAM user for programmatic access; informative only.
            "iam" if parsed.resource.starts_with("user/") => {}
            _ => {
                let lower = line.to_ascii_lowercase();
                if lower.contains("role") || lower.contains("stream") || lower.contains("bucket") {
                    self.problem(
                        line_no,
                        "ARN",
                        crate::CoreError::invalid(
                            "ARN",
                            format!("'{token}' is not a role, stream or bucket ARN"),
                        ),
                    );
                }
            }
        }
    }

    fn set_bucket(&mut self, line_no: u32, bucket: &str, prefix: &str) {
        match validate::bucket_name(bucket).and_then(|_| validate::prefix(prefix)) {
            Ok(_) => {
                self.fields.bucket = Some(bucket.to_string());
                if !prefix.is_empty() {
                    self.fields.prefix = Some(prefix.to_string());
                }
            }
            Err(e) => self.problem(line_no, "bucket", e),
        }
    }

    fn read_url(&mut self, line_no: u32, token: &str) {
        let Ok(url) = url::Url::parse(token) else {
            return;
        };
        let host = url.host_str().unwrap_or_default().to_string();
        let query = |key: &str| {
            url.query_pairs()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.into_owned())
        };
        if !host.ends_with("aws.amazon.com") && !host.ends_with("amazonaws.com") {
            return;
        }
        if url.path().contains("switchrole") {
            self.fields.switch_role_url = Some(token.to_string());
            if let Some(d) = query("displayName") {
                self.fields.display_name = Some(d);
            }
            if let (Some(account), Some(role)) = (query("account"), query("roleName")) {
                if self.fields.role_arn.is_none() {
                    match RoleArn::parse(&format!("arn:aws:iam::{account}:role/{role}")) {
                        Ok(r) => self.fields.role_arn = Some(r.to_string()),
                        Err(e) => self.problem(line_no, "switch-role URL", e),
                    }
                }
            }
            return;
        }
        if let Some(region) = query("region") {
            if validate::region(&region).is_ok() {
                self.fields.region.get_or_insert(region);
            }
        }
        let path = url.path();
        if let Some(rest) = path.split("/s3/buckets/").nth(1) {
            // A bucket ARN is the more precise source; the console link only fills gaps.
            if self.fields.bucket.is_some() {
                return;
            }
            let bucket = rest
                .trim_end_matches('/')
                .split('/')
                .next()
                .unwrap_or_default();
            let prefix = query("prefix").unwrap_or_default();
            self.set_bucket(line_no, bucket, &prefix);
        } else if path.contains("/kinesis") {
            // Console fragments look like #/streams/details/NAME/... ; no account in the URL,
            // so the stream name is kept only when no stream ARN was given.
            let fragment = url.fragment().unwrap_or_default();
            if let Some(name) = fragment
                .split("streams/details/")
                .nth(1)
                .and_then(|r| r.split('/').next())
            {
                if self.fields.stream_arn.is_none() && !name.is_empty() {
                    self.fields.problems.push(HandoverProblem {
                        line: line_no,
                        field: "stream".into(),
                        message: format!(
                            "found the console link for stream '{name}' but no stream ARN; ask the vendor for the ARN"
                        ),
                    });
                }
            }
        }
    }
}

/// The value after `Label:` or `Label =` anywhere in the line, where the label is one of
/// `labels` (any case). The value ends at a bullet, a tab or a double space, so flattened
/// text ("… External ID: abc  • ARN …") still works; a value with single spaces inside is
/// returned whole, so validation can reject it.
fn labelled_value(line: &str, labels: &[&str]) -> Option<String> {
    let lower = line.to_ascii_lowercase();
    for label in labels {
        let mut from = 0;
        while let Some(found) = lower[from..].find(label) {
            let after = from + found + label.len();
            from = after;
            let Some(rest) = line[after..].trim_start().strip_prefix([':', '=']) else {
                continue;
            };
            let rest = rest.trim_start();
            let end = ["•", "\t", "  ", " - ", " | "]
                .iter()
                .filter_map(|sep| rest.find(sep))
                .min()
                .unwrap_or(rest.len());
            let value = rest[..end]
                .trim()
                .trim_matches(|c| c == '"' || c == '\'' || c == '`');
            if !value.is_empty() {
                return Some(value.to_string());
            }
        }
    }
    None
}

/// Whitespace-separated tokens with surrounding punctuation removed.
fn tokens(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| {
        c.is_whitespace() || c == '<' || c == '>' || c == '"' || c == '\'' || c == '(' || c == ')'
    })
    .map(|t| t.trim_end_matches([',', ';', '.']))
    .filter(|t| !t.is_empty())
}

fn is_access_key_id_candidate(token: &str) -> bool {
    (token.starts_with("AKIA") || token.starts_with("ASIA"))
        && validate::access_key_id(token).is_ok()
}

/// `bucket/some/prefix/` → (`bucket`, `some/prefix/`); a trailing `*` is dropped.
fn split_bucket_path(resource: &str) -> (&str, &str) {
    let resource = resource.trim_end_matches('*');
    match resource.split_once('/') {
        Some((b, p)) => (b, p),
        None => (resource, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMAIL: &str = "\
Hi, here is your access:

  • ARN of a role in our account: arn:aws:iam::352302322568:role/the-data-access-role
  • External ID: Correct-Horse/Battery:Staple
  • URL to switch roles: https://signin.aws.amazon.com/switchrole?roleName=the-data-access-role&account=352302322568&displayName=MachineMetrics
  • ARN of the Kinesis Stream: arn:aws:kinesis:us-east-1:352302322568:stream/mm-customer-events
  • URL of the Kinesis Stream: https://console.aws.amazon.com/kinesis/home?region=us-east-1#/streams/details/mm-customer-events/details
  • ARN of the S3 Bucket: arn:aws:s3:::mm-customer-data/timeseries/
  • URL of the S3 Bucket: https://s3.console.aws.amazon.com/s3/buckets/mm-customer-data?region=us-east-1&prefix=timeseries/

Best regards, the data team
";

    #[test]
    fn reads_the_seed_style_handover() {
        let h = parse(EMAIL);
        let f = &h.fields;
        assert_eq!(
            f.role_arn.as_deref(),
            Some("arn:aws:iam::352302322568:role/the-data-access-role")
        );
        assert_eq!(
            f.stream_arn.as_deref(),
            Some("arn:aws:kinesis:us-east-1:352302322568:stream/mm-customer-events")
        );
        assert_eq!(f.bucket.as_deref(), Some("mm-customer-data"));
        assert_eq!(f.prefix.as_deref(), Some("timeseries/"));
        assert_eq!(f.region.as_deref(), Some("us-east-1"));
        assert_eq!(f.display_name.as_deref(), Some("MachineMetrics"));
        assert!(f.external_id_found);
        assert_eq!(
            h.external_id.as_ref().map(|s| s.expose().as_str()),
            Some("Correct-Horse/Battery:Staple")
        );
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        // The reviewable fields never carry the secret.
        let json = serde_json::to_string(f).expect("json");
        assert!(!json.contains("Battery"), "{json}");
    }

    #[test]
    fn bad_values_are_problems_with_line_numbers_and_unknown_lines_are_ignored() {
        let text = "random chatter\nRole: arn:aws:sts::352302322568:assumed-role/the-data-access-role\nExternalId: has spaces in it\nBucket: arn:aws:s3:::Bad_Bucket\nStream arn:aws:kinesis:us-east-1:35230232256:stream/x\n";
        let h = parse(text);
        let lines: Vec<(u32, &str)> = h
            .fields
            .problems
            .iter()
            .map(|p| (p.line, p.field.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (2, "role ARN"),
                (3, "ExternalId"),
                (4, "bucket"),
                (5, "ARN")
            ]
        );
        assert!(h.fields.problems[0]
            .message
            .contains("arn:aws:iam::352302322568:role/the-data-access-role"));
        assert!(
            !h.fields.problems[1].message.contains("spaces in it"),
            "secret echoed"
        );
        assert!(h.external_id.is_none());
        assert!(h.fields.role_arn.is_none());
    }

    #[test]
    fn switch_role_url_alone_gives_the_role() {
        let h = parse("https://signin.aws.amazon.com/switchrole?roleName=reader&account=111122223333&displayName=Vendor");
        assert_eq!(
            h.fields.role_arn.as_deref(),
            Some("arn:aws:iam::111122223333:role/reader")
        );
    }

    #[test]
    fn flattened_text_still_yields_every_field() {
        let flat = EMAIL.replace('\n', " ");
        let h = parse(&flat);
        assert_eq!(
            h.fields.role_arn.as_deref(),
            Some("arn:aws:iam::352302322568:role/the-data-access-role")
        );
        assert_eq!(
            h.external_id.as_ref().map(|s| s.expose().as_str()),
            Some("Correct-Horse/Battery:Staple")
        );
        assert_eq!(h.fields.bucket.as_deref(), Some("mm-customer-data"));
        assert!(h.fields.stream_arn.is_some());
    }

    #[test]
    fn empty_text_gives_nothing_and_no_problems() {
        let h = parse("");
        assert_eq!(h.fields, HandoverFields::default());
    }
}
