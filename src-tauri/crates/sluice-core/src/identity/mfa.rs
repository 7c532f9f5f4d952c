//! MFA: a code from the user's device turns what needs one into a session that every call
//! uses until it expires, so one code serves every command until then and no action asks
//! twice. Three things ask for a code: an access-key source with a device (STS
//! GetSessionToken with SerialNumber and TokenCode), a profile with `role_arn` and
//! `mfa_serial` (see [`super::mfa_role`]), and a connection whose vendor trust requires MFA
//! (its AssumeRole carries the serial and the code). The app keeps sessions in memory; the
//! CLI also in the OS keyring, so its next command needs no code either.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;

use crate::aws::{errors, AwsClients};
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::secrets::{SecretKey, SecretKind, SecretStore};
use crate::sensitive::Sensitive;

/// How long an MFA session lasts: twelve hours, GetSessionToken's default.
pub const SESSION_SECONDS: i32 = 12 * 60 * 60;
/// A session with less than this left is not used.
const MARGIN: Duration = Duration::from_secs(5 * 60);

tokio::task_local! {
    /// The code the app's MFA dialog gave, reachable only inside that sign-in's own task:
    /// another call running meanwhile (a stream's role session renewing) cannot take it.
    static DIALOG_CODE: std::cell::RefCell<Option<Sensitive<String>>>;
}

/// This feature's state on the context (in memory only).
#[derive(Default)]
pub struct MfaState {
    /// Sessions by the keyring address they are (or would be) kept under.
    sessions: Mutex<HashMap<String, Credentials>>,
    /// A code given before it was asked for (`--mfa-code`), used once.
    given: Mutex<Option<Sensitive<String>>>,
    /// Whether sessions are also kept in the keyring (the CLI, one process per command).
    keyring: AtomicBool,
}

/// An MFA code: six digits.
pub fn code(value: &str) -> Result<&str> {
    let value = value.trim();
    if value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value)
    } else {
        Err(CoreError::invalid(
            "MFA code",
            "enter the six digits your MFA device shows",
        ))
    }
}

/// An MFA device serial: a virtual device's ARN or a hardware device's serial number.
pub fn serial(value: &str) -> Result<&str> {
    let value = value.trim();
    let ok = (9..=256).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=/:,.@-".contains(c));
    if ok {
        Ok(value)
    } else {
        Err(CoreError::invalid(
            "MFA device",
            "use the device's ARN (arn:aws:iam::123456789012:mfa/name) or its serial number",
        ))
    }
}

/// Whether a session may still be used at `now`.
fn usable(session: &Credentials, now: SystemTime) -> bool {
    session.expiry().is_none_or(|e| e > now + MARGIN)
}

/// A session as the keyring keeps it (one JSON value, the whole of it secret).
fn to_json(c: &Credentials) -> Sensitive<String> {
    let expires = c
        .expiry()
        .and_then(|e| e.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs());
    Sensitive::new(
        serde_json::json!({
            "accessKeyId": c.access_key_id(),
            "secretAccessKey": c.secret_access_key(),
            "sessionToken": c.session_token(),
            "expires": expires,
        })
        .to_string(),
    )
}

fn from_json(text: &Sensitive<String>) -> Option<Credentials> {
    let v: serde_json::Value = serde_json::from_str(text.expose()).ok()?;
    let expiry = v["expires"]
        .as_u64()
        .map(|s| UNIX_EPOCH + Duration::from_secs(s));
    Some(Credentials::new(
        v["accessKeyId"].as_str()?,
        v["secretAccessKey"].as_str()?,
        v["sessionToken"].as_str().map(str::to_owned),
        expiry,
        "sluice-mfa",
    ))
}

impl MfaState {
    /// The code given for the next call that needs one, if any (used once): the dialog's,
    /// inside its sign-in, else the one given up front (the CLI's `--mfa-code`).
    fn take_code(&self) -> Option<Sensitive<String>> {
        DIALOG_CODE
            .try_with(|code| code.borrow_mut().take())
            .ok()
            .flatten()
            .or_else(|| self.given.lock().unwrap_or_else(|p| p.into_inner()).take())
    }

