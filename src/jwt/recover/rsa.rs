//! The RSA modulus from two or more RS256/384/512 tokens (the method of PortSwigger's
//! rsa_sign2n): with m the PKCS#1 v1.5 encoding of a token's hash and s its signature,
//! s^e ≡ m (mod n), so n divides s^e − m for every token and the gcd of those numbers is a
//! multiple of n. For e = 65537 and a 2048-bit key each number has about 134 million bits;
//! their one gcd is nearly all of the cost, done by malachite's subquadratic half-gcd.
//!
//! Work that is saved: e = 3 is tried first (its numbers are tiny) and 65537 only when 3 gives
//! no key; the two big powers run on two threads; only the first two tokens go through the
//! big gcd: each further token is reduced modulo the running gcd (about the modulus' size) by
//! a modular power, so a third token costs milliseconds. Reducing one big number modulo the
//! other first saves nothing: it is the gcd's own first step, and computing s2^e modulo
//! s1^e − m1 costs more than s2^e itself.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use ::rsa::pkcs1::EncodeRsaPublicKey;
use ::rsa::pkcs1v15::Pkcs1v15Sign;
use ::rsa::pkcs8::{EncodePublicKey, LineEnding};
use malachite_base::num::arithmetic::traits::{CheckedSub, Gcd, ModPow, Pow};
use malachite_base::num::basic::traits::{One, Zero};
use malachite_base::num::logic::traits::SignificantBits;
use malachite_nz::natural::Natural;
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::{Candidate, RecoverError, Steps};
use crate::jwt::decode::Decoded;
use crate::jwt::keys::KeyMaterial;

/// The exponents tried, cheapest first. 65537 is what every library uses today; 3 is the
/// other exponent rsa_sign2n tries.
const EXPONENTS: [u64; 2] = [3, 65537];

/// Factors below this are divided out of the gcd: an RSA modulus has none (its primes are
/// hundreds of digits long), and the gcd of two s^e − m often carries a few.
const SMALL_PRIME_LIMIT: usize = 1 << 16;

/// The gcd of two numbers of ~134 million bits took about 35 times as long as their two
/// powers on the machine where this was measured: the expected length of the gcd, for a
/// progress bar that moves.
const GCD_TO_POWERS: f64 = 35.0;

pub fn recover(
    alg: &str,
    tokens: &[Decoded],
    steps: &dyn Steps,
) -> Result<Vec<Candidate>, RecoverError> {
    if tokens.len() < 2 {
        return Err(RecoverError::Unusable(format!(
            "{alg} needs two tokens signed by the same key: one signature fits many moduli"
        )));
    }
    let k = tokens[0].signature.len();
    for (i, t) in tokens.iter().enumerate().skip(1) {
        if t.signature.len() != k {
            return Err(RecoverError::NoCommonKey(format!(
                "token 1's signature is {} bits but token {}'s is {}: they were signed with different keys",
                k * 8,
                i + 1,
                t.signature.len() * 8
            )));
        }
        if let Some(j) = tokens[..i].iter().position(|o| o.signature == t.signature) {
            return Err(RecoverError::Unusable(format!(
                "tokens {} and {} have the same signature: give tokens with different contents",
                j + 1,
                i + 1
            )));
        }
    }
    let scheme = match alg {
        "RS384" => Pkcs1v15Sign::new::<Sha384>(),
        "RS512" => Pkcs1v15Sign::new::<Sha512>(),
        _ => Pkcs1v15Sign::new::<Sha256>(),
    };
    let mut pairs = Vec::with_capacity(tokens.len());
    for t in tokens {
        let input = t.signing_input.as_bytes();
        let hash = match alg {
            "RS384" => Sha384::digest(input).to_vec(),
            "RS512" => Sha512::digest(input).to_vec(),
            _ => Sha256::digest(input).to_vec(),
        };
        let m = encode_pkcs1v15(&scheme.prefix, &hash, k).ok_or_else(|| {
            RecoverError::Unusable(format!(
                "a {}-bit signature is too short for an {alg} encoding: these are not RSA signatures",
                k * 8
            ))
        })?;
        pairs.push((natural(&t.signature), natural(&m)));
    }

    let mut too_big = None;
    // Keys of the signature's length that do not verify: shown only when nothing better turns up.
    let mut unverified = Vec::new();
    for (round, e) in EXPONENTS.into_iter().enumerate() {
        let share = if round == 0 { (0.0, 0.02) } else { (0.02, 1.0) };
        let Some(g) = modulus_multiple(&pairs, e, steps, share)? else {
            continue;
        };
        let n = strip_small_factors(g);
        let bits = n.significant_bits();
        if bits <= 8 * k as u64 - 8 {
            continue; // 1, or something far shorter than the signature: not this exponent.
        }
        if bits > 8 * k as u64 {
            // A large factor shared by chance survived: a third token would remove it.
            too_big = Some(bits);
            continue;
        }
        let candidate = candidate(&n, e, tokens)?;
        if candidate.verifies {
            return Ok(vec![candidate]);
        }
        unverified.push(candidate);
    }
    if !unverified.is_empty() {
        return Ok(unverified);
    }
    Err(RecoverError::NoCommonKey(match too_big {
        Some(bits) => format!(
            "the gcd kept a {bits}-bit number, longer than the {}-bit signatures: add a third token from the same key",
            k * 8
        ),
        None => "no RSA modulus (e = 65537 or 3) divides every s^e - m: the tokens were signed with different keys".into(),
    }))
}

