//! What an accepted probe variant means: one finding per class of weakness, with what the
//! server skips, why it matters and how to fix it. Kept as data, like the lint rules, so
//! SARIF can describe every class, the ones that passed too. Ids are a public contract.

use crate::findings::{Finding, Rule, Severity};

use super::probe::{ProbeReport, VariantVerdict};

const OWASP: (&str, &str) = (
    "OWASP API2:2023 Broken Authentication",
    "https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/",
);

const RFC8725_ALG: (&str, &str) = (
    "RFC 8725 §3.1 Perform Algorithm Verification",
    "https://www.rfc-editor.org/rfc/rfc8725#section-3.1",
);
const RFC8725_CLAIMS: (&str, &str) = (
    "RFC 8725 §3.8 Validate Issuer and Subject",
    "https://www.rfc-editor.org/rfc/rfc8725#section-3.8",
);
const RFC7519_EXP: (&str, &str) = (
    "RFC 7519 §4.1.4 exp",
    "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4",
);

use Severity::{Critical, High, Low, Medium};

/// Every class, and the variants that show it.
pub const PROBE_RULES: &[(Rule, &[&str])] = &[
    (
        Rule {
            id: "probe-alg-none",
            severity: Critical,
            title: "The server accepts unsigned tokens (alg none)",
            why: "A token with alg none and no signature got in, so anyone can write any claims and be anyone (RFC 8725 §2.1, §3.1). Some checks compare 'none' case-sensitively, so None or NONE slip through.",
            fix: "Verify with an allowlist of the algorithms you issue, fixed on the server, never taken from the token; reject none in every letter case.",
            refs: &[RFC8725_ALG],
        },
        &[
            "alg-none",
            "alg-none-capitalized",
            "alg-none-upper",
            "alg-none-mixed",
        ],
    ),
    (
        Rule {
            id: "probe-signature-not-verified",
            severity: Critical,
            title: "The server does not verify signatures",
            why: "A token whose signature was removed or replaced by zero bytes got in: the server decodes tokens without checking them (a decode-only call, or signature validation switched off), so any claims are trusted (RFC 7515 §5.2).",
            fix: "Use the library's verifying decode with the real key; never the decode-only or insecure variant on a request path.",
            refs: &[(
                "RFC 7515 §5.2 Message Signature Validation",
                "https://www.rfc-editor.org/rfc/rfc7515#section-5.2",
            )],
        },
        &["signature-stripped", "null-signature"],
    ),
    (
        Rule {
            id: "probe-psychic-signature",
            severity: Critical,
            title: "The server accepts an ECDSA signature of zeros (psychic signature)",
            why: "An ES256 signature with r = s = 0 got in; Java 15 to 18 accept it for any key (CVE-2022-21449), so anyone can sign anything.",
            fix: "Update the Java runtime (17.0.3, 18.0.1 or later) or the library that verifies ECDSA.",
            refs: &[(
                "CVE-2022-21449",
                "https://nvd.nist.gov/vuln/detail/CVE-2022-21449",
            )],
        },
        &["psychic-signature"],
    ),
    (
        Rule {
            id: "probe-empty-secret",
            severity: Critical,
            title: "The server accepts tokens signed with an empty secret",
            why: "An HMAC token signed with an empty key got in: the secret is unset or failed to load, so anyone can sign tokens (RFC 8725 §3.5).",
            fix: "Fail at start-up when the secret is missing or short; use at least 32 random bytes.",
            refs: &[(
                "RFC 8725 §3.5 Ensure Cryptographic Keys Have Sufficient Entropy",
                "https://www.rfc-editor.org/rfc/rfc8725#section-3.5",
            )],
        },
        &["empty-secret"],
    ),
    (
        Rule {
            id: "probe-key-confusion",
            severity: Critical,
            title: "The server lets the token pick HMAC with its public key (RS/HS confusion)",
            why: "A token signed with HMAC, keyed with the server's public key PEM, got in: the server takes the algorithm from the token and uses its RSA/EC public key as an HMAC secret, and the public key is public (RFC 8725 §3.1, §2.1).",
            fix: "Bind each key to one algorithm on the server and pass only that algorithm to the verifier.",
            refs: &[RFC8725_ALG],
        },
        &["key-confusion"],
    ),
    (
        Rule {
            id: "probe-embedded-jwk",
            severity: Critical,
            title: "The server trusts the key embedded in the token (jwk header)",
            why: "A token signed with a fresh key and carrying that key in its jwk header got in, so anyone can sign with their own key (CVE-2018-0114; RFC 7515 §4.1.3 leaves trust to the server).",
            fix: "Verify only with keys the server already holds; ignore jwk in incoming tokens.",
            refs: &[(
                "CVE-2018-0114",
                "https://nvd.nist.gov/vuln/detail/CVE-2018-0114",
            )],
        },
        &["embedded-jwk"],
    ),
    (
        Rule {
            id: "probe-jku-followed",
            severity: Critical,
            title: "The server fetches the key from the token's jku URL",
            why: "A token naming the tester's JWKS in its jku header got in: the server fetches keys from wherever the token says, so anyone can host a key and sign with it (RFC 8725 §3.10; RFC 7515 §4.1.2).",
            fix: "Fetch keys only from a fixed, configured JWKS URL; ignore jku, or compare it exactly against an allowlist.",
            refs: &[(
                "RFC 7515 §4.1.2 jku",
                "https://www.rfc-editor.org/rfc/rfc7515#section-4.1.2",
            )],
        },
        &["jku"],
    ),
    (
        Rule {
            id: "probe-jku-allowlist-bypass",
            severity: Critical,
            title: "The server's jku allowlist can be bypassed",
            why: "A jku disguised as the trusted one (the trusted host as user info, as a sub-domain of the tester's, or behind an open redirect on the trusted host) got in: the allowlist checks how the URL text starts, not the host the fetch goes to.",
            fix: "Parse the URL and compare the scheme, host and port exactly against the allowlist; do not follow redirects when fetching keys; better, fetch from a fixed URL.",
            refs: &[(
                "PortSwigger: JWT header parameter injections",
                "https://portswigger.net/web-security/jwt#injecting-self-signed-jwts-via-the-jku-parameter",
            )],
        },
        &["jku-userinfo", "jku-subdomain", "jku-redirect"],
    ),
    (
        Rule {
            id: "probe-jku-fetched",
            severity: Medium,
            title: "The server fetches URLs named by tokens",
            why: "The target fetched the JWKS the probe served, though it refused the forged key: URLs in tokens reach out from the server (server-side request forgery), before any signature is checked.",
            fix: "Do not fetch anything a token names; use a fixed JWKS URL.",
            refs: &[(
                "OWASP API7:2023 Server Side Request Forgery",
                "https://owasp.org/API-Security/editions/2023/en/0xa7-server-side-request-forgery/",
            )],
        },
        &[],
    ),
    (
        Rule {
            id: "probe-kid-url",
            severity: Critical,
            title: "The server fetches the key from a URL in kid",
            why: "A token whose kid is the tester's JWKS URL got in: the server treats kid as a place to load the key from, so anyone can supply the key.",
            fix: "Use kid only to look a key up among keys the server already holds, by exact match.",
            refs: &[(
                "RFC 7515 §4.1.4 kid",
                "https://www.rfc-editor.org/rfc/rfc7515#section-4.1.4",
            )],
        },
        &["kid-url"],
    ),
    (
        Rule {
            id: "probe-kid-traversal",
            severity: Critical,
            title: "The server reads the key from a file path built from kid",
            why: "A token whose kid climbs out of the key folder to a file of known contents, signed with those contents, got in: the key path is built from kid, so anyone can pick a file they can predict as the key.",
            fix: "Map kid to keys through a fixed table; never build a path from it.",
            refs: &[(
                "CWE-22 Path Traversal",
                "https://cwe.mitre.org/data/definitions/22.html",
            )],
        },
        &["kid-traversal", "kid-traversal-known-file"],
    ),
    (
        Rule {
            id: "probe-kid-sql-injection",
            severity: Critical,
            title: "The server looks the key up with SQL built from kid",
            why: "A token whose kid unions in a key of the tester's choosing, signed with it, got in: kid reaches a SQL query unescaped, which also opens the database to injection.",
            fix: "Look keys up with a parameterised query or a fixed table.",
            refs: &[(
                "CWE-89 SQL Injection",
                "https://cwe.mitre.org/data/definitions/89.html",
            )],
        },
        &["kid-sql-injection"],
    ),
    (
        Rule {
            id: "probe-secret-known",
            severity: Critical,
            title: "The HMAC secret is known",
            why: "A token re-signed with the secret given to the probe (or found by jwt crack) got in: whoever knows the secret can mint any token, and a secret found in a wordlist is known to everyone (RFC 8725 §3.5).",
            fix: "Rotate to at least 32 random bytes from a CSPRNG, kept out of code and images; consider an asymmetric algorithm.",
            refs: &[(
                "RFC 8725 §3.5 Ensure Cryptographic Keys Have Sufficient Entropy",
                "https://www.rfc-editor.org/rfc/rfc8725#section-3.5",
            )],
        },
        &["resign"],
    ),
    (
        Rule {
            id: "probe-exp-not-enforced",
            severity: High,
            title: "The server does not check exp",
            why: "An expired token got in: a token stolen or leaked once keeps working for ever, and logging out or shortening lifetimes changes nothing (RFC 7519 §4.1.4 says it MUST NOT be accepted).",
            fix: "Turn expiry validation on (in jsonwebtoken, validate_exp) with at most a minute of leeway.",
            refs: &[RFC7519_EXP],
        },
        &["exp-not-enforced", "claim-exp-past"],
    ),
    (
        Rule {
            id: "probe-nbf-not-enforced",
            severity: Medium,
            title: "The server does not check nbf",
            why: "A token not valid for another hour got in: tokens issued ahead of time, or with a time that was meant to delay them, work at once (RFC 7519 §4.1.5 says it MUST NOT be accepted).",
            fix: "Turn not-before validation on (in jsonwebtoken, validate_nbf, which is off by default).",
            refs: &[(
                "RFC 7519 §4.1.5 nbf",
                "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.5",
            )],
        },
        &["claim-nbf-future"],
    ),
    (
        Rule {
            id: "probe-aud-not-checked",
            severity: High,
            title: "The server does not check aud",
            why: "A token for another audience got in: a token the same issuer made for a different service is accepted here, so one service's tokens open another (RFC 7519 §4.1.3 says it MUST be rejected; RFC 8725 §3.9).",
            fix: "Configure the audience this service accepts and reject every other one.",
            refs: &[(
                "RFC 8725 §3.9 Use and Validate Audience",
                "https://www.rfc-editor.org/rfc/rfc8725#section-3.9",
            )],
        },
        &["claim-aud-foreign"],
    ),
    (
        Rule {
            id: "probe-iss-not-checked",
            severity: High,
            title: "The server does not check iss",
            why: "A token from another issuer got in: where keys are shared or fetched, any issuer's tokens are trusted (RFC 8725 §3.8).",
            fix: "Configure the issuer (or issuers) this service trusts and reject every other one.",
            refs: &[RFC8725_CLAIMS],
        },
        &["claim-iss-foreign"],
    ),
    (
        Rule {
            id: "probe-exp-not-required",
            severity: Low,
            title: "The server accepts tokens without exp",
            why: "A token with no expiry got in: such a token never stops working if it leaks (RFC 8725 §3.10 and most profiles ask for short-lived tokens).",
            fix: "Require exp (in jsonwebtoken, keep it in required_spec_claims).",
            refs: &[RFC7519_EXP],
        },
        &["claim-exp-missing"],
    ),
];

