//! `apiward audit` end to end against real local servers: text, JSON, SARIF, batches and
//! the exit codes.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

use crate::audit_support::good_route;
use crate::harness::{Route, TestCa, TestServer};

fn apiward() -> Command {
    let mut cmd = Command::cargo_bin("apiward").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

struct Https {
    server: TestServer,
    ca_file: tempfile::NamedTempFile,
}

fn https(routes: Vec<Route>) -> Https {
    let ca = TestCa::new("audit CLI CA");
    let server = TestServer::https(routes, &ca.issue(&["localhost", "127.0.0.1"]));
    let ca_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(ca_file.path(), ca.cert_pem()).unwrap();
    Https { server, ca_file }
}

#[test]
fn text_report_has_grade_areas_and_tls() {
    let target = https(vec![
        Route::new("/").header("server", "nginx/1.18.0").body("{}"),
    ]);
    let out = apiward()
        .args(["audit", &target.server.localhost_url("/"), "--ca"])
        .arg(target.ca_file.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("── Headers"), "{text}");
    assert!(text.contains("overall · headers"), "{text}");
    assert!(text.contains("· TLS A"), "{text}");
    assert!(text.contains("csp-missing"), "{text}");
    assert!(text.contains("info-leak-header"), "{text}");
    assert!(
        text.contains("TLS: TLSv1_3") || text.contains("TLS: TLS"),
        "{text}"
    );
    assert!(text.contains("certificate: trusted"), "{text}");
    assert!(text.contains("protocols:"), "{text}");
}

#[test]
fn json_has_the_documented_fields_and_fail_on_works() {
    let target = https(vec![good_route("/")]);
    let url = target.server.localhost_url("/");
    let out = apiward()
        .args(["audit", &url, "--json", "--ca"])
        .arg(target.ca_file.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for field in [
        "target",
        "score",
        "grade",
        "tls_grade",
        "overall_grade",
        "findings",
        "tls",
        "headers",
        "redirects",
    ] {
        assert!(v.get(field).is_some(), "missing {field}");
    }
    assert_eq!(v["target"], url);
    assert!(v["score"].as_u64().unwrap() >= 90, "{}", v["score"]);
    assert_eq!(v["headers"]["x-frame-options"], "DENY");

    let bare = TestServer::http(vec![Route::new("/").body("{}")]);
    apiward()
        .args(["audit", &bare.url("/"), "--fail-on", "medium"])
        .assert()
        .code(1);
    apiward().args(["audit", &bare.url("/")]).assert().success();
}

#[test]
fn sarif_output_uses_finding_ids_as_rule_ids() {
    let bare = TestServer::http(vec![Route::new("/").body("{}")]);
    let out = apiward()
        .args(["audit", &bare.url("/"), "--sarif"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "csp-missing"));
    let uri = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, &Value::String(bare.url("/")));
}

#[test]
fn a_batch_keeps_going_past_a_dead_target() {
    let a = TestServer::http(vec![good_route("/")]);
    let b = TestServer::http(vec![Route::new("/").body("{}")]);
    let dead_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let list = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        list.path(),
        format!(
            "# targets\n{}\n\nhttp://127.0.0.1:{dead_port}/\n{}\n",
            a.url("/"),
            b.url("/")
        ),
    )
    .unwrap();
    let batch = |extra: &[&str]| {
        apiward()
            .args(["audit", "--targets"])
            .arg(list.path())
            .args(["--concurrency", "2", "--timeout", "3"])
            .args(extra)
            .output()
            .unwrap()
    };
    // A dead target fails the run, and is listed in every form.
    let out = batch(&["--json"]);
    assert_eq!(out.status.code(), Some(1), "an unreachable target fails");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let records = v.as_array().unwrap();
    assert_eq!(records.len(), 3);
    assert!(records[0]["error"].is_null());
    assert!(
        !records[1]["error"].is_null(),
        "the dead target is a record with its error"
    );
    assert!(records[0]["score"].as_u64() > records[2]["score"].as_u64());

    let out = batch(&[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("1 of 3 targets could not be audited")
            && text.contains(&format!("127.0.0.1:{dead_port}")),
        "{text}"
    );

    let out = batch(&["--sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{invocation}");
    assert!(
        notes[0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains(&dead_port.to_string())
    );

    let out = batch(&["--json", "--allow-unreachable"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3, "still listed");
}

#[test]
fn a_long_body_is_judged_on_its_first_mib_and_said_so() {
    let server = TestServer::http(vec![good_route("/").body(vec![b'a'; 3 << 20])]);
    let out = apiward()
        .args(["audit", &server.url("/"), "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["body_cut_at"], 1 << 20, "{v}");
    let out = apiward()
        .args(["audit", &server.url("/")])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("only that much was read"));
    let small = TestServer::http(vec![good_route("/")]);
    let out = apiward()
        .args(["audit", &small.url("/"), "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("body_cut_at").is_none());
}

#[test]
fn bad_input_is_exit_2_with_one_sentence() {
    apiward()
        .args(["audit", "ftp://example.invalid/"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an http:// or https:// URL"));
    let list = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(list.path(), "http://127.0.0.1:1/\nnot a url\n").unwrap();
    apiward()
        .args(["audit", "--targets"])
        .arg(list.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 2"));
    apiward().args(["audit"]).assert().code(2);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    apiward()
        .args([
            "audit",
            &format!("http://127.0.0.1:{port}/"),
            "--timeout",
            "2",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error:"));
}
