//! The lab's API5, API6, API7, API9 and API10 routes and the "no exposed key" JWT route: each
//! exploit works on the vulnerable route and is recorded, and the hardened twin refuses the
//! same request and records nothing.

use serde_json::json;

use crate::lab_support::{TestLab, apiward, json_run};

/// A session token for `user` from the lab's HTTPS login.
fn session(lab: &TestLab, user: &str, password: &str) -> String {
    lab.login_at(&lab.https("/login"), user, password)["token"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn api5_an_ordinary_user_calls_the_admin_export_only_on_the_vulnerable_route() {
    let lab = TestLab::start();
    let bob = session(&lab, "bob", "sunshine");
    // Logged out, both refuse: the bug is the missing role check, not a missing login.
    assert_eq!(lab.get(&lab.https("/api/admin/export"), None).status, 401);
    let twin = lab.get(&lab.https("/hardened/api/admin/export"), Some(&bob));
    assert_eq!(twin.status, 403, "{}", twin.text);
    assert!(!lab.has("bfla-admin-function"));
    let vuln = lab.get(&lab.https("/api/admin/export"), Some(&bob));
    assert_eq!(vuln.status, 200, "{}", vuln.text);
    assert_eq!(vuln.json()["accounts"].as_array().unwrap().len(), 3);
    assert!(lab.has("bfla-admin-function"), "{:?}", lab.success_ids());
}

#[test]
fn api6_the_coupon_is_redeemed_without_limit_and_the_twin_allows_it_once() {
    let lab = TestLab::start();
    let alice = session(&lab, "alice", "alice-password");
    let redeem = |prefix: &str| {
        lab.call(
            "POST",
            &lab.https(&format!("{prefix}/api/coupons/redeem")),
            Some(&alice),
            Some(json!({ "code": "WELCOME10" })),
            &[],
        )
    };
    assert_eq!(redeem("/hardened").status, 200);
    for _ in 0..3 {
        let again = redeem("/hardened");
        assert_eq!(again.status, 409, "{}", again.text);
    }
    assert!(!lab.has("coupon-redeemed-repeatedly"));
    let credits: Vec<u64> = (0..3)
        .map(|_| redeem("").json()["credit"].as_u64().unwrap())
        .collect();
    assert_eq!(credits, [10, 20, 30]);
    assert!(
        lab.has("coupon-redeemed-repeatedly"),
        "{:?}",
        lab.success_ids()
    );
}

#[test]
fn api7_the_link_preview_reaches_the_internal_route_and_the_twin_refuses_it() {
    let lab = TestLab::start();
    let internal = lab.http("/internal/metadata");
    // From outside, the internal route refuses.
    assert_eq!(lab.get(&internal, None).status, 403);
    let preview = |prefix: &str, url: &str| {
        lab.call(
            "POST",
            &lab.https(&format!("{prefix}/api/link-preview")),
            None,
            Some(json!({ "url": url })),
            &[],
        )
    };
    let localhost = internal.replace("127.0.0.1", "localhost");
    for url in [
        internal.as_str(),
        localhost.as_str(),
        "https://127.0.0.1:1/",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.1/",
        "https://example.com/",
    ] {
        let twin = preview("/hardened", url);
        assert_eq!(twin.status, 400, "{url}: {}", twin.text);
    }
    assert!(!lab.has("ssrf-internal-reached"));
    // The vulnerable one never leaves loopback, whatever it is given.
    let outside = preview("", "http://example.com/");
    assert_eq!(outside.status, 502, "{}", outside.text);
    assert!(
        outside.text.contains("only ever fetches loopback"),
        "{}",
        outside.text
    );
    let inside = preview("", &internal);
    assert_eq!(inside.status, 200, "{}", inside.text);
    assert!(
        inside.json()["preview"]
            .as_str()
            .unwrap()
            .contains("access_key"),
        "{}",
        inside.text
    );
    assert!(lab.has("ssrf-internal-reached"), "{:?}", lab.success_ids());
}

#[test]
fn api9_the_old_version_answers_without_a_login_and_the_twin_has_retired_it() {
    let lab = TestLab::start();
    assert_eq!(lab.get(&lab.https("/api/users/3"), None).status, 401);
    let twin = lab.get(&lab.https("/hardened/v1/users/3"), None);
    assert_eq!(twin.status, 410, "{}", twin.text);
    assert!(!lab.has("old-api-version-used"));
    let old = lab.get(&lab.https("/v1/users/3"), None);
    assert_eq!(old.status, 200, "{}", old.text);
    assert_eq!(old.json()["username"], "carol");
    assert!(
        old.json()["api_key"]
            .as_str()
            .unwrap()
            .starts_with("lab_carol_")
    );
    assert!(lab.has("old-api-version-used"));
}

#[test]
fn api10_a_poisoned_partner_answer_is_passed_on_and_the_twin_refuses_it() {
    let lab = TestLab::start();
    let partner = lab.handle.urls.partner.clone();
    assert!(partner.starts_with("http://127.0.0.1:"), "{partner}");
    // Clean data passes both, and records nothing.
    for prefix in ["", "/hardened"] {
        let a = lab.get(&lab.https(&format!("{prefix}/api/companies/1")), None);
        assert_eq!(a.status, 200, "{prefix}: {}", a.text);
        assert_eq!(a.json()["company"]["name"], "Acme Parcels");
    }
    assert!(!lab.has("partner-data-trusted"));
    let poison = json!({
        "name": "<script>alert(1)</script>", "website": "javascript:alert(1)", "country": "NL",
    });
    let put = lab.call(
        "PUT",
        &format!("{partner}/companies/1"),
        None,
        Some(poison),
        &[],
    );
    assert_eq!(put.status, 200, "{}", put.text);
    let twin = lab.get(&lab.https("/hardened/api/companies/1"), None);
    assert_eq!(twin.status, 502, "{}", twin.text);
    assert!(!twin.text.contains("<script>"), "{}", twin.text);
    assert!(!lab.has("partner-data-trusted"));
    let vuln = lab.get(&lab.https("/api/companies/1"), None);
    assert_eq!(vuln.status, 200);
    assert_eq!(vuln.json()["company"]["name"], "<script>alert(1)</script>");
    assert!(lab.has("partner-data-trusted"), "{:?}", lab.success_ids());
}

#[test]
fn the_hidden_key_is_published_nowhere_and_confusion_with_it_works_only_on_the_vulnerable_route() {
    let lab = TestLab::start();
    let first = lab.jwt_token("", "hidden-key");
    let second = lab.jwt_token("", "hidden-key");
    assert_ne!(first, second, "two logins give two signatures");
    let header = apiward::jwt::decode(&first).unwrap().header;
    assert_eq!(header["alg"], "RS256");
    assert!(!header.contains_key("kid") && !header.contains_key("jku"));
    // The key the lab does publish is another one.
    let pem = lab
        .rt
        .block_on(lab.handle.state.hidden_public_pem())
        .unwrap();
    let published = lab.get(&lab.https("/.well-known/public.pem"), None).text;
    assert_ne!(published.trim(), pem.trim());
    // A learner who recovered it: the probe's key-confusion variant signs HS256 with its PEM.
    let key = lab.dir.path().join("recovered.pem");
    std::fs::write(&key, &pem).unwrap();
    let key = key.display().to_string();
    let ca = lab.ca_file();
    let probe = |url: &str, token: &str| {
        let (code, out) = json_run(apiward().args([
            "jwt", "probe", "--url", url, "--token", token, "--ca", &ca, "--key", &key, "--json",
        ]));
        let accepted: Vec<String> = out["accepted"]
            .as_array()
            .unwrap_or_else(|| panic!("{out}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        (code, accepted)
    };
    let twin_token = lab.jwt_token("/hardened", "hidden-key");
    let twin = probe(&lab.https("/hardened/jwt/hidden-key/me"), &twin_token);
    assert_eq!(twin, (0, vec![]), "the twin lets nothing through");
    assert!(!lab.has("jwt-alg-confusion-hidden-key"));
    let (code, accepted) = probe(&lab.https("/jwt/hidden-key/me"), &first);
    assert_eq!(code, 1);
    assert!(
        accepted.iter().any(|a| a == "key-confusion"),
        "{accepted:?}"
    );
    assert!(
        lab.has("jwt-alg-confusion-hidden-key"),
        "{:?}",
        lab.success_ids()
    );
}

#[test]
fn apiward_lab_lists_every_owasp_category_with_a_route() {
    for n in 1..=10 {
        let id = format!("API{n}:2023");
        assert!(
            apiward::lab::ROUTES
                .iter()
                .any(|r| r.owasp.starts_with(&id)),
            "no route for {id}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("apiward"))
        .args(["lab", "--dir"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut banner = String::new();
    {
        use std::io::BufRead;
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        for line in lines.by_ref() {
            let line = line.unwrap();
            let done = line.starts_with("Press Ctrl-C");
            banner.push_str(&line);
            banner.push('\n');
            if done {
                break;
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    for (path, category) in [
        ("/api/admin/export", "API5:2023"),
        ("/api/coupons/redeem", "API6:2023"),
        ("/api/link-preview", "API7:2023"),
        ("/v1/users/{id}", "API9:2023"),
        ("/api/companies/{id}", "API10:2023"),
        ("/jwt/hidden-key/me", "API2:2023"),
    ] {
        assert!(
            banner
                .lines()
                .any(|l| l.contains(path) && l.trim_end().ends_with(category)),
            "{path} {category} not listed:\n{banner}"
        );
    }
    assert!(banner.contains("partner API"), "{banner}");
    assert!(banner.contains("OWASP API Top 10"), "{banner}");
}
