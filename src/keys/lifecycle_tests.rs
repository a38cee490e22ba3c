use serde_json::{Map, Value, json};

use super::*;
use crate::jwt;
use crate::keys::jwks::public_jwks;
use crate::keys::{KeyEntry, KeysError, Policy, plan};

const T0: i64 = 1_700_000_000;
const DAY: i64 = 86_400;

fn ring() -> Keyring {
    Keyring::new(Policy {
        rotation_period: 90 * DAY,
        max_token_lifetime: 3_600,
        jwks_cache_ttl: 3_600,
        clock_skew: 60,
    })
}

/// Signs a token with the keyring's signer, the way `jwt sign --keyring` does.
pub(crate) fn sign(ring: &Keyring, iat: i64) -> String {
    let key = ring.signer(None).unwrap();
    let mut header = Map::new();
    header.insert("kid".into(), key.kid.clone().into());
    let claims = json!({"sub": "alice", "iat": iat, "exp": iat + 3_600});
    jwt::sign(&header, &claims, &key.alg, &key.signing_key()).unwrap()
}

/// Verifies through the published JWKS, choosing the key by kid, as a verifier would.
pub(crate) fn verifies(token: &str, jwks: &Value, now: i64) -> bool {
    let decoded = jwt::decode(token).unwrap();
    let Ok((_, key)) = jwt::select_from_jwks(
        &jwks.to_string(),
        decoded.header_str("kid"),
        decoded.alg.as_deref(),
    ) else {
        return false;
    };
    jwt::verify(&decoded, &key, &jwt::VerifyOptions::new(now))
        .unwrap()
        .is_valid()
}

fn kid_of(token: &str) -> String {
    jwt::decode(token)
        .unwrap()
        .header_str("kid")
        .unwrap()
        .to_string()
}

#[test]
fn a_full_rotation_on_a_test_clock() {
    let mut ring = ring();
    let a = KeyEntry::generate("ES256", 2048, None, T0).unwrap();
    let a_kid = a.kid.clone();
    ring.add(a).unwrap();
    // The first key may sign at once: no verifier relies on anything yet.
    promote(&mut ring, &a_kid, T0, false).unwrap();
    let due = T0 + 90 * DAY;

    // Long before the rotation is due, rotating does nothing.
    assert_eq!(needs_new_key(&ring, due - 2 * 3_600, false), None);
    let r = rotate(&mut ring, due - 2 * 3_600, false, None).unwrap();
    assert!(matches!(r.steps[0].1, StepOutcome::NotDue { due_at } if due_at == due - 3_600));

    // One cache TTL before it is due, a next key is published.
    let alg = needs_new_key(&ring, due - 3_600, false).unwrap();
    let b = KeyEntry::generate(&alg, 2048, None, due - 3_600).unwrap();
    let b_kid = b.kid.clone();
    let r = rotate(&mut ring, due - 3_600, false, Some(b)).unwrap();
    assert!(matches!(r.steps[0].1, StepOutcome::Done { .. }), "{r:?}");
    assert!(public_jwks(&ring)["keys"].as_array().unwrap().len() == 2);

    // A token signed by the old key just before the rotation.
    let old_token = sign(&ring, due - 10);
    assert_eq!(kid_of(&old_token), a_kid);

    // At the due time the next key is promoted.
    let r = rotate(&mut ring, due, false, None).unwrap();
    assert!(
        r.steps
            .iter()
            .any(|(s, o)| s.kind == StepKind::Promote && matches!(o, StepOutcome::Done { .. }))
    );
    assert_eq!(ring.active().unwrap().kid, b_kid);
    let new_token = sign(&ring, due + 5);
    assert_eq!(kid_of(&new_token), b_kid, "new tokens carry the new kid");

    // The old token verifies until it expires, since the retiring key stays published.
    let jwks = public_jwks(&ring);
    assert!(verifies(&old_token, &jwks, due + 1_800));
    assert!(verifies(&new_token, &jwks, due + 1_800));
    assert!(!verifies(&old_token, &jwks, due + 3_700), "expired");

    // Removing the old key early is refused with the time it becomes safe.
    let safe = due + 3_600 + 3_600 + 60;
    let err = retire(&mut ring, &a_kid, due + 3_600, false).unwrap_err();
    match &err {
        KeysError::Unsafe(r) => assert_eq!(r.safe_at, safe),
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains(&jwt::format_utc(safe)), "{err}");
    let r = rotate(&mut ring, safe - 1, false, None).unwrap();
    assert!(
        ring.key(&a_kid).unwrap().state == KeyState::Retiring,
        "{r:?}"
    );

    // Once safe, rotation removes it; tokens of the retired key are rejected.
    rotate(&mut ring, safe, false, None).unwrap();
    assert_eq!(ring.key(&a_kid).unwrap().state, KeyState::Retired);
    let jwks = public_jwks(&ring);
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);
    let late = {
        let key = ring.key(&a_kid).unwrap();
        let mut header = Map::new();
        header.insert("kid".into(), a_kid.clone().into());
        let claims = json!({"iat": safe, "exp": safe + 600});
        jwt::sign(&header, &claims, &key.alg, &key.signing_key()).unwrap()
    };
    assert!(!verifies(&late, &jwks, safe + 1));
    assert!(verifies(&sign(&ring, safe), &jwks, safe + 1));
}

