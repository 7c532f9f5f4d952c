//! IAM Identity Center for the app and the CLI: start a device sign-in, wait for it
//! (cancellable), list accounts and roles, make one role the source identity, and sign out.
//! Keeping the token and the client registration is in [`super::tokens`].

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_sdk_ssooidc::operation::create_token::CreateTokenError;
use serde::Serialize;

use super::clients::SsoClients;
use super::device::{self, DeviceCode, NextPoll, PollReply};
use super::portal::{self, SsoAccount};
use super::saved::{SsoSecrets, SsoSettings};
use crate::aws::errors::classify;
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::identity::source::{IdentitySettings, SourceIdentity};
use crate::identity::SourceStatus;
use crate::jobs::Cancel;
use crate::sensitive::Sensitive;
use crate::validate;

/// The OAuth grant of the device flow.
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// What the UI may know about the sign-in: never a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SsoStatus {
    pub signed_in: bool,
    pub start_url: Option<String>,
    pub region: Option<String>,
    /// When the access token expires (RFC 3339); it is renewed before then when refreshable.
    pub expires: Option<String>,
    pub refreshable: bool,
    /// Whether the sign-in is shared with the AWS CLI (its token cache is written).
    pub shared_with_aws_cli: bool,
    /// Why sharing with the AWS CLI last failed (the sign-in itself went on), if it did.
    pub aws_cli_problem: Option<String>,
}

/// A device authorization waiting for approval (in memory only).
struct Pending {
    start_url: String,
    region: String,
    client_id: String,
    client_secret: Sensitive<String>,
    device_code: Sensitive<String>,
    interval: Duration,
    deadline: Instant,
}

/// This feature's state on the context.
#[derive(Default)]
pub struct SsoState {
    /// The device code waiting for its first poll, and the cancel of the latest sign-in.
    pending: std::sync::Mutex<(Option<Pending>, Cancel)>,
    /// One refresh at a time: a rotated refresh token is only good once.
    pub(super) refreshing: tokio::sync::Mutex<()>,
    /// The latest sign-in page, to open again on request.
    page: std::sync::Mutex<Option<String>>,
}

impl SsoState {
    fn slot(&self) -> std::sync::MutexGuard<'_, (Option<Pending>, Cancel)> {
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Stops the sign-in that is waiting for approval; `false` when none was.
    pub fn cancel(&self) -> bool {
        let slot = self.slot();
        let waiting = !slot.1.is_cancelled();
        slot.1.cancel();
        waiting
    }
}

pub(super) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn rfc3339(unix: i64) -> Option<String> {
    aws_smithy_types::DateTime::from_secs(unix)
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .ok()
}

/// A start URL: an absolute `https` address (`http` only on this machine, for a stand-in).
pub fn start_url(value: &str) -> Result<&str> {
    let value = value.trim();
    if openable(value) {
        Ok(value)
    } else {
        Err(CoreError::invalid(
            "start URL",
            "use your AWS access portal address, e.g. https://my-company.awsapps.com/start",
        ))
    }
}

/// Whether Sluice may open `url` in the browser: `https`, or `http` on a loopback address.
pub fn openable(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(u) if u.scheme() == "https" => u.host().is_some(),
        Ok(u) if u.scheme() == "http" => {
            matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
        }
        _ => false,
    }
}

pub(super) fn expired() -> CoreError {
    CoreError::SignIn {
        reason: "the sign-in expired: sign in again".into(),
    }
}

impl Sluice {
    /// The sign-in as saved.
    pub fn sso_status(&self) -> Result<SsoStatus> {
        let saved: SsoSettings = self.settings().read()?;
        let shared_with_aws_cli = saved.share_with_aws_cli;
        let aws_cli_problem = saved.aws_cli_problem;
        Ok(match saved.sso_sign_in {
            Some(s) => SsoStatus {
                signed_in: SsoSecrets {
                    store: self.secrets(),
                }
                .access_token(&s.start_url)?
                .is_some(),
                expires: rfc3339(s.token_expires_at),
                start_url: Some(s.start_url),
                region: Some(s.region),
                refreshable: s.refreshable,
                shared_with_aws_cli,
                aws_cli_problem,
            },
            None => SsoStatus {
                signed_in: false,
                start_url: None,
                region: None,
                expires: None,
                refreshable: false,
                shared_with_aws_cli,
                aws_cli_problem,
            },
        })
    }

