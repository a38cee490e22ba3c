//! Public-key recovery from signed tokens, for algorithm confusion where the server publishes
//! no key: the RSA modulus from two or more RS256/384/512 tokens ([`rsa`]), the EC public key
//! from one ES256/384/512 token, pinned down by a second ([`ec`]). Every candidate is checked
//! against every token with [`super::verify`].

mod ec;
mod rsa;

use serde::Serialize;

use super::decode::{Decoded, TokenKind};
use super::jwk::Jwk;
use super::keys::KeyMaterial;
use super::verify::{VerifyOptions, verify};
use crate::jwt::thumbprint;

/// Why recovery gave nothing.
#[derive(Debug, thiserror::Error)]
pub enum RecoverError {
    /// The input cannot be used at all (one RSA token, PS256, HS256, a JWE …): exit 2.
    #[error("{0}")]
    Unusable(String),
    /// The tokens were read but share no key: different algorithms or different keys (exit 1).
    #[error("{0}")]
    NoCommonKey(String),
    #[error("no recovered key verifies both tokens, so there is nothing to try")]
    NoneVerifies,
    #[error("cancelled")]
    Cancelled,
}

impl crate::error_kind::Kind for RecoverError {
    /// Tokens that share no key is the verdict; tokens that cannot be used are bad input.
    fn exit_kind(&self) -> crate::error_kind::ExitKind {
        match self {
            RecoverError::Unusable(_) => crate::error_kind::ExitKind::BadInput,
            _ => crate::error_kind::ExitKind::Failure,
        }
    }
}

/// How a recovery reports progress and learns it was cancelled (the task runner's context in
/// the front ends; nothing in tests).
pub trait Steps: Sync {
    fn progress(&self, _fraction: f64) {}
    fn log(&self, _line: String) {}
    fn cancelled(&self) -> bool {
        false
    }
}

/// Steps that report nowhere and never cancel.
pub struct Quiet;
impl Steps for Quiet {}

impl Steps for crate::tasks::TaskContext {
    fn progress(&self, fraction: f64) {
        crate::tasks::TaskContext::progress(self, crate::tasks::Progress::Fraction(fraction));
    }
    fn log(&self, line: String) {
        crate::tasks::TaskContext::log(self, line);
    }
    fn cancelled(&self) -> bool {
        self.is_cancelled()
    }
}

/// One recovered public key.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// The RSA public exponent; None for EC keys.
    pub e: Option<u32>,
    /// The modulus length, or the curve's field size.
    pub bits: u64,
    /// The RFC 7638 thumbprint of [`Candidate::jwk`].
    pub thumbprint: String,
    pub spki_pem: String,
    /// RSA only: the PKCS#1 `RSA PUBLIC KEY` PEM.
    pub pkcs1_pem: Option<String>,
    /// The public JWK (kty and its required members only).
    pub jwk: Jwk,
    /// Whether this key verifies the signature of every token given.
    pub verifies: bool,
    #[serde(skip)]
    pub key: KeyMaterial,
}

impl Candidate {
    /// "RSA 2048-bit, e = 65537" or "EC P-256": the key as both front ends name it.
    pub fn describe(&self) -> String {
        match self.e {
            Some(e) => format!("RSA {}-bit, e = {e}", self.bits),
            None => format!("EC {}", self.jwk.crv()),
        }
    }

    /// "verifies both tokens" and the like, for a recovery from `tokens` tokens.
    pub fn verdict(&self, tokens: usize) -> &'static str {
        match (self.verifies, tokens) {
            (true, 1) => "verifies the token",
            (true, 2) => "verifies both tokens",
            (true, _) => "verifies every token",
            (false, _) => "does NOT verify every token",
        }
    }

    /// A candidate for `key`, checked against every token.
    fn new(
        key: KeyMaterial,
        e: Option<u32>,
        bits: u64,
        spki_pem: String,
        pkcs1_pem: Option<String>,
        jwk: Jwk,
        tokens: &[Decoded],
    ) -> Result<Self, RecoverError> {
        let thumbprint = thumbprint::of(&jwk)
            .map_err(|err| RecoverError::Unusable(format!("thumbprint: {err}")))?;
        let opts = VerifyOptions::new(0);
        let verifies = tokens.iter().all(|t| {
            verify(t, &key, &opts)
                .map(|v| v.signature_valid)
                .unwrap_or(false)
        });
        Ok(Self {
            e,
            bits,
            thumbprint,
            spki_pem,
            pkcs1_pem,
            jwk,
            verifies,
            key,
        })
    }
}

/// Recovers the public key that signed `tokens`: candidates, the ones that verify every token
/// first. RSA needs two tokens or more; EC works from one.
pub fn recover(tokens: &[Decoded], steps: &dyn Steps) -> Result<Vec<Candidate>, RecoverError> {
    let first = tokens
        .first()
        .ok_or_else(|| RecoverError::Unusable("give at least one token".into()))?;
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Jws || t.signature.is_empty() {
            return Err(RecoverError::Unusable(format!(
                "token {} is not a signed JWS: only a signature gives the key away",
                i + 1
            )));
        }
    }
    let alg = first.alg.clone().unwrap_or_default();
    if let Some((i, other)) = tokens
        .iter()
        .enumerate()
        .find(|(_, t)| t.alg.as_deref() != Some(alg.as_str()))
    {
        return Err(RecoverError::NoCommonKey(format!(
            "token 1 is {alg} but token {} is {}: tokens signed with different algorithms were not signed by one key",
            i + 1,
            other.alg.as_deref().unwrap_or("without alg")
        )));
    }
    let mut candidates = match alg.as_str() {
        "RS256" | "RS384" | "RS512" => rsa::recover(&alg, tokens, steps)?,
        "PS256" | "PS384" | "PS512" => return Err(RecoverError::Unusable(PSS_REFUSAL.into())),
        "ES256" | "ES384" | "ES512" => ec::recover(&alg, tokens)?,
        other => {
            return Err(RecoverError::Unusable(format!(
                "{other} tokens do not give their key away: recover-key works on RS256/384/512 and ES256/384/512"
            )));
        }
    };
    // The keys that verify every token first; the order among the rest is kept.
    candidates.sort_by_key(|c| !c.verifies);
    Ok(candidates)
}

/// Why PS256/384/512 cannot be attacked the same way, in one sentence.
pub const PSS_REFUSAL: &str = "PS256/384/512 signatures are randomised (RSASSA-PSS puts a random salt in the encoded message), so the modulus cannot be recovered from s^e - m: the encoded message m is unknown; get RS256 tokens from the same key or the key itself";

#[cfg(test)]
mod tests;
