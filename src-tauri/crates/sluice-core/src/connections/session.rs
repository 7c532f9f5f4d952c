//! Vendor-role sessions: AssumeRole (with the ExternalId from the keyring), temporary
//! credentials kept in memory only, refreshed before they expire.
//!
//! Every S3 / Kinesis feature that works "through a connection" gets its clients from
//! [`Sluice::connection_clients`], so they all share one session per connection.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::{self, error::CredentialsError, ProvideCredentials};
use aws_credential_types::Credentials;
use serde::Serialize;

use super::{Connection, VendorRole};
use crate::aws::{errors, AwsClients, AwsOptions};
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::identity::SourceIdentity;
use crate::secrets::{SecretKey, SecretKind};
use crate::sensitive::Sensitive;

/// Credentials are renewed when they have less than this left.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// AWS's cap on a role assumed with another role's (or any session's) credentials.
pub const CHAINED_MAX_SECONDS: u32 = 3600;

/// The duration to ask for: a chained role (the source acts with a session: an IAM
/// Identity Center role, pasted temporary credentials, another role) is capped at one hour
/// by AWS, which refuses more with a ValidationError; ask for that hour and say so.
pub fn chained_duration(requested: u32, chained: bool) -> (u32, Option<String>) {
    if chained && requested > CHAINED_MAX_SECONDS {
        let note = format!(
            "sessions last 1 hour, not the {} minutes set: AWS caps a role assumed from another session (IAM Identity Center, temporary credentials, a role) at one hour",
            requested / 60
        );
        (CHAINED_MAX_SECONDS, Some(note))
    } else {
        (requested, None)
    }
}

/// One AssumeRole call, with errors that say what to do.
pub async fn assume_role(
    sts: &aws_sdk_sts::Client,
    role: &VendorRole,
    external_id: Option<&Sensitive<String>>,
) -> Result<Credentials> {
    let out = sts
        .assume_role()
        .role_arn(role.role_arn.as_str())
        .role_session_name(&role.session_name)
        .duration_seconds(i32::try_from(role.duration_seconds).unwrap_or(3600))
        .set_external_id(external_id.map(|e| e.expose().clone()))
        .send()
        .await
        .map_err(|e| {
            explain_assume_role_error(
                role,
                external_id.is_some(),
                errors::classify("sts:AssumeRole", e),
            )
        })?;
    let c = out.credentials.ok_or_else(|| CoreError::Service {
        action: "sts:AssumeRole".into(),
        code: "IncompleteResponse".into(),
        message: "the response has no credentials".into(),
    })?;
    let expiry = SystemTime::try_from(c.expiration).ok();
    Ok(Credentials::new(
        c.access_key_id,
        c.secret_access_key,
        Some(c.session_token),
        expiry,
        "sluice-assume-role",
    ))
}

/// Adds the fix to an AssumeRole AccessDenied: the inline policy, or the ExternalId.
pub fn explain_assume_role_error(
    role: &VendorRole,
    with_external_id: bool,
    err: CoreError,
) -> CoreError {
    match err {
        CoreError::AccessDenied { action, .. } => {
            let message = if with_external_id {
                format!(
                    "AccessDenied on AssumeRole with an ExternalId: ask the vendor to confirm it; also check that your user may call sts:AssumeRole on {} (apply the inline policy)",
                    role.role_arn
                )
            } else {
                format!(
                    "your user may not call sts:AssumeRole on {} — apply the inline policy, and check that the vendor's trust policy names your account",
                    role.role_arn
                )
            };
            CoreError::AccessDenied { action, message }
        }
        other => other,
    }
}

