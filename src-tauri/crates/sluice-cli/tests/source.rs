//! `sluice source temporary`: temporary credentials pasted on stdin become the source
//! identity, with their secrets in the real OS keyring, and `whoami` answers with them —
//! against moto's STS, which hands out the session (GetSessionToken through boto3 in the
//! test venv, as a person would copy it from the AWS CLI).

use sluice_e2e::moto::Moto;

/// `aws sts get-session-token` output from moto, as JSON text.
fn session_token_json(endpoint: &str) -> String {
    let script = r#"
import json, sys, boto3
sts = boto3.client("sts", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="testing", aws_secret_access_key="testing")
out = sts.get_session_token(DurationSeconds=3600)
c = out["Credentials"]
c["Expiration"] = c["Expiration"].isoformat()
print(json.dumps({"Credentials": c}))
"#;
    String::from_utf8(sluice_e2e::venv_python(script, &[endpoint])).expect("utf8")
}

/// `sluice args` with a private HOME, the emulator and a keyring service of its own.
fn sluice(
    args: &[&str],
    stdin: Option<&str>,
    endpoint: &str,
    home: &std::path::Path,
    keyring: &str,
) -> std::process::Output {
    let mut cmd = sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home);
    cmd.args(args)
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("SLUICE_KEYRING_SERVICE", keyring);
    sluice_e2e::run_with_stdin(cmd, stdin)
}

#[test]
fn pasted_temporary_credentials_answer_whoami_and_stay_in_the_keyring() {
    let moto = Moto::start();
    let home = tempfile::tempdir().expect("home");
    let keyring = format!("sluice-test-{}", std::process::id());
    let run = |args: &[&str], stdin: Option<&str>| {
        sluice(args, stdin, &moto.endpoint, home.path(), &keyring)
    };
    let pasted = session_token_json(&moto.endpoint);
    let json: serde_json::Value = serde_json::from_str(&pasted).expect("sts json");
    let token = json["Credentials"]["SessionToken"]
        .as_str()
        .expect("token")
        .to_string();
    let secret = json["Credentials"]["SecretAccessKey"]
        .as_str()
        .expect("secret")
        .to_string();

    let set = run(
        &[
            "--json",
            "source",
            "temporary",
            "--default-region",
            "eu-west-1",
        ],
        Some(&pasted),
    );
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&set.stdout),
        String::from_utf8_lossy(&set.stderr)
    );
    assert!(set.status.success(), "{printed}");
    let status: serde_json::Value = serde_json::from_slice(&set.stdout).expect("status json");
    assert_eq!(status["source"]["type"], "temporary");
    assert_eq!(status["secretConfigured"], true);
    assert!(status["source"]["expires"].is_string(), "{status}");
    assert!(!printed.contains(&token) && !printed.contains(&secret));

    // Only the key id is in the settings file; whoami signs with the pasted session.
    let settings =
        std::fs::read_to_string(home.path().join("config/settings.json")).expect("settings");
    assert!(!settings.contains(&token) && !settings.contains(&secret));
    let who = run(&["--json", "whoami"], None);
    assert!(
        who.status.success(),
        "{}",
        String::from_utf8_lossy(&who.stderr)
    );
    let who: serde_json::Value = serde_json::from_slice(&who.stdout).expect("whoami json");
    assert_eq!(who["account"], "123456789012");

    // An expired set and a block without a session token are refused with exit 2, naming
    // what is wrong and never the secret.
    let expired = pasted.replace(
        json["Credentials"]["Expiration"].as_str().expect("expiry"),
        "2020-01-01T00:00:00+00:00",
    );
    let refused = run(&["source", "temporary"], Some(&expired));
    assert_eq!(refused.status.code(), Some(2));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("expired at 2020-01-01T00:00:00Z"),
        "{message}"
    );
    assert!(!message.contains(&token) && !message.contains(&secret));
    let long_term = "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    let refused = run(&["source", "temporary"], Some(long_term));
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no session token"));
}

