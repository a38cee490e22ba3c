//! Verification key material: HMAC secrets, PEM public keys and certificates, JWKs and JWKS.
//!
//! Every key knows its type, so a verifier can refuse a key that does not fit the token's
//! algorithm (RFC 8725 §3.1) instead of letting a library guess: an RSA public key handed to
//! HS256 is the algorithm-confusion attack, and it must fail loudly.

use std::fmt;

use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::Value;

use spki::ObjectIdentifier;
use spki::der::Decode;

use super::jwk::Jwk;
use super::{JwtError, Result, b64, pem};

/// The length of an Ed25519 public key (RFC 8032 §5.1.5).
const ED25519_LEN: usize = 32;

/// id-ecPublicKey (RFC 5480 §2.1.1), and the named curves of its parameters (§2.1.1.1).
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
/// id-Ed25519 (RFC 8410 §3).
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// An elliptic curve of an EC key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    /// The size of one coordinate in bytes.
    pub fn coordinate_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }
}

/// A key that can verify signatures.
#[derive(Clone, PartialEq, Eq)]
pub enum KeyMaterial {
    /// An HMAC shared secret.
    Secret(Vec<u8>),
    /// An RSA public key: modulus and exponent, big-endian.
    Rsa { n: Vec<u8>, e: Vec<u8> },
    /// An EC public key as an uncompressed SEC1 point (0x04 || x || y).
    Ec { curve: Curve, point: Vec<u8> },
    /// An Ed25519 public key.
    Ed25519 { x: Vec<u8> },
}

impl fmt::Debug for KeyMaterial {
    // Never print secrets, even in debug logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl KeyMaterial {
    /// The key as text: UTF-8 bytes, used as they are.
    pub fn secret_from_text(text: &str) -> Self {
        KeyMaterial::Secret(text.as_bytes().to_vec())
    }

    /// A secret written in base64, standard or url-safe, padded or not.
    pub fn secret_from_base64(text: &str) -> Result<Self> {
        b64::decode_any(text)
            .map(KeyMaterial::Secret)
            .ok_or_else(|| JwtError::InvalidKey("the secret is not valid base64".into()))
    }

    /// A public key or certificate in PEM: `PUBLIC KEY`, `RSA PUBLIC KEY` or `CERTIFICATE`.
    pub fn from_pem(text: &str) -> Result<Self> {
        let (label, bytes) =
            pem::decode(text).ok_or_else(|| JwtError::InvalidKey("no PEM block found".into()))?;
        let bad = |what: &str| JwtError::InvalidKey(format!("the {label} PEM {what}"));
        let key = match label.as_str() {
            "PUBLIC KEY" => Self::from_spki(&bytes).ok_or_else(|| bad("is not a supported key"))?,
            "RSA PUBLIC KEY" => {
                Self::from_pkcs1(&bytes).ok_or_else(|| bad("is not a PKCS#1 RSA key"))?
            }
            // jsonwebtoken guesses at a certificate by taking the first bit string it meets;
            // reading the real structure tells the key type for the alg-confusion check.
            "CERTIFICATE" => x509_parser::parse_x509_certificate(&bytes)
                .ok()
                .and_then(|(_, cert)| Self::from_spki(cert.tbs_certificate.subject_pki.raw))
                .ok_or_else(|| bad("holds no supported public key"))?,
            l if l.contains("PRIVATE KEY") => {
                return Err(JwtError::InvalidKey(
                    "this is a private key: verify with the public key (private keys are for \
                     signing)"
                        .into(),
                ));
            }
            _ => return Err(bad("is not a public key or certificate")),
        };
        key.check_shape()?;
        Ok(key)
    }

    /// A key from SubjectPublicKeyInfo DER.
    pub fn from_spki(bytes: &[u8]) -> Option<Self> {
        let spki = spki::SubjectPublicKeyInfoRef::from_der(bytes).ok()?;
        // Keys are whole bytes: a BIT STRING with unused bits has no byte view.
        let key = spki.subject_public_key.as_bytes()?;
        let alg = spki.algorithm.oid;
        if alg == pkcs1::ALGORITHM_OID {
            Self::from_pkcs1(key)
        } else if alg == OID_EC {
            let curve = spki.algorithm.parameters_oid().ok()?;
            let curve = [OID_P256, OID_P384, OID_P521]
                .into_iter()
                .zip([Curve::P256, Curve::P384, Curve::P521])
                .find_map(|(oid, curve_of)| (oid == curve).then_some(curve_of))?;
            Some(KeyMaterial::Ec {
                curve,
                point: key.to_vec(),
            })
        } else if alg == OID_ED25519 {
            Some(KeyMaterial::Ed25519 { x: key.to_vec() })
        } else {
            None
        }
    }

