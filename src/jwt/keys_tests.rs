//! Tests of key reading: secrets, PEM keys and certificates, JWKs and JWKS selection.

use super::*;
use serde_json::json;

#[test]
fn secrets_from_text_and_any_base64() {
    assert_eq!(
        KeyMaterial::secret_from_text("s3"),
        KeyMaterial::Secret(b"s3".to_vec())
    );
    for text in ["+/8=", "+/8", "-_8", "-_8="] {
        assert_eq!(
            KeyMaterial::secret_from_base64(text).unwrap(),
            KeyMaterial::Secret(vec![0xfb, 0xff]),
            "{text}"
        );
    }
    assert!(KeyMaterial::secret_from_base64("*").is_err());
}

#[test]
fn reads_a_certificate_and_its_public_key() {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let key = KeyMaterial::from_pem(&ck.cert.pem()).unwrap();
    assert!(matches!(key, KeyMaterial::Ec { curve: Curve::P256, ref point } if point.len() == 65));
    let spki = KeyMaterial::from_pem(&ck.signing_key.public_key_pem()).unwrap();
    assert_eq!(key, spki);
    let err = KeyMaterial::from_pem(&ck.signing_key.serialize_pem()).unwrap_err();
    assert!(err.to_string().contains("private key"), "{err}");
}

