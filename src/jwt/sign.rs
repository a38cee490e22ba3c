//! Signing tokens from a header and claims, with a secret, a PEM private key or a private JWK,
//! for every algorithm jsonwebtoken supports and ES512 (through [`super::es512`]); and editing
//! claims (`role=admin`, `exp=+1h`).
//!
//! We serialise and sign the header ourselves (jsonwebtoken's `Header` drops members it does
//! not know), so custom header members such as `jku` or `kid` survive exactly.

use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Map, Value};

use zeroize::Zeroizing;

use super::duration::parse_time_value;
use super::jwk::Jwk;
use super::keys::{Alg, supported};
use super::{JwtError, Result, b64, es512};

/// A key that can sign.
#[derive(Clone)]
pub enum SigningKey {
    /// An HMAC secret.
    Secret(Vec<u8>),
    /// A private key in PEM: PKCS#8 `PRIVATE KEY` (RSA, EC, Ed25519), PKCS#1
    /// `RSA PRIVATE KEY` or SEC1 `EC PRIVATE KEY`.
    Pem(String),
    /// A private JWK (`oct`, `RSA` with d/p/q, `EC` P-256/384/521 with d, `OKP` Ed25519 with d).
    Jwk(Value),
}

impl std::fmt::Debug for SigningKey {
    // Never print key bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SigningKey::Secret(_) => "SigningKey::Secret(..)",
            SigningKey::Pem(_) => "SigningKey::Pem(..)",
            SigningKey::Jwk(_) => "SigningKey::Jwk(..)",
        })
    }
}

/// Signs `claims` (any JSON value, normally an object) under `header` with `alg`, which
/// overrides any `alg` in the header. Other header members are kept in order.
pub fn sign(
    header: &Map<String, Value>,
    claims: &Value,
    alg: &str,
    key: &SigningKey,
) -> Result<String> {
    sign_payload_b64(header, &b64::encode(claims.to_string()), alg, key)
}

/// Like [`sign`], over a payload segment given as it is (any bytes, already base64url).
pub fn sign_payload_b64(
    header: &Map<String, Value>,
    payload_b64: &str,
    alg: &str,
    key: &SigningKey,
) -> Result<String> {
    let algorithm = supported(alg)?;
    // The key is checked before anything is built, so a wrong key fails the same either way.
    let lib_key = match algorithm {
        Alg::Lib(a) => Some((a, encoding_key(key, a)?)),
        Alg::Es512 => None,
    };
    let mut header = header.clone();
    header.insert("alg".into(), Value::String(alg.to_string()));
    let input = format!(
        "{}.{payload_b64}",
        b64::encode(Value::Object(header).to_string()),
    );
    let sig = match lib_key {
        Some((a, ek)) => jsonwebtoken::crypto::sign(input.as_bytes(), &ek, a)
            .map_err(|e| JwtError::Sign(e.to_string()))?,
        None => b64::encode(es512::sign(&p521_secret(key)?, input.as_bytes())?),
    };
    Ok(format!("{input}.{sig}"))
}

/// The P-521 secret of `key` for ES512, refusing any other kind of key.
fn p521_secret(key: &SigningKey) -> Result<p521::SecretKey> {
    match key {
        SigningKey::Secret(_) => Err(JwtError::KeyMismatch(
            "an HMAC secret cannot sign ES512".into(),
        )),
        SigningKey::Pem(pem) => es512::secret_from_pem(pem),
        SigningKey::Jwk(jwk) => {
            let jwk = typed(jwk)?;
            let (kty, crv) = (jwk.kty(), jwk.crv());
            if (kty, crv) != ("EC", "P-521") {
                return Err(JwtError::KeyMismatch(format!(
                    "a JWK of kty '{kty}'{} cannot sign ES512, which takes an EC P-521 key",
                    if crv.is_empty() {
                        String::new()
                    } else {
                        format!(" crv '{crv}'")
                    }
                )));
            }
            es512::secret_from_d(&private_member(&jwk, "d")?)
        }
    }
}

