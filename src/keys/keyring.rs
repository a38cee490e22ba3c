//! The keyring's contents: the rotation policy, the signing keys with their lifecycle times,
//! and the API key records. Everything here is plain data that serialises to the JSON inside
//! the encrypted file (see [`super::store`]).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::apikey_record::ApiKeyRecord;
use super::material::{Private, check_alg};
use super::thumbprint::random_kid;
use super::{KeysError, Result};
use crate::jwt::SigningKey;
use crate::jwt::jwk::Jwk;
use crate::jwt::thumbprint;

/// Written inside the file so a foreign JSON document that happens to decrypt is refused.
pub const FORMAT: &str = "apiward-keyring";
pub const VERSION: u32 = 1;

/// Where a key is in its life. Published means "in the public JWKS".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyState {
    /// Published, not signing yet: verifiers' caches pick it up before it is used.
    Next,
    /// Signing (and published). At most one key is active.
    Active,
    /// Published, no longer signing: tokens it signed are still in circulation.
    Retiring,
    /// Unpublished after its tokens expired.
    Retired,
    /// Unpublished at once after a compromise.
    Revoked,
}

impl KeyState {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Next => "next",
            KeyState::Active => "active",
            KeyState::Retiring => "retiring",
            KeyState::Retired => "retired",
            KeyState::Revoked => "revoked",
        }
    }

    /// Whether keys in this state belong in the public JWKS.
    pub fn is_published(self) -> bool {
        matches!(self, KeyState::Next | KeyState::Active | KeyState::Retiring)
    }
}

impl std::fmt::Display for KeyState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rotation policy, in seconds. Stored in the keyring so every run plans alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// How long a key signs before it is rotated out.
    pub rotation_period: i64,
    /// The longest lifetime (exp - iat) of the tokens the keys sign.
    pub max_token_lifetime: i64,
    /// How long verifiers may cache the JWKS before fetching it again.
    pub jwks_cache_ttl: i64,
    /// The clock skew verifiers allow on exp and nbf.
    pub clock_skew: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            rotation_period: 90 * 86_400,
            max_token_lifetime: 3_600,
            jwks_cache_ttl: 3_600,
            clock_skew: 60,
        }
    }
}

/// The secret half of a key, kept only inside the encrypted keyring.
///
/// Not `Clone`, and wiped when dropped: a [`KeyEntry`] holds it behind an `Arc`, so copying
/// an entry or a whole keyring (the TUI works on a copy and keeps it only when a change is
/// accepted) shares the one secret instead of leaving copies of it around the heap.
#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Secret {
    /// An HMAC secret, base64url.
    Hmac { k: String },
    /// An asymmetric private key, PKCS#8 PEM.
    Pkcs8 { pem: String },
}

impl Drop for Secret {
    fn drop(&mut self) {
        match self {
            Secret::Hmac { k } => k.zeroize(),
            Secret::Pkcs8 { pem } => pem.zeroize(),
        }
    }
}

impl ZeroizeOnDrop for Secret {}

/// Serde for the shared secret, as the bare secret: the file format is the one written
/// before it was shared (serde's own `Arc` support is behind its `rc` feature).
mod shared {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Secret;

