//! The lab's API routes: each bug is exploitable on the vulnerable route, refused by its
//! hardened twin, and recorded only when it worked; plus the access log and progress file.

use serde_json::json;

use crate::lab_support::TestLab;

fn session(lab: &TestLab, user: &str, password: &str) -> String {
    let login = lab.login_at(&lab.https("/hardened/login"), user, password);
    login["token"].as_str().unwrap().to_string()
}

#[test]
fn bola_reads_another_users_record_and_the_twin_refuses() {
    let lab = TestLab::start();
    let alice = session(&lab, "alice", "alice-password");
    assert_eq!(
        lab.get(&lab.https("/hardened/api/users/2"), Some(&alice))
            .status,
        403
    );
    assert_eq!(
        lab.get(&lab.https("/hardened/api/users/1"), Some(&alice))
            .status,
        200
    );
    assert_eq!(
        lab.get(&lab.https("/api/users/1"), Some(&alice)).status,
        200
    );
    assert!(lab.success_ids().is_empty());
    let bob = lab.get(&lab.https("/api/users/2"), Some(&alice));
    assert_eq!(bob.status, 200);
    assert_eq!(bob.json()["username"], "bob");
    assert!(lab.has("bola-read-other-user"));
}

#[test]
fn mass_assignment_makes_you_admin_only_on_the_vulnerable_route() {
    let lab = TestLab::start();
    let bob = session(&lab, "bob", "sunshine");
    let body = json!({ "email": "bob@new.test", "role": "admin" });
    let twin = lab.call(
        "PATCH",
        &lab.https("/hardened/api/me"),
        Some(&bob),
        Some(body.clone()),
        &[],
    );
    assert_eq!(twin.status, 200);
    assert_eq!(twin.json()["role"], "user");
    assert_eq!(twin.json()["email"], "bob@new.test");
    assert!(!lab.has("mass-assignment-admin"));
    let vuln = lab.call("PATCH", &lab.https("/api/me"), Some(&bob), Some(body), &[]);
    assert_eq!(vuln.json()["role"], "admin");
    assert_eq!(
        lab.get(&lab.https("/api/me"), Some(&bob)).json()["role"],
        "admin"
    );
    assert!(lab.has("mass-assignment-admin"));
}

#[test]
fn the_hardened_login_rate_limits_and_the_vulnerable_one_can_be_brute_forced() {
    let lab = TestLab::start();
    let creds = |p: &str| Some(json!({ "username": "bob", "password": p }));
    for guess in ["123456", "password", "qwerty", "letmein", "dragon"] {
        let a = lab.call(
            "POST",
            &lab.https("/hardened/login"),
            None,
            creds(guess),
            &[],
        );
        assert_eq!(a.status, 401);
    }
    let locked = lab.call(
        "POST",
        &lab.https("/hardened/login"),
        None,
        creds("sunshine"),
        &[],
    );
    assert_eq!(locked.status, 429);
    assert_eq!(locked.header("retry-after"), Some("60"));
    assert!(!lab.has("login-brute-force"));
    for guess in [
        "123456", "password", "qwerty", "letmein", "dragon", "monkey",
    ] {
        let a = lab.call("POST", &lab.https("/login"), None, creds(guess), &[]);
        assert_eq!(a.status, 401);
    }
    let found = lab.call("POST", &lab.https("/login"), None, creds("sunshine"), &[]);
    assert_eq!(found.status, 200);
    assert!(lab.has("login-brute-force"));
}

#[test]
fn data_exposure_api_keys_and_errors_differ_between_twins() {
    let lab = TestLab::start();
    let login = lab.login_at(&lab.https("/hardened/login"), "alice", "alice-password");
    let token = login["token"].as_str().unwrap();
    let key = login["api_key"].as_str().unwrap();

    let twin = lab.get(&lab.https("/hardened/api/users"), Some(token));
    assert!(!twin.text.contains("password_hash"), "{}", twin.text);
    let reports = format!("/api/reports?api_key={key}");
    assert_eq!(
        lab.get(&lab.https(&format!("/hardened{reports}")), None)
            .status,
        400
    );
    let header = lab.call(
        "GET",
        &lab.https("/hardened/api/reports"),
        None,
        None,
        &[("x-api-key", key)],
    );
    assert_eq!(header.status, 200);
    let error = lab.get(&lab.https("/hardened/api/orders/abc"), None);
    assert_eq!(error.status, 500);
    assert!(!error.text.contains("backtrace"));
    assert_eq!(
        error.json()["request_id"].as_str(),
        error.header("x-request-id")
    );
    assert!(lab.success_ids().is_empty(), "{:?}", lab.success_ids());

    assert!(
        lab.get(&lab.https("/api/users"), Some(token))
            .text
            .contains("password_hash")
    );
    assert_eq!(lab.get(&lab.https(&reports), None).status, 200);
    let leak = lab.get(&lab.https("/api/orders/abc"), None);
    assert!(leak.text.contains("stack backtrace") && leak.text.contains("SELECT"));
    for id in [
        "excessive-data-exposure",
        "api-key-in-query",
        "verbose-error-leak",
    ] {
        assert!(lab.has(id), "{id}");
    }
}