#[test]
fn profiles_are_listed_with_what_they_are_and_one_answers_whoami() {
    let moto = Moto::start();
    let home = tempfile::tempdir().expect("home");
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(&aws).expect("mkdir");
    std::fs::write(
        aws.join("config"),
        "[profile corp]\nsso_session = corp\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n\
         [profile vendor]\nrole_arn = arn:aws:iam::210987654321:role/vendor-read\nsource_profile = keys\n\
         [profile keys]\nregion = eu-west-1\n",
    )
    .expect("config");
    std::fs::write(
        aws.join("credentials"),
        "[keys]\naws_access_key_id = testing\naws_secret_access_key = testing-secret-key\n",
    )
    .expect("credentials");
    let run = |args: &[&str]| {
        let mut cmd = sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home.path());
        cmd.args(args).env("AWS_ENDPOINT_URL", &moto.endpoint);
        sluice_e2e::run_with_stdin(cmd, None)
    };
    let listed = run(&["--json", "profiles"]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    let kinds: Vec<(String, String)> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default().to_string(),
                p["kind"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("corp".to_string(), "sso".to_string()),
            ("keys".to_string(), "accessKeys".to_string()),
            ("vendor".to_string(), "role".to_string()),
        ]
    );
    assert!(!String::from_utf8_lossy(&listed.stdout).contains("testing-secret-key"));

    // The picked profile is the source identity a command runs as.
    let who = run(&["--json", "--profile", "keys", "whoami"]);
    assert!(
        who.status.success(),
        "{}",
        String::from_utf8_lossy(&who.stderr)
    );
    let who: serde_json::Value = serde_json::from_slice(&who.stdout).expect("whoami json");
    assert_eq!(who["account"], "123456789012");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_access_key_with_mfa_asks_for_one_code_that_serves_the_next_commands() {
    const SERIAL: &str = "arn:aws:iam::123456789012:mfa/mfa-person";
    let moto = Moto::recording();
    let iam = sluice_e2e::vendor::admin_clients(&moto.endpoint)
        .await
        .iam();
    let (key_id, secret) = sluice_e2e::vendor::iam_user_with_key(&iam, "mfa-person", None).await;
    let home = tempfile::tempdir().expect("home");
    let keyring = format!("sluice-test-mfa-{}", std::process::id());
    let run = |args: &[&str], stdin: Option<&str>| {
        sluice(args, stdin, &moto.endpoint, home.path(), &keyring)
    };
    let text = |o: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };

    let set = run(
        &[
            "source",
            "keys",
            "--access-key-id",
            &key_id,
            "--mfa-serial",
            SERIAL,
        ],
        Some(&secret),
    );
    assert!(set.status.success(), "{}", text(&set));
    assert!(text(&set).contains(SERIAL), "{}", text(&set));
    moto.start_recording();

    // No terminal and no --mfa-code: one line that says what to pass.
    let refused = run(&["whoami"], None);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr).trim(),
        format!(
            "error: MFA: this key needs a code from its MFA device {SERIAL}: pass --mfa-code CODE"
        )
    );

    // One code, then the kept session serves the next command without one.
    let first = run(&["--mfa-code", "654321", "--json", "whoami"], None);
    assert!(first.status.success(), "{}", text(&first));
    assert!(!text(&first).contains("654321"));
    let second = run(&["--json", "whoami"], None);
    assert!(second.status.success(), "{}", text(&second));
    let bad = run(&["--mfa-code", "12ab", "whoami"], None);
    assert_eq!(bad.status.code(), Some(2));

    let requests = moto.recorded();
    let sessions: Vec<_> = requests
        .iter()
        .filter(|(action, _, _)| action == "GetSessionToken")
        .collect();
    assert_eq!(sessions.len(), 1, "one code, one session: {requests:?}");
    let body = &sessions[0].1;
    assert!(
        body.contains("SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fmfa-person"),
        "{body}"
    );
    assert!(body.contains("TokenCode=654321"), "{body}");
    assert!(
        sessions[0]
            .2
            .contains(&format!("credential={}", key_id.to_lowercase())),
        "GetSessionToken signed with the long-term key"
    );
    let whoamis: Vec<_> = requests
        .iter()
        .filter(|(action, _, _)| action == "GetCallerIdentity")
        .collect();
    assert_eq!(whoamis.len(), 2, "{requests:?}");
    for (_, _, headers) in whoamis {
        assert!(
            headers.contains("x-amz-security-token"),
            "whoami signed with the MFA session: {headers}"
        );
    }
}
