//! `sluice sink …`: a writer's destination bucket — plan, apply, validate, rotate, tear down.

pub mod args;
mod print;

use sluice_core::iac::{CodeFormat, CodeRequest};
use sluice_core::setup::validate::Patience;
use sluice_core::setup::SinkSpec;
use sluice_core::{CoreError, Sluice};

use super::Outcome;
use crate::output::Output;
use args::{CodeFormatArg, SinkArgs, SinkCommand};

fn spec(a: &SinkArgs) -> SinkSpec {
    SinkSpec {
        bucket: a.bucket.clone(),
        prefix: a.prefix.clone(),
        suffix: Some(a.suffix.clone()),
        user: a.user.clone(),
        // The bucket goes in the session's region: the global --region.
        region: None,
        kms_key_arn: a.kms_key_arn.clone(),
        tls_only: Some(!a.no_tls_policy),
    }
}

/// `--bucket` / `--prefix`, when given, must name the destination recorded for the user.
fn check_matches(
    sluice: &Sluice,
    user: &str,
    bucket: Option<&str>,
    prefix: Option<&str>,
) -> Result<(), CoreError> {
    let record = sluice.setup_record(user)?.ok_or_else(|| {
        CoreError::invalid(
            "user",
            format!("Sluice has set up no destination for '{user}'"),
        )
    })?;
    if bucket.is_some_and(|b| b != record.bucket)
        || prefix.is_some_and(|p| p.trim_matches('/') != record.prefix)
    {
        return Err(CoreError::invalid(
            "destination",
            format!(
                "'{user}' writes to s3://{}/{}, not the bucket or prefix given",
                record.bucket, record.prefix
            ),
        ));
    }
    Ok(())
}

pub async fn run(sluice: &Sluice, out: &Output, cmd: &SinkCommand) -> Result<Outcome, CoreError> {
    match cmd {
        SinkCommand::Plan {
            spec: a,
            format: Some(f),
            import,
        } => {
            let format = match f {
                CodeFormatArg::Terraform => CodeFormat::Terraform,
                CodeFormatArg::Cloudformation => CodeFormat::Cloudformation,
            };
            let code = sluice
                .generate_code(&CodeRequest::Setup {
                    spec: spec(a),
                    format,
                    import: *import,
                })
                .await?;
            out.code(&code);
        }
        SinkCommand::Plan { spec: a, .. } => {
            let plan = sluice.plan_setup(&spec(a)).await?;
            out.setup_plan(&plan);
        }
        SinkCommand::Apply {
            spec: a,
            yes,
            credentials_file,
        } => {
            let s = spec(a);
            if !yes {
                let plan = sluice.plan_setup(&s).await?;
                out.setup_plan(&plan);
                eprintln!("Not applied: re-run with --yes to apply these steps.");
                return Ok(Outcome::Done);
            }
            let outcome = sluice
                .apply_setup(&s, Patience::default(), &|e| out.setup_event(&e))
                .await?;
            out.setup_outcome(&outcome);
            let passed = outcome.validation.as_ref().is_some_and(|v| v.passed);
            match credentials_file {
                // Only a key proven to hold no more than the writer policy goes to a vendor.
                Some(path) if passed => {
                    let written = sluice.export_sink_credentials(&s.user, path, false)?;
                    eprintln!("Credentials written to {written} (mode 0600).");
                }
                Some(_) => eprintln!("Credentials file not written: validation did not pass."),
                None => {}
            }
            return Ok(if passed {
                Outcome::Done
            } else {
                Outcome::CheckFailed
            });
        }
        SinkCommand::Validate {
            user,
            bucket,
            prefix,
        } => {
            check_matches(sluice, user, bucket.as_deref(), prefix.as_deref())?;
            let report = sluice.validate_setup(user, Patience::default()).await?;
            out.validation(&report);
            return Ok(if report.passed {
                Outcome::Done
            } else {
                Outcome::CheckFailed
            });
        }
        SinkCommand::Rotate { user } => {
            let report = sluice.rotate_setup_key(user, Patience::default()).await?;
            out.rotation(&report);
        }
        SinkCommand::Teardown {
            user,
            bucket,
            delete_bucket,
            empty_bucket,
            yes,
        } => {
            check_matches(sluice, user, bucket.as_deref(), None)?;
            let report = sluice
                .teardown_setup(user, *delete_bucket, *empty_bucket, *yes)
                .await?;
            out.teardown(&report);
            if !yes {
                eprintln!("Not torn down: re-run with --yes to do these steps.");
            }
        }
        SinkCommand::Credentials { user, file } => {
            let written = sluice.export_sink_credentials(user, file, false)?;
            out.message(
                &serde_json::json!({ "path": written }),
                &format!("Credentials written to {written} (mode 0600)."),
            );
        }
    }
    Ok(Outcome::Done)
}