    /// A key from a PKCS#1 RSAPublicKey, its integers without leading zero bytes.
    fn from_pkcs1(der: &[u8]) -> Option<Self> {
        let key = pkcs1::RsaPublicKey::from_der(der).ok()?;
        let strip = |x: &[u8]| {
            let i = x.iter().position(|&b| b != 0).unwrap_or(x.len());
            x[i..].to_vec()
        };
        Some(KeyMaterial::Rsa {
            n: strip(key.modulus.as_bytes()),
            e: strip(key.public_exponent.as_bytes()),
        })
    }

    /// A key from one JWK given as JSON (public members only are needed).
    pub fn from_jwk(jwk: &Value) -> Result<Self> {
        Self::try_from(&Jwk::from_value(jwk).map_err(JwtError::InvalidKey)?)
    }

    /// Reads a key given as text: PEM, a JWK, or else a plain-text secret.
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim();
        if t.contains("-----BEGIN ") {
            Self::from_pem(t)
        } else if t.starts_with('{') {
            let v: Value = serde_json::from_str(t)
                .map_err(|e| JwtError::InvalidKey(format!("the JWK is not valid JSON: {e}")))?;
            if v.get("keys").is_some() {
                return Err(JwtError::InvalidKey(
                    "this is a JWKS: pick a key with select_from_jwks".into(),
                ));
            }
            Self::from_jwk(&v)
        } else {
            Ok(Self::secret_from_text(text))
        }
    }

    /// The key as a bare JWK, key members only: the public key (an HMAC secret as an `oct`
    /// JWK). Keygen, the keyring and key recovery build their JWKs from it.
    pub fn to_jwk(&self) -> Jwk {
        let text = |bytes: &[u8]| Some(b64::encode(bytes));
        let named = |kty: &str, crv: Option<&str>| Jwk {
            kty: Some(kty.into()),
            crv: crv.map(Into::into),
            ..Jwk::default()
        };
        match self {
            KeyMaterial::Secret(k) => Jwk {
                k: text(k),
                ..named("oct", None)
            },
            KeyMaterial::Rsa { n, e } => Jwk {
                n: text(n),
                e: text(e),
                ..named("RSA", None)
            },
            KeyMaterial::Ec { curve, point } => {
                // SEC1 uncompressed is 0x04 || x || y; a compressed point carries x only.
                let coordinates = point.get(1..).unwrap_or_default();
                let (x, y) = coordinates.split_at(curve.coordinate_len().min(coordinates.len()));
                Jwk {
                    x: text(x),
                    y: (!y.is_empty()).then(|| b64::encode(y)),
                    ..named("EC", Some(curve.name()))
                }
            }
            KeyMaterial::Ed25519 { x } => Jwk {
                x: text(x),
                ..named("OKP", Some("Ed25519"))
            },
        }
    }

    /// What this key is, for messages: "an RSA public key (2048-bit)".
    pub fn describe(&self) -> String {
        match self {
            KeyMaterial::Secret(s) => format!("an HMAC secret ({} bytes)", s.len()),
            KeyMaterial::Rsa { n, .. } => format!("an RSA public key ({}-bit)", n.len() * 8),
            KeyMaterial::Ec { curve, .. } => format!("an EC {} public key", curve.name()),
            KeyMaterial::Ed25519 { .. } => "an Ed25519 public key".into(),
        }
    }

    /// Refuses key parts no key of this type can have. The crypto libraries behind
    /// [`decoding_key`](Self::decoding_key) assume these sizes (an Ed25519 key shorter than
    /// 32 bytes panics inside jsonwebtoken, a longer one is silently cut), so every key is
    /// checked here, whether it was parsed or built by hand. An empty HMAC secret passes: it
    /// is a weakness worth testing for, not a malformed key.
    pub fn check_shape(&self) -> Result<()> {
        let bad = |why: String| Err(JwtError::InvalidKey(why));
        match self {
            KeyMaterial::Rsa { n, .. } if n.iter().all(|&b| b == 0) => {
                bad("the RSA modulus (n) is empty or zero".into())
            }
            KeyMaterial::Rsa { e, .. } if e.iter().all(|&b| b == 0) => {
                bad("the RSA exponent (e) is empty or zero".into())
            }
            KeyMaterial::Ec { curve, point } => {
                let len = curve.coordinate_len();
                // SEC1: 0x04 || x || y uncompressed, or 0x02/0x03 || x compressed.
                let fits = match point.first() {
                    Some(4) => point.len() == 1 + 2 * len,
                    Some(2 | 3) => point.len() == 1 + len,
                    _ => false,
                };
                if fits {
                    Ok(())
                } else {
                    bad(format!(
                        "the EC {} point is not a SEC1 point of {} bytes",
                        curve.name(),
                        1 + 2 * len
                    ))
                }
            }
            KeyMaterial::Ed25519 { x } if x.len() != ED25519_LEN => bad(format!(
                "an Ed25519 public key is {ED25519_LEN} bytes, not {}",
                x.len()
            )),
            _ => Ok(()),
        }
    }

    /// The algorithm for `alg`, after checking this key fits it (RFC 8725 §3.1).
    pub fn check_alg(&self, alg: &str) -> Result<Alg> {
        let algorithm = supported(alg)?;
        self.check_shape()?;
        let fits = match (self, alg) {
            (KeyMaterial::Secret(_), a) => a.starts_with("HS"),
            (KeyMaterial::Rsa { .. }, a) => a.starts_with("RS") || a.starts_with("PS"),
            (KeyMaterial::Ec { curve, .. }, a) => {
                matches!(
                    (curve, a),
                    (Curve::P256, "ES256") | (Curve::P384, "ES384") | (Curve::P521, "ES512")
                )
            }
            (KeyMaterial::Ed25519 { .. }, a) => a == "EdDSA",
        };
        if fits {
            return Ok(algorithm);
        }
        let hint = match (self, alg.starts_with("HS")) {
            (KeyMaterial::Secret(_), _) => "an HMAC secret only verifies HS256/384/512".to_string(),
            (_, true) => format!(
                "{alg} takes a shared secret; using a public key as an HMAC secret is the \
                 algorithm-confusion attack (RFC 8725 §3.1)"
            ),
            _ => "use the key type the algorithm expects".to_string(),
        };
        Err(JwtError::KeyMismatch(format!(
            "{} cannot verify {alg}: {hint}",
            self.describe()
        )))
    }

    /// The jsonwebtoken key.
    pub fn decoding_key(&self) -> DecodingKey {
        match self {
            KeyMaterial::Secret(s) => DecodingKey::from_secret(s),
            KeyMaterial::Rsa { n, e } => DecodingKey::from_rsa_raw_components(n, e),
            KeyMaterial::Ec { point, .. } => DecodingKey::from_ec_der(point),
            KeyMaterial::Ed25519 { x } => DecodingKey::from_ed_der(x),
        }
    }
}

