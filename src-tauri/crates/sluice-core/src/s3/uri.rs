//! `s3://bucket/key-or-prefix` addresses, validated.

use std::fmt;

use crate::error::{CoreError, Result};
use crate::validate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Uri {
    pub bucket: String,
    /// A key or a prefix (may be empty: the whole bucket).
    pub key: String,
}

impl S3Uri {
    pub fn parse(text: &str) -> Result<Self> {
        let rest = text.trim().strip_prefix("s3://").ok_or_else(|| {
            CoreError::invalid("S3 URI", format!("'{text}' does not start with s3://"))
        })?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        validate::bucket_name(bucket)?;
        validate::prefix(key)?;
        Ok(Self {
            bucket: bucket.to_string(),
            key: key.to_string(),
        })
    }

    /// The S3 console link for this bucket and prefix.
    pub fn console_url(&self, region: Option<&str>) -> String {
        let region = region.unwrap_or("us-east-1");
        let mut url = url::Url::parse("https://s3.console.aws.amazon.com/s3/buckets/")
            .map(|base| base.join(&self.bucket).unwrap_or(base))
            .unwrap_or_else(|_| {
                url::Url::parse("https://s3.console.aws.amazon.com/").expect("static URL")
            });
        url.query_pairs_mut().append_pair("region", region);
        if !self.key.is_empty() {
            url.query_pairs_mut().append_pair("prefix", &self.key);
        }
        url.to_string()
    }
}

impl fmt::Display for S3Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let u = S3Uri::parse("s3://mm-data/timeseries/year=2020/").expect("ok");
        assert_eq!(u.bucket, "mm-data");
        assert_eq!(u.key, "timeseries/year=2020/");
        assert_eq!(u.to_string(), "s3://mm-data/timeseries/year=2020/");
        assert_eq!(S3Uri::parse("s3://mm-data").expect("bucket").key, "");
        assert_eq!(
            u.console_url(Some("eu-west-1")),
            "https://s3.console.aws.amazon.com/s3/buckets/mm-data?region=eu-west-1&prefix=timeseries%2Fyear%3D2020%2F"
        );
        for bad in [
            "mm-data/x",
            "s3://Bad_Bucket/x",
            "s3://ok-bucket//x",
            "s3://ok-bucket/a//b",
        ] {
            assert!(S3Uri::parse(bad).is_err(), "{bad}");
        }
    }
}
