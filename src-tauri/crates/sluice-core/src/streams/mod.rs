//! Kinesis streams: what a stream is (`info`) and its records from any position, every
//! shard read concurrently and merged by arrival time (`read`), each record through the one
//! decode chain (`crate::decode`).

pub mod export;
pub mod info;
pub mod publish;
pub mod read;
pub mod shard;
pub mod tail;

use crate::arn::StreamArn;
use crate::context::Sluice;
use crate::error::{CoreError, Result};

/// A stream named by its name or its ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamRef {
    Name(String),
    Arn(StreamArn),
}

impl StreamRef {
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        if text.starts_with("arn:") {
            return Ok(Self::Arn(StreamArn::parse(text)?));
        }
        let ok = (1..=128).contains(&text.len())
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if ok {
            Ok(Self::Name(text.to_string()))
        } else {
            Err(CoreError::invalid(
                "stream",
                format!(
                    "'{text}': a stream name (1-128 of letters, digits, _ . -) or a stream ARN"
                ),
            ))
        }
    }

    pub fn name(&self) -> Option<&str> {
        match self {
            Self::Name(n) => Some(n),
            Self::Arn(_) => None,
        }
    }

    pub fn arn(&self) -> Option<&str> {
        match self {
            Self::Arn(a) => Some(a.as_str()),
            Self::Name(_) => None,
        }
    }

    pub fn label(&self) -> String {
        match self {
            Self::Name(n) => n.clone(),
            Self::Arn(a) => a.name(),
        }
    }
}

/// An AccessDenied on a stream says what to grant: the action, the stream, and the policy
/// Sluice writes for it (as the connection checklist does).
pub(crate) fn explain_denied(e: CoreError, stream: &str) -> CoreError {
    match e {
        CoreError::AccessDenied { action, message } => {
            let fix = format!(
                "grant {action} on the stream {stream}: `sluice policy reader --bucket B --stream-arn ARN` writes a policy with the four read actions"
            );
            let message = if message.is_empty() {
                fix
            } else {
                format!("{message}; {fix}")
            };
            CoreError::AccessDenied { action, message }
        }
        other => other,
    }
}

impl Sluice {
    /// Kinesis through `connection` (its assumed role) when given, else the source identity.
    pub async fn kinesis_client(
        &self,
        connection: Option<&str>,
    ) -> Result<aws_sdk_kinesis::Client> {
        Ok(self.clients_for(connection).await?.kinesis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_the_action_and_the_policy_that_grants_it() {
        let e = explain_denied(
            CoreError::AccessDenied {
                action: "kinesis:GetRecords".into(),
                message: String::new(),
            },
            "mm-events",
        );
        let text = e.to_string();
        assert!(
            text.contains("kinesis:GetRecords") && text.contains("mm-events"),
            "{text}"
        );
        assert!(text.contains("sluice policy reader"), "{text}");
        assert!(StreamRef::parse("bad name!").is_err());
        assert!(StreamRef::parse("arn:aws:kinesis:us-east-1:123456789012:stream/mm").is_ok());
    }
}
