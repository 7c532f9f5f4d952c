//! `sluice sso …`: IAM Identity Center device sign-in with the real aws-sdk-ssooidc and
//! aws-sdk-sso clients against the stand-in (tests/sso/standin.py), the tokens in the real
//! OS keyring, and the chosen role's credentials — an IAM user's keys made in moto — proven
//! by `whoami` against moto's STS.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use sluice_e2e::moto::Moto;
use sluice_e2e::sso::SsoStandIn;

struct World {
    moto: Moto,
    standin: SsoStandIn,
    home: tempfile::TempDir,
    keyring: String,
}

impl World {
    async fn new(tag: &str) -> Self {
        let moto = Moto::start();
        let iam = sluice_e2e::vendor::admin_clients(&moto.endpoint)
            .await
            .iam();
        let (key_id, secret) =
            sluice_e2e::vendor::iam_user_with_key(&iam, "sso-person", None).await;
        Self {
            standin: SsoStandIn::start(&key_id, &secret),
            moto,
            home: tempfile::tempdir().expect("home"),
            keyring: format!("sluice-test-sso-{tag}-{}", std::process::id()),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), self.home.path());
        cmd.args(args)
            .env("AWS_ENDPOINT_URL", &self.moto.endpoint)
            .env("SLUICE_KEYRING_SERVICE", &self.keyring)
            .envs(self.standin.env());
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        sluice_e2e::run_with_stdin(self.command(args), None)
    }

    fn login(&self, start_url: &str) -> Output {
        self.run(&[
            "--region",
            "eu-west-1",
            "--json",
            "sso",
            "login",
            "--start-url",
            start_url,
            "--no-browser",
        ])
    }

    fn settings(&self) -> String {
        std::fs::read_to_string(self.home.path().join("config/settings.json")).unwrap_or_default()
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .split("\n{")
        .enumerate()
        .map(|(i, part)| {
            let doc = if i == 0 {
                part.to_string()
            } else {
                format!("{{{part}")
            };
            serde_json::from_str(&doc).unwrap_or_else(|e| panic!("JSON {doc}: {e}"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn device_sign_in_picks_a_role_that_answers_whoami_and_signs_out() {
    let w = World::new("flow").await;

    // pending → slow_down → approved: the code is printed first, the sign-in last.
    let login = w.login("https://corp.awsapps.com/start");
    assert!(login.status.success(), "{}", text(&login));
    let docs = json_lines(&login);
    assert!(
        docs[0]["userCode"]
            .as_str()
            .is_some_and(|c| c.starts_with("ABCD-")),
        "{docs:?}"
    );
    assert_eq!(docs[0]["browserOpened"], false);
    let status = docs.last().expect("status");
    assert_eq!(status["signedIn"], true, "{status}");
    assert_eq!(status["refreshable"], true, "{status}");
    let stats = w.standin.stats();
    assert_eq!(stats["register"], 1, "{stats}");
    assert_eq!(stats["token"], 3, "pending, slow_down, approved: {stats}");

    // A second sign-in reuses the registration.
    let again = w.login("https://corp.awsapps.com/quick");
    assert!(again.status.success(), "{}", text(&again));
    assert_eq!(w.standin.stats()["register"], 1);

    // Accounts and roles, every page of both, sorted by name.
    let listed = w.run(&["--json", "sso", "accounts"]);
    assert!(listed.status.success(), "{}", text(&listed));
    let accounts: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    assert_eq!(accounts[0]["accountName"], "Sandbox");
    assert_eq!(accounts[1]["accountId"], "111122223333");
    assert_eq!(
        accounts[1]["roles"],
        serde_json::json!(["DataReader", "ReadOnly"])
    );

    // A role the person does not have is refused; one they have becomes the source.
    let refused = w.run(&["sso", "use", "--account", "111122223333", "--role", "Admin"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let used = w.run(&[
        "--json",
        "sso",
        "use",
        "--account",
        "111122223333",
        "--role",
        "DataReader",
    ]);
    assert!(used.status.success(), "{}", text(&used));
    let status: serde_json::Value = serde_json::from_slice(&used.stdout).expect("json");
    assert_eq!(status["source"]["type"], "sso", "{status}");
    assert_eq!(status["secretConfigured"], true, "{status}");

    // whoami signs with the role's credentials: moto names the IAM user they belong to.
    let who = w.run(&["--json", "whoami"]);
    assert!(who.status.success(), "{}", text(&who));
    let who: serde_json::Value = serde_json::from_slice(&who.stdout).expect("json");
    assert_eq!(who["arn"], "arn:aws:iam::123456789012:user/sso-person");

    // No token or client secret in the settings file or anything printed.
    let printed = [login, again, listed, used]
        .iter()
        .map(text)
        .collect::<String>();
    for secret in [
        "standin-access-",
        "standin-refresh-",
        "standin-client-secret-",
    ] {
        assert!(!w.settings().contains(secret), "{secret} in settings");
        assert!(!printed.contains(secret), "{secret} printed");
    }

    // Sign out: Logout reaches the portal, and whoami now says to sign in.
    let out = w.run(&["sso", "logout"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(w.standin.stats()["logout"], 1);
    let who = w.run(&["whoami"]);
    assert_eq!(who.status.code(), Some(1));
    assert!(
        text(&who).contains("IAM Identity Center: not signed in: sign in first"),
        "{}",
        text(&who)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_are_refreshed_and_every_failed_sign_in_says_what_to_do() {
    let w = World::new("edges").await;

    // A token with a minute left is refreshed before use; the stand-in has revoked the old
    // one, so the listing only works with the new token.
    let login = w.login("https://short.awsapps.com/quick");
    assert!(login.status.success(), "{}", text(&login));
    let cache = w.home.path().join(".aws/sso/cache");
    // Not shared unless asked: no AWS CLI file.
    assert!(!cache.exists(), "no file when sharing is off");
    let share = w.run(&["sso", "share"]);
    assert!(share.status.success(), "{}", text(&share));
    let file = cache.join(sluice_core::identity::sso::aws_cli_cache::file_name(
        "https://short.awsapps.com/quick",
    ));
    let token_in = |path: &std::path::Path| -> String {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).expect("cache file")).expect("json");
        v["accessToken"].as_str().expect("token").to_owned()
    };
    let mut shared = token_in(&file);
    for round in 1..=2 {
        let listed = w.run(&["--json", "sso", "accounts"]);
        assert!(listed.status.success(), "{}", text(&listed));
        assert_eq!(w.standin.stats()["refresh"], round);
        // Every refresh rewrites the shared file with the new token.
        let now = token_in(&file);
        assert_ne!(
            now, shared,
            "round {round}: the file keeps the revoked token"
        );
        shared = now;
    }
    // The AWS CLI signed in itself since: stopping leaves its file; Sluice's own goes.
    std::fs::write(&file, r#"{"accessToken":"the-aws-cli-s-own"}"#).expect("rewrite");
    let stop = w.run(&["sso", "share", "--stop"]);
    assert!(stop.status.success(), "{}", text(&stop));
    assert_eq!(token_in(&file), "the-aws-cli-s-own");
    let again = w.run(&["sso", "share"]);
    assert!(again.status.success(), "{}", text(&again));
    let stop = w.run(&["sso", "share", "--stop"]);
    assert!(stop.status.success(), "{}", text(&stop));
    assert!(!file.exists(), "Sluice's file stays after --stop");

    // A cache that cannot be written never stops a refresh: the status says why.
    let share = w.run(&["sso", "share"]);
    assert!(share.status.success(), "{}", text(&share));
    std::fs::remove_dir_all(&cache).expect("rm cache");
    std::fs::write(&cache, "not a folder").expect("block the cache");
    let listed = w.run(&["--json", "sso", "accounts"]);
    assert!(listed.status.success(), "{}", text(&listed));
    assert_eq!(w.standin.stats()["refresh"], 3);
    let status = w.run(&["--json", "sso", "status"]);
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).expect("json");
    assert!(
        status["awsCliProblem"]
            .as_str()
            .is_some_and(|p| p.starts_with("sharing with the AWS CLI: ")),
        "{status}"
    );
    let logout = w.run(&["sso", "logout"]);
    assert!(logout.status.success(), "{}", text(&logout));

    let expired = w.login("https://corp.awsapps.com/expire");
    assert_eq!(expired.status.code(), Some(1));
    assert!(
        text(&expired).contains("expired before it was approved: start the sign-in again"),
        "{}",
        text(&expired)
    );
    let denied = w.login("https://corp.awsapps.com/deny");
    assert_eq!(denied.status.code(), Some(1));
    assert!(text(&denied).contains("denied in the browser"));

    // Bad input is refused before any request.
    let bad = w.login("corp");
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("access portal address"));
    let no_region = w.run(&[
        "sso",
        "login",
        "--start-url",
        "https://corp.awsapps.com/start",
    ]);
    assert_eq!(no_region.status.code(), Some(2));
    assert!(text(&no_region).contains("--region"));
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_cancels_a_waiting_sign_in() {
    let w = World::new("cancel").await;
    let mut child = w
        .command(&[
            "--region",
            "eu-west-1",
            "sso",
            "login",
            "--start-url",
            "https://corp.awsapps.com/deny-never",
            "--no-browser",
        ])
        .envs(
            ["DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"]
                .into_iter()
                .filter_map(|v| Some((v, std::env::var_os(v)?))),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sluice sso login");
    // The code is printed (on stdout) once the device authorization exists.
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read the code");
    assert!(line.starts_with("ABCD-"), "{line}");
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(interrupted.success());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Cancelling the sign-in"), "{err}");
    assert!(
        err.contains("Cancelled: IAM Identity Center sign-in"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_sso_profile_asks_to_sign_in_then_answers_with_its_role() {
    let w = World::new("profile").await;
    let aws = w.home.path().join(".aws");
    std::fs::create_dir_all(&aws).expect("mkdir");
    std::fs::write(
        aws.join("config"),
        "[profile corp]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = DataReader\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/quick\nsso_region = eu-west-1\n",
    )
    .expect("config");

    // No sign-in anywhere: not "no credentials", but where to sign in and how.
    let before = w.run(&["--profile", "corp", "whoami"]);
    assert_eq!(before.status.code(), Some(1));
    assert!(
        text(&before).contains(
            "profile corp signs in at https://corp.awsapps.com/quick: sign in (in Sluice, or `sluice sso login --profile corp`)"
        ),
        "{}",
        text(&before)
    );

    // The profile names the portal and region; after signing in, its role answers.
    let login = w.run(&[
        "--profile",
        "corp",
        "sso",
        "login",
        "--no-browser",
        "--share-with-aws-cli",
    ]);
    assert!(login.status.success(), "{}", text(&login));
    let who = w.run(&["--profile", "corp", "--json", "whoami"]);
    assert!(who.status.success(), "{}", text(&who));
    let who: serde_json::Value = serde_json::from_slice(&who.stdout).expect("json");
    assert_eq!(who["arn"], "arn:aws:iam::123456789012:user/sso-person");

    // Shared with the AWS CLI on request: its cache holds the token under the session's name
    // (SHA-1 of "corp") and the start URL, for the owner only, without the refresh token.
    let cache = aws.join("sso/cache");
    let by_session = cache.join("ee0bfd2552fbd840c02cc48b6e823320543c450f.json");
    let cached: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&by_session).expect("cache file")).expect("json");
    assert_eq!(cached["startUrl"], "https://corp.awsapps.com/quick");
    assert_eq!(cached["region"], "eu-west-1");
    assert!(cached["accessToken"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));
    assert!(cached.get("refreshToken").is_none() && cached.get("clientSecret").is_none());
    assert_eq!(std::fs::read_dir(&cache).expect("cache dir").count(), 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&by_session)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    // The SDK alone reads it: a Sluice with no sign-in of its own, in the same home.
    let mut other = w.command(&["--profile", "corp", "--json", "whoami"]);
    other
        .env("SLUICE_CONFIG_DIR", w.home.path().join("other-config"))
        .env("SLUICE_KEYRING_SERVICE", format!("{}-other", w.keyring));
    let who = sluice_e2e::run_with_stdin(other, None);
    assert!(who.status.success(), "{}", text(&who));
    let who: serde_json::Value = serde_json::from_slice(&who.stdout).expect("json");
    assert_eq!(who["arn"], "arn:aws:iam::123456789012:user/sso-person");
    // Signing out takes the shared token away too.
    let logout = w.run(&["sso", "logout"]);
    assert!(logout.status.success(), "{}", text(&logout));
    assert_eq!(std::fs::read_dir(&cache).expect("cache dir").count(), 0);

    let not_sso = w.run(&["--profile", "missing", "sso", "login"]);
    assert_eq!(not_sso.status.code(), Some(2));
    assert!(text(&not_sso).contains("no IAM Identity Center start URL"));
}
