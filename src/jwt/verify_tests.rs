//! Tests of verification: RFC vectors, round trips, claim checks and key/alg confusion.

use super::*;
use crate::jwt::decode::decode;
use crate::jwt::decode::tests::RFC7515_A1;
use crate::jwt::keygen::{generate, public_pem};
use crate::jwt::keys::select_from_jwks;
use crate::jwt::sign::tests::rsa_pair;
use crate::jwt::sign::{SigningKey, sign};
use serde_json::{Map, Value, json};

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
    let p384 = generate("ES384").unwrap();
    let p521 = generate("ES512").unwrap();
    let ed = generate("EdDSA").unwrap();
    for (alg, pair) in [
        ("RS256", &rsa),
        ("PS256", &rsa),
        ("ES256", &ec),
        ("ES384", &p384),
        ("ES512", &p521),
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
        ("ES256K", "not supported"),
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

/// A token signed with the RFC 7515 A.1 key under `header`, claims `{"sub":"x"}`.
fn hs256_with_header(header: Value) -> Decoded {
    let Value::Object(header) = header else {
        panic!("not an object")
    };
    let key = SigningKey::Secret(crate::jwt::b64::decode_any(RFC7515_A1_K).unwrap());
    decode(&sign(&header, &json!({"sub": "x"}), "HS256", &key).unwrap()).unwrap()
}

const RFC7515_A1_K: &str =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

fn failed_check(header: Value) -> Option<Check> {
    let v = verify(
        &hs256_with_header(header),
        &rfc7515_key(),
        &VerifyOptions::new(0),
    )
    .unwrap();
    assert!(v.signature_valid, "the signature itself is good");
    assert_eq!(v.is_valid(), v.failures().next().is_none());
    v.failures().next().cloned()
}

#[test]
fn crit_naming_an_unknown_extension_is_rejected_with_its_name() {
    let f = failed_check(json!({"crit": ["exp-ext"], "exp-ext": 1})).expect("rejected");
    assert_eq!(f.name, "crit");
    assert!(
        f.detail.contains("'exp-ext'") && f.detail.contains("does not understand"),
        "{}",
        f.detail
    );
}

#[test]
fn crit_that_is_empty_not_a_list_or_names_registered_headers_is_rejected() {
    for (crit, want) in [
        (json!([]), "empty"),
        (json!("b64"), "array"),
        (json!([1]), "array"),
        (json!(["alg"]), "'alg', a registered"),
        (json!(["kid"]), "'kid', a registered"),
        (json!(["b64"]), "no 'b64' member"),
    ] {
        let f = failed_check(json!({"crit": crit})).expect("rejected");
        assert!(f.detail.contains(want), "{crit}: {}", f.detail);
    }
}

#[test]
fn crit_with_b64_true_is_understood_and_b64_false_is_refused() {
    assert_eq!(failed_check(json!({"crit": ["b64"], "b64": true})), None);
    assert_eq!(failed_check(json!({})), None);
    let f = failed_check(json!({"crit": ["b64"], "b64": false})).expect("refused");
    assert_eq!(f.name, "b64");
    assert!(f.detail.contains("RFC 7797"), "{}", f.detail);
    let f = failed_check(json!({"b64": "no"})).expect("refused");
    assert!(f.detail.contains("true or false"), "{}", f.detail);
}

/// The RFC vectors file: RFC 7515 A.1-A.5, RFC 7520 §4.1-4.4 and RFC 8037 A.4.
pub(crate) fn rfc_vectors() -> Vec<Value> {
    let doc: Value = serde_json::from_str(include_str!("../../tests/data/jws_vectors.json"))
        .expect("tests/data/jws_vectors.json is JSON");
    doc["vectors"].as_array().unwrap().clone()
}

/// Every way a vector's key can be given: secret, PEM, JWK and JWKS.
pub(crate) fn key_forms(v: &Value) -> Vec<(&'static str, KeyMaterial)> {
    let keys = &v["keys"];
    let mut forms = Vec::new();
    if let Some(s) = keys["secret_b64"].as_str() {
        forms.push(("secret", KeyMaterial::secret_from_base64(s).unwrap()));
    }
    if let Some(pem) = keys["public_pem"].as_str() {
        forms.push(("PEM", KeyMaterial::from_pem(pem).unwrap()));
    }
    forms.push(("JWK", KeyMaterial::from_jwk(&keys["jwk"]).unwrap()));
    // A decoy first: a key for another alg, which selection must pass over (RFC 7517 §4.4).
    let jwks = json!({"keys": [{"kty": "oct", "k": "AA", "alg": "HS512"}, keys["jwk"]]});
    let token = decode(v["token"].as_str().unwrap()).unwrap();
    let (_, key) =
        select_from_jwks(&jwks.to_string(), None, token.alg.as_deref()).expect("JWKS picks it");
    forms.push(("JWKS", key));
    forms
}

#[test]
fn every_rfc_vector_verifies_with_every_key_form_and_fails_when_changed() {
    let vectors = rfc_vectors();
    assert_eq!(vectors.len(), 10);
    for v in vectors.iter().filter(|v| v["alg"] != "none") {
        let name = v["name"].as_str().unwrap();
        let token = v["token"].as_str().unwrap();
        let d = decode(token).unwrap();
        assert_eq!(d.alg.as_deref(), v["alg"].as_str(), "{name}");
        let forms = key_forms(v);
        assert!(forms.len() >= 3, "{name}");
        for (form, key) in forms {
            let r = verify(&d, &key, &VerifyOptions::new(0)).unwrap();
            assert!(r.signature_valid, "{name} with {form}");
            // One bit changed in the signature's first byte.
            let mut sig = d.signature.clone();
            sig[0] ^= 1;
            let bad = format!("{}.{}", d.signing_input, crate::jwt::b64::encode(&sig));
            let r = verify(&decode(&bad).unwrap(), &key, &VerifyOptions::new(0)).unwrap();
            assert!(
                !r.signature_valid,
                "{name} with {form}: a changed bit still verifies"
            );
        }
    }
    let a5 = vectors
        .iter()
        .find(|v| v["name"] == "RFC 7515 A.5")
        .unwrap();
    let e = verify(
        &decode(a5["token"].as_str().unwrap()).unwrap(),
        &rfc7515_key(),
        &VerifyOptions::new(0),
    )
    .unwrap_err();
    assert!(matches!(e, JwtError::Unsecured(_)), "{e}");
}

#[test]
fn every_rfc_key_signs_what_it_then_verifies() {
    for v in rfc_vectors().iter().filter(|v| v["alg"] != "none") {
        let name = v["name"].as_str().unwrap();
        let alg = v["alg"].as_str().unwrap();
        let keys = &v["keys"];
        let mut signers = vec![];
        if let Some(pem) = keys["private_pem"].as_str() {
            signers.push(("PEM", SigningKey::Pem(pem.into())));
            signers.push(("JWK", SigningKey::Jwk(keys["private_jwk"].clone())));
        } else {
            signers.push(("JWK", SigningKey::Jwk(keys["jwk"].clone())));
        }
        for (form, signer) in signers {
            let t = sign(&Map::new(), &json!({"sub": "x"}), alg, &signer)
                .unwrap_or_else(|e| panic!("{name} {form}: {e}"));
            let key = KeyMaterial::from_jwk(&keys["jwk"]).unwrap();
            let r = verify(&decode(&t).unwrap(), &key, &VerifyOptions::new(0)).unwrap();
            assert!(r.is_valid(), "{name} signed with its {form}");
        }
    }
}
