//! Private key material: generating, importing (PEM and JWK) and exporting signing keys.
//!
//! Every asymmetric key is kept as PKCS#8 because it is the one format that holds RSA, EC and
//! Ed25519 alike, that `jwt::sign` reads, and that `openssl` and every JOSE library import.
//! HMAC secrets are raw bytes. Parsing goes through the key types of the RustCrypto crates, so
//! a key that would not sign is refused at import, not at the first token.

use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use rand::RngCore;
use rand::rngs::OsRng;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::LineEnding;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use serde_json::Value;
use zeroize::Zeroizing;

use super::{KeysError, Result};
use crate::jwt::b64;
use crate::jwt::jwk::Jwk;
use crate::jwt::keys::{Curve, KeyMaterial};
use crate::jwt::pem;

/// Every algorithm a keyring key can have, one per key (RFC 8725 §3.1).
pub const ALGS: [&str; 13] = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
    "ES384", "ES512", "EdDSA",
];

/// RSA sizes offered: 2048 is the floor of RFC 7518 §3.3; larger keys cost signing time.
pub const RSA_BITS: [usize; 3] = [2048, 3072, 4096];

/// Checks that `alg` is one a keyring key can have, returning its canonical spelling.
pub fn check_alg(alg: &str) -> Result<&'static str> {
    ALGS.iter()
        .find(|a| a.eq_ignore_ascii_case(alg))
        .copied()
        .ok_or_else(|| KeysError::UnsupportedAlg(alg.to_string()))
}

/// The HMAC secret length for an HS algorithm: the hash length (RFC 7518 §3.2).
pub fn hmac_len(alg: &str) -> Option<usize> {
    match alg {
        "HS256" => Some(32),
        "HS384" => Some(48),
        "HS512" => Some(64),
        _ => None,
    }
}

/// A parsed private key. Every variant wipes its key when dropped: the HMAC bytes are
/// `Zeroizing`, and the RustCrypto key types zeroise themselves.
pub enum Private {
    Hmac(Zeroizing<Vec<u8>>),
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::SecretKey),
    P384(p384::SecretKey),
    P521(p521::SecretKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl std::fmt::Debug for Private {
    // Never print key bytes, even in debug logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Private({})", self.describe())
    }
}

fn invalid(e: impl std::fmt::Display) -> KeysError {
    KeysError::InvalidKey(e.to_string())
}

impl Private {
    /// A fresh key for `alg`; `rsa_bits` is used by RS*/PS* only. RSA takes from a fraction of
    /// a second (2048) to many seconds (4096): run it as a task.
    pub fn generate(alg: &str, rsa_bits: usize) -> Result<Self> {
        let alg = check_alg(alg)?;
        if let Some(len) = hmac_len(alg) {
            let mut secret = Zeroizing::new(vec![0u8; len]);
            OsRng.fill_bytes(&mut secret);
            return Ok(Private::Hmac(secret));
        }
        Ok(match alg {
            "ES256" => Private::P256(p256::SecretKey::random(&mut OsRng)),
            "ES384" => Private::P384(p384::SecretKey::random(&mut OsRng)),
            "ES512" => Private::P521(p521::SecretKey::random(&mut OsRng)),
            "EdDSA" => Private::Ed25519(ed25519_dalek::SigningKey::generate(&mut OsRng)),
            _ => {
                if !RSA_BITS.contains(&rsa_bits) {
                    return Err(KeysError::InvalidKey(format!(
                        "RSA keys are 2048, 3072 or 4096 bits, not {rsa_bits}"
                    )));
                }
                let key = rsa::RsaPrivateKey::new(&mut OsRng, rsa_bits).map_err(invalid)?;
                Private::Rsa(Box::new(key))
            }
        })
    }