/// A role session: the current temporary credentials, renewed on demand.
pub struct RoleSession {
    sts: aws_sdk_sts::Client,
    role: VendorRole,
    external_id: Option<Sensitive<String>>,
    current: tokio::sync::Mutex<Option<Credentials>>,
    /// Why the session is shorter than the connection asks, when it is.
    note: Option<String>,
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
        }
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
        let c = assume_role(&self.sts, &self.role, self.external_id.as_ref()).await?;
        *current = Some(c.clone());
        Ok(c)
    }

    /// Drops the cached credentials and assumes the role again.
    pub async fn reload(&self) -> Result<Credentials> {
        self.current.lock().await.take();
        self.credentials().await
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

/// Live connection sessions (temporary credentials) by connection name, in memory only:
/// this feature's state in the [`Sluice`] context.
#[derive(Default)]
struct SessionCache(Mutex<HashMap<String, ConnectionSession>>);

impl Sluice {
    fn cached_session(&self, name: &str) -> Option<ConnectionSession> {
        self.state::<SessionCache>()
            .0
            .lock()
            .ok()?
            .get(name)
            .cloned()
    }

    fn cache_session(&self, name: &str, session: ConnectionSession) {
        if let Ok(mut sessions) = self.state::<SessionCache>().0.lock() {
            sessions.insert(name.to_string(), session);
        }
    }

    /// Drops a connection's session (after an edit or delete).
    pub fn forget_session(&self, name: &str) {
        if let Ok(mut sessions) = self.state::<SessionCache>().0.lock() {
            sessions.remove(name);
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
        })
    }

    /// The (cached) session for a connection.
    pub async fn connection_session(&self, name: &str) -> Result<ConnectionSession> {
        if let Some(s) = self.cached_session(name) {
            return Ok(s);
        }
        let connection = self.connection(name)?;
        if let SourceIdentity::Sso { .. } = connection.source {
            self.sso_token().await?;
        }
        let source =
            AwsClients::build(&self.connection_options(&connection)?, self.secrets()).await?;
        let session = match &connection.role {
            None => ConnectionSession {
                clients: source.clone(),
                source,
                role: None,
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
                let chained = source.acts_with_a_session().await;
                let role_session = Arc::new(RoleSession::new(
                    source.sts(),
                    role.clone(),
                    external_id,
                    chained,
                ));
                let clients = source.with_credentials(SessionProvider(role_session.clone()));
                ConnectionSession {
                    source,
                    clients,
                    role: Some(role_session),
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

    #[test]
    fn a_chained_role_is_asked_for_one_hour_and_says_why() {
        assert_eq!(chained_duration(7200, false), (7200, None));
        assert_eq!(chained_duration(3600, true), (3600, None));
        assert_eq!(chained_duration(900, true), (900, None));
        let (seconds, note) = chained_duration(43_200, true);
        assert_eq!(seconds, 3600);
        let note = note.expect("a note");
        assert!(note.contains("not the 720 minutes set"), "{note}");
        assert!(
            note.contains("caps a role assumed from another session"),
            "{note}"
        );
    }
    use crate::arn::RoleArn;
    use aws_sdk_sts::operation::assume_role::AssumeRoleError;
    use aws_smithy_mocks::{mock, mock_client};
    use aws_smithy_types::error::ErrorMetadata;

    fn role() -> VendorRole {
        VendorRole {
            role_arn: RoleArn::parse("arn:aws:iam::352302322568:role/the-data-access-role")
                .expect("arn"),
            session_name: "sluice".into(),
            duration_seconds: 3600,
            has_external_id: true,
            display_name: None,
        }
    }

    fn denied() -> aws_smithy_mocks::Rule {
        mock!(aws_sdk_sts::Client::assume_role).then_error(|| {
            AssumeRoleError::generic(
                ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message("User is not authorized to perform: sts:AssumeRole")
                    .build(),
            )
        })
    }

    #[tokio::test]
    async fn wrong_external_id_says_to_ask_the_vendor() {
        let rule = denied();
        let sts = mock_client!(aws_sdk_sts, [&rule]);
        let ext = Sensitive::new("wrong-passphrase".to_string());
        let err = assume_role(&sts, &role(), Some(&ext))
            .await
            .expect_err("denied");
        assert_eq!(err.code(), crate::ErrorCode::AccessDenied);
        let text = err.to_string();
        assert!(
            text.contains(
                "AccessDenied on AssumeRole with an ExternalId: ask the vendor to confirm it"
            ),
            "{text}"
        );
        assert!(
            !text.contains("wrong-passphrase"),
            "secret in error: {text}"
        );
    }

    #[tokio::test]
    async fn missing_permission_says_to_apply_the_inline_policy() {
        let rule = denied();
        let sts = mock_client!(aws_sdk_sts, [&rule]);
        let err = assume_role(&sts, &role(), None).await.expect_err("denied");
        assert!(
            err.to_string().contains("your user may not call sts:AssumeRole on arn:aws:iam::352302322568:role/the-data-access-role — apply the inline policy"),
            "{err}"
        );
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
