//! API keys in GitHub's format: `PREFIX_` + 30 random base62 characters + a 6-character
//! base62 CRC32 of the random part.
//!
//! The fixed prefix lets secret scanners find leaked keys; the checksum catches typos offline,
//! before any lookup. A key is shown once: the keyring keeps only its SHA-256, its last four
//! characters, scopes and times. The records live in the encrypted keyring rather than a file
//! of their own because age authenticates the file: nobody without the passphrase can add the
//! hash of a key they made up, or quietly lift a revocation. A SHA-256 without salt suits
//! these keys (unlike passwords): 178 random bits cannot be guessed from the hash.

use rand::Rng;
use serde::Serialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub use super::apikey_record::ApiKeyRecord;
use super::keyring::Keyring;
use super::{KeysError, Result};

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// Random characters: 30 × log2(62) ≈ 178 bits.
pub const RANDOM_LEN: usize = 30;
/// A CRC32 (< 2^32) needs 6 base62 digits (62^6 ≈ 5.7e10).
pub const CHECKSUM_LEN: usize = 6;

/// A newly issued key: the only time the key itself is available.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedKey {
    pub key: String,
    pub record: ApiKeyRecord,
}

fn base62(mut n: u64, width: usize) -> String {
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8(out).unwrap_or_default()
}

fn random_base62(len: usize) -> String {
    let mut rng = rand::rngs::OsRng;
    (0..len)
        .map(|_| BASE62[rng.gen_range(0..62)] as char)
        .collect()
}

/// The 6-character base62 CRC32 of the random part.
pub fn checksum(random: &str) -> String {
    base62(u64::from(crc32fast::hash(random.as_bytes())), CHECKSUM_LEN)
}

/// A prefix is 2 to 16 ASCII letters and digits: no `_`, so the key splits one way only.
pub fn check_prefix(prefix: &str) -> Result<()> {
    if (2..=16).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(KeysError::ApiKey(format!(
            "the prefix '{prefix}' must be 2 to 16 letters and digits, such as 'acme'"
        )))
    }
}

/// Checks a key's shape and checksum, offline. Returns its prefix.
pub fn check(key: &str) -> Result<&str> {
    let bad = |why: &str| Err(KeysError::ApiKey(format!("not a valid API key: {why}")));
    let Some((prefix, body)) = key.trim().split_once('_') else {
        return bad("it has no PREFIX_ part");
    };
    check_prefix(prefix)?;
    if body.len() != RANDOM_LEN + CHECKSUM_LEN || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return bad("the part after the prefix must be 36 letters and digits");
    }
    let (random, sum) = body.split_at(RANDOM_LEN);
    if checksum(random) != sum {
        return bad("the checksum does not match (a typo, or not one of ours)");
    }
    Ok(prefix)
}

fn sha256_hex(key: &str) -> String {
    Sha256::digest(key.trim().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Issues a key: the record goes into the keyring, the key is returned once.
pub fn issue(
    ring: &mut Keyring,
    prefix: &str,
    scopes: &[String],
    expires_at: Option<i64>,
    now: i64,
) -> Result<IssuedKey> {
    check_prefix(prefix)?;
    let random = random_base62(RANDOM_LEN);
    let key = format!("{prefix}_{random}{}", checksum(&random));
    let record = ApiKeyRecord {
        id: random_base62(8),
        prefix: prefix.to_string(),
        sha256: sha256_hex(&key),
        last4: key[key.len() - 4..].to_string(),
        scopes: scopes.to_vec(),
        created_at: now,
        expires_at,
        revoked_at: None,
        revoke_reason: None,
        replaced_by: None,
    };
    ring.api_keys.push(record.clone());
    Ok(IssuedKey { key, record })
}

/// Why a key was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("{0}")]
    Malformed(String),
    #[error("the key is not known")]
    Unknown,
    #[error("the key was revoked")]
    Revoked,
    #[error("the key has expired")]
    Expired,
}

impl crate::error_kind::Kind for Rejection {
    /// A well-formed key that is refused is the check's verdict.
    fn exit_kind(&self) -> crate::error_kind::ExitKind {
        match self {
            Rejection::Malformed(_) => crate::error_kind::ExitKind::BadInput,
            _ => crate::error_kind::ExitKind::Failure,
        }
    }
}

/// Verifies a key at `now`: the checksum first (no lookup for a typo), then the hash, compared
/// in constant time against every record so timing does not reveal how much matched.
pub fn verify<'a>(ring: &'a Keyring, key: &str, now: i64) -> Result<&'a ApiKeyRecord, Rejection> {
    check(key).map_err(|e| Rejection::Malformed(e.to_string()))?;
    let hash = sha256_hex(key);
    let mut found = None;
    for record in &ring.api_keys {
        if bool::from(record.sha256.as_bytes().ct_eq(hash.as_bytes())) {
            found = Some(record);
        }
    }
    let record = found.ok_or(Rejection::Unknown)?;
    if record.revoked_at.is_some() {
        Err(Rejection::Revoked)
    } else if !record.is_valid(now) {
        Err(Rejection::Expired)
    } else {
        Ok(record)
    }
}

fn record_mut<'a>(ring: &'a mut Keyring, id: &str) -> Result<&'a mut ApiKeyRecord> {
    ring.api_keys
        .iter_mut()
        .find(|r| r.id == id)
        .ok_or_else(|| KeysError::ApiKey(format!("no API key has id '{id}'")))
}

/// Rotates key `id`: a new key with the same prefix, scopes and lifetime is issued, and the
/// old one stays valid for `overlap` seconds so clients can switch without an outage.
pub fn rotate(ring: &mut Keyring, id: &str, overlap: i64, now: i64) -> Result<IssuedKey> {
    let old = record_mut(ring, id)?.clone();
    if !old.is_valid(now) {
        return Err(KeysError::ApiKey(format!(
            "API key '{id}' is {}: issue a new one instead",
            old.status(now)
        )));
    }
    let lifetime = old.expires_at.map(|e| e - old.created_at);
    let issued = issue(
        ring,
        &old.prefix,
        &old.scopes,
        lifetime.map(|l| now + l),
        now,
    )?;
    let old = record_mut(ring, id)?;
    let end = now.saturating_add(overlap.max(0));
    old.expires_at = Some(old.expires_at.map_or(end, |e| e.min(end)));
    old.replaced_by = Some(issued.record.id.clone());
    Ok(issued)
}

/// Revokes key `id` at once, keeping why when a reason is given.
pub fn revoke(ring: &mut Keyring, id: &str, reason: Option<&str>, now: i64) -> Result<()> {
    let record = record_mut(ring, id)?;
    if record.revoked_at.is_some() {
        return Err(KeysError::ApiKey(format!(
            "API key '{id}' is already revoked"
        )));
    }
    record.revoked_at = Some(now);
    record.revoke_reason = reason.filter(|r| !r.trim().is_empty()).map(str::to_string);
    Ok(())
}

#[cfg(test)]
#[path = "apikey_tests.rs"]
mod tests;
