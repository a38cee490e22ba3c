//! `apiward send` and `apiward import curl` end to end: output, JSON, exit codes, TLS
//! failures with their cause, stored requests with environments, and redacted history.

use predicates::prelude::*;

use crate::cli_basics::apiward;
use crate::harness::{Route, TestCa, TestServer};

#[test]
fn send_prints_status_headers_and_pretty_json() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::http(vec![Route::echo("/echo")]);
    apiward(home.path())
        .args([
            "send",
            "POST",
            &server.url("/echo"),
            "X-A:1",
            "q==2",
            "name=Ada",
            "age:=36",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("HTTP/1.1 200 OK\n"))
        .stdout(predicate::str::contains("content-type: application/json"))
        .stdout(predicate::str::contains("\"method\": \"POST\""))
        .stdout(predicate::str::contains("\"path\": \"/echo?q=2\""))
        .stdout(predicate::str::contains("\\\"age\\\": 36"))
        .stdout(predicate::str::contains("\x1b").not());
    let out = apiward(home.path())
        .args(["send", &server.url("/echo"), "--json", "-H", "X-B: 2"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], 200);
    assert_eq!(v["body"]["headers"]["x-b"], "2");
    assert_eq!(v["headers"]["content-type"], "application/json");
    assert!(v["timing"]["total_ms"].as_f64().unwrap() > 0.0);
    assert!(v["findings"].is_array());
}

#[test]
fn exit_codes() {
    let home = tempfile::tempdir().unwrap();
    let server = TestServer::http(vec![Route::new("/ok")]);
    apiward(home.path())
        .args(["send", "http://exa mple/"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a valid URL"));
    apiward(home.path())
        .args(["send", &server.url("/ok"), "nonsense"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "\"nonsense\" is not a request item",
        ));
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    apiward(home.path())
        .args(["send", &format!("http://{closed}/")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("connection refused"));
    apiward(home.path())
        .args(["send", &server.url("/missing"), "--check-status"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("404 Not Found"));
    apiward(home.path())
        .args(["send", &server.url("/missing")])
        .assert()
        .success();
    let slow = TestServer::http(vec![
        Route::new("/s").delay(std::time::Duration::from_secs(30)),
    ]);
    apiward(home.path())
        .args(["send", &slow.url("/s"), "--timeout", "0.3"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("timed out"));
}

#[test]
fn tls_failure_names_its_cause_and_the_ca_file_or_k_fix_it() {
    let home = tempfile::tempdir().unwrap();
    let ca = TestCa::new("apiward cli CA");
    let server = TestServer::https(
        vec![Route::new("/t").body("tls ok")],
        &ca.issue(&["localhost"]),
    );
    let ca_file = home.path().join("ca.pem");
    std::fs::write(&ca_file, ca.cert_pem()).unwrap();
    let url = server.localhost_url("/t");
    apiward(home.path())
        .args(["send", &url])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "TLS handshake with localhost failed",
        ))
        .stderr(predicate::str::contains("certificate"));
    apiward(home.path())
        .args(["send", &url, "--ca-file", ca_file.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("tls ok"));
    apiward(home.path())
        .args(["send", "-k", &url])
        .assert()
        .success();
}

#[test]
fn stored_requests_environments_and_history_without_secrets() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let server = TestServer::http(vec![Route::echo("/echo")]);
    apiward(home.path())
        .args(["--workspace", ws.to_str().unwrap(), "import", "curl"])
        .arg("curl -H 'Authorization: Bearer {{token}}' --no-progress-meter '{{base}}/echo?api_key={{token}}'")
        .args(["--save", "echo"])
        .assert()
        .success()
        .stdout(predicate::str::contains("GET {{base}}/echo?api_key={{token}}"))
        .stderr(predicate::str::contains("ignored --no-progress-meter"));
    assert!(
        std::fs::read_to_string(ws.join(".gitignore"))
            .unwrap()
            .contains("http-client.private.env.json")
    );
    std::fs::write(
        ws.join("http-client.env.json"),
        format!(r#"{{"dev": {{"base": "{}"}}}}"#, server.url("")),
    )
    .unwrap();
    std::fs::write(
        ws.join("http-client.private.env.json"),
        r#"{"dev": {"token": "super-secret-token-1"}}"#,
    )
    .unwrap();
    apiward(home.path())
        .args([
            "--workspace",
            ws.to_str().unwrap(),
            "send",
            "--name",
            "echo",
            "--env",
            "dev",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Bearer super-secret-token-1"));
    let history = std::fs::read_to_string(ws.join("history.jsonl")).unwrap();
    assert!(history.contains("/echo"));
    for file in std::fs::read_dir(&ws).unwrap().flatten() {
        if file.file_name() == "http-client.private.env.json" || file.path().is_dir() {
            continue;
        }
        let text = std::fs::read_to_string(file.path()).unwrap();
        assert!(
            !text.contains("super-secret-token-1"),
            "{:?} leaks the secret",
            file.path()
        );
    }
    apiward(home.path())
        .args([
            "--workspace",
            ws.to_str().unwrap(),
            "send",
            "--name",
            "echo",
            "--env",
            "prod",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no environment \"prod\""));
    apiward(home.path())
        .args([
            "--workspace",
            ws.to_str().unwrap(),
            "send",
            "--name",
            "echo",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown variable {{base}}"));
}

#[test]
fn import_curl_prints_http_and_other_formats() {
    let home = tempfile::tempdir().unwrap();
    apiward(home.path())
        .args([
            "import",
            "curl",
            "curl -X POST https://h/x --json '{\"a\":1}' -k",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "# @insecure\n# @body json\nPOST https://h/x\nAccept: application/json\n\n{\"a\":1}\n",
        ));
    apiward(home.path())
        .args(["import", "curl", "curl -u a:b https://h/", "--to", "httpie"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("http "))
        .stdout(predicate::str::contains("-a a:b"));
    apiward(home.path())
        .args(["import", "curl", "wget https://h/"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a curl command"));
}