    /// The usable session kept under `key`: from memory, else the keyring (when kept there).
    fn stored(&self, secrets: &dyn SecretStore, key: &SecretKey) -> Result<Option<Credentials>> {
        let now = SystemTime::now();
        if let Some(s) = self
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key.account())
            .filter(|s| usable(s, now))
        {
            return Ok(Some(s.clone()));
        }
        if !self.keyring.load(Ordering::Relaxed) {
            return Ok(None);
        }
        Ok(secrets
            .get(key)?
            .and_then(|t| from_json(&t))
            .filter(|s| usable(s, now)))
    }

    fn keep(
        &self,
        secrets: &dyn SecretStore,
        key: &SecretKey,
        session: &Credentials,
    ) -> Result<()> {
        if self.keyring.load(Ordering::Relaxed) {
            secrets.set(key, &to_json(session))?;
        }
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key.account(), session.clone());
        Ok(())
    }

    pub(crate) fn forget(&self, secrets: &dyn SecretStore, key: &SecretKey) -> Result<()> {
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&key.account());
        secrets.delete(key)?;
        Ok(())
    }

    /// The MFA session kept under `key`; without one, made by `make` from the given code;
    /// without a code, [`CoreError::Mfa`] saying `why` one is needed (naming the device).
    pub(crate) async fn session<F, Fut>(
        &self,
        secrets: &dyn SecretStore,
        key: &SecretKey,
        serial: &str,
        why: &str,
        make: F,
    ) -> Result<Credentials>
    where
        F: FnOnce(Sensitive<String>) -> Fut,
        Fut: Future<Output = Result<Credentials>>,
    {
        if let Some(session) = self.stored(secrets, key)? {
            return Ok(session);
        }
        let Some(code) = self.take_code() else {
            return Err(CoreError::Mfa {
                serial: serial.to_owned(),
                reason: why.to_owned(),
                connection: None,
            });
        };
        let session = make(code).await?;
        self.keep(secrets, key, &session)?;
        Ok(session)
    }
}

/// An AccessDenied for a call that carried a code, when AWS says the code failed: the code
/// was refused (wrong, or used already), and the person is asked for the current one.
pub fn refused(serial: &str, err: CoreError) -> CoreError {
    match err {
        CoreError::AccessDenied { message, .. } if message.contains("MultiFactorAuthentication") => {
            CoreError::Mfa {
                serial: serial.to_owned(),
                reason: format!(
                    "AWS refused the code for {serial} (wrong, or used already): enter the code the device shows now"
                ),
                connection: None,
            }
        }
        other => other,
    }
}

/// STS credentials as the SDK's credential type (`source` names the provider).
pub(crate) fn credentials_of(
    action: &str,
    c: Option<aws_sdk_sts::types::Credentials>,
    source: &'static str,
) -> Result<Credentials> {
    let c = c.ok_or_else(|| CoreError::Service {
        action: action.into(),
        code: "IncompleteResponse".into(),
        message: "the response has no credentials".into(),
    })?;
    Ok(Credentials::new(
        c.access_key_id,
        c.secret_access_key,
        Some(c.session_token),
        SystemTime::try_from(c.expiration).ok(),
        source,
    ))
}

/// GetSessionToken with the device and the code.
pub async fn get_session_token(
    sts: &aws_sdk_sts::Client,
    serial: &str,
    code: &Sensitive<String>,
) -> Result<Credentials> {
    let out = sts
        .get_session_token()
        .serial_number(serial)
        .token_code(code.expose())
        .duration_seconds(SESSION_SECONDS)
        .send()
        .await
        .map_err(|e| refused(serial, errors::classify("sts:GetSessionToken", e)))?;
    credentials_of("sts:GetSessionToken", out.credentials, "sluice-mfa")
}

impl Sluice {
    pub(crate) fn mfa(&self) -> std::sync::Arc<MfaState> {
        self.state::<MfaState>()
    }