impl TryFrom<&Jwk> for KeyMaterial {
    type Error = JwtError;

    /// A key from one JWK (public members only are needed).
    fn try_from(jwk: &Jwk) -> Result<Self> {
        let member = |name: &str| -> Result<Vec<u8>> {
            jwk.member(name)
                .map(|bytes| bytes.to_vec())
                .map_err(JwtError::InvalidKey)
        };
        // A member of a fixed size, such as an EC coordinate (RFC 7518 §6.2.1.2: "the full
        // size of a coordinate for the curve"), checked on its own: a short x and a long y
        // would otherwise add up to a point of the right length.
        let sized = |name: &str, len: usize, what: &str| -> Result<Vec<u8>> {
            let bytes = member(name)?;
            if bytes.len() == len {
                Ok(bytes)
            } else {
                Err(JwtError::InvalidKey(format!(
                    "JWK member '{name}' must be {len} bytes for {what}, not {}",
                    bytes.len()
                )))
            }
        };
        let (kty, crv) = (jwk.kty(), jwk.crv());
        let key = match (kty, crv) {
            ("oct", _) => KeyMaterial::Secret(member("k")?),
            ("RSA", _) => KeyMaterial::Rsa {
                n: member("n")?,
                e: member("e")?,
            },
            ("EC", "P-256" | "P-384" | "P-521") => {
                let curve = match crv {
                    "P-256" => Curve::P256,
                    "P-384" => Curve::P384,
                    _ => Curve::P521,
                };
                let len = curve.coordinate_len();
                let mut point = vec![0x04];
                point.extend(sized("x", len, curve.name())?);
                point.extend(sized("y", len, curve.name())?);
                KeyMaterial::Ec { curve, point }
            }
            ("OKP", "Ed25519") => KeyMaterial::Ed25519 {
                x: sized("x", ED25519_LEN, "Ed25519")?,
            },
            _ => {
                return Err(JwtError::InvalidKey(format!(
                    "unsupported JWK kty '{kty}'{}",
                    if crv.is_empty() {
                        String::new()
                    } else {
                        format!(" crv '{crv}'")
                    }
                )));
            }
        };
        key.check_shape()?;
        Ok(key)
    }
}

