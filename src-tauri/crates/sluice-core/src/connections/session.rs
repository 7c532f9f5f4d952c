//! Vendor-role sessions: AssumeRole (with the ExternalId from the keyring, and the MFA
//! device's serial and a code when the vendor's trust requires MFA), temporary credentials
//! kept in memory only (an MFA role's also in the CLI's keyring), refreshed before they expire.
//!
//! Every S3 / Kinesis feature that works "through a connection" gets its clients from
//! [`Sluice::connection_clients`], so they all share one session per connection.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::{self, error::CredentialsError, ProvideCredentials};
use aws_credential_types::Credentials;
use serde::Serialize;

use super::assume::{assume_role, chained_duration};
use super::{Connection, VendorRole};
use crate::aws::{AwsClients, AwsOptions};
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::identity::mfa::MfaState;
use crate::secrets::{SecretKey, SecretKind, SecretStore};
use crate::sensitive::Sensitive;

/// Credentials are renewed when they have less than this left.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// Where a role whose trust requires MFA finds its code and keeps its session.
pub struct RoleMfa {
    pub state: Arc<MfaState>,
    pub secrets: Arc<dyn SecretStore>,
    /// The keyring address of this role's MFA session.
    pub key: SecretKey,
    /// What the person is told when a code is needed.
    pub why: String,
    /// The connection whose role this is: the code given back is for it.
    pub connection: String,
}

/// A role session: the current temporary credentials, renewed on demand.
pub struct RoleSession {
    sts: aws_sdk_sts::Client,
    role: VendorRole,
    external_id: Option<Sensitive<String>>,
    current: tokio::sync::Mutex<Option<Credentials>>,
    /// Why the session is shorter than the connection asks, when it is.
    note: Option<String>,
    mfa: Option<RoleMfa>,
}

impl RoleSession {
    /// `chained`: the source's credentials are themselves a session (see [`chained_duration`]).
    pub fn new(
        sts: aws_sdk_sts::Client,
        mut role: VendorRole,
        external_id: Option<Sensitive<String>>,
        chained: bool,
    ) -> Self {
        let (duration, note) = chained_duration(role.duration_seconds, chained);
        role.duration_seconds = duration;
        Self {
            sts,
            role,
            external_id,
            current: tokio::sync::Mutex::new(None),
            note,
            mfa: None,
        }
    }

    /// The role's trust requires MFA: AssumeRole carries the device's serial and a code.
    pub fn with_mfa(mut self, mfa: RoleMfa) -> Self {
        self.mfa = Some(mfa);
        self
    }

    /// AssumeRole, with the MFA device and a code when the role needs them.
    async fn assume(&self) -> Result<Credentials> {
        let (Some(serial), Some(mfa)) = (self.role.mfa_serial.as_deref(), &self.mfa) else {
            return assume_role(&self.sts, &self.role, self.external_id.as_ref(), None).await;
        };
        mfa.state
            .session(
                mfa.secrets.as_ref(),
                &mfa.key,
                serial,
                &mfa.why,
                |code| async move {
                    assume_role(
                        &self.sts,
                        &self.role,
                        self.external_id.as_ref(),
                        Some(&code),
                    )
                    .await
                },
            )
            .await
            .map_err(|e| e.for_connection(&mfa.connection))
    }

    /// Why the session is shorter than the connection asks, when it is.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// Valid credentials: the cached ones, or new ones when they expire within the margin.
    pub async fn credentials(&self) -> Result<Credentials> {
        let mut current = self.current.lock().await;
        if let Some(c) = current.as_ref() {
            let fresh = c
                .expiry()
                .is_none_or(|e| e > SystemTime::now() + REFRESH_MARGIN);
            if fresh {
                return Ok(c.clone());
            }
        }
        let c = self.assume().await?;
        *current = Some(c.clone());
        Ok(c)
    }

