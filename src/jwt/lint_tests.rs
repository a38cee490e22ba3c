//! Tests of `lint`: every rule fires on a token crafted for it, and none fires on a clean one.

use super::*;
use crate::jwt::b64::encode;
use crate::jwt::decode::decode;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

const NOW: i64 = 1_700_000_000;
const STRONG: &[u8] = b"\x8a\x1f\x93\x04\xee\x7b\x21\xc5\x6d\x0a\xf2\x48\x99\x3e\xb7\x10\x5c\xd4\x07\x6b\xa3\x81\x2e\xf9\x44\xc0\x1d\x75\xe8\x36\x9b\x52";

fn hs256(header: &Value, payload: &Value, key: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        encode(header.to_string()),
        encode(payload.to_string())
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(input.as_bytes());
    format!("{input}.{}", encode(mac.finalize().into_bytes()))
}

fn raw(header: &str, payload: &str, sig: &[u8]) -> String {
    format!("{}.{}.{}", encode(header), encode(payload), encode(sig))
}

fn clean_header() -> Value {
    json!({"alg": "HS256", "typ": "JWT", "kid": "2024-09-key-1"})
}

fn clean_claims() -> Value {
    json!({"iss": "https://auth.example.com", "sub": "user-42", "aud": "api.example.com",
           "jti": "9b2c1f0e", "iat": NOW - 60, "exp": NOW - 60 + 3600})
}

fn with(base: Value, key: &str, value: Value) -> Value {
    let mut v = base;
    if value.is_null() {
        v.as_object_mut().unwrap().remove(key);
    } else {
        v[key] = value;
    }
    v
}

fn ids(token: &str, opts: &LintOptions) -> Vec<String> {
    let d = decode(token).unwrap_or_else(|e| panic!("{token}: {e}"));
    lint(&d, opts).into_iter().map(|f| f.id).collect()
}

fn opts() -> LintOptions {
    LintOptions {
        known_secret: Some(STRONG.to_vec()),
        ..LintOptions::new(NOW)
    }
}

#[test]
fn a_clean_token_has_no_findings() {
    let t = hs256(&clean_header(), &clean_claims(), STRONG);
    assert_eq!(ids(&t, &opts()), Vec::<String>::new());
    assert_eq!(ids(&t, &LintOptions::new(NOW)), Vec::<String>::new());
}

