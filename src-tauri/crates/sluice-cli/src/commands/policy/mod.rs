//! `sluice policy …`: print a template, lint a file, apply a file after its diff.

pub mod args;
mod print;

use sluice_core::iac::{Attach, CodeFormat, CodeRequest};
use sluice_core::policy::apply::ApplyTarget;
use sluice_core::policy::studio::PolicySource;
use sluice_core::policy::templates::{
    AssumeRoleInput, AthenaReaderInput, BucketPolicyInput, ProducerInput, ReaderInput,
    SinkWriterInput, TemplateRequest, TrustInput,
};
use sluice_core::policy::PolicyKind;
use sluice_core::{CoreError, Sensitive, Sluice};

use super::{read_stdin, Outcome};
use crate::output::Output;
use args::{AttachArg, KindArg, PolicyCommand, PolicyFormat, PrintArgs, TargetArgs};

/// A policy file, or standard input for `-`.
fn read_policy(file: &str) -> Result<String, CoreError> {
    if file == "-" {
        return read_stdin("policy");
    }
    std::fs::read_to_string(file)
        .map_err(|e| CoreError::invalid("policy file", format!("{file}: {e}")))
}

fn kind(arg: Option<KindArg>) -> Option<PolicyKind> {
    arg.map(|k| match k {
        KindArg::Identity => PolicyKind::Identity,
        KindArg::Resource => PolicyKind::Resource,
        KindArg::Trust => PolicyKind::Trust,
    })
}

fn target(args: &TargetArgs) -> Result<ApplyTarget, CoreError> {
    match (&args.user, &args.role, &args.trust_of_role, &args.bucket) {
        (Some(u), ..) => Ok(ApplyTarget::User(u.clone())),
        (_, Some(r), ..) => Ok(ApplyTarget::Role(r.clone())),
        (_, _, Some(r), _) => Ok(ApplyTarget::TrustOfRole(r.clone())),
        (.., Some(b)) => Ok(ApplyTarget::Bucket(b.clone())),
        _ => Err(CoreError::invalid(
            "target",
            "choose --user, --role, --trust-of-role or --bucket",
        )),
    }
}

fn code_format(f: PolicyFormat) -> Option<CodeFormat> {
    match f {
        PolicyFormat::Json => None,
        PolicyFormat::Terraform => Some(CodeFormat::Terraform),
        PolicyFormat::Cloudformation => Some(CodeFormat::Cloudformation),
    }
}

fn attach(a: AttachArg) -> Attach {
    match a {
        AttachArg::User => Attach::User,
        AttachArg::Role => Attach::Role,
        AttachArg::Managed => Attach::Managed,
    }
}

fn text(s: &Option<String>) -> Option<String> {
    s.clone().filter(|v| !v.trim().is_empty())
}