#[test]
fn headers_cookies_cors_and_the_https_redirect() {
    let lab = TestLab::start();
    let evil = [("origin", "https://evil.example")];
    let twin = lab.call("GET", &lab.https("/hardened/api/status"), None, None, &evil);
    assert_eq!(twin.header("access-control-allow-origin"), None);
    assert_eq!(twin.header("x-content-type-options"), Some("nosniff"));
    assert!(twin.header("strict-transport-security").is_some());
    assert!(twin.header("content-security-policy").is_some());
    let redirect = lab.get(&lab.http("/hardened/api/status?x=1"), None);
    assert_eq!(redirect.status, 308);
    assert_eq!(
        redirect.header("location").map(str::to_string),
        Some(format!(
            "https://{}/hardened/api/status?x=1",
            lab.handle.https_addr
        ))
    );
    let creds = Some(json!({ "username": "alice", "password": "alice-password" }));
    let login = lab.call(
        "POST",
        &lab.https("/hardened/login"),
        None,
        creds.clone(),
        &[],
    );
    let cookie = login.header("set-cookie").unwrap();
    assert!(
        cookie.contains("Secure; HttpOnly; SameSite=Strict"),
        "{cookie}"
    );
    assert!(lab.success_ids().is_empty(), "{:?}", lab.success_ids());

    let vuln = lab.call("GET", &lab.http("/api/status"), None, None, &evil);
    assert_eq!(vuln.status, 200);
    assert_eq!(
        vuln.header("access-control-allow-origin"),
        Some("https://evil.example")
    );
    assert_eq!(
        vuln.header("access-control-allow-credentials"),
        Some("true")
    );
    assert_eq!(vuln.header("x-content-type-options"), None);
    let login = lab.call("POST", &lab.http("/login"), None, creds, &[]);
    assert_eq!(login.status, 200);
    assert!(!login.header("set-cookie").unwrap().contains("HttpOnly"));
    assert!(lab.has("cors-origin-reflected"));
    assert!(lab.has("plain-http-credentials"));
}

#[test]
fn progress_is_served_and_saved_and_the_access_log_holds_no_secrets() {
    let lab = TestLab::start();
    let login = lab.login_at(&lab.https("/login"), "alice", "alice-password");
    let token = login["token"].as_str().unwrap().to_string();
    let key = login["api_key"].as_str().unwrap().to_string();
    let me = lab.get(&lab.https("/api/users/2"), Some(&token));
    let request_id = me.header("x-request-id").unwrap().to_string();
    lab.get(
        &lab.https(&format!("/api/reports?api_key={key}&access_token={token}")),
        None,
    );
    lab.call(
        "GET",
        &lab.https("/api/me"),
        None,
        None,
        &[("cookie", &format!("session={token}"))],
    );

    let progress = lab.get(&lab.http("/lab/progress"), None).json();
    let ids: Vec<&str> = progress["successes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"bola-read-other-user") && ids.contains(&"api-key-in-query"));
    let saved = apiward::lab::progress::load(&lab.dir.path().join("progress.json")).unwrap();
    assert_eq!(saved, lab.handle.state.successes());

    let log = std::fs::read_to_string(lab.dir.path().join("access.log")).unwrap();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(lines.len() >= 5);
    assert!(lines.iter().all(|l| {
        l["request_id"]
            .as_str()
            .is_some_and(|id| id.starts_with("req-"))
    }));
    assert!(
        lines
            .iter()
            .any(|l| l["request_id"] == request_id.as_str() && l["status"] == 200)
    );
    for secret in [token.as_str(), key.as_str(), "alice-password"] {
        assert!(!log.contains(secret), "the log holds a secret: {secret}");
    }
    assert!(!log.contains("eyJ"), "the log holds something token-shaped");
    let recent = lab.handle.state.recent_requests();
    assert_eq!(recent.len(), lines.len());
}