    /// Drops the cached credentials (an MFA role's kept session too) and assumes the role again.
    pub async fn reload(&self) -> Result<Credentials> {
        self.current.lock().await.take();
        if let Some(mfa) = &self.mfa {
            mfa.state.forget(mfa.secrets.as_ref(), &mfa.key)?;
        }
        self.credentials().await
    }

    /// Whether the role's trust requires MFA (AssumeRole carries a code).
    pub fn needs_mfa(&self) -> bool {
        self.mfa.is_some()
    }

    /// Assumes the role now to prove it can be (a check): a role that needs MFA proves it
    /// with its kept session while that lasts, so a check never asks for a second code.
    pub async fn assume_now(&self) -> Result<Credentials> {
        if self.needs_mfa() {
            self.credentials().await
        } else {
            self.reload().await
        }
    }

    pub async fn expires_at(&self) -> Option<SystemTime> {
        self.current.lock().await.as_ref().and_then(|c| c.expiry())
    }
}

impl std::fmt::Debug for RoleSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoleSession")
            .field("role", &self.role.role_arn)
            .finish_non_exhaustive()
    }
}

/// Lets the SDK pull credentials from a [`RoleSession`].
#[derive(Debug, Clone)]
struct SessionProvider(Arc<RoleSession>);

impl ProvideCredentials for SessionProvider {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::new(async move {
            self.0
                .credentials()
                .await
                .map_err(CredentialsError::provider_error)
        })
    }
}

/// A connection's clients: the source identity's, or the assumed role's.
#[derive(Debug, Clone)]
pub struct ConnectionSession {
    /// Clients acting as the source identity (before AssumeRole).
    pub source: AwsClients,
    /// Clients acting as the vendor role (the same as `source` without a role).
    pub clients: AwsClients,
    pub role: Option<Arc<RoleSession>>,
    /// When the source's credentials run out (an MFA session, an IAM Identity Center role):
    /// the session is made again before then, so a kept one never acts with expired keys.
    pub source_until: Option<SystemTime>,
}

/// What the UI shows about a session: never the credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SessionStatus {
    pub connection: String,
    /// Whether the connection assumes a role (else it uses the source identity directly).
    pub uses_role: bool,
    /// RFC 3339 expiry of the current role credentials, when a session is active.
    pub expires_at: Option<String>,
    /// Seconds until expiry (negative once expired).
    pub seconds_left: Option<i32>,
    /// Why sessions are shorter than the connection asks (a chained role), when they are.
    pub note: Option<String>,
}

fn rfc3339(t: SystemTime) -> String {
    aws_smithy_types::DateTime::from(t)
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default()
}

/// The keyring address of a connection role's MFA session.
fn role_mfa_key(connection: &str) -> Result<SecretKey> {
    SecretKey::hashed(SecretKind::MfaSession, "role", connection)
}

/// Live connection sessions (temporary credentials) by connection name, in memory only:
/// this feature's state in the [`Sluice`] context.
#[derive(Default)]
struct SessionCache(Mutex<HashMap<String, ConnectionSession>>);

impl Sluice {
    fn cached_session(&self, name: &str) -> Option<ConnectionSession> {
        let fresh = SystemTime::now() + REFRESH_MARGIN;
        self.state::<SessionCache>()
            .0
            .lock()
            .ok()?
            .get(name)
            .filter(|s| s.source_until.is_none_or(|until| until > fresh))
            .cloned()
    }

    fn cache_session(&self, name: &str, session: ConnectionSession) {
        if let Ok(mut sessions) = self.state::<SessionCache>().0.lock() {
            sessions.insert(name.to_string(), session);
        }
    }

    /// Drops a connection's session from memory (before a check, after an edit or delete).
    pub fn forget_session(&self, name: &str) {
        if let Ok(mut sessions) = self.state::<SessionCache>().0.lock() {
            sessions.remove(name);
        }
    }

    /// Drops every connection's session (the network changed: new calls make new ones).
    pub fn forget_all_sessions(&self) {
        if let Ok(mut sessions) = self.state::<SessionCache>().0.lock() {
            sessions.clear();
        }
    }

