//! The credentials file a vendor asks for (`s3.json` in seed `streammachine-s3-export.txt`):
//! exactly the shape of `aws iam create-access-key` output, written with mode 0600 and never
//! over an existing file unless asked.

use serde_json::json;

use super::record::RecordStore;
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::secrets::{SecretKey, SecretKind};

impl Sluice {
    /// Writes `{"AccessKey": {UserName, AccessKeyId, Status, SecretAccessKey, CreateDate}}`
    /// for the writer's current key to `path`. Returns the path written.
    pub fn export_sink_credentials(
        &self,
        user: &str,
        path: &std::path::Path,
        replace: bool,
    ) -> Result<String> {
        let record = RecordStore::beside(self.settings().path())
            .load(user)?
            .ok_or_else(|| {
                CoreError::invalid(
                    "user",
                    format!("Sluice has set up no destination for '{user}'"),
                )
            })?;
        let key = record.current_key().ok_or_else(|| {
            CoreError::invalid("user", format!("'{user}' has no access key made by Sluice"))
        })?;
        if !key.validated {
            return Err(CoreError::invalid(
                "credentials",
                format!(
                    "{} has not passed validation: only a key proven to write its files and nothing more goes to a vendor",
                    key.access_key_id
                ),
            ));
        }
        let secret = self
            .secrets()
            .get(&SecretKey::new(
                SecretKind::SecretAccessKey,
                &key.access_key_id,
            )?)?
            .ok_or_else(|| CoreError::Keyring {
                detail: format!("the secret of {} is not in this keyring", key.access_key_id),
            })?;
        let body = json!({
            "AccessKey": {
                "UserName": record.user,
                "AccessKeyId": key.access_key_id,
                "Status": "Active",
                "SecretAccessKey": secret.expose(),
                "CreateDate": key.created,
            }
        });
        let text = format!(
            "{}\n",
            serde_json::to_string_pretty(&body).unwrap_or_default()
        );
        self.save_private_user_file(path, text.as_bytes(), replace)
    }
}
