//! `apiward spec check` against a running lab with the lab's own description
//! (`GET /openapi.json`): the vulnerable routes' excessive data exposure, unauthenticated route
//! and undocumented errors are found, and nothing of the kind on the hardened twins, which
//! keep the same description.

use serde_json::{Value, json};

use crate::lab_support::{TestLab, apiward, json_run};

/// A workspace whose environments point at the lab's two servers, with alice's session token
/// and API key as the private shared values the importer's auth mapping names.
fn workspace(lab: &TestLab) -> tempfile::TempDir {
    let login = lab.login_at(&lab.https("/hardened/login"), "alice", "alice-password");
    let dir = tempfile::tempdir().unwrap();
    let public = json!({
        "lab": { "baseUrl": lab.http("") },
        "hardened": { "baseUrl": lab.https("/hardened") },
    });
    let private = json!({
        "$shared": { "token": login["token"], "api_key": login["api_key"] },
    });
    std::fs::write(dir.path().join("http-client.env.json"), public.to_string()).unwrap();
    std::fs::write(
        dir.path().join("http-client.private.env.json"),
        private.to_string(),
    )
    .unwrap();
    dir
}

fn check(lab: &TestLab, ws: &tempfile::TempDir, env: &str, extra: &[&str]) -> (i32, Value) {
    json_run(
        apiward()
            .arg("--workspace")
            .arg(ws.path())
            .args(["spec", "check", &lab.http("/openapi.json"), "--env", env])
            .args(["--ca", &lab.ca_file(), "--rate", "50", "--json"])
            .args(extra),
    )
}

/// The findings of rule `id` whose evidence names `operation`.
fn found<'a>(report: &'a Value, id: &str, operation: &str) -> Vec<&'a str> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id)
        .filter_map(|f| f["evidence"].as_str())
        .filter(|e| e.starts_with(&format!("{operation} (")))
        .collect()
}

#[test]
fn the_vulnerable_routes_break_the_description_and_the_twins_keep_it() {
    let lab = TestLab::start();
    let ws = workspace(&lab);

    let (code, vulnerable) = check(&lab, &ws, "lab", &["--fail-on", "high"]);
    assert_eq!(code, 1, "{vulnerable:#}");
    // Excessive data exposure: whole user records where the description lists names.
    let exposure = found(
        &vulnerable,
        "spec-check-undocumented-field",
        "GET /api/users",
    );
    assert_eq!(exposure.len(), 1, "{vulnerable:#}");
    for field in ["users[].password_hash", "users[].api_key"] {
        assert!(exposure[0].contains(field), "{}", exposure[0]);
    }
    // The unauthenticated route: the old v1 answers without credentials.
    let open = found(&vulnerable, "spec-check-missing-auth", "GET /v1/users/{id}");
    assert_eq!(open.len(), 1, "{vulnerable:#}");
    let all_open: Vec<&Value> = vulnerable["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "spec-check-missing-auth")
        .collect();
    assert_eq!(all_open.len(), 1, "only v1 is open: {all_open:?}");
    // Undocumented errors: a text stack trace where a JSON error is documented, and a status
    // the retired version should never give.
    assert_eq!(
        found(
            &vulnerable,
            "spec-check-undocumented-media-type",
            "GET /api/orders/{id}"
        )
        .len(),
        1
    );
    assert_eq!(
        found(&vulnerable, "spec-check-error-leak", "GET /api/orders/{id}").len(),
        1
    );
    assert!(
        !found(
            &vulnerable,
            "spec-check-undocumented-status",
            "GET /v1/users/{id}"
        )
        .is_empty()
    );
    // The security headers, from the audit's checks, once each.
    let ids: Vec<&str> = vulnerable["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert_eq!(ids.iter().filter(|id| **id == "csp-missing").count(), 1);
    // Every safe operation went; the rest are listed as not sent.
    let probes = vulnerable["probes"].as_array().unwrap();
    assert!(probes.iter().all(|p| p["status"].is_u64()), "{probes:?}");
    assert!(
        probes
            .iter()
            .all(|p| !p["url"].as_str().unwrap().contains("/hardened"))
    );
    assert!(
        vulnerable["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().starts_with("POST /login"))
    );

    let (code, hardened) = check(&lab, &ws, "hardened", &["--fail-on", "low"]);
    assert_eq!(code, 0, "{hardened:#}");
    let spec_ids: Vec<&Value> = hardened["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"].as_str().unwrap().starts_with("spec-check-"))
        .collect();
    assert!(spec_ids.is_empty(), "{spec_ids:#?}");
    assert_eq!(
        hardened["probes"].as_array().unwrap().len(),
        probes.len(),
        "the same requests went to the twins"
    );
}

#[test]
fn the_check_stays_on_loopback_and_within_its_bounds() {
    let lab = TestLab::start();
    let ws = workspace(&lab);
    // A host that is not loopback is refused before anything is sent.
    let out = apiward()
        .arg("--workspace")
        .arg(ws.path())
        .args(["spec", "check", &lab.http("/openapi.json"), "--env", "lab"])
        .args(["--base", "https://api.example.com"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--allow-host api.example.com"), "{err}");
    // More requests than --max: refused, with the count.
    let out = apiward()
        .arg("--workspace")
        .arg(ws.path())
        .args([
            "spec",
            "check",
            &lab.http("/openapi.json"),
            "--env",
            "lab",
            "--max",
            "3",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("more than the limit of 3: raise --max"),
        "{err}"
    );
    // An environment the workspace does not have.
    let out = apiward()
        .arg("--workspace")
        .arg(ws.path())
        .args(["spec", "check", &lab.http("/openapi.json"), "--env", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim().lines().count(),
        1
    );
    // No server at all.
    let out = apiward()
        .args(["spec", "check", &lab.http("/openapi.json")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--base URL"));
}