#[test]
fn early_promotion_is_refused_unless_forced() {
    let mut ring = ring();
    for (i, kid) in ["a", "b", "c"].iter().enumerate() {
        let key = KeyEntry::generate("EdDSA", 2048, Some(kid.to_string()), T0 + i as i64).unwrap();
        ring.add(key).unwrap();
    }
    promote(&mut ring, "a", T0, false).unwrap();
    let err = promote(&mut ring, "b", T0 + 10, false).unwrap_err();
    // The refusal says why and when; which flag overrides it is the CLI's to say.
    assert!(matches!(err, KeysError::Unsafe(_)), "{err}");
    assert!(err.to_string().contains("not safe until"), "{err}");
    assert!(!err.to_string().contains("--force"), "{err}");
    assert_eq!(ring.active().unwrap().kid, "a", "nothing changed");
    let t = promote(&mut ring, "b", T0 + 10, true).unwrap();
    assert!(t.warning.unwrap().starts_with("forced"));
    assert_eq!(ring.key("a").unwrap().state, KeyState::Retiring);
    // Only a next key can be promoted; an active key is not retired without force.
    assert!(promote(&mut ring, "a", T0 + 20, true).is_err());
    assert!(retire(&mut ring, "b", T0 + 20, false).is_err());
    // A next key that never signed can go at once.
    retire(&mut ring, "c", T0 + 20, false).unwrap();
    assert_eq!(ring.key("c").unwrap().state, KeyState::Retired);
}

#[test]
fn revocation_unpublishes_at_once_with_reason_and_time() {
    let mut ring = ring();
    let key = KeyEntry::generate("ES384", 2048, None, T0).unwrap();
    let kid = key.kid.clone();
    ring.add(key).unwrap();
    promote(&mut ring, &kid, T0, false).unwrap();
    let token = sign(&ring, T0 + 1);
    assert!(verifies(&token, &public_jwks(&ring), T0 + 2));
    assert!(revoke(&mut ring, &kid, " ", T0 + 5).is_err());
    let t = revoke(&mut ring, &kid, "leaked in a log", T0 + 5).unwrap();
    assert!(t.warning.is_some(), "the active key was revoked");
    let key = ring.key(&kid).unwrap();
    assert_eq!(
        (key.revoked_at, key.revoke_reason.as_deref()),
        (Some(T0 + 5), Some("leaked in a log"))
    );
    assert!(!verifies(&token, &public_jwks(&ring), T0 + 6));
    assert!(ring.signer(None).is_err());
}

#[test]
fn the_plan_lists_overdue_keys_and_orders_steps() {
    let mut ring = ring();
    ring.add(KeyEntry::generate("HS256", 2048, None, T0).unwrap())
        .unwrap();
    let kid = ring.keys[0].kid.clone();
    assert_eq!(kid.len(), 16, "HMAC keys get a random kid");
    promote(&mut ring, &kid, T0, false).unwrap();
    let p = plan::plan(&ring, T0 + 100 * DAY);
    assert_eq!(p.overdue[0].kid, kid);
    assert_eq!(p.steps[0].kind, StepKind::PublishNext);
    assert!(p.steps[0].is_ready(T0 + 100 * DAY));
    let rows = plan::summaries(&ring, T0 + DAY);
    assert_eq!(rows[0].age_secs, DAY);
    assert_eq!(
        rows[0].next_action,
        Some((StepKind::Promote, T0 + 90 * DAY))
    );
    assert!(!rows[0].published, "HMAC keys are never published");
}