    pub fn serialize<S: Serializer>(secret: &Arc<Secret>, s: S) -> Result<S::Ok, S::Error> {
        secret.as_ref().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<Secret>, D::Error> {
        Secret::deserialize(d).map(Arc::new)
    }
}

/// One signing key and its history.
#[derive(Clone, Serialize, Deserialize)]
pub struct KeyEntry {
    pub kid: String,
    /// The one algorithm this key is for (RFC 8725 §3.1).
    pub alg: String,
    /// Always "sig": these keys sign tokens, never encrypt.
    #[serde(rename = "use")]
    pub key_use: String,
    pub state: KeyState,
    pub created_at: i64,
    /// When it entered the JWKS (HMAC keys are never published: `None`).
    pub published_at: Option<i64>,
    pub activated_at: Option<i64>,
    /// When it stopped signing.
    pub deactivated_at: Option<i64>,
    pub retired_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub revoke_reason: Option<String>,
    /// The public JWK with kid, alg and use; `None` for HMAC keys.
    pub public_jwk: Option<Value>,
    /// Shared by every copy of this entry: cloning an entry never copies key material.
    #[serde(with = "shared")]
    secret: Arc<Secret>,
}

impl std::fmt::Debug for KeyEntry {
    // Never print the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyEntry")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl KeyEntry {
    /// A keyring entry for `key` as a `next` key, published at `now`. The kid defaults to the
    /// RFC 7638 thumbprint, or a random id for HMAC keys.
    pub fn new(key: &Private, alg: &str, kid: Option<String>, now: i64) -> Result<Self> {
        let alg = check_alg(alg)?;
        key.check_fits(alg)?;
        let bare = key.public_key().map(|k| k.to_jwk());
        let kid = match (kid, &bare) {
            (Some(k), _) if k.trim().is_empty() => {
                return Err(KeysError::InvalidKey("the kid is empty".into()));
            }
            (Some(k), _) => k,
            (None, Some(jwk)) => thumbprint::of(jwk).map_err(KeysError::InvalidKey)?,
            (None, None) => random_kid(),
        };
        let public_jwk = bare.map(|jwk| {
            Jwk {
                kid: Some(kid.clone()),
                alg: Some(alg.into()),
                use_: Some("sig".into()),
                ..jwk
            }
            .to_value()
        });
        let secret = match (key, key.pkcs8_pem()?) {
            (Private::Hmac(bytes), _) => Secret::Hmac {
                k: crate::jwt::b64::encode(bytes),
            },
            // Moved out, not copied: the buffer is the one the PEM was written into.
            (_, Some(mut pem)) => Secret::Pkcs8 {
                pem: std::mem::take(&mut *pem),
            },
            (_, None) => return Err(KeysError::InvalidKey("the key has no PKCS#8 form".into())),
        };
        Ok(Self {
            kid,
            alg: alg.to_string(),
            key_use: "sig".into(),
            state: KeyState::Next,
            created_at: now,
            published_at: public_jwk.is_some().then_some(now),
            activated_at: None,
            deactivated_at: None,
            retired_at: None,
            revoked_at: None,
            revoke_reason: None,
            public_jwk,
            secret: Arc::new(secret),
        })
    }

    /// Generates a key for `alg` (RSA at `rsa_bits`). Slow for RSA: run it as a CPU task.
    pub fn generate(alg: &str, rsa_bits: usize, kid: Option<String>, now: i64) -> Result<Self> {
        Self::new(&Private::generate(alg, rsa_bits)?, alg, kid, now)
    }

    /// Imports a private key (PEM or JWK). The alg is `alg`, else the JWK's own, else the
    /// usual one for the key type; the kid is `kid`, else the JWK's own, else the default.
    pub fn import(text: &str, alg: Option<&str>, kid: Option<String>, now: i64) -> Result<Self> {
        let key = Private::parse(text)?;
        let jwk: Option<Value> = serde_json::from_str(text.trim()).ok();
        let member = |name: &str| {
            jwk.as_ref()
                .and_then(|j| j.get(name))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let alg = alg
            .map(str::to_string)
            .or_else(|| member("alg"))
            .unwrap_or_else(|| key.default_alg().to_string());
        Self::new(&key, &alg, kid.or_else(|| member("kid")), now)
    }

    /// The parsed private key.
    pub fn private(&self) -> Result<Private> {
        match &*self.secret {
            Secret::Hmac { k } => crate::jwt::b64::decode_lenient(k)
                .map(|l| Private::Hmac(Zeroizing::new(l.bytes)))
                .map_err(|e| KeysError::InvalidKey(format!("stored secret: {e}"))),
            Secret::Pkcs8 { pem } => Private::parse(pem),
        }
    }

    /// The key for `jwt::sign`.
    pub fn signing_key(&self) -> SigningKey {
        match &*self.secret {
            Secret::Hmac { k } => SigningKey::Secret(
                crate::jwt::b64::decode_lenient(k)
                    .map(|l| l.bytes)
                    .unwrap_or_default(),
            ),
            Secret::Pkcs8 { pem } => SigningKey::Pem(pem.clone()),
        }
    }

    /// The private key as PKCS#8 PEM, for an explicit private export; `None` for HMAC keys,
    /// whose secret is given by [`KeyEntry::hmac_secret_b64`].
    pub fn private_pem(&self) -> Option<&str> {
        match &*self.secret {
            Secret::Pkcs8 { pem } => Some(pem),
            Secret::Hmac { .. } => None,
        }
    }

    /// Whether this entry and `other` hold the one same secret, not two copies of it.
    #[cfg(test)]
    pub(crate) fn shares_secret_with(&self, other: &KeyEntry) -> bool {
        Arc::ptr_eq(&self.secret, &other.secret)
    }

    /// An HMAC key's secret, base64url, for an explicit private export.
    pub fn hmac_secret_b64(&self) -> Option<&str> {
        match &*self.secret {
            Secret::Hmac { k } => Some(k),
            Secret::Pkcs8 { .. } => None,
        }
    }
}

/// Everything the encrypted file holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Keyring {
    pub format: String,
    pub version: u32,
    pub policy: Policy,
    pub keys: Vec<KeyEntry>,
    #[serde(default)]
    pub api_keys: Vec<ApiKeyRecord>,
}

impl Keyring {
    pub fn new(policy: Policy) -> Self {
        Self {
            format: FORMAT.into(),
            version: VERSION,
            policy,
            keys: Vec::new(),
            api_keys: Vec::new(),
        }
    }

