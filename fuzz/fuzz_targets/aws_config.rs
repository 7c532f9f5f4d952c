//! An existing `~/.aws/config` with Sluice's credential_process profile put in: whatever the
//! file holds, the result names the profile exactly once and keeps every other section. The
//! profile picker's reading of the same file (every profile, and where an IAM Identity
//! Center profile signs in) never fails on it and finds no empty start URL or region; an
//! MFA device it finds (a role's or a profile of keys') is a valid serial.
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sluice_core::connections::credential_process::plan_profile;
use sluice_core::identity::mfa::serial;
use sluice_core::identity::mfa_role::{mfa_role_profile, profile_mfa_keys};
use sluice_core::identity::profiles::{list, sso_profile};

fuzz_target!(|current: &str| {
    for profile in list(current, current) {
        if let Some(sso) = sso_profile(current, &profile.name) {
            assert!(
                !sso.start_url.is_empty() && !sso.region.is_empty(),
                "{sso:?}"
            );
        }
        if let Ok(Some(role)) = mfa_role_profile(current, &profile.name) {
            let device = role.role.mfa_serial.as_deref().unwrap_or_default();
            assert!(serial(device).is_ok(), "{device:?}");
        }
        if let Ok(Some(keys)) = profile_mfa_keys(current, current, &profile.name) {
            assert!(serial(&keys.serial).is_ok() && !keys.access_key_id.is_empty());
        }
    }
    let command = vec![
        "/opt/Sluice Data/sluice".to_string(),
        "credentials".to_string(),
    ];
    let Ok(plan) = plan_profile(
        Path::new("/home/u/.aws/config"),
        current,
        "sluice-vendor",
        &command,
        Some("eu-west-1"),
        sluice_core::platform::Platform::Linux,
    ) else {
        return;
    };
    let header = "[profile sluice-vendor]";
    let ours = plan.new_text.lines().filter(|l| l.trim() == header).count();
    assert_eq!(ours, 1, "{:?}", plan.new_text);
    for line in current.lines() {
        let t = line.trim();
        if t.starts_with('[') && t.ends_with(']') && t != header {
            assert!(plan.new_text.lines().any(|l| l.trim() == t), "lost {t}");
        }
    }
});