    /// Reads a private key from text: PEM (PKCS#8, PKCS#1 `RSA PRIVATE KEY`, SEC1
    /// `EC PRIVATE KEY`) or a private JWK. Public keys are refused: a keyring key must sign.
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim();
        if t.starts_with('{') {
            let jwk: Value = serde_json::from_str(t)
                .map_err(|e| KeysError::InvalidKey(format!("the JWK is not valid JSON: {e}")))?;
            return Self::from_jwk(&jwk);
        }
        let start = t
            .find("-----BEGIN ")
            .ok_or_else(|| KeysError::InvalidKey("neither a PEM block nor a JWK".into()))?;
        let (label, der) =
            rsa::pkcs8::der::pem::decode_vec(&t.as_bytes()[start..]).map_err(invalid)?;
        match label {
            "PRIVATE KEY" => Self::from_pkcs8_der(&der),
            "RSA PRIVATE KEY" => rsa::RsaPrivateKey::from_pkcs1_der(&der)
                .map(|k| Private::Rsa(Box::new(k)))
                .map_err(invalid),
            "EC PRIVATE KEY" => p256::SecretKey::from_sec1_der(&der)
                .map(Private::P256)
                .or_else(|_| p384::SecretKey::from_sec1_der(&der).map(Private::P384))
                .or_else(|_| p521::SecretKey::from_sec1_der(&der).map(Private::P521))
                .map_err(|_| invalid("the EC key is not on P-256, P-384 or P-521")),
            l if l.contains("PUBLIC KEY") || l == "CERTIFICATE" => Err(KeysError::InvalidKey(
                "this is a public key: the keyring holds signing keys, so import the private key"
                    .into(),
            )),
            other => Err(KeysError::InvalidKey(format!(
                "a '{other}' PEM block is not a private key"
            ))),
        }
    }

    /// A key from PKCS#8 DER, whichever type it is.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_der(der) {
            return Ok(Private::Rsa(Box::new(k)));
        }
        if let Ok(k) = p256::SecretKey::from_pkcs8_der(der) {
            return Ok(Private::P256(k));
        }
        if let Ok(k) = p384::SecretKey::from_pkcs8_der(der) {
            return Ok(Private::P384(k));
        }
        if let Ok(k) = p521::SecretKey::from_pkcs8_der(der) {
            return Ok(Private::P521(k));
        }
        ed25519_dalek::SigningKey::from_pkcs8_der(der)
            .map(Private::Ed25519)
            .map_err(|_| invalid("the PKCS#8 key is not RSA, P-256, P-384, P-521 or Ed25519"))
    }

    /// A key from a private JWK (RFC 7518 §6: `oct` k, `RSA` n/e/d/p/q, `EC` d, `OKP` d).
    pub fn from_jwk(jwk: &Value) -> Result<Self> {
        let jwk = Jwk::from_value(jwk).map_err(KeysError::InvalidKey)?;
        // Private members (k, d, p, q) are key material: wiped once parsed.
        let member = |name: &str| -> Result<Zeroizing<Vec<u8>>> {
            jwk.member(name).map_err(|why| match jwk.get(name) {
                None => {
                    KeysError::InvalidKey(format!("{why}: a keyring key must be a private key"))
                }
                Some(_) => KeysError::InvalidKey(why),
            })
        };
        let (kty, crv) = (jwk.kty(), jwk.crv());
        match (kty, crv) {
            ("oct", _) => Ok(Private::Hmac(member("k")?)),
            ("RSA", _) => {
                let big = |n: &str| member(n).map(|b| rsa::BigUint::from_bytes_be(&b));
                let primes = vec![big("p")?, big("q")?];
                rsa::RsaPrivateKey::from_components(big("n")?, big("e")?, big("d")?, primes)
                    .map(|k| Private::Rsa(Box::new(k)))
                    .map_err(invalid)
            }
            ("EC", "P-256") => p256::SecretKey::from_slice(&member("d")?)
                .map(Private::P256)
                .map_err(invalid),
            ("EC", "P-384") => p384::SecretKey::from_slice(&member("d")?)
                .map(Private::P384)
                .map_err(invalid),
            ("EC", "P-521") => p521::SecretKey::from_slice(&member("d")?)
                .map(Private::P521)
                .map_err(invalid),
            ("OKP", "Ed25519") => {
                let d = member("d")?;
                let d: &[u8; 32] = d
                    .as_slice()
                    .try_into()
                    .map_err(|_| invalid("an Ed25519 'd' must be 32 bytes"))?;
                Ok(Private::Ed25519(ed25519_dalek::SigningKey::from_bytes(d)))
            }
            _ => Err(KeysError::InvalidKey(format!(
                "unsupported JWK kty '{kty}' crv '{crv}'"
            ))),
        }
    }

    /// The algorithm a key of this type gets when none is named.
    pub fn default_alg(&self) -> &'static str {
        match self {
            Private::Hmac(s) if s.len() >= 64 => "HS512",
            Private::Hmac(s) if s.len() >= 48 => "HS384",
            Private::Hmac(_) => "HS256",
            Private::Rsa(_) => "RS256",
            Private::P256(_) => "ES256",
            Private::P384(_) => "ES384",
            Private::P521(_) => "ES512",
            Private::Ed25519(_) => "EdDSA",
        }
    }

    /// Whether this key can sign `alg`, and if not, why.
    pub fn check_fits(&self, alg: &str) -> Result<()> {
        let fits = match self {
            Private::Hmac(s) => hmac_len(alg).is_some_and(|len| s.len() >= len),
            Private::Rsa(k) => (alg.starts_with("RS") || alg.starts_with("PS")) && k.size() >= 256,
            Private::P256(_) => alg == "ES256",
            Private::P384(_) => alg == "ES384",
            Private::P521(_) => alg == "ES512",
            Private::Ed25519(_) => alg == "EdDSA",
        };
        if fits {
            return Ok(());
        }
        Err(KeysError::InvalidKey(format!(
            "{} cannot be a {alg} key (an HMAC secret must be at least the hash length, an RSA \
             key at least 2048 bits, and each key type has its own algorithms)",
            self.describe()
        )))
    }

    /// What the key is, for messages: "an RSA 2048-bit key".
    pub fn describe(&self) -> String {
        match self {
            Private::Hmac(s) => format!("an HMAC secret of {} bytes", s.len()),
            Private::Rsa(k) => format!("an RSA {}-bit key", k.size() * 8),
            Private::P256(_) => "a P-256 key".into(),
            Private::P384(_) => "a P-384 key".into(),
            Private::P521(_) => "a P-521 key".into(),
            Private::Ed25519(_) => "an Ed25519 key".into(),
        }
    }

    /// The PKCS#8 PEM of an asymmetric key; `None` for HMAC secrets. Written by the `der`
    /// crate into a buffer sized up front and wiped when dropped (the same text as
    /// `jwt::pem::encode`, whose `String` is not wiped).
    pub fn pkcs8_pem(&self) -> Result<Option<Zeroizing<String>>> {
        let der = match self {
            Private::Hmac(_) => return Ok(None),
            Private::Rsa(k) => k.to_pkcs8_der(),
            Private::P256(k) => k.to_pkcs8_der(),
            Private::P384(k) => k.to_pkcs8_der(),
            Private::P521(k) => k.to_pkcs8_der(),
            // PKCS#8 v1 (RFC 8410 §7, no public key): OpenSSL-based readers such as Python's
            // cryptography refuse the v2 form ed25519-dalek writes by default.
            Private::Ed25519(k) => ed25519_dalek::pkcs8::KeypairBytes {
                secret_key: k.to_bytes(),
                public_key: None,
            }
            .to_pkcs8_der(),
        }
        .map_err(invalid)?;
        der.to_pem("PRIVATE KEY", LineEnding::LF)
            .map(Some)
            .map_err(invalid)
    }

    /// The public key; `None` for HMAC secrets, which have none.
    pub fn public_key(&self) -> Option<KeyMaterial> {
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        let ec = |curve, point: &[u8]| KeyMaterial::Ec {
            curve,
            point: point.to_vec(),
        };
        Some(match self {
            Private::Hmac(_) => return None,
            Private::Rsa(k) => KeyMaterial::Rsa {
                n: k.n().to_bytes_be(),
                e: k.e().to_bytes_be(),
            },
            Private::P256(k) => ec(
                Curve::P256,
                k.public_key().to_encoded_point(false).as_bytes(),
            ),
            Private::P384(k) => ec(
                Curve::P384,
                k.public_key().to_encoded_point(false).as_bytes(),
            ),
            Private::P521(k) => ec(
                Curve::P521,
                k.public_key().to_encoded_point(false).as_bytes(),
            ),
            Private::Ed25519(k) => KeyMaterial::Ed25519 {
                x: k.verifying_key().as_bytes().to_vec(),
            },
        })
    }

    /// The public key as a bare JWK (key members only; `kid`, `alg` and `use` are the
    /// keyring's to add). `None` for HMAC secrets, which are never published.
    pub fn public_jwk(&self) -> Option<Value> {
        self.public_key().map(|key| key.to_jwk().to_value())
    }

    /// The private key as a bare JWK: the public members plus the private ones of RFC 7518
    /// §6.2.2 (EC `d`), §6.3.2 (RSA `d`, `p`, `q`, `dp`, `dq`, `qi`), §6.4 (`oct` `k`) and
    /// RFC 8037 §2 (OKP `d`). Only for an explicit private export.
    pub fn private_jwk(&self) -> Result<Value> {
        let text = |bytes: &[u8]| Some(b64::encode(bytes));
        let mut jwk = match self {
            Private::Hmac(k) => {
                return Ok(Jwk {
                    kty: Some("oct".into()),
                    k: text(k),
                    ..Jwk::default()
                }
                .to_value());
            }
            _ => self
                .public_key()
                .ok_or_else(|| invalid("the key has no public half"))?
                .to_jwk(),
        };
        let d = match self {
            Private::Hmac(_) => unreachable!("returned above"),
            Private::Rsa(k) => {
                let (p, q) = match k.primes() {
                    [p, q] => (p, q),
                    _ => {
                        return Err(invalid(
                            "an RSA key of more than two primes has no JWK form here",
                        ));
                    }
                };
                let big = |n: &rsa::BigUint| b64::encode(n.to_bytes_be());
                jwk.p = Some(big(p));
                jwk.q = Some(big(q));
                jwk.dp = k.dp().map(big);
                jwk.dq = k.dq().map(big);
                jwk.qi = k.crt_coefficient().as_ref().map(big);
                k.d().to_bytes_be()
            }
            Private::P256(k) => k.to_bytes().to_vec(),
            Private::P384(k) => k.to_bytes().to_vec(),
            Private::P521(k) => k.to_bytes().to_vec(),
            Private::Ed25519(k) => k.to_bytes().to_vec(),
        };
        jwk.d = text(&d);
        Ok(jwk.to_value())
    }

    /// The public key as SubjectPublicKeyInfo PEM; `None` for HMAC secrets.
    pub fn public_pem(&self) -> Result<Option<String>> {
        let der = match self {
            Private::Hmac(_) => return Ok(None),
            Private::Rsa(k) => k.to_public_key().to_public_key_der(),
            Private::P256(k) => k.public_key().to_public_key_der(),
            Private::P384(k) => k.public_key().to_public_key_der(),
            Private::P521(k) => k.public_key().to_public_key_der(),
            Private::Ed25519(k) => k.verifying_key().to_public_key_der(),
        }
        .map_err(invalid)?;
        Ok(Some(pem::encode("PUBLIC KEY", der.as_bytes())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_fast_alg_generates_a_key_that_fits_and_round_trips() {
        for alg in [
            "HS256", "HS384", "HS512", "ES256", "ES384", "ES512", "EdDSA",
        ] {
            let key = Private::generate(alg, 2048).unwrap();
            key.check_fits(alg).unwrap();
            assert_eq!(key.default_alg(), alg);
            if let Some(pem) = key.pkcs8_pem().unwrap() {
                let back = Private::parse(&pem).unwrap();
                assert_eq!(back.public_jwk(), key.public_jwk(), "{alg}");
                assert!(key.public_pem().unwrap().unwrap().contains("PUBLIC KEY"));
            }
        }
    }

    #[test]
    fn the_private_pem_is_the_text_keyrings_have_always_held() {
        // P-256 keeps the exact text keyrings have always held.
        let ec = Private::generate("ES256", 2048).unwrap();
        let Private::P256(k) = &ec else { panic!() };
        let der = k.to_pkcs8_der().unwrap();
        let written = ec.pkcs8_pem().unwrap().unwrap();
        assert_eq!(*written, pem::encode("PRIVATE KEY", der.as_bytes()));
        // Ed25519 is now written as PKCS#8 v1, which OpenSSL-based readers accept, and the v2
        // PEMs older keyrings hold still read back as the same key.
        let ed = Private::generate("EdDSA", 2048).unwrap();
        let Private::Ed25519(k) = &ed else { panic!() };
        let written = ed.pkcs8_pem().unwrap().unwrap();
        assert!(
            written.starts_with("-----BEGIN PRIVATE KEY-----\nMC4CAQAw"),
            "{}",
            *written
        );
        let v2 = pem::encode("PRIVATE KEY", k.to_pkcs8_der().unwrap().as_bytes());
        assert_eq!(Private::parse(&v2).unwrap().public_jwk(), ed.public_jwk());
        assert_eq!(
            Private::parse(&written).unwrap().public_jwk(),
            ed.public_jwk()
        );
    }

    #[test]
    fn mismatched_and_public_keys_are_refused() {
        let ec = Private::generate("ES256", 2048).unwrap();
        assert!(ec.check_fits("ES384").is_err());
        assert!(ec.check_fits("HS256").is_err());
        assert!(
            Private::Hmac(Zeroizing::new(vec![1; 16]))
                .check_fits("HS256")
                .is_err()
        );
        let public = ec.public_pem().unwrap().unwrap();
        let err = Private::parse(&public).unwrap_err().to_string();
        assert!(err.contains("public key"), "{err}");
        let err = Private::parse(&ec.public_jwk().unwrap().to_string()).unwrap_err();
        assert!(err.to_string().contains("'d'"), "{err}");
        assert!(check_alg("none").is_err());
        assert_eq!(check_alg("es256").unwrap(), "ES256");
    }

    #[test]
    fn private_jwks_export_and_import_back_for_every_key_type() {
        for alg in ["ES256", "ES384", "ES512", "EdDSA", "HS256"] {
            let key = Private::generate(alg, 2048).unwrap();
            let jwk = key.private_jwk().unwrap();
            let back = Private::from_jwk(&jwk).unwrap();
            assert_eq!(back.private_jwk().unwrap(), jwk, "{alg}");
            assert_eq!(back.default_alg(), alg, "{alg}");
        }
        // A fixed RSA key keeps this fast: RFC 7515 A.2's, with its CRT members.
        let vectors: Value = serde_json::from_str(VECTORS).unwrap();
        let rsa = vectors["vectors"][1]["keys"]["private_jwk"].clone();
        assert_eq!(vectors["vectors"][1]["name"], "RFC 7515 A.2");
        let key = Private::from_jwk(&rsa).unwrap();
        let jwk = key.private_jwk().unwrap();
        for m in ["n", "e", "d", "p", "q", "dp", "dq", "qi"] {
            assert_eq!(jwk[m], rsa[m], "{m}");
        }
    }

    const VECTORS: &str = include_str!("../../tests/data/jws_vectors.json");

    #[test]
    fn private_jwks_import() {
        let ed = Private::generate("EdDSA", 2048).unwrap();
        let Private::Ed25519(k) = &ed else { panic!() };
        let mut jwk = ed.public_jwk().unwrap();
        jwk["d"] = b64::encode(k.to_bytes()).into();
        assert_eq!(
            Private::from_jwk(&jwk).unwrap().public_jwk(),
            ed.public_jwk()
        );
        let oct = json!({"kty": "oct", "k": b64::encode([7u8; 48])});
        assert_eq!(Private::from_jwk(&oct).unwrap().private_jwk().unwrap(), oct);
        assert_eq!(Private::from_jwk(&oct).unwrap().default_alg(), "HS384");
    }
}
