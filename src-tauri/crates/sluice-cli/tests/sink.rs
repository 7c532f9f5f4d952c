//! `sluice sink …` as an admin runs it, against moto with IAM enforcement on and the writer's
//! secret in the real Secret Service (run through `make test`).

use std::process::Output;

use sluice_e2e::moto::Moto;
use sluice_e2e::vendor::{admin_clients, key_clients};

struct Admin {
    endpoint: String,
    id: String,
    secret: String,
    home: tempfile::TempDir,
}

impl Admin {
    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), self.home.path());
        cmd.args(args)
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", &self.id)
            .env("AWS_SECRET_ACCESS_KEY", &self.secret)
            .env(
                "SLUICE_KEYRING_SERVICE",
                format!("sluice-sink-test-{}", std::process::id()),
            );
        sluice_e2e::run_with_stdin(cmd, None)
    }
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const DEST: [&str; 8] = [
    "--bucket",
    "strm-export",
    "--prefix",
    "events",
    "--user",
    "strm-export-demo",
    // moto cannot tell HTTPS from HTTP: a TLS-only bucket policy would refuse every write.
    "--no-tls-policy",
    "--suffix=.jsonl",
];

#[tokio::test(flavor = "multi_thread")]
async fn plan_apply_validate_rotate_teardown() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "no D-Bus session: run through `make test` (it starts dbus + gnome-keyring)"
    );
    let moto = Moto::start();
    let boot = admin_clients(&moto.endpoint).await.iam();
    boot.create_user()
        .user_name("admin")
        .send()
        .await
        .expect("user");
    boot.put_user_policy()
        .user_name("admin")
        .policy_name("all")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
        .send()
        .await
        .expect("policy");
    let key = boot
        .create_access_key()
        .user_name("admin")
        .send()
        .await
        .expect("key");
    let key = key.access_key().expect("key");
    let admin = Admin {
        endpoint: moto.endpoint.clone(),
        id: key.access_key_id().to_string(),
        secret: key.secret_access_key().to_string(),
        home: tempfile::tempdir().expect("home"),
    };
    moto.enforce_iam();
    let root = key_clients(&moto.endpoint, &admin.id, &admin.secret).await;
    let with = |cmd: &[&str], extra: &[&str]| -> Vec<String> {
        cmd.iter()
            .chain(DEST.iter())
            .chain(extra.iter())
            .map(|s| s.to_string())
            .collect()
    };
    let run = |args: Vec<String>| admin.run(&args.iter().map(String::as_str).collect::<Vec<_>>());

    let plan = run(with(&["sink", "plan"], &[]));
    assert!(plan.status.success(), "{}", text(&plan));
    let shown = String::from_utf8_lossy(&plan.stdout).to_string();
    assert!(
        shown.contains("to do   Create bucket strm-export"),
        "{shown}"
    );
    let dry = run(with(&["sink", "apply"], &[]));
    assert!(
        dry.status.success() && text(&dry).contains("--yes"),
        "{}",
        text(&dry)
    );
    assert!(root
        .s3()
        .head_bucket()
        .bucket("strm-export")
        .send()
        .await
        .is_err());

    let creds = admin.home.path().join("s3.json");
    let creds_arg = creds.to_string_lossy().to_string();
    let applied = run(with(
        &["sink", "apply"],
        &["--yes", "--credentials-file", &creds_arg],
    ));
    assert!(applied.status.success(), "{}", text(&applied));
    let said = text(&applied);
    assert!(
        said.contains("✓ Create IAM user strm-export-demo") && said.contains("Validation passed."),
        "{said}"
    );
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&creds).expect("s3.json")).expect("json");
    let key_id = file["AccessKey"]["AccessKeyId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(key_id.starts_with("AKIA"), "{file}");
    assert!(!said.contains(file["AccessKey"]["SecretAccessKey"].as_str().unwrap_or("-")));

    let validated = admin.run(&[
        "sink",
        "validate",
        "--user",
        "strm-export-demo",
        "--bucket",
        "strm-export",
        "--prefix",
        "events",
    ]);
    assert!(validated.status.success(), "{}", text(&validated));
    assert!(
        text(&validated).contains("✓ list denied"),
        "{}",
        text(&validated)
    );
    let wrong = admin.run(&[
        "sink",
        "validate",
        "--user",
        "strm-export-demo",
        "--bucket",
        "other-bucket",
    ]);
    assert_eq!(wrong.status.code(), Some(2), "{}", text(&wrong));

    let rotated = admin.run(&["--json", "sink", "rotate", "--user", "strm-export-demo"]);
    assert!(rotated.status.success(), "{}", text(&rotated));
    let report: serde_json::Value = serde_json::from_slice(&rotated.stdout).expect("json");
    assert_eq!(report["oldKey"], key_id.as_str());

    let preview = admin.run(&[
        "sink",
        "teardown",
        "--user",
        "strm-export-demo",
        "--delete-bucket",
    ]);
    assert!(preview.status.success(), "{}", text(&preview));
    assert!(
        text(&preview).contains("empty bucket strm-export"),
        "{}",
        text(&preview)
    );
    let refused = admin.run(&[
        "sink",
        "teardown",
        "--user",
        "strm-export-demo",
        "--delete-bucket",
        "--yes",
    ]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    let done = admin.run(&[
        "sink",
        "teardown",
        "--user",
        "strm-export-demo",
        "--delete-bucket",
        "--empty-bucket",
        "--yes",
    ]);
    assert!(done.status.success(), "{}", text(&done));
    assert!(root
        .s3()
        .head_bucket()
        .bucket("strm-export")
        .send()
        .await
        .is_err());
    assert!(root
        .iam()
        .get_user()
        .user_name("strm-export-demo")
        .send()
        .await
        .is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_a_weak_bucket_fix_it_and_export_the_scorecard() {
    let moto = Moto::start();
    let s3 = admin_clients(&moto.endpoint).await.s3();
    s3.create_bucket()
        .bucket("weak-bucket")
        .acl(aws_sdk_s3::types::BucketCannedAcl::PublicRead)
        .send()
        .await
        .expect("bucket");
    let admin = Admin {
        endpoint: moto.endpoint.clone(),
        id: "AKIAADMINEXAMPLE0001".into(),
        secret: "admin-secret".into(),
        home: tempfile::tempdir().expect("home"),
    };
    let audit = admin.run(&["audit", "bucket", "weak-bucket"]);
    assert_eq!(audit.status.code(), Some(1), "{}", text(&audit));
    assert!(
        text(&audit).contains("FAIL  Bucket Block Public Access"),
        "{}",
        text(&audit)
    );
    let unknown = admin.run(&["audit", "bucket", "weak-bucket", "--fix", "paint-it-green"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", text(&unknown));
    let asked = admin.run(&["audit", "bucket", "weak-bucket", "--fix-all"]);
    assert!(
        asked.status.success() && text(&asked).contains("--yes"),
        "{}",
        text(&asked)
    );
    let csv = admin.home.path().join("audit.csv");
    let csv_arg = csv.to_string_lossy().to_string();
    let fixed = admin.run(&[
        "audit",
        "bucket",
        "weak-bucket",
        "--fix-all",
        "--yes",
        "--csv",
        &csv_arg,
    ]);
    assert!(fixed.status.success(), "{}", text(&fixed));
    let written = std::fs::read_to_string(&csv).expect("csv");
    assert!(
        written.contains("weak-bucket,Bucket Block Public Access,pass,"),
        "{written}"
    );
}
