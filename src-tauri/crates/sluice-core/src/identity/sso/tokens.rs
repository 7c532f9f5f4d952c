//! The sign-in's tokens and Sluice's client registration: a usable access token (refreshed
//! with the refresh token shortly before it expires, one refresh at a time), a CreateToken
//! answer kept (tokens to the keyring, expiry to the settings), and the registration with
//! SSO OIDC reused until an hour before it expires.

use aws_sdk_ssooidc::operation::create_token::CreateTokenError;

use super::clients::SsoClients;
use super::facade::{expired, unix_now, SsoState, SsoStatus};
use super::saved::{ClientRegistration, SignIn, SsoSecrets, SsoSettings};
use crate::aws::errors::classify;
use crate::context::Sluice;
use crate::error::{CoreError, Result};
use crate::sensitive::Sensitive;

/// The scope that makes SSO OIDC hand out a refresh token.
const SCOPE: &str = "sso:account:access";
/// A token with less than this left is refreshed before it is used.
const REFRESH_BEFORE: i64 = 5 * 60;
/// A client registration with less than this left is replaced.
const REGISTER_BEFORE: i64 = 60 * 60;

impl Sluice {
    /// The sign-in and a usable access token, refreshed first when it has less than five
    /// minutes left; "sign in again" when that cannot be done.
    pub(crate) async fn sso_token(&self) -> Result<(SignIn, Sensitive<String>)> {
        let state = self.state::<SsoState>();
        let _one_refresh = state.refreshing.lock().await;
        let saved: SsoSettings = self.settings().read()?;
        let sign_in = saved.sso_sign_in.ok_or_else(|| CoreError::SignIn {
            reason: "not signed in: sign in first".into(),
        })?;
        let secrets = SsoSecrets {
            store: self.secrets(),
        };
        let now = unix_now();
        if sign_in.token_expires_at - now > REFRESH_BEFORE {
            if let Some(token) = secrets.access_token(&sign_in.start_url)? {
                return Ok((sign_in, token));
            }
            return Err(expired());
        }
        let refresh = secrets
            .refresh_token(&sign_in.start_url)?
            .ok_or_else(expired)?;
        let client = saved
            .sso_client
            .filter(|c| c.region == sign_in.region && c.expires_at > now)
            .ok_or_else(expired)?;
        let client_secret = secrets.client_secret(&client.region)?.ok_or_else(expired)?;
        let clients = SsoClients::new(&sign_in.region, &self.proxy_choice()?).await?;
        let out = clients
            .oidc
            .create_token()
            .client_id(&client.client_id)
            .client_secret(client_secret.expose())
            .grant_type("refresh_token")
            .refresh_token(refresh.expose())
            .send()
            .await
            .map_err(|e| match e.as_service_error() {
                Some(
                    CreateTokenError::InvalidGrantException(_)
                    | CreateTokenError::ExpiredTokenException(_)
                    | CreateTokenError::InvalidClientException(_)
                    | CreateTokenError::UnauthorizedClientException(_),
                ) => expired(),
                _ => classify("sso-oauth:CreateToken", e),
            })?;
        self.save_tokens(
            &sign_in.start_url,
            &sign_in.region,
            out.access_token,
            out.refresh_token,
            out.expires_in,
        )?;
        let saved: SsoSettings = self.settings().read()?;
        let sign_in = saved.sso_sign_in.ok_or_else(expired)?;
        let token = secrets
            .access_token(&sign_in.start_url)?
            .ok_or_else(expired)?;
        Ok((sign_in, token))
    }

    /// Keeps a CreateToken answer: the tokens in the keyring, the expiry in the settings.
    pub(super) fn save_tokens(
        &self,
        start_url: &str,
        region: &str,
        access: Option<String>,
        refresh: Option<String>,
        expires_in: i32,
    ) -> Result<SsoStatus> {
        let access = access.ok_or_else(|| CoreError::Service {
            action: "sso-oauth:CreateToken".into(),
            code: "IncompleteResponse".into(),
            message: "no access token in the answer".into(),
        })?;
        let refresh = refresh.map(Sensitive::new);
        let secrets = SsoSecrets {
            store: self.secrets(),
        };
        let previous: SsoSettings = self.settings().read()?;
        // The token being replaced: Sluice's files that still hold it are Sluice's to replace.
        let replaced = match &previous.sso_sign_in {
            Some(old) => secrets.access_token(&old.start_url)?,
            None => None,
        };
        if let Some(old) = previous.sso_sign_in.filter(|s| s.start_url != start_url) {
            secrets.delete_tokens(&old.start_url)?;
            let removed = self.remove_aws_cli_cache(&replaced.iter().collect::<Vec<_>>());
            self.note_aws_cli_problem(removed)?;
        }
        secrets.set_tokens(start_url, &Sensitive::new(access), refresh.as_ref())?;
        let refreshable = secrets.refresh_token(start_url)?.is_some();
        self.settings().update(|s: &mut SsoSettings| {
            s.sso_sign_in = Some(SignIn {
                start_url: start_url.to_owned(),
                region: region.to_owned(),
                token_expires_at: unix_now() + i64::from(expires_in.max(0)),
                refreshable,
            });
            Ok(())
        })?;
        let shared = self.write_aws_cli_cache(replaced.as_ref());
        self.note_aws_cli_problem(shared)?;
        self.sso_status()
    }

    /// The client id and secret for `region`: the saved registration while it has an hour
    /// left, else a new RegisterClient whose secret goes to the keyring.
    pub(super) async fn sso_registration(
        &self,
        clients: &SsoClients,
        region: &str,
    ) -> Result<(String, Sensitive<String>)> {
        let saved: SsoSettings = self.settings().read()?;
        let secrets = SsoSecrets {
            store: self.secrets(),
        };
        if let Some(client) = saved
            .sso_client
            .filter(|c| c.region == region && c.expires_at - unix_now() > REGISTER_BEFORE)
        {
            if let Some(secret) = secrets.client_secret(region)? {
                return Ok((client.client_id, secret));
            }
        }
        let out = clients
            .oidc
            .register_client()
            .client_name("Sluice")
            .client_type("public")
            .scopes(SCOPE)
            .send()
            .await
            .map_err(|e| classify("sso-oauth:RegisterClient", e))?;
        let (Some(client_id), Some(secret)) = (out.client_id, out.client_secret) else {
            return Err(CoreError::Service {
                action: "sso-oauth:RegisterClient".into(),
                code: "IncompleteResponse".into(),
                message: "no client id or secret in the answer".into(),
            });
        };
        let secret = Sensitive::new(secret);
        secrets.set_client_secret(region, &secret)?;
        self.settings().update(|s: &mut SsoSettings| {
            s.sso_client = Some(ClientRegistration {
                region: region.to_owned(),
                client_id: client_id.clone(),
                expires_at: out.client_secret_expires_at,
            });
            Ok(())
        })?;
        Ok((client_id, secret))
    }
}
