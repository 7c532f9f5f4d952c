//! `sluice proxy`: shows and sets the proxy, shared with the app's Preferences.

pub mod args;

use args::ProxyCommand;
use sluice_core::net::proxy::ProxyFrom;
use sluice_core::net::NetworkStatus;
use sluice_core::{CoreError, Sluice};

use super::Outcome;
use crate::output::Output;

pub fn run(sluice: &Sluice, out: &Output, cmd: &ProxyCommand) -> Result<Outcome, CoreError> {
    let status = match cmd {
        ProxyCommand::Show => sluice.network_status()?,
        ProxyCommand::Set { url, no_proxy } => sluice.set_proxy(Some(url), no_proxy.as_deref())?,
        ProxyCommand::Clear => sluice.set_proxy(None, None)?,
    };
    print(out, &status);
    Ok(Outcome::Done)
}

fn print(out: &Output, status: &NetworkStatus) {
    if out.is_json() {
        return out.print_json(status);
    }
    let p = &status.proxy;
    let from = match p.from {
        ProxyFrom::None => "none: calls go straight to AWS",
        ProxyFrom::Preferences => "Sluice's setting (sluice proxy set / Preferences)",
        ProxyFrom::Environment => "the environment (HTTPS_PROXY / HTTP_PROXY)",
        ProxyFrom::System => "the system's network settings",
    };
    out.record(
        status,
        &[
            ("Proxy", p.url.as_deref().unwrap_or("-")),
            ("From", from),
            ("Direct to", p.no_proxy.as_deref().unwrap_or("-")),
            ("Note", p.note.as_deref().unwrap_or("-")),
        ],
    );
}
