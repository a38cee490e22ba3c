//! The lessons, as data: eight on the practices of the beginner's guide, one per JWT attack
//! class of the lab, and one per entry of the OWASP API Security Top 10 2023. Lesson numbers
//! are positions in [`LESSONS`], so add new ones at the end of their group (groups follow
//! each other, and the last group is the OWASP one).
//!
//! In the texts, `{lab}` stands for the lab's HTTP address, `{labs}` for its HTTPS address,
//! `{ca}` for its CA file and `{partner}` for the partner API it consumes; [`super::fill`] puts
//! the real ones in when the lab's address is known. A lesson's shell walk-through is data too
//! ([`CliStep`]): the text shows it and the lessons' walk test runs it as written. A step is
//! an `apiward` command, or `curl -s -o FILE URL` where a file has to be saved.

use crate::lab::routes::{API1, API2, API3, API4, API5, API6, API7, API8, API9, API10};

/// Which part of the course a lesson belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Track {
    Practice,
    JwtAttack,
    OwaspTop10,
}

impl Track {
    pub fn title(self) -> &'static str {
        match self {
            Track::Practice => "Practices",
            Track::JwtAttack => "JWT attacks",
            Track::OwaspTop10 => "OWASP API Top 10",
        }
    }

    /// The group as a lesson's heading names it.
    pub fn label(self) -> &'static str {
        match self {
            Track::Practice => "practice",
            Track::JwtAttack => "JWT attack",
            Track::OwaspTop10 => "OWASP API Top 10",
        }
    }
}

/// One command of a lesson's shell walk-through: `apiward …` with the lab's placeholders and
/// the NAMEs earlier commands kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CliStep {
    pub run: &'static str,
    /// `(NAME, field)`: the JSON answer's string `field` is what later commands call NAME.
    pub keep: Option<(&'static str, &'static str)>,
}

impl CliStep {
    /// The command as the lesson shows it.
    pub fn text(&self) -> String {
        match self.keep {
            Some((name, field)) => format!("{}   (its answer's {field} is {name} below)", self.run),
            None => self.run.to_string(),
        }
    }
}

const fn run(run: &'static str) -> CliStep {
    CliStep { run, keep: None }
}

const fn keep(run: &'static str, name: &'static str, field: &'static str) -> CliStep {
    CliStep {
        run,
        keep: Some((name, field)),
    }
}

