//! `apiward jwt …` end to end: published vectors, round trips, exit codes, and probing real
//! local servers, one lenient and one strict.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

use crate::harness::{Route, TestServer};
use apiward::jwt::{self, KeyMaterial, VerifyOptions};

/// RFC 7515 appendix A.1: an HS256 JWS and its key.
const RFC7515_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC7515_JWK: &str = r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#;
const WEAK_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

fn apiward() -> Command {
    let mut cmd = Command::cargo_bin("apiward").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

fn json_out(cmd: &mut Command) -> Value {
    let out = cmd.output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn sign_hs256(secret: &str, claims: &str) -> String {
    let out = apiward()
        .args([
            "jwt", "sign", "--alg", "HS256", "--secret", secret, "--claims", claims,
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

#[test]
fn decode_json_has_the_documented_fields() {
    let v =
        json_out(apiward().args(["jwt", "decode", WEAK_TOKEN, "--json", "--now", "1516239022"]));
    assert_eq!(v["kind"], "jws");
    assert_eq!(v["header"]["alg"], "HS256");
    assert_eq!(v["payload"]["name"], "John Doe");
    assert_eq!(
        v["signature"],
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    );
    let iat = v["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "iat")
        .unwrap();
    assert_eq!(iat["date"], "2018-01-18 01:30:22 UTC");
}

#[test]
fn decode_reads_stdin_and_files_and_rejects_garbage() {
    apiward()
        .args(["jwt", "decode", "-"])
        .write_stdin(format!("Bearer {WEAK_TOKEN}\n"))
        .assert()
        .success()
        .stdout(predicate::str::contains("John Doe"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.jwt");
    std::fs::write(&file, WEAK_TOKEN).unwrap();
    apiward()
        .args(["jwt", "decode", &format!("@{}", file.display())])
        .assert()
        .success();
    apiward()
        .args(["jwt", "decode", "eyJhbGciOiJIUzI1NiJ9.%%%.sig"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("segment 2 is not valid base64url"));
    apiward()
        .args(["jwt", "decode", "@/nonexistent/token"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "apiward: cannot read the token",
        ));
}

#[test]
fn rfc7515_example_verifies_with_its_jwk_at_its_time() {
    let dir = tempfile::tempdir().unwrap();
    let jwk = dir.path().join("key.jwk");
    std::fs::write(&jwk, RFC7515_JWK).unwrap();
    let jwk = jwk.to_str().unwrap();
    apiward()
        .args([
            "jwt",
            "verify",
            RFC7515_TOKEN,
            "--jwk",
            jwk,
            "--now",
            "1300819000",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("valid"));
    apiward()
        .args([
            "jwt",
            "verify",
            RFC7515_TOKEN,
            "--jwk",
            jwk,
            "--now",
            "1400000000",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("exp"));
    apiward()
        .args([
            "jwt",
            "verify",
            RFC7515_TOKEN,
            "--secret",
            "wrong",
            "--now",
            "1300819000",
        ])
        .assert()
        .code(1);
}

#[test]
fn sign_then_verify_round_trip_with_claim_checks() {
    let token = sign_hs256(
        "a-long-random-secret-of-32-bytes!!",
        r#"{"sub":"alice","iss":"me","aud":"api"}"#,
    );
    let verify = |extra: &[&str]| {
        let mut cmd = apiward();
        cmd.args([
            "jwt",
            "verify",
            &token,
            "--secret",
            "a-long-random-secret-of-32-bytes!!",
        ])
        .args(extra);
        cmd.output().unwrap().status.code()
    };
    assert_eq!(verify(&["--iss", "me", "--aud", "api"]), Some(0));
    assert_eq!(verify(&["--iss", "someone-else"]), Some(1));
    assert_eq!(
        verify(&["--alg", "RS256"]),
        Some(1),
        "the allowlist refuses HS256"
    );

    let expiring = {
        let out = apiward()
            .args([
                "jwt",
                "sign",
                "--alg",
                "HS256",
                "--secret",
                "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t",
                "--claims",
                "{}",
                "--set",
                "exp=+1h",
                "--now",
                "1000000",
            ])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let v = json_out(apiward().args(["jwt", "decode", &expiring, "--json"]));
    assert_eq!(v["payload"]["exp"], 1_003_600);
}

/// A server on 127.0.0.1 publishing one ES256 key (kid `k1`) at `/.well-known/jwks.json`,
/// and a token `apiward jwt sign` signed with it.
pub(crate) fn served_jwks_and_token() -> (TestServer, String) {
    let pair = jwt::keygen::generate("ES256").unwrap();
    let mut jwk = pair.public_jwk.clone();
    jwk["kid"] = "k1".into();
    let jwks = serde_json::json!({"keys": [jwk]}).to_string();
    let server = TestServer::http(vec![Route::new("/.well-known/jwks.json").body(jwks)]);
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    std::fs::write(&key, &pair.private_pem).unwrap();
    let out = apiward()
        .args(["jwt", "sign", "--alg", "ES256", "--key"])
        .arg(&key)
        .args(["--kid", "k1", "--claims", r#"{"sub":"x"}"#])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    (server, token)
}

#[test]
fn verify_takes_a_jwks_from_a_local_url() {
    let (server, token) = served_jwks_and_token();
    apiward()
        .args([
            "jwt",
            "verify",
            token.trim(),
            "--jwks",
            &server.url("/.well-known/jwks.json"),
        ])
        .assert()
        .success();
    apiward()
        .args([
            "jwt",
            "verify",
            token.trim(),
            "--jwks",
            &server.url("/missing"),
        ])
        .assert()
        // A server that answers an error is a failed check, as a network failure is; 2 is
        // for input apiward cannot use.
        .code(1)
        .stderr(predicate::str::contains("404"));
}

#[test]
fn lint_output_formats_and_fail_on() {
    let v = json_out(apiward().args(["jwt", "lint", WEAK_TOKEN, "--json"]));
    let findings = v["findings"].as_array().unwrap();
    let weak = findings.iter().find(|f| f["id"] == "weak-secret").unwrap();
    for field in ["id", "severity", "title", "evidence", "why", "fix", "refs"] {
        assert!(weak.get(field).is_some(), "missing {field}");
    }
    assert!(
        weak["evidence"]
            .as_str()
            .unwrap()
            .contains("your-256-bit-secret")
    );
    apiward()
        .args(["jwt", "lint", WEAK_TOKEN, "--fail-on", "high"])
        .assert()
        .code(1);
    apiward()
        .args(["jwt", "lint", WEAK_TOKEN])
        .assert()
        .success();

    let clean = sign_hs256(
        "Zr8vQ1t6YpX3m9K2cW7nB4hJ0sD5fG8a",
        r#"{"sub":"alice","iss":"https://issuer","aud":"api","jti":"1","iat":1700000000,"exp":1700003600}"#,
    );
    apiward()
        .args([
            "jwt",
            "lint",
            &clean,
            "--fail-on",
            "medium",
            "--now",
            "1700000100",
        ])
        .assert()
        .success();

    let sarif = json_out(apiward().args(["jwt", "lint", WEAK_TOKEN, "--sarif"]));
    assert_eq!(sarif["version"], "2.1.0");
    assert!(
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["ruleId"] == "weak-secret")
    );
    apiward()
        .args(["jwt", "lint", WEAK_TOKEN, "--fail-on", "severe"])
        .assert()
        .code(2);
}

#[test]
fn crack_finds_a_secret_at_the_end_of_a_wordlist() {
    let secret = "zebra-crossing-at-the-end";
    let token = sign_hs256(secret, r#"{"sub":"x"}"#);
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("words.txt");
    let mut words: String = (0..50_000).map(|i| format!("guess{i}\n")).collect();
    words.push_str(secret);
    words.push('\n');
    std::fs::write(&list, words).unwrap();
    apiward()
        .args([
            "jwt",
            "crack",
            &token,
            "--wordlist",
            list.to_str().unwrap(),
            "--threads",
            "2",
        ])
        .assert()
        .success()
        .stdout(format!("{secret}\n"))
        .stderr(predicate::str::is_empty());
    let absent = sign_hs256("not-in-any-list-at-all-zz", r#"{"sub":"x"}"#);
    apiward()
        .args([
            "jwt",
            "crack",
            &absent,
            "--wordlist",
            list.to_str().unwrap(),
        ])
        .assert()
        .code(1);
    apiward()
        .args(["jwt", "crack", &token, "--wordlist", "/nonexistent"])
        .assert()
        .code(2);
}

#[test]
fn forge_lists_variants_as_json() {
    let v = json_out(apiward().args(["jwt", "forge", WEAK_TOKEN, "--attack", "all", "--json"]));
    let attacks: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["attack"].as_str().unwrap())
        .collect();
    for needed in [
        "alg-none",
        "alg-none-capitalized",
        "alg-none-upper",
        "alg-none-mixed",
        "signature-stripped",
        "empty-secret",
        "psychic-signature",
    ] {
        assert!(
            attacks.contains(&needed),
            "{needed} missing from {attacks:?}"
        );
    }
    let none = v
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["attack"] == "alg-none")
        .unwrap();
    let decoded = jwt::decode(none["token"].as_str().unwrap()).unwrap();
    assert_eq!(decoded.alg.as_deref(), Some("none"));
    assert!(!none["explanation"].as_str().unwrap().is_empty());
    apiward()
        .args(["jwt", "forge", WEAK_TOKEN, "--attack", "teleport"])
        .assert()
        .code(2);
}

/// A server that checks HS256 tokens with `secret`, and (when lenient) also accepts any
/// token whose alg is some spelling of none, as vulnerable libraries have.
fn token_server(secret: &'static str, lenient: bool) -> TestServer {
    TestServer::http(vec![Route::handler("/me", move |req| {
        let Some(token) = req
            .headers
            .get("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
        else {
            return (401, b"no token".to_vec());
        };
        let Ok(decoded) = jwt::decode(token) else {
            return (400, b"bad token".to_vec());
        };
        if lenient
            && decoded
                .alg
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case("none"))
        {
            return (200, b"{\"user\":\"admin\"}".to_vec());
        }
        let options = VerifyOptions {
            allowed_algs: vec!["HS256".into()],
            ..VerifyOptions::new(0)
        };
        match jwt::verify(&decoded, &KeyMaterial::secret_from_text(secret), &options) {
            Ok(v) if v.is_valid() => (200, b"{\"user\":\"alice\"}".to_vec()),
            _ => (401, b"invalid token".to_vec()),
        }
    })])
}

#[test]
fn probe_reports_alg_none_on_a_lenient_server_and_nothing_on_a_strict_one() {
    let secret = "probe-secret-probe-secret-probe-secret";
    let token = sign_hs256(secret, r#"{"sub":"alice"}"#);

    let lenient = token_server(secret, true);
    let out = apiward()
        .args([
            "jwt",
            "probe",
            "--url",
            &lenient.url("/me"),
            "--token",
            &token,
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let accepted: Vec<&str> = report["accepted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(accepted.contains(&"alg-none"), "{accepted:?}");
    assert!(!accepted.contains(&"empty-secret"), "{accepted:?}");
    assert_eq!(report["original"]["status"], 200);
    assert_eq!(report["no_token"]["status"], 401);
    // Exactly one request per variant, plus the original and the no-token baseline.
    let variants = report["variants"].as_array().unwrap().len();
    assert_eq!(lenient.requests().len(), variants + 2);

    let strict = token_server(secret, false);
    apiward()
        .args([
            "jwt",
            "probe",
            "--url",
            &strict.url("/me"),
            "--token",
            &token,
            "--secret",
            "wrong-secret",
        ])
        .assert()
        .success()
        // Re-signed with a wrong secret (so the claim variants cannot be judged), key
        // confusion skipped for want of a key; the jku JWKS is hosted by the probe itself.
        .stdout(predicate::str::contains(
            "None of the 20 variants sent was accepted; 1 were not sent (above). \
             5 could not be judged (above).",
        ));
}

#[test]
fn probe_reports_refused_connections_and_bad_urls() {
    let token = sign_hs256("x-secret-x-secret-x-secret-x-secret", "{}");
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = apiward()
        .args([
            "jwt",
            "probe",
            "--url",
            &format!("http://127.0.0.1:{port}/"),
            "--token",
            &token,
            "--json",
            "--timeout",
            "2",
        ])
        .output()
        .unwrap();
    // Nothing answered, so nothing can be judged: a network failure, not "nothing accepted".
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did not answer"));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["original"]["error"]
            .as_str()
            .unwrap()
            .contains("could not connect")
    );
    apiward()
        .args(["jwt", "probe", "--url", "not a url", "--token", &token])
        .assert()
        .code(2);
    apiward()
        .args([
            "jwt",
            "probe",
            "--url",
            "ftp://127.0.0.1/",
            "--token",
            &token,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an http or https URL"));
}

#[cfg(unix)]
#[test]
fn a_pipe_closed_early_ends_the_output_without_a_panic() {
    use std::io::Read;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("apiward"))
        .args(["jwt", "lint", WEAK_TOKEN])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away before anything is written
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Runs `jwt verify TOKEN ARGS…` and returns its exit code, stdout and stderr.
fn verify_code(token: &str, args: &[&str], ws: Option<&std::path::Path>) -> (i32, String, String) {
    let mut cmd = match ws {
        Some(ws) => crate::keys_cli::keys(ws),
        None => apiward(),
    };
    let out = cmd
        .args(["jwt", "verify", token])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Signs `claims` under `header` with a PEM private key through the library.
fn sign_pem(pem: &str, alg: &str, header: Value, claims: Value) -> String {
    let Value::Object(header) = header else {
        panic!("header")
    };
    jwt::sign(&header, &claims, alg, &jwt::SigningKey::Pem(pem.into())).unwrap()
}

#[test]
fn a_token_that_is_well_formed_but_not_valid_exits_1_on_every_key_path() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    crate::keys_cli::init(ws);
    let generated = crate::keys_cli::run_ok(crate::keys_cli::keys(ws).args([
        "keys",
        "gen",
        "--alg",
        "ES512",
        "--now",
        "1700000000",
    ]));
    let kid = generated.split_whitespace().next().unwrap().to_string();
    crate::keys_cli::run_ok(crate::keys_cli::keys(ws).args([
        "keys",
        "promote",
        &kid,
        "--now",
        "1700000000",
    ]));
    let jwks_text = crate::keys_cli::run_ok(crate::keys_cli::keys(ws).args(["keys", "jwks"]));
    let jwks: Value = serde_json::from_str(&jwks_text).unwrap();
    let jwk = jwks["keys"][0].clone();
    assert_eq!(jwk["crv"], "P-521");
    let jwks_file = ws.join("jwks.json");
    let jwk_file = ws.join("key.jwk");
    let pem_file = ws.join("key.pem");
    std::fs::write(&jwks_file, &jwks_text).unwrap();
    std::fs::write(&jwk_file, jwk.to_string()).unwrap();
    let public_pem =
        crate::keys_cli::run_ok(crate::keys_cli::keys(ws).args(["keys", "export", &kid]));
    std::fs::write(&pem_file, &public_pem).unwrap();
    let server = TestServer::http(vec![Route::new("/jwks.json").body(jwks_text.clone())]);
    let url = server.url("/jwks.json");

    // The real token, signed by the keyring, is valid on every path.
    let good = crate::keys_cli::run_ok(crate::keys_cli::keys(ws).args([
        "jwt",
        "sign",
        "--keyring",
        "--claims",
        r#"{"sub":"alice"}"#,
    ]));
    let good = good.trim();
    let paths: [Vec<&str>; 5] = [
        vec!["--key", pem_file.to_str().unwrap()],
        vec!["--jwk", jwk_file.to_str().unwrap()],
        vec!["--jwks", jwks_file.to_str().unwrap()],
        vec!["--jwks", &url],
        vec!["--keyring"],
    ];
    for args in &paths {
        let (code, out, err) = verify_code(good, args, Some(ws));
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }

    // Forged: the same kid, signed by an attacker's own P-521 key.
    let attacker = jwt::keygen::generate("ES512").unwrap();
    let forged = sign_pem(
        &attacker.private_pem,
        "ES512",
        serde_json::json!({"kid": kid}),
        serde_json::json!({"sub": "admin"}),
    );
    // An unknown kid, an HS256 token against an EC key, crit not understood, alg none.
    let unknown_kid = sign_pem(
        &attacker.private_pem,
        "ES512",
        serde_json::json!({"kid": "nobody"}),
        serde_json::json!({"sub": "admin"}),
    );
    let confused = sign_hs256("x", r#"{"sub":"admin"}"#);
    let alg_none = format!(
        "{}.{}.",
        jwt::b64::encode(format!(r#"{{"alg":"none","kid":"{kid}"}}"#)),
        jwt::b64::encode(r#"{"sub":"admin"}"#)
    );
    for (name, token) in [
        ("forged", forged.as_str()),
        ("unknown kid", unknown_kid.as_str()),
        ("HS256 against an EC key", confused.as_str()),
        ("alg none", alg_none.as_str()),
    ] {
        for args in &paths {
            let (code, out, err) = verify_code(token, args, Some(ws));
            assert_eq!(code, 1, "{name} with {args:?}: {out}{err}");
            assert!(out.starts_with("invalid"), "{name} with {args:?}: {out}");
        }
    }

    // Unusable input is 2: a key file that is not a key, a JWKS that is not JSON.
    let junk = ws.join("junk");
    std::fs::write(&junk, "not a key").unwrap();
    for args in [
        vec!["--key", junk.to_str().unwrap()],
        vec!["--jwk", junk.to_str().unwrap()],
        vec!["--jwks", junk.to_str().unwrap()],
    ] {
        let (code, _, err) = verify_code(good, &args, None);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
    }
}

#[test]
fn crit_and_b64_false_are_refused_with_a_sentence_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let pair = jwt::keygen::generate("ES256").unwrap();
    let jwk_file = dir.path().join("key.jwk");
    std::fs::write(&jwk_file, pair.public_jwk.to_string()).unwrap();
    let jwk = ["--jwk", jwk_file.to_str().unwrap()];
    let claims = serde_json::json!({"sub": "x"});
    let crit = sign_pem(
        &pair.private_pem,
        "ES256",
        serde_json::json!({"crit": ["http://example.com/ext"], "http://example.com/ext": true}),
        claims.clone(),
    );
    let (code, out, _) = verify_code(&crit, &jwk, None);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("signature ok"), "{out}");
    assert!(
        out.contains("FAIL crit: crit names 'http://example.com/ext', an extension apiward does not understand"),
        "{out}"
    );
    let b64 = sign_pem(
        &pair.private_pem,
        "ES256",
        serde_json::json!({"crit": ["b64"], "b64": false}),
        claims.clone(),
    );
    let (code, out, _) = verify_code(&b64, &jwk, None);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAIL b64:") && out.contains("RFC 7797"),
        "{out}"
    );
    let v = json_out(apiward().args(["jwt", "verify", &crit, "--json"]).args(jwk));
    assert_eq!(v["valid"], false);
    assert_eq!(v["checks"][0]["name"], "crit");
}

#[test]
fn es512_and_p384_private_jwks_sign_from_the_cli_and_rfc_vectors_verify_by_every_flag() {
    let dir = tempfile::tempdir().unwrap();
    let doc: Value = serde_json::from_str(include_str!("../data/jws_vectors.json")).unwrap();
    for v in doc["vectors"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let token = v["token"].as_str().unwrap();
        let keys = &v["keys"];
        if v["alg"] == "none" {
            let (code, out, _) = verify_code(token, &["--secret", "x"], None);
            assert_eq!(code, 1, "{name}: {out}");
            continue;
        }
        let jwk = dir.path().join("v.jwk");
        let jwks = dir.path().join("v.jwks");
        std::fs::write(&jwk, keys["jwk"].to_string()).unwrap();
        std::fs::write(
            &jwks,
            serde_json::json!({"keys": [keys["jwk"]]}).to_string(),
        )
        .unwrap();
        let mut flags: Vec<Vec<String>> = vec![
            vec!["--jwk".into(), jwk.display().to_string()],
            vec!["--jwks".into(), jwks.display().to_string()],
        ];
        if let Some(s) = keys["secret_b64"].as_str() {
            flags.push(vec!["--secret-b64".into(), s.into()]);
        }
        if let Some(pem) = keys["public_pem"].as_str() {
            let path = dir.path().join("v.pem");
            std::fs::write(&path, pem).unwrap();
            flags.push(vec!["--key".into(), path.display().to_string()]);
        }
        for f in flags {
            let args: Vec<&str> = f.iter().map(String::as_str).collect();
            // The RFC tokens carry exp values long past; --now puts us before them.
            let mut all = args.clone();
            all.extend(["--now", "0"]);
            let (code, out, err) = verify_code(token, &all, None);
            assert_eq!(code, 0, "{name} with {args:?}: {out}{err}");
        }
    }
    // jwt sign --jwk with private EC JWKs of P-384 and P-521.
    for (alg, crv) in [("ES384", "P-384"), ("ES512", "P-521")] {
        let private = apiward::keys::material::Private::generate(alg, 2048).unwrap();
        let jwk = private.private_jwk().unwrap();
        assert_eq!(jwk["crv"], crv);
        let path = dir.path().join(format!("{alg}.jwk"));
        std::fs::write(&path, jwk.to_string()).unwrap();
        let out = apiward()
            .args(["jwt", "sign", "--alg", alg, "--jwk", path.to_str().unwrap()])
            .args(["--claims", r#"{"sub":"x"}"#])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{alg}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let token = String::from_utf8(out.stdout).unwrap();
        let public = dir.path().join(format!("{alg}.pub.jwk"));
        std::fs::write(&public, private.public_jwk().unwrap().to_string()).unwrap();
        let (code, out, _) = verify_code(token.trim(), &["--jwk", public.to_str().unwrap()], None);
        assert_eq!(code, 0, "{alg}: {out}");
        assert!(
            out.contains(&format!("({alg}, an EC {crv} public key)")),
            "{out}"
        );
    }
}

/// A server whose token check is done by the `jsonwebtoken` crate with `validate_exp` off: a
/// real library in a real misconfiguration.
fn no_exp_check_server(secret: &'static str) -> TestServer {
    TestServer::http(vec![Route::handler("/me", move |req| {
        let Some(token) = req
            .headers
            .get("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
        else {
            return (401, b"no token".to_vec());
        };
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        match jsonwebtoken::decode::<serde_json::Value>(
            token,
            &jsonwebtoken::DecodingKey::from_secret(secret.as_bytes()),
            &validation,
        ) {
            Ok(_) => (200, b"{\"user\":\"alice\"}".to_vec()),
            Err(_) => (401, b"invalid token".to_vec()),
        }
    })])
}

#[test]
fn probe_names_an_expired_token_the_server_still_accepts() {
    let secret = "exp-secret-exp-secret-exp-secret";
    let server = no_exp_check_server(secret);
    let expired = sign_hs256(secret, r#"{"sub":"alice","exp":1000}"#);
    let out = apiward()
        .args([
            "jwt",
            "probe",
            "--url",
            &server.url("/me"),
            "--token",
            &expired,
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "accepted");
    assert_eq!(report["accepted"], serde_json::json!(["exp-not-enforced"]));
    // The same token, unexpired, is no finding.
    let fresh = sign_hs256(secret, r#"{"sub":"alice","exp":9999999999}"#);
    apiward()
        .args([
            "jwt",
            "probe",
            "--url",
            &server.url("/me"),
            "--token",
            &fresh,
        ])
        .assert()
        .success();
}
