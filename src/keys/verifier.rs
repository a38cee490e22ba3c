//! The keyring key that verifies a token: the one its `kid` names (else the active key), and
//! the check that fails once that key is no longer published. `jwt verify --keyring` and the
//! JWT tab both ask it, so they accept and refuse the same tokens.

use super::material::Private;
use super::{KeyEntry, Keyring, KeysError};
use crate::jwt::{Check, KeyMaterial};

/// The key to verify with, and the check of its state.
pub struct Verifier<'a> {
    pub entry: &'a KeyEntry,
    pub key: KeyMaterial,
    /// "keyring key k1 is active"; not ok when the key is retired or revoked: tokens it signed
    /// must not be accepted any more.
    pub check: Check,
}

/// The key of `ring` that `kid` names, else (no kid) the active key; `None` when there is no
/// such key. Only an HMAC key, which has no public half, has its secret read.
pub fn verifier<'a>(
    ring: &'a Keyring,
    kid: Option<&str>,
) -> Result<Option<Verifier<'a>>, KeysError> {
    let entry = match kid {
        Some(kid) => ring.keys.iter().find(|k| k.kid == kid),
        None => ring.active(),
    };
    let Some(entry) = entry else {
        return Ok(None);
    };
    let unusable = |e: String| KeysError::InvalidKey(format!("key {}: {e}", entry.kid));
    let key = match &entry.public_jwk {
        Some(jwk) => KeyMaterial::from_jwk(jwk).map_err(|e| unusable(e.to_string()))?,
        None => match entry.private()? {
            Private::Hmac(secret) => KeyMaterial::Secret(secret.to_vec()),
            _ => return Err(unusable("it has no public JWK".into())),
        },
    };
    let published = entry.state.is_published();
    let check = Check {
        name: "key".into(),
        ok: published,
        detail: if published {
            format!("keyring key {} is {}", entry.kid, entry.state)
        } else {
            format!(
                "keyring key {} is {}: tokens it signed are no longer accepted",
                entry.kid, entry.state
            )
        },
    };
    Ok(Some(Verifier { entry, key, check }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{Policy, promote, revoke};

    const NOW: i64 = 1_700_000_000;

    #[test]
    fn the_kid_names_the_key_and_a_revoked_one_fails_its_check() {
        let mut ring = Keyring::new(Policy::default());
        for (kid, alg) in [("e", "ES256"), ("h", "HS256")] {
            ring.add(KeyEntry::generate(alg, 2048, Some(kid.into()), NOW).unwrap())
                .unwrap();
        }
        assert!(verifier(&ring, None).unwrap().is_none(), "no active key");
        assert!(verifier(&ring, Some("nope")).unwrap().is_none());
        promote(&mut ring, "e", NOW, true).unwrap();
        let active = verifier(&ring, None).unwrap().unwrap();
        assert_eq!(active.entry.kid, "e");
        assert!(matches!(active.key, KeyMaterial::Ec { .. }));
        assert!(active.check.ok, "{}", active.check.detail);
        // An HMAC key verifies with its secret, which the keyring holds.
        let hmac = verifier(&ring, Some("h")).unwrap().unwrap();
        assert!(matches!(hmac.key, KeyMaterial::Secret(ref s) if s.len() >= 32));
        revoke(&mut ring, "h", "leaked", NOW).unwrap();
        let revoked = verifier(&ring, Some("h")).unwrap().unwrap();
        assert!(!revoked.check.ok);
        assert!(revoked.check.detail.contains("no longer accepted"));
    }
}
