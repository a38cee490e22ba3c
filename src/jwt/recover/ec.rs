//! The EC public key of an ES256, ES384 or ES512 token: an ECDSA signature (r, s) over a known hash
//! fits at most four public keys, one per recovery id (which of the curve points with x = r,
//! or r + n, was the nonce's). A second token signed by the same key leaves one.

use p256::pkcs8::EncodePublicKey;
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::{Candidate, RecoverError};
use crate::jwt::decode::Decoded;
use crate::jwt::keys::{Curve, KeyMaterial};
use crate::jwt::pem;

/// Every key that the signature of `token` fits, as (uncompressed SEC1 point, SPKI DER).
/// Through the ecdsa crate's own types: p521 wraps its keys in types that have no recovery.
macro_rules! recover_on {
    ($curve:ident, $c:ty, $hash:ty, $token:expr) => {{
        use ecdsa::{RecoveryId, Signature, VerifyingKey};
        let prehash = <$hash>::digest($token.signing_input.as_bytes());
        let signature = Signature::<$c>::from_slice(&$token.signature).ok();
        let mut keys = Vec::new();
        for id in 0..4u8 {
            let (Some(signature), Some(id)) = (&signature, RecoveryId::from_byte(id)) else {
                continue;
            };
            let Ok(key) = VerifyingKey::<$c>::recover_from_prehash(&prehash, signature, id) else {
                continue;
            };
            let point = key.to_encoded_point(false).as_bytes().to_vec();
            let der = $curve::PublicKey::from_sec1_bytes(&point)
                .ok()
                .and_then(|public| public.to_public_key_der().ok());
            if let Some(der) = der {
                keys.push((point, der.as_bytes().to_vec()));
            }
        }
        keys
    }};
}

pub fn recover(alg: &str, tokens: &[Decoded]) -> Result<Vec<Candidate>, RecoverError> {
    let curve = match alg {
        "ES384" => Curve::P384,
        "ES512" => Curve::P521,
        _ => Curve::P256,
    };
    let size = curve.coordinate_len();
    for (i, t) in tokens.iter().enumerate() {
        if t.signature.len() != 2 * size {
            return Err(RecoverError::Unusable(format!(
                "token {}'s signature is {} bytes, not the {} of an {alg} signature (r and s, {size} bytes each)",
                i + 1,
                t.signature.len(),
                2 * size
            )));
        }
    }
    let mut keys = match curve {
        Curve::P384 => recover_on!(p384, p384::NistP384, Sha384, &tokens[0]),
        Curve::P521 => recover_on!(p521, p521::NistP521, Sha512, &tokens[0]),
        _ => recover_on!(p256, p256::NistP256, Sha256, &tokens[0]),
    };
    keys.dedup();
    let mut candidates = Vec::new();
    for (point, der) in keys {
        let key = KeyMaterial::Ec { curve, point };
        let jwk = key.to_jwk();
        candidates.push(Candidate::new(
            key,
            None,
            8 * size as u64,
            pem::encode("PUBLIC KEY", &der),
            None,
            jwk,
            tokens,
        )?);
    }
    if candidates.is_empty() {
        return Err(RecoverError::Unusable(
            "no curve point fits token 1's signature: it is not a valid ECDSA signature".into(),
        ));
    }
    if tokens.len() > 1 {
        candidates.retain(|c| c.verifies);
        if candidates.is_empty() {
            return Err(RecoverError::NoCommonKey(
                "no key that fits token 1 verifies every other token: they were signed with different keys".into(),
            ));
        }
    }
    Ok(candidates)
}