/// A supported JWS algorithm. jsonwebtoken has no ES512, so apiward signs and verifies it
/// itself through the p521 crate ([`super::es512`]); every other algorithm goes through
/// jsonwebtoken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    Lib(Algorithm),
    Es512,
}

/// The algorithm for a supported `alg`, or a clear "not supported" error.
pub fn supported(alg: &str) -> Result<Alg> {
    if alg.eq_ignore_ascii_case("none") {
        return Err(JwtError::Unsecured(alg.to_string()));
    }
    if alg == "ES512" {
        return Ok(Alg::Es512);
    }
    alg.parse::<Algorithm>()
        .map(Alg::Lib)
        .map_err(|_| JwtError::UnsupportedAlg(alg.to_string()))
}

/// Picks the key for a token from a JWKS: by `kid` when given, else the first key that fits
/// `alg`. Returns the chosen JWK and its key material.
pub fn select_from_jwks(
    jwks_json: &str,
    kid: Option<&str>,
    alg: Option<&str>,
) -> Result<(Value, KeyMaterial)> {
    let set: Value = serde_json::from_str(jwks_json)
        .map_err(|e| JwtError::InvalidKey(format!("the JWKS is not valid JSON: {e}")))?;
    let keys = set
        .get("keys")
        .and_then(Value::as_array)
        .ok_or_else(|| JwtError::InvalidKey("the JWKS has no \"keys\" array".into()))?;
    // Each entry read once as a typed JWK; the JSON is kept to hand back as it came.
    let keys: Vec<(&Value, Result<Jwk>)> = keys
        .iter()
        .map(|v| (v, Jwk::from_value(v).map_err(JwtError::InvalidKey)))
        .collect();
    let kid_of = |jwk: &Result<Jwk>| jwk.as_ref().ok().and_then(|j| j.kid.clone());
    let kids: Vec<String> = keys.iter().filter_map(|(_, j)| kid_of(j)).collect();
    let candidates: Vec<&(&Value, Result<Jwk>)> = match kid {
        Some(kid) => keys
            .iter()
            .filter(|(_, j)| kid_of(j).as_deref() == Some(kid))
            .collect(),
        None => keys.iter().collect(),
    };
    if candidates.is_empty() {
        return Err(JwtError::NoMatchingKey(format!(
            "no key has kid '{}' (kids present: {})",
            kid.unwrap_or(""),
            if kids.is_empty() {
                "none".to_string()
            } else {
                kids.join(", ")
            }
        )));
    }
    let mut last_err = None;
    for (value, jwk) in candidates {
        let jwk = match jwk {
            Ok(jwk) => jwk,
            Err(e) => {
                last_err = Some(e.clone());
                continue;
            }
        };
        // A JWK that names its alg is only for that alg (RFC 7517 §4.4).
        if let (Some(a), Some(want)) = (jwk.alg.as_deref(), alg)
            && a != want
        {
            last_err = Some(JwtError::NoMatchingKey(format!(
                "the key is for {a}, the token says {want}"
            )));
            continue;
        }
        match KeyMaterial::try_from(jwk) {
            Ok(key) => match alg.map(|a| key.check_alg(a)) {
                None | Some(Ok(_)) => return Ok(((*value).clone(), key)),
                Some(Err(e)) => last_err = Some(e),
            },
            Err(e) => last_err = Some(e),
        }
    }
    Err(last_err.unwrap_or_else(|| JwtError::NoMatchingKey("no usable key".into())))
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
