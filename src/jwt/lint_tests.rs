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
            hs256(
                &with(h(), "typ", json!("at+jwt")),
                &with(c(), "jti", Value::Null),
                k,
            ),
            opts(),
        ),
        (
            "signature-length",
            raw(r#"{"alg":"RS256","typ":"JWT"}"#, &c().to_string(), &[7; 14]),
            opts(),
        ),
        (
            "typ-not-at-jwt",
            hs256(&h(), &with(c(), "scope", json!("read")), k),
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
            "iss-not-https",
            hs256(
                &h(),
                &with(
                    with(c(), "nonce", json!("n")),
                    "iss",
                    json!("http://idp.test"),
                ),
                k,
            ),
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

fn evidence(token: &str, id: &str) -> Option<String> {
    let d = decode(token).unwrap();
    lint(&d, &opts())
        .into_iter()
        .find(|f| f.id == id)
        .map(|f| f.evidence)
}

#[test]
fn jti_is_asked_of_access_tokens_only_and_profiles_are_detected() {
    let k = STRONG;
    let no_jti = with(clean_claims(), "jti", Value::Null);
    let id_token = with(no_jti.clone(), "nonce", json!("n-0S6"));
    let access = with(no_jti.clone(), "client_id", json!("s6Bh"));
    let typed = hs256(&with(clean_header(), "typ", json!("at+jwt")), &no_jti, k);
    for (token, want, jti) in [
        (
            hs256(&clean_header(), &id_token, k),
            Profile::IdToken,
            false,
        ),
        (
            hs256(&clean_header(), &access, k),
            Profile::AccessToken,
            true,
        ),
        (typed, Profile::AccessToken, true),
        (hs256(&clean_header(), &no_jti, k), Profile::Other, false),
    ] {
        let d = decode(&token).unwrap();
        assert_eq!(profile(&d), want);
        assert_eq!(
            ids(&token, &opts()).contains(&"jti-missing".into()),
            jti,
            "{want:?}"
        );
    }
    // typ JWT on an access token is named; at+jwt is not.
    let e = evidence(&hs256(&clean_header(), &access, k), "typ-not-at-jwt").unwrap();
    assert!(e.contains("typ \"JWT\""), "{e}");
    let at = hs256(&with(clean_header(), "typ", json!("at+jwt")), &access, k);
    assert_eq!(evidence(&at, "typ-not-at-jwt"), None);
}

#[test]
fn a_truncated_signature_is_named_with_its_length() {
    let claims = clean_claims().to_string();
    let e = evidence(
        &raw(r#"{"alg":"RS256","typ":"JWT"}"#, &claims, &[7; 14]),
        "signature-length",
    )
    .unwrap();
    assert_eq!(
        e,
        "the RS256 signature is 14 bytes; RS256 signatures are as long as the RSA modulus, at least 256 bytes"
    );
    let t = raw(r#"{"alg":"ES512","typ":"JWT"}"#, &claims, &[7; 64]);
    assert!(
        evidence(&t, "signature-length")
            .unwrap()
            .contains("ES512 signatures are 132 bytes")
    );
    for (alg, len) in [
        ("RS256", 256),
        ("RS512", 512),
        ("ES512", 132),
        ("EdDSA", 64),
        ("HS384", 48),
    ] {
        let t = raw(
            &format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#),
            &claims,
            &vec![7; len],
        );
        assert_eq!(evidence(&t, "signature-length"), None, "{alg} {len}");
    }
}

#[test]
fn kid_injection_shapes_are_flagged_and_plain_ids_are_not() {
    for kid in [
        "1 UNION SELECT 'secret'",
        "x' OR '1'='1",
        "k; DROP TABLE keys",
        "$(curl evil.example)",
        "key`id`",
        "..%2f..%2fetc%2fpasswd",
        "/etc/passwd",
        "file:///dev/null",
        "https://evil.example/key.pem",
    ] {
        let t = hs256(
            &with(clean_header(), "kid", json!(kid)),
            &clean_claims(),
            STRONG,
        );
        assert!(evidence(&t, "kid-injection").is_some(), "{kid}");
    }
    for kid in [
        "2024-09-key-1",
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
        "1e9gdk7",
        "union-key",
    ] {
        let t = hs256(
            &with(clean_header(), "kid", json!(kid)),
            &clean_claims(),
            STRONG,
        );
        assert_eq!(evidence(&t, "kid-injection"), None, "{kid}");
    }
}

#[test]
fn lifetime_evidence_is_exact_to_the_minute() {
    let claims = with(clean_claims(), "exp", json!(NOW - 60 + 24 * 3600 + 300));
    let e = evidence(&hs256(&clean_header(), &claims, STRONG), "lifetime-long").unwrap();
    assert_eq!(e, "exp is 24 h 05 min after iat; the policy allows 24 h");
    assert_eq!(exact_duration(15 * 60), "15 min");
    assert_eq!(exact_duration(3630), "1 h 00 min 30 s");
}

#[test]
fn every_rule_cites_its_source_in_its_why() {
    for r in RULES {
        assert!(
            ["RFC ", "OIDC Core", "CVE-"]
                .iter()
                .any(|s| r.why.contains(s)),
            "{}: {}",
            r.id,
            r.why
        );
    }
}

#[test]
fn public_sample_tokens_give_exactly_the_findings_a_reviewer_expects() {
    let doc: Value =
        serde_json::from_str(include_str!("../../tests/data/jwt_public_tokens.json")).unwrap();
    let now = doc["now"].as_i64().unwrap();
    for t in doc["tokens"].as_array().unwrap() {
        let token = t["token"].as_str().unwrap();
        let mut got = ids(token, &LintOptions::new(now));
        let mut want: Vec<String> = serde_json::from_value(t["expected"].clone()).unwrap();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{} ({})", t["name"], t["source"]);
    }
}
