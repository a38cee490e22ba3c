//! The loose ends of issue #22 end to end: `jwt sign` defaults, and `jwt probe` against servers
//! that never answer, refuse the real token or need no token at all.

use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

use crate::harness::{Route, TestServer};
use apiward::jwt::{self, KeyMaterial, VerifyOptions};

const SECRET: &str = "a-secret-long-enough-for-hs256-signing!";

/// A token for `{"sub":"ann"}` signed with [`SECRET`].
fn token() -> String {
    let out = apiward()
        .args([
            "jwt",
            "sign",
            "--secret",
            SECRET,
            "--claims",
            r#"{"sub":"ann"}"#,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// `jwt probe --json` against `url`: the exit code and the report. The kill timeout only
/// catches a probe that never stops; it is no measure of speed.
fn probe_json(url: &str, extra: &[&str]) -> (Option<i32>, Value, String) {
    let out = apiward()
        .args(["jwt", "probe", "--url", url, "--token", &token(), "--json"])
        .args(extra)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        out.status.code(),
        report,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn apiward() -> Command {
    let mut cmd = Command::cargo_bin("apiward").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

#[test]
fn sign_with_a_secret_defaults_to_hs256() {
    let decoded = jwt::decode(&token()).unwrap();
    assert_eq!(decoded.header["alg"], Value::from("HS256"));
    let options = VerifyOptions {
        allowed_algs: vec!["HS256".into()],
        ..VerifyOptions::new(0)
    };
    let verdict = jwt::verify(&decoded, &KeyMaterial::secret_from_text(SECRET), &options);
    assert!(verdict.is_ok_and(|v| v.is_valid()));
}

#[test]
fn a_probe_of_an_endpoint_that_never_answers_stops_inconclusive() {
    // Accepts every connection and never writes a byte; the sockets stay open until the
    // test ends.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/me", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for socket in listener.incoming().flatten() {
            held.push(socket);
        }
    });
    let (code, report, stderr) = probe_json(&url, &["--timeout", "0.5"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(report["verdict"], "inconclusive");
    assert_eq!(report["inconclusive"], "unreachable");
    assert!(stderr.contains("did not answer"), "{stderr}");
    assert!(
        report["original"]["error"]
            .as_str()
            .unwrap()
            .contains("timed out")
    );
    // Both baselines failed, so the variants were not sent at all.
    assert_eq!(report["variants"], Value::Array(Vec::new()));
}

#[test]
fn a_probe_whose_own_token_is_refused_is_inconclusive() {
    let server = TestServer::http(vec![Route::new("/me").status(401).body("no")]);
    let (code, report, _) = probe_json(&server.url("/me"), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(report["verdict"], "inconclusive");
    assert_eq!(report["inconclusive"], "original-refused");
    assert!(
        report["reason"]
            .as_str()
            .unwrap()
            .contains("refuses the original token")
    );
    apiward()
        .args([
            "jwt",
            "probe",
            "--url",
            &server.url("/me"),
            "--token",
            &token(),
        ])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "Inconclusive: the endpoint refuses the original token itself",
        ))
        .stdout(predicates::str::contains("No forged variant was accepted").not());
}

#[test]
fn a_probe_of_an_endpoint_open_without_a_token_is_inconclusive() {
    let server = TestServer::http(vec![Route::new("/me").body("{}")]);
    let (code, report, _) = probe_json(&server.url("/me"), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(report["verdict"], "inconclusive");
    assert_eq!(report["inconclusive"], "no-token-accepted");
    assert!(
        report["reason"]
            .as_str()
            .unwrap()
            .contains("answers success without any token")
    );
    assert_eq!(report["accepted"], Value::Array(Vec::new()));
}

#[test]
fn a_damaged_lab_progress_file_is_reported_once() {
    let ws = tempfile::tempdir().unwrap();
    let lab = tempfile::tempdir().unwrap();
    let file = lab.path().join("progress.json");
    std::fs::write(&file, "not json").unwrap();
    let out = apiward()
        .env("NO_COLOR", "1")
        .args(["learn", "list", "--workspace"])
        .arg(ws.path())
        .arg("--lab-dir")
        .arg(lab.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "apiward: {} is not a lab progress file (expected ident at line 1 column 2); \
             move it away to start afresh\n",
            file.display()
        )
    );
}

#[test]
fn a_probe_lists_the_variants_it_could_not_send_and_why() {
    // A server that refuses everything: every variant sent is rejected, so only the list of
    // what was not sent keeps "nothing accepted" honest.
    let server = TestServer::http(vec![Route::new("/me").status(401)]);
    let (_, report, _) = probe_json(&server.url("/me"), &[]);
    let skipped: Vec<(String, String)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["attack"].as_str().unwrap().to_string(),
                s["option"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // The target is on this machine, so the probe hosts the jku JWKS itself: jku is sent.
    let want: Vec<(String, String)> = [
        ("key-confusion", "--key PUB.pem"),
        ("resign", "--secret S"),
        ("claim-exp-past", "--secret S"),
        ("claim-nbf-future", "--secret S"),
        ("claim-aud-foreign", "--secret S"),
        ("claim-iss-foreign", "--secret S"),
        ("claim-exp-missing", "--secret S"),
    ]
    .iter()
    .map(|(a, o)| (a.to_string(), o.to_string()))
    .collect();
    assert_eq!(skipped, want);
    let (_, report, _) = probe_json(&server.url("/me"), &["--secret", "s3cr3t"]);
    let attacks: Vec<&str> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["attack"].as_str().unwrap())
        .collect();
    assert_eq!(attacks, ["key-confusion"]);
    assert!(
        report["variants"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["attack"] == "resign"),
        "with the secret, resign is sent"
    );
    let out = apiward()
        .args([
            "jwt",
            "probe",
            "--url",
            &server.url("/me"),
            "--token",
            &token(),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("not sent") && text.contains("needs the server's public key PEM"),
        "{text}"
    );
}
