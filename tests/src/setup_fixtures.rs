//! Fixtures for destination-setup tests: the sink spec they create, short validation
//! patience, an admin policy with and without `iam:PutUserPolicy`, and a recorder of the
//! step events an apply reports.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sluice_core::setup::apply::{StepEvent, StepProgress};
use sluice_core::setup::validate::Patience;
use sluice_core::setup::SinkSpec;

pub const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
pub const NO_PUT_USER_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
    {"Effect":"Deny","Action":"iam:PutUserPolicy","Resource":"*"}]}"#;

/// moto cannot tell HTTPS from HTTP and denies every object request on a bucket whose
/// policy refuses plain HTTP, so the flow that writes with the new key leaves the bucket
/// policy alone; `the_tls_statement_joins_an_existing_bucket_policy_in_another_region`
/// (setup_against_emulator.rs) covers it.
pub fn spec() -> SinkSpec {
    SinkSpec {
        bucket: "strm-export".into(),
        prefix: Some("events".into()),
        suffix: None,
        user: "strm-export-demo".into(),
        region: None,
        kms_key_arn: None,
        tls_only: Some(false),
    }
}

pub fn quick() -> Patience {
    Patience {
        attempts: 3,
        first_pause: Duration::from_millis(50),
    }
}

pub fn sse_algorithm(
    out: &aws_sdk_s3::operation::get_bucket_encryption::GetBucketEncryptionOutput,
) -> String {
    out.server_side_encryption_configuration()
        .and_then(|c| c.rules().first())
        .and_then(|r| r.apply_server_side_encryption_by_default())
        .map(|d| d.sse_algorithm().as_str().to_string())
        .unwrap_or_default()
}

pub type Events = Arc<Mutex<Vec<StepEvent>>>;

pub fn recorder() -> (Events, impl Fn(StepEvent) + Send + Sync) {
    let events: Events = Arc::default();
    let sink = events.clone();
    (events, move |e| {
        if let Ok(mut list) = sink.lock() {
            list.push(e);
        }
    })
}

pub fn states(events: &Events) -> Vec<(String, StepProgress)> {
    events
        .lock()
        .map(|l| l.iter().map(|e| (e.id.clone(), e.state)).collect())
        .unwrap_or_default()
}
