//! Tests of signing and claim edits; shared generated keys for the other test modules.

use super::*;
use crate::jwt::decode::decode;
use crate::jwt::keygen::{KeyPair, generate};
use serde_json::json;
use std::sync::OnceLock;

/// One RSA 2048 key per test run: generating it is the slow part.
pub(crate) fn rsa_pair() -> &'static KeyPair {
    static PAIR: OnceLock<KeyPair> = OnceLock::new();
    PAIR.get_or_init(|| generate("RS256").unwrap())
}

fn header() -> Map<String, Value> {
    json!({"typ": "JWT", "kid": "k1", "jku": "https://x.example/jwks"})
        .as_object()
        .unwrap()
        .clone()
}

#[test]
fn keeps_custom_header_members_and_sets_alg() {
    let t = sign(
        &header(),
        &json!({"sub": "a"}),
        "HS384",
        &SigningKey::Secret(b"k".to_vec()),
    )
    .unwrap();
    let d = decode(&t).unwrap();
    assert_eq!(d.alg.as_deref(), Some("HS384"));
    assert_eq!(d.header["jku"], "https://x.example/jwks");
    assert_eq!(
        d.header.keys().collect::<Vec<_>>(),
        ["typ", "kid", "jku", "alg"]
    );
    assert_eq!(
        d.signature,
        hmac_raw("HS384", b"k", d.signing_input.as_bytes()).unwrap()
    );
}

#[test]
fn signs_with_every_supported_alg() {
    let rsa = SigningKey::Pem(rsa_pair().private_pem.clone());
    let ec = SigningKey::Pem(generate("ES256").unwrap().private_pem);
    let p384 = SigningKey::Pem(generate("ES384").unwrap().private_pem);
    let p521 = SigningKey::Pem(generate("ES512").unwrap().private_pem);
    let ed = SigningKey::Pem(generate("EdDSA").unwrap().private_pem);
    let secret = SigningKey::Secret(vec![7; 64]);
    for (alg, key) in [
        ("HS256", &secret),
        ("HS384", &secret),
        ("HS512", &secret),
        ("RS256", &rsa),
        ("RS384", &rsa),
        ("RS512", &rsa),
        ("PS256", &rsa),
        ("PS384", &rsa),
        ("PS512", &rsa),
        ("ES256", &ec),
        ("ES384", &p384),
        ("ES512", &p521),
        ("EdDSA", &ed),
    ] {
        let t =
            sign(&Map::new(), &json!({"n": 1}), alg, key).unwrap_or_else(|e| panic!("{alg}: {e}"));
        assert_eq!(decode(&t).unwrap().alg.as_deref(), Some(alg));
    }
}

#[test]
fn refuses_keys_of_the_wrong_family_and_unsupported_algs() {
    let rsa = SigningKey::Pem(rsa_pair().private_pem.clone());
    let e = sign(&Map::new(), &json!({}), "HS256", &rsa)
        .unwrap_err()
        .to_string();
    assert!(e.contains("cannot sign"), "{e}");
    let e = sign(&Map::new(), &json!({}), "ES256", &rsa)
        .unwrap_err()
        .to_string();
    assert!(e.contains("not an EC private key"), "{e}");
    let e = sign(
        &Map::new(),
        &json!({}),
        "ES512",
        &SigningKey::Secret(vec![1]),
    )
    .unwrap_err();
    assert!(matches!(e, JwtError::KeyMismatch(_)), "{e}");
    let e = sign(&Map::new(), &json!({}), "ES512", &rsa).unwrap_err();
    assert!(e.to_string().contains("not a P-521 private key"), "{e}");
    let e = sign(&Map::new(), &json!({}), "ES256K", &rsa).unwrap_err();
    assert!(matches!(e, JwtError::UnsupportedAlg(_)), "{e}");
}

#[test]
fn signs_with_private_jwks() {
    use crate::jwt::keys::KeyMaterial;
    use crate::jwt::verify::{VerifyOptions, verify};
    // RFC 8037 Appendix A.1 private key; A.4 gives the signature this must produce.
    let ed = json!({"kty": "OKP", "crv": "Ed25519",
        "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
        "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"});
    let claims = json!({"sub": "x"});
    let t = sign(&Map::new(), &claims, "EdDSA", &SigningKey::Jwk(ed.clone())).unwrap();
    let v = verify(
        &decode(&t).unwrap(),
        &KeyMaterial::from_jwk(&ed).unwrap(),
        &VerifyOptions::new(0),
    )
    .unwrap();
    assert!(v.is_valid());
    let oct = json!({"kty": "oct", "k": "c2VjcmV0"});
    let t = sign(&Map::new(), &claims, "HS256", &SigningKey::Jwk(oct)).unwrap();
    assert!(t.ends_with(&b64::encode(
        hmac_raw("HS256", b"secret", t.rsplit_once('.').unwrap().0.as_bytes()).unwrap()
    )));
}

#[test]
fn claim_edits_parse_json_and_durations() {
    let mut c = json!({"sub": "a", "drop": 1}).as_object().unwrap().clone();
    let set: Vec<(String, String)> = [
        "role=admin",
        "admin=true",
        "n=5",
        "exp=+1h",
        "nbf=-2d",
        "drop=",
        "list=[1,2]",
    ]
    .iter()
    .map(|s| parse_edit(s).unwrap())
    .collect();
    apply_edits(&mut c, &set, 1000).unwrap();
    assert_eq!(
        Value::Object(c),
        json!({"sub": "a", "role": "admin", "admin": true, "n": 5,
        "exp": 4600, "nbf": 1000 - 172_800, "list": [1, 2]})
    );
    let mut c = Map::new();
    let e = apply_edits(&mut c, &[("exp".into(), "tomorrow".into())], 0).unwrap_err();
    assert!(e.to_string().contains("+1h"));
    assert!(parse_edit("novalue").is_err());
}

#[test]
fn signs_with_private_ec_jwks_of_every_curve_and_refuses_the_wrong_curve() {
    use crate::jwt::keys::KeyMaterial;
    use crate::jwt::verify::{VerifyOptions, verify};
    use crate::keys::material::Private;
    for alg in ["ES256", "ES384", "ES512"] {
        let private = Private::generate(alg, 2048).unwrap();
        let jwk = private.private_jwk().unwrap();
        let t = sign(
            &Map::new(),
            &json!({"n": 1}),
            alg,
            &SigningKey::Jwk(jwk.clone()),
        )
        .unwrap_or_else(|e| panic!("{alg}: {e}"));
        let key = KeyMaterial::from_jwk(&private.public_jwk().unwrap()).unwrap();
        let v = verify(&decode(&t).unwrap(), &key, &VerifyOptions::new(0)).unwrap();
        assert!(v.is_valid(), "{alg}: {v:?}");
        let other = if alg == "ES256" { "ES384" } else { "ES256" };
        let e = sign(&Map::new(), &json!({}), other, &SigningKey::Jwk(jwk)).unwrap_err();
        assert!(
            matches!(e, JwtError::KeyMismatch(_)),
            "{alg} as {other}: {e}"
        );
    }
}
