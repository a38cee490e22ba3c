//! Verifying a token: the signature through jsonwebtoken (ES512 through [`super::es512`]),
//! the header's `crit` and `b64` and the claims here, each reported as its own check so a
//! front end can show exactly what passed and what failed.
//!
//! jsonwebtoken's `Validation` reads the system clock, so its exp/nbf checks are not used:
//! we verify the signature over the raw signing input and check times against an injected
//! `now`. The key must fit the algorithm (RFC 8725 §3.1) or verification is refused.

use serde::Serialize;

use super::claims::{format_utc, relative, time_claim};
use super::decode::{Decoded, TokenKind};
use super::keys::{Alg, KeyMaterial};
use super::{JwtError, Result, b64, es512};

/// What to check besides the signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The current time, unix seconds.
    pub now: i64,
    /// Clock skew allowed on exp and nbf, in seconds.
    pub leeway: i64,
    /// Accepted issuers; empty means iss is not checked.
    pub issuers: Vec<String>,
    /// Accepted audiences; empty means aud is not checked.
    pub audiences: Vec<String>,
    /// Accepted algorithms; empty means any algorithm the key fits.
    pub allowed_algs: Vec<String>,
    /// Fail tokens that have no exp.
    pub require_exp: bool,
}

impl VerifyOptions {
    /// Options at `now` with 60 s leeway and nothing else required.
    pub fn new(now: i64) -> Self {
        Self {
            now,
            leeway: 60,
            issuers: Vec::new(),
            audiences: Vec::new(),
            allowed_algs: Vec::new(),
            require_exp: false,
        }
    }
}

/// One check and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

impl Check {
    fn new(name: &str, ok: bool, detail: impl Into<String>) -> Self {
        Self {
            name: name.to_string(),
            ok,
            detail: detail.into(),
        }
    }
}

/// The result of verifying a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub alg: String,
    /// The key used, described ("an RSA public key (2048-bit)").
    pub key: String,
    pub signature_valid: bool,
    /// Header, claim and policy checks: crit, b64, alg allowlist, exp, nbf, iss, aud.
    pub checks: Vec<Check>,
}

impl Verification {
    /// True when the signature is valid and every check passed.
    pub fn is_valid(&self) -> bool {
        self.signature_valid && self.checks.iter().all(|c| c.ok)
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.ok)
    }
}

/// Verifies `decoded` with `key`. Errors when verification cannot even be attempted: a JWE,
/// an unsecured or unsupported algorithm, or a key that does not fit the algorithm.
pub fn verify(decoded: &Decoded, key: &KeyMaterial, opts: &VerifyOptions) -> Result<Verification> {
    if decoded.kind == TokenKind::Jwe {
        return Err(JwtError::Jwe);
    }
    let alg = decoded.alg.as_deref().ok_or(JwtError::MissingAlg)?;
    let algorithm = key.check_alg(alg)?;
    // Verify the decoded bytes: odd base64 in the signature is reported by lint, not here.
    let signature_valid =
        !decoded.signature.is_empty() && signature_matches(decoded, key, algorithm)?;

    let mut checks = Vec::new();
    header_checks(decoded, &mut checks);
    if !opts.allowed_algs.is_empty() {
        let ok = opts.allowed_algs.iter().any(|a| a == alg);
        let detail = if ok {
            format!("{alg} is allowed")
        } else {
            format!(
                "{alg} is not in the allowlist ({})",
                opts.allowed_algs.join(", ")
            )
        };
        checks.push(Check::new("alg", ok, detail));
    }
    claim_checks(decoded, opts, &mut checks);
    Ok(Verification {
        alg: alg.to_string(),
        key: key.describe(),
        signature_valid,
        checks,
    })
}

fn signature_matches(decoded: &Decoded, key: &KeyMaterial, algorithm: Alg) -> Result<bool> {
    let input = decoded.signing_input.as_bytes();
    match (algorithm, key) {
        (Alg::Es512, KeyMaterial::Ec { point, .. }) => {
            es512::verify(point, input, &decoded.signature)
        }
        // check_alg lets ES512 through only with an EC P-521 key.
        (Alg::Es512, _) => Ok(false),
        (Alg::Lib(algorithm), _) => jsonwebtoken::crypto::verify(
            &b64::encode(&decoded.signature),
            input,
            &key.decoding_key(),
            algorithm,
        )
        .map_err(|e| JwtError::InvalidKey(e.to_string())),
    }
}

/// Header parameters registered by RFC 7515 §4.1 and RFC 7516 §4.1 (JWS and JWE alike, the
/// same registry); `crit` must never list these (RFC 7515 §4.1.11).
const REGISTERED_HEADERS: [&str; 20] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc",
    "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
];

/// Extensions apiward understands when `crit` lists them: `b64` (RFC 7797), and only while it
/// is `true`, which means the ordinary encoded payload.
const UNDERSTOOD_EXTENSIONS: [&str; 1] = ["b64"];