    /// A code given up front (the CLI's `--mfa-code`): used the first time one is needed.
    pub fn give_mfa_code(&self, value: &str) -> Result<()> {
        let value = code(value)?;
        *self.mfa().given.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(Sensitive::new(value.to_owned()));
        Ok(())
    }

    /// Keeps MFA sessions in the OS keyring too, so the next process needs no code.
    pub fn keep_mfa_sessions_in_keyring(&self) {
        self.mfa().keyring.store(true, Ordering::Relaxed);
    }

    /// The clients for long-term keys with an MFA device (an access-key source, a profile's
    /// keys): acting with the MFA session kept under `key`, made with a code when there is
    /// none yet (GetSessionToken); without a code, says `why` one is needed.
    pub(crate) async fn with_mfa(
        &self,
        clients: AwsClients,
        key: &SecretKey,
        serial: &str,
        why: &str,
    ) -> Result<AwsClients> {
        let sts = clients.sts();
        let session = self
            .mfa()
            .session(self.secrets(), key, serial, why, |code| async move {
                get_session_token(&sts, serial, &code).await
            })
            .await?;
        Ok(clients.with_credentials(session))
    }

    /// The app's MFA dialog: makes the session the code was asked for — connection
    /// `connection`'s (its source's, then its vendor role's), or without one the source
    /// identity's. The error that asked names which (see [`CoreError::Mfa`]).
    pub async fn mfa_sign_in(&self, value: &str, connection: Option<&str>) -> Result<()> {
        let value = Sensitive::new(code(value)?.to_owned());
        let sign_in = async {
            match connection {
                Some(name) => self.connection_mfa_sign_in(name).await,
                None => self.aws().await.map(|_| ()),
            }
        };
        DIALOG_CODE
            .scope(std::cell::RefCell::new(Some(value)), sign_in)
            .await
    }

    /// Forgets the MFA session kept under `key` (its source changed or went away).
    pub(crate) fn forget_mfa_session(&self, key: &SecretKey) -> Result<()> {
        self.mfa().forget(self.secrets(), key)
    }

