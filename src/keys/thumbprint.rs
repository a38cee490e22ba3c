//! JWK thumbprints (RFC 7638): the default `kid` of asymmetric keys.
//!
//! A thumbprint is derived from the public key alone, so every party computes the same id and
//! a `kid` can never silently point at a different key. HMAC keys do not get one: a hash of a
//! secret is an offline oracle for guessing it, so they get random ids instead.

use serde_json::Value;

use super::{KeysError, Result};
use crate::jwt::b64;

/// The RFC 7638 SHA-256 thumbprint of a JWK, base64url (computed in `jwt`, where the
/// key-recovery code needs it too).
pub fn thumbprint(jwk: &Value) -> Result<String> {
    crate::jwt::thumbprint::thumbprint(jwk).map_err(KeysError::InvalidKey)
}

/// A random id for a key with no public half: 16 base64url characters (96 bits).
pub fn random_kid() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    b64::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc7638_section_3_1_example() {
        let jwk = json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        });
        assert_eq!(
            thumbprint(&jwk).unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn optional_members_do_not_change_it_and_missing_ones_fail() {
        let a = json!({"kty": "OKP", "crv": "Ed25519", "x": "abc"});
        let b = json!({"x": "abc", "use": "sig", "crv": "Ed25519", "kty": "OKP", "kid": "z"});
        assert_eq!(thumbprint(&a).unwrap(), thumbprint(&b).unwrap());
        assert!(thumbprint(&json!({"kty": "EC", "crv": "P-256", "x": "a"})).is_err());
        assert!(thumbprint(&json!({"kty": "XYZ"})).is_err());
        assert_eq!(random_kid().len(), 16);
    }
}