/// Logging in from a shell, keeping the answer's token (or API key).
const LOGIN_ALICE: CliStep = keep(
    "apiward send POST {lab}/login username=alice password=alice-password",
    "TOKEN",
    "token",
);
/// Guessing bob's password from a list of common ones: five failures, then the right one.
const BRUTE_FORCE_BOB: &[CliStep] = &[
    run("apiward send POST {lab}/login username=bob password=123456"),
    run("apiward send POST {lab}/login username=bob password=password"),
    run("apiward send POST {lab}/login username=bob password=qwerty"),
    run("apiward send POST {lab}/login username=bob password=letmein"),
    run("apiward send POST {lab}/login username=bob password=dragon"),
    run("apiward send POST {lab}/login username=bob password=sunshine"),
];
const LOGIN_BOB: CliStep = keep(
    "apiward send POST {lab}/login username=bob password=sunshine",
    "TOKEN",
    "token",
);

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
    /// What to do in apiward, naming the tab and the keys.
    pub steps: &'static [&'static str],
    /// The same from a shell, as commands a test runs literally (empty for TUI-only lessons).
    pub cli: &'static [CliStep],
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
            "Look at the Findings view (> to move between views): apiward flags the password in the body as credentials sent over plain HTTP (credentials-over-http).",
            "Audit tab (3): press e, type {lab}/hardened/login and Enter. The twin answers HTTP with a redirect to HTTPS; audit {lab}/login and compare (http-no-redirect).",
        ],
        cli: &[run(
            "apiward send POST {lab}/login username=alice password=alice-password",
        )],
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
            "Log in: Request tab (1), sample request 'login', Ctrl-S. J opens the answer's token in the JWT tab; S there makes it the Request tab's bearer token.",
            "Back on the Request tab (← from the answer to the editor): m until PATCH; ↑/↓ to the URL line, e, make it {lab}/api/me; ↓ to the body's text under Body, e opens it, make it {\"role\":\"admin\"}, Ctrl-S sends.",
            "Or send GET {lab}/api/orders/abc and read the error it returns.",
            "Try the same on {labs}/hardened/api/me: the twin ignores fields it does not expect.",
        ],
        cli: &[
            LOGIN_ALICE,
            run("apiward send PATCH {lab}/api/me 'Authorization:Bearer TOKEN' role=admin"),
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
        cli: &[
            keep(
                "apiward send POST {lab}/login username=alice password=alice-password",
                "KEY",
                "api_key",
            ),
            run("apiward send {lab}/api/reports api_key==KEY"),
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
        goal: "Audit the lab's HTTPS side and find what is missing to protect data in transit; then see what leaks when secrets at rest are only hashed weakly and handed out.",
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
            "The audit of the https:// address reporting hsts-missing completes this lesson; plain http:// cannot, since HSTS only counts over HTTPS.",
        ],
        cli: &[run("apiward audit --ca {ca} {labs}/api/status")],
        evidence: &[Evidence::Finding("hsts-missing")],
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
            "Or from a shell: for p in 123456 password qwerty letmein dragon sunshine; do apiward send POST {lab}/login username=bob password=$p; done (the commands below, one by one).",
            "Open the access log (path in the Learn tab's header): every attempt is a JSON line with a request id, and the passwords are redacted.",
            "Try the same on {labs}/hardened/login and watch the 429.",
        ],
        hints: &[
            "bob's password is on every list of common passwords.",
            "It is a weather word.",
            "sunshine",
        ],
        cli: BRUTE_FORCE_BOB,
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
            "Log in as alice: Request tab (1), sample request 'login', Ctrl-S. J opens the answer's token in the JWT tab; S there makes it the Request tab's bearer token.",
            "Back on the Request tab (← from the answer to the editor): m until GET; ↑/↓ to the URL line, e, make it {lab}/api/users/1, Enter sends; then change the id to 2 and 3.",
            "Compare with {labs}/hardened/api/users/2, which answers 403 for anyone but the owner.",
        ],
        cli: &[
            LOGIN_ALICE,
            run("apiward send {lab}/api/users/2 'Authorization:Bearer TOKEN'"),
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
        cli: &[run("apiward audit {lab}/api/status")],
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
        cli: &[run("apiward audit {lab}/api/status --json")],
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
        cli: &[
            keep(
                "apiward send POST {lab}/jwt/unverified/login username=alice password=alice-password",
                "TOKEN",
                "token",
            ),
            run("apiward jwt probe --token TOKEN --url {lab}/jwt/unverified/me"),
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
        cli: &[
            keep(
                "apiward send POST {lab}/jwt/none/login username=alice password=alice-password",
                "TOKEN",
                "token",
            ),
            run("apiward jwt probe --token TOKEN --url {lab}/jwt/none/me"),
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
        cli: &[
            keep(
                "apiward send POST {lab}/jwt/weak-secret/login username=alice password=alice-password",
                "TOKEN",
                "token",
            ),
            keep("apiward jwt crack TOKEN --json", "SECRET", "secret"),
            run(
                "apiward jwt probe --token TOKEN --url {lab}/jwt/weak-secret/admin --secret SECRET --set role=admin --set exp=+2h",
            ),
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
        cli: &[
            keep(
                "apiward send POST {lab}/jwt/jwk/login username=alice password=alice-password",
                "TOKEN",
                "token",
            ),
            run("apiward jwt probe --token TOKEN --url {lab}/jwt/jwk/me"),
        ],
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
            "Or let the probe host it: against a loopback target, apiward jwt probe serves its own JWKS for as long as the probe runs and reports whether the target fetched it.",
        ],
        hints: &[
            "The lab only fetches loopback URLs, so your JWKS must be on 127.0.0.1.",
            "The kid in the token must match the kid in your JWKS; forge prints both together.",
        ],
        cli: &[
            keep(
                "apiward send POST {lab}/jwt/jku/login username=alice password=alice-password",
                "TOKEN",
                "token",
            ),
            run("apiward jwt probe --token TOKEN --url {lab}/jwt/jku/me"),
        ],
        evidence: &[Evidence::Lab("jwt-jku-injection")],
    },
    Lesson {
        id: "jwt-kid",
        title: "JWT: kid path traversal",
        track: Track::JwtAttack,
        owasp: API2,
        goal: "Make /jwt/kid/me read its HMAC key from /dev/null, and sign a token with an empty secret.",
        background: "kid is only a hint to pick a key. A server that builds a file path (or a SQL query) from it lets the attacker choose the key file; /dev/null is empty, so the key becomes the empty string. Look kids up in a fixed map of keys (RFC 8725 §3.10).",
        steps: &[
            "Log in: POST {lab}/jwt/kid/login and paste the token in the JWT tab.",
            "Press f and find the 'kid path traversal' variant, or probe with P against {lab}/jwt/kid/me.",
        ],
        hints: &[
            "CLI: apiward jwt probe --token TOKEN --url {lab}/jwt/kid/me",
            "The variant's kid climbs twelve folders up to /dev/null. The lab reads key files as a server would from /srv/lab/keys, so that works wherever the lab's own folder is.",
        ],
        cli: &[
            keep(
                "apiward send POST {lab}/jwt/kid/login username=alice password=alice-password",
                "TOKEN",
                "token",
            ),
            run("apiward jwt probe --token TOKEN --url {lab}/jwt/kid/me"),
        ],
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
            "Fetch the public key: GET {lab}/.well-known/public.pem and save it as public.pem (from a shell: curl -s -o public.pem {lab}/.well-known/public.pem).",
            "Log in: POST {lab}/jwt/confusion/login with alice's credentials; its answer's token is TOKEN.",
            "CLI: apiward jwt probe --token TOKEN --url {lab}/jwt/confusion/me --key public.pem: the key-confusion variant should be ACCEPTED.",
        ],
        hints: &[
            "The HMAC key is the PEM text exactly as served, trailing newline included.",
            "The JWKS at {lab}/.well-known/jwks.json holds the same key.",
        ],
        // apiward prints an answer's headers with its body, so curl saves the key file.
        cli: &[
            run("curl -s -o public.pem {lab}/.well-known/public.pem"),
            keep(
                "apiward send POST {lab}/jwt/confusion/login username=alice password=alice-password",
                "TOKEN",
                "token",
            ),
            run("apiward jwt probe --token TOKEN --url {lab}/jwt/confusion/me --key public.pem"),
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
        cli: &[
            keep(
                "apiward send POST {lab}/jwt/exp/login username=alice password=alice-password",
                "TOKEN",
                "expired_token",
            ),
            run("apiward send {lab}/jwt/exp/me 'Authorization:Bearer TOKEN'"),
        ],
        evidence: &[Evidence::Lab("jwt-expired-accepted")],
    },
    Lesson {
        id: "jwt-hidden-key",
        title: "JWT: algorithm confusion with no exposed key",
        track: Track::JwtAttack,
        owasp: API2,
        goal: "Recover the RSA public key of /jwt/hidden-key from two of its tokens, sign an HS256 token with it as the HMAC secret, and have /jwt/hidden-key/me accept it.",
        background: "Lesson 15's confusion needs the public key, and this server publishes it nowhere: no JWKS, no PEM. It does not have to: an RS256 signature s of a message m satisfies s^e = pad(m) mod n, so s^e − pad(m) is a multiple of the modulus n for every token, and the greatest common divisor of two of them is n (times small factors). With e = 65537 that is the public key, and a server that checks HS256 tokens with its public key's PEM accepts tokens signed with it. The fix is lesson 15's: bind each key to one algorithm and never let the token choose (RFC 8725 §3.1); keeping a public key secret protects nothing.",
        steps: &[
            "Log in twice: Request tab (1), the sample 'jwt-none-login' with none changed to hidden-key in the URL (↑/↓ to the URL line, e edits it, Enter sends), twice. J opens each answer's token in the JWT tab: RS256, no kid, and no key anywhere ({lab}/.well-known/jwks.json holds a different key).",
            "From a shell, apiward jwt recover-key TOKEN1 TOKEN2 prints the candidate public keys (SPKI and PKCS#1 PEM) with whether each verifies both tokens. The gcd of two numbers of millions of bits takes a while: the progress shows it.",
            "apiward jwt probe --token TOKEN1 --url {lab}/jwt/hidden-key/me --recover-from TOKEN2 recovers the key and tries HS256 with each candidate in each encoding: the accepted one is marked ACCEPTED.",
            "The twin only speaks HTTPS and only RS256: apiward jwt probe --token TOKEN1 --url {labs}/hardened/jwt/hidden-key/me --ca {ca} --recover-from TOKEN2 gets nothing through.",
        ],
        cli: &[
            keep(
                "apiward send POST {lab}/jwt/hidden-key/login username=alice password=alice-password",
                "TOKEN1",
                "token",
            ),
            keep(
                "apiward send POST {lab}/jwt/hidden-key/login username=alice password=alice-password",
                "TOKEN2",
                "token",
            ),
            run("apiward jwt recover-key TOKEN1 TOKEN2"),
            run(
                "apiward jwt probe --token TOKEN1 --url {lab}/jwt/hidden-key/me --recover-from TOKEN2",
            ),
        ],
        hints: &[
            "Two tokens signed by the same key are enough; each login's token carries a fresh jti, so two logins in one second still give two signatures.",
            "The candidate that verifies both tokens is the key; the server's HMAC secret is its SubjectPublicKeyInfo PEM text, trailing newline included.",
            "PortSwigger's sig2n does the same recovery (it is their 'algorithm confusion with no exposed key' lab).",
        ],
        evidence: &[Evidence::Lab("jwt-alg-confusion-hidden-key")],
    },
    Lesson {
        id: "owasp-api1-bola",
        title: "API1: Object level authorization",
        track: Track::OwaspTop10,
        owasp: API1,
        goal: "Logged in as alice, read bob's record at /api/users/2; then see the twin answer 403.",
        background: "APIs expose object ids in their paths (/users/2, /orders/1234), and clients can change them. Checking that the caller is logged in is not enough: every handler that takes an id must check that this caller may act on that object. It is the most common API flaw, and no scanner finds it without two users to compare, which is why the check is done with two accounts side by side: alice's token against bob's objects.",
        steps: &[
            "Request tab (1): sample request 'login', Ctrl-S (alice). J opens the answer's token in the JWT tab; S there makes it the Request tab's bearer token.",
            "Back on the Request tab (← from the answer to the editor): m until GET, ↑/↓ to the URL line, e, make it {lab}/api/users/2, Enter sends: bob's record, to alice.",
            "Do the same with {labs}/hardened/api/users/2: 403, you can only read your own record.",
        ],
        cli: &[
            LOGIN_ALICE,
            run("apiward send {lab}/api/users/2 'Authorization:Bearer TOKEN'"),
        ],
        hints: &[
            "alice is user 1, bob 2, carol (the admin) 3.",
            "The Authorization header is all that identifies you: the id in the path is just a number you chose.",
            "The authorization matrix does it for every route at once: apiward authz --all --workspace DIR, with DIR the sample workspace (sample/ in the data directory), replays its requests as alice, bob, admin and anonymous and flags BOLA (docs/authz.md).",
        ],
        evidence: &[Evidence::Lab("bola-read-other-user")],
    },
    Lesson {
        id: "owasp-api2-authentication",
        title: "API2: Broken authentication",
        track: Track::OwaspTop10,
        owasp: API2,
        goal: "Authenticate with an API key sent in the URL and see it accepted, where the twin insists on a header.",
        background: "Broken authentication covers every way the proof of identity is weak: guessable passwords with no lockout, tokens that are not verified (the JWT lessons), and credentials sent where they leak. An API key in the query string is written into access logs, proxy logs, browser history and Referer headers, so whoever reads those can use it. Send credentials in headers only, and have the server refuse them in URLs.",
        steps: &[
            "Request tab (1): sample request 'login', Ctrl-S; the answer has alice's api_key (lab_alice_…).",
            "Send GET {lab}/api/reports?api_key=KEY (← to the editor, ↑/↓ to the URL line, e edits it, Enter sends; m until GET first): accepted. The Findings view (>) flags token-in-query.",
            "Send it to {labs}/hardened/api/reports: 400, the key belongs in X-API-Key.",
        ],
        cli: &[
            keep(
                "apiward send POST {lab}/login username=alice password=alice-password",
                "KEY",
                "api_key",
            ),
            run("apiward send {lab}/api/reports api_key==KEY"),
        ],
        hints: &[
            "KEY is the api_key field of the login answer.",
            "apiward send's name==value item puts a parameter in the query string.",
        ],
        evidence: &[Evidence::Lab("api-key-in-query")],
    },
    Lesson {
        id: "owasp-api3-property-authorization",
        title: "API3: Object property authorization",
        track: Track::OwaspTop10,
        owasp: API3,
        goal: "Make alice an admin by sending a property she may not write, or read properties (password hashes) no client may see.",
        background: "Even when a caller may touch an object, not every property is theirs to read or write. Mass assignment binds every field of a request onto the object, role included; excessive data exposure returns whole records and trusts the client to hide the rest. Both are one category since 2023: allow-list the properties each caller may read and write.",
        steps: &[
            "Request tab (1): sample 'login', Ctrl-S; J then S in the JWT tab makes the token the bearer token.",
            "Back on the Request tab (← from the answer to the editor): m until PATCH, ↑/↓ to the URL line, e, make it {lab}/api/me; ↓ to the body's text under Body, e, make it {\"role\":\"admin\"}; Ctrl-S. The answer says role admin.",
            "Or GET {lab}/api/users: every record with its password hash and API key. The twins ({labs}/hardened/…) ignore role and list names only.",
        ],
        cli: &[
            LOGIN_ALICE,
            run("apiward send PATCH {lab}/api/me 'Authorization:Bearer TOKEN' role=admin"),
        ],
        hints: &[
            "field=value items make a JSON body: role=admin sends {\"role\":\"admin\"}.",
            "GET /api/users with the same token shows the hashes.",
        ],
        evidence: &[
            Evidence::Lab("mass-assignment-admin"),
            Evidence::Lab("excessive-data-exposure"),
        ],
    },
    Lesson {
        id: "owasp-api4-resource-consumption",
        title: "API4: Resource consumption",
        track: Track::OwaspTop10,
        owasp: API4,
        goal: "Send login after login until bob's password falls: nothing limits how many requests one client makes.",
        background: "Every request costs the server CPU, memory, bandwidth and sometimes money (SMS, e-mail, third-party calls). An API without limits on the rate of requests, the size of payloads or the number of records per page can be run into the ground or abused at machine speed; on a login it turns into a password-guessing machine. Limit per client and per account, answer 429 with Retry-After, and say the limits in RateLimit headers.",
        steps: &[
            "Request tab (1): sample 'login'; ↓ to the body's text under Body, e opens it: make it bob with a guess, Ctrl-S sends (Esc leaves the editor); five wrong guesses then the right one count as an attack.",
            "Or from a shell, the commands below.",
            "Do the same against {labs}/hardened/login: after five failures it answers 429 with Retry-After: 60.",
        ],
        cli: BRUTE_FORCE_BOB,
        hints: &[
            "Common passwords: 123456, password, qwerty, letmein, dragon, sunshine.",
            "The lab counts it once five wrong guesses came before the right one.",
        ],
        evidence: &[Evidence::Lab("login-brute-force")],
    },
    Lesson {
        id: "owasp-api5-function-authorization",
        title: "API5: Function level authorization",
        track: Track::OwaspTop10,
        owasp: API5,
        goal: "As bob, an ordinary user, call the admin-only export at /api/admin/export.",
        background: "Object-level checks ask 'may you touch this record?'; function-level checks ask 'may you call this at all?'. Admin functions often sit beside user ones (/api/admin/…, a DELETE next to a GET) behind a check that the caller is logged in and nothing more, trusting that ordinary users never learn the URL. Deny by default, and check the role in every administrative function, not in the client.",
        steps: &[
            "Read the lab's route table: GET {lab}/ (or the output of apiward lab) lists /api/admin/export.",
            "Request tab (1): the sample 'login'; ↓ to the body's text under Body, e opens it: make it {\"username\": \"bob\", \"password\": \"sunshine\"}, Ctrl-S sends, Esc leaves the editor. J opens the answer's token in the JWT tab; S there makes it the bearer token.",
            "Back on the Request tab (← from the answer to the editor): m until GET, ↑/↓ to the URL line, e, make it {lab}/api/admin/export, Enter sends: every account, to bob. {labs}/hardened/api/admin/export answers 403 admins only.",
        ],
        cli: &[
            LOGIN_BOB,
            run("apiward send {lab}/api/admin/export 'Authorization:Bearer TOKEN'"),
        ],
        hints: &[
            "Use bob: alice may have made herself admin in lesson 2 or 20, and an admin calling an admin function is no bug.",
            "The export wants a session, nothing else.",
            "apiward authz --all --workspace DIR on the sample workspace (sample/ in the data directory) replays its requests as each identity and flags BFLA too.",
        ],
        evidence: &[Evidence::Lab("bfla-admin-function")],
    },
    Lesson {
        id: "owasp-api6-business-flows",
        title: "API6: Sensitive business flows",
        track: Track::OwaspTop10,
        owasp: API6,
        goal: "Redeem the one-per-customer coupon WELCOME10 three times and watch the credit grow.",
        background: "Some flows are harmless once and harmful at scale: buying the whole stock of a product, booking every seat, creating accounts for referral bonuses, redeeming a coupon again and again. Each request is valid on its own, so no single check fails; the business needs limits on the flow itself (once per customer, per device, per time window), and anti-automation where people are expected.",
        steps: &[
            "Request tab (1): sample 'login', Ctrl-S; J then S makes the token the bearer token.",
            "POST {lab}/api/coupons/redeem with the JSON body {\"code\":\"WELCOME10\"} (← to the editor; ↑/↓ to the URL line, e edits it; the body's text is the line under Body, e opens it), Ctrl-S three times: credit 10, 20, 30.",
            "On {labs}/hardened/api/coupons/redeem the second try answers 409: one per customer.",
        ],
        cli: &[
            LOGIN_ALICE,
            run(
                "apiward send POST {lab}/api/coupons/redeem 'Authorization:Bearer TOKEN' code=WELCOME10",
            ),
            run(
                "apiward send POST {lab}/api/coupons/redeem 'Authorization:Bearer TOKEN' code=WELCOME10",
            ),
            run(
                "apiward send POST {lab}/api/coupons/redeem 'Authorization:Bearer TOKEN' code=WELCOME10",
            ),
        ],
        hints: &[
            "The answer's times field counts your redemptions.",
            "Three redemptions by one user complete the lesson.",
        ],
        evidence: &[Evidence::Lab("coupon-redeemed-repeatedly")],
    },
    Lesson {
        id: "owasp-api7-ssrf",
        title: "API7: Server side request forgery",
        track: Track::OwaspTop10,
        owasp: API7,
        goal: "Make the link preview fetch the lab's internal-only /internal/metadata for you.",
        background: "An API that fetches a URL the client gives (link previews, webhooks, imports from a URL, jku in a JWT) makes requests from inside its own network, where internal services and cloud metadata endpoints trust whoever calls them. Allow-list destinations, resolve the host and refuse loopback, private and link-local addresses (after every redirect), and do not pass the answer back raw. The lab's own fetches never leave 127.0.0.1.",
        steps: &[
            "Request tab (1): GET {lab}/internal/metadata (in the editor m changes the method; ↑/↓ to the URL line, e edits it, Enter sends): 403, internal network only.",
            "POST {lab}/api/link-preview with the JSON body {\"url\":\"{lab}/internal/metadata\"}, Ctrl-S: the preview holds the internal answer, credentials and all.",
            "The twin {labs}/hardened/api/link-preview refuses loopback and private addresses and anything not on its allow-list.",
        ],
        cli: &[run(
            "apiward send POST {lab}/api/link-preview url={lab}/internal/metadata",
        )],
        hints: &[
            "The server makes the request, so the internal route sees it coming from inside.",
            "The URL to preview is the lab's own: {lab}/internal/metadata.",
        ],
        evidence: &[Evidence::Lab("ssrf-internal-reached")],
    },
    Lesson {
        id: "owasp-api8-misconfiguration",
        title: "API8: Security misconfiguration",
        track: Track::OwaspTop10,
        owasp: API8,
        goal: "Make an endpoint answer with its stack trace and SQL, and audit the CORS and header set-up that comes with it.",
        background: "Misconfiguration is everything set up wrong around correct code: verbose errors with stack traces and connection strings, CORS that reflects any Origin with credentials, missing security headers, plain HTTP, default accounts. Production errors should be a plain message with a request id to quote, CORS an allow-list, and the headers set once at the edge.",
        steps: &[
            "Request tab (1): GET {lab}/api/orders/abc (↑/↓ to the URL line, e edits it, Enter sends): a stack trace, the SQL and a database URL.",
            "Audit tab (3): e, {lab}/api/status, Enter: cors-reflects-origin and the missing headers.",
            "Compare {labs}/hardened/api/orders/abc (an error id only) and the audit of {labs}/hardened/api/status.",
        ],
        cli: &[
            run("apiward send {lab}/api/orders/abc"),
            run("apiward audit {lab}/api/status"),
        ],
        hints: &[
            "Any id that is not a number makes the order lookup fail.",
            "The audit sends a foreign Origin; the vulnerable route allows it with credentials.",
        ],
        evidence: &[
            Evidence::Lab("verbose-error-leak"),
            Evidence::Lab("cors-origin-reflected"),
        ],
    },
    Lesson {
        id: "owasp-api9-inventory",
        title: "API9: Improper inventory management",
        track: Track::OwaspTop10,
        owasp: API9,
        goal: "Find the older version of the user API that is still deployed and read carol's record, API key included, without logging in.",
        background: "APIs grow versions, beta hosts and debug endpoints, and the old ones keep running after everyone forgot them, without the checks the current version gained. Keep an inventory of every host, version and endpoint with who owns it, retire old versions for real (410 Gone), and point the same protections at everything that is still up.",
        steps: &[
            "Request tab (1): GET {lab}/api/users/3 without a token: 401, the current API wants a session.",
            "Guess the older version: GET {lab}/v1/users/3. No login, and the record carries carol's API key.",
            "{labs}/hardened/v1/users/3 answers 410 Gone: that version is retired.",
        ],
        cli: &[run("apiward send {lab}/v1/users/3")],
        hints: &[
            "Versions usually sit at the front of the path: /v1, /v2 …",
            "The lab's route table (GET {lab}/) lists it too.",
        ],
        evidence: &[Evidence::Lab("old-api-version-used")],
    },
    Lesson {
        id: "owasp-api10-unsafe-consumption",
        title: "API10: Unsafe consumption of APIs",
        track: Track::OwaspTop10,
        owasp: API10,
        goal: "Poison the partner directory the lab calls, and watch the lab pass your script on at /api/companies/1.",
        background: "APIs trust the APIs they call more than their users: data from a partner is taken as it comes, over plain HTTP, redirects followed, no schema checked. Whoever controls (or can edit) the partner's data reaches your users through you. Validate what third parties send as strictly as user input: schema, types, lengths, URL schemes; use TLS, and do not follow redirects blindly.",
        steps: &[
            "Request tab (1): GET {lab}/api/companies/1: the lab fetched it from its partner API at {partner}/companies/1.",
            "The partner lets anyone edit a listing: PUT {partner}/companies/1 with the JSON body {\"name\":\"<script>alert(1)</script>\",\"website\":\"javascript:alert(1)\",\"country\":\"NL\"}.",
            "GET {lab}/api/companies/1 again: your script, passed on. {labs}/hardened/api/companies/1 answers 502, the partner's answer did not validate.",
        ],
        cli: &[
            run(
                "apiward send PUT {partner}/companies/1 'name=<script>alert(1)</script>' website=javascript:alert(1) country=NL",
            ),
            run("apiward send {lab}/api/companies/1"),
        ],
        hints: &[
            "The partner API's address is in GET {lab}/ (partner_api) and in apiward lab's banner.",
            "A website that is not https:, a name with markup or a field a company record does not have all fail validation.",
        ],
        evidence: &[Evidence::Lab("partner-data-trusted")],
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
    fn one_owasp_lesson_per_category_in_order() {
        let owasp: Vec<&str> = LESSONS
            .iter()
            .filter(|l| l.track == Track::OwaspTop10)
            .map(|l| l.owasp)
            .collect();
        assert_eq!(
            owasp,
            [API1, API2, API3, API4, API5, API6, API7, API8, API9, API10]
        );
        // The groups follow each other, so numbers stay stable as lessons are added.
        let mut tracks: Vec<Track> = LESSONS.iter().map(|l| l.track).collect();
        tracks.dedup();
        assert_eq!(
            tracks,
            [Track::Practice, Track::JwtAttack, Track::OwaspTop10]
        );
    }

    #[test]
    fn shell_steps_are_apiward_commands_using_only_names_kept_before() {
        for lesson in LESSONS {
            let mut kept: Vec<&str> = Vec::new();
            for step in lesson.cli {
                // curl only to save a file apiward's own output would not give bare.
                let saves_a_file = step.run.starts_with("curl -s -o ");
                assert!(
                    step.run.starts_with("apiward ") || saves_a_file,
                    "{}: {}",
                    lesson.id,
                    step.run
                );
                for word in step.run.split(|c: char| !c.is_ascii_alphanumeric()) {
                    let looks_like_name = word.len() > 2
                        && word
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                        && ["TOKEN", "KEY", "SECRET"]
                            .iter()
                            .any(|n| word.starts_with(n));
                    assert!(
                        !looks_like_name || kept.contains(&word),
                        "{}: {word} is used before it is kept",
                        lesson.id
                    );
                }
                if let Some((name, _)) = step.keep {
                    kept.push(name);
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
