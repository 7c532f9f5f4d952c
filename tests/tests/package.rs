//! The installable packages `make package` makes (here from the test build, by
//! `scripts/package.sh --debug`, which `make test` runs first): the .deb unpacked into a
//! scratch folder holds the app, the `sluice` CLI beside it, a desktop entry, icons and the
//! WebKitGTK dependencies; the packaged CLI answers `--version` and the packaged app opens
//! its first page in the real window. The .rpm is there and is an RPM. The bundle
//! configuration gives every platform its packages, icons and the CLI as a sidecar.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use sluice_e2e::desktop::AppSession;
use sluice_e2e::moto::Moto;

fn bundle(kind: &str, ext: &str) -> PathBuf {
    let dir = sluice_e2e::target_bin_dir().join("bundle").join(kind);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (run scripts/package.sh --debug)", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == ext))
        .unwrap_or_else(|| panic!("no .{ext} in {}", dir.display()))
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(path: &str) -> serde_json::Value {
    let path = sluice_e2e::repo_root().join(path);
    serde_json::from_str(&std::fs::read_to_string(&path).expect("read config")).expect("json")
}

#[test]
fn every_platform_has_its_packages_icons_and_the_cli_as_a_sidecar() {
    let conf = json("src-tauri/tauri.conf.json");
    let bundle = &conf["bundle"];
    let targets: Vec<&str> = bundle["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    for t in ["deb", "rpm", "app", "dmg", "msi", "nsis"] {
        assert!(targets.contains(&t), "no {t} target: {targets:?}");
    }
    let icons = bundle["icon"].to_string();
    for ext in [".png", ".icns", ".ico"] {
        assert!(icons.contains(ext), "no {ext} icon: {icons}");
    }
    for icon in bundle["icon"].as_array().expect("icons") {
        let path = sluice_e2e::repo_root()
            .join("src-tauri")
            .join(icon.as_str().expect("path"));
        assert!(path.is_file(), "{} is missing", path.display());
    }
    assert_eq!(
        bundle["windows"]["webviewInstallMode"]["type"],
        "downloadBootstrapper"
    );
    // The sidecar is merged in by the package script on every platform, under the name the
    // bundler looks for: binaries/sluice-<target triple>[.exe].
    let sidecar = json("src-tauri/tauri.bundle.json");
    assert_eq!(
        sidecar["bundle"]["externalBin"],
        serde_json::json!(["binaries/sluice"])
    );
    let script = std::fs::read_to_string(sluice_e2e::repo_root().join("scripts/package.sh"))
        .expect("package script");
    for needle in [
        "--config tauri.bundle.json",
        r#"cp "$cli" "src-tauri/binaries/sluice-$triple$exe""#,
        "*-apple-darwin) bundles=app,dmg",
        "*-windows-*) bundles=msi,nsis",
        "bundles=deb,rpm",
    ] {
        assert!(script.contains(needle), "package.sh lacks {needle}");
    }
}

#[test]
fn the_deb_holds_the_app_the_cli_a_desktop_entry_and_its_dependencies() {
    let deb = bundle("deb", "deb");
    let control = run(Command::new("dpkg-deb").arg("-f").arg(&deb));
    assert!(control.contains("Package: sluice"), "{control}");
    for dep in ["libwebkit2gtk-4.1-0", "libgtk-3-0", "libdbus-1-3"] {
        assert!(control.contains(dep), "Depends lacks {dep}:\n{control}");
    }
    let files = run(Command::new("dpkg-deb").arg("-c").arg(&deb));
    for f in [
        "usr/bin/sluice-app",
        "usr/bin/sluice",
        "usr/share/applications/Sluice.desktop",
        "usr/share/icons/hicolor/128x128/apps/sluice-app.png",
    ] {
        let listed = files
            .lines()
            .any(|l| l.trim_end().ends_with(&format!(" {f}")) || l.ends_with(&format!("./{f}")));
        assert!(listed, "{f} missing from the .deb:\n{files}");
    }

    let rpm = std::fs::read(bundle("rpm", "rpm")).expect("read the .rpm");
    assert_eq!(
        rpm.get(..4),
        Some(&[0xed, 0xab, 0xee, 0xdb][..]),
        "RPM lead"
    );
}

#[tokio::test]
async fn the_packaged_cli_and_app_run_from_the_unpacked_deb() {
    let scratch = tempfile::tempdir().expect("scratch");
    run(Command::new("dpkg-deb")
        .arg("-x")
        .arg(bundle("deb", "deb"))
        .arg(scratch.path()));
    let bin = |name: &str| scratch.path().join("usr/bin").join(name);

    let version = run(Command::new(bin("sluice")).arg("--version"));
    assert_eq!(
        version.trim(),
        format!("sluice {}", env!("CARGO_PKG_VERSION"))
    );
    let entry =
        std::fs::read_to_string(scratch.path().join("usr/share/applications/Sluice.desktop"))
            .expect("desktop entry");
    assert!(entry.contains("Exec=sluice-app"), "{entry}");
    assert!(entry.contains("Name=Sluice"), "{entry}");

    // The packaged app, to its first page, with the CLI found beside it.
    let moto = Moto::start();
    let (_config, env) = sluice_e2e::desktop::app_env(&moto.endpoint);
    let app = AppSession::start_app(&bin("sluice-app"), &env).await;
    let page = app
        .wait_for_text("main h1", Duration::from_secs(30), |t| !t.is_empty())
        .await;
    app.quit().await;
    assert_eq!(page.expect("first page").trim(), "Connections");
    assert!(Path::new(&bin("sluice")).exists());
}
