//! `sluice proxy …` grammar: the proxy every AWS call goes through.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum ProxyCommand {
    /// The proxy in use and where it comes from (Preferences, the environment, the system).
    Show,
    /// Use this proxy for every AWS call, over the environment's and the system's.
    Set {
        /// http://host:port (no password).
        url: String,
        /// Hosts reached directly, comma-separated (names, .domain suffixes, IPs, CIDRs).
        #[arg(long, value_name = "HOSTS")]
        no_proxy: Option<String>,
    },
    /// Forget Sluice's own proxy: the environment's or the system's is used again.
    Clear,
}