    pub fn key(&self, kid: &str) -> Result<&KeyEntry> {
        self.keys
            .iter()
            .find(|k| k.kid == kid)
            .ok_or_else(|| KeysError::UnknownKid(kid.to_string()))
    }

    pub(crate) fn key_mut(&mut self, kid: &str) -> Result<&mut KeyEntry> {
        self.keys
            .iter_mut()
            .find(|k| k.kid == kid)
            .ok_or_else(|| KeysError::UnknownKid(kid.to_string()))
    }

    /// The key that signs now, if any.
    pub fn active(&self) -> Option<&KeyEntry> {
        self.keys.iter().find(|k| k.state == KeyState::Active)
    }

    /// Adds a key (as it is, normally `next`), refusing a kid that is already taken.
    pub fn add(&mut self, entry: KeyEntry) -> Result<()> {
        if self.keys.iter().any(|k| k.kid == entry.kid) {
            return Err(KeysError::DuplicateKid(entry.kid));
        }
        self.keys.push(entry);
        Ok(())
    }

    /// The key to sign with: the active key, or the key named by `kid` when it is active or
    /// next (a next key is already published, so its tokens verify; it is how a new key is
    /// tried before promotion). Retiring, retired and revoked keys never sign.
    pub fn signer(&self, kid: Option<&str>) -> Result<&KeyEntry> {
        let key = match kid {
            Some(kid) => self.key(kid)?,
            None => self.active().ok_or(KeysError::NoActiveKey)?,
        };
        match key.state {
            KeyState::Active | KeyState::Next => Ok(key),
            state => Err(KeysError::BadTransition {
                kid: key.kid.clone(),
                state,
                why: "only the active key (or a next key, for a trial) signs".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Compiles only while `Secret` is not `Clone`: with a `Clone` impl, both blanket impls
    /// below apply and the call is ambiguous (the trick of `static_assertions`).
    trait AmbiguousIfClone<A> {
        fn check() {}
    }
    impl<T> AmbiguousIfClone<()> for T {}
    impl<T: Clone> AmbiguousIfClone<u8> for T {}
    const _: fn() = <Secret as AmbiguousIfClone<_>>::check;

    fn wiped_on_drop<T: ZeroizeOnDrop>() {}

    #[test]
    fn copies_of_an_entry_share_one_secret_that_is_wiped_on_drop() {
        wiped_on_drop::<Secret>();
        let entry = KeyEntry::generate("HS256", 2048, None, 0).unwrap();
        let ring = Keyring {
            keys: vec![entry],
            ..Keyring::new(Policy::default())
        };
        let copy = ring.clone();
        assert!(copy.keys[0].shares_secret_with(&ring.keys[0]));
        let other = KeyEntry::generate("HS256", 2048, None, 0).unwrap();
        assert!(!other.shares_secret_with(&ring.keys[0]));
    }

    #[test]
    fn the_file_format_is_unchanged() {
        // A keyring's JSON as apiward has always written it.
        let written = json!({
            "format": "apiward-keyring",
            "version": 1,
            "policy": {
                "rotation_period": 7_776_000,
                "max_token_lifetime": 3600,
                "jwks_cache_ttl": 3600,
                "clock_skew": 60
            },
            "keys": [
                {
                    "kid": "h", "alg": "HS256", "use": "sig", "state": "active",
                    "created_at": 1, "published_at": null, "activated_at": 2,
                    "deactivated_at": null, "retired_at": null, "revoked_at": null,
                    "revoke_reason": null, "public_jwk": null,
                    "secret": {"type": "hmac", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMy"}
                },
                {
                    "kid": "e", "alg": "EdDSA", "use": "sig", "state": "next",
                    "created_at": 3, "published_at": 3, "activated_at": null,
                    "deactivated_at": null, "retired_at": null, "revoked_at": null,
                    "revoke_reason": null,
                    "public_jwk": {"kty": "OKP", "crv": "Ed25519", "x": "AA", "kid": "e"},
                    "secret": {"type": "pkcs8", "pem": "-----BEGIN PRIVATE KEY-----\n"}
                }
            ],
            "api_keys": []
        });
        let ring: Keyring = serde_json::from_value(written.clone()).unwrap();
        assert_eq!(
            ring.keys[0].hmac_secret_b64(),
            written["keys"][0]["secret"]["k"].as_str()
        );
        assert_eq!(
            ring.keys[1].private_pem(),
            Some("-----BEGIN PRIVATE KEY-----\n")
        );
        assert_eq!(serde_json::to_value(&ring).unwrap(), written);
    }
}
