//! Linting a decoded token: every weakness it shows on its face, as findings.
//!
//! The checks only read the token (plus an optional known secret); the rule texts live in
//! `rules.rs`. Time is injected as `now`, so a lint result is reproducible. The token's
//! [`Profile`] (ID token, access token, other) decides which claim rules apply, since RFC 9068
//! and OIDC Core ask different things of each.

use serde_json::Value;

use super::claims::time_claim;
use super::claims::{format_utc, humanize_secs};
use super::crack::{CrackTarget, crack_builtin};
use super::decode::{Decoded, Segment, TokenKind};
use super::rules::finding;
pub use super::rules::{LINT_IDS, RULES, Rule, rule};
use super::sensitive;
use crate::findings::{Finding, Severity, sort};

/// Algorithms apiward can verify (jsonwebtoken, and ES512 through p521).
pub const SUPPORTED_ALGS: &[&str] = &[
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
    "ES384", "ES512", "EdDSA",
];

/// Registered JWS algorithms (RFC 7518 §3.1, RFC 8037, RFC 8812) that apiward cannot verify.
const KNOWN_UNSUPPORTED: &[&str] = &["ES256K", "Ed25519", "Ed448"];

/// What kind of token this is, from its typ and claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// An OpenID Connect ID token (OIDC Core §2): nonce, at_hash or c_hash (or, with no
    /// access-token claim, auth_time or OIDC profile claims such as given_name).
    IdToken,
    /// An OAuth access token (RFC 9068): typ at+jwt, or client_id, scope, scp or cid.
    AccessToken,
    Other,
}

/// The token's profile. typ at+jwt decides first (RFC 9068 §2.1); then claims only ID tokens
/// carry, then claims access tokens carry. An ID token also names its client (azp), so the
/// ID-token claims are looked at before client_id.
pub fn profile(d: &Decoded) -> Profile {
    let typ = d.header_str("typ").unwrap_or("").to_ascii_lowercase();
    if typ == "at+jwt" || typ == "application/at+jwt" {
        return Profile::AccessToken;
    }
    let Some(c) = d.claims() else {
        return Profile::Other;
    };
    let has = |names: &[&str]| names.iter().any(|n| c.contains_key(*n));
    // auth_time is in both (RFC 9068 §2.2.1 lists it for access tokens), so it, like the
    // profile claims, only decides when nothing else does. Okta names its client `cid`.
    if has(&["nonce", "at_hash", "c_hash"]) {
        Profile::IdToken
    } else if has(&["client_id", "scope", "scp", "cid"]) {
        Profile::AccessToken
    } else if has(&[
        "auth_time",
        "given_name",
        "family_name",
        "preferred_username",
        "email_verified",
        "picture",
    ]) {
        // OIDC Core §5.1 standard claims beyond name and email: what an ID token carries.
        Profile::IdToken
    } else {
        Profile::Other
    }
}

/// Tolerated clock skew before an `iat` counts as in the future.
const IAT_SKEW: i64 = 60;

/// What a lint run needs besides the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintOptions {
    /// The current time, unix seconds.
    pub now: i64,
    /// The longest acceptable token lifetime in seconds (`lifetime-long` above it).
    pub max_lifetime: i64,
    /// The HMAC secret, when the user supplied it (enables `short-secret`).
    pub known_secret: Option<Vec<u8>>,
}

impl LintOptions {
    /// Options at `now` with the default 24 h lifetime policy and no known secret.
    pub fn new(now: i64) -> Self {
        Self {
            now,
            ..Self::default()
        }
    }
}

impl Default for LintOptions {
    fn default() -> Self {
        Self {
            now: 0,
            max_lifetime: 24 * 3600,
            known_secret: None,
        }
    }
}

