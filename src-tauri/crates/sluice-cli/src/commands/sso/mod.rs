//! `sluice sso …`: IAM Identity Center sign-in, its accounts and roles, and signing out.

pub mod args;

use sluice_core::identity::sso::{DeviceCode, SsoState, SsoStatus};
use sluice_core::{CoreError, Sluice};

use super::identity::print_status;
use super::{on_ctrl_c, Outcome};
use crate::output::Output;
use args::SsoCommand;

pub async fn run(
    sluice: &Sluice,
    out: &Output,
    cmd: &SsoCommand,
    region: Option<&str>,
    profile: Option<&str>,
) -> Result<Outcome, CoreError> {
    match cmd {
        SsoCommand::Login {
            start_url,
            no_browser,
            share_with_aws_cli,
        } => {
            let (start_url, region) = portal(sluice, start_url.as_deref(), region, profile)?;
            if *share_with_aws_cli {
                sluice.sso_share_with_aws_cli(true)?;
            }
            let state = sluice.state::<SsoState>();
            on_ctrl_c("Cancelling the sign-in…", move || {
                state.cancel();
            });
            let browser = |url: &str| !*no_browser && open::that_detached(url).is_ok();
            let code = sluice.sso_start(&start_url, &region, &browser).await?;
            print_code(out, &code);
            let status = sluice.sso_wait().await?;
            print_sso(out, &status);
        }
        SsoCommand::Accounts => {
            let accounts = sluice.sso_accounts().await?;
            if out.is_json() {
                out.print_json(&accounts);
            } else if accounts.is_empty() {
                eprintln!("This sign-in has no accounts: ask your administrator to assign one.");
            } else {
                let width = accounts
                    .iter()
                    .map(|a| a.account_name.len())
                    .max()
                    .unwrap_or(0);
                for a in &accounts {
                    for role in &a.roles {
                        println!("{}  {:<width$}  {role}", a.account_id, a.account_name);
                    }
                }
            }
        }
        SsoCommand::Use { account, role } => {
            let status = sluice.sso_use(account, role).await?;
            print_status(out, &status);
        }
        SsoCommand::Logout => {
            let status = sluice.sso_logout().await?;
            out.message(&status, "Signed out of IAM Identity Center.");
        }
        SsoCommand::Status => print_sso(out, &sluice.sso_status()?),
        SsoCommand::Share { stop } => {
            let status = sluice.sso_share_with_aws_cli(!stop)?;
            let said = match (stop, status.signed_in) {
                (true, _) => "The AWS CLI no longer shares this sign-in: its token file is gone.",
                (false, true) => {
                    "The AWS CLI and SDK tools now share this sign-in (~/.aws/sso/cache)."
                }
                (false, false) => "The next sign-in will be shared with the AWS CLI and SDK tools.",
            };
            out.message(&status, said);
        }
    }
    Ok(Outcome::Done)
}

/// The portal to sign in to: `--start-url` with `--region`, or the SSO profile's (where
/// `--region` still wins).
fn portal(
    sluice: &Sluice,
    start_url: Option<&str>,
    region: Option<&str>,
    profile: Option<&str>,
) -> Result<(String, String), CoreError> {
    let from_profile = match (start_url, profile) {
        (None, Some(name)) => Some(sluice.aws_sso_profile(name)?.ok_or_else(|| {
            CoreError::invalid(
                "--profile",
                format!("profile {name} has no IAM Identity Center start URL and region"),
            )
        })?),
        _ => None,
    };
    let start_url = start_url
        .map(str::to_owned)
        .or_else(|| from_profile.as_ref().map(|p| p.start_url.clone()))
        .ok_or_else(|| {
            CoreError::invalid(
                "--start-url",
                "give your access portal address, or --profile with an IAM Identity Center profile",
            )
        })?;
    let region = region
        .map(str::to_owned)
        .or_else(|| from_profile.map(|p| p.region))
        .ok_or_else(|| {
            CoreError::invalid(
                "--region",
                "give the region of your IAM Identity Center (e.g. --region eu-west-1)",
            )
        })?;
    Ok((start_url, region))
}

fn print_code(out: &Output, code: &DeviceCode) {
    if out.is_json() {
        // One line now, so a script can show the code while Sluice waits.
        match serde_json::to_string(code) {
            Ok(line) => println!("{line}"),
            Err(e) => eprintln!("error: cannot encode the device code as JSON: {e}"),
        }
        return;
    }
    let page = code
        .verification_uri_complete
        .as_deref()
        .unwrap_or(&code.verification_uri);
    if code.browser_opened {
        eprintln!("A browser opened on the sign-in page. If it did not, open:");
    } else {
        eprintln!("Open this page in a browser:");
    }
    eprintln!("  {page}");
    eprintln!("and check that it shows this code:");
    println!("{}", code.user_code);
    eprintln!(
        "Waiting for you to approve (the code expires in {} minutes; Ctrl-C cancels)…",
        code.expires_in.div_ceil(60)
    );
}

fn print_sso(out: &Output, status: &SsoStatus) {
    if out.is_json() {
        return out.print_json(status);
    }
    if !status.signed_in {
        println!("Not signed in to IAM Identity Center.");
        return;
    }
    out.record(
        status,
        &[
            ("Signed in", status.start_url.as_deref().unwrap_or("-")),
            ("Region", status.region.as_deref().unwrap_or("-")),
            ("Expires", status.expires.as_deref().unwrap_or("-")),
            (
                "Renewed",
                if status.refreshable {
                    "automatically, until the session ends"
                } else {
                    "no: sign in again when it expires"
                },
            ),
            (
                "AWS CLI",
                match (&status.aws_cli_problem, status.shared_with_aws_cli) {
                    (Some(problem), true) => problem.as_str(),
                    (None, true) => "shares this sign-in (~/.aws/sso/cache)",
                    (_, false) => "not shared",
                },
            ),
        ],
    );
}