/// The class a variant belongs to.
pub fn rule_for(attack: &str) -> Option<&'static Rule> {
    PROBE_RULES
        .iter()
        .find(|(_, attacks)| attacks.contains(&attack))
        .map(|(rule, _)| rule)
}

impl ProbeReport {
    /// One finding per class with an accepted variant, naming the variants and answers, plus
    /// `probe-jku-fetched` when the target fetched the probe's JWKS but refused its key.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for (rule, attacks) in PROBE_RULES {
            let hits: Vec<String> = self
                .variants
                .iter()
                .filter(|v| v.verdict == VariantVerdict::Accepted && attacks.contains(&&*v.attack))
                .map(|v| format!("{} → {}", v.attack, v.answer.summary()))
                .collect();
            // A bypass of an allowlist that is not there is no news: the plain jku says it.
            let moot = rule.id == "probe-jku-allowlist-bypass"
                && out.iter().any(|f: &Finding| f.id == "probe-jku-followed");
            if !hits.is_empty() && !moot {
                out.push(rule.finding(format!("accepted: {}", hits.join(", ")), &[OWASP]));
            }
        }
        let jku_accepted = out
            .iter()
            .any(|f| f.id == "probe-jku-followed" || f.id == "probe-jku-allowlist-bypass");
        if let Some(note) = self.jku.as_ref().filter(|n| !n.fetched.is_empty())
            && !jku_accepted
            && let Some((rule, _)) = PROBE_RULES
                .iter()
                .find(|(r, _)| r.id == "probe-jku-fetched")
        {
            out.push(rule.finding(
                format!("fetched {}: {}", note.url, note.fetched.join(", ")),
                &[OWASP],
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attack_has_one_class() {
        for attack in super::super::forge::ATTACKS
            .iter()
            .chain(&[super::super::probe::EXPIRED_ACCEPTED])
        {
            let n = PROBE_RULES
                .iter()
                .filter(|(_, attacks)| attacks.contains(attack))
                .count();
            assert_eq!(n, 1, "{attack}");
        }
        let mut ids: Vec<_> = PROBE_RULES.iter().map(|(r, _)| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), PROBE_RULES.len());
    }
}