/// Every finding for `decoded`, worst first.
pub fn lint(decoded: &Decoded, opts: &LintOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    header_checks(decoded, &mut out);
    if decoded.kind == TokenKind::Jwe {
        out.push(finding(
            "jwe",
            format!(
                "alg {}, enc {}",
                decoded.alg.as_deref().unwrap_or("(none)"),
                decoded.header_str("enc").unwrap_or("(none)")
            ),
        ));
    } else {
        signature_checks(decoded, opts, &mut out);
        let profile = profile(decoded);
        // Explicit typing is asked of new kinds of JWT (RFC 8725 §3.11); a JWS over other
        // content is no JWT. ID tokens are untyped by OIDC Core's design, and an access
        // token's missing typ is `typ-not-at-jwt`.
        if profile == Profile::Other
            && decoded.claims().is_some()
            && !decoded.header.contains_key("typ")
        {
            out.push(finding("typ-missing", "the header has no typ"));
        }
        if profile == Profile::IdToken
            && let Some(iss) = decoded.claims().and_then(|c| c.get("iss"))
            && !iss.as_str().is_some_and(|i| i.starts_with("https://"))
        {
            out.push(finding(
                "iss-not-https",
                format!("an ID token whose iss is {}", short(iss)),
            ));
        }
        if profile == Profile::AccessToken {
            let typ = decoded.header_str("typ").unwrap_or("");
            if !typ.eq_ignore_ascii_case("at+jwt")
                && !typ.eq_ignore_ascii_case("application/at+jwt")
            {
                let shown = if typ.is_empty() {
                    "no typ".to_string()
                } else {
                    format!("typ {typ:?}")
                };
                out.push(finding(
                    "typ-not-at-jwt",
                    format!("an access token (it has client_id, scope, scp or cid) with {shown}"),
                ));
            }
        }
        if let Some(claims) = decoded.claims() {
            claim_checks(claims, profile, opts, &mut out);
            for hit in sensitive::scan(&Value::Object(claims.clone())) {
                // Personal data is what an ID token is for (OIDC Core §5.1); secrets never are.
                if profile == Profile::IdToken && !hit.secret {
                    continue;
                }
                let mut f = finding(
                    "sensitive-claim",
                    format!("'{}' holds {}", hit.path, hit.what),
                );
                if !hit.secret {
                    f.severity = Severity::Medium;
                }
                out.push(f);
            }
        }
    }
    if !decoded.duplicate_keys.is_empty() {
        let list: Vec<String> = decoded
            .duplicate_keys
            .iter()
            .map(|(seg, k)| match seg {
                Segment::Header => format!("header '{k}'"),
                Segment::Payload => format!("payload '{k}'"),
            })
            .collect();
        out.push(finding(
            "duplicate-claims",
            format!("duplicated: {}", list.join(", ")),
        ));
    }
    if !decoded.noncanonical_segments.is_empty() {
        let segs: Vec<String> = decoded
            .noncanonical_segments
            .iter()
            .map(usize::to_string)
            .collect();
        out.push(finding(
            "base64-noncanonical",
            format!("segment {} (padding, +/ or trailing bits)", segs.join(", ")),
        ));
    }
    sort(&mut out);
    out
}

fn header_checks(d: &Decoded, out: &mut Vec<Finding>) {
    let h = &d.header;
    match (&d.alg, h.get("alg")) {
        (Some(alg), _) if alg.eq_ignore_ascii_case("none") => {
            out.push(finding("alg-none", format!("alg is \"{alg}\"")));
        }
        (Some(alg), _) if d.kind != TokenKind::Jwe && !SUPPORTED_ALGS.contains(&alg.as_str()) => {
            let mut f = finding("alg-unsupported", format!("alg is \"{alg}\""));
            if KNOWN_UNSUPPORTED.contains(&alg.as_str()) {
                f.severity = Severity::Info;
            }
            out.push(f);
        }
        (Some(_), _) => {}
        (None, None) => out.push(finding("alg-missing", "the header has no alg")),
        (None, Some(v)) => out.push(finding("alg-missing", format!("alg is {v}, not a string"))),
    }
    for (name, id) in [("jku", "jku-present"), ("x5u", "x5u-present")] {
        if let Some(v) = h.get(name) {
            out.push(finding(id, format!("{name}: {}", short(v))));
        }
    }
    if let Some(v) = h.get("jwk") {
        out.push(finding("jwk-embedded", format!("jwk: {}", short(v))));
    }
    if let Some(v) = h.get("x5c") {
        let n = v.as_array().map_or(1, Vec::len);
        out.push(finding(
            "x5c-present",
            format!("x5c with {n} certificate(s)"),
        ));
    }
    if let Some(kid) = h.get("kid").and_then(Value::as_str)
        && let Some(why) = kid_injection(kid)
    {
        out.push(finding("kid-injection", format!("kid {kid:?} {why}")));
    }
    if let Some(v) = h.get("crit") {
        out.push(finding("crit-present", format!("crit: {v}")));
    }
    if d.kind != TokenKind::Jwe
        && let Some(v) = h.get("zip")
    {
        out.push(finding("zip-in-jws", format!("zip: {v}")));
    }
}

/// Why a kid looks like an injection attempt, if it does.
fn kid_injection(kid: &str) -> Option<&'static str> {
    let lower = kid.to_ascii_lowercase();
    // Encoded dots and slashes pass naive "../" filters and are decoded later.
    let traversal = ["../", "..\\", "%2e%2e", "..%2f", "..%5c", "%2f"]
        .iter()
        .any(|t| lower.contains(t));
    let sql_words = [
        " union ", " select ", " or 1=1", "' or '", " sleep(", " and 1=1", "; drop ",
    ]
    .iter()
    .any(|w| format!(" {lower} ").contains(w));
    if traversal || kid.starts_with('/') || kid.starts_with('\\') || lower.starts_with("file:") {
        Some("contains a path traversal")
    } else if lower.starts_with("http://") || lower.starts_with("https://") {
        Some("is a URL, which a server that fetches keys by kid would follow")
    } else if kid.contains('\'')
        || kid.contains("--")
        || kid.contains("/*")
        || kid.contains('"')
        || sql_words
    {
        Some("contains SQL metacharacters")
    } else if kid.contains(['$', '|', '&', ';', '`', '\n', '\r', '\0', '<', '>']) {
        Some("contains shell metacharacters")
    } else {
        None
    }
}