fn typed(jwk: &Value) -> Result<Jwk> {
    Jwk::from_value(jwk).map_err(JwtError::InvalidKey)
}

/// A base64url member of a private JWK, decoded (and wiped when dropped).
fn private_member(jwk: &Jwk, name: &str) -> Result<Zeroizing<Vec<u8>>> {
    jwk.member(name)
        .map_err(|why| JwtError::InvalidKey(format!("private JWK: {why}")))
}

/// HMAC over `signing_input` with any key bytes, empty included: forging needs keys that the
/// normal path would (rightly) never use.
pub fn hmac_raw(alg: &str, key: &[u8], signing_input: &[u8]) -> Result<Vec<u8>> {
    use hmac::{Hmac, Mac};
    macro_rules! mac {
        ($h:ty) => {{
            let mut m =
                Hmac::<$h>::new_from_slice(key).map_err(|e| JwtError::Sign(e.to_string()))?;
            m.update(signing_input);
            m.finalize().into_bytes().to_vec()
        }};
    }
    Ok(match alg {
        "HS256" => mac!(sha2::Sha256),
        "HS384" => mac!(sha2::Sha384),
        "HS512" => mac!(sha2::Sha512),
        other => return Err(JwtError::UnsupportedAlg(other.to_string())),
    })
}

/// The jsonwebtoken key for `key`, refusing keys that do not fit the algorithm's family.
pub fn encoding_key(key: &SigningKey, alg: Algorithm) -> Result<EncodingKey> {
    use jsonwebtoken::AlgorithmFamily as F;
    let family = alg.family();
    let mismatch = |what: &str| JwtError::KeyMismatch(format!("{what} cannot sign {alg:?}"));
    match key {
        SigningKey::Secret(s) if family == F::Hmac => Ok(EncodingKey::from_secret(s)),
        SigningKey::Secret(_) => Err(mismatch("an HMAC secret")),
        SigningKey::Pem(_) if family == F::Hmac => Err(mismatch("a PEM private key")),
        SigningKey::Pem(pem) => {
            let bytes = pem.as_bytes();
            let parsed = match family {
                F::Rsa => EncodingKey::from_rsa_pem(bytes),
                F::Ec => return ec_pem_key(pem, alg),
                _ => EncodingKey::from_ed_pem(bytes),
            };
            parsed.map_err(|e| {
                JwtError::InvalidKey(format!("the PEM is not a {family:?} private key ({e})"))
            })
        }
        SigningKey::Jwk(jwk) => jwk_encoding_key(jwk, alg),
    }
}

/// An ES256/ES384 key from PEM. jsonwebtoken reads only PKCS#8, so a SEC1 `EC PRIVATE KEY`
/// (what `openssl ec` and `openssl ecparam -genkey` write) is re-encoded as PKCS#8 first.
fn ec_pem_key(pem: &str, alg: Algorithm) -> Result<EncodingKey> {
    use p256::pkcs8::EncodePrivateKey;
    let not = || JwtError::InvalidKey(format!("the PEM is not an EC private key for {alg:?}"));
    let (label, der) = super::pem::decode(pem).ok_or_else(not)?;
    let der = Zeroizing::new(der);
    if label != "EC PRIVATE KEY" {
        return EncodingKey::from_ec_pem(pem.as_bytes())
            .map_err(|e| JwtError::InvalidKey(format!("the PEM is not an EC private key ({e})")));
    }
    let pkcs8 = match alg {
        Algorithm::ES256 => p256::SecretKey::from_sec1_der(&der).map(|k| k.to_pkcs8_der()),
        Algorithm::ES384 => p384::SecretKey::from_sec1_der(&der).map(|k| k.to_pkcs8_der()),
        _ => return Err(not()),
    }
    .map_err(|_| not())?
    .map_err(|_| not())?;
    Ok(EncodingKey::from_ec_der(pkcs8.as_bytes()))
}

