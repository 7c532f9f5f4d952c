//! The device authorization grant (RFC 8628) as AWS's SSO OIDC answers it: what to do after
//! each CreateToken reply. Pure, so every branch is unit-tested without a server.

use std::time::Duration;

use serde::Serialize;

/// What the person signing in is shown: the code and where to enter it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DeviceCode {
    /// The code to compare with the one the browser shows, e.g. `ABCD-EFGH`.
    pub user_code: String,
    /// The page where the code is entered.
    pub verification_uri: String,
    /// The same page with the code filled in, when the service gives one.
    pub verification_uri_complete: Option<String>,
    /// Seconds until the code expires.
    pub expires_in: u32,
    /// Whether a browser was opened on the page (otherwise: copy the address).
    pub browser_opened: bool,
}

/// One CreateToken answer while the device code is pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollReply {
    /// The person has not approved yet.
    Pending,
    /// Too fast: the service asks for a longer interval.
    SlowDown,
    /// The device code expired before it was approved.
    Expired,
    /// The person refused the request in the browser.
    Denied,
}

/// What to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextPoll {
    /// Ask again after this long.
    After(Duration),
    /// Stop with this message for the person.
    Stop(&'static str),
}

/// RFC 8628 §3.5: `slow_down` adds five seconds to the interval for every later request.
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// The server's interval, at least one second (a zero or negative interval would spin).
pub fn first_interval(server_seconds: i32) -> Duration {
    Duration::from_secs(u64::try_from(server_seconds).unwrap_or(0).max(1))
}

/// The next step after `reply`, polling at `interval`; `remaining` is the device code's life.
pub fn next_poll(reply: PollReply, interval: Duration, remaining: Duration) -> NextPoll {
    let wait = match reply {
        PollReply::Pending => interval,
        PollReply::SlowDown => interval + SLOW_DOWN_STEP,
        PollReply::Expired => return NextPoll::Stop(EXPIRED),
        PollReply::Denied => return NextPoll::Stop(DENIED),
    };
    if remaining.is_zero() {
        NextPoll::Stop(EXPIRED)
    } else {
        NextPoll::After(wait)
    }
}

/// Said when the code expired: nothing can be resumed.
pub const EXPIRED: &str =
    "the sign-in code expired before it was approved: start the sign-in again";
/// Said when the person chose Deny in the browser.
pub const DENIED: &str = "the sign-in was denied in the browser: start again and choose Allow";

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn pending_keeps_the_interval_and_slow_down_adds_five_seconds() {
        let five = Duration::from_secs(5);
        assert_eq!(
            next_poll(PollReply::Pending, five, 60 * S),
            NextPoll::After(five)
        );
        assert_eq!(
            next_poll(PollReply::SlowDown, five, 60 * S),
            NextPoll::After(Duration::from_secs(10))
        );
    }

    #[test]
    fn expiry_and_denial_stop_with_what_to_do() {
        assert_eq!(
            next_poll(PollReply::Expired, S, 60 * S),
            NextPoll::Stop(EXPIRED)
        );
        assert_eq!(
            next_poll(PollReply::Pending, S, Duration::ZERO),
            NextPoll::Stop(EXPIRED)
        );
        assert_eq!(
            next_poll(PollReply::Denied, S, 60 * S),
            NextPoll::Stop(DENIED)
        );
        assert!(EXPIRED.contains("start the sign-in again"));
    }

    #[test]
    fn a_zero_or_negative_interval_becomes_one_second() {
        assert_eq!(first_interval(0), S);
        assert_eq!(first_interval(-3), S);
        assert_eq!(first_interval(5), 5 * S);
    }
}