#[test]
fn parse_detects_pem_jwk_and_plain_secrets() {
    let k = KeyMaterial::parse(
        r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
    )
    .unwrap();
    assert_eq!(k.describe(), "an Ed25519 public key");
    assert_eq!(
        KeyMaterial::parse("hunter2").unwrap(),
        KeyMaterial::Secret(b"hunter2".to_vec())
    );
    assert!(
        KeyMaterial::parse(r#"{"keys":[]}"#)
            .unwrap_err()
            .to_string()
            .contains("JWKS")
    );
    assert!(KeyMaterial::parse(r#"{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}"#).is_err());
}

#[test]
fn key_alg_mismatch_is_refused_with_the_reason() {
    let rsa = KeyMaterial::Rsa {
        n: vec![0xc1; 256],
        e: vec![1, 0, 1],
    };
    let e = rsa.check_alg("HS256").unwrap_err().to_string();
    assert!(
        e.contains("algorithm-confusion") && e.contains("RSA public key"),
        "{e}"
    );
    let secret = KeyMaterial::Secret(b"k".to_vec());
    assert!(
        secret
            .check_alg("RS256")
            .unwrap_err()
            .to_string()
            .contains("HMAC secret")
    );
    let p384 = KeyMaterial::Ec {
        curve: Curve::P384,
        point: vec![4; 97],
    };
    assert!(p384.check_alg("ES256").is_err());
    assert!(p384.check_alg("ES384").is_ok());
    let p521 = KeyMaterial::Ec {
        curve: Curve::P521,
        point: vec![4; 133],
    };
    assert!(p521.check_alg("ES384").is_err());
    assert_eq!(p521.check_alg("ES512").unwrap(), Alg::Es512);
    assert!(secret.check_alg("ES512").is_err());
    let e = secret.check_alg("ES256K").unwrap_err().to_string();
    assert_eq!(e, "algorithm 'ES256K' is not supported for this operation");
    assert!(
        secret
            .check_alg("NONE")
            .unwrap_err()
            .to_string()
            .contains("unsecured")
    );
}

fn jwks() -> String {
    json!({"keys": [
        {"kty": "oct", "kid": "hmac-1", "alg": "HS256", "k": "c2VjcmV0"},
        {"kty": "OKP", "crv": "Ed25519", "kid": "ed-1", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
        {"kty": "RSA", "kid": "rsa-1", "n": "wQ", "e": "AQAB"}
    ]})
    .to_string()
}

#[test]
fn selects_from_a_jwks_by_kid_and_alg() {
    let (jwk, key) = select_from_jwks(&jwks(), Some("ed-1"), Some("EdDSA")).unwrap();
    assert_eq!(jwk["kid"], "ed-1");
    assert!(matches!(key, KeyMaterial::Ed25519 { .. }));
    let (_, key) = select_from_jwks(&jwks(), None, Some("RS256")).unwrap();
    assert!(matches!(key, KeyMaterial::Rsa { .. }));
    let (_, key) = select_from_jwks(&jwks(), None, None).unwrap();
    assert_eq!(key, KeyMaterial::Secret(b"secret".to_vec()));
    let e = select_from_jwks(&jwks(), Some("nope"), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("hmac-1, ed-1, rsa-1"), "{e}");
    let e = select_from_jwks(&jwks(), Some("hmac-1"), Some("HS512"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("for HS256"), "{e}");
    let e = select_from_jwks(&jwks(), Some("rsa-1"), Some("HS256"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("algorithm-confusion"), "{e}");
    assert!(select_from_jwks("[]", None, None).is_err());
}

/// A JWK of the given members, base64url-encoding each value.
fn jwk_with(members: &[(&str, &str)], bytes: &[(&str, Vec<u8>)]) -> Value {
    let mut jwk = serde_json::Map::new();
    for (k, v) in members {
        jwk.insert((*k).into(), json!(v));
    }
    for (k, v) in bytes {
        jwk.insert((*k).into(), json!(b64::encode(v)));
    }
    Value::Object(jwk)
}

#[test]
fn an_ed25519_key_of_the_wrong_length_is_refused_not_a_panic() {
    // A 31-byte x once reached jsonwebtoken, which slices [..32] and panics; a 33-byte one
    // was silently cut to 32.
    let token = crate::jwt::decode(&format!(
        "eyJhbGciOiJFZERTQSJ9.e30.{}",
        b64::encode([1; 64])
    ))
    .unwrap();
    for len in [0, 1, 31, 33, 64] {
        let jwk = jwk_with(
            &[("kty", "OKP"), ("crv", "Ed25519")],
            &[("x", vec![7; len])],
        );
        let e = KeyMaterial::from_jwk(&jwk).unwrap_err().to_string();
        assert!(e.contains("'x' must be 32 bytes"), "{len}: {e}");
        let e = select_from_jwks(&json!({ "keys": [jwk] }).to_string(), None, Some("EdDSA"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("32 bytes"), "{len}: {e}");
        // A key built by hand is checked before it reaches the crypto library.
        let key = KeyMaterial::Ed25519 { x: vec![7; len] };
        let e = crate::jwt::verify(&token, &key, &crate::jwt::VerifyOptions::new(0))
            .unwrap_err()
            .to_string();
        assert!(e.contains("32 bytes"), "{len}: {e}");
    }
}

#[test]
fn ec_coordinates_must_each_be_the_curve_size() {
    for (crv, len) in [("P-256", 32), ("P-384", 48), ("P-521", 66)] {
        let ok = jwk_with(
            &[("kty", "EC"), ("crv", crv)],
            &[("x", vec![1; len]), ("y", vec![2; len])],
        );
        assert!(KeyMaterial::from_jwk(&ok).is_ok(), "{crv}");
        // A short x and a long y add up to the right total, and are still refused.
        for (x, y) in [(len - 1, len + 1), (0, len), (len, 0), (len + 1, len)] {
            let jwk = jwk_with(
                &[("kty", "EC"), ("crv", crv)],
                &[("x", vec![1; x]), ("y", vec![2; y])],
            );
            let e = KeyMaterial::from_jwk(&jwk).unwrap_err().to_string();
            assert!(e.contains(&format!("must be {len} bytes for {crv}")), "{e}");
        }
    }
    let hand_built = KeyMaterial::Ec {
        curve: Curve::P256,
        point: vec![4; 64],
    };
    assert!(hand_built.check_alg("ES256").is_err());
    let compressed = KeyMaterial::Ec {
        curve: Curve::P256,
        point: [vec![2], vec![1; 32]].concat(),
    };
    assert!(compressed.check_shape().is_ok());
}

#[test]
fn rsa_parts_must_not_be_empty_and_empty_oct_secrets_stay_usable() {
    for (n, e) in [
        (vec![], vec![1, 0, 1]),
        (vec![0xc1; 256], vec![]),
        (vec![0, 0], vec![3]),
    ] {
        let jwk = jwk_with(&[("kty", "RSA")], &[("n", n), ("e", e)]);
        let err = KeyMaterial::from_jwk(&jwk).unwrap_err().to_string();
        assert!(err.contains("RSA"), "{err}");
    }
    // An empty HMAC secret is a weakness to test tokens against, not a malformed key.
    let empty = jwk_with(&[("kty", "oct")], &[("k", vec![])]);
    assert_eq!(
        KeyMaterial::from_jwk(&empty).unwrap(),
        KeyMaterial::Secret(vec![])
    );
}

#[test]
fn a_pem_key_of_the_wrong_size_is_refused() {
    // SubjectPublicKeyInfo for Ed25519 with a 31-byte key.
    let mut der = vec![
        0x30, 0x29, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x20, 0x00,
    ];
    der.extend([9; 31]);
    let pem = format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &der)
    );
    let e = KeyMaterial::from_pem(&pem).unwrap_err().to_string();
    assert!(e.contains("32 bytes, not 31"), "{e}");
}
