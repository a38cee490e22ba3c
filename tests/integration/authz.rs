//! `apiward authz` against a running `apiward lab`: the lab refreshes its sample workspace
//! with identities, and the matrix over it flags every BOLA route of the lab and none of the
//! hardened twins; the similarity measure on real answers of the lab; curl as the oracle for
//! what a cell says.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use serde_json::Value;

use crate::lab_support::{TestLab, apiward, json_run};
use apiward::authz::similarity::{similarity, volatile};

/// `apiward lab --dir DIR` as a user runs it, until its banner is out; killed on drop.
struct Lab {
    child: std::process::Child,
    sample: PathBuf,
    _dir: tempfile::TempDir,
}

impl Lab {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("apiward"))
            .args(["lab", "--dir"])
            .arg(dir.path())
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut sample = None;
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let line = line.unwrap();
            if let Some(path) = line.strip_prefix("Sample workspace: ") {
                sample = Some(PathBuf::from(path.trim()));
            }
            if line.starts_with("Press Ctrl-C") {
                break;
            }
        }
        Self {
            child,
            sample: sample.expect("the lab names its sample workspace"),
            _dir: dir,
        }
    }

    fn authz(&self, extra: &[&str]) -> (i32, Value) {
        let mut cmd = apiward();
        cmd.arg("authz").arg("--workspace").arg(&self.sample);
        let format = match extra.contains(&"--sarif") {
            true => None,
            false => Some("--json"),
        };
        json_run(cmd.arg("--all").args(format).args(extra))
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rows(matrix: &Value) -> &Vec<Value> {
    matrix["rows"].as_array().unwrap()
}

fn row<'a>(matrix: &'a Value, name: &str) -> &'a Value {
    rows(matrix)
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no row {name}"))
}

fn cell<'a>(row: &'a Value, identity: &str) -> &'a Value {
    row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["identity"] == identity)
        .unwrap()
}

/// The URL of each flagged finding with this id (the evidence starts "METHOD URL (name)").
fn flagged(matrix: &Value, id: &str) -> Vec<String> {
    matrix["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id)
        .map(|f| {
            f["evidence"]
                .as_str()
                .unwrap()
                .split(' ')
                .nth(1)
                .unwrap()
                .to_string()
        })
        .collect()
}

/// Whether `url`'s path is the route pattern `pattern` (`{id}` a number).
fn matches_route(url: &str, pattern: &str) -> bool {
    let path = url
        .splitn(4, '/')
        .nth(3)
        .map(|p| format!("/{p}"))
        .unwrap_or_default();
    let (a, b): (Vec<&str>, Vec<&str>) = (path.split('/').collect(), pattern.split('/').collect());
    a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| {
            x == y || (y.starts_with('{') && !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit()))
        })
}

#[test]
fn the_matrix_over_the_lab_s_sample_flags_every_bola_route_and_no_twin() {
    let lab = Lab::start();
    let (code, m) = lab.authz(&["--vary-ids"]);
    assert_eq!(code, 0, "{m}");
    let names: Vec<&str> = m["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            assert!(i.get("error").is_none(), "{i}");
            i["name"].as_str().unwrap()
        })
        .collect();
    assert_eq!(names, ["alice", "bob", "admin", "anonymous"]);

    // The vulnerable record route: bob and anonymous as the lab treats them, and bob flagged.
    let user = row(&m, "user-1");
    assert_eq!(cell(user, "bob")["status"], 200);
    assert!(cell(user, "bob")["similarity"].as_f64().unwrap() >= 0.9);
    assert_eq!(cell(user, "anonymous")["status"], 401);
    let twin = row(&m, "user-1-hardened");
    assert_eq!(cell(twin, "bob")["status"], 403);
    assert_eq!(cell(twin, "admin")["status"], 200);
    // Everyone's own record is alike only in shape: not the same object.
    assert!(cell(row(&m, "me"), "bob")["similarity"].as_f64().unwrap() < 0.5);

    let bola = flagged(&m, "authz-bola");
    // Every BOLA and BFLA route of the lab (the matrix sends GETs without --unsafe) is
    // flagged, and nothing under /hardened is.
    for (owasp, id) in [("API1:", "authz-bola"), ("API5:", "authz-bfla")] {
        let found = flagged(&m, id);
        let routes = apiward::lab::ROUTES.iter();
        for route in routes.filter(|r| r.owasp.starts_with(owasp) && r.method == "GET") {
            assert!(
                found.iter().any(|u| matches_route(u, route.path)),
                "{} {} not flagged {id}: {found:?}",
                route.method,
                route.path
            );
        }
    }
    let all: Vec<&Value> = m["findings"].as_array().unwrap().iter().collect();
    for f in &all {
        assert!(
            !f["evidence"].as_str().unwrap().contains("/hardened/"),
            "{f}"
        );
    }
    // The id variants: bob's and the admin's records read by the others.
    let variants: BTreeSet<String> = bola
        .iter()
        .filter(|u| !u.ends_with("/1"))
        .cloned()
        .collect();
    assert!(
        variants.iter().any(|u| u.ends_with("/api/users/2")),
        "{bola:?}\n{m:#}"
    );
    assert!(
        variants.iter().any(|u| u.ends_with("/api/users/3")),
        "{bola:?}"
    );
    let learned: Vec<&Value> = m["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["own_ids"])
        .collect();
    assert_eq!(learned[1], &serde_json::json!(["2"]));

    // The same run in SARIF and with --fail-on.
    let (code, sarif) = lab.authz(&["--sarif", "--fail-on", "high"]);
    assert_eq!(code, 1);
    let rules: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"authz-bola"), "{rules:?}");
    assert!(rules.iter().all(|r| r.starts_with("authz-")), "{rules:?}");
}

