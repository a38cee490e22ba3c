//! The lab's JWT routes against apiward's own JWT tools: each bug is found or exploited on
//! the vulnerable route, fails on the hardened twin, and only the exploit is recorded.

use serde_json::Value;

use crate::harness::{Route, TestServer};
use crate::lab_support::{TestLab, apiward, json_run};

/// `apiward jwt probe` against `url`, returning the exit code and the accepted attacks.
fn probe(lab: &TestLab, url: &str, token: &str, extra: &[&str]) -> (i32, Vec<String>) {
    let ca = lab.ca_file();
    let mut args = vec![
        "jwt", "probe", "--url", url, "--token", token, "--ca", &ca, "--json",
    ];
    args.extend_from_slice(extra);
    let (code, out) = json_run(apiward().args(&args));
    let accepted = out["accepted"]
        .as_array()
        .unwrap_or_else(|| panic!("{out}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    (code, accepted)
}

#[test]
fn probe_finds_each_forgery_on_the_vulnerable_route_and_nothing_on_its_twin() {
    let lab = TestLab::start();
    let pem = lab.dir.path().join("public.pem");
    let pem_text = lab.get(&lab.https("/.well-known/public.pem"), None).text;
    std::fs::write(&pem, pem_text).unwrap();
    let pem = pem.display().to_string();
    let cases: &[(&str, &str, &[&str])] = &[
        ("none", "alg-none", &[]),
        ("unverified", "null-signature", &[]),
        ("kid", "kid-traversal", &[]),
        ("jwk", "embedded-jwk", &[]),
        ("confusion", "key-confusion", &["--key", &pem]),
    ];
    // The twins first: their refusals must record nothing.
    for (class, _, extra) in cases {
        let token = lab.jwt_token("/hardened", class);
        let url = lab.https(&format!("/hardened/jwt/{class}/me"));
        let (code, accepted) = probe(&lab, &url, &token, extra);
        assert_eq!((code, accepted), (0, vec![]), "twin of {class}");
    }
    assert!(lab.success_ids().is_empty(), "{:?}", lab.success_ids());
    for (class, attack, extra) in cases {
        let token = lab.jwt_token("", class);
        let url = lab.https(&format!("/jwt/{class}/me"));
        let (code, accepted) = probe(&lab, &url, &token, extra);
        assert_eq!(code, 1, "{class}");
        assert!(
            accepted.iter().any(|a| a == attack),
            "{class}: {accepted:?}"
        );
    }
    for id in [
        "jwt-none-accepted",
        "jwt-signature-not-verified",
        "jwt-kid-traversal",
        "jwt-jwk-injection",
        "jwt-alg-confusion",
    ] {
        assert!(lab.has(id), "{id} missing: {:?}", lab.success_ids());
    }
}

#[test]
fn a_forged_alg_none_admin_token_opens_the_admin_page_only_on_the_vulnerable_route() {
    let lab = TestLab::start();
    let token = lab.jwt_token("", "none");
    assert_eq!(
        lab.get(&lab.https("/jwt/none/admin"), Some(&token)).status,
        403
    );
    let (_, forged) = json_run(apiward().args([
        "jwt",
        "forge",
        &token,
        "--attack",
        "alg-none",
        "--set",
        "role=admin",
        "--json",
    ]));
    let forged = forged[0]["token"].as_str().unwrap().to_string();
    let vuln = lab.get(&lab.https("/jwt/none/admin"), Some(&forged));
    assert_eq!(vuln.status, 200, "{}", vuln.text);
    assert_eq!(vuln.json()["you"], "alice");
    let twin = lab.get(&lab.https("/hardened/jwt/none/admin"), Some(&forged));
    assert_eq!(twin.status, 401);
    let success = lab.handle.state.successes();
    assert_eq!(success.len(), 1);
    assert_eq!(success[0].id, "jwt-none-accepted");
    assert!(
        success[0].detail.contains("/jwt/none/admin"),
        "{}",
        success[0].detail
    );
}

#[test]
fn crack_finds_the_weak_secret_and_a_resigned_admin_token_gets_in() {
    let lab = TestLab::start();
    let token = lab.jwt_token("", "weak-secret");
    let (code, out) = json_run(apiward().args(["jwt", "crack", &token, "--json"]));
    assert_eq!((code, &out["secret"]), (0, &Value::from("secret1")));
    // The twin's secret is random: not in any list.
    let twin_token = lab.jwt_token("/hardened", "weak-secret");
    let (code, out) = json_run(apiward().args(["jwt", "crack", &twin_token, "--json"]));
    assert_eq!((code, &out["found"]), (1, &Value::Bool(false)));
    // The legitimate token is not an exploit.
    assert_eq!(
        lab.get(&lab.https("/jwt/weak-secret/me"), Some(&token))
            .status,
        200
    );
    assert!(!lab.has("jwt-weak-secret-forged"));
    let (_, forged) = json_run(apiward().args([
        "jwt",
        "forge",
        &token,
        "--attack",
        "resign",
        "--secret",
        "secret1",
        "--set",
        "role=admin",
        "--json",
    ]));
    let forged = forged[0]["token"].as_str().unwrap();
    assert_eq!(
        lab.get(&lab.https("/jwt/weak-secret/admin"), Some(forged))
            .status,
        200
    );
    assert_eq!(
        lab.get(&lab.https("/hardened/jwt/weak-secret/admin"), Some(forged))
            .status,
        401
    );
    assert!(lab.has("jwt-weak-secret-forged"));
}

#[test]
fn jku_is_fetched_from_a_loopback_url_the_attacker_controls() {
    let lab = TestLab::start();
    let token = lab.jwt_token("", "jku");
    let jwks = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let served = jwks.clone();
    let host = TestServer::http(vec![Route::handler("/jwks.json", move |_| {
        (200, served.lock().unwrap().clone().into_bytes())
    })]);
    let jku = host.url("/jwks.json");
    let (_, forged) = json_run(apiward().args([
        "jwt",
        "forge",
        &token,
        "--attack",
        "jku",
        "--jku",
        &jku,
        "--set",
        "role=admin",
        "--json",
    ]));
    *jwks.lock().unwrap() = forged[0]["extra"].as_str().unwrap().to_string();
    let forged = forged[0]["token"].as_str().unwrap();
    let twin = lab.get(&lab.https("/hardened/jwt/jku/admin"), Some(forged));
    assert_eq!(twin.status, 401);
    assert!(!lab.has("jwt-jku-injection"));
    let vuln = lab.get(&lab.https("/jwt/jku/admin"), Some(forged));
    assert_eq!(vuln.status, 200, "{}", vuln.text);
    assert!(lab.has("jwt-jku-injection"));
    // The lab's own tokens name its own JWKS, and still work.
    assert_eq!(lab.get(&lab.https("/jwt/jku/me"), Some(&token)).status, 200);
}

#[test]
fn an_expired_token_passes_only_where_exp_is_not_checked() {
    let lab = TestLab::start();
    for prefix in ["/hardened", ""] {
        let url = lab.https(&format!("{prefix}/jwt/exp/login"));
        let login = lab.login_at(&url, "alice", "alice-password");
        let expired = login["expired_token"].as_str().unwrap();
        let fresh = login["token"].as_str().unwrap();
        let me = lab.https(&format!("{prefix}/jwt/exp/me"));
        assert_eq!(lab.get(&me, Some(fresh)).status, 200);
        let want = if prefix.is_empty() { 200 } else { 401 };
        assert_eq!(lab.get(&me, Some(expired)).status, want, "{prefix}");
        assert_eq!(lab.has("jwt-expired-accepted"), prefix.is_empty());
    }
}
