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
        10,
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

#[test]
fn private_jwk_export_works_for_every_key_type_with_mode_0600() {
    use crate::keys_cli::{init, keys, run_ok};
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    init(ws);
    for alg in ["RS256", "ES256", "ES384", "ES512", "EdDSA", "HS256"] {
        let out = run_ok(keys(ws).args(["keys", "gen", "--alg", alg]));
        let kid = out.split_whitespace().next().unwrap().to_string();
        let path = ws.join(format!("{alg}.jwk"));
        run_ok(
            keys(ws)
                .args(["keys", "export", &kid, "--private", "--jwk", "--out"])
                .arg(&path),
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{alg}");
        }
        let jwk: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            (jwk["kid"].as_str(), jwk["alg"].as_str()),
            (Some(kid.as_str()), Some(alg))
        );
        let private = Private::from_jwk(&jwk).unwrap_or_else(|e| panic!("{alg}: {e}"));
        private.check_fits(alg).unwrap();
        // The exported key is the keyring's key: it signs what the keyring's JWKS verifies,
        // and for asymmetric keys its thumbprint is the kid.
        if let Some(public) = private.public_jwk() {
            assert_eq!(apiward::keys::thumbprint(&public).unwrap(), kid, "{alg}");
        } else {
            assert!(jwk["k"].is_string(), "{alg}");
        }
    }
}
