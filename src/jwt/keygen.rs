//! Fresh key pairs for signing tests and attack variants: RSA 2048, P-256, P-384, P-521 and
//! Ed25519, each as a PKCS#8 private key PEM and a public JWK.

use ed25519_dalek::pkcs8::EncodePrivateKey as _;
use rand::rngs::OsRng;
use rsa::traits::PublicKeyParts;
use serde_json::Value;

use super::jwk::Jwk;
use super::keys::{Curve, KeyMaterial};
use super::{JwtError, Result, pem};

/// A generated key pair.
#[derive(Clone)]
pub struct KeyPair {
    /// The JWS algorithm it is for: RS256, ES256, ES384, ES512 or EdDSA.
    pub alg: &'static str,
    /// The private key, PKCS#8 PEM.
    pub private_pem: String,
    /// The public key as a JWK, with `alg` and `use`.
    pub public_jwk: Value,
}

/// Generates a key pair for `alg`'s family: RS*/PS* give RSA 2048 (slowest, up to a second),
/// ES384 gives P-384, ES512 P-521, EdDSA Ed25519, anything else P-256.
pub fn generate(alg: &str) -> Result<KeyPair> {
    let fail = |e: &dyn std::fmt::Display| JwtError::Sign(format!("key generation failed: {e}"));
    if alg.starts_with("RS") || alg.starts_with("PS") {
        let key = rsa::RsaPrivateKey::new(&mut OsRng, 2048).map_err(|e| fail(&e))?;
        let der = key.to_pkcs8_der().map_err(|e| fail(&e))?;
        Ok(KeyPair {
            alg: "RS256",
            private_pem: pem::encode("PRIVATE KEY", der.as_bytes()),
            public_jwk: signing_jwk(
                KeyMaterial::Rsa {
                    n: key.n().to_bytes_be(),
                    e: key.e().to_bytes_be(),
                },
                "RS256",
            ),
        })
    } else if alg == "EdDSA" {
        let key = ed25519_dalek::SigningKey::generate(&mut OsRng);
        let der = key.to_pkcs8_der().map_err(|e| fail(&e))?;
        Ok(KeyPair {
            alg: "EdDSA",
            private_pem: pem::encode("PRIVATE KEY", der.as_bytes()),
            public_jwk: signing_jwk(
                KeyMaterial::Ed25519 {
                    x: key.verifying_key().as_bytes().to_vec(),
                },
                "EdDSA",
            ),
        })
    } else {
        // One body for the three curves: their crates share the elliptic-curve traits.
        macro_rules! ec {
            ($curve:ident, $alg:literal, $crv:ident) => {{
                use $curve::elliptic_curve::sec1::ToEncodedPoint;
                let key = $curve::SecretKey::random(&mut OsRng);
                let der = key.to_pkcs8_der().map_err(|e| fail(&e))?;
                let point = key.public_key().to_encoded_point(false);
                Ok(KeyPair {
                    alg: $alg,
                    private_pem: pem::encode("PRIVATE KEY", der.as_bytes()),
                    public_jwk: signing_jwk(
                        KeyMaterial::Ec {
                            curve: Curve::$crv,
                            point: point.as_bytes().to_vec(),
                        },
                        $alg,
                    ),
                })
            }};
        }
        match alg {
            "ES384" => ec!(p384, "ES384", P384),
            "ES512" => ec!(p521, "ES512", P521),
            _ => ec!(p256, "ES256", P256),
        }
    }
}

/// A public key's JWK for signatures with `alg`.
fn signing_jwk(key: KeyMaterial, alg: &str) -> Value {
    Jwk {
        alg: Some(alg.into()),
        use_: Some("sig".into()),
        ..key.to_jwk()
    }
    .to_value()
}

/// The SubjectPublicKeyInfo PEM of a generated key's public half.
pub fn public_pem(pair: &KeyPair) -> Result<String> {
    use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
    let (_, der) = super::pem::decode(&pair.private_pem)
        .ok_or_else(|| JwtError::Sign("the generated key is not PEM".into()))?;
    let fail = |e: &dyn std::fmt::Display| JwtError::Sign(format!("public key export: {e}"));
    let spki = match pair.alg {
        "RS256" => rsa::RsaPrivateKey::from_pkcs8_der(&der)
            .map_err(|e| fail(&e))?
            .to_public_key()
            .to_public_key_der()
            .map_err(|e| fail(&e))?,
        "EdDSA" => ed25519_dalek::SigningKey::from_pkcs8_der(&der)
            .map_err(|e| fail(&e))?
            .verifying_key()
            .to_public_key_der()
            .map_err(|e| fail(&e))?,
        "ES384" => p384::SecretKey::from_pkcs8_der(&der)
            .map_err(|e| fail(&e))?
            .public_key()
            .to_public_key_der()
            .map_err(|e| fail(&e))?,
        "ES512" => p521::SecretKey::from_pkcs8_der(&der)
            .map_err(|e| fail(&e))?
            .public_key()
            .to_public_key_der()
            .map_err(|e| fail(&e))?,
        _ => p256::SecretKey::from_pkcs8_der(&der)
            .map_err(|e| fail(&e))?
            .public_key()
            .to_public_key_der()
            .map_err(|e| fail(&e))?,
    };
    Ok(pem::encode("PUBLIC KEY", spki.as_bytes()))
}
