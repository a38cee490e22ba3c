//! The lint rules: stable ids, severities, and the why, fix and references of each.
//!
//! Kept as data, apart from the checks in `lint.rs`, so the CLI can list them and SARIF
//! output can describe every rule without running anything. Ids are a public contract.

pub use crate::findings::Rule;
use crate::findings::{Finding, Severity};

const OWASP: (&str, &str) = (
    "OWASP API2:2023 Broken Authentication",
    "https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/",
);

macro_rules! rfc {
    ($title:literal, $rfc:literal, $sec:literal) => {
        (
            $title,
            concat!(
                "https://www.rfc-editor.org/rfc/rfc",
                $rfc,
                "#section-",
                $sec
            ),
        )
    };
}

use Severity::{Critical, High, Info, Low, Medium};

pub const RULES: &[Rule] = &[
    Rule {
        id: "alg-none",
        severity: Critical,
        title: "Unsecured token: alg is none",
        why: "A token with alg none carries no signature, so anyone can write any claims. Servers that accept it (some compare 'none' case-sensitively, so None or NONE slip through) let attackers log in as anyone (RFC 8725 §2.1).",
        fix: "Reject alg none in every letter case; verify with an allowlist of the one or two algorithms you issue.",
        refs: &[
            rfc!("RFC 8725 §2.1 Weak Signatures", "8725", "2.1"),
            rfc!(
                "RFC 8725 §3.1 Perform Algorithm Verification",
                "8725",
                "3.1"
            ),
            rfc!("RFC 7518 §3.6 Unsecured JWS", "7518", "3.6"),
        ],
    },
    Rule {
        id: "alg-missing",
        severity: High,
        title: "The header has no string alg",
        why: "Without a usable alg the verifier must guess, and libraries that fall back to a default or to the key's type can be tricked into accepting forged tokens (RFC 7515 §4.1.1).",
        fix: "Always set alg, and verify against a fixed allowlist instead of trusting the header.",
        refs: &[
            rfc!("RFC 7515 §4.1.1 alg", "7515", "4.1.1"),
            rfc!(
                "RFC 8725 §3.1 Perform Algorithm Verification",
                "8725",
                "3.1"
            ),
        ],
    },
    Rule {
        id: "signature-empty",
        severity: High,
        title: "The signature is empty",
        why: "The header claims a signing algorithm but the signature segment is empty: either the token was stripped to test a verifier that skips empty signatures, or it was never signed (RFC 8725 §3.3).",
        fix: "Reject tokens whose signature is empty or of the wrong length for the algorithm.",
        refs: &[
            rfc!(
                "RFC 8725 §3.3 Validate All Cryptographic Operations",
                "8725",
                "3.3"
            ),
            rfc!("RFC 7515 §5.2 Message Signature Validation", "7515", "5.2"),
        ],
    },
    Rule {
        id: "signature-zero-ecdsa",
        severity: Critical,
        title: "ECDSA signature with r or s zero (psychic signature)",
        why: "An ECDSA signature whose r or s is zero is never valid, but some verifiers (Java 15-18, CVE-2022-21449) accept it for any message and any key (RFC 8725 §3.4).",
        fix: "Use a verifier that rejects r or s outside [1, n-1]; patch the runtime.",
        refs: &[
            rfc!("RFC 8725 §3.4 Validate Cryptographic Inputs", "8725", "3.4"),
            rfc!("RFC 7518 §3.4 ECDSA", "7518", "3.4"),
            (
                "CVE-2022-21449",
                "https://nvd.nist.gov/vuln/detail/CVE-2022-21449",
            ),
        ],
    },
    Rule {
        id: "weak-secret",
        severity: Critical,
        title: "The HMAC secret is a well-known weak secret",
        why: "The signing secret is in a public list of common secrets, so anyone can find it offline from one token and then mint valid tokens for any user (RFC 8725 §3.5).",
        fix: "Rotate to a random key of at least the hash size (32 bytes for HS256) from a secrets manager, and revoke tokens signed with the old one.",
        refs: &[
            rfc!(
                "RFC 8725 §3.5 Ensure Cryptographic Keys Have Sufficient Entropy",
                "8725",
                "3.5"
            ),
            rfc!("RFC 8725 §2.2 Weak Symmetric Keys", "8725", "2.2"),
            rfc!("RFC 7518 §3.2 HMAC with SHA-2", "7518", "3.2"),
        ],
    },
    Rule {
        id: "short-secret",
        severity: High,
        title: "The HMAC key is shorter than the hash output",
        why: "RFC 7518 requires an HMAC key at least as long as the hash output; shorter keys are within reach of offline brute force from a single token (RFC 7518 §3.2).",
        fix: "Use a random key of at least 32 bytes for HS256, 48 for HS384 and 64 for HS512.",
        refs: &[
            rfc!("RFC 7518 §3.2 HMAC with SHA-2", "7518", "3.2"),
            rfc!(
                "RFC 8725 §3.5 Ensure Cryptographic Keys Have Sufficient Entropy",
                "8725",
                "3.5"
            ),
        ],
    },
    Rule {
        id: "exp-missing",
        severity: Medium,
        title: "The token never expires",
        why: "Without exp a stolen token works forever, and revocation becomes the only defence (RFC 7519 §4.1.4).",
        fix: "Issue short-lived tokens (minutes to hours) with exp, and use refresh tokens for long sessions.",
        refs: &[rfc!("RFC 7519 §4.1.4 exp", "7519", "4.1.4")],
    },
    Rule {
        id: "expired",
        severity: Info,
        title: "The token has expired",
        why: "A conforming server must reject it; if a server still accepts it, expiry is not checked (RFC 7519 §4.1.4).",
        fix: "Check that the server rejects expired tokens (allowing at most a minute or two of clock skew).",
        refs: &[rfc!("RFC 7519 §4.1.4 exp", "7519", "4.1.4")],
    },
    Rule {
        id: "lifetime-long",
        severity: Low,
        title: "The token lives longer than the policy allows",
        why: "Long-lived access tokens stay useful to a thief for a long time (RFC 7519 §4.1.4).",
        fix: "Shorten the access token lifetime and use refresh tokens.",
        refs: &[
            rfc!("RFC 7519 §4.1.4 exp", "7519", "4.1.4"),
            rfc!("RFC 7519 §4.1.6 iat", "7519", "4.1.6"),
        ],
    },
    Rule {
        id: "nbf-future",
        severity: Info,
        title: "The token is not valid yet",
        why: "nbf is in the future, so a conforming server rejects it for now; a server that accepts it does not check nbf (RFC 7519 §4.1.5).",
        fix: "Check that the server honours nbf; if unintended, check the issuer's clock.",
        refs: &[rfc!("RFC 7519 §4.1.5 nbf", "7519", "4.1.5")],
    },
    Rule {
        id: "iat-future",
        severity: Medium,
        title: "The token claims to be issued in the future",
        why: "An iat in the future points to a skewed issuer clock or a hand-made token, and it can stretch the token's life where lifetime is computed from iat (RFC 7519 §4.1.6).",
        fix: "Reject tokens issued more than a small skew in the future; synchronise clocks.",
        refs: &[rfc!("RFC 7519 §4.1.6 iat", "7519", "4.1.6")],
    },
    Rule {
        id: "iss-missing",
        severity: Low,
        title: "No issuer (iss)",
        why: "Without iss a server cannot tell which issuer's keys should verify the token, which helps substitution between issuers (RFC 8725 §3.8).",
        fix: "Set iss and have servers check it against the expected issuer.",
        refs: &[
            rfc!("RFC 8725 §3.8 Validate Issuer and Subject", "8725", "3.8"),
            rfc!("RFC 7519 §4.1.1 iss", "7519", "4.1.1"),
        ],
    },
    Rule {
        id: "aud-missing",
        severity: Low,
        title: "No audience (aud)",
        why: "Without aud a token issued for one service is accepted by every other service that trusts the same issuer (RFC 8725 §3.9).",
        fix: "Set aud to the intended service and have each service check it.",
        refs: &[
            rfc!("RFC 8725 §3.9 Use and Validate Audience", "8725", "3.9"),
            rfc!("RFC 7519 §4.1.3 aud", "7519", "4.1.3"),
        ],
    },
    Rule {
        id: "jti-missing",
        severity: Low,
        title: "No token id (jti)",
        why: "RFC 9068 §2.2 requires jti in JWT access tokens: without it a resource server cannot detect replays or revoke one token (RFC 7519 §4.1.7). It is checked on access tokens only; OIDC Core does not ask for it in ID tokens.",
        fix: "Give each token a unique jti and keep a deny-list or replay cache where needed.",
        refs: &[
            rfc!("RFC 7519 §4.1.7 jti", "7519", "4.1.7"),
            rfc!("RFC 9068 §2.2 Data Structure", "9068", "2.2"),
        ],
    },
    Rule {
        id: "typ-missing",
        severity: Info,
        title: "No explicit type (typ)",
        why: "Explicit typing stops a token of one kind (an ID token, a logout token) being accepted as another (RFC 8725 §3.11).",
        fix: "Set typ (JWT, or a specific type such as at+jwt) and check it.",
        refs: &[
            rfc!("RFC 8725 §3.11 Use Explicit Typing", "8725", "3.11"),
            rfc!("RFC 7519 §5.1 typ", "7519", "5.1"),
        ],
    },
    Rule {
        id: "iss-not-https",
        severity: Low,
        title: "ID token issuer is not an https URL",
        why: "OIDC Core §2 makes iss an https URL, and clients fetch the issuer's discovery document and keys from it (OIDC Discovery §4); over http anyone on the path can hand them other keys.",
        fix: "Issue ID tokens with an https issuer and configure clients with that exact value.",
        refs: &[
            (
                "OIDC Core §2 ID Token",
                "https://openid.net/specs/openid-connect-core-1_0.html#IDToken",
            ),
            (
                "OIDC Discovery §4 Obtaining Configuration",
                "https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig",
            ),
            rfc!(
                "RFC 8414 §2 Authorization Server Metadata: issuer",
                "8414",
                "2"
            ),
        ],
    },
    Rule {
        id: "jku-present",
        severity: High,
        title: "The header points to a key set URL (jku)",
        why: "If the server fetches keys from jku, an attacker hosts their own JWKS and signs any token; it can also be used for SSRF (RFC 8725 §3.10).",
        fix: "Ignore jku, or only accept exact URLs from an allowlist; configure the JWKS URL on the server.",
        refs: &[
            rfc!(
                "RFC 8725 §3.10 Do Not Trust Received Claims",
                "8725",
                "3.10"
            ),
            rfc!("RFC 7515 §4.1.2 jku", "7515", "4.1.2"),
        ],
    },
    Rule {
        id: "x5u-present",
        severity: High,
        title: "The header points to a certificate URL (x5u)",
        why: "If the server fetches the certificate from x5u, an attacker supplies their own; it can also be used for SSRF (RFC 8725 §3.10).",
        fix: "Ignore x5u, or fetch only from an allowlist and validate the chain to a pinned root.",
        refs: &[
            rfc!(
                "RFC 8725 §3.10 Do Not Trust Received Claims",
                "8725",
                "3.10"
            ),
            rfc!("RFC 7515 §4.1.5 x5u", "7515", "4.1.5"),
        ],
    },
    Rule {
        id: "jwk-embedded",
        severity: High,
        title: "The header embeds its own key (jwk)",
        why: "A server that verifies with the key in the token accepts tokens signed with any attacker's key (CVE-2018-0114) (RFC 8725 §3.10).",
        fix: "Never verify with a key taken from the token; use keys configured on the server.",
        refs: &[
            rfc!(
                "RFC 8725 §3.10 Do Not Trust Received Claims",
                "8725",
                "3.10"
            ),
            rfc!("RFC 7515 §4.1.3 jwk", "7515", "4.1.3"),
            (
                "CVE-2018-0114",
                "https://nvd.nist.gov/vuln/detail/CVE-2018-0114",
            ),
        ],
    },
    Rule {
        id: "x5c-present",
        severity: Medium,
        title: "The header carries a certificate chain (x5c)",
        why: "A server that trusts the x5c certificate without validating its chain to a trusted root accepts any self-signed key (RFC 8725 §3.10).",
        fix: "Validate x5c against a pinned root and the expected subject, or ignore it.",
        refs: &[
            rfc!(
                "RFC 8725 §3.10 Do Not Trust Received Claims",
                "8725",
                "3.10"
            ),
            rfc!("RFC 7515 §4.1.6 x5c", "7515", "4.1.6"),
        ],
    },
    Rule {
        id: "kid-injection",
        severity: High,
        title: "The key id (kid) looks like an injection",
        why: "Servers that use kid in a file path, SQL query or shell command can be made to load a predictable key (such as /dev/null, an empty key) or run code (RFC 8725 §3.10).",
        fix: "Treat kid as an opaque lookup key: match it exactly against known key ids, never build paths, queries or commands from it.",
        refs: &[
            rfc!(
                "RFC 8725 §3.10 Do Not Trust Received Claims",
                "8725",
                "3.10"
            ),
            rfc!("RFC 7515 §4.1.4 kid", "7515", "4.1.4"),
        ],
    },
    Rule {
        id: "crit-present",
        severity: Medium,
        title: "The header has critical extensions (crit)",
        why: "Every extension named in crit must be understood or the token rejected; libraries that ignore crit may process, for example, an unencoded b64=false payload wrongly (RFC 7515 §4.1.11).",
        fix: "Make sure the verifier supports or rejects each crit extension.",
        refs: &[
            rfc!("RFC 7515 §4.1.11 crit", "7515", "4.1.11"),
            rfc!(
                "RFC 8725 §3.3 Validate All Cryptographic Operations",
                "8725",
                "3.3"
            ),
        ],
    },
    Rule {
        id: "zip-in-jws",
        severity: Medium,
        title: "A signed token declares compression (zip)",
        why: "zip is defined for JWE only; in a JWS it signals a confused producer, or a probe for decompression bombs in lenient parsers (RFC 7516 §4.1.3).",
        fix: "Reject zip on a JWS; for JWE, prefer no compression (RFC 8725 §3.6).",
        refs: &[
            rfc!("RFC 7516 §4.1.3 zip", "7516", "4.1.3"),
            rfc!(
                "RFC 8725 §3.6 Avoid Compression of Encryption Inputs",
                "8725",
                "3.6"
            ),
        ],
    },
    Rule {
        id: "duplicate-claims",
        severity: High,
        title: "A JSON member appears twice",
        why: "Parsers disagree on which duplicate wins, so a gateway and a service can read different alg, sub or role values from the same token (RFC 7515 §5.2).",
        fix: "Reject tokens with duplicate member names, as RFC 7515 §5.2 allows.",
        refs: &[
            rfc!("RFC 7515 §5.2 Message Signature Validation", "7515", "5.2"),
            rfc!(
                "RFC 8725 §2.6 Multiplicity of JSON Encodings",
                "8725",
                "2.6"
            ),
        ],
    },
    Rule {
        id: "sensitive-claim",
        severity: High,
        title: "The token carries sensitive data",
        why: "A JWS payload is only base64: anyone who holds the token (logs, browser storage, proxies) can read it (RFC 7519 §12).",
        fix: "Keep secrets and personal data out of tokens; reference them by id, or use JWE when the content must travel.",
        refs: &[
            rfc!("RFC 7519 §12 Privacy Considerations", "7519", "12"),
            rfc!(
                "RFC 8725 §3.10 Do Not Trust Received Claims",
                "8725",
                "3.10"
            ),
        ],
    },
    Rule {
        id: "base64-noncanonical",
        severity: Low,
        title: "A segment is not canonical base64url",
        why: "Padding, the standard alphabet or stray trailing bits give one token many spellings, which defeats deny-lists and replay caches keyed on the token text (RFC 7515 §2).",
        fix: "Reject non-canonical base64url; compare tokens on their decoded form.",
        refs: &[
            rfc!("RFC 7515 §2 base64url", "7515", "2"),
            rfc!("RFC 8725 §3.4 Validate Cryptographic Inputs", "8725", "3.4"),
        ],
    },
    Rule {
        id: "alg-unsupported",
        severity: Medium,
        title: "The algorithm is unknown or not verifiable here",
        why: "An algorithm outside the usual set is either an exotic choice the verifier must support explicitly, or a probe for verifiers that fail open (RFC 8725 §3.2).",
        fix: "Verify with an allowlist of the algorithms you issue and reject everything else.",
        refs: &[
            rfc!("RFC 8725 §3.2 Use Appropriate Algorithms", "8725", "3.2"),
            rfc!("RFC 7518 §3.1 alg values for JWS", "7518", "3.1"),
        ],
    },
    Rule {
        id: "signature-length",
        severity: High,
        title: "The signature is not the length the algorithm produces",
        why: "Every JWS algorithm fixes its signature length: 32, 48 or 64 bytes for HS256/384/512, 64, 96 or 132 for ES256/384/512, 64 for EdDSA, and the modulus length (at least 256 bytes) for RS*/PS*. A cut or padded signature is a tampered token or a probe for verifiers that compare only a prefix or skip length checks (RFC 7518 §3.1, RFC 8725 §3.3).",
        fix: "Reject signatures whose length is not the algorithm's before verifying them.",
        refs: &[
            rfc!("RFC 7518 §3.1 alg values for JWS", "7518", "3.1"),
            rfc!(
                "RFC 8725 §3.3 Validate All Cryptographic Operations",
                "8725",
                "3.3"
            ),
        ],
    },
    Rule {
        id: "typ-not-at-jwt",
        severity: Low,
        title: "An access token is not typed at+jwt",
        why: "RFC 9068 §2.1 requires JWT access tokens to carry typ at+jwt, so that a resource server can refuse an ID token or another JWT presented as an access token (token substitution, RFC 8725 §3.11).",
        fix: "Issue access tokens with typ at+jwt, and have resource servers require it.",
        refs: &[
            rfc!("RFC 9068 §2.1 Header", "9068", "2.1"),
            rfc!("RFC 8725 §3.11 Use Explicit Typing", "8725", "3.11"),
        ],
    },
    Rule {
        id: "jwe",
        severity: Info,
        title: "This is an encrypted token (JWE)",
        why: "Only the protected header can be read without the decryption key, so claim checks are skipped (RFC 7516 §9).",
        fix: "Decrypt with the recipient's key to inspect the claims.",
        refs: &[
            rfc!("RFC 7516 §9 Distinguishing JWS from JWE", "7516", "9"),
            rfc!("RFC 8725 §3.2 Use Appropriate Algorithms", "8725", "3.2"),
        ],
    },
];

/// Every lint id, in rule order.
pub const LINT_IDS: [&str; RULES.len()] = {
    let mut ids = [""; RULES.len()];
    let mut i = 0;
    while i < RULES.len() {
        ids[i] = RULES[i].id;
        i += 1;
    }
    ids
};

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// A finding for rule `id` with this evidence.
///
/// # Panics
/// On an unknown id: a programming error caught by the tests.
pub fn finding(id: &str, evidence: impl Into<String>) -> Finding {
    rule(id)
        .unwrap_or_else(|| panic!("no lint rule '{id}'"))
        .finding(evidence, &[OWASP])
}
