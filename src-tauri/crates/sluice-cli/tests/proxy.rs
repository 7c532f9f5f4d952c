//! Every AWS call goes through the proxy a corporate laptop uses: the environment's
//! (`HTTP_PROXY` / `HTTPS_PROXY` with `NO_PROXY`) and Sluice's own (`sluice proxy set`, the
//! app's Preferences), which wins. A loopback forward proxy must see the calls `whoami`
//! makes to moto; an unreachable proxy is a network error, and a proxy with a password is
//! refused before anything is saved. An endpoint whose certificate comes from a private root
//! (TLS inspection) is trusted once the trust store holds that root, through the proxy.

use sluice_e2e::moto::Moto;
use sluice_e2e::proxy::ForwardProxy;

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn aws_calls_go_through_the_environments_proxy_or_sluices_own() {
    let moto = Moto::start();
    let proxy = ForwardProxy::start().await;
    let home = tempfile::tempdir().expect("home");
    let moto_host = moto.endpoint.trim_start_matches("http://").to_owned();
    let through_proxy =
        |p: &ForwardProxy| p.seen().iter().filter(|l| l.contains(&moto_host)).count();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home.path());
        cmd.args(args)
            .envs(sluice_e2e::emulator_env(&moto.endpoint))
            .envs(env.iter().copied());
        tokio::task::block_in_place(|| cmd.output().expect("run sluice"))
    };

    // No proxy anywhere: straight to AWS.
    let direct = run(&["whoami"], &[]);
    assert!(direct.status.success(), "{}", text(&direct));
    assert_eq!(through_proxy(&proxy), 0);

    // The environment's proxy (an app started from a terminal).
    let env = [
        ("HTTP_PROXY", proxy.url.as_str()),
        ("HTTPS_PROXY", proxy.url.as_str()),
    ];
    let via_env = run(&["whoami"], &env);
    assert!(via_env.status.success(), "{}", text(&via_env));
    let after_env = through_proxy(&proxy);
    assert!(after_env >= 1, "the proxy saw {:?}", proxy.seen());
    // NO_PROXY sends the emulator's host around it.
    let bypass = run(&["whoami"], &[env[0], env[1], ("NO_PROXY", "127.0.0.1")]);
    assert!(bypass.status.success(), "{}", text(&bypass));
    assert_eq!(through_proxy(&proxy), after_env);

    // Sluice's own proxy: used without any variable, shown with where it comes from.
    let set = run(&["--json", "proxy", "set", &proxy.url], &[]);
    assert!(set.status.success(), "{}", text(&set));
    let status: serde_json::Value = serde_json::from_slice(&set.stdout).expect("json");
    assert_eq!(status["proxy"]["from"], "preferences");
    assert_eq!(status["proxy"]["url"], proxy.url.as_str());
    let via_prefs = run(&["whoami"], &[]);
    assert!(via_prefs.status.success(), "{}", text(&via_prefs));
    let after_prefs = through_proxy(&proxy);
    assert!(after_prefs > after_env, "the proxy saw {:?}", proxy.seen());

    // Its own bypass list sends the emulator's host around it.
    let set = run(
        &["proxy", "set", &proxy.url, "--no-proxy", "127.0.0.1"],
        &[],
    );
    assert!(set.status.success(), "{}", text(&set));
    let bypassed = run(&["whoami"], &[]);
    assert!(bypassed.status.success(), "{}", text(&bypassed));
    assert_eq!(through_proxy(&proxy), after_prefs);
    let set = run(&["proxy", "set", &proxy.url], &[]);
    assert!(set.status.success(), "{}", text(&set));

    // It wins over the environment's: an unreachable environment proxy is not used.
    let dead = [
        ("HTTP_PROXY", "http://127.0.0.1:9"),
        ("HTTPS_PROXY", "http://127.0.0.1:9"),
    ];
    let over_env = run(&["whoami"], &dead);
    assert!(over_env.status.success(), "{}", text(&over_env));
    assert!(through_proxy(&proxy) > after_prefs);

    // A proxy that cannot be reached is a network error that says so.
    let set = run(&["proxy", "set", "http://127.0.0.1:9"], &[]);
    assert!(set.status.success(), "{}", text(&set));
    let unreachable = run(&["whoami"], &[]);
    assert_eq!(unreachable.status.code(), Some(1), "{}", text(&unreachable));
    assert!(
        text(&unreachable).contains("Could not reach AWS")
            && text(&unreachable).contains("127.0.0.1:9"),
        "{}",
        text(&unreachable)
    );

    // A password is refused before anything is saved; clearing goes back to no proxy.
    let refused = run(
        &["proxy", "set", "http://ana:secret-pw@127.0.0.1:3128"],
        &[],
    );
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(text(&refused).contains("password"), "{}", text(&refused));
    let settings =
        std::fs::read_to_string(home.path().join("config/settings.json")).expect("settings");
    assert!(!settings.contains("secret-pw"), "{settings}");
    let cleared = run(&["--json", "proxy", "clear"], &[]);
    assert!(cleared.status.success(), "{}", text(&cleared));
    let status: serde_json::Value = serde_json::from_slice(&cleared.stdout).expect("json");
    assert_eq!(status["proxy"]["from"], "none");
    let direct = run(&["whoami"], &[]);
    assert!(direct.status.success(), "{}", text(&direct));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_root_in_the_trust_store_is_trusted_through_the_proxy() {
    // An endpoint behind TLS inspection: its certificate comes from a private root that the
    // operating system's trust store holds (on Linux, the file SSL_CERT_FILE names).
    let moto = Moto::start();
    let front = sluice_e2e::tls::TlsFront::start(&moto.endpoint);
    let proxy = ForwardProxy::start().await;
    let home = tempfile::tempdir().expect("home");
    let ca = front.ca.display().to_string();
    let run = |env: &[(&str, &str)]| {
        let mut cmd = sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home.path());
        cmd.arg("whoami")
            .envs(sluice_e2e::emulator_env(&front.endpoint))
            .envs(env.iter().copied());
        tokio::task::block_in_place(|| cmd.output().expect("run sluice"))
    };

    // A root the trust store does not hold (the system's own roots) is refused.
    let untrusted = run(&[]);
    assert_eq!(untrusted.status.code(), Some(1), "{}", text(&untrusted));
    assert!(
        text(&untrusted).contains("Could not reach AWS"),
        "{}",
        text(&untrusted)
    );

    // Once the store holds it, the same call goes through, tunnelled by the proxy.
    let trusted = run(&[
        ("SSL_CERT_FILE", ca.as_str()),
        ("HTTPS_PROXY", proxy.url.as_str()),
    ]);
    assert!(trusted.status.success(), "{}", text(&trusted));
    let port = front.endpoint.trim_start_matches("https://");
    let tunnels = |p: &ForwardProxy| {
        p.seen()
            .iter()
            .filter(|l| *l == &format!("CONNECT {port} HTTP/1.1"))
            .count()
    };
    let by_env = tunnels(&proxy);
    assert!(by_env >= 1, "the proxy saw {:?}", proxy.seen());

    // The same through the proxy set in Sluice, without any variable.
    let mut set = sluice_e2e::clean_command(env!("CARGO_BIN_EXE_sluice"), home.path());
    set.args(["proxy", "set", &proxy.url]);
    let set = tokio::task::block_in_place(|| set.output().expect("run sluice"));
    assert!(set.status.success(), "{}", text(&set));
    let by_prefs = run(&[("SSL_CERT_FILE", ca.as_str())]);
    assert!(by_prefs.status.success(), "{}", text(&by_prefs));
    assert!(tunnels(&proxy) > by_env, "the proxy saw {:?}", proxy.seen());
}
