//! MFA for an access-key source. The device's serial is saved with the source; a code turns
//! the long-term key into a session (STS GetSessionToken with SerialNumber and TokenCode)
//! that every call uses until it expires, so one code serves every command until then and
//! no action asks twice. The app keeps the session in memory; the CLI also in the OS
//! keyring, so its next command needs no code either.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;

use crate::aws::{errors, AwsClients};
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::secrets::{SecretKey, SecretKind};
use crate::sensitive::Sensitive;

/// How long an MFA session lasts: twelve hours, GetSessionToken's default.
pub const SESSION_SECONDS: i32 = 12 * 60 * 60;
/// A session with less than this left is not used.
const MARGIN: Duration = Duration::from_secs(5 * 60);

/// This feature's state on the context (in memory only).
#[derive(Default)]
pub struct MfaState {
    /// Sessions by the access key id they were made from.
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

impl Sluice {
    fn mfa(&self) -> std::sync::Arc<MfaState> {
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

    /// The MFA session for `key_id`: from memory, else the keyring (when kept there).
    fn stored_mfa_session(&self, key_id: &str) -> Result<Option<Credentials>> {
        let now = SystemTime::now();
        let state = self.mfa();
        if let Some(s) = state
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key_id)
            .filter(|s| usable(s, now))
        {
            return Ok(Some(s.clone()));
        }
        if !state.keyring.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let key = SecretKey::new(SecretKind::MfaSession, key_id)?;
        Ok(self
            .secrets()
            .get(&key)?
            .and_then(|t| from_json(&t))
            .filter(|s| usable(s, now)))
    }

    /// The clients for an access key with an MFA device: acting with the MFA session, made
    /// with a code when there is none yet; without a code, says that one is needed.
    pub(crate) async fn with_mfa(
        &self,
        clients: AwsClients,
        key_id: &str,
        serial: &str,
    ) -> Result<AwsClients> {
        if let Some(session) = self.stored_mfa_session(key_id)? {
            return Ok(clients.with_credentials(session));
        }
        let given = self
            .mfa()
            .given
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        let Some(code) = given else {
            return Err(CoreError::Mfa {
                serial: serial.to_owned(),
                reason: format!("this key needs a code from its MFA device {serial}"),
            });
        };
        let session = self.mfa_session(&clients, key_id, serial, &code).await?;
        Ok(clients.with_credentials(session))
    }

    /// GetSessionToken with the device and the code; the session is kept for `key_id`.
    async fn mfa_session(
        &self,
        clients: &AwsClients,
        key_id: &str,
        serial: &str,
        code: &Sensitive<String>,
    ) -> Result<Credentials> {
        let out = clients
            .sts()
            .get_session_token()
            .serial_number(serial)
            .token_code(code.expose())
            .duration_seconds(SESSION_SECONDS)
            .send()
            .await
            .map_err(|e| match errors::classify("sts:GetSessionToken", e) {
                CoreError::AccessDenied { .. } => CoreError::Mfa {
                    serial: serial.to_owned(),
                    reason: format!(
                        "AWS refused the code for {serial}: enter the code the device shows now"
                    ),
                },
                other => other,
            })?;
        let c = out.credentials.ok_or_else(|| CoreError::Service {
            action: "sts:GetSessionToken".into(),
            code: "IncompleteResponse".into(),
            message: "the response has no credentials".into(),
        })?;
        let session = Credentials::new(
            c.access_key_id,
            c.secret_access_key,
            Some(c.session_token),
            SystemTime::try_from(c.expiration).ok(),
            "sluice-mfa",
        );
        let state = self.mfa();
        if state.keyring.load(Ordering::Relaxed) {
            self.secrets().set(
                &SecretKey::new(SecretKind::MfaSession, key_id)?,
                &to_json(&session),
            )?;
        }
        state
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key_id.to_owned(), session.clone());
        Ok(session)
    }

    /// The app's MFA dialog: makes the session with `code` for the current access-key source.
    pub async fn mfa_sign_in(&self, value: &str) -> Result<()> {
        let value = code(value)?.to_owned();
        self.give_mfa_code(&value)?;
        let result = self.aws().await.map(|_| ());
        self.mfa()
            .given
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        result
    }

    /// Forgets the MFA sessions of `key_id` (its source changed or went away).
    pub(crate) fn forget_mfa_session(&self, key_id: &str) -> Result<()> {
        self.mfa()
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key_id);
        self.secrets()
            .delete(&SecretKey::new(SecretKind::MfaSession, key_id)?)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let clients = AwsClients::build(
            &crate::aws::AwsOptions {
                region: Some("eu-west-1".into()),
                endpoint_url: Some("http://127.0.0.1:9".into()),
                ..Default::default()
            },
            s.secrets(),
        )
        .await
        .expect("clients");
        let serial = "arn:aws:iam::123456789012:mfa/alice";
        let err = s
            .with_mfa(clients, "AKIAIOSFODNN7EXAMPLE", serial)
            .await
            .expect_err("no code");
        assert_eq!(err.code(), crate::ErrorCode::MfaRequired);
        assert!(err.to_string().contains(serial), "{err}");
        assert_eq!(
            s.give_mfa_code("12x").expect_err("bad").code(),
            crate::ErrorCode::InvalidInput
        );
    }
}
