//! "Verify": a checklist a person can read. Who am I → assume the role (with the ExternalId)
//! → probe each configured resource with the calls the app itself will use.
//!
//! Each failed check names the action and resource and says what to do; checks that depend
//! on a failed one are skipped, not failed again.

use aws_credential_types::Credentials;
use serde::Serialize;

use super::session::ConnectionSession;
use super::Connection;
use crate::aws::errors;
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::identity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum CheckStatus {
    Passed,
    Failed,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Check {
    /// Stable id: `whoami`, `assume-role`, `s3-list`, `s3-head`, `kinesis-describe`,
    /// `kinesis-shards`, `kinesis-iterator`.
    pub id: String,
    pub title: String,
    pub status: CheckStatus,
    /// What was seen (on success) or what failed.
    pub detail: String,
    /// What to do about a failure.
    pub fix: Option<String>,
    /// The error code of a failure, for the UI to match on.
    pub error_kind: Option<crate::ErrorCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct VerifyReport {
    pub connection: String,
    pub checks: Vec<Check>,
    pub passed: bool,
}

struct Checklist {
    checks: Vec<Check>,
}

impl Checklist {
    fn pass(&mut self, id: &str, title: String, detail: String) {
        self.push(id, title, CheckStatus::Passed, detail, None, None);
    }

    fn fail(&mut self, id: &str, title: String, err: &CoreError, fix: String) {
        self.push(
            id,
            title,
            CheckStatus::Failed,
            err.to_string(),
            Some(fix),
            Some(err.code()),
        );
    }

    /// A failed AWS call: the error, and the fix for that action on that resource.
    fn fail_call(
        &mut self,
        id: &str,
        c: &Connection,
        err: &CoreError,
        action: &str,
        resource: &str,
        via_role: bool,
    ) {
        let fix = fix_for(err, action, resource, via_role);
        self.fail(id, title_for(id, c), err, fix);
    }

    fn skip(&mut self, id: &str, title: String, why: &str) {
        self.push(id, title, CheckStatus::Skipped, why.to_string(), None, None);
    }

    fn push(
        &mut self,
        id: &str,
        title: String,
        status: CheckStatus,
        detail: String,
        fix: Option<String>,
        error_kind: Option<crate::ErrorCode>,
    ) {
        self.checks.push(Check {
            id: id.to_string(),
            title,
            status,
            detail,
            fix,
            error_kind,
        });
    }
}

fn denied_fix(action: &str, resource: &str, via_role: bool) -> String {
    if via_role {
        format!("the vendor role may not call {action} on {resource}: ask the vendor to grant it")
    } else {
        format!("your identity may not call {action} on {resource}: add it to your IAM policy")
    }
}

fn fix_for(err: &CoreError, action: &str, resource: &str, via_role: bool) -> String {
    match err {
        CoreError::AccessDenied { .. } => denied_fix(action, resource, via_role),
        CoreError::NotFound { .. } => {
            format!("{resource} does not exist or is in another region: check the name and region")
        }
        CoreError::Network { .. } => "check your network connection or endpoint URL".into(),
        CoreError::ExpiredToken { .. } => "reload the session".into(),
        _ => format!("{action} on {resource} failed: check the value and try again"),
    }
}

impl Sluice {
    /// Runs the checklist for a connection. Always returns a report; a failed check is data.
    pub async fn verify_connection(&self, name: &str) -> Result<VerifyReport> {
        let connection = self.connection(name)?;
        self.forget_session(name);
        let mut list = Checklist { checks: Vec::new() };
        let session = match self.connection_session(name).await {
            Ok(s) => Some(s),
            // The source's MFA device asks for its code like anywhere else.
            Err(e @ CoreError::Mfa { .. }) => return Err(e),
            Err(e) => {
                let fix = match e.code() {
                    crate::ErrorCode::InvalidInput => {
                        "edit the connection and enter the missing value".into()
                    }
                    _ => "add an access key or choose a profile for this connection".into(),
                };
                list.fail("whoami", "Who am I".into(), &e, fix);
                None
            }
        };
        // A role that needs MFA is assumed first: a code is asked for like anywhere else (the
        // dialog, the prompt), not failed as a check; any other outcome is the role's check.
        let mut assumed = None;
        if let Some(role) = session.as_ref().and_then(|s| s.role.as_ref()) {
            if role.needs_mfa() {
                match role.credentials().await {
                    Err(e @ CoreError::Mfa { .. }) => return Err(e.for_connection(name)),
                    other => assumed = Some(other),
                }
            }
        }
        if let Some(session) = &session {
            self.run_checks(&connection, session, assumed, &mut list)
                .await;
        }
        let all_ids = [
            "whoami",
            "assume-role",
            "s3-list",
            "s3-head",
            "kinesis-describe",
            "kinesis-shards",
            "kinesis-iterator",
        ];
        for id in all_ids {
            if !list.checks.iter().any(|c| c.id == id) {
                list.skip(
                    id,
                    title_for(id, &connection),
                    "needs an earlier check to pass",
                );
            }
        }
        let passed = list.checks.iter().all(|c| c.status != CheckStatus::Failed);
        Ok(VerifyReport {
            connection: name.to_string(),
            checks: list.checks,
            passed,
        })
    }

    /// `assumed`: the role's AssumeRole when it was made already (a role that needs MFA).
    async fn run_checks(
        &self,
        c: &Connection,
        session: &ConnectionSession,
        assumed: Option<Result<Credentials>>,
        list: &mut Checklist,
    ) {
        match identity::whoami(&session.source).await {
            Ok(id) => list.pass(
                "whoami",
                "Who am I".into(),
                format!("{} (account {})", id.arn, id.account),
            ),
            Err(e) => {
                list.fail(
                    "whoami",
                    "Who am I".into(),
                    &e,
                    "add an access key or choose a profile for this connection".into(),
                );
                return;
            }
        }
        let assumed = match (assumed, &session.role) {
            (Some(result), _) => Some(result),
            (None, Some(rs)) => Some(rs.assume_now().await),
            (None, None) => None,
        };
        match (&c.role, assumed) {
            (Some(role), Some(assumed)) => match assumed {
                Ok(creds) => {
                    let until = creds
                        .expiry()
                        .map(|t| {
                            aws_smithy_types::DateTime::from(t)
                                .fmt(aws_smithy_types::date_time::Format::DateTime)
                                .unwrap_or_default()
                        })
                        .unwrap_or_default();
                    list.pass(
                        "assume-role",
                        title_for("assume-role", c),
                        format!("session '{}' valid until {until}", role.session_name),
                    );
                }
                Err(e) => {
                    let fix = match &e {
                        CoreError::AccessDenied { message, .. } => message.clone(),
                        _ => "check the role ARN and try again".into(),
                    };
                    list.fail("assume-role", title_for("assume-role", c), &e, fix);
                    return;
                }
            },
            _ => list.skip(
                "assume-role",
                title_for("assume-role", c),
                "no vendor role: your own identity is used",
            ),
        }
        let via_role = c.role.is_some();
        self.probe_s3(c, session, via_role, list).await;
        self.probe_kinesis(c, session, via_role, list).await;
    }

    async fn probe_s3(
        &self,
        c: &Connection,
        session: &ConnectionSession,
        via_role: bool,
        list: &mut Checklist,
    ) {
        let Some(bucket) = &c.bucket else {
            list.skip("s3-list", title_for("s3-list", c), "no bucket configured");
            list.skip("s3-head", title_for("s3-head", c), "no bucket configured");
            return;
        };
        let prefix = c.prefix.clone().unwrap_or_default();
        let resource = format!("arn:aws:s3:::{bucket} (prefix '{prefix}')");
        let s3 = session.clients.s3();
        let listed = s3
            .list_objects_v2()
            .bucket(bucket)
            .prefix(&prefix)
            .max_keys(10)
            .send()
            .await
            .map_err(|e| errors::classify("s3:ListBucket", e));
        let first_key = match listed {
            Ok(out) => {
                let first = out
                    .contents()
                    .iter()
                    .find_map(|o| o.key().map(str::to_string));
                let count = out.contents().len();
                let detail = match &first {
                    Some(k) => format!(
                        "{count}{} objects visible, first: {k}",
                        if out.is_truncated() == Some(true) {
                            "+"
                        } else {
                            ""
                        }
                    ),
                    None => "the prefix is empty (nothing delivered yet)".into(),
                };
                list.pass("s3-list", title_for("s3-list", c), detail);
                first
            }
            Err(e) => {
                list.fail_call("s3-list", c, &e, "s3:ListBucket", &resource, via_role);
                list.skip("s3-head", title_for("s3-head", c), "needs the listing");
                return;
            }
        };
        let Some(key) = first_key else {
            list.skip("s3-head", title_for("s3-head", c), "no object to read yet");
            return;
        };
        match s3.head_object().bucket(bucket).key(&key).send().await {
            Ok(out) => list.pass(
                "s3-head",
                title_for("s3-head", c),
                format!("{key}: {} bytes", out.content_length().unwrap_or_default()),
            ),
            Err(e) => {
                let e = errors::classify("s3:GetObject", e);
                let object = format!("arn:aws:s3:::{bucket}/{key}");
                list.fail_call("s3-head", c, &e, "s3:GetObject", &object, via_role);
            }
        }
    }

    async fn probe_kinesis(
        &self,
        c: &Connection,
        session: &ConnectionSession,
        via_role: bool,
        list: &mut Checklist,
    ) {
        let Some(stream) = &c.stream_arn else {
            for id in ["kinesis-describe", "kinesis-shards", "kinesis-iterator"] {
                list.skip(id, title_for(id, c), "no stream configured");
            }
            return;
        };
        let resource = stream.as_str();
        let kinesis = session.clients.kinesis();
        match kinesis
            .describe_stream_summary()
            .stream_arn(resource)
            .send()
            .await
        {
            Ok(out) => {
                let status = out
                    .stream_description_summary()
                    .map(|s| {
                        format!(
                            "{} with {} open shards",
                            s.stream_status().as_str(),
                            s.open_shard_count()
                        )
                    })
                    .unwrap_or_default();
                list.pass("kinesis-describe", title_for("kinesis-describe", c), status);
            }
            Err(e) => {
                let e = errors::classify("kinesis:DescribeStreamSummary", e);
                list.fail_call(
                    "kinesis-describe",
                    c,
                    &e,
                    "kinesis:DescribeStreamSummary",
                    resource,
                    via_role,
                );
                return;
            }
        }
        let shard = match kinesis.list_shards().stream_arn(resource).send().await {
            Ok(out) => {
                let first = out.shards().first().map(|s| s.shard_id().to_string());
                list.pass(
                    "kinesis-shards",
                    title_for("kinesis-shards", c),
                    format!("{} shards", out.shards().len()),
                );
                first
            }
            Err(e) => {
                let e = errors::classify("kinesis:ListShards", e);
                list.fail_call(
                    "kinesis-shards",
                    c,
                    &e,
                    "kinesis:ListShards",
                    resource,
                    via_role,
                );
                return;
            }
        };
        let Some(shard) = shard else {
            list.skip(
                "kinesis-iterator",
                title_for("kinesis-iterator", c),
                "the stream has no shards",
            );
            return;
        };
        match kinesis
            .get_shard_iterator()
            .stream_arn(resource)
            .shard_id(&shard)
            .shard_iterator_type(aws_sdk_kinesis::types::ShardIteratorType::Latest)
            .send()
            .await
        {
            Ok(_) => list.pass(
                "kinesis-iterator",
                title_for("kinesis-iterator", c),
                format!("can read {shard} from the latest position"),
            ),
            Err(e) => {
                let e = errors::classify("kinesis:GetShardIterator", e);
                list.fail_call(
                    "kinesis-iterator",
                    c,
                    &e,
                    "kinesis:GetShardIterator",
                    resource,
                    via_role,
                );
            }
        }
    }
}

fn title_for(id: &str, c: &Connection) -> String {
    let bucket = c.bucket.clone().unwrap_or_default();
    let prefix = c.prefix.clone().unwrap_or_default();
    let stream = c.stream_arn.as_ref().map(|s| s.name()).unwrap_or_default();
    match id {
        "whoami" => "Who am I".into(),
        "assume-role" => match &c.role {
            Some(r) => format!("Assume {}", r.role_arn),
            None => "Assume the vendor role".into(),
        },
        "s3-list" => format!("List s3://{bucket}/{prefix}"),
        "s3-head" => format!("Read an object in s3://{bucket}/{prefix}"),
        "kinesis-describe" => format!("Describe stream {stream}"),
        "kinesis-shards" => format!("List shards of {stream}"),
        "kinesis-iterator" => format!("Open a shard iterator on {stream}"),
        other => other.to_string(),
    }
}