/// The EMSA-PKCS1-v1_5 encoding (RFC 8017 §9.2) of `hash` into `k` bytes.
fn encode_pkcs1v15(prefix: &[u8], hash: &[u8], k: usize) -> Option<Vec<u8>> {
    let t_len = prefix.len() + hash.len();
    let pad = k.checked_sub(t_len + 3).filter(|p| *p >= 8)?;
    let mut em = Vec::with_capacity(k);
    em.extend_from_slice(&[0x00, 0x01]);
    em.resize(2 + pad, 0xff);
    em.push(0x00);
    em.extend_from_slice(prefix);
    em.extend_from_slice(hash);
    Some(em)
}

/// What the big thread reports.
enum Stage {
    Powers(Duration),
    Done(Option<Natural>),
}

/// A multiple of the modulus for exponent `e`: the gcd of s^e − m over the first two tokens,
/// then folded with each further token modulo that gcd. None when some s^e < m (not this e).
fn modulus_multiple(
    pairs: &[(Natural, Natural)],
    e: u64,
    steps: &dyn Steps,
    (from, to): (f64, f64),
) -> Result<Option<Natural>, RecoverError> {
    let (s1, m1) = pairs[0].clone();
    let (s2, m2) = pairs[1].clone();
    if e > 3 {
        steps.log(format!(
            "e = {e}: two powers of about {} million bits, then their gcd",
            s1.significant_bits() * e / 1_000_000
        ));
    }
    let (tx, rx) = mpsc::channel();
    // A detached thread, so that a cancel returns at once: the gcd is one call that cannot be
    // interrupted, and it ends on its own (seconds later) with nobody listening.
    std::thread::spawn(move || {
        let started = Instant::now();
        let (a, b) = std::thread::scope(|scope| {
            let other = scope.spawn(|| power_minus(&s2, e, &m2));
            (power_minus(&s1, e, &m1), other.join().unwrap_or(None))
        });
        let _ = tx.send(Stage::Powers(started.elapsed()));
        let g = match (a, b) {
            (Some(a), Some(b)) => Some(a.gcd(b)),
            _ => None,
        };
        let _ = tx.send(Stage::Done(g));
    });
    let started = Instant::now();
    let mut powers = None;
    let mut g = loop {
        match rx.recv_timeout(Duration::from_millis(40)) {
            Ok(Stage::Powers(took)) => powers = Some(took),
            Ok(Stage::Done(g)) => break g,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(RecoverError::Unusable(
                    "the big-number computation failed (out of memory?)".into(),
                ));
            }
        }
        if steps.cancelled() {
            return Err(RecoverError::Cancelled);
        }
        let done = match powers {
            None => 0.03,
            Some(took) => {
                let expected = took.as_secs_f64() * GCD_TO_POWERS;
                0.03 + 0.95 * (started.elapsed().as_secs_f64() / expected.max(1e-3)).min(0.99)
            }
        };
        steps.progress(from + (to - from) * done);
    };
    steps.progress(to);
    for (s, m) in &pairs[2..] {
        let Some(n) = g.take() else { break };
        // s^e − m modulo the running gcd: s^e mod n, then subtract m mod n without going
        // below zero.
        let pow = (s % &n).mod_pow(Natural::from(e), &n);
        let m = m % &n;
        let diff = if pow >= m { pow - m } else { pow + &n - m };
        g = Some(n.gcd(diff));
    }
    Ok(g)
}

