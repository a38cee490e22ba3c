//! Several labs from one data directory at once: each keeps answering with its own ports, CA
//! and key files, none rewrites another's, exploits from all of them count for the lessons, and
//! `apiward learn` names the lab started last, then a live one once it stops.

use std::path::{Path, PathBuf};
use std::time::Duration;

use apiward::lab::{self, LabConfig, LabHandle};
use predicates::prelude::*;
use serde_json::json;

use crate::lab_support::apiward;

struct Labs {
    root: tempfile::TempDir,
    rt: tokio::runtime::Runtime,
}

impl Labs {
    fn new() -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        Self {
            root: tempfile::tempdir().unwrap(),
            rt,
        }
    }

    fn start(&self) -> LabHandle {
        self.rt
            .block_on(lab::start(LabConfig::new(self.root.path())))
            .unwrap()
    }

    /// GET with a client that trusts only `ca`; the status, or the error's text.
    fn get(&self, ca: &str, url: &str, headers: &[(&str, &str)]) -> Result<u16, String> {
        let client = client(ca);
        let mut req = client.get(url);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        self.rt
            .block_on(async { req.send().await })
            .map(|r| r.status().as_u16())
            .map_err(|e| format!("{e:?}"))
    }

    /// A token from `lab`'s kid route, signed with the key in its own key file.
    fn kid_token(&self, lab: &LabHandle) -> String {
        let client = client(&lab.ca_pem);
        let body = json!({ "username": "alice", "password": "alice-password" });
        let text = self.rt.block_on(async {
            client
                .post(format!("{}/jwt/kid/login", lab.http_url()))
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        });
        let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
        answer["token"].as_str().unwrap().to_string()
    }

    fn learn(&self, args: &[&str], ws: &Path) -> assert_cmd::assert::Assert {
        apiward()
            .arg("learn")
            .args(args)
            .arg("--workspace")
            .arg(ws)
            .arg("--lab-dir")
            .arg(self.root.path())
            .assert()
    }
}

fn client(ca: &str) -> reqwest::Client {
    apiward::http::build_client(&apiward::http::ClientOptions {
        timeout: Duration::from_secs(20),
        insecure: false,
        ca_pem: Some(ca.as_bytes().to_vec()),
        follow_redirects: None,
    })
    .unwrap()
}

/// Every file in a lab's own folder, with its bytes.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn two_labs_in_one_folder_keep_their_own_files_and_both_answer() {
    let labs = Labs::new();
    let a = labs.start();
    let a_files = files(&a.dir);
    assert!(
        a_files.iter().any(|(p, _)| p.ends_with("keys/hs256.key")),
        "{a_files:?}"
    );
    let b = labs.start();

    assert_ne!(a.dir, b.dir);
    assert_ne!(a.urls, b.urls);
    assert_ne!(a.ca_pem, b.ca_pem);
    assert_eq!(
        files(&a.dir),
        a_files,
        "the second lab rewrote the first's files"
    );
    assert_eq!(lab::LabUrls::load(&a.dir).as_ref(), Some(&a.urls));
    assert_eq!(lab::LabUrls::load(&b.dir).as_ref(), Some(&b.urls));

    // Each answers over HTTPS with its own CA; a client trusting the other CA is refused.
    for (lab, other) in [(&a, &b), (&b, &a)] {
        let status = format!("{}/api/status", lab.https_url());
        assert_eq!(labs.get(&lab.ca_pem, &status, &[]), Ok(200));
        assert!(labs.get(&other.ca_pem, &status, &[]).is_err());
    }

    // The kid route reads its own lab's key file: a lab's token passes there, not next door.
    let bearer = |lab: &LabHandle| format!("Bearer {}", labs.kid_token(lab));
    let (ta, tb) = (bearer(&a), bearer(&b));
    let me = |lab: &LabHandle| format!("{}/jwt/kid/me", lab.http_url());
    let get =
        |lab: &LabHandle, token: &str| labs.get(&lab.ca_pem, &me(lab), &[("authorization", token)]);
    assert_eq!(get(&a, &ta), Ok(200));
    assert_eq!(get(&b, &tb), Ok(200));
    assert_eq!(get(&b, &ta), Ok(401));
}

#[test]
fn exploits_on_either_lab_count_and_learn_names_the_lab_started_last() {
    let labs = Labs::new();
    let ws = tempfile::tempdir().unwrap();
    let a = labs.start();
    let b = labs.start();

    // One exploit on each: both land in the shared record, neither overwrites the other.
    let leak = format!("{}/api/orders/abc", a.http_url());
    assert_eq!(labs.get(&a.ca_pem, &leak, &[]), Ok(500));
    let status = format!("{}/api/status", b.http_url());
    let evil = [("origin", "https://evil.example")];
    assert_eq!(labs.get(&b.ca_pem, &status, &evil), Ok(200));
    let saved = lab::progress::load(&lab::progress_file(labs.root.path())).unwrap();
    let ids: Vec<&str> = saved.iter().map(|s| s.id.as_str()).collect();
    assert!(
        ids.contains(&"verbose-error-leak") && ids.contains(&"cors-origin-reflected"),
        "{ids:?}"
    );
    for lesson in ["validate-input", "test-regularly"] {
        labs.learn(&["check", lesson], ws.path()).success();
    }

    let show = |labs: &Labs| {
        let out = labs.learn(&["show", "1"], ws.path()).success();
        String::from_utf8_lossy(&out.get_output().stdout).to_string()
    };
    let text = show(&labs);
    assert!(text.contains(&b.http_url()), "{text}");
    assert!(!text.contains(&a.http_url()), "{text}");
    // B stops: lessons name the lab still running, with its own CA file.
    labs.rt.block_on(b.stop());
    let text = show(&labs);
    assert!(text.contains(&a.http_url()), "{text}");
    // A third lab sweeps B's folder away and leaves A's alone.
    let c = labs.start();
    let instances = labs.root.path().join(lab::instance::INSTANCES);
    let mut left: Vec<PathBuf> = std::fs::read_dir(&instances)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    left.sort();
    let mut expected = vec![a.dir.clone(), c.dir.clone()];
    expected.sort();
    assert_eq!(left, expected);
    labs.learn(&["show", "1"], ws.path())
        .success()
        .stdout(predicate::str::contains(c.http_url()));
}

#[test]
fn a_restarted_lab_starts_from_what_every_earlier_lab_recorded() {
    let labs = Labs::new();
    let a = labs.start();
    let leak = format!("{}/api/orders/abc", a.http_url());
    assert_eq!(labs.get(&a.ca_pem, &leak, &[]), Ok(500));
    labs.rt.block_on(a.stop());
    let b = labs.start();
    assert!(b.state.has("verbose-error-leak"));
    assert!(!b.state.has("cors-origin-reflected"));
}
