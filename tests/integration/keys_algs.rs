//! The keys core with every algorithm: generate, publish the JWKS, sign, and verify through
//! jsonwebtoken from the JWKS alone, as a relying service would.

use serde_json::{Map, Value, json};

use apiward::jwt::{self, KeyMaterial, VerifyOptions};
use apiward::keys::jwks::{check, public_jwks};
use apiward::keys::material::{ALGS, Private};
use apiward::keys::{KeyEntry, Keyring, Policy, promote};

const NOW: i64 = 1_700_000_000;

fn sign(entry: &KeyEntry) -> String {
    let mut header = Map::new();
    header.insert("kid".into(), entry.kid.clone().into());
    let claims = json!({"sub": "alice", "iat": NOW, "exp": NOW + 600});
    jwt::sign(&header, &claims, &entry.alg, &entry.signing_key()).unwrap()
}

fn verify_with(token: &str, key: &KeyMaterial) -> bool {
    let decoded = jwt::decode(token).unwrap();
    jwt::verify(&decoded, key, &VerifyOptions::new(NOW + 1))
        .unwrap()
        .is_valid()
}

#[test]
fn every_algorithm_signs_and_verifies_from_the_published_jwks() {
    // One RSA key serves all six RSA algorithms (one keygen per run); each entry still has
    // exactly one alg, so each needs its own kid.
    let rsa = Private::generate("RS256", 2048).unwrap();
    let mut ring = Keyring::new(Policy::default());
    for alg in ALGS {
        let entry = if alg.starts_with("RS") || alg.starts_with("PS") {
            KeyEntry::new(&rsa, alg, Some(format!("rsa-{alg}")), NOW).unwrap()
        } else {
            KeyEntry::generate(alg, 2048, None, NOW).unwrap()
        };
        ring.add(entry).unwrap();
    }
    let jwks = public_jwks(&ring);
    let text = jwks.to_string();
    assert_eq!(
        jwks["keys"].as_array().unwrap().len(),
        9,
        "HMAC keys are never published"
    );
    assert_eq!(
        check(&text, "jwks.json").unwrap(),
        vec![],
        "the JWKS is clean"
    );
    for jwk in jwks["keys"].as_array().unwrap() {
        for private in ["d", "p", "q", "dp", "dq", "qi", "k"] {
            assert!(jwk.get(private).is_none(), "{jwk}");
        }
        assert_eq!(jwk["use"], "sig");
    }
    for entry in &ring.keys {
        let token = sign(entry);
        let decoded = jwt::decode(&token).unwrap();
        assert_eq!(decoded.header_str("kid"), Some(entry.kid.as_str()));
        let key = match entry.hmac_secret_b64() {
            Some(k) => KeyMaterial::secret_from_base64(k).unwrap(),
            None => {
                let (jwk, key) = jwt::select_from_jwks(&text, Some(&entry.kid), Some(&entry.alg))
                    .unwrap_or_else(|e| panic!("{}: {e}", entry.alg));
                assert_eq!(jwk["alg"], Value::from(entry.alg.clone()));
                key
            }
        };
        assert!(verify_with(&token, &key), "{} did not verify", entry.alg);
    }
}

#[test]
fn only_the_active_key_signs_and_keys_round_trip_through_import() {
    let mut ring = Keyring::new(Policy::default());
    let key = KeyEntry::generate("ES384", 2048, None, NOW).unwrap();
    let kid = key.kid.clone();
    // Importing the exported private PEM gives the same key, hence the same thumbprint kid.
    let again = KeyEntry::import(key.private_pem().unwrap(), None, None, NOW).unwrap();
    assert_eq!(
        (again.kid.as_str(), again.alg.as_str()),
        (kid.as_str(), "ES384")
    );
    ring.add(key).unwrap();
    assert!(ring.add(again).is_err(), "duplicate kid");
    assert!(ring.signer(None).is_err(), "no active key yet");
    promote(&mut ring, &kid, NOW, false).unwrap();
    assert_eq!(ring.signer(None).unwrap().kid, kid);
}