/// The signature length `alg` always produces, or for RSA the least it may be (the modulus
/// length, 2048 bits at least per RFC 7518 §3.3 and §3.5). `None` for algorithms not known.
fn signature_len(alg: &str) -> Option<(usize, bool)> {
    Some(match alg {
        "HS256" => (32, true),
        "HS384" => (48, true),
        "HS512" => (64, true),
        "ES256" | "EdDSA" => (64, true),
        "ES384" => (96, true),
        "ES512" => (132, true),
        a if a.starts_with("RS") || a.starts_with("PS") => (256, false),
        _ => return None,
    })
}

fn signature_checks(d: &Decoded, opts: &LintOptions, out: &mut Vec<Finding>) {
    let Some(alg) = d.alg.as_deref() else {
        return;
    };
    if d.kind == TokenKind::Unsecured {
        return;
    }
    if d.signature.is_empty() {
        out.push(finding(
            "signature-empty",
            format!("alg {alg} but the signature segment is empty"),
        ));
        return;
    }
    if let Some((len, exact)) = signature_len(alg) {
        let got = d.signature.len();
        if (exact && got != len) || (!exact && got < len) {
            let want = if exact {
                format!("{alg} signatures are {len} bytes")
            } else {
                format!("{alg} signatures are as long as the RSA modulus, at least {len} bytes")
            };
            out.push(finding(
                "signature-length",
                format!("the {alg} signature is {got} bytes; {want}"),
            ));
        }
    }
    if alg.starts_with("ES") && d.signature.len().is_multiple_of(2) {
        let (r, s) = d.signature.split_at(d.signature.len() / 2);
        let zero = |x: &[u8]| x.iter().all(|&b| b == 0);
        if zero(r) || zero(s) {
            let which = if zero(r) && zero(s) {
                "r and s are"
            } else if zero(r) {
                "r is"
            } else {
                "s is"
            };
            out.push(finding(
                "signature-zero-ecdsa",
                format!("{which} zero in a {alg} signature"),
            ));
        }
    }
    if let Ok(target) = CrackTarget::from_decoded(d) {
        if let Some(secret) = crack_builtin(&target) {
            out.push(finding(
                "weak-secret",
                format!("{alg} secret is \"{}\"", String::from_utf8_lossy(&secret)),
            ));
        }
        if let Some(key) = &opts.known_secret {
            let need = d.signature.len();
            if key.len() < need {
                out.push(finding(
                    "short-secret",
                    format!(
                        "the {alg} key is {} bytes; at least {need} are required",
                        key.len()
                    ),
                ));
            }
        }
    }
}

fn claim_checks(
    c: &serde_json::Map<String, Value>,
    profile: Profile,
    opts: &LintOptions,
    out: &mut Vec<Finding>,
) {
    let now = opts.now;
    let exp = time_claim(c, "exp");
    let iat = time_claim(c, "iat");
    match (exp, c.get("exp")) {
        (Some(exp), _) => {
            if exp <= now {
                out.push(finding(
                    "expired",
                    format!("exp {} ({} ago)", format_utc(exp), humanize_secs(now - exp)),
                ));
            }
            let (start, from) = match iat {
                Some(iat) => (iat, "iat"),
                None => (now, "now"),
            };
            let life = exp.saturating_sub(start);
            if life > opts.max_lifetime {
                out.push(finding(
                    "lifetime-long",
                    format!(
                        "exp is {} after {from}; the policy allows {}",
                        exact_duration(life),
                        exact_duration(opts.max_lifetime)
                    ),
                ));
            }
        }
        (None, None) => out.push(finding("exp-missing", "the payload has no exp")),
        (None, Some(v)) => out.push(finding(
            "exp-missing",
            format!("exp is {v}, not a NumericDate"),
        )),
    }
    if let Some(nbf) = time_claim(c, "nbf")
        && nbf > now
    {
        out.push(finding(
            "nbf-future",
            format!("nbf {} (in {})", format_utc(nbf), humanize_secs(nbf - now)),
        ));
    }
    if let Some(iat) = iat
        && iat > now + IAT_SKEW
    {
        out.push(finding(
            "iat-future",
            format!("iat {} (in {})", format_utc(iat), humanize_secs(iat - now)),
        ));
    }
    for (name, id) in [
        ("iss", "iss-missing"),
        ("aud", "aud-missing"),
        ("jti", "jti-missing"),
    ] {
        // jti is required of access tokens (RFC 9068 §2.2); OIDC Core and RFC 7519 leave it
        // optional elsewhere, so its absence there is no finding.
        if id == "jti-missing" && profile != Profile::AccessToken {
            continue;
        }
        if !c.contains_key(name) {
            out.push(finding(id, format!("the payload has no {name}")));
        }
    }
}

/// A duration to the minute, so evidence never rounds a breach away: "24 h 05 min", "24 h",
/// "15 min", "1 h 00 min 30 s".
fn exact_duration(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s:02} s"),
        (h, 0, 0) => format!("{h} h"),
        (h, m, 0) => format!("{h} h {m:02} min"),
        (h, m, s) => format!("{h} h {m:02} min {s:02} s"),
    }
}

/// A value for evidence, cut to a readable length.
fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
#[path = "lint_tests.rs"]
mod tests;
