//! `sluice whoami`: the account and principal behind the current credentials.

use sluice_core::{CoreError, Sluice};

use super::Outcome;
use crate::output::Output;

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
