//! Hostile input, end to end and as property tests: the regressions each found panic left
//! behind, then one proptest target per parser, fed arbitrary bytes and mutated valid input.
//! Each target runs a few hundred cases in a normal `cargo test`; `APIWARD_FUZZ_SECS=N` runs
//! each for N seconds with fresh seeds (docs/reliability.md, "Fuzzing").

use std::path::Path;
use std::process::Output;

use serde_json::json;

use crate::cli_basics::apiward;

fn run(home: &Path, args: &[&str]) -> Output {
    apiward(home).args(args).output().unwrap()
}

/// Bad input is exit 2 with one sentence on stderr, never a panic (exit 101).
fn assert_refused(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(needle), "missing {needle:?} in {stderr}");
}

#[test]
fn regression_curl_import_of_a_dash_and_a_non_ascii_char() {
    let home = tempfile::tempdir().unwrap();
    let out = run(
        home.path(),
        &["import", "curl", "curl http://127.0.0.1/ -é"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("unknown flag -é"), "{stderr}");
}

#[test]
fn regression_jwt_verify_with_a_short_ed25519_jwk() {
    let home = tempfile::tempdir().unwrap();
    let jwk = home.path().join("ed.jwk");
    let jwks = home.path().join("ed.jwks");
    let key = json!({"kty": "OKP", "crv": "Ed25519", "x": "AQID"});
    std::fs::write(&jwk, key.to_string()).unwrap();
    std::fs::write(&jwks, json!({ "keys": [key] }).to_string()).unwrap();
    let token = format!("eyJhbGciOiJFZERTQSJ9.e30.{}", "A".repeat(86));
    for flag in ["--jwk", "--jwks"] {
        let path = if flag == "--jwk" { &jwk } else { &jwks };
        let out = run(
            home.path(),
            &["jwt", "verify", flag, path.to_str().unwrap(), &token],
        );
        assert_refused(&out, "must be 32 bytes for Ed25519, not 3");
    }
}

#[test]
fn regression_a_method_too_long_is_refused_and_old_history_still_lists() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let ws_arg = ws.to_str().unwrap();
    let long = "A".repeat(70_000);
    // Refused before anything is sent; nothing answers on port 9 anyway.
    let out = run(
        home.path(),
        &["--workspace", ws_arg, "send", &long, "http://127.0.0.1:9/"],
    );
    assert_refused(&out, "70000 characters long");

    // A history written before the limit still lists: its width once overflowed `format!`.
    std::fs::create_dir_all(&ws).unwrap();
    let entry = json!({
        "at": 1_700_000_000,
        "request": {"name": "", "method": long, "url": "http://127.0.0.1:9/", "query": [],
            "headers": [], "auth": {"type": "none"}, "body": {"type": "none"},
            "options": {"timeout_ms": 30000, "follow_redirects": false, "max_redirects": 10,
                "verify_tls": true, "ca_file": null, "client_cert": null, "client_key": null,
                "http_version": "auto", "proxy": null, "max_body": 67_108_864}},
        "method": long, "url": "http://127.0.0.1:9/", "status": 200, "error": null,
        "total_ms": 1.0, "size": 0, "truncated": false
    });
    std::fs::write(ws.join("history.jsonl"), format!("{entry}\n")).unwrap();
    for args in [vec!["history", "list"], vec!["history", "search", "AAA"]] {
        let out = run(home.path(), &[&["--workspace", ws_arg][..], &args].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("AAAA"));
    }
}
