//! `sluice connection …`, `sluice credentials`, `sluice console-url`.

pub mod args;
mod print;

use sluice_core::connections::console::switch_role_link;
use sluice_core::connections::policy::PolicyTarget;
use sluice_core::connections::{ConnectionDraft, ExternalIdChange};
use sluice_core::handover;
use sluice_core::identity::SourceIdentity;
use sluice_core::sensitive::SecretString;
use sluice_core::{CoreError, Sluice};

use super::{read_stdin, Outcome};
use crate::output::Output;
use args::{ConnectionCommand, SecretArgs, SourceArgs};

/// Secrets from stdin: the ExternalId and/or secret key, one per line when both are asked.
fn stdin_secrets(args: &SecretArgs) -> Result<(Option<String>, Option<String>), CoreError> {
    match (args.external_id_stdin, args.secret_key_stdin) {
        (false, false) => Ok((None, None)),
        (true, false) => Ok((Some(read_stdin("ExternalId")?), None)),
        (false, true) => Ok((None, Some(read_stdin("secret access key")?))),
        (true, true) => {
            let text = read_stdin("standard input")?;
            let mut lines = text.lines();
            let ext = lines.next().unwrap_or_default().to_string();
            let key = lines.next().unwrap_or_default().to_string();
            Ok((Some(ext), Some(key)))
        }
    }
}

fn source_from(args: &SourceArgs, fallback: SourceIdentity) -> SourceIdentity {
    match (&args.source_profile, &args.access_key_id) {
        (Some(p), _) => SourceIdentity::Profile { name: p.clone() },
        (None, Some(id)) => SourceIdentity::AccessKey {
            access_key_id: id.clone(),
        },
        (None, None) => fallback,
    }
}

pub async fn run(
    sluice: &Sluice,
    out: &Output,
    cmd: &ConnectionCommand,
) -> Result<Outcome, CoreError> {
    match cmd {
        ConnectionCommand::Import {
            name,
            file,
            secrets,
            source,
        } => {
            let text = std::fs::read_to_string(file).map_err(|e| {
                CoreError::invalid("handover file", format!("{}: {e}", file.display()))
            })?;
            let parsed = handover::parse(&text);
            if !parsed.fields.problems.is_empty() {
                let lines: Vec<String> = parsed
                    .fields
                    .problems
                    .iter()
                    .map(|p| format!("line {}: {}: {}", p.line, p.field, p.message))
                    .collect();
                return Err(CoreError::invalid("handover", lines.join("; ")));
            }
            let (ext_stdin, key_stdin) = stdin_secrets(secrets)?;
            let f = parsed.fields;
            let fallback = match &f.access_key_id {
                Some(id) if parsed.secret_access_key.is_some() => SourceIdentity::AccessKey {
                    access_key_id: id.clone(),
                },
                _ => SourceIdentity::DefaultChain,
            };
            let external_id = match (ext_stdin, parsed.external_id) {
                (Some(v), _) => ExternalIdChange::Set(SecretString::from(v)),
                (None, Some(v)) => ExternalIdChange::Set(SecretString::from(v.into_exposed())),
                (None, None) => ExternalIdChange::Keep,
            };
            let secret_access_key = key_stdin
                .or_else(|| parsed.secret_access_key.map(|s| s.into_exposed()))
                .map(SecretString::from);
            let saved = sluice.save_connection(ConnectionDraft {
                name: name.clone(),
                source: source_from(source, fallback),
                secret_access_key,
                region: f.region,
                role_arn: f.role_arn,
                session_name: None,
                duration_seconds: None,
                display_name: f.display_name,
                mfa_serial: None,
                external_id,
                bucket: f.bucket,
                prefix: f.prefix,
                stream_arn: f.stream_arn,
            })?;
            out.connection(&saved);
        }
        ConnectionCommand::Add {
            name,
            role_arn,
            bucket,
            prefix,
            stream_arn,
            session_name,
            duration,
            mfa_serial,
            secrets,
            source,
        } => {
            let (ext, key) = stdin_secrets(secrets)?;
            let saved = sluice.save_connection(ConnectionDraft {
                name: name.clone(),
                source: source_from(source, SourceIdentity::DefaultChain),
                secret_access_key: key.map(SecretString::from),
                region: sluice.aws_options()?.region,
                role_arn: role_arn.clone(),
                session_name: session_name.clone(),
                duration_seconds: *duration,
                display_name: None,
                mfa_serial: mfa_serial.clone(),
                external_id: ext.map_or(ExternalIdChange::Keep, |v| {
                    ExternalIdChange::Set(SecretString::from(v))
                }),
                bucket: bucket.clone(),
                prefix: prefix.clone(),
                stream_arn: stream_arn.clone(),
            })?;
            out.connection(&saved);
        }
        ConnectionCommand::List => out.connections(&sluice.connections()?),
        ConnectionCommand::Show { name } => out.connection(&sluice.connection(name)?),
        ConnectionCommand::Rm { name } => {
            sluice.remove_connection(name)?;
            out.message(
                &serde_json::json!({ "removed": name }),
                &format!("Removed connection '{name}' and its secrets."),
            );
        }
        ConnectionCommand::Verify { name } => {
            let report = sluice.verify_connection(name).await?;
            out.report(&report);
            if !report.passed {
                return Ok(Outcome::CheckFailed);
            }
        }
        ConnectionCommand::Policy {
            name,
            apply_to_user,
            apply_to_role,
        } => {
            let target = match (apply_to_user, apply_to_role) {
                (Some(u), _) => Some(PolicyTarget::User(u.clone())),
                (None, Some(r)) => Some(PolicyTarget::Role(r.clone())),
                (None, None) => None,
            };
            let policy = match &target {
                Some(t) => sluice.apply_inline_policy(name, t).await?,
                None => sluice.inline_policy(name).await?,
            };
            out.policy(&policy, target.as_ref());
        }
        ConnectionCommand::Profile {
            name,
            profile_name,
            write,
        } => {
            let exe = std::env::current_exe().map_err(|e| CoreError::Internal {
                detail: e.to_string(),
            })?;
            let config = sluice_core::aws::shared_files::config_path()?;
            let profile = profile_name.clone().unwrap_or_else(|| name.clone());
            let plan = if *write {
                sluice.write_cli_profile(name, &profile, &exe, &config)?
            } else {
                sluice.plan_cli_profile(name, &profile, &exe, &config)?
            };
            out.profile_plan(&plan, *write);
        }
    }
    Ok(Outcome::Done)
}

pub async fn credentials(sluice: &Sluice, connection: &str) -> Result<(), CoreError> {
    // The credential_process contract: this JSON, alone, on stdout.
    println!("{}", sluice.process_credentials(connection).await?);
    Ok(())
}

pub fn console_url(sluice: &Sluice, out: &Output, connection: &str) -> Result<Outcome, CoreError> {
    let link = switch_role_link(&sluice.connection(connection)?)?;
    match (&link.url, &link.note) {
        (Some(url), _) => out.message(&link, url),
        (None, Some(note)) => {
            out.message(&link, note);
            return Ok(Outcome::CheckFailed);
        }
        (None, None) => {}
    }
    Ok(Outcome::Done)
}
