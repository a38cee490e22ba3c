//! The lessons, as data: eight on the practices of the beginner's guide and one per JWT attack
//! class of the lab. Lesson numbers are positions in [`LESSONS`], so add new ones at the end.
//!
//! In the texts, `{lab}` stands for the lab's HTTP address and `{labs}` for its HTTPS address;
//! [`super::fill`] puts the real ones in when the lab's address is known.

use crate::lab::routes::{API1, API2, API3, API4, API7, API8, API9};

/// Which part of the course a lesson belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Track {
    Practice,
    JwtAttack,
}

impl Track {
    pub fn title(self) -> &'static str {
        match self {
            Track::Practice => "Practices",
            Track::JwtAttack => "JWT attacks",
        }
    }
}

/// What shows a lesson was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The lab recorded this success id (see `lab::SUCCESS_IDS`).
    Lab(&'static str),
    /// The learner's own apiward run against the lab reported this finding id.
    Finding(&'static str),
}

/// One lesson. Any one piece of its evidence completes it.
#[derive(Debug)]
pub struct Lesson {
    /// A stable kebab-case id, used in the progress file.
    pub id: &'static str,
    pub title: &'static str,
    pub track: Track,
    /// The OWASP API Security Top 10 2023 entry.
    pub owasp: &'static str,
    pub goal: &'static str,
    pub background: &'static str,
    /// What to do in apiward, naming the tab and the keys (and the CLI way).
    pub steps: &'static [&'static str],
    /// Revealed one at a time.
    pub hints: &'static [&'static str],
    pub evidence: &'static [Evidence],
}

