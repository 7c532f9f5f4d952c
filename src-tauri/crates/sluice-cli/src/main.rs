//! `sluice`: the command line over sluice-core, for admins and scripts.
//!
//! Exit codes: 0 success, 1 a check or AWS call failed, 2 usage or input error. Errors are
//! one line on stderr; with `--json`, stdout also carries `{"error": {"kind", "message"}}`.

mod cli;
mod commands;
mod output;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use sluice_core::context::AwsOverrides;
use sluice_core::secrets::KeyringStore;
use sluice_core::settings::SettingsStore;
use sluice_core::{CoreError, Sluice};

use cli::{Cli, Command};
use commands::Outcome;
use output::Output;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Quiet by default: an error is the one line `out.error` prints, nothing else.
    let level = match cli.verbose {
        0 => "off",
        1 => "sluice=info,sluice_core=info,warn",
        _ => "debug",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SLUICE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level)),
        )
        .with_writer(std::io::stderr)
        .init();
    let out = Output::new(cli.json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return out.error(&CoreError::Internal {
                detail: format!("cannot start the async runtime: {e}"),
            })
        }
    };
    match runtime.block_on(run(&cli, &out)) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::CheckFailed) => ExitCode::from(1),
        Err(e) => out.error(&e),
    }
}

async fn run(cli: &Cli, out: &Output) -> Result<Outcome, CoreError> {
    let sluice = Sluice::new(
        SettingsStore::default_location()?,
        Arc::new(KeyringStore::from_env()),
        AwsOverrides {
            endpoint_url: cli.endpoint_url.clone().filter(|s| !s.is_empty()),
            region: cli.region.clone(),
            profile: cli.profile.clone(),
            imds: cli.imds,
        },
    );
    sluice.keep_mfa_sessions_in_keyring();
    if let Some(code) = &cli.mfa_code {
        sluice.give_mfa_code(code)?;
    }
    match dispatch(&sluice, cli, out).await {
        // The source has an MFA device and no session yet: on a terminal, ask once and run
        // the command again (the code is needed before any AWS call is made).
        Err(CoreError::Mfa { serial, .. }) if cli.mfa_code.is_none() && commands::is_terminal() => {
            let code = commands::prompt_secret(&format!("MFA code for {serial}: "))?;
            sluice.give_mfa_code(&code)?;
            dispatch(&sluice, cli, out).await
        }
        Err(CoreError::Mfa {
            serial,
            reason,
            connection,
        }) if cli.mfa_code.is_none() => Err(CoreError::Mfa {
            reason: format!("{reason}: pass --mfa-code CODE"),
            serial,
            connection,
        }),
        other => other,
    }
}

async fn dispatch(sluice: &Sluice, cli: &Cli, out: &Output) -> Result<Outcome, CoreError> {
    match &cli.command {
        Command::Whoami => return commands::identity::whoami(sluice, out).await,
        Command::Source(cmd) => return commands::identity::source(sluice, out, cmd),
        Command::Sso(cmd) => {
            return commands::sso::run(
                sluice,
                out,
                cmd,
                cli.region.as_deref(),
                cli.profile.as_deref(),
            )
            .await
        }
        Command::Profiles => return commands::identity::profiles(sluice, out),
        Command::Connection(cmd) => return commands::connection::run(sluice, out, cmd).await,
        Command::Credentials { connection } => {
            commands::connection::credentials(sluice, connection).await?
        }
        Command::ConsoleUrl { connection } => {
            return commands::connection::console_url(sluice, out, connection)
        }
        Command::S3 {
            connection,
            command,
        } => return commands::s3::run(sluice, out, connection.as_deref(), command).await,
        Command::Policy(cmd) => return commands::policy::run(sluice, out, cmd).await,
        Command::Sink(cmd) => return commands::sink::run(sluice, out, cmd).await,
        Command::Audit(cmd) => return commands::audit::run(sluice, out, cmd).await,
        Command::Stream {
            connection,
            command,
        } => return commands::stream::run(sluice, out, connection.as_deref(), command).await,
        Command::Report(args) => return commands::report::run(sluice, out, args).await,
        Command::Athena(cmd) => return commands::athena::run(sluice, out, cmd).await,
        Command::Proxy(cmd) => return commands::proxy::run(sluice, out, cmd),
        Command::FixGz { paths, dry_run } => return commands::s3::fix_gz(out, paths, *dry_run),
    }
    Ok(Outcome::Done)
}
