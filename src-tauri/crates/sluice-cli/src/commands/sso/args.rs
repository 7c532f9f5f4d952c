//! `sluice sso …` grammar: IAM Identity Center sign-in from the command line.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum SsoCommand {
    /// Sign in with the device code: prints the page and the code, opens the browser, waits
    /// until you approve (Ctrl-C cancels). Give the portal with --start-url and --region, or
    /// an IAM Identity Center profile of ~/.aws/config with --profile.
    Login {
        /// Your AWS access portal address, e.g. https://my-company.awsapps.com/start.
        #[arg(long, value_name = "URL")]
        start_url: Option<String>,
        /// Print the page and the code only; open no browser.
        #[arg(long)]
        no_browser: bool,
        /// Also share the sign-in with the AWS CLI and SDK tools (see `sluice sso share`).
        #[arg(long)]
        share_with_aws_cli: bool,
    },
    /// The accounts and roles this sign-in may use.
    Accounts,
    /// Make an account's role your source identity.
    Use {
        /// The 12-digit account id.
        #[arg(long, value_name = "ID")]
        account: String,
        /// The role (permission set) name.
        #[arg(long, value_name = "NAME")]
        role: String,
    },
    /// Sign out: the portal ends the session and the tokens leave the OS keyring.
    Logout,
    /// Whether you are signed in, and until when.
    Status,
    /// Share the sign-in with the AWS CLI and SDK tools on this computer: the access token
    /// and its expiry (never the refresh token) go to ~/.aws/sso/cache, rewritten at every
    /// refresh and deleted at sign-out. --stop deletes them and stops sharing.
    Share {
        #[arg(long)]
        stop: bool,
    },
}
