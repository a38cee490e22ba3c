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

/// A running `apiward lab --dir DIR`, its banner read up to the last line; killed on drop.
struct LabProcess {
    child: std::process::Child,
    banner: String,
}

impl LabProcess {
    fn start(dir: &std::path::Path) -> Self {
        use std::io::{BufRead, BufReader};
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("apiward"))
            .args(["lab", "--dir"])
            .arg(dir)
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut seen = Vec::new();
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let line = line.unwrap();
            let done = line.starts_with("Press Ctrl-C");
            seen.push(line);
            if done {
                break;
            }
        }
        Self {
            child,
            banner: seen.join("\n"),
        }
    }

    /// The value after `label` on its banner line.
    fn field(&self, label: &str) -> String {
        self.banner
            .lines()
            .find_map(|l| l.trim_start().strip_prefix(label))
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no {label} in {}", self.banner))
            .to_string()
    }
}

impl Drop for LabProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_lab_command_prints_its_urls_and_routes_and_serves() {
    let dir = tempfile::tempdir().unwrap();
    let lab = LabProcess::start(dir.path());
    let text = &lab.banner;
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
    let own = std::path::PathBuf::from(lab.field("files"));
    assert!(own.starts_with(dir.path()), "{text}");
    assert!(own.join("ca.pem").exists());
    assert!(own.join("lab.json").exists());
}

#[test]
fn a_second_lab_command_on_the_same_folder_leaves_the_first_serving() {
    let dir = tempfile::tempdir().unwrap();
    let first = LabProcess::start(dir.path());
    let own = std::path::PathBuf::from(first.field("files"));
    let before = (
        std::fs::read(own.join("lab.json")).unwrap(),
        std::fs::read(own.join("ca.pem")).unwrap(),
    );
    let second = LabProcess::start(dir.path());
    assert_ne!(first.field("http"), second.field("http"));
    assert_ne!(first.field("files"), second.field("files"));
    let after = (
        std::fs::read(own.join("lab.json")).unwrap(),
        std::fs::read(own.join("ca.pem")).unwrap(),
    );
    assert!(before == after, "the second lab rewrote the first's files");
    // Both answer, each at its own address.
    for lab in [&first, &second] {
        let url = format!("{}/api/status", lab.field("http"));
        apiward()
            .args(["send", "GET", &url, "--workspace"])
            .arg(dir.path().join("ws"))
            .assert()
            .success()
            .stdout(predicate::str::contains("apiward practice lab"));
    }
    // A lab killed outright leaves its folder; the next lab to start removes it, and only it.
    let (gone, kept) = (own, std::path::PathBuf::from(second.field("files")));
    drop(first);
    let third = LabProcess::start(dir.path());
    assert!(!gone.exists(), "{}", third.banner);
    assert!(kept.join("lab.json").exists());
}
