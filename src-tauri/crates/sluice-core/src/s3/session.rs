//! Which clients an action uses: a connection's session, or the source identity.

use crate::context::Sluice;
use crate::error::Result;

impl Sluice {
    /// Clients through `connection` (its assumed role) when given, else the source identity.
    pub async fn clients_for(&self, connection: Option<&str>) -> Result<crate::aws::AwsClients> {
        match connection {
            Some(name) => self.connection_clients(name).await,
            None => self.aws().await,
        }
    }

    /// S3 through `connection` (its assumed role) when given, else the source identity.
    pub async fn s3_client(&self, connection: Option<&str>) -> Result<aws_sdk_s3::Client> {
        Ok(self.clients_for(connection).await?.s3())
    }
}