    /// Forgets the MFA session of access key `key_id`.
    pub(crate) fn forget_access_key_mfa(&self, key_id: &str) -> Result<()> {
        self.forget_mfa_session(&SecretKey::new(SecretKind::MfaSession, key_id)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_dialog_code_is_not_taken_by_another_task() {
        let state = std::sync::Arc::new(MfaState::default());
        let other = state.clone();
        let code = std::cell::RefCell::new(Some(Sensitive::new("123456".to_string())));
        DIALOG_CODE
            .scope(code, async {
                // A call running meanwhile (another task) finds no code to take.
                let elsewhere = tokio::spawn(async move { other.take_code().is_some() })
                    .await
                    .expect("join");
                assert!(!elsewhere);
                assert!(
                    state.take_code().is_some(),
                    "the sign-in's own call takes it"
                );
                assert!(state.take_code().is_none(), "once");
            })
            .await;
        assert!(state.take_code().is_none());
    }

    #[test]
    fn codes_are_six_digits_and_serials_are_arns_or_numbers() {
        assert_eq!(code(" 123456 ").expect("code"), "123456");
        for bad in ["12345", "1234567", "12a456", ""] {
            assert!(code(bad).is_err(), "{bad}");
        }
        assert!(serial("arn:aws:iam::123456789012:mfa/alice").is_ok());
        assert!(serial("GAHT12345678").is_ok());
        assert!(serial("short").is_err());
        assert!(serial("arn:aws:iam::123456789012:mfa/a b").is_err());
    }

    #[test]
    fn a_kept_session_round_trips_and_expires_with_a_margin() {
        let now = SystemTime::now();
        let fresh = Credentials::new("ASIA1", "s", Some("t".into()), Some(now + MARGIN * 2), "x");
        let back = from_json(&to_json(&fresh)).expect("parse");
        assert_eq!(back.access_key_id(), "ASIA1");
        assert_eq!(back.session_token(), Some("t"));
        assert!(usable(&back, now));
        let stale = Credentials::new("ASIA1", "s", None, Some(now + MARGIN / 2), "x");
        assert!(!usable(&stale, now));
        assert!(from_json(&Sensitive::new("not json".into())).is_none());
    }

    #[tokio::test]
    async fn without_a_code_the_error_names_the_device_and_a_wrong_code_is_refused_early() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (s, _) = crate::context::test_context(dir.path());
        let clients = crate::aws::offline_clients(s.secrets()).await;
        let serial = "arn:aws:iam::123456789012:mfa/alice";
        let key = SecretKey::new(SecretKind::MfaSession, "AKIAIOSFODNN7EXAMPLE").expect("key");
        let why = format!("this key needs a code from its MFA device {serial}");
        let err = s
            .with_mfa(clients, &key, serial, &why)
            .await
            .expect_err("no code");
        assert_eq!(err.code(), crate::ErrorCode::MfaRequired);
        assert!(err.to_string().contains(serial), "{err}");
        assert_eq!(
            s.give_mfa_code("12x").expect_err("bad").code(),
            crate::ErrorCode::InvalidInput
        );
    }

    #[tokio::test]
    async fn a_wrong_code_is_refused_and_a_right_one_is_kept_for_the_next_call() {
        use aws_sdk_sts::operation::get_session_token::{
            GetSessionTokenError, GetSessionTokenOutput,
        };
        use aws_smithy_mocks::{mock, mock_client};
        use aws_smithy_types::error::ErrorMetadata;
        let serial = "arn:aws:iam::123456789012:mfa/alice";
        let wrong = mock!(aws_sdk_sts::Client::get_session_token)
            .match_requests(|r| r.token_code() == Some("000000"))
            .then_error(|| {
                GetSessionTokenError::generic(
                    ErrorMetadata::builder()
                        .code("AccessDenied")
                        .message(
                            "MultiFactorAuthentication failed with invalid MFA one time pass code.",
                        )
                        .build(),
                )
            });
        let right = mock!(aws_sdk_sts::Client::get_session_token)
            .match_requests(move |r| {
                r.token_code() == Some("123456") && r.serial_number() == Some(serial)
            })
            .then_output(|| {
                GetSessionTokenOutput::builder()
                    .credentials(
                        aws_sdk_sts::types::Credentials::builder()
                            .access_key_id("ASIASESSION")
                            .secret_access_key("s")
                            .session_token("t")
                            .expiration(aws_smithy_types::DateTime::from_secs(4_000_000_000))
                            .build()
                            .expect("credentials"),
                    )
                    .build()
            });
        let sts = mock_client!(aws_sdk_sts, [&wrong, &right]);
        let err = get_session_token(&sts, serial, &Sensitive::new("000000".into()))
            .await
            .expect_err("wrong code");
        assert_eq!(err.code(), crate::ErrorCode::MfaRequired);
        assert!(err.to_string().contains("AWS refused the code"), "{err}");

        let state = MfaState::default();
        let store = crate::secrets::MemoryStore::default();
        let key = SecretKey::new(SecretKind::MfaSession, "AKIAIOSFODNN7EXAMPLE").expect("key");
        *state.given.lock().expect("lock") = Some(Sensitive::new("123456".into()));
        let make = |code: Sensitive<String>| {
            let sts = sts.clone();
            async move { get_session_token(&sts, serial, &code).await }
        };
        let first = state
            .session(&store, &key, serial, "this key needs a code", make)
            .await
            .expect("session");
        assert_eq!(first.access_key_id(), "ASIASESSION");
        // The code was used once; the session serves the next call without one.
        let again = state
            .session(&store, &key, serial, "this key needs a code", make)
            .await
            .expect("kept");
        assert_eq!(again.access_key_id(), "ASIASESSION");
        assert_eq!(right.num_calls(), 1);
        state.forget(&store, &key).expect("forget");
        let err = state
            .session(&store, &key, serial, "this key needs a code", make)
            .await
            .expect_err("no code left");
        assert!(err.to_string().contains("this key needs a code"), "{err}");
    }
}