    /// Drops a connection role's kept MFA session too (after an edit or delete).
    pub(crate) fn forget_role_mfa_session(&self, name: &str) -> Result<()> {
        self.forget_session(name);
        self.forget_mfa_session(&role_mfa_key(name)?)
    }

    /// The MFA dialog's code for connection `name` (see [`Sluice::mfa_sign_in`]): builds its
    /// session (a source with an MFA device takes the code there), then makes its vendor
    /// role's MFA session when the role needs one.
    pub(crate) async fn connection_mfa_sign_in(&self, name: &str) -> Result<()> {
        let session = self.connection_session(name).await?;
        match session.role.filter(|r| r.needs_mfa()) {
            Some(role) => role.credentials().await.map(|_| ()),
            None => Ok(()),
        }
    }

    /// AWS options for a connection's source identity: its own region and source, plus this
    /// run's endpoint override.
    pub fn connection_options(&self, connection: &Connection) -> Result<AwsOptions> {
        let base = self.aws_options()?;
        Ok(AwsOptions {
            region: connection.region.clone().or(base.region),
            endpoint_url: base.endpoint_url,
            source: connection.source.clone(),
            imds: base.imds,
            proxy: base.proxy,
        })
    }

    /// The (cached) session for a connection.
    pub async fn connection_session(&self, name: &str) -> Result<ConnectionSession> {
        if let Some(s) = self.cached_session(name) {
            return Ok(s);
        }
        let connection = self.connection(name)?;
        // The same way in as the source identity's (IAM Identity Center refresh, MFA, role
        // profiles): an MFA code asked for here is for this connection.
        let source = self
            .clients_with(self.connection_options(&connection)?)
            .await
            .map_err(|e| e.for_connection(name))?;
        let (chained, source_until) = source.session_facts().await;
        let session = match &connection.role {
            None => ConnectionSession {
                clients: source.clone(),
                source,
                role: None,
                source_until,
            },
            Some(role) => {
                let external_id = if role.has_external_id {
                    let key = SecretKey::new(SecretKind::ExternalId, name)?;
                    Some(self.secrets().get(&key)?.ok_or_else(|| {
                        CoreError::invalid(
                            "ExternalId",
                            format!("the ExternalId for '{name}' is missing from the OS keyring; enter it again"),
                        )
                    })?)
                } else {
                    None
                };
                let mut role_session =
                    RoleSession::new(source.sts(), role.clone(), external_id, chained);
                if role.mfa_serial.is_some() {
                    role_session = role_session.with_mfa(RoleMfa {
                        state: self.mfa(),
                        secrets: self.secrets_handle(),
                        key: role_mfa_key(name)?,
                        why: format!(
                            "the vendor's trust of connection '{name}' requires MFA: it needs a code from the MFA device {}",
                            role.mfa_serial.as_deref().unwrap_or_default()
                        ),
                        connection: name.to_owned(),
                    });
                }
                let role_session = Arc::new(role_session);
                let clients = source.with_credentials(SessionProvider(role_session.clone()));
                ConnectionSession {
                    source,
                    clients,
                    role: Some(role_session),
                    source_until,
                }
            }
        };
        self.cache_session(name, session.clone());
        Ok(session)
    }

    /// Clients acting through a connection (the assumed role when it has one).
    pub async fn connection_clients(&self, name: &str) -> Result<AwsClients> {
        Ok(self.connection_session(name).await?.clients)
    }

    /// The session's expiry, for the countdown.
    pub async fn session_status(&self, name: &str) -> Result<SessionStatus> {
        let connection = self.connection(name)?;
        let (expires, note) = match self.cached_session(name).and_then(|s| s.role) {
            Some(role) => (role.expires_at().await, role.note().map(str::to_owned)),
            None => (None, None),
        };
        Ok(Self::status_of(&connection, expires, note))
    }