/// s^e − m, or None when s^e < m.
fn power_minus(s: &Natural, e: u64, m: &Natural) -> Option<Natural> {
    s.pow(e).checked_sub(m)
}

/// `g` with every prime factor below [`SMALL_PRIME_LIMIT`] divided out.
fn strip_small_factors(mut g: Natural) -> Natural {
    if g == Natural::ZERO {
        return g;
    }
    let mut composite = vec![false; SMALL_PRIME_LIMIT];
    for p in 2..SMALL_PRIME_LIMIT {
        if composite[p] {
            continue;
        }
        for multiple in (p * p..SMALL_PRIME_LIMIT).step_by(p) {
            composite[multiple] = true;
        }
        let p = Natural::from(p as u64);
        loop {
            let (q, r) = malachite_base::num::arithmetic::traits::DivRem::div_rem(&g, &p);
            if r != Natural::ZERO || q == Natural::ONE {
                break;
            }
            g = q;
        }
    }
    g
}

/// The candidate for modulus `n` and exponent `e`, with its encodings.
fn candidate(n: &Natural, e: u64, tokens: &[Decoded]) -> Result<Candidate, RecoverError> {
    let n_bytes = big_endian(n);
    let e_bytes = big_endian(&Natural::from(e));
    let fail = |what: &str, err: &dyn std::fmt::Display| {
        RecoverError::Unusable(format!(
            "the recovered key cannot be written as {what}: {err}"
        ))
    };
    let public = ::rsa::RsaPublicKey::new_with_max_size(
        ::rsa::BigUint::from_bytes_be(&n_bytes),
        ::rsa::BigUint::from_bytes_be(&e_bytes),
        16_384,
    )
    .map_err(|err| fail("an RSA key", &err))?;
    let spki_pem = public
        .to_public_key_pem(LineEnding::LF)
        .map_err(|err| fail("SPKI PEM", &err))?;
    let pkcs1_pem = public
        .to_pkcs1_pem(LineEnding::LF)
        .map_err(|err| fail("PKCS#1 PEM", &err))?;
    let key = KeyMaterial::Rsa {
        n: n_bytes,
        e: e_bytes,
    };
    let jwk = key.to_jwk();
    Candidate::new(
        key,
        Some(e as u32),
        n.significant_bits(),
        spki_pem,
        Some(pkcs1_pem),
        jwk,
        tokens,
    )
}

/// A big-endian unsigned integer.
fn natural(bytes: &[u8]) -> Natural {
    let limbs = bytes
        .rchunks(8)
        .map(|chunk| {
            let mut limb = [0u8; 8];
            limb[8 - chunk.len()..].copy_from_slice(chunk);
            u64::from_be_bytes(limb)
        })
        .collect();
    Natural::from_owned_limbs_asc(limbs)
}

/// The minimal big-endian bytes of `n`.
fn big_endian(n: &Natural) -> Vec<u8> {
    let mut out: Vec<u8> = n
        .to_limbs_desc()
        .iter()
        .flat_map(|limb| limb.to_be_bytes())
        .collect();
    let zeros = out.iter().take_while(|b| **b == 0).count();
    out.drain(..zeros.min(out.len().saturating_sub(1)));
    out
}
