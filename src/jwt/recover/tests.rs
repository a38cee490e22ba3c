use serde_json::{Map, json};

use super::*;
use crate::jwt::sign::{SigningKey, sign};
use crate::jwt::{decode, keygen};

fn tokens(alg: &str, pem: &str, n: usize) -> Vec<Decoded> {
    (0..n)
        .map(|i| {
            let token = sign(
                &Map::new(),
                &json!({"sub": format!("user{i}")}),
                alg,
                &SigningKey::Pem(pem.to_string()),
            )
            .unwrap();
            decode(&token).unwrap()
        })
        .collect()
}

fn rsa_pem(bits: usize) -> (String, ::rsa::RsaPublicKey) {
    use ::rsa::pkcs8::{EncodePrivateKey, LineEnding};
    let key = ::rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, bits).unwrap();
    let pem = key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
    (pem, key.to_public_key())
}

#[test]
fn rsa_modulus_from_two_and_three_tokens() {
    use ::rsa::traits::PublicKeyParts;
    let (pem, public) = rsa_pem(768);
    let want = public.n().to_bytes_be();
    for (alg, count) in [("RS256", 2), ("RS512", 3)] {
        let found = recover(&tokens(alg, &pem, count), &Quiet).unwrap();
        assert_eq!(found.len(), 1, "{alg}");
        let c = &found[0];
        assert!(c.verifies);
        assert_eq!((c.e, c.bits), (Some(65537), 768));
        assert!(matches!(&c.key, KeyMaterial::Rsa { n, .. } if *n == want));
        // The PEMs read back as the same key.
        assert_eq!(KeyMaterial::from_pem(&c.spki_pem).unwrap(), c.key);
        let pkcs1 = c.pkcs1_pem.as_deref().unwrap();
        assert!(pkcs1.starts_with("-----BEGIN RSA PUBLIC KEY-----"));
        assert_eq!(KeyMaterial::from_pem(pkcs1).unwrap(), c.key);
    }
}

#[test]
fn rsa_refusals_are_sentences() {
    let (pem, _) = rsa_pem(768);
    let one = tokens("RS256", &pem, 1);
    assert!(matches!(
        recover(&one, &Quiet),
        Err(RecoverError::Unusable(_))
    ));
    let same = vec![one[0].clone(), one[0].clone()];
    assert!(
        matches!(recover(&same, &Quiet), Err(RecoverError::Unusable(m)) if m.contains("same signature"))
    );
    let pss = tokens("PS256", &pem, 2);
    assert!(matches!(recover(&pss, &Quiet), Err(RecoverError::Unusable(m)) if m == PSS_REFUSAL));
    let mixed = vec![one[0].clone(), tokens("RS384", &pem, 1).remove(0)];
    assert!(
        matches!(recover(&mixed, &Quiet), Err(RecoverError::NoCommonKey(m)) if m.contains("different algorithms"))
    );
    let (other, _) = rsa_pem(768);
    let two_keys = vec![one[0].clone(), tokens("RS256", &other, 1).remove(0)];
    assert!(
        matches!(recover(&two_keys, &Quiet), Err(RecoverError::NoCommonKey(m)) if m.contains("different keys"))
    );
}

#[test]
fn ec_keys_from_one_token_and_pinned_by_two() {
    for alg in ["ES256", "ES384", "ES512"] {
        let pair = keygen::generate(alg).unwrap();
        let real = KeyMaterial::from_pem(&keygen::public_pem(&pair).unwrap()).unwrap();
        let given = tokens(alg, &pair.private_pem, 2);
        let one = recover(&given[..1], &Quiet).unwrap();
        assert!((1..=4).contains(&one.len()), "{alg}: {}", one.len());
        assert!(one.iter().any(|c| c.key == real), "{alg}");
        let two = recover(&given, &Quiet).unwrap();
        assert_eq!(two.len(), 1, "{alg}");
        assert_eq!(two[0].key, real);
        assert!(two[0].verifies && two[0].pkcs1_pem.is_none());
        assert_eq!(KeyMaterial::from_pem(&two[0].spki_pem).unwrap(), real);
        let other = keygen::generate(alg).unwrap();
        let mixed = vec![
            given[0].clone(),
            tokens(alg, &other.private_pem, 1).remove(0),
        ];
        assert!(matches!(
            recover(&mixed, &Quiet),
            Err(RecoverError::NoCommonKey(_))
        ));
    }
}

/// Cancelled from the start: the first check after the powers ends the recovery.
struct Cancelled(std::sync::atomic::AtomicUsize);
impl Steps for Cancelled {
    fn progress(&self, _: f64) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    fn cancelled(&self) -> bool {
        true
    }
}

#[test]
fn a_cancel_ends_rsa_recovery_with_cancelled() {
    let (pem, _) = rsa_pem(768);
    let steps = Cancelled(Default::default());
    let result = recover(&tokens("RS256", &pem, 2), &steps);
    assert!(matches!(result, Err(RecoverError::Cancelled)), "{result:?}");
}