pub async fn run(sluice: &Sluice, out: &Output, cmd: &PolicyCommand) -> Result<Outcome, CoreError> {
    let (request, print): (TemplateRequest, &PrintArgs) = match cmd {
        PolicyCommand::AssumeRole { role_arn, print } => (
            TemplateRequest::AssumeRole(AssumeRoleInput {
                role_arn: role_arn.clone(),
            }),
            print,
        ),
        PolicyCommand::Trust {
            account,
            principal,
            external_id_stdin,
            generate_external_id,
            external_id_name,
            replace_external_id,
            print,
        } => {
            let name = external_id_name.clone().unwrap_or_else(|| "trust".into());
            if *external_id_stdin {
                let value = read_stdin("ExternalId")?;
                sluice.store_trust_external_id(
                    &name,
                    Sensitive::new(value),
                    *replace_external_id,
                )?;
            } else if *generate_external_id {
                sluice.generate_trust_external_id(&name, *replace_external_id)?;
                eprintln!(
                    "A new ExternalId is stored in the OS keyring as '{name}'; it is in the policy below. Hand it to the trusted party over a private channel."
                );
            }
            let with_id = *external_id_stdin || *generate_external_id || external_id_name.is_some();
            (
                TemplateRequest::Trust(TrustInput {
                    principal: account
                        .clone()
                        .or_else(|| principal.clone())
                        .unwrap_or_default(),
                    external_id_name: with_id.then_some(name),
                }),
                print,
            )
        }
        PolicyCommand::SinkWriter {
            bucket,
            prefix,
            suffix,
            print,
        } => (
            TemplateRequest::SinkWriter(SinkWriterInput {
                bucket: bucket.clone(),
                prefix: prefix.clone(),
                suffix: Some(suffix.clone()),
            }),
            print,
        ),
        PolicyCommand::Reader {
            bucket,
            prefix,
            stream_arn,
            kms_key_arn,
            print,
        } => (
            TemplateRequest::Reader(ReaderInput {
                bucket: bucket.clone(),
                prefix: text(prefix),
                stream_arn: text(stream_arn),
                kms_key_arn: text(kms_key_arn),
            }),
            print,
        ),
        PolicyCommand::AthenaReader {
            account,
            region,
            workgroup,
            database,
            table,
            data,
            results,
            print,
        } => (
            TemplateRequest::AthenaReader(AthenaReaderInput {
                account: account.clone(),
                region: region.clone(),
                workgroup: workgroup.clone(),
                database: database.clone(),
                table: table.clone(),
                data: data.clone(),
                results: results.clone(),
            }),
            print,
        ),
        PolicyCommand::Producer { stream_arn, print } => (
            TemplateRequest::Producer(ProducerInput {
                stream_arn: stream_arn.clone(),
            }),
            print,
        ),
        PolicyCommand::BucketPolicy {
            bucket,
            reader_principal,
            print,
        } => (
            TemplateRequest::BucketPolicy(BucketPolicyInput {
                bucket: bucket.clone(),
                reader_principal: text(reader_principal),
            }),
            print,
        ),
        PolicyCommand::Lint { file, kind: k } => {
            let report = sluice.lint_policy(&read_policy(file)?, kind(*k));
            out.lint_report(&report);
            return Ok(if report.has_errors() {
                Outcome::CheckFailed
            } else {
                Outcome::Done
            });
        }
        PolicyCommand::Apply {
            file,
            target: t,
            policy_name,
            yes,
        } => return apply(sluice, out, file, &target(t)?, policy_name.as_deref(), *yes).await,
    };
    if let Some(format) = code_format(print.format) {
        let code = sluice
            .generate_code(&CodeRequest::Policy {
                request,
                format,
                attach: Some(attach(print.attach)),
            })
            .await?;
        out.code(&code);
        return Ok(Outcome::Done);
    }
    let generated = sluice.generate_policy(&request)?;
    // The document as the admin will use it: with the ExternalId in place.
    let document = sluice.policy_text_with_secrets(&PolicySource::Template(request))?;
    out.generated_policy(&generated, document.expose(), print.explain);
    Ok(Outcome::Done)
}

async fn apply(
    sluice: &Sluice,
    out: &Output,
    file: &str,
    target: &ApplyTarget,
    name: Option<&str>,
    yes: bool,
) -> Result<Outcome, CoreError> {
    let source = PolicySource::Document(read_policy(file)?);
    let plan = sluice.plan_policy_apply(target, &source, name).await?;
    out.apply_plan(&plan);
    if plan.lint.has_errors() {
        return Ok(Outcome::CheckFailed);
    }
    if !plan.changed {
        return Ok(Outcome::Done);
    }
    if !yes {
        eprintln!("Not applied: re-run with --yes to apply this change.");
        return Ok(Outcome::Done);
    }
    let applied = sluice
        .apply_policy(target, &source, name, Some(&plan.fingerprint))
        .await?;
    out.applied_policy(&applied);
    Ok(if applied.verified {
        Outcome::Done
    } else {
        Outcome::CheckFailed
    })
}
