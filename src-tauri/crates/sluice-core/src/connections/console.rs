//! The AWS console's switch-role link for a connection's vendor role.
//!
//! The console cannot pass an ExternalId, so for a role that needs one there is no working
//! link: we say so instead of offering one that fails.

use serde::Serialize;

use super::Connection;
use crate::error::{CoreError, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConsoleLink {
    /// The switch-role URL, when the console can use the role.
    pub url: Option<String>,
    /// Why there is no URL.
    pub note: Option<String>,
}

pub const EXTERNAL_ID_NOTE: &str = "The AWS console cannot pass an ExternalId, so switching to this role in the browser would fail. Use Sluice or the sluice CLI for this connection.";

fn signin_host(partition: &str) -> &'static str {
    match partition {
        "aws-us-gov" => "signin.amazonaws-us-gov.com",
        "aws-cn" => "signin.amazonaws.cn",
        _ => "signin.aws.amazon.com",
    }
}

/// The switch-role link (account, role name, display name), or a note saying why not.
pub fn switch_role_link(connection: &Connection) -> Result<ConsoleLink> {
    let role = connection.role.as_ref().ok_or_else(|| {
        CoreError::invalid(
            "connection",
            format!("'{}' has no vendor role to switch to", connection.name),
        )
    })?;
    if role.has_external_id {
        return Ok(ConsoleLink {
            url: None,
            note: Some(EXTERNAL_ID_NOTE.into()),
        });
    }
    let display = role
        .display_name
        .clone()
        .unwrap_or_else(|| connection.name.clone());
    let base = format!(
        "https://{}/switchrole",
        signin_host(&role.role_arn.partition())
    );
    let url = url::Url::parse_with_params(
        &base,
        &[
            ("account", role.role_arn.account()),
            ("roleName", role.role_arn.name()),
            ("displayName", display),
        ],
    )
    .map_err(|e| CoreError::Internal {
        detail: format!("switch-role URL: {e}"),
    })?;
    Ok(ConsoleLink {
        url: Some(url.to_string()),
        note: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arn::RoleArn;
    use crate::connections::VendorRole;

    fn connection(has_external_id: bool) -> Connection {
        Connection {
            name: "mm".into(),
            source: Default::default(),
            region: None,
            role: Some(VendorRole {
                role_arn: RoleArn::parse("arn:aws:iam::352302322568:role/the-data-access-role")
                    .expect("arn"),
                session_name: "sluice".into(),
                duration_seconds: 3600,
                has_external_id,
                display_name: Some("Machine Metrics".into()),
                mfa_serial: None,
            }),
            bucket: None,
            prefix: None,
            stream_arn: None,
        }
    }

    #[test]
    fn link_names_account_role_and_display() {
        let link = switch_role_link(&connection(false)).expect("link");
        assert_eq!(
            link.url.as_deref(),
            Some("https://signin.aws.amazon.com/switchrole?account=352302322568&roleName=the-data-access-role&displayName=Machine+Metrics")
        );
    }

    #[test]
    fn no_link_with_an_external_id() {
        let link = switch_role_link(&connection(true)).expect("link");
        assert!(link.url.is_none());
        assert_eq!(link.note.as_deref(), Some(EXTERNAL_ID_NOTE));
    }
}