    /// Assumes the role again now ("reload session").
    pub async fn reload_session(&self, name: &str) -> Result<SessionStatus> {
        let connection = self.connection(name)?;
        let session = self.connection_session(name).await?;
        let (expires, note) = match &session.role {
            Some(role) => (
                role.reload().await?.expiry(),
                role.note().map(str::to_owned),
            ),
            None => {
                session.clients.ensure_credentials().await?;
                (None, None)
            }
        };
        Ok(Self::status_of(&connection, expires, note))
    }

    fn status_of(
        connection: &Connection,
        expires: Option<SystemTime>,
        note: Option<String>,
    ) -> SessionStatus {
        let seconds_left = expires.map(|e| match e.duration_since(SystemTime::now()) {
            Ok(d) => i32::try_from(d.as_secs()).unwrap_or(i32::MAX),
            Err(past) => -i32::try_from(past.duration().as_secs()).unwrap_or(i32::MAX),
        });
        SessionStatus {
            connection: connection.name.clone(),
            uses_role: connection.role.is_some(),
            expires_at: expires.map(rfc3339),
            seconds_left,
            note,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_smithy_mocks::{mock, mock_client};

    fn role() -> VendorRole {
        super::super::sample_role(false)
    }

    #[tokio::test]
    async fn a_kept_session_whose_source_runs_out_is_made_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (s, _) = crate::context::test_context(dir.path());
        let clients = crate::aws::offline_clients(s.secrets()).await;
        let kept = |until: Option<SystemTime>| ConnectionSession {
            source: clients.clone(),
            clients: clients.clone(),
            role: None,
            source_until: until,
        };
        s.cache_session("keys", kept(None));
        assert!(
            s.cached_session("keys").is_some(),
            "long-term keys do not run out"
        );
        let later = SystemTime::now() + Duration::from_secs(3600);
        s.cache_session("mfa", kept(Some(later)));
        assert!(s.cached_session("mfa").is_some());
        // An MFA or IAM Identity Center source with minutes left is not used again.
        let soon = SystemTime::now() + Duration::from_secs(60);
        s.cache_session("mfa", kept(Some(soon)));
        assert!(s.cached_session("mfa").is_none());
    }

    #[tokio::test]
    async fn session_refreshes_credentials_that_are_about_to_expire() {
        let soon = aws_smithy_types::DateTime::from(SystemTime::now() + Duration::from_secs(60));
        let later = aws_smithy_types::DateTime::from(SystemTime::now() + Duration::from_secs(3600));
        let creds = |id: &str, exp| {
            aws_sdk_sts::types::Credentials::builder()
                .access_key_id(id)
                .secret_access_key("secret")
                .session_token("token")
                .expiration(exp)
                .build()
                .expect("creds")
        };
        let first = creds("ASIAFIRST", soon);
        let second = creds("ASIASECOND", later);
        let rule = mock!(aws_sdk_sts::Client::assume_role)
            .sequence()
            .output(move || {
                aws_sdk_sts::operation::assume_role::AssumeRoleOutput::builder()
                    .credentials(first.clone())
                    .build()
            })
            .output(move || {
                aws_sdk_sts::operation::assume_role::AssumeRoleOutput::builder()
                    .credentials(second.clone())
                    .build()
            })
            .build();
        let sts = mock_client!(aws_sdk_sts, [&rule]);
        let session = RoleSession::new(sts, role(), None, false);
        // The first credentials expire inside the refresh margin, so the next call renews them.
        assert_eq!(
            session.credentials().await.expect("first").access_key_id(),
            "ASIAFIRST"
        );
        assert_eq!(
            session.credentials().await.expect("second").access_key_id(),
            "ASIASECOND"
        );
        // Fresh credentials are reused, not fetched again.
        assert_eq!(
            session.credentials().await.expect("cached").access_key_id(),
            "ASIASECOND"
        );
        assert_eq!(rule.num_calls(), 2);
        assert!(session.expires_at().await.is_some());
    }
}