#[test]
fn every_rule_fires_on_its_crafted_token() {
    let h = clean_header;
    let c = clean_claims;
    let k = STRONG;
    let cases: Vec<(&str, String, LintOptions)> = vec![
        (
            "alg-none",
            raw(r#"{"alg":"nOnE","typ":"JWT"}"#, &c().to_string(), b""),
            opts(),
        ),
        (
            "alg-missing",
            hs256(&with(h(), "alg", Value::Null), &c(), k),
            opts(),
        ),
        (
            "signature-empty",
            format!("{}.", hs256(&h(), &c(), k).rsplit_once('.').unwrap().0),
            opts(),
        ),
        (
            "signature-zero-ecdsa",
            raw(r#"{"alg":"ES256","typ":"JWT"}"#, &c().to_string(), &[0; 64]),
            opts(),
        ),
        (
            "weak-secret",
            hs256(&h(), &c(), b"your-256-bit-secret"),
            LintOptions::new(NOW),
        ),
        (
            "short-secret",
            hs256(&h(), &c(), b"0123456789"),
            LintOptions {
                known_secret: Some(b"0123456789".to_vec()),
                ..opts()
            },
        ),
        (
            "exp-missing",
            hs256(&h(), &with(c(), "exp", Value::Null), k),
            opts(),
        ),
        (
            "expired",
            hs256(&h(), &with(c(), "exp", json!(NOW - 10)), k),
            opts(),
        ),
        (
            "lifetime-long",
            hs256(&h(), &with(c(), "exp", json!(NOW + 7 * 86_400)), k),
            opts(),
        ),
        (
            "nbf-future",
            hs256(&h(), &with(c(), "nbf", json!(NOW + 600)), k),
            opts(),
        ),
        (
            "iat-future",
            hs256(&h(), &with(c(), "iat", json!(NOW + 600)), k),
            opts(),
        ),
        (
            "iss-missing",
            hs256(&h(), &with(c(), "iss", Value::Null), k),
            opts(),
        ),
        (
            "aud-missing",
            hs256(&h(), &with(c(), "aud", Value::Null), k),
            opts(),
        ),
        (
            "jti-missing",
            hs256(&h(), &with(c(), "jti", Value::Null), k),
            opts(),
        ),
        (
            "typ-missing",
            hs256(&with(h(), "typ", Value::Null), &c(), k),
            opts(),
        ),
        (
            "jku-present",
            hs256(
                &with(h(), "jku", json!("https://evil.example/jwks.json")),
                &c(),
                k,
            ),
            opts(),
        ),
        (
            "x5u-present",
            hs256(
                &with(h(), "x5u", json!("https://evil.example/cert.pem")),
                &c(),
                k,
            ),
            opts(),
        ),
        (
            "jwk-embedded",
            hs256(&with(h(), "jwk", json!({"kty":"oct","k":"AA"})), &c(), k),
            opts(),
        ),
        (
            "x5c-present",
            hs256(&with(h(), "x5c", json!(["MIIB"])), &c(), k),
            opts(),
        ),
        (
            "kid-injection",
            hs256(&with(h(), "kid", json!("../../../../dev/null")), &c(), k),
            opts(),
        ),
        (
            "kid-injection",
            hs256(&with(h(), "kid", json!("x' UNION SELECT 'key")), &c(), k),
            opts(),
        ),
        (
            "kid-injection",
            hs256(&with(h(), "kid", json!("key|whoami")), &c(), k),
            opts(),
        ),
        (
            "crit-present",
            hs256(&with(h(), "crit", json!(["b64"])), &c(), k),
            opts(),
        ),
        (
            "zip-in-jws",
            hs256(&with(h(), "zip", json!("DEF")), &c(), k),
            opts(),
        ),
        (
            "duplicate-claims",
            raw(
                r#"{"alg":"HS256","typ":"JWT","alg":"none"}"#,
                &c().to_string(),
                b"s",
            ),
            opts(),
        ),
        (
            "duplicate-claims",
            raw(&h().to_string(), r#"{"role":"user","role":"admin"}"#, b"s"),
            opts(),
        ),
        (
            "sensitive-claim",
            hs256(&h(), &with(c(), "password", json!("hunter2")), k),
            opts(),
        ),
        (
            "sensitive-claim",
            hs256(
                &h(),
                &with(c(), "gh", json!("ghp_0123456789abcdefghijABCDEFGHIJ012345")),
                k,
            ),
            opts(),
        ),
        (
            "sensitive-claim",
            hs256(&h(), &with(c(), "email", json!("alice@example.com")), k),
            opts(),
        ),
        (
            "base64-noncanonical",
            hs256(&h(), &c(), k).replacen('.', "=.", 1),
            opts(),
        ),
        (
            "alg-unsupported",
            raw(
                r#"{"alg":"ML-DSA-65","typ":"JWT"}"#,
                &c().to_string(),
                b"sig",
            ),
            opts(),
        ),
        (
            "jwe",
            format!(
                "{}..aXY.Y3Q.dGFn",
                encode(r#"{"alg":"dir","enc":"A256GCM"}"#)
            ),
            opts(),
        ),
    ];
    for (id, token, o) in &cases {
        let got = ids(token, o);
        assert!(
            got.iter().any(|g| g == id),
            "{id} not in {got:?} for {token}"
        );
    }
    for id in LINT_IDS {
        assert!(
            cases.iter().any(|(c, _, _)| *c == id),
            "no test case for {id}"
        );
    }
}

#[test]
fn findings_cite_rfc_8725_and_owasp_and_sort_worst_first() {
    let t = raw(r#"{"alg":"none"}"#, r#"{"sub":"a"}"#, b"");
    let d = decode(&t).unwrap();
    let found = lint(&d, &LintOptions::new(NOW));
    assert_eq!(found[0].id, "alg-none");
    assert_eq!(found[0].severity, Severity::Critical);
    for r in RULES {
        let f = super::super::rules::finding(r.id, "e");
        assert!(
            f.refs
                .iter()
                .any(|x| x.url.contains("0xa2-broken-authentication")),
            "{}",
            r.id
        );
        assert!(f.refs.iter().any(|x| x.url.contains("rfc")), "{}", r.id);
        assert!(!f.why.is_empty() && !f.fix.is_empty());
    }
    assert!(
        RULES
            .iter()
            .filter(|r| r.refs.iter().any(|x| x.1.contains("rfc8725")))
            .count()
            > 15
    );
}

#[test]
fn weak_secret_evidence_shows_the_secret_and_email_is_only_medium() {
    let t = hs256(
        &clean_header(),
        &with(clean_claims(), "email", json!("a@b.io")),
        b"secret",
    );
    let found = lint(&decode(&t).unwrap(), &LintOptions::new(NOW));
    let weak = found.iter().find(|f| f.id == "weak-secret").unwrap();
    assert!(weak.evidence.contains("\"secret\""), "{}", weak.evidence);
    let pii = found.iter().find(|f| f.id == "sensitive-claim").unwrap();
    assert_eq!(pii.severity, Severity::Medium);
}

#[test]
fn non_json_payloads_skip_claim_checks() {
    let t = raw(
        r#"{"alg":"EdDSA","typ":"JWT"}"#,
        "Example of Ed25519 signing",
        &[1; 64],
    );
    assert_eq!(ids(&t, &opts()), Vec::<String>::new());
}