/// The header checks a recipient owes the producer: a `crit` it cannot honour and an
/// unencoded payload (`b64: false`) both make the token invalid, however good the signature.
fn header_checks(decoded: &Decoded, checks: &mut Vec<Check>) {
    let header = &decoded.header;
    if let Some(crit) = header.get("crit") {
        checks.push(crit_check(crit, header));
    }
    match header.get("b64") {
        None | Some(serde_json::Value::Bool(true)) => {}
        Some(serde_json::Value::Bool(false)) => checks.push(Check::new(
            "b64",
            false,
            "b64 is false: the payload is unencoded (RFC 7797), which apiward does not \
             verify, so the token is not accepted",
        )),
        Some(other) => checks.push(Check::new(
            "b64",
            false,
            format!("b64 must be true or false (RFC 7797 §3), not {other}"),
        )),
    }
}

fn crit_check(
    crit: &serde_json::Value,
    header: &serde_json::Map<String, serde_json::Value>,
) -> Check {
    let fail = |detail: String| Check::new("crit", false, detail);
    let names: Option<Vec<&str>> = crit
        .as_array()
        .and_then(|a| a.iter().map(serde_json::Value::as_str).collect());
    let Some(names) = names else {
        return fail(format!(
            "crit must be an array of header names (RFC 7515 §4.1.11), not {crit}"
        ));
    };
    if names.is_empty() {
        return fail("crit is an empty list, which RFC 7515 §4.1.11 forbids".into());
    }
    if let Some(name) = names.iter().find(|n| REGISTERED_HEADERS.contains(n)) {
        return fail(format!(
            "crit names '{name}', a registered header parameter; RFC 7515 §4.1.11 reserves \
             crit for extensions"
        ));
    }
    if let Some(name) = names.iter().find(|n| !UNDERSTOOD_EXTENSIONS.contains(n)) {
        return fail(format!(
            "crit names '{name}', an extension apiward does not understand; RFC 7515 \
             §4.1.11 says such a token must be rejected"
        ));
    }
    if let Some(name) = names.iter().find(|n| !header.contains_key(**n)) {
        return fail(format!(
            "crit names '{name}', but the header has no '{name}' member"
        ));
    }
    Check::new(
        "crit",
        true,
        format!("crit lists {}, which apiward understands", names.join(", ")),
    )
}

fn claim_checks(decoded: &Decoded, opts: &VerifyOptions, checks: &mut Vec<Check>) {
    let now = opts.now;
    let Some(claims) = decoded.claims() else {
        if opts.require_exp {
            checks.push(Check::new(
                "exp",
                false,
                "the payload is not a claims object",
            ));
        }
        return;
    };
    match time_claim(claims, "exp") {
        Some(exp) => {
            let ok = now < exp.saturating_add(opts.leeway);
            let detail = format!("{} ({})", relative("exp", exp, now), format_utc(exp));
            checks.push(Check::new("exp", ok, detail));
        }
        None if claims.contains_key("exp") => {
            checks.push(Check::new("exp", false, "exp is not a NumericDate"));
        }
        None if opts.require_exp => {
            checks.push(Check::new("exp", false, "no exp: the token never expires"));
        }
        None => {}
    }
    match time_claim(claims, "nbf") {
        Some(nbf) => {
            let ok = nbf.saturating_sub(opts.leeway) <= now;
            let detail = format!("{} ({})", relative("nbf", nbf, now), format_utc(nbf));
            checks.push(Check::new("nbf", ok, detail));
        }
        None if claims.contains_key("nbf") => {
            checks.push(Check::new("nbf", false, "nbf is not a NumericDate"));
        }
        None => {}
    }
    if !opts.issuers.is_empty() {
        let iss = claims.get("iss").and_then(|v| v.as_str());
        let ok = iss.is_some_and(|i| opts.issuers.iter().any(|w| w == i));
        let detail = match iss {
            Some(i) if ok => format!("issuer '{i}' is expected"),
            Some(i) => format!("issuer '{i}' is not one of: {}", opts.issuers.join(", ")),
            None => "no iss claim".into(),
        };
        checks.push(Check::new("iss", ok, detail));
    }
    if !opts.audiences.is_empty() {
        // aud may be one string or an array of strings (RFC 7519 §4.1.3).
        let auds: Vec<&str> = match claims.get("aud") {
            Some(serde_json::Value::String(s)) => vec![s.as_str()],
            Some(serde_json::Value::Array(a)) => a.iter().filter_map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        };
        let ok = auds.iter().any(|a| opts.audiences.iter().any(|w| w == a));
        let detail = if auds.is_empty() {
            "no aud claim".to_string()
        } else if ok {
            format!("audience {} is expected", auds.join(", "))
        } else {
            format!(
                "audience {} is not one of: {}",
                auds.join(", "),
                opts.audiences.join(", ")
            )
        };
        checks.push(Check::new("aud", ok, detail));
    }
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
