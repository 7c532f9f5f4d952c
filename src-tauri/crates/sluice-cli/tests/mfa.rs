//! MFA on profiles and roles, against moto's STS with its request recorder: a profile with
//! `role_arn` + `mfa_serial` (which the SDK alone would assume without the code) and a
//! connection whose vendor trust requires MFA both send AssumeRole with SerialNumber and
//! TokenCode, a profile of keys with `mfa_serial` gets a GetSessionToken session — one code
//! per session each (kept in the real OS keyring between commands); an `aws login` profile
//! is named as unsupported.

use sluice_e2e::moto::Moto;

const SERIAL: &str = "arn:aws:iam::123456789012:mfa/role-person";

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The AssumeRole requests for `role` in the recording.
fn assume_roles(moto: &Moto, role: &str) -> Vec<String> {
    let role = role.replace(':', "%3A").replace('/', "%2F");
    moto.recorded()
        .into_iter()
        .filter(|(action, body, _)| action == "AssumeRole" && body.contains(&role))
        .map(|(_, body, _)| body)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_that_need_mfa_are_assumed_with_the_serial_and_one_code_per_session() {
    let moto = Moto::recording();
    let iam = sluice_e2e::vendor::admin_clients(&moto.endpoint)
        .await
        .iam();
    let (key_id, secret) = sluice_e2e::vendor::iam_user_with_key(&iam, "role-person", None).await;
    let home = tempfile::tempdir().expect("home");
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(&aws).expect("mkdir");
    std::fs::write(
        aws.join("credentials"),
        format!(
            "[keys]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n\
             [keys-mfa]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\nmfa_serial = {SERIAL}\n"
        ),
    )
    .expect("credentials");
    std::fs::write(
        aws.join("config"),
        format!(
            "[profile keys]\nregion = eu-west-1\n\
             [profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nmfa_serial = {SERIAL}\nsource_profile = keys\nregion = eu-west-1\n\
             [profile new-login]\nlogin_session = arn:aws:iam::123456789012:user/someone\nregion = eu-west-1\n"
        ),
    )
    .expect("config");
    let keyring = format!("sluice-test-mfa-role-{}", std::process::id());
    let run = |args: &[&str]| {
        let mut cmd = sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home.path());
        cmd.args(args)
            .env("AWS_ENDPOINT_URL", &moto.endpoint)
            .env("SLUICE_KEYRING_SERVICE", &keyring);
        sluice_e2e::run_with_stdin(cmd, None)
    };
    moto.start_recording();

    // The profile: no code, one line saying what to pass; a code; then none needed.
    let refused = run(&["--profile", "admin", "whoami"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr).trim(),
        format!("error: MFA: profile admin assumes its role with MFA: it needs a code from the MFA device {SERIAL}: pass --mfa-code CODE")
    );
    for args in [
        &[
            "--profile",
            "admin",
            "--mfa-code",
            "111111",
            "--json",
            "whoami",
        ][..],
        &["--profile", "admin", "--json", "whoami"][..],
    ] {
        let who = run(args);
        assert!(who.status.success(), "{}", text(&who));
        let who: serde_json::Value = serde_json::from_slice(&who.stdout).expect("json");
        assert!(
            who["arn"]
                .as_str()
                .is_some_and(|a| a.contains("assumed-role/admin/")),
            "{who}"
        );
    }
    let calls = assume_roles(&moto, "arn:aws:iam::123456789012:role/admin");
    assert_eq!(calls.len(), 1, "one code, one session: {calls:?}");
    let serial = SERIAL.replace(':', "%3A").replace('/', "%2F");
    assert!(
        calls[0].contains(&format!("SerialNumber={serial}")),
        "{}",
        calls[0]
    );
    assert!(calls[0].contains("TokenCode=111111"), "{}", calls[0]);

    // A connection whose vendor trust requires MFA: the same, through `connection verify`.
    let vendor = "arn:aws:iam::210987654321:role/vendor-read";
    let add = run(&[
        "connection",
        "add",
        "vendor",
        "--role-arn",
        vendor,
        "--mfa-serial",
        SERIAL,
        "--source-profile",
        "keys",
    ]);
    assert!(add.status.success(), "{}", text(&add));
    assert!(text(&add).contains(SERIAL), "{}", text(&add));
    let refused = run(&["connection", "verify", "vendor"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("the vendor's trust of connection 'vendor' requires MFA"),
        "{}",
        text(&refused)
    );
    let first = run(&["--mfa-code", "222222", "connection", "verify", "vendor"]);
    assert!(first.status.success(), "{}", text(&first));
    let again = run(&["connection", "verify", "vendor"]);
    assert!(again.status.success(), "{}", text(&again));
    let calls = assume_roles(&moto, vendor);
    let with_code: Vec<_> = calls.iter().filter(|b| b.contains("TokenCode=")).collect();
    assert_eq!(with_code.len(), 1, "one code, one session: {calls:?}");
    assert!(with_code[0].contains(&format!("SerialNumber={serial}")));
    assert!(with_code[0].contains("TokenCode=222222"));
    assert!(
        calls.iter().all(|b| b.contains("SerialNumber=")),
        "every AssumeRole of this role carries the device: {calls:?}"
    );

    // A profile of keys with an MFA device: GetSessionToken with the code, once.
    let refused = run(&["--profile", "keys-mfa", "whoami"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains(&format!(
            "profile keys-mfa needs a code from its MFA device {SERIAL}: pass --mfa-code CODE"
        )),
        "{}",
        text(&refused)
    );
    for args in [
        &["--profile", "keys-mfa", "--mfa-code", "333333", "whoami"][..],
        &["--profile", "keys-mfa", "whoami"][..],
    ] {
        let who = run(args);
        assert!(who.status.success(), "{}", text(&who));
    }
    let sessions: Vec<_> = moto
        .recorded()
        .into_iter()
        .filter(|(action, _, _)| action == "GetSessionToken")
        .map(|(_, body, _)| body)
        .collect();
    assert_eq!(sessions.len(), 1, "one code, one session: {sessions:?}");
    assert!(sessions[0].contains(&format!("SerialNumber={serial}")));
    assert!(sessions[0].contains("TokenCode=333333"));

    // An edited profile is another session: the kept one does not act as the new role.
    let config = std::fs::read_to_string(aws.join("config")).expect("config");
    std::fs::write(
        aws.join("config"),
        config.replace("role/admin\n", "role/auditor\n"),
    )
    .expect("edit config");
    let edited = run(&["--profile", "admin", "whoami"]);
    assert_eq!(edited.status.code(), Some(1), "{}", text(&edited));
    assert!(
        text(&edited).contains("profile admin assumes its role with MFA"),
        "{}",
        text(&edited)
    );

    // The MFA device is checked when the connection is saved.
    let bad = run(&[
        "connection",
        "add",
        "bad",
        "--role-arn",
        vendor,
        "--mfa-serial",
        "not a device",
    ]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(text(&bad).contains("MFA device"), "{}", text(&bad));

    // `aws login` profiles are named, not a feature-not-enabled dump.
    let login = run(&["--profile", "new-login", "whoami"]);
    assert_eq!(login.status.code(), Some(2), "{}", text(&login));
    assert!(
        text(&login).contains("`aws login` (login_session), which Sluice does not support"),
        "{}",
        text(&login)
    );
}
