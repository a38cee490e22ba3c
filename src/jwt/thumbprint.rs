//! JWK thumbprints (RFC 7638): SHA-256 over a key's required members. `keys` names keys by
//! them; `recover` names the keys it finds.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::b64;
use super::jwk::Jwk;

/// The RFC 7638 SHA-256 thumbprint of a JWK given as JSON.
pub fn thumbprint(jwk: &Value) -> Result<String, String> {
    of(&Jwk::from_value(jwk)?)
}

/// The RFC 7638 SHA-256 thumbprint of a JWK, base64url: the required members of its `kty`,
/// in lexicographic order, as JSON with no whitespace.
pub fn of(jwk: &Jwk) -> Result<String, String> {
    let kty = jwk.kty();
    let required: &[&str] = match kty {
        "RSA" => &["e", "kty", "n"],
        "EC" => &["crv", "kty", "x", "y"],
        "OKP" => &["crv", "kty", "x"],
        "oct" => &["k", "kty"],
        other => {
            return Err(format!(
                "no thumbprint for JWK kty '{other}' (RFC 7638 §3.2 defines RSA, EC, OKP, oct)"
            ));
        }
    };
    let mut members = Vec::with_capacity(required.len());
    for name in required {
        let value = jwk
            .get(name)
            .ok_or_else(|| format!("the {kty} JWK has no string member '{name}'"))?;
        // Value's Display escapes exactly as JSON requires (RFC 7638 §3.3).
        members.push(format!("\"{name}\":{}", Value::from(value)));
    }
    let canonical = format!("{{{}}}", members.join(","));
    Ok(b64::encode(Sha256::digest(canonical.as_bytes())))
}
