//! Tests of verification: RFC vectors, round trips, claim checks and key/alg confusion.

use super::*;
use crate::jwt::decode::decode;
use crate::jwt::decode::tests::RFC7515_A1;
use crate::jwt::keygen::{generate, public_pem};
use crate::jwt::sign::tests::rsa_pair;
use crate::jwt::sign::{SigningKey, sign};
use serde_json::{Map, json};

fn rfc7515_key() -> KeyMaterial {
    KeyMaterial::from_jwk(&json!({"kty": "oct",
        "k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}))
    .unwrap()
}

#[test]
fn rfc7515_a1_hs256_verifies_then_expires() {
    let d = decode(RFC7515_A1).unwrap();
    let v = verify(&d, &rfc7515_key(), &VerifyOptions::new(1_300_819_000)).unwrap();
    assert!(v.signature_valid && v.is_valid(), "{v:?}");
    assert_eq!(v.checks[0].name, "exp");
    assert!(
        v.checks[0].detail.starts_with("expires in 6 min"),
        "{}",
        v.checks[0].detail
    );
    let later = verify(
        &d,
        &rfc7515_key(),
        &VerifyOptions::new(1_300_819_380 + 3600),
    )
    .unwrap();
    assert!(later.signature_valid && !later.is_valid());
    assert!(
        later.checks[0].detail.starts_with("expired 1 h ago"),
        "{:?}",
        later.checks
    );
    let wrong = KeyMaterial::Secret(b"not the key".to_vec());
    assert!(
        !verify(&d, &wrong, &VerifyOptions::new(1_300_819_000))
            .unwrap()
            .signature_valid
    );
}

#[test]
fn rfc8037_a4_ed25519_verifies() {
    let t = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
    let d = decode(t).unwrap();
    assert_eq!(d.payload_format, crate::jwt::PayloadFormat::Text);
    let key = KeyMaterial::from_jwk(&json!({"kty": "OKP", "crv": "Ed25519",
        "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}))
    .unwrap();
    let v = verify(&d, &key, &VerifyOptions::new(0)).unwrap();
    assert!(v.is_valid(), "{v:?}");
    assert!(v.checks.is_empty());
}

#[test]
fn round_trips_with_generated_keys() {
    let now = 1_700_000_000;
    let claims = json!({"sub": "u1", "iat": now, "exp": now + 3600});
    let rsa = rsa_pair().clone();
    let ec = generate("ES256").unwrap();
    let ed = generate("EdDSA").unwrap();
    for (alg, pair) in [
        ("RS256", &rsa),
        ("PS256", &rsa),
        ("ES256", &ec),
        ("EdDSA", &ed),
    ] {
        let t = sign(
            &Map::new(),
            &claims,
            alg,
            &SigningKey::Pem(pair.private_pem.clone()),
        )
        .unwrap();
        let d = decode(&t).unwrap();
        for key in [
            KeyMaterial::from_jwk(&pair.public_jwk).unwrap(),
            KeyMaterial::from_pem(&public_pem(pair).unwrap()).unwrap(),
        ] {
            let v = verify(&d, &key, &VerifyOptions::new(now)).unwrap();
            assert!(v.is_valid(), "{alg}: {v:?}");
        }
        // Tampering with the payload breaks the signature.
        let (h, rest) = t.split_once('.').unwrap();
        let sig = rest.split_once('.').unwrap().1;
        let forged = format!(
            "{h}.{}.{sig}",
            crate::jwt::b64::encode(r#"{"sub":"admin"}"#)
        );
        let key = KeyMaterial::from_jwk(&pair.public_jwk).unwrap();
        assert!(
            !verify(&decode(&forged).unwrap(), &key, &VerifyOptions::new(now))
                .unwrap()
                .signature_valid
        );
    }
}

#[test]
fn an_rsa_key_with_hs256_is_the_confusion_attack_and_fails() {
    let pair = rsa_pair();
    let pem = public_pem(pair).unwrap();
    // The attacker signs HS256 with the public key PEM bytes as the secret.
    let t = sign(
        &Map::new(),
        &json!({"sub": "admin"}),
        "HS256",
        &SigningKey::Secret(pem.clone().into_bytes()),
    )
    .unwrap();
    let key = KeyMaterial::from_pem(&pem).unwrap();
    let e = verify(&decode(&t).unwrap(), &key, &VerifyOptions::new(0)).unwrap_err();
    assert!(matches!(e, JwtError::KeyMismatch(_)), "{e}");
    assert!(e.to_string().contains("algorithm-confusion"), "{e}");
}

#[test]
fn unsupported_algs_and_jwe_are_clear_errors() {
    let key = KeyMaterial::Secret(b"k".to_vec());
    let enc = |s: &str| crate::jwt::b64::encode(s);
    for (alg, want) in [
        ("ES512", "not supported"),
        ("none", "never valid"),
        ("ML-DSA-44", "not supported"),
    ] {
        let t = format!("{}.{}.", enc(&format!(r#"{{"alg":"{alg}"}}"#)), enc("{}"));
        let e = verify(&decode(&t).unwrap(), &key, &VerifyOptions::new(0))
            .unwrap_err()
            .to_string();
        assert!(e.contains(want), "{alg}: {e}");
    }
    let t = format!("{}.e30.", enc("{}"));
    assert_eq!(
        verify(&decode(&t).unwrap(), &key, &VerifyOptions::new(0)).unwrap_err(),
        JwtError::MissingAlg
    );
    let jwe = format!("{}..aXY.Y3Q.dGFn", enc(r#"{"alg":"dir","enc":"A256GCM"}"#));
    assert_eq!(
        verify(&decode(&jwe).unwrap(), &key, &VerifyOptions::new(0)).unwrap_err(),
        JwtError::Jwe
    );
}

#[test]
fn claim_checks_use_leeway_allowlist_iss_and_aud() {
    let key = SigningKey::Secret(b"k".to_vec());
    let claims = json!({"iss": "https://idp", "aud": ["api", "web"], "nbf": 1030, "exp": 2000});
    let d = decode(&sign(&Map::new(), &claims, "HS256", &key).unwrap()).unwrap();
    let km = KeyMaterial::Secret(b"k".to_vec());
    let mut o = VerifyOptions::new(1000);
    o.issuers = vec!["https://idp".into()];
    o.audiences = vec!["web".into()];
    o.allowed_algs = vec!["HS256".into()];
    let v = verify(&d, &km, &o).unwrap();
    assert!(v.is_valid(), "{v:?}");
    let names: Vec<_> = v.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["alg", "exp", "nbf", "iss", "aud"]);
    o.leeway = 10;
    o.issuers = vec!["https://other".into()];
    o.audiences = vec!["admin".into()];
    o.allowed_algs = vec!["RS256".into()];
    let v = verify(&d, &km, &o).unwrap();
    let failed: Vec<_> = v.failures().map(|c| c.name.as_str()).collect();
    assert_eq!(failed, ["alg", "nbf", "iss", "aud"]);
    assert!(v.signature_valid);
    o = VerifyOptions::new(2059);
    assert!(verify(&d, &km, &o).unwrap().is_valid(), "exp within leeway");
    o.now = 2060;
    assert!(!verify(&d, &km, &o).unwrap().is_valid());
}