    /// Starts a device sign-in: registers Sluice with SSO OIDC (or reuses the registration),
    /// asks for a device code and hands its page to `open_browser` (which says whether a
    /// browser opened). Wait for the approval with [`Sluice::sso_wait`].
    pub async fn sso_start(
        &self,
        start_url: &str,
        region: &str,
        open_browser: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<DeviceCode> {
        let start_url = self::start_url(start_url)?.to_owned();
        let region = validate::region(region)?.to_owned();
        let clients = SsoClients::new(&region, &self.proxy_choice()?).await?;
        let (client_id, client_secret) = self.sso_registration(&clients, &region).await?;
        let out = clients
            .oidc
            .start_device_authorization()
            .client_id(&client_id)
            .client_secret(client_secret.expose())
            .start_url(&start_url)
            .send()
            .await
            .map_err(|e| classify("sso-oauth:StartDeviceAuthorization", e))?;
        let incomplete = || CoreError::Service {
            action: "sso-oauth:StartDeviceAuthorization".into(),
            code: "IncompleteResponse".into(),
            message: "no device code in the answer".into(),
        };
        let (Some(device_code), Some(user_code), Some(verification_uri)) =
            (out.device_code, out.user_code, out.verification_uri)
        else {
            return Err(incomplete());
        };
        let complete = out.verification_uri_complete.filter(|u| openable(u));
        let page = complete.as_deref().unwrap_or(&verification_uri);
        let browser_opened = openable(page) && open_browser(page);
        *self
            .state::<SsoState>()
            .page
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(page.to_owned());
        let expires_in = u32::try_from(out.expires_in.max(1)).unwrap_or(600);
        let pending = Pending {
            start_url,
            region,
            client_id,
            client_secret,
            device_code: Sensitive::new(device_code),
            interval: device::first_interval(out.interval),
            deadline: Instant::now() + Duration::from_secs(u64::from(expires_in)),
        };
        let state = self.state::<SsoState>();
        let mut slot = state.slot();
        slot.1.cancel();
        *slot = (Some(pending), Cancel::new());
        Ok(DeviceCode {
            user_code,
            verification_uri,
            verification_uri_complete: complete,
            expires_in,
            browser_opened,
        })
    }

    /// Waits for the person to approve the code in the browser, polling CreateToken at the
    /// service's interval; the tokens go to the keyring. [`Sluice::sso_cancel`] stops it.
    pub async fn sso_wait(&self) -> Result<SsoStatus> {
        let (pending, cancel) = {
            let state = self.state::<SsoState>();
            let mut slot = state.slot();
            let pending = slot
                .0
                .take()
                .ok_or_else(|| CoreError::invalid("sign-in", "start the sign-in first"))?;
            (pending, slot.1.clone())
        };
        let clients = SsoClients::new(&pending.region, &self.proxy_choice()?).await?;
        let cancelled = || CoreError::Cancelled {
            what: "IAM Identity Center sign-in".into(),
        };
        let mut interval = pending.interval;
        loop {
            let remaining = pending.deadline.saturating_duration_since(Instant::now());
            cancel
                .run_until_cancelled(tokio::time::sleep(interval.min(remaining)))
                .await
                .ok_or_else(cancelled)?;
            let reply = cancel
                .run_until_cancelled(
                    clients
                        .oidc
                        .create_token()
                        .client_id(&pending.client_id)
                        .client_secret(pending.client_secret.expose())
                        .grant_type(DEVICE_GRANT)
                        .device_code(pending.device_code.expose())
                        .send(),
                )
                .await
                .ok_or_else(cancelled)?;
            let err = match reply {
                Ok(out) => {
                    return self.save_tokens(
                        &pending.start_url,
                        &pending.region,
                        out.access_token,
                        out.refresh_token,
                        out.expires_in,
                    )
                }
                Err(err) => err,
            };
            let poll = match err.as_service_error() {
                Some(CreateTokenError::AuthorizationPendingException(_)) => PollReply::Pending,
                Some(CreateTokenError::SlowDownException(_)) => PollReply::SlowDown,
                Some(CreateTokenError::ExpiredTokenException(_)) => PollReply::Expired,
                Some(CreateTokenError::AccessDeniedException(_)) => PollReply::Denied,
                _ => return Err(classify("sso-oauth:CreateToken", err)),
            };
            let remaining = pending.deadline.saturating_duration_since(Instant::now());
            match device::next_poll(poll, interval, remaining) {
                NextPoll::After(next) => interval = next,
                NextPoll::Stop(reason) => {
                    return Err(CoreError::SignIn {
                        reason: reason.into(),
                    })
                }
            }
        }
    }

    /// Opens the latest sign-in page again; `false` when there is none or no browser opened.
    pub fn sso_open_page(&self, open_browser: &dyn Fn(&str) -> bool) -> bool {
        let page = self
            .state::<SsoState>()
            .page
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        page.is_some_and(|p| openable(&p) && open_browser(&p))
    }

    /// Stops a sign-in that is waiting (or about to wait) for approval.
    pub fn sso_cancel(&self) -> bool {
        self.state::<SsoState>().cancel()
    }

    /// The accounts and roles this sign-in may use.
    pub async fn sso_accounts(&self) -> Result<Vec<SsoAccount>> {
        let (sign_in, token) = self.sso_token().await?;
        let clients = SsoClients::new(&sign_in.region, &self.proxy_choice()?).await?;
        portal::accounts(&clients.portal, &token).await
    }

    /// Makes one account's role the source identity, after proving the portal hands out its
    /// credentials.
    pub async fn sso_use(&self, account_id: &str, role_name: &str) -> Result<SourceStatus> {
        let account_id = validate::account_id(account_id)?.to_owned();
        let role_name = validate::iam_name("role name", role_name)?.to_owned();
        let (sign_in, token) = self.sso_token().await?;
        let clients = SsoClients::new(&sign_in.region, &self.proxy_choice()?).await?;
        portal::role_credentials(&clients.portal, &token, &account_id, &role_name).await?;
        let source = SourceIdentity::Sso {
            start_url: sign_in.start_url,
            sso_region: sign_in.region,
            account_id,
            role_name,
        };
        let previous = self.settings().update(|saved: &mut IdentitySettings| {
            Ok(std::mem::replace(&mut saved.source, source.clone()))
        })?;
        if previous != source {
            self.forget_unused_access_key(&previous)?;
        }
        self.source_status()
    }

    /// Signs out: the portal's Logout, then the tokens leave the keyring. The source identity
    /// stays, so signing in again brings the same role back.
    pub async fn sso_logout(&self) -> Result<SsoStatus> {
        let saved: SsoSettings = self.settings().read()?;
        if let Some(sign_in) = saved.sso_sign_in {
            let secrets = SsoSecrets {
                store: self.secrets(),
            };
            let logout = match secrets.access_token(&sign_in.start_url)? {
                Some(token) if sign_in.token_expires_at > unix_now() => {
                    let clients = SsoClients::new(&sign_in.region, &self.proxy_choice()?).await?;
                    portal::logout(&clients.portal, &token).await
                }
                _ => Ok(()),
            };
            let token = secrets.access_token(&sign_in.start_url)?;
            secrets.delete_tokens(&sign_in.start_url)?;
            self.settings().update(|s: &mut SsoSettings| {
                s.sso_sign_in = None;
                Ok(())
            })?;
            let removed = self.remove_aws_cli_cache(&token.iter().collect::<Vec<_>>());
            self.note_aws_cli_problem(removed)?;
            logout?;
        }
        self.sso_status()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http_pages_are_opened() {
        assert!(openable(
            "https://device.sso.eu-west-1.amazonaws.com/?user_code=AB"
        ));
        assert!(openable("http://127.0.0.1:4567/device"));
        assert!(!openable("http://example.com/device"));
        assert!(!openable("file:///etc/passwd"));
        assert!(!openable("javascript:alert(1)"));
        assert!(!openable("not a url"));
    }

    #[test]
    fn start_urls_are_portal_addresses() {
        assert!(start_url(" https://my-company.awsapps.com/start ").is_ok());
        let err = start_url("my-company").expect_err("not a URL");
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        assert!(err.to_string().contains("awsapps.com/start"), "{err}");
    }

    #[tokio::test]
    async fn without_a_sign_in_every_call_says_to_sign_in() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (s, _) = crate::context::test_context(dir.path());
        let err = s.sso_accounts().await.expect_err("not signed in");
        assert_eq!(err.code(), crate::ErrorCode::SignIn);
        assert!(err.to_string().contains("sign in"), "{err}");
        let err = s.sso_wait().await.expect_err("nothing started");
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        assert!(!s.sso_status().expect("status").signed_in);
    }
}
