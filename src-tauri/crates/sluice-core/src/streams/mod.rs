//! Kinesis streams: what a stream is (`info`) and its records from any position, every
//! shard read concurrently and merged by arrival time (`read`), each record through the one
//! decode chain (`crate::decode`).

pub mod export;
pub mod info;
pub mod read;
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

impl Sluice {
    /// Kinesis through `connection` (its assumed role) when given, else the source identity.
    pub async fn kinesis_client(
        &self,
        connection: Option<&str>,
    ) -> Result<aws_sdk_kinesis::Client> {
        Ok(self.clients_for(connection).await?.kinesis())
    }
}