fn jwk_encoding_key(jwk: &Value, alg: Algorithm) -> Result<EncodingKey> {
    use jsonwebtoken::AlgorithmFamily as F;
    use p256::pkcs8::EncodePrivateKey;
    let family = alg.family();
    let jwk = typed(jwk)?;
    let member = |name: &str| private_member(&jwk, name);
    let fail = |e: &dyn std::fmt::Display| JwtError::InvalidKey(format!("private JWK: {e}"));
    let kty = jwk.kty();
    match (kty, family) {
        ("oct", F::Hmac) => Ok(EncodingKey::from_secret(&member("k")?)),
        ("RSA", F::Rsa) => {
            use rsa::BigUint;
            use rsa::pkcs1::EncodeRsaPrivateKey;
            let big = |n: &str| member(n).map(|b| BigUint::from_bytes_be(&b));
            let key = rsa::RsaPrivateKey::from_components(
                big("n")?,
                big("e")?,
                big("d")?,
                vec![big("p")?, big("q")?],
            )
            .map_err(|e| fail(&e))?;
            let der = key.to_pkcs1_der().map_err(|e| fail(&e))?;
            Ok(EncodingKey::from_rsa_der(der.as_bytes()))
        }
        ("EC", F::Ec) => {
            // The curve is the algorithm's (RFC 7518 §3.4): a P-384 key never signs ES256.
            let crv = jwk.crv();
            let der = match (crv, alg) {
                ("P-256", Algorithm::ES256) => p256::SecretKey::from_slice(&member("d")?)
                    .map_err(|e| fail(&e))?
                    .to_pkcs8_der(),
                ("P-384", Algorithm::ES384) => p384::SecretKey::from_slice(&member("d")?)
                    .map_err(|e| fail(&e))?
                    .to_pkcs8_der(),
                _ => {
                    return Err(JwtError::KeyMismatch(format!(
                        "an EC key on curve '{crv}' cannot sign {alg:?} (ES256 takes P-256, \
                         ES384 P-384, ES512 P-521)"
                    )));
                }
            }
            .map_err(|e| fail(&e))?;
            Ok(EncodingKey::from_ec_der(der.as_bytes()))
        }
        ("OKP", F::Ed) => {
            let d: [u8; 32] = member("d")?
                .as_slice()
                .try_into()
                .map_err(|_| JwtError::InvalidKey("an Ed25519 'd' must be 32 bytes".into()))?;
            let der = ed25519_dalek::SigningKey::from_bytes(&d)
                .to_pkcs8_der()
                .map_err(|e| fail(&e))?;
            Ok(EncodingKey::from_ed_der(der.as_bytes()))
        }
        _ => Err(JwtError::KeyMismatch(format!(
            "a JWK of kty '{kty}' cannot sign a {family:?} algorithm"
        ))),
    }
}

/// Splits `name=value` into its parts.
pub fn parse_edit(text: &str) -> Result<(String, String)> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(JwtError::ClaimEdit(
            text.to_string(),
            "write it as name=value".into(),
        )),
    }
}

/// Applies edits to claims: values that parse as JSON are JSON (`admin=true`, `n=5`), others
/// are strings; for exp, nbf and iat, durations like `+1h` or `-2d` are relative to `now`.
/// An empty value removes the claim.
pub fn apply_edits(
    claims: &mut Map<String, Value>,
    set: &[(String, String)],
    now: i64,
) -> Result<()> {
    for (name, value) in set {
        if value.is_empty() {
            claims.remove(name);
            continue;
        }
        let v = if matches!(name.as_str(), "exp" | "nbf" | "iat") {
            let t = parse_time_value(value, now).ok_or_else(|| {
                JwtError::ClaimEdit(
                    format!("{name}={value}"),
                    "a time claim takes unix seconds, now, or a duration such as +1h".into(),
                )
            })?;
            Value::from(t)
        } else {
            serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.clone()))
        };
        claims.insert(name.clone(), v);
    }
    Ok(())
}

#[cfg(test)]
#[path = "sign_tests.rs"]
pub(crate) mod tests;
