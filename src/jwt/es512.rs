//! ES512 (ECDSA on P-521 with SHA-512, RFC 7518 §3.4), which jsonwebtoken does not offer:
//! signing and verifying through the RustCrypto p521 crate, with the JWS signature as the
//! fixed-size `R || S` (66 bytes each) the RFC asks for, never DER.

use p521::ecdsa::signature::{Signer, Verifier};
use p521::ecdsa::{Signature, SigningKey, VerifyingKey};
use p521::pkcs8::DecodePrivateKey;

use super::{JwtError, Result};

/// The length of an ES512 signature: R and S, 66 bytes each (RFC 7518 §3.4).
pub const SIGNATURE_LEN: usize = 132;

/// Verifies an ES512 signature over `input` with an SEC1 P-521 point. A signature of the
/// wrong length or with R or S out of range is simply not valid.
pub fn verify(point: &[u8], input: &[u8], signature: &[u8]) -> Result<bool> {
    let key = VerifyingKey::from_sec1_bytes(point)
        .map_err(|_| JwtError::InvalidKey("the EC P-521 point is not on the curve".into()))?;
    if signature.len() != SIGNATURE_LEN {
        return Ok(false);
    }
    let Ok(sig) = Signature::from_slice(signature) else {
        return Ok(false);
    };
    Ok(key.verify(input, &sig).is_ok())
}

/// Signs `input` with a P-521 secret scalar (RFC 6979 deterministic nonces).
pub fn sign(secret: &p521::SecretKey, input: &[u8]) -> Result<Vec<u8>> {
    let key = SigningKey::from_bytes(&secret.to_bytes())
        .map_err(|e| JwtError::InvalidKey(format!("the P-521 key cannot sign: {e}")))?;
    let sig: Signature = key.sign(input);
    Ok(sig.to_bytes().to_vec())
}

/// A P-521 secret from a PKCS#8 or SEC1 (`EC PRIVATE KEY`) PEM.
pub fn secret_from_pem(pem: &str) -> Result<p521::SecretKey> {
    let not =
        || JwtError::InvalidKey("the PEM is not a P-521 private key, which ES512 needs".into());
    let (label, der) = super::pem::decode(pem).ok_or_else(not)?;
    match label.as_str() {
        "PRIVATE KEY" => p521::SecretKey::from_pkcs8_der(&der).map_err(|_| not()),
        "EC PRIVATE KEY" => p521::SecretKey::from_sec1_der(&der).map_err(|_| not()),
        _ => Err(not()),
    }
}

/// A P-521 secret from a JWK's `d` (66 bytes, RFC 7518 §6.2.2.1).
pub fn secret_from_d(d: &[u8]) -> Result<p521::SecretKey> {
    p521::SecretKey::from_slice(d)
        .map_err(|_| JwtError::InvalidKey("the P-521 'd' is not a valid 66-byte scalar".into()))
}
