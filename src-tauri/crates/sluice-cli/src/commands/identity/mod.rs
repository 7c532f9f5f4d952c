//! `sluice whoami`: the account and principal behind the current credentials, and
//! `sluice source …`: choosing where they come from.

pub mod args;

use sluice_core::identity::profiles::ProfileKind;
use sluice_core::identity::{SourceIdentity, SourceStatus, SourceUpdate};
use sluice_core::{CoreError, Sluice};

use super::{read_stdin, Outcome};
use crate::output::Output;
use args::SourceCommand;

pub async fn whoami(sluice: &Sluice, out: &Output) -> Result<Outcome, CoreError> {
    let id = sluice.whoami().await?;
    out.record(
        &id,
        &[
            ("Account", id.account.as_str()),
            ("ARN", id.arn.as_str()),
            ("UserId", id.user_id.as_str()),
        ],
    );
    Ok(Outcome::Done)
}

pub fn source(sluice: &Sluice, out: &Output, cmd: &SourceCommand) -> Result<Outcome, CoreError> {
    match cmd {
        SourceCommand::Keys {
            access_key_id,
            mfa_serial,
            default_region,
        } => {
            let secret = read_stdin("secret access key")?;
            let status = sluice.set_source(SourceUpdate {
                source: SourceIdentity::AccessKey {
                    access_key_id: access_key_id.clone(),
                },
                region: default_region.clone(),
                secret_access_key: Some(secret.into()),
                mfa_serial: mfa_serial.clone(),
            })?;
            print_status(out, &status);
        }
        SourceCommand::Temporary { default_region } => {
            let pasted = read_stdin("temporary credentials")?;
            let status = sluice.set_temporary_source(pasted.into(), default_region.clone())?;
            print_status(out, &status);
        }
    }
    Ok(Outcome::Done)
}

pub(crate) fn print_status(out: &Output, status: &SourceStatus) {
    let (kind, id, expires) = match &status.source {
        SourceIdentity::Temporary {
            access_key_id,
            expires,
        } => (
            "temporary credentials (OS keyring)",
            access_key_id.as_str(),
            expires.as_deref().unwrap_or("not given"),
        ),
        SourceIdentity::AccessKey { access_key_id } => {
            return out.record(
                status,
                &[
                    ("Source", "access key (OS keyring)"),
                    ("Key id", access_key_id.as_str()),
                    ("MFA device", status.mfa_serial.as_deref().unwrap_or("none")),
                    (
                        "Region",
                        status.region.as_deref().unwrap_or("from your AWS config"),
                    ),
                ],
            )
        }
        SourceIdentity::Profile { name } => ("profile", name.as_str(), "-"),
        SourceIdentity::Sso {
            account_id,
            role_name,
            ..
        } => {
            return out.record(
                status,
                &[
                    ("Source", "IAM Identity Center"),
                    ("Account", account_id.as_str()),
                    ("Role", role_name.as_str()),
                    (
                        "Region",
                        status.region.as_deref().unwrap_or("from your AWS config"),
                    ),
                ],
            )
        }
        SourceIdentity::DefaultChain => ("the AWS default chain", "-", "-"),
    };
    out.record(
        status,
        &[
            ("Source", kind),
            ("Key id", id),
            ("Expires", expires),
            (
                "Region",
                status.region.as_deref().unwrap_or("from your AWS config"),
            ),
        ],
    );
}

/// `sluice profiles`: one line per profile (JSON: the list).
pub fn profiles(sluice: &Sluice, out: &Output) -> Result<Outcome, CoreError> {
    let list = sluice.aws_profiles()?;
    if out.is_json() {
        out.print_json(&list);
        return Ok(Outcome::Done);
    }
    if list.is_empty() {
        eprintln!("No profiles in ~/.aws/config or ~/.aws/credentials.");
    }
    let width = list.iter().map(|p| p.name.len()).max().unwrap_or(0);
    for p in &list {
        let region = p.region.as_deref().unwrap_or("-");
        let detail = p.detail.as_deref().unwrap_or("");
        println!(
            "{:<width$}  {:<18}  {region:<14}  {detail}",
            p.name,
            kind_text(p.kind)
        );
    }
    Ok(Outcome::Done)
}

fn kind_text(kind: ProfileKind) -> &'static str {
    match kind {
        ProfileKind::Sso => "IAM Identity Center",
        ProfileKind::Role => "role",
        ProfileKind::CredentialProcess => "credential_process",
        ProfileKind::Login => "aws login",
        ProfileKind::AccessKeys => "access keys",
        ProfileKind::TemporaryKeys => "temporary keys",
        ProfileKind::NoCredentials => "no credentials",
    }
}
