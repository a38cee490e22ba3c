//! The public JWKS: publishing it from the keyring, and checking a published one, both for
//! hygiene (RFC 7517, RFC 7638, RFC 8725) and against the keyring's rotation state.

use serde_json::{Value, json};

use crate::jwt::jwk::Jwk;

use super::keyring::{KeyState, Keyring};
use super::plan::remove_safe_at;
use super::{KeysError, Result};
use crate::findings::{Finding, Severity};

/// Finding ids of [`check`] and [`compare`]: a public contract, never renamed.
pub const JWKS_IDS: [&str; 9] = [
    "jwks-private-members",
    "jwks-duplicate-kid",
    "jwks-missing-kid",
    "jwks-missing-alg",
    "jwks-missing-use",
    "jwks-weak-rsa",
    "jwks-over-http",
    "jwks-active-unpublished",
    "jwks-retiring-removed-early",
];

const RFC7517: (&str, &str) = (
    "RFC 7517 §4 (JWK parameters)",
    "https://www.rfc-editor.org/rfc/rfc7517#section-4",
);
const RFC7638: (&str, &str) = (
    "RFC 7638 (JWK thumbprint)",
    "https://www.rfc-editor.org/rfc/rfc7638",
);
const RFC8725: (&str, &str) = (
    "RFC 8725 §3.1 (use one algorithm per key)",
    "https://www.rfc-editor.org/rfc/rfc8725#section-3.1",
);
const OWASP_API2: (&str, &str) = (
    "OWASP API2:2023 Broken Authentication",
    "https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/",
);

fn finding(id: &str, sev: Severity, title: &str, refs: &[(&str, &str)]) -> Finding {
    refs.iter().fold(Finding::new(id, sev, title), |f, (t, u)| {
        f.reference(*t, *u)
    })
}

/// The public JWKS: next, active and retiring asymmetric keys, active first. HMAC keys are
/// never published, and no private member ever appears (each JWK is built from public parts).
pub fn public_jwks(ring: &Keyring) -> Value {
    let rank = |s: KeyState| match s {
        KeyState::Active => 0,
        KeyState::Next => 1,
        _ => 2,
    };
    let mut keys: Vec<_> = ring
        .keys
        .iter()
        .filter(|k| k.state.is_published())
        .filter_map(|k| k.public_jwk.clone().map(|jwk| (rank(k.state), jwk)))
        .collect();
    keys.sort_by_key(|(r, _)| *r);
    json!({ "keys": keys.into_iter().map(|(_, jwk)| jwk).collect::<Vec<_>>() })
}

/// Parses a JWKS document, with one clear error when it is not one. An entry that is not a
/// JSON object reads as a JWK with no members, which every hygiene check then reports.
pub fn parse(text: &str) -> Result<Vec<Jwk>> {
    let set: Value = serde_json::from_str(text)
        .map_err(|e| KeysError::Jwks(format!("is not valid JSON: {e}")))?;
    let keys = set
        .get("keys")
        .and_then(Value::as_array)
        .ok_or_else(|| KeysError::Jwks("has no \"keys\" array".into()))?;
    Ok(keys
        .iter()
        .map(|k| Jwk::from_value(k).unwrap_or_default())
        .collect())
}

