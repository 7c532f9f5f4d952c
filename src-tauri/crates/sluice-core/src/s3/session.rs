//! Which S3 client a browse action uses: a connection's session, or the source identity.

use crate::context::Sluice;
use crate::error::Result;

impl Sluice {
    /// S3 through `connection` (its assumed role) when given, else the source identity.
    pub async fn s3_client(&self, connection: Option<&str>) -> Result<aws_sdk_s3::Client> {
        Ok(match connection {
            Some(name) => self.connection_clients(name).await?.s3(),
            None => self.aws().await?.s3(),
        })
    }
}
