//! `sluice connection …`, `sluice credentials` and `sluice console-url` against moto, with
//! secrets in the real Secret Service (run through `make test`).

use std::path::Path;
use std::process::{Command, Output};

use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::VendorWorld;

struct Env {
    home: tempfile::TempDir,
    endpoint: String,
    service: String,
}

impl Env {
    fn new(moto: &Moto) -> Self {
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "no D-Bus session: run through `make test` (it starts dbus + gnome-keyring)"
        );
        Self {
            home: tempfile::tempdir().expect("home"),
            endpoint: moto.endpoint.clone(),
            service: format!("sluice-cli-test-{}", uuid_like()),
        }
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sluice"));
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("SLUICE_CONFIG_DIR", self.home.path().join("config"))
            .env("SLUICE_KEYRING_SERVICE", &self.service)
            .env("AWS_CONFIG_FILE", self.home.path().join("aws-config"))
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true");
        sluice_e2e::run_with_stdin(cmd, stdin)
    }

    fn write(&self, name: &str, text: &str) -> std::path::PathBuf {
        let p = self.home.path().join(name);
        std::fs::write(&p, text).expect("write");
        p
    }
}

fn uuid_like() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    )
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

#[tokio::test(flavor = "multi_thread")]
async fn import_verify_credentials_profile_and_remove() {
    let moto = Moto::start();
    let world = VendorWorld::create(&moto.endpoint, "cli").await;
    let env = Env::new(&moto);
    let handover = env.write("handover.txt", &world.handover(true));

    let out = env.run(
        &[
            "connection",
            "import",
            "mm",
            "--file",
            path_str(&handover),
            "--access-key-id",
            &world.customer_key_id,
            "--secret-key-stdin",
        ],
        Some(&format!("{}\n", world.customer_secret)),
    );
    let shown = ok(&out);
    assert!(
        shown.contains("ExternalId: stored in the OS keyring"),
        "{shown}"
    );
    assert!(shown.contains(&world.role_arn), "{shown}");

    let list = ok(&env.run(&["connection", "list", "--json"], None));
    let list: serde_json::Value = serde_json::from_str(&list).expect("json");
    assert_eq!(list[0]["name"], "mm");
    assert_eq!(list[0]["role"]["hasExternalId"], true);

    let verify = env.run(&["connection", "verify", "mm"], None);
    let verify_text = ok(&verify);
    assert!(verify_text.contains("All checks passed."), "{verify_text}");
    assert_eq!(verify_text.matches('✓').count(), 7, "{verify_text}");
    let report: serde_json::Value = serde_json::from_str(&ok(
        &env.run(&["connection", "verify", "mm", "--json"], None)
    ))
    .expect("json");
    assert_eq!(report["passed"], true);

    // Nothing printed so far carries a secret.
    for out in [&shown, &verify_text] {
        assert!(!out.contains(&world.external_id) && !out.contains(&world.customer_secret));
    }
    let settings =
        std::fs::read_to_string(env.home.path().join("config/settings.json")).expect("settings");
    assert!(!settings.contains(&world.external_id) && !settings.contains(&world.customer_secret));

    // The console cannot pass an ExternalId: a note and exit 1 instead of a broken link.
    let console = env.run(&["console-url", "--connection", "mm"], None);
    assert_eq!(console.status.code(), Some(1));
    assert!(text(&console.stdout).contains("cannot pass an ExternalId"));

    // credential_process JSON...
    let creds: serde_json::Value =
        serde_json::from_str(&ok(&env.run(&["credentials", "--connection", "mm"], None)))
            .expect("json");
    assert_eq!(creds["Version"], 1);
    assert!(creds["AccessKeyId"].as_str().is_some_and(|k| !k.is_empty()));
    assert!(creds["SessionToken"].is_string() && creds["Expiration"].is_string());

    // ...used by a second process through ~/.aws/config.
    let plan = ok(&env.run(&["connection", "profile", "mm"], None));
    assert!(
        plan.contains("+ [profile mm]") && plan.contains("Not written"),
        "{plan}"
    );
    assert!(!env.home.path().join("aws-config").exists());
    ok(&env.run(&["connection", "profile", "mm", "--write"], None));
    let config = std::fs::read_to_string(env.home.path().join("aws-config")).expect("aws config");
    assert!(
        config.contains("credential_process = ") && config.contains("credentials --connection mm"),
        "{config}"
    );
    assert!(!config.contains(&world.external_id) && !config.contains(&world.customer_secret));
    let who = ok(&env.run(&["--profile", "mm", "whoami", "--json"], None));
    let who: serde_json::Value = serde_json::from_str(&who).expect("json");
    assert!(
        who["arn"]
            .as_str()
            .unwrap_or_default()
            .contains(":assumed-role/cli-data-access-role/"),
        "the second process did not act as the vendor role: {who}"
    );

    // The ExternalId and the secret key are in the real Secret Service...
    use sluice_core::secrets::{KeyringStore, SecretKey, SecretKind, SecretStore};
    let keyring = KeyringStore::new(env.service.clone());
    let ext = SecretKey::new(SecretKind::ExternalId, "mm").expect("key");
    let key = SecretKey::new(SecretKind::SecretAccessKey, &world.customer_key_id).expect("key");
    assert_eq!(
        keyring
            .get(&ext)
            .expect("read keyring")
            .map(|v| v.into_exposed()),
        Some(world.external_id.clone())
    );
    assert!(keyring.get(&key).expect("read keyring").is_some());

    let rm = ok(&env.run(&["connection", "rm", "mm"], None));
    // ...and deleting the connection deletes them.
    assert!(keyring.get(&ext).expect("read keyring").is_none());
    assert!(keyring.get(&key).expect("read keyring").is_none());
    assert!(rm.contains("Removed connection 'mm'"));
    let list = ok(&env.run(&["connection", "list"], None));
    assert!(list.contains("No connections yet"), "{list}");
    let gone = env.run(&["connection", "show", "mm"], None);
    assert_eq!(gone.status.code(), Some(1));
    assert_eq!(
        text(&gone.stderr).trim(),
        "error: Not found while calling connection (no connection named 'mm')"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn add_with_external_id_from_stdin_and_a_failing_probe_exits_1() {
    let moto = Moto::start();
    let world = VendorWorld::create(&moto.endpoint, "add").await;
    let env = Env::new(&moto);
    ok(&env.run(
        &[
            "connection",
            "add",
            "vendor",
            "--role-arn",
            &world.role_arn,
            "--bucket",
            "no-such-bucket-x",
            "--access-key-id",
            &world.customer_key_id,
            "--external-id-stdin",
            "--secret-key-stdin",
        ],
        Some(&format!(
            "{}\n{}\n",
            world.external_id, world.customer_secret
        )),
    ));
    let out = env.run(&["connection", "verify", "vendor"], None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("✗ List s3://no-such-bucket-x/"), "{stdout}");
    assert!(stdout.contains("fix: "), "{stdout}");
    assert!(stdout.contains("Some checks failed."), "{stdout}");
}

#[test]
fn a_bad_handover_is_rejected_with_line_numbers_and_nothing_saved() {
    let moto = Moto::start();
    let env = Env::new(&moto);
    let handover = env.write(
        "bad.txt",
        "Role: arn:aws:sts::352302322568:assumed-role/the-data-access-role\nExternal ID: x\n",
    );
    let out = env.run(
        &["connection", "import", "bad", "--file", path_str(&handover)],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(
            "error: Invalid handover: line 1: role ARN: this is an assumed-role session ARN"
        ),
        "{err}"
    );
    assert!(err.contains("line 2: ExternalId"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!env.home.path().join("config/settings.json").exists());

    let missing = env.run(
        &[
            "connection",
            "import",
            "x",
            "--file",
            "/nonexistent/handover.txt",
        ],
        None,
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr)
        .starts_with("error: Invalid handover file: /nonexistent/handover.txt"));
}