/// Hygiene findings for a published JWKS; `source` is the file or URL it came from.
pub fn check(text: &str, source: &str) -> Result<Vec<Finding>> {
    let keys = parse(text)?;
    let mut out = Vec::new();
    if crate::net::http_url(source).is_ok_and(|u| u.scheme() == "http") {
        out.push(
            finding("jwks-over-http", Severity::High, "The JWKS is served over plain HTTP", &[RFC8725, OWASP_API2])
                .evidence(source.to_string())
                .why("anyone on the path can swap in their own keys, and verifiers will accept tokens signed with them")
                .fix("serve the JWKS over HTTPS only, and fetch it only over HTTPS"),
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, jwk) in keys.iter().enumerate() {
        let at = format!("key #{i} ({})", jwk.kid.as_deref().unwrap_or("(no kid)"));
        let private = jwk.private_members();
        if !private.is_empty() {
            out.push(
                finding("jwks-private-members", Severity::Critical, "The JWKS publishes private key material", &[RFC7517, OWASP_API2])
                    .evidence(format!("{at} has {}", private.join(", ")))
                    .why("anyone who reads the JWKS can sign tokens your services accept (a symmetric 'k' is the whole secret)")
                    .fix("revoke these keys now, generate new ones, and publish only public members"),
            );
        }
        match jwk.kid.as_deref() {
            None => out.push(
                finding("jwks-missing-kid", Severity::Medium, "A key has no kid", &[RFC7517, RFC7638])
                    .evidence(at.clone())
                    .why("without a kid, verifiers must try keys in turn, and rotation cannot tell the old key from the new")
                    .fix("give every key a kid, such as its RFC 7638 thumbprint"),
            ),
            Some(kid) if seen.contains(&kid) => out.push(
                finding("jwks-duplicate-kid", Severity::High, "Two keys share a kid", &[RFC7517, RFC7638])
                    .evidence(format!("kid '{kid}' appears more than once"))
                    .why("verifiers may pick either key; tokens fail at random, and a wrong key can be trusted for another's tokens")
                    .fix("give every key its own kid, such as its RFC 7638 thumbprint"),
            ),
            Some(kid) => seen.push(kid),
        }
        if jwk.alg.is_none() {
            out.push(
                finding("jwks-missing-alg", Severity::Medium, "A key has no alg", &[RFC8725, RFC7517])
                    .evidence(at.clone())
                    .why("a key without an alg lets the token choose the algorithm, the root of algorithm-confusion attacks")
                    .fix("pin exactly one alg on every key (RFC 8725 §3.1)"),
            );
        }
        if jwk.use_.is_none() && !jwk.other.contains_key("key_ops") {
            out.push(
                finding("jwks-missing-use", Severity::Low, "A key has no use", &[RFC7517])
                    .evidence(at.clone())
                    .why("a key meant for signatures could be used for encryption, mixing two trust decisions")
                    .fix("set \"use\": \"sig\" on signing keys"),
            );
        }
        if jwk.kty() == "RSA" {
            let bits = jwk
                .member("n")
                .ok()
                .map(|n| {
                    let lead = n.iter().take_while(|b| **b == 0).count();
                    n.get(lead)
                        .map_or(0, |b| (n.len() - lead) * 8 - b.leading_zeros() as usize)
                })
                .unwrap_or(0);
            if bits < 2048 {
                out.push(
                    finding("jwks-weak-rsa", Severity::High, "An RSA key is under 2048 bits", &[RFC8725, OWASP_API2])
                        .evidence(format!("{at} is {bits}-bit"))
                        .why("RSA keys under 2048 bits can be factored with enough computing power, and then anyone can sign")
                        .fix("rotate to an RSA key of 2048 bits or more, or to ES256 or EdDSA")
                        .reference("RFC 7518 §3.3", "https://www.rfc-editor.org/rfc/rfc7518#section-3.3"),
                );
            }
        }
    }
    crate::findings::sort(&mut out);
    Ok(out)
}

/// Findings from comparing a published JWKS with the keyring at `now`: the active key must
/// be published, and a retiring key must stay until its tokens have expired.
pub fn compare(text: &str, ring: &Keyring, now: i64) -> Result<Vec<Finding>> {
    let keys = parse(text)?;
    let published = |kid: &str| keys.iter().any(|k| k.kid.as_deref() == Some(kid));
    let mut out = Vec::new();
    if let Some(active) = ring
        .active()
        .filter(|a| a.public_jwk.is_some() && !published(&a.kid))
    {
        out.push(
            finding("jwks-active-unpublished", Severity::High, "The active signing key is not in the published JWKS", &[RFC7517, OWASP_API2])
                .evidence(format!("kid '{}' ({}) signs, but the JWKS does not list it", active.kid, active.alg))
                .why("every token signed now fails verification")
                .fix("publish the JWKS from `apiward keys jwks`, and publish new keys before promoting them"),
        );
    }
    for key in ring
        .keys
        .iter()
        .filter(|k| k.state == KeyState::Retiring && k.public_jwk.is_some())
    {
        let until = remove_safe_at(&ring.policy, key);
        if now < until && !published(&key.kid) {
            out.push(
                finding("jwks-retiring-removed-early", Severity::High, "A retiring key vanished from the JWKS too early", &[RFC7517, OWASP_API2])
                    .evidence(format!(
                        "kid '{}' stopped signing, but its tokens may be valid until {}",
                        key.kid,
                        crate::jwt::format_utc(until)
                    ))
                    .why("tokens it signed are still in circulation and now fail verification")
                    .fix("keep publishing retiring keys until `apiward keys plan` says they may be removed"),
            );
        }
    }
    Ok(out)
}
