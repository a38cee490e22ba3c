//! `apiward lab` end to end, and `apiward audit` grading a vulnerable route against its twin.

use predicates::prelude::*;

use crate::lab_support::{TestLab, apiward, json_run};

#[test]
fn a_non_loopback_bind_is_refused() {
    apiward()
        .args(["lab", "--bind", "0.0.0.0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a loopback address"));
}

#[test]
fn audit_flags_the_vulnerable_headers_and_grades_the_twin_higher() {
    let lab = TestLab::start();
    let ca = lab.ca_file();
    let audit =
        |path: &str| json_run(apiward().args(["audit", &lab.https(path), "--ca", &ca, "--json"])).1;
    let vuln = audit("/api/status");
    let twin = audit("/hardened/api/status");
    let score = |v: &serde_json::Value| v["score"].as_u64().unwrap_or_else(|| panic!("{v}"));
    assert!(
        score(&twin) > score(&vuln),
        "twin {} vs {}",
        score(&twin),
        score(&vuln)
    );
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (vuln_ids, twin_ids) = (ids(&vuln), ids(&twin));
    assert!(
        vuln_ids.len() > twin_ids.len(),
        "{vuln_ids:?} vs {twin_ids:?}"
    );
    assert!(
        vuln_ids
            .iter()
            .any(|id| id.contains("hsts") || id.contains("csp")),
        "{vuln_ids:?}"
    );
}

#[test]
fn the_lab_command_prints_its_urls_and_routes_and_serves() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("apiward"))
        .args(["lab", "--dir"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.starts_with("Press Ctrl-C");
        seen.push(line);
        if done {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = seen.join("\n");
    assert!(text.contains("http://127.0.0.1:"), "{text}");
    assert!(text.contains("https://127.0.0.1:"), "{text}");
    assert!(
        text.contains("/jwt/none/me") && text.contains("API1"),
        "{text}"
    );
    assert!(
        text.contains("Lessons") && text.contains("JWT: alg none accepted"),
        "{text}"
    );
    assert!(dir.path().join("ca.pem").exists());
    assert!(dir.path().join("lab.json").exists());
}
