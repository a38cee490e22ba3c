//! What the keyring keeps of an API key: its hash, last four characters, scopes and times,
//! never the key. Apart from `apikey.rs` so the keyring can hold records without depending
//! on the code that issues and checks keys.

use serde::{Deserialize, Serialize};

/// A stored API key: everything but the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyRecord {
    /// A short public id to name the key in `rotate` and `revoke`.
    pub id: String,
    pub prefix: String,
    /// SHA-256 of the whole key, hex.
    pub sha256: String,
    /// The key's last four characters, to recognise it in a list.
    pub last4: String,
    pub scopes: Vec<String>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// Why it was revoked, when the revoker said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_reason: Option<String>,
    /// The id of the key that replaced this one in a rotation.
    pub replaced_by: Option<String>,
}

impl ApiKeyRecord {
    /// Whether the key is accepted at `now`.
    pub fn is_valid(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| now < e)
    }

    /// "valid", "revoked" or "expired", for lists.
    pub fn status(&self, now: i64) -> &'static str {
        if self.revoked_at.is_some() {
            "revoked"
        } else if self.is_valid(now) {
            "valid"
        } else {
            "expired"
        }
    }
}
