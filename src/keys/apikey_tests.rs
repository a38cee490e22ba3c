use super::*;
use crate::keys::Policy;

const NOW: i64 = 1_700_000_000;

fn ring() -> Keyring {
    Keyring::new(Policy::default())
}

#[test]
fn issued_keys_have_the_format_and_only_a_hash_is_stored() {
    let mut ring = ring();
    let issued = issue(&mut ring, "acme", &["read".into()], None, NOW).unwrap();
    let key = &issued.key;
    assert!(key.starts_with("acme_"), "{key}");
    assert_eq!(key.len(), 5 + RANDOM_LEN + CHECKSUM_LEN);
    assert_eq!(check(key).unwrap(), "acme");
    let stored = serde_json::to_string(&ring.api_keys).unwrap();
    assert!(
        !stored.contains(&key[5..]),
        "the key itself is never stored"
    );
    assert_eq!(issued.record.last4, key[key.len() - 4..]);
    assert_eq!(verify(&ring, key, NOW).unwrap().scopes, ["read"]);
}

#[test]
fn every_single_character_typo_fails_check() {
    let mut ring = ring();
    let key = issue(&mut ring, "acme", &[], None, NOW).unwrap().key;
    let body_start = "acme_".len();
    for (i, original) in key.char_indices().skip(body_start - 1) {
        for c in BASE62.iter().map(|&b| b as char).chain(['_', '-']) {
            if c == original {
                continue;
            }
            let mut typo = key.clone();
            typo.replace_range(i..i + 1, &c.to_string());
            assert!(check(&typo).is_err(), "{typo} passed");
        }
        let mut dropped = key.clone();
        dropped.remove(i);
        assert!(check(&dropped).is_err(), "{dropped} passed");
        let mut doubled = key.clone();
        doubled.insert(i, original);
        assert!(check(&doubled).is_err(), "{doubled} passed");
    }
    for bad in ["", "acme", "acme_", "a_0123", "ac-me_x", "acme_ab?"] {
        assert!(check(bad).is_err(), "{bad}");
    }
}

#[test]
fn revoked_expired_and_unknown_keys_fail_verify() {
    let mut ring = ring();
    let a = issue(&mut ring, "acme", &[], Some(NOW + 60), NOW).unwrap();
    let b = issue(&mut ring, "acme", &[], None, NOW).unwrap();
    assert!(verify(&ring, &a.key, NOW + 59).is_ok());
    assert_eq!(verify(&ring, &a.key, NOW + 60), Err(Rejection::Expired));
    revoke(&mut ring, &b.record.id, None, NOW).unwrap();
    assert_eq!(verify(&ring, &b.key, NOW), Err(Rejection::Revoked));
    assert!(revoke(&mut ring, &b.record.id, None, NOW).is_err());
    let mut other = Keyring::new(Policy::default());
    let stranger = issue(&mut other, "acme", &[], None, NOW).unwrap().key;
    assert_eq!(verify(&ring, &stranger, NOW), Err(Rejection::Unknown));
    assert!(matches!(
        verify(&ring, "acme_nope", NOW),
        Err(Rejection::Malformed(_))
    ));
}

#[test]
fn rotation_overlaps_then_the_old_key_stops() {
    let mut ring = ring();
    let old = issue(
        &mut ring,
        "acme",
        &["write".into()],
        Some(NOW + 30 * 86_400),
        NOW,
    )
    .unwrap();
    let new = rotate(&mut ring, &old.record.id, 3_600, NOW + 100).unwrap();
    assert_ne!(new.key, old.key);
    assert_eq!(new.record.scopes, ["write"]);
    assert_eq!(new.record.expires_at, Some(NOW + 100 + 30 * 86_400));
    assert!(
        verify(&ring, &old.key, NOW + 3_000).is_ok(),
        "valid during the overlap"
    );
    assert!(verify(&ring, &new.key, NOW + 3_000).is_ok());
    assert_eq!(
        verify(&ring, &old.key, NOW + 3_700),
        Err(Rejection::Expired)
    );
    assert!(verify(&ring, &new.key, NOW + 3_700).is_ok());
    assert!(rotate(&mut ring, &old.record.id, 60, NOW + 3_700).is_err());
}

#[test]
fn checksum_is_six_base62_digits() {
    assert_eq!(base62(0, 6), "000000");
    assert_eq!(base62(61, 6), "00000z");
    assert_eq!(base62(u64::from(u32::MAX), 6).len(), 6);
    assert!(check_prefix("a_b").is_err());
}
