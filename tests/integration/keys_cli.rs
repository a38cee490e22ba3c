//! `apiward keys …` and `apiward jwt sign --keyring` end to end, on a keyring in a temp
//! workspace, with a fixed `--now` so plans are reproducible.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};

use crate::harness::{Route, TestServer};

pub const PASS: &str = "correct horse battery staple";
pub const T0: i64 = 1_700_000_000;

/// The binary with a workspace, the passphrase and `--now` set.
pub fn keys(ws: &Path) -> Command {
    let mut cmd = Command::cargo_bin("apiward").unwrap();
    cmd.env("APIWARD_PASSPHRASE", PASS)
        .env_remove("NO_COLOR")
        .arg("--workspace")
        .arg(ws);
    cmd
}

pub fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn at(now: i64) -> [String; 2] {
    ["--now".into(), now.to_string()]
}

pub fn init(ws: &Path) {
    run_ok(keys(ws).args([
        "keys",
        "init",
        "--max-token-lifetime",
        "1h",
        "--jwks-cache-ttl",
        "1h",
    ]));
}

fn gen_key(ws: &Path, alg: &str, now: i64) -> String {
    let out = run_ok(keys(ws).args(["keys", "gen", "--alg", alg]).args(at(now)));
    out.split_whitespace().next().unwrap().to_string()
}

