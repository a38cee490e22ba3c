//! The keyring's contents: the rotation policy, the signing keys with their lifecycle times,
//! and the API key records. Everything here is plain data that serialises to the JSON inside
//! the encrypted file (see [`super::store`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::apikey::ApiKeyRecord;
use super::material::{Private, check_alg};
use super::thumbprint::{random_kid, thumbprint};
use super::{KeysError, Result};
use crate::jwt::SigningKey;

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
#[derive(Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Secret {
    /// An HMAC secret, base64url.
    Hmac { k: String },
    /// An asymmetric private key, PKCS#8 PEM.
    Pkcs8 { pem: String },
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
    secret: Secret,
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
        let bare = key.public_jwk();
        let kid = match (kid, &bare) {
            (Some(k), _) if k.trim().is_empty() => {
                return Err(KeysError::InvalidKey("the kid is empty".into()));
            }
            (Some(k), _) => k,
            (None, Some(jwk)) => thumbprint(jwk)?,
            (None, None) => random_kid(),
        };
        let public_jwk = bare.map(|mut jwk| {
            jwk["kid"] = kid.clone().into();
            jwk["alg"] = alg.into();
            jwk["use"] = "sig".into();
            jwk
        });
        let secret = match (key, key.pkcs8_pem()?) {
            (Private::Hmac(bytes), _) => Secret::Hmac {
                k: crate::jwt::b64::encode(bytes),
            },
            (_, Some(pem)) => Secret::Pkcs8 { pem },
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
            secret,
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
        match &self.secret {
            Secret::Hmac { k } => crate::jwt::b64::decode_lenient(k)
                .map(|l| Private::Hmac(l.bytes))
                .map_err(|e| KeysError::InvalidKey(format!("stored secret: {e}"))),
            Secret::Pkcs8 { pem } => Private::parse(pem),
        }
    }

    /// The key for `jwt::sign`.
    pub fn signing_key(&self) -> SigningKey {
        match &self.secret {
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
        match &self.secret {
            Secret::Pkcs8 { pem } => Some(pem),
            Secret::Hmac { .. } => None,
        }
    }

    /// An HMAC key's secret, base64url, for an explicit private export.
    pub fn hmac_secret_b64(&self) -> Option<&str> {
        match &self.secret {
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