#[test]
fn a_cell_is_what_curl_gets_with_the_same_credentials() {
    let lab = Lab::start();
    let (_, m) = lab.authz(&["--name", "user-1"]);
    let url = row(&m, "user-1")["url"].as_str().unwrap().to_string();
    let bob = cell(row(&m, "user-1"), "bob").clone();
    if std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped the curl comparison: curl is not installed");
        return;
    }
    let base = url.trim_end_matches("/api/users/1");
    let login = std::process::Command::new("curl")
        .args(["-s", "-H", "Content-Type: application/json", "-d"])
        .arg(r#"{"username":"bob","password":"sunshine"}"#)
        .arg(format!("{base}/login"))
        .output()
        .unwrap();
    let token: Value = serde_json::from_slice(&login.stdout).unwrap();
    let got = std::process::Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{size_download}",
            "-H",
        ])
        .arg(format!(
            "Authorization: Bearer {}",
            token["token"].as_str().unwrap()
        ))
        .arg(&url)
        .output()
        .unwrap();
    let got = String::from_utf8(got.stdout).unwrap();
    assert_eq!(got, format!("{} {}", bob["status"], bob["size"]));
}

#[test]
fn requests_go_only_to_loopback_unless_a_host_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    std::fs::write(
        ws.join("a.http"),
        "# @name far\nGET http://192.0.2.1/api/users/1\n",
    )
    .unwrap();
    apiward()
        .args(["authz", "--workspace"])
        .arg(ws)
        .args(["identity", "set", "alice", "--bearer", "t"])
        .assert()
        .success();
    let out = apiward()
        .args(["authz", "--workspace"])
        .arg(ws)
        .args(["--all", "--timeout", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--allow-host 192.0.2.1"), "{err}");
    // Nothing to choose is a sentence, not a run.
    let out = apiward()
        .args(["authz", "--workspace"])
        .arg(ws)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--all"));
}

#[test]
fn similarity_on_real_answers_of_the_lab() {
    let lab = TestLab::start();
    let alice = lab.login_at(&lab.http("/login"), "alice", "alice-password");
    let bob = lab.login_at(&lab.http("/login"), "bob", "sunshine");
    let token = |v: &Value| v["token"].as_str().unwrap().to_string();
    // The same object, answered twice: the second with a token issued a second later, so
    // its iat, exp and jti differ.
    let me = |t: &str| lab.get(&lab.https("/jwt/exp/me"), Some(t)).text;
    let first = me(&lab.jwt_token("", "exp"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let later = me(&lab.jwt_token("", "exp"));
    assert_ne!(first, later);
    let none = BTreeSet::new();
    assert!(
        similarity(first.as_bytes(), later.as_bytes(), &none) >= 0.9,
        "{first}\n{later}"
    );
    // Different objects of the same type: alice's and bob's records.
    let record = |id: u32, t: &str| {
        lab.get(&lab.http(&format!("/api/users/{id}")), Some(t))
            .text
    };
    let (a, b) = (record(1, &token(&alice)), record(2, &token(&alice)));
    assert!(
        similarity(a.as_bytes(), b.as_bytes(), &none) < 0.5,
        "{a}\n{b}"
    );
    // The same record as bob reads it is alice's object.
    let a_by_bob = record(1, &token(&bob));
    assert_eq!(
        similarity(
            a.as_bytes(),
            a_by_bob.as_bytes(),
            &volatile(a.as_bytes(), a.as_bytes())
        ),
        1.0
    );
}

#[test]
fn unsafe_methods_wait_for_unsafe_and_a_run_over_the_cap_is_refused() {
    let lab = Lab::start();
    let (_, m) = lab.authz(&[]);
    let skipped: Vec<(&str, &str)> = m["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert!(
        skipped.contains(&("login", "POST may change data: pass --unsafe to send it")),
        "{skipped:?}"
    );
    assert!(
        skipped.contains(&("authz-login", "an identity's login")),
        "{skipped:?}"
    );
    assert!(rows(&m).iter().all(|r| r["method"] == "GET"));

    let mut cmd = apiward();
    let out = cmd
        .arg("authz")
        .arg("--workspace")
        .arg(&lab.sample)
        .args(["--all", "--max-requests", "5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    // The core says what happened; the CLI names its flag.
    assert!(
        err.contains("more than the cap of 5") && err.contains("raise the cap with --max-requests"),
        "{err}"
    );

    let out = apiward()
        .arg("authz")
        .arg("--workspace")
        .arg(&lab.sample)
        .args(["--name", "user-1", "--markdown"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("| user-1 | GET | /api/users/1 | alice | 200 "),
        "{md}"
    );
    assert!(md.contains("`authz-bola`"), "{md}");
}

#[test]
fn a_request_that_needs_an_unsafe_one_first_waits_for_unsafe() {
    let lab = TestLab::start();
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    // The record of whoever `who` logs in as: the POST must not go without --unsafe.
    std::fs::write(
        ws.join("chain.http"),
        format!(
            "@base = {}\n\n# @name who\nPOST {{{{base}}}}/login\nContent-Type: application/json\n\n\
             {{\"username\": \"bob\", \"password\": \"sunshine\"}}\n\n###\n# @name record\n\
             GET {{{{base}}}}/api/users/{{{{who.response.body.$.user.id}}}}\n",
            lab.handle.http_url()
        ),
    )
    .unwrap();
    let token = lab.login_at(&lab.http("/login"), "alice", "alice-password")["token"]
        .as_str()
        .unwrap()
        .to_string();
    apiward()
        .args(["authz", "--workspace"])
        .arg(ws)
        .args(["identity", "set", "alice", "--bearer", &token])
        .assert()
        .success();
    let run = |extra: &[&str]| {
        let mut cmd = apiward();
        cmd.args(["authz", "--workspace"]).arg(ws);
        json_run(cmd.args(["--name", "record", "--json"]).args(extra)).1
    };
    let refused = run(&[]);
    let cell = &refused["rows"][0]["cells"][0];
    assert!(cell["status"].is_null(), "{cell}");
    assert!(
        cell["error"].as_str().unwrap().contains("pass --unsafe"),
        "{cell}"
    );
    let sent = run(&["--unsafe"]);
    let cell = &sent["rows"][0]["cells"][0];
    assert_eq!(cell["status"], 200, "{cell}");
    assert!(
        sent["rows"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/api/users/2")
    );
}

/// `apiward lab` once died of SIGPIPE (status 141) within three runs of the matrix: hyper
/// writes with writev, which raises it when a client has hung up.
#[test]
fn the_lab_outlives_repeated_runs() {
    let mut lab = Lab::start();
    for run in 0..5 {
        let (code, m) = lab.authz(&["--vary-ids"]);
        assert_eq!(code, 0, "run {run}: {m}");
        let errors = rows(&m)
            .iter()
            .flat_map(|r| r["cells"].as_array().unwrap())
            .filter(|c| c["error"].is_string())
            .count();
        assert_eq!(errors, 0, "run {run}: {m:#}");
    }
    assert!(lab.child.try_wait().unwrap().is_none(), "the lab ended");
}
