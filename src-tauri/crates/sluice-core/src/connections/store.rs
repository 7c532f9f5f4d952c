//! Saving, listing and deleting connections: non-secret parts in the settings file,
//! ExternalIds and secret keys in the keyring, both kept in step.

use serde::{Deserialize, Serialize};

use super::{Connection, ConnectionDraft, ExternalIdChange, VendorRole};
use super::{DEFAULT_DURATION_SECONDS, DEFAULT_SESSION_NAME};
use crate::arn::{RoleArn, StreamArn};
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::identity::source::IdentitySettings;
use crate::identity::SourceIdentity;
use crate::secrets::{SecretKey, SecretKind};
use crate::sensitive::Sensitive;
use crate::validate;

/// This feature's section of the settings file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ConnectionsSettings {
    #[serde(default)]
    connections: Vec<Connection>,
}

/// The keyring entries a save is about to change, as they were, to put back if it fails.
struct KeyringBefore {
    external_id: (SecretKey, Option<Sensitive<String>>),
    access_key: Option<(SecretKey, Option<Sensitive<String>>)>,
}

impl KeyringBefore {
    fn restore(self, s: &Sluice) {
        for (key, value) in std::iter::once(self.external_id).chain(self.access_key) {
            let _ = match value {
                Some(v) => s.secrets().set(&key, &v),
                None => s.secrets().delete(&key).map(|_| ()),
            };
        }
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl Sluice {
    /// All saved connections, in name order.
    pub fn connections(&self) -> Result<Vec<Connection>> {
        let mut list = self.settings().read::<ConnectionsSettings>()?.connections;
        list.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(list)
    }

    /// One saved connection, or `NotFound`.
    pub fn connection(&self, name: &str) -> Result<Connection> {
        self.settings()
            .read::<ConnectionsSettings>()?
            .connections
            .into_iter()
            .find(|c| c.name == name)
            .ok_or_else(|| CoreError::NotFound {
                action: "connection".into(),
                message: format!("no connection named '{name}'"),
            })
    }

    /// Validates and saves a connection (new, or replacing the one with the same name).
    /// Nothing is written unless every field is valid.
    pub fn save_connection(&self, draft: ConnectionDraft) -> Result<Connection> {
        let name = validate::connection_name(draft.name.trim())?.to_string();
        let mut before: Option<KeyringBefore> = None;
        let saved = self.settings().update(|saved: &mut ConnectionsSettings| {
            self.save_connection_in(saved, &name, &draft, &mut before)
        });
        let (connection, existing) = match saved {
            Ok(done) => done,
            Err(e) => {
                // The keyring is put back as it was when the settings could not be written.
                if let Some(before) = before {
                    before.restore(self);
                }
                return Err(e);
            }
        };
        if let Some(old) = existing {
            self.forget_unused_access_key(&old.source)?;
        }
        self.forget_role_mfa_session(&name)?;
        Ok(connection)
    }

    /// Validates `draft` against the saved list, then writes its secrets and puts it in the
    /// list; `before` records the keyring as it was once it is about to change.
    fn save_connection_in(
        &self,
        settings: &mut ConnectionsSettings,
        name: &str,
        draft: &ConnectionDraft,
        before: &mut Option<KeyringBefore>,
    ) -> Result<(Connection, Option<Connection>)> {
        let name = name.to_string();
        let existing = settings
            .connections
            .iter()
            .find(|c| c.name == name)
            .cloned();
        let region = non_empty(&draft.region)
            .map(|r| validate::region(r).map(str::to_string))
            .transpose()?;
        let stream_arn = non_empty(&draft.stream_arn)
            .map(StreamArn::parse)
            .transpose()?;
        let bucket = non_empty(&draft.bucket)
            .map(|b| validate::bucket_name(b).map(str::to_string))
            .transpose()?;
        let prefix = match (non_empty(&draft.prefix), &bucket) {
            (Some(_), None) => {
                return Err(CoreError::invalid("prefix", "a prefix needs a bucket"));
            }
            (Some(p), Some(_)) => Some(validate::prefix(p)?.to_string()),
            (None, _) => None,
        };

        let ext_key = SecretKey::new(SecretKind::ExternalId, &name)?;
        let previous_external_id = self.secrets().get(&ext_key)?;
        // A leftover entry from a deleted connection of the same name is never reused.
        let had_external_id = existing
            .as_ref()
            .is_some_and(|c| c.role.as_ref().is_some_and(|r| r.has_external_id))
            && previous_external_id.is_some();
        let role = match non_empty(&draft.role_arn) {
            None => {
                if matches!(draft.external_id, ExternalIdChange::Set(_)) {
                    return Err(CoreError::invalid(
                        "ExternalId",
                        "an ExternalId is only used with a vendor role ARN",
                    ));
                }
                if non_empty(&draft.mfa_serial).is_some() {
                    return Err(CoreError::invalid(
                        "MFA device",
                        "MFA for the vendor's trust is only used with a vendor role ARN",
                    ));
                }
                None
            }
            Some(arn) => {
                let role_arn = RoleArn::parse(arn)?;
                let session_name = validate::session_name(
                    non_empty(&draft.session_name).unwrap_or(DEFAULT_SESSION_NAME),
                )?
                .to_string();
                let duration_seconds = draft.duration_seconds.unwrap_or(DEFAULT_DURATION_SECONDS);
                if !(900..=43_200).contains(&duration_seconds) {
                    return Err(CoreError::invalid(
                        "session duration",
                        "must be between 900 seconds (15 min) and 43200 seconds (12 h)",
                    ));
                }
                let has_external_id = match &draft.external_id {
                    ExternalIdChange::Set(v) => {
                        validate::external_id(v.expose())?;
                        true
                    }
                    ExternalIdChange::Clear => false,
                    ExternalIdChange::Keep => had_external_id,
                };
                Some(VendorRole {
                    role_arn,
                    session_name,
                    duration_seconds,
                    has_external_id,
                    display_name: non_empty(&draft.display_name)
                        .map(|d| validate::display_name(d).map(str::to_string))
                        .transpose()?,
                    mfa_serial: non_empty(&draft.mfa_serial)
                        .map(|s| crate::identity::mfa::serial(s).map(str::to_string))
                        .transpose()?,
                })
            }
        };
        let region = region.or_else(|| stream_arn.as_ref().map(StreamArn::region));

        // Everything is valid: now touch the keyring, then the settings file. If the settings
        // cannot be written, the keyring is put back as it was.
        let secret_key = match &draft.source {
            SourceIdentity::AccessKey { access_key_id } => {
                Some(SecretKey::new(SecretKind::SecretAccessKey, access_key_id)?)
            }
            _ => None,
        };
        let previous_secret = match &secret_key {
            Some(k) => self.secrets().get(k)?,
            None => None,
        };
        let connection = Connection {
            name: name.clone(),
            source: draft.source.clone(),
            region,
            role,
            bucket,
            prefix,
            stream_arn,
        };
        settings.connections.retain(|c| c.name != name);
        settings.connections.push(connection.clone());
        *before = Some(KeyringBefore {
            external_id: (ext_key.clone(), previous_external_id),
            access_key: secret_key.map(|k| (k, previous_secret)),
        });
        self.store_source_secret(&draft.source, draft.secret_access_key.clone())?;
        match (&draft.external_id, &connection.role) {
            (ExternalIdChange::Set(v), Some(_)) => {
                self.secrets().set(&ext_key, &v.clone().into_sensitive())?
            }
            (ExternalIdChange::Keep, Some(r)) if r.has_external_id => {}
            _ => {
                self.secrets().delete(&ext_key)?;
            }
        }
        Ok((connection, existing))
    }

    /// Deletes a connection and its secrets (ExternalId; an access key no one else uses).
    pub fn remove_connection(&self, name: &str) -> Result<()> {
        let removed = self.connection(name)?;
        // Secrets first: a connection that is gone must not leave its ExternalId behind.
        self.secrets()
            .delete(&SecretKey::new(SecretKind::ExternalId, name)?)?;
        self.settings().update(|saved: &mut ConnectionsSettings| {
            saved.connections.retain(|c| c.name != name);
            Ok(())
        })?;
        self.forget_unused_access_key(&removed.source)?;
        self.forget_role_mfa_session(name)?;
        Ok(())
    }

    /// Deletes the secrets of an access-key or pasted source if neither the global source
    /// nor any connection still uses that key.
    pub(crate) fn forget_unused_access_key(&self, source: &SourceIdentity) -> Result<()> {
        let (access_key_id, kinds): (&str, &[SecretKind]) = match source {
            SourceIdentity::AccessKey { access_key_id } => {
                (access_key_id, &[SecretKind::SecretAccessKey])
            }
            SourceIdentity::Temporary { access_key_id, .. } => (
                access_key_id,
                &[SecretKind::SecretAccessKey, SecretKind::SessionToken],
            ),
            _ => return Ok(()),
        };
        let global: IdentitySettings = self.settings().read()?;
        let in_use =
            global.source == *source || self.connections()?.iter().any(|c| c.source == *source);
        if !in_use {
            for kind in kinds {
                self.secrets()
                    .delete(&SecretKey::new(*kind, access_key_id)?)?;
            }
        }
        Ok(())
    }
}

impl Sluice {
    /// Saves a draft, taking the ExternalId and secret key from the pasted handover text when
    /// the draft does not set them, so secrets never make a round trip through the UI.
    pub fn save_connection_from_handover(
        &self,
        mut draft: ConnectionDraft,
        handover_text: Option<&str>,
    ) -> Result<Connection> {
        if let Some(text) = handover_text {
            let parsed = crate::handover::parse(text);
            if matches!(draft.external_id, ExternalIdChange::Keep)
                && non_empty(&draft.role_arn).is_some()
            {
                if let Some(ext) = parsed.external_id {
                    draft.external_id = ExternalIdChange::Set(ext.into_exposed().into());
                }
            }
            let key_matches = matches!(
                (&draft.source, &parsed.fields.access_key_id),
                (SourceIdentity::AccessKey { access_key_id }, Some(found)) if access_key_id == found
            );
            if draft.secret_access_key.is_none() && key_matches {
                draft.secret_access_key = parsed.secret_access_key.map(|s| s.into_exposed().into());
            }
        }
        self.save_connection(draft)
    }

    /// Saves a draft with the secrets from a handover given as pasted text, or from the
    /// handover file opened in the dialog (kept in memory by `open_handover_file`).
    pub fn save_connection_with_handover(
        &self,
        draft: ConnectionDraft,
        text: Option<&str>,
        from_opened_file: bool,
    ) -> Result<Connection> {
        if !from_opened_file {
            return self.save_connection_from_handover(draft, text);
        }
        let text = self
            .opened_handover()
            .ok_or_else(|| CoreError::invalid("handover file", "open the handover file again"))?;
        let saved = self.save_connection_from_handover(draft, Some(&text))?;
        self.keep_opened_handover(None);
        Ok(saved)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::context::AwsOverrides;
    use crate::secrets::{MemoryStore, SecretStore};
    use crate::sensitive::SecretString;
    use crate::settings::SettingsStore;

    const ROLE: &str = "arn:aws:iam::352302322568:role/reader";

    fn draft(name: &str, external_id: ExternalIdChange) -> ConnectionDraft {
        ConnectionDraft {
            name: name.into(),
            role_arn: Some(ROLE.into()),
            external_id,
            ..Default::default()
        }
    }

    fn set(v: &str) -> ExternalIdChange {
        ExternalIdChange::Set(SecretString::from(v.to_string()))
    }

    #[test]
    fn a_failed_settings_write_puts_the_keyring_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Arc::new(MemoryStore::default());
        let path = dir.path().join("settings.json");
        let s = Sluice::new(
            SettingsStore::at(&path),
            store.clone(),
            AwsOverrides::default(),
        );
        s.save_connection(draft("v", set("first-id")))
            .expect("save");

        // A settings path below a file can be neither read nor written.
        let blocked = Sluice::new(
            SettingsStore::at(dir.path().join("settings.json/nested.json")),
            store.clone(),
            AwsOverrides::default(),
        );
        assert!(blocked
            .save_connection(draft("v", set("second-id")))
            .is_err());
        let key = SecretKey::new(SecretKind::ExternalId, "v").expect("key");
        assert_eq!(
            store
                .get(&key)
                .expect("get")
                .map(|v| v.into_exposed())
                .as_deref(),
            Some("first-id")
        );
    }

    #[test]
    fn a_leftover_external_id_is_not_adopted_by_a_new_connection() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (s, store) = crate::context::test_context(dir.path());
        let key = SecretKey::new(SecretKind::ExternalId, "v").expect("key");
        store
            .set(&key, &crate::Sensitive::new("stale-id".to_string()))
            .expect("stale");
        let saved = s
            .save_connection(draft("v", ExternalIdChange::Keep))
            .expect("save");
        assert!(!saved.role.expect("role").has_external_id);
        assert!(
            store.get(&key).expect("get").is_none(),
            "the stale entry is removed"
        );

        // Editing a connection that has one keeps it.
        s.save_connection(draft("v", set("real-id"))).expect("set");
        let kept = s
            .save_connection(draft("v", ExternalIdChange::Keep))
            .expect("keep");
        assert!(kept.role.expect("role").has_external_id);
        s.remove_connection("v").expect("remove");
        assert!(store.get(&key).expect("get").is_none());
    }
}
