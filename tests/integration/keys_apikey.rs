//! `apiward apikey …` end to end: issue, check offline, verify, rotate with overlap, revoke.

use predicates::prelude::*;
use serde_json::Value;

use crate::keys_cli::{T0, init, keys, run_ok};

#[test]
fn api_keys_from_issue_to_revocation() {
    let ws = tempfile::tempdir().unwrap();
    let ws = ws.path();
    init(ws);
    let now = T0.to_string();
    let issued: Value = serde_json::from_str(&run_ok(keys(ws).args([
        "apikey",
        "new",
        "--prefix",
        "acme",
        "--scope",
        "read",
        "--scope",
        "write",
        "--expires",
        "30d",
        "--json",
        "--now",
        &now,
    ])))
    .unwrap();
    let key = issued["key"].as_str().unwrap().to_string();
    let id = issued["record"]["id"].as_str().unwrap().to_string();
    assert!(key.starts_with("acme_") && key.len() == 41, "{key}");

    // Offline check: no keyring, no passphrase needed.
    let elsewhere = tempfile::tempdir().unwrap();
    keys(elsewhere.path())
        .env_remove("APIWARD_PASSPHRASE")
        .args(["apikey", "check", &key])
        .assert()
        .success();
    let mut typo = key.clone();
    let last = typo.pop().unwrap();
    typo.push(if last == 'a' { 'b' } else { 'a' });
    keys(ws)
        .args(["apikey", "check", &typo])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("checksum"));
    keys(ws).args(["apikey", "verify", &typo]).assert().code(1);

    keys(ws)
        .args(["apikey", "verify", "-", "--now", &now])
        .write_stdin(key.clone())
        .assert()
        .success()
        .stdout(predicate::str::contains("read, write"));
    let expired = (T0 + 31 * 86_400).to_string();
    keys(ws)
        .args(["apikey", "verify", &key, "--now", &expired])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("expired"));

    // Rotation: both work during the overlap, then only the new one.
    let out = run_ok(keys(ws).args(["apikey", "rotate", &id, "--overlap", "1h", "--now", &now]));
    let new_key = out.trim().to_string();
    assert_ne!(new_key, key);
    let during = (T0 + 1_800).to_string();
    let after = (T0 + 3_700).to_string();
    keys(ws)
        .args(["apikey", "verify", &key, "--now", &during])
        .assert()
        .success();
    keys(ws)
        .args(["apikey", "verify", &key, "--now", &after])
        .assert()
        .code(1);
    keys(ws)
        .args(["apikey", "verify", &new_key, "--now", &after])
        .assert()
        .success();

    // The list never shows a key, only its last four characters.
    let list = run_ok(keys(ws).args(["apikey", "list", "--now", &after]));
    assert!(
        !list.contains(&key[5..]) && !list.contains(&new_key[5..]),
        "{list}"
    );
    assert!(list.contains(&new_key[new_key.len() - 4..]), "{list}");

    let new_id = list
        .lines()
        .find(|l| l.contains("valid "))
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    run_ok(keys(ws).args(["apikey", "revoke", &new_id]));
    keys(ws)
        .args(["apikey", "verify", &new_key, "--now", &after])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("revoked"));
    keys(ws).args(["apikey", "revoke", "nope"]).assert().code(2);
    keys(ws)
        .args(["apikey", "new", "--prefix", "bad_prefix"])
        .assert()
        .code(2);
}