#[test]
fn generate_publish_sign_and_verify_then_rotate() {
    let ws = tempfile::tempdir().unwrap();
    let ws = ws.path();
    init(ws);
    let a = gen_key(ws, "ES256", T0);
    run_ok(keys(ws).args(["keys", "promote", &a]).args(at(T0)));
    let jwks_path = ws.join("published.json");
    std::fs::write(&jwks_path, run_ok(keys(ws).args(["keys", "jwks"]))).unwrap();

    let token = run_ok(
        keys(ws)
            .args([
                "jwt",
                "sign",
                "--keyring",
                "--claims",
                r#"{"sub":"a"}"#,
                "--set",
                "exp=+1h",
            ])
            .args(at(T0)),
    );
    let token = token.trim();
    let header: Value = serde_json::from_slice(
        &apiward::jwt::b64::decode_lenient(token.split('.').next().unwrap())
            .unwrap()
            .bytes,
    )
    .unwrap();
    assert_eq!(header["kid"], Value::from(a.clone()));
    assert_eq!(header["alg"], "ES256");
    keys(ws)
        .args(["jwt", "verify", token, "--jwks"])
        .arg(&jwks_path)
        .args(at(T0 + 60))
        .assert()
        .success();
    keys(ws)
        .args([
            "jwt",
            "sign",
            "--keyring",
            "--alg",
            "HS256",
            "--claims",
            "{}",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exactly one algorithm"));

    // A second key cannot sign before verifiers' caches have it.
    let b = gen_key(ws, "EdDSA", T0 + 100);
    keys(ws)
        .args(["keys", "promote", &b])
        .args(at(T0 + 200))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("not safe until").and(predicate::str::contains("--force")),
        );
    let plan: Value = serde_json::from_str(&run_ok(
        keys(ws).args(["keys", "plan", "--json"]).args(at(T0 + 200)),
    ))
    .unwrap();
    assert_eq!(plan["steps"][0]["kind"], "promote");
    assert_eq!(plan["steps"][0]["safe_at"], T0 + 100 + 3_600);
    keys(ws)
        .args(["keys", "promote", &b, "--force"])
        .args(at(T0 + 200))
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: forced"));
    let list: Value = serde_json::from_str(&run_ok(
        keys(ws).args(["keys", "list", "--json"]).args(at(T0 + 300)),
    ))
    .unwrap();
    let states: Vec<_> = list["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["kid"].as_str().unwrap().to_string(),
                k["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [(a.clone(), "retiring".into()), (b.clone(), "active".into())]
    );

    // Rotation waits for the retiring key's tokens, then removes it.
    let out = run_ok(keys(ws).args(["keys", "rotate"]).args(at(T0 + 300)));
    assert!(out.contains("waiting: remove"), "{out}");
    let out = run_ok(keys(ws).args(["keys", "rotate"]).args(at(T0 + 200 + 7_260)));
    assert!(out.contains(&format!("{a} is retired")), "{out}");
    let jwks: Value = serde_json::from_str(&run_ok(keys(ws).args(["keys", "jwks"]))).unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);
    keys(ws)
        .args(["jwt", "verify", token, "--jwks", "-"])
        .write_stdin(jwks.to_string())
        .args(at(T0 + 60))
        .assert()
        .code(predicate::ne(0));
    keys(ws)
        .args(["keys", "revoke", &b, "--reason", ""])
        .assert()
        .code(2);
    run_ok(keys(ws).args(["keys", "revoke", &b, "--reason", "leaked"]));
}

#[test]
fn wrong_passphrase_and_damaged_files_exit_2_and_stay_unchanged() {
    let ws = tempfile::tempdir().unwrap();
    let ws = ws.path();
    keys(ws)
        .args(["keys", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("keys init"));
    init(ws);
    gen_key(ws, "EdDSA", T0);
    keys(ws)
        .args(["keys", "init"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    let path = ws.join("keyring.age");
    let before = std::fs::read(&path).unwrap();
    keys(ws)
        .env("APIWARD_PASSPHRASE", "wrong")
        .args(["keys", "gen", "--alg", "ES256"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("passphrase does not open")
                .and(predicate::str::contains("left as it is")),
        );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let mut damaged = before.clone();
    let mid = damaged.len() / 2 + 20;
    damaged[mid] ^= 1;
    for bad in [damaged, b"{\"keys\": []}".to_vec()] {
        std::fs::write(&path, &bad).unwrap();
        let out = keys(ws)
            .args(["keys", "gen", "--alg", "ES256"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "one clear sentence: {err}");
        assert_eq!(std::fs::read(&path).unwrap(), bad, "never overwritten");
    }
}

#[test]
fn exports_imports_and_no_plain_text_in_the_workspace() {
    let ws_dir = tempfile::tempdir().unwrap();
    let ws = ws_dir.path();
    let outside = tempfile::tempdir().unwrap();
    init(ws);
    let ec = gen_key(ws, "ES256", T0);
    let hs = gen_key(ws, "HS512", T0);
    let private = outside.path().join("ec.pem");
    keys(ws)
        .args(["keys", "export", &ec, "--private", "--out"])
        .arg(&private)
        .assert()
        .success()
        .stderr(predicate::str::contains("PRIVATE key"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&private).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    keys(ws)
        .args(["keys", "export", &ec, "--private"])
        .assert()
        .code(2);
    let hs_secret = outside.path().join("hs.jwk");
    run_ok(
        keys(ws)
            .args(["keys", "export", &hs, "--private", "--out"])
            .arg(&hs_secret),
    );
    let pem = std::fs::read_to_string(&private).unwrap();
    let public_pem = run_ok(keys(ws).args(["keys", "export", &ec]));
    assert!(public_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    let jwk: Value =
        serde_json::from_str(&run_ok(keys(ws).args(["keys", "export", &ec, "--jwk"]))).unwrap();
    assert_eq!(jwk["kid"], Value::from(ec.clone()));
    assert!(jwk.get("d").is_none());
    keys(ws).args(["keys", "export", &hs]).assert().code(2);

    // The thumbprint of the exported JWK is its kid.
    let tp = run_ok(
        keys(ws)
            .args(["keys", "thumbprint", "-"])
            .write_stdin(jwk.to_string()),
    );
    assert_eq!(tp.trim(), ec);

    // Every file in the workspace is ciphertext: no PEM body line, no secret.
    let secret: Value =
        serde_json::from_str(&std::fs::read_to_string(&hs_secret).unwrap()).unwrap();
    let secret = secret["k"].as_str().unwrap().to_string();
    let needles: Vec<String> = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::to_string)
        .chain([secret, "PRIVATE KEY".into()])
        .collect();
    for entry in walk(ws) {
        let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).into_owned();
        for needle in &needles {
            assert!(
                !text.contains(needle.as_str()),
                "{} holds key material",
                entry.display()
            );
        }
    }

    // Importing into another keyring gives the same kid.
    let ws2 = tempfile::tempdir().unwrap();
    init(ws2.path());
    let out = run_ok(keys(ws2.path()).args(["keys", "import"]).arg(&private));
    assert!(out.starts_with(&ec), "{out}");
    let out = run_ok(
        keys(ws2.path())
            .args(["keys", "import", "--kid", "hs-1"])
            .arg(&hs_secret),
    );
    assert!(out.contains("hs-1 (HS512)"), "{out}");
    keys(ws2.path())
        .args(["keys", "import"])
        .arg(&private)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already"));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn jwks_check_reports_hygiene_and_drift() {
    let ws = tempfile::tempdir().unwrap();
    let ws = ws.path();
    init(ws);
    let a = gen_key(ws, "ES256", T0);
    run_ok(keys(ws).args(["keys", "promote", &a]));
    let weak_n = apiward::jwt::b64::encode([0xC5u8; 128]);
    let bad = json!({"keys": [
        {"kty": "oct", "k": "c2VjcmV0", "kid": "x", "alg": "HS256", "use": "sig"},
        {"kty": "RSA", "n": weak_n, "e": "AQAB", "kid": "x"},
        {"kty": "OKP", "crv": "Ed25519", "x": "abc", "alg": "EdDSA", "use": "sig"}
    ]});
    let file = ws.join("bad.json");
    std::fs::write(&file, bad.to_string()).unwrap();
    let out = keys(ws)
        .args(["keys", "jwks", "--json", "--fail-on", "high", "--check"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    for id in [
        "jwks-private-members",
        "jwks-duplicate-kid",
        "jwks-missing-kid",
        "jwks-missing-alg",
        "jwks-missing-use",
        "jwks-weak-rsa",
        "jwks-active-unpublished",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert_eq!(ids[0], "jwks-private-members", "critical first");

    // The keyring's own JWKS, served over plain HTTP: only the transport is wrong.
    let published = run_ok(keys(ws).args(["keys", "jwks"]));
    let server = TestServer::http(vec![
        Route::new("/jwks.json")
            .header("content-type", "application/json")
            .body(published),
    ]);
    let out = run_ok(keys(ws).args(["keys", "jwks", "--check", &server.url("/jwks.json")]));
    assert!(out.contains("jwks-over-http"), "{out}");
    assert!(out.contains("1 findings"), "{out}");
    keys(ws)
        .args(["keys", "jwks", "--check", "/nonexistent.json"])
        .assert()
        .code(2);
}

#[test]
fn thumbprint_of_the_rfc7638_example() {
    let jwk = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;
    let ws = tempfile::tempdir().unwrap();
    keys(ws.path())
        .args(["keys", "thumbprint", "-"])
        .write_stdin(jwk)
        .assert()
        .success()
        .stdout("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs\n");
    keys(ws.path())
        .args(["keys", "thumbprint", "-"])
        .write_stdin("{}")
        .assert()
        .code(2);
}