/// Every lesson, numbered from 1 in this order.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        id: "use-https",
        title: "Use HTTPS",
        track: Track::Practice,
        owasp: API8,
        goal: "Send a password to the lab over plain HTTP and see it accepted, then see how the hardened twin refuses to talk HTTP at all.",
        background: "Anything sent over plain HTTP can be read and changed by every network hop between client and server: Wi-Fi, proxies, ISPs. Passwords, tokens and cookies travel in the clear. HTTPS (TLS) encrypts and authenticates the connection; a server should redirect HTTP to HTTPS and send Strict-Transport-Security so browsers never try HTTP again.",
        steps: &[
            "Request tab (1): in the list on the left (← moves there) pick 'login' with Enter; it posts alice's password to {lab}/login over http://. Ctrl-S sends it.",
            "Look at the Findings view (> to move between views): apiward flags credentials sent over plain HTTP.",
            "Audit tab (3): press e, type {lab}/hardened/login and Enter. The twin answers HTTP with a redirect to HTTPS; audit {lab}/login and compare (http-no-redirect).",
            "CLI: apiward send POST {lab}/login username=alice password=alice-password",
        ],
        hints: &[
            "The lab's plain HTTP address starts with http://, its HTTPS twin listens on the next port.",
            "The body is JSON: {\"username\":\"alice\",\"password\":\"alice-password\"}. Any successful login over http:// counts.",
            "apiward audit {lab}/login reports http-no-redirect, which also completes this lesson.",
        ],
        evidence: &[
            Evidence::Lab("plain-http-credentials"),
            Evidence::Finding("http-no-redirect"),
        ],
    },
    Lesson {
        id: "validate-input",
        title: "Validate and sanitise input",
        track: Track::Practice,
        owasp: API3,
        goal: "Make yourself admin by sending a field the API should never accept, or make an endpoint leak its internals with a malformed id.",
        background: "APIs that bind request bodies straight onto objects let clients set fields they should not (mass assignment): role, balance, owner. APIs that pass unchecked input to the database fail loudly, often with stack traces. Validate every input against a schema with an allowlist of fields and types, and reject the rest with a plain 400.",
        steps: &[
            "Log in: Request tab (1), sample request 'login', Ctrl-S. Copy the token from the Body view (y).",
            "Send PATCH {lab}/api/me with 'Authorization: Bearer TOKEN' and the JSON body {\"role\":\"admin\"} (m changes the method, a adds a header row).",
            "Or send GET {lab}/api/orders/abc and read the error it returns.",
            "Try the same on {labs}/hardened/api/me: the twin ignores fields it does not expect.",
        ],
        hints: &[
            "The profile update copies every field of the body onto your user.",
            "CLI: apiward send PATCH {lab}/api/me 'Authorization:Bearer TOKEN' role=admin",
            "A non-numeric order id makes the vulnerable route answer with a stack trace and its SQL.",
        ],
        evidence: &[
            Evidence::Lab("mass-assignment-admin"),
            Evidence::Lab("verbose-error-leak"),
        ],
    },
    Lesson {
        id: "keys-and-tokens",
        title: "Authenticate with tokens; rotate keys",
        track: Track::Practice,
        owasp: API2,
        goal: "Use an API key the wrong way (in the query string) and see it accepted, then make and rotate keys the right way in the Keys tab.",
        background: "API keys and tokens are credentials. In a URL they end up in server logs, proxy logs and browser history, so send them in a header. Keys must be revocable and rotated on a schedule: publish the next key before it signs anything, sign with it, and retire the old one only after every token it signed has expired.",
        steps: &[
            "Log in (sample request 'login') and note the api_key in the answer.",
            "Send GET {lab}/api/reports?api_key=KEY. The lab accepts it; {labs}/hardened/api/reports wants the X-API-Key header instead.",
            "Open the lab's access log (its path is in the Learn tab's header) and find the key: the lab redacts it, many servers do not.",
            "Keys tab (4): n creates a keyring, g generates a next key, + promotes it, R rotates; the timeline shows when retiring is safe.",
        ],
        hints: &[
            "The key looks like lab_alice_… .",
            "CLI: apiward send {lab}/api/reports api_key==KEY",
            "apiward apikey new makes a key in the right shape and stores only its hash.",
        ],
        evidence: &[Evidence::Lab("api-key-in-query")],
    },
    Lesson {
        id: "encrypt",
        title: "Encrypt data in transit and at rest",
        track: Track::Practice,
        owasp: API8,
        goal: "Audit the lab's HTTPS side and see what protects data in transit, and what leaks when secrets at rest are only hashed weakly and handed out.",
        background: "In transit, TLS protects data only when it is required everywhere: HSTS tells browsers never to fall back to HTTP, and cookies need the Secure flag or they are sent over HTTP too. At rest, passwords must be stored as slow salted hashes (argon2, scrypt, bcrypt) and other secrets encrypted; and neither should ever leave the server.",
        steps: &[
            "Audit tab (3): press t first (the lab's certificate comes from its own CA), then e, type {labs}/api/status and Enter. Read the TLS section and the missing HSTS finding.",
            "Audit {labs}/hardened/api/status and compare the grade.",
            "Request tab: send GET {lab}/api/users and look at what comes back for every user.",
            "Keys tab (4): the keyring file is encrypted with age (scrypt); nothing in it is readable without the passphrase.",
        ],
        hints: &[
            "The lab's HTTPS certificate comes from its own CA, kept at {ca}: pass it with --ca, or expect an untrusted-certificate finding.",
            "CLI: apiward audit --ca {ca} {labs}/api/status (the lab's HTTPS certificate comes from its own CA)",
            "hsts-missing, cookie-no-secure or the password hashes in /api/users each complete this lesson.",
        ],
        evidence: &[
            Evidence::Finding("hsts-missing"),
            Evidence::Finding("cookie-no-secure"),
            Evidence::Lab("excessive-data-exposure"),
        ],
    },
    Lesson {
        id: "log-and-monitor",
        title: "Log and monitor",
        track: Track::Practice,
        owasp: API4,
        goal: "Guess bob's password on a login with no rate limit, then find your attack in the lab's access log.",
        background: "You cannot stop what you cannot see. Log every authentication attempt with a request id, alert on bursts of failures, and limit attempts per account and per client (the hardened twin answers 429 after five failures). Never log secrets: passwords, tokens and API keys must be redacted, as the lab's log does. Logging left the OWASP list in 2023 (it was API10:2019); rate limits live under API4.",
        steps: &[
            "Request tab (1): send POST {lab}/login as bob with guesses from a common password list. It counts as a brute force after five wrong guesses, as a monitor would see it.",
            "Or from a shell: for p in 123456 password qwerty letmein dragon sunshine; do apiward send POST {lab}/login username=bob password=$p; done",
            "Open the access log (path in the Learn tab's header): every attempt is a JSON line with a request id, and the passwords are redacted.",
            "Try the same on {labs}/hardened/login and watch the 429.",
        ],
        hints: &[
            "bob's password is on every list of common passwords.",
            "It is a weather word.",
            "sunshine",
        ],
        evidence: &[Evidence::Lab("login-brute-force")],
    },
    Lesson {
        id: "least-privilege",
        title: "Grant least privilege",
        track: Track::Practice,
        owasp: API1,
        goal: "Read another user's record by changing an id, or list data no client should ever get.",
        background: "Every endpoint must check that the caller may act on this object, not just that the caller is logged in. Broken object-level authorization (BOLA) is the most common API bug: ids in URLs are guessable, so a missing ownership check hands every record to every user. Give clients the least data and the least rights they need.",
        steps: &[
            "Log in as alice (sample request 'login') and copy the token.",
            "Send GET {lab}/api/users/1 with 'Authorization: Bearer TOKEN', then change the id to 2 and 3.",
            "Compare with {labs}/hardened/api/users/2, which answers 403 for anyone but the owner.",
        ],
        hints: &[
            "alice is user 1.",
            "CLI: apiward send {lab}/api/users/2 'Authorization:Bearer TOKEN'",
        ],
        evidence: &[
            Evidence::Lab("bola-read-other-user"),
            Evidence::Lab("excessive-data-exposure"),
        ],
    },
    Lesson {
        id: "test-regularly",
        title: "Test regularly",
        track: Track::Practice,
        owasp: API8,
        goal: "Run apiward's audit against the lab the way a CI job would, and read what it finds.",
        background: "Security regressions come back with every deploy: a proxy drops a header, a framework update changes CORS. Run the same checks on every build, fail the build on high findings, and keep the report. apiward's headless commands give JSON and SARIF for exactly this.",
        steps: &[
            "Audit tab (3): press e, type {lab}/api/status and Enter. Read the CORS findings.",
            "In a shell: apiward audit {lab}/api/status --sarif > audit.sarif (CI systems read SARIF).",
            "Audit {labs}/hardened/api/status: the grade a CI gate could require.",
        ],
        hints: &[
            "The audit sends an Origin header from a foreign site; the vulnerable route reflects it with credentials.",
            "cors-reflects-origin in the report completes the lesson.",
        ],
        evidence: &[
            Evidence::Finding("cors-reflects-origin"),
            Evidence::Lab("cors-origin-reflected"),
        ],
    },
    Lesson {
        id: "keep-up-to-date",
        title: "Keep APIs and libraries up to date",
        track: Track::Practice,
        owasp: API9,
        goal: "Find the header where the lab announces its software and version.",
        background: "Old versions of frameworks and libraries carry known vulnerabilities, and headers like Server and X-Powered-By tell attackers exactly which to try. Keep an inventory of what you run (API9), update it, and stop advertising versions.",
        steps: &[
            "Audit tab (3): press e, type {lab}/api/status and Enter. Look for the information-leak finding.",
            "Request tab: send GET {lab}/api/status and read the Headers view (>).",
            "CLI: apiward audit {lab}/api/status --json and look for info-leak-header.",
        ],
        hints: &["It is the X-Powered-By header."],
        evidence: &[Evidence::Finding("info-leak-header")],
    },
    Lesson {
        id: "jwt-unverified",
        title: "JWT: signature not verified",
        track: Track::JwtAttack,
        owasp: API2,
        goal: "Get a token with a forged signature accepted by /jwt/unverified/me, without knowing any key.",
        background: "Decoding a JWT is not verifying it. Some code reads the claims with a decode function and never checks the signature, so anyone can edit the payload. Always verify with a fixed algorithm and the server's own key before trusting a claim (RFC 8725 §3.1).",
        steps: &[
            "Log in: POST {lab}/jwt/unverified/login with alice's credentials (the sample 'jwt-none-login' with none changed to unverified).",
            "Send the token to the JWT tab (J on the Request tab), press P and probe {lab}/jwt/unverified/me.",
            "Every variant with a broken or missing signature comes back ACCEPTED: nothing checks it.",
        ],
        hints: &[
            "The signature can be anything: the route never checks it.",
            "CLI: apiward jwt probe --token TOKEN --url {lab}/jwt/unverified/admin --set role=admin makes every variant an admin token.",
        ],
        evidence: &[Evidence::Lab("jwt-signature-not-verified")],
    },
    Lesson {
        id: "jwt-none",
        title: "JWT: alg none accepted",
        track: Track::JwtAttack,
        owasp: API2,
        goal: "Get an unsigned token (alg none) accepted by /jwt/none/me.",
        background: "The 'none' algorithm means an unsecured JWT. A verifier that takes the algorithm from the token's own header lets the attacker switch verification off. Never let the token choose; keep an allowlist of algorithms (RFC 8725 §3.1).",
        steps: &[
            "Log in: POST {lab}/jwt/none/login and paste the token in the JWT tab (2, then p).",
            "Press P and probe {lab}/jwt/none/me: apiward sends every attack variant once and marks which were ACCEPTED.",
            "The twin only speaks HTTPS: apiward jwt probe --token TOKEN --url {labs}/hardened/jwt/none/me --ca {ca}. Nothing gets through.",
        ],
        hints: &[
            "CLI: apiward jwt probe --token TOKEN --url {lab}/jwt/none/me",
            "The variants with alg none, None, NONE or nOnE and no signature are the ones to watch.",
        ],
        evidence: &[Evidence::Lab("jwt-none-accepted")],
    },
    Lesson {
        id: "jwt-weak-secret",
        title: "JWT: weak HMAC secret",
        track: Track::JwtAttack,
        owasp: API2,
        goal: "Crack the HS256 secret of a token from /jwt/weak-secret/login and sign yourself an admin token.",
        background: "An HMAC secret is a password that can be tested offline at millions of guesses a second: one captured token is enough. HMAC keys must be random and at least as long as the hash (32 bytes for HS256), or use asymmetric keys.",
        steps: &[
            "Log in: POST {lab}/jwt/weak-secret/login, paste the token in the JWT tab.",
            "Press c to crack it with the built-in wordlist; the Tasks tab (5) shows the rate.",
            "Press E, set role to admin and re-sign with the cracked secret; S sends it to the Request tab, then GET {lab}/jwt/weak-secret/admin.",
        ],
        hints: &[
            "CLI: apiward jwt crack TOKEN",
            "CLI: apiward jwt probe --token TOKEN --url {lab}/jwt/weak-secret/admin --secret SECRET --set role=admin --set exp=+2h: the 'resign' variant gets in.",
        ],
        evidence: &[Evidence::Lab("jwt-weak-secret-forged")],
    },
    Lesson {
        id: "jwt-jwk",
        title: "JWT: jwk header injection",
        track: Track::JwtAttack,
        owasp: API2,
        goal: "Sign a token with your own key, embed the public half in its jwk header, and have /jwt/jwk/me accept it.",
        background: "A JWS header may carry the key it was signed with (jwk). A verifier that uses that key checks only that the token is signed by whoever made it. Keys must come from the server's own trusted set, never from the token.",
        steps: &[
            "Log in: POST {lab}/jwt/jwk/login and paste the token in the JWT tab.",
            "Press f: the 'embedded JWK' variant is signed with a fresh key pair carried in its header.",
            "Press P and probe {lab}/jwt/jwk/me.",
        ],
        hints: &["CLI: apiward jwt probe --token TOKEN --url {lab}/jwt/jwk/me"],
        evidence: &[Evidence::Lab("jwt-jwk-injection")],
    },
    Lesson {
        id: "jwt-jku",
        title: "JWT: jku header injection",
        track: Track::JwtAttack,
        owasp: API7,
        goal: "Point a token's jku header at a JWKS you host on loopback and have /jwt/jku/me fetch it and trust your key.",
        background: "jku names a URL to fetch the verification keys from. A verifier that follows it lets the attacker choose the keys, and makes the server fetch URLs on request (server-side request forgery). Pin the JWKS location in configuration.",
        steps: &[
            "Log in: POST {lab}/jwt/jku/login.",
            "CLI: apiward jwt forge TOKEN --jku http://127.0.0.1:8000/jwks.json prints the variant and the JWKS to host.",
            "Save the JWKS to jwks.json and serve it on loopback (python3 -m http.server 8000 --bind 127.0.0.1), then send the variant to GET {lab}/jwt/jku/me.",
        ],
        hints: &[
            "The lab only fetches loopback URLs, so your JWKS must be on 127.0.0.1.",
            "The kid in the token must match the kid in your JWKS; forge prints both together.",
        ],
        evidence: &[Evidence::Lab("jwt-jku-injection")],
    },
    Lesson {
        id: "jwt-kid",
        title: "JWT: kid path traversal",
        track: Track::JwtAttack,
        owasp: API2,
        goal: "Make /jwt/kid/me read its HMAC key from /dev/null, and sign a token with an empty secret.",
        background: "kid is only a hint to pick a key. A server that builds a file path (or a SQL query) from it lets the attacker choose the key file; /dev/null is empty, so the key becomes the empty string. Look kids up in a fixed map of keys.",
        steps: &[
            "Log in: POST {lab}/jwt/kid/login and paste the token in the JWT tab.",
            "Press f and find the 'kid path traversal' variant, or probe with P against {lab}/jwt/kid/me.",
        ],
        hints: &["CLI: apiward jwt probe --token TOKEN --url {lab}/jwt/kid/me"],
        evidence: &[Evidence::Lab("jwt-kid-traversal")],
    },
    Lesson {
        id: "jwt-confusion",
        title: "JWT: RS/HS algorithm confusion",
        track: Track::JwtAttack,
        owasp: API2,
        goal: "Sign an HS256 token with the lab's RSA public key as the HMAC secret and have /jwt/confusion/me accept it.",
        background: "RS256 verifies with a public key; HS256 with a shared secret. A library that takes the algorithm from the token and the key from configuration will check an HS256 token using the public key bytes as the secret, and the public key is public. Bind each key to one algorithm (RFC 8725 §3.1).",
        steps: &[
            "Fetch the public key: GET {lab}/.well-known/public.pem and save it as public.pem.",
            "Log in: POST {lab}/jwt/confusion/login.",
            "CLI: apiward jwt probe --token TOKEN --url {lab}/jwt/confusion/me --key public.pem: the key-confusion variant should be ACCEPTED.",
        ],
        hints: &[
            "The HMAC key is the PEM text exactly as served, trailing newline included.",
            "The JWKS at {lab}/.well-known/jwks.json holds the same key.",
        ],
        evidence: &[Evidence::Lab("jwt-alg-confusion")],
    },
    Lesson {
        id: "jwt-exp",
        title: "JWT: expiry not checked",
        track: Track::JwtAttack,
        owasp: API2,
        goal: "Use an expired token on /jwt/exp/me and see it accepted.",
        background: "exp limits how long a stolen token is useful. A verifier that checks the signature but not exp accepts a leaked token forever. Check exp and nbf with a small leeway, and keep lifetimes short.",
        steps: &[
            "Log in: POST {lab}/jwt/exp/login; the answer holds an expired token too.",
            "Paste the expired one in the JWT tab: the claims show 'expired … ago' and the lint reports it.",
            "Press S and send it to GET {lab}/jwt/exp/me.",
        ],
        hints: &["Look for expired_token in the login answer."],
        evidence: &[Evidence::Lab("jwt-expired-accepted")],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_lesson_can_be_checked() {
        let mut seen = std::collections::HashSet::new();
        for lesson in LESSONS {
            assert!(seen.insert(lesson.id), "{}", lesson.id);
            assert!(!lesson.evidence.is_empty(), "{}", lesson.id);
            assert!(!lesson.steps.is_empty() && !lesson.hints.is_empty());
            assert!(lesson.owasp.starts_with("API"), "{}", lesson.id);
        }
    }

    #[test]
    fn evidence_names_real_success_and_finding_ids() {
        for lesson in LESSONS {
            for evidence in lesson.evidence {
                match evidence {
                    Evidence::Lab(id) => assert!(
                        crate::lab::SUCCESS_IDS.iter().any(|(s, _)| s == id),
                        "{}: {id}",
                        lesson.id
                    ),
                    Evidence::Finding(id) => assert!(
                        crate::audit::rules::ids().any(|r| r == *id),
                        "{}: {id}",
                        lesson.id
                    ),
                }
            }
        }
    }

    #[test]
    fn there_is_a_lesson_for_every_jwt_attack_class_of_the_lab() {
        for (id, _) in crate::lab::SUCCESS_IDS {
            if id.starts_with("jwt-") {
                assert!(
                    LESSONS
                        .iter()
                        .any(|l| l.track == Track::JwtAttack
                            && l.evidence.contains(&Evidence::Lab(id))),
                    "{id}"
                );
            }
        }
        let practices = LESSONS
            .iter()
            .filter(|l| l.track == Track::Practice)
            .count();
        assert_eq!(practices, 8);
    }
}
