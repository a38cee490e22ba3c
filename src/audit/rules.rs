//! The audit rules: stable ids, default severities, and the why, fix and references of each.
//!
//! Kept as data, apart from the checks, so the CLI can list every rule and SARIF output can
//! describe them without running anything. Ids are a public contract: never rename one.

pub use crate::findings::Rule;
use crate::findings::{Finding, Severity};

const OWASP: (&str, &str) = (
    "OWASP API8:2023 Security Misconfiguration",
    "https://owasp.org/API-Security/editions/2023/en/0xa8-security-misconfiguration/",
);

macro_rules! mdn {
    ($header:literal) => {
        (
            concat!("MDN: ", $header),
            concat!(
                "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/",
                $header
            ),
        )
    };
}

const OBSERVATORY: (&str, &str) = (
    "MDN HTTP Observatory: tests and scoring",
    "https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring",
);
const HSTS_RFC: (&str, &str) = (
    "RFC 6797 HTTP Strict Transport Security",
    "https://www.rfc-editor.org/rfc/rfc6797",
);
const COOKIE_RFC: (&str, &str) = (
    "RFC 6265bis Cookies",
    "https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis",
);
const CORS_MDN: (&str, &str) = (
    "MDN: CORS",
    "https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS",
);
const PORTSWIGGER_CORS: (&str, &str) = (
    "PortSwigger: CORS vulnerabilities",
    "https://portswigger.net/web-security/cors",
);
const TLS_RFC: (&str, &str) = ("RFC 8446 TLS 1.3", "https://www.rfc-editor.org/rfc/rfc8446");
const RFC8996: (&str, &str) = (
    "RFC 8996 Deprecating TLS 1.0 and TLS 1.1",
    "https://www.rfc-editor.org/rfc/rfc8996",
);
const RFC5280: (&str, &str) = (
    "RFC 5280 X.509 certificate profile",
    "https://www.rfc-editor.org/rfc/rfc5280",
);
const RFC6125: (&str, &str) = (
    "RFC 6125 §6 Verifying service identity",
    "https://www.rfc-editor.org/rfc/rfc6125#section-6",
);
const MOZ_TLS: (&str, &str) = (
    "Mozilla server-side TLS guidelines",
    "https://wiki.mozilla.org/Security/Server_Side_TLS",
);
const RFC7525: (&str, &str) = (
    "RFC 9325 (was 7525) Recommendations for secure use of TLS",
    "https://www.rfc-editor.org/rfc/rfc9325",
);
const TESTSSL: (&str, &str) = ("testssl.sh", "https://testssl.sh/");
const SRI_MDN: (&str, &str) = (
    "MDN: Subresource Integrity",
    "https://developer.mozilla.org/en-US/docs/Web/Security/Subresource_Integrity",
);
const REDIRECT_MDN: (&str, &str) = (
    "MDN: HTTP redirections",
    "https://developer.mozilla.org/en-US/docs/Web/HTTP/Redirections",
);

use Severity::{High, Info, Low, Medium};

#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    // Content-Security-Policy
    Rule { id: "csp-missing", severity: Medium, title: "No Content-Security-Policy header",
        why: "Without a CSP the browser runs any script an injection manages to place in a page, so one XSS bug becomes account takeover.",
        fix: "Send Content-Security-Policy; for a JSON API `default-src 'none'; frame-ancestors 'none'` is a safe start.",
        refs: &[mdn!("Content-Security-Policy"), OBSERVATORY] },
    Rule { id: "csp-invalid", severity: Low, title: "The Content-Security-Policy header cannot be parsed",
        why: "A policy the browser cannot parse protects nothing, and it gives a false sense of safety.",
        fix: "Write the policy as `directive source source; directive source`, with known directive names.",
        refs: &[mdn!("Content-Security-Policy"), OBSERVATORY] },
    Rule { id: "csp-unsafe-inline", severity: Medium, title: "The CSP allows inline or unrestricted scripts",
        why: "'unsafe-inline', data: or a bare scheme such as https: in script-src (or no script-src/object-src restriction at all) lets injected markup run script, which defeats the main purpose of CSP.",
        fix: "Remove 'unsafe-inline' and data: from script-src; use nonces or hashes; restrict object-src to 'none'.",
        refs: &[mdn!("Content-Security-Policy/script-src"), OBSERVATORY] },
    Rule { id: "csp-unsafe-eval", severity: Low, title: "The CSP allows 'unsafe-eval'",
        why: "'unsafe-eval' lets strings become code through eval() and friends, a common path from injection to script execution.",
        fix: "Remove 'unsafe-eval' and replace eval-style code with safer constructs.",
        refs: &[mdn!("Content-Security-Policy/script-src"), OBSERVATORY] },
    Rule { id: "csp-insecure-scheme", severity: Medium, title: "The CSP allows resources over plain http",
        why: "Resources fetched over http can be changed by anyone on the network path; scripts loaded that way run with the page's rights.",
        fix: "Allow only https: sources (or 'self'); add upgrade-insecure-requests.",
        refs: &[mdn!("Content-Security-Policy"), OBSERVATORY] },
    // Strict-Transport-Security
    Rule { id: "hsts-missing", severity: Medium, title: "No Strict-Transport-Security header over https",
        why: "Without HSTS a browser will still try http first, so an attacker on the network can strip TLS and read or change traffic, including tokens.",
        fix: "Send `Strict-Transport-Security: max-age=63072000; includeSubDomains` on every https response.",
        refs: &[mdn!("Strict-Transport-Security"), HSTS_RFC, OBSERVATORY] },
    Rule { id: "hsts-short", severity: Low, title: "HSTS max-age is under six months",
        why: "A short max-age lets the protection lapse between visits, reopening the window for TLS stripping.",
        fix: "Use max-age of at least 15768000 (six months); two years (63072000) is the common choice.",
        refs: &[mdn!("Strict-Transport-Security"), HSTS_RFC, OBSERVATORY] },
    Rule { id: "hsts-invalid", severity: Low, title: "The Strict-Transport-Security header cannot be parsed",
        why: "Browsers ignore an HSTS header without a valid max-age, so the site gets none of its protection.",
        fix: "Send `max-age=<seconds>` with optional `includeSubDomains` and `preload`, separated by semicolons.",
        refs: &[mdn!("Strict-Transport-Security"), ("RFC 6797 §6.1", "https://www.rfc-editor.org/rfc/rfc6797#section-6.1")] },
    // Framing
    Rule { id: "xfo-missing", severity: Low, title: "No X-Frame-Options or CSP frame-ancestors",
        why: "Pages that can be framed by any site are open to clickjacking: a hidden frame tricks the user into clicking real buttons.",
        fix: "Send `Content-Security-Policy: frame-ancestors 'none'` (and `X-Frame-Options: DENY` for old browsers).",
        refs: &[mdn!("X-Frame-Options"), mdn!("Content-Security-Policy/frame-ancestors"), OBSERVATORY] },
    Rule { id: "xfo-invalid", severity: Low, title: "The X-Frame-Options header is not DENY or SAMEORIGIN",
        why: "Browsers ignore an unrecognised X-Frame-Options value, leaving the page frameable.",
        fix: "Use DENY or SAMEORIGIN, or better CSP frame-ancestors.",
        refs: &[mdn!("X-Frame-Options"), OBSERVATORY] },
    // X-Content-Type-Options
    Rule { id: "xcto-missing", severity: Low, title: "No X-Content-Type-Options: nosniff",
        why: "Without nosniff a browser may guess a response's type, so user content or JSON can be run as script or styles.",
        fix: "Send `X-Content-Type-Options: nosniff` on every response.",
        refs: &[mdn!("X-Content-Type-Options"), OBSERVATORY] },
    Rule { id: "xcto-invalid", severity: Low, title: "X-Content-Type-Options is not nosniff",
        why: "nosniff is the only value; anything else is ignored and MIME sniffing stays on.",
        fix: "Send exactly `X-Content-Type-Options: nosniff`.",
        refs: &[mdn!("X-Content-Type-Options"), OBSERVATORY] },
    // Referrer-Policy
    Rule { id: "referrer-policy-unsafe", severity: Low, title: "Referrer-Policy leaks full URLs to other origins",
        why: "origin, origin-when-cross-origin and unsafe-url send URLs (which may carry tokens or ids) to third parties, sometimes over http.",
        fix: "Use `Referrer-Policy: strict-origin-when-cross-origin` or `no-referrer`.",
        refs: &[mdn!("Referrer-Policy"), OBSERVATORY] },
    Rule { id: "referrer-policy-invalid", severity: Low, title: "The Referrer-Policy header has no recognised value",
        why: "An unrecognised policy is ignored, so the browser default applies.",
        fix: "Use one of the values MDN lists, e.g. `strict-origin-when-cross-origin`.",
        refs: &[mdn!("Referrer-Policy"), OBSERVATORY] },
    // Cross-origin isolation headers
    Rule { id: "corp-missing", severity: Info, title: "No Cross-Origin-Resource-Policy header",
        why: "CORP stops other sites embedding this response with no-cors requests (<img>, <script>), which limits Spectre-style and cross-site inclusion leaks.",
        fix: "Send `Cross-Origin-Resource-Policy: same-origin` (or same-site) on private API responses.",
        refs: &[mdn!("Cross-Origin-Resource-Policy"), OBSERVATORY] },
    Rule { id: "corp-invalid", severity: Low, title: "The Cross-Origin-Resource-Policy header has no recognised value",
        why: "Browsers ignore an unknown CORP value, so the resource stays embeddable by any site.",
        fix: "Use same-origin, same-site or cross-origin.",
        refs: &[mdn!("Cross-Origin-Resource-Policy"), OBSERVATORY] },
    Rule { id: "coop-missing", severity: Info, title: "No Cross-Origin-Opener-Policy header",
        why: "Without COOP a page opened by another site shares a browsing context group with it, enabling cross-window attacks and XS-Leaks.",
        fix: "Send `Cross-Origin-Opener-Policy: same-origin` on HTML pages.",
        refs: &[mdn!("Cross-Origin-Opener-Policy")] },
    Rule { id: "coep-missing", severity: Info, title: "No Cross-Origin-Embedder-Policy header",
        why: "COEP (with COOP) gives a document cross-origin isolation, which confines what cross-origin data can reach its process.",
        fix: "Send `Cross-Origin-Embedder-Policy: require-corp` on pages that need isolation.",
        refs: &[mdn!("Cross-Origin-Embedder-Policy")] },
    Rule { id: "permissions-policy-missing", severity: Info, title: "No Permissions-Policy header",
        why: "Permissions-Policy switches off browser features (camera, geolocation, payment) a response never needs, so injected or framed content cannot use them.",
        fix: "Send e.g. `Permissions-Policy: camera=(), microphone=(), geolocation=()`.",
        refs: &[mdn!("Permissions-Policy")] },
    // Cookies
    Rule { id: "cookie-no-secure", severity: Medium, title: "A cookie is set without the Secure flag",
        why: "Without Secure the browser also sends the cookie over plain http, where anyone on the network can read it; a session cookie read that way is a login.",
        fix: "Add `Secure` to every cookie (and serve the site only over https).",
        refs: &[mdn!("Set-Cookie"), COOKIE_RFC, OBSERVATORY] },
    Rule { id: "cookie-no-httponly", severity: Low, title: "A cookie is set without the HttpOnly flag",
        why: "Scripts can read cookies without HttpOnly, so any XSS can steal the session it holds.",
        fix: "Add `HttpOnly` to session and authentication cookies.",
        refs: &[mdn!("Set-Cookie"), COOKIE_RFC, OBSERVATORY] },
    Rule { id: "cookie-no-samesite", severity: Low, title: "A cookie is set without SameSite",
        why: "Without SameSite the cookie's handling of cross-site requests is left to browser defaults, which differ; explicit Lax or Strict blocks most CSRF.",
        fix: "Add `SameSite=Lax` (or Strict); use `SameSite=None; Secure` only for cookies that must cross sites.",
        refs: &[mdn!("Set-Cookie"), COOKIE_RFC, OBSERVATORY] },
    Rule { id: "cookie-samesite-invalid", severity: Medium, title: "A cookie's SameSite value is not Strict, Lax or None",
        why: "An unknown SameSite value is ignored, so the cookie gets browser defaults instead of the protection intended.",
        fix: "Use SameSite=Strict, Lax, or None with Secure.",
        refs: &[mdn!("Set-Cookie"), COOKIE_RFC, OBSERVATORY] },
    // CORS
    Rule { id: "cors-reflects-origin", severity: Medium, title: "CORS reflects an arbitrary Origin",
        why: "The server echoes any Origin in Access-Control-Allow-Origin, so every website can read its responses from a visitor's browser; with credentials allowed that includes the visitor's private data.",
        fix: "Compare the Origin against an exact allowlist; never echo it unchecked, and send `Vary: Origin`.",
        refs: &[CORS_MDN, PORTSWIGGER_CORS, OBSERVATORY] },
    Rule { id: "cors-null-origin", severity: Medium, title: "CORS allows the null origin",
        why: "Sandboxed iframes and data: URLs send `Origin: null`, so allowing null lets any attacker page read the responses.",
        fix: "Never put null in the allowlist.",
        refs: &[CORS_MDN, PORTSWIGGER_CORS] },
    Rule { id: "cors-prefix-bypass", severity: Medium, title: "CORS trusts origins that merely start with the site's name",
        why: "An origin like https://HOST.evil.example was allowed, so the allowlist check is a prefix match that any attacker-registered domain passes.",
        fix: "Parse the Origin and compare scheme, host and port exactly against the allowlist.",
        refs: &[CORS_MDN, PORTSWIGGER_CORS] },
    Rule { id: "cors-suffix-bypass", severity: Medium, title: "CORS trusts origins that merely end with the site's name",
        why: "An origin like https://evilHOST was allowed, so the allowlist check is a suffix match that an attacker can register.",
        fix: "Match exact hosts, or subdomains with a leading dot (`.example.com`), never a bare suffix.",
        refs: &[CORS_MDN, PORTSWIGGER_CORS] },
    Rule { id: "cors-http-origin", severity: Medium, title: "CORS trusts the plain-http origin of the same host",
        why: "A network attacker can inject script into the http origin and use it to read the https API's responses.",
        fix: "Allow only https origins.",
        refs: &[CORS_MDN, PORTSWIGGER_CORS] },
    Rule { id: "cors-subdomain-trusted", severity: Low, title: "CORS trusts every sub-domain of the site",
        why: "Any sub-domain's origin was allowed, so one XSS or one dangling DNS record on any sub-domain (a forgotten staging host, a taken-over bucket) can read this API's responses from a visitor's browser.",
        fix: "List the exact origins that need access instead of a sub-domain pattern.",
        refs: &[CORS_MDN, PORTSWIGGER_CORS] },
    Rule { id: "cors-special-char-bypass", severity: Medium, title: "CORS trusts origins with special characters after the site's name",
        why: "An origin such as https://DOMAIN_.evil.example or one with a backtick was allowed: the check stops at a character some browsers accept in host names, so an attacker's domain passes it.",
        fix: "Parse the Origin as a URL and compare its host exactly (or as a dot-prefixed sub-domain) against the allowlist.",
        refs: &[CORS_MDN, PORTSWIGGER_CORS] },
    Rule { id: "cors-unescaped-dot", severity: Medium, title: "CORS allowlist regex leaves a dot unescaped",
        why: "An origin with a letter where the host has a dot (https://apixexample.com for api.example.com) was allowed, so the allowlist is a regular expression whose `.` matches any character, and that domain can be registered.",
        fix: "Escape dots in allowlist patterns (`\\.`) and anchor them at both ends, or compare hosts exactly.",
        refs: &[CORS_MDN, PORTSWIGGER_CORS] },
    Rule { id: "cors-third-party-origin", severity: Medium, title: "CORS trusts a host anyone can publish on",
        why: "An origin on github.io was allowed; anyone can publish pages there, so anyone can read this API's responses from a visitor's browser.",
        fix: "Never allow shared hosting domains (github.io, codepen.io, s3 buckets) in a CORS allowlist.",
        refs: &[CORS_MDN, PORTSWIGGER_CORS] },
    Rule { id: "cors-wildcard-credentials", severity: Medium, title: "CORS sends a wildcard origin together with credentials",
        why: "`*` with `Access-Control-Allow-Credentials: true` is refused by browsers, which shows the policy was written without understanding it; the next edit often becomes origin reflection.",
        fix: "Either serve public data with `*` and no credentials, or an exact origin allowlist with credentials.",
        refs: &[CORS_MDN, ("MDN: Access-Control-Allow-Credentials", "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Credentials")] },
    // Redirects
    Rule { id: "http-no-redirect", severity: Medium, title: "Plain http does not redirect to https",
        why: "Clients that start on http:// stay there, sending tokens and data in the clear.",
        fix: "Answer every http request with a 301 to the same host on https, and add HSTS.",
        refs: &[REDIRECT_MDN, HSTS_RFC, OBSERVATORY] },
    Rule { id: "redirect-other-host-first", severity: Low, title: "The first redirect from http goes to another host",
        why: "HSTS can only be set by the host itself; redirecting http://example.com straight to https://www.example.com means example.com never sets HSTS.",
        fix: "Redirect http://HOST to https://HOST first, then on to the other host.",
        refs: &[REDIRECT_MDN, OBSERVATORY] },
    Rule { id: "redirect-not-https-first", severity: Low, title: "The first redirect from http stays on http",
        why: "Each extra plain-http hop is another chance for a network attacker to send the client elsewhere.",
        fix: "Make the first redirect go straight to https on the same host.",
        refs: &[REDIRECT_MDN, OBSERVATORY] },
    // Subresource integrity
    Rule { id: "sri-missing", severity: Low, title: "External scripts are loaded without Subresource Integrity",
        why: "If the other host (a CDN) is compromised, its scripts run in this page; an integrity hash makes the browser refuse altered files.",
        fix: "Add `integrity=\"sha384-...\"` and `crossorigin=\"anonymous\"` to external <script> tags.",
        refs: &[SRI_MDN, OBSERVATORY] },
    Rule { id: "sri-insecure-script", severity: High, title: "Scripts are loaded over plain http",
        why: "A script loaded over http can be replaced by anyone on the network path and then runs with the page's rights.",
        fix: "Load every script over https, with an integrity hash when it comes from another host.",
        refs: &[SRI_MDN, OBSERVATORY] },
    // API checks beyond the Observatory
    Rule { id: "cache-control-missing", severity: Medium, title: "An authenticated response may be cached",
        why: "A response to an authenticated request without `Cache-Control: no-store` can be kept by browsers and shared proxies and shown to the next user of the machine or cache.",
        fix: "Send `Cache-Control: no-store` on every response to an authenticated request.",
        refs: &[mdn!("Cache-Control"), ("OWASP REST Security Cheat Sheet", "https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#security-headers")] },
    Rule { id: "info-leak-header", severity: Low, title: "Headers reveal the server software or its version",
        why: "Product names and versions tell an attacker exactly which published vulnerabilities to try.",
        fix: "Remove X-Powered-By, X-AspNet-Version and similar headers, and strip the version from Server.",
        refs: &[mdn!("Server"), ("OWASP WSTG: Fingerprint web server", "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/01-Information_Gathering/02-Fingerprint_Web_Server")] },
    Rule { id: "trace-enabled", severity: Medium, title: "The TRACE method is enabled",
        why: "TRACE echoes the request, including cookies and authorization headers, back to the caller (cross-site tracing), and is never needed in production.",
        fix: "Disable TRACE in the web server or proxy (answer 405).",
        refs: &[("OWASP WSTG: Test HTTP methods", "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/02-Configuration_and_Deployment_Management_Testing/06-Test_HTTP_Methods"), ("MDN: TRACE", "https://developer.mozilla.org/en-US/docs/Web/HTTP/Methods/TRACE")] },
    Rule { id: "json-content-type", severity: Low, title: "A JSON body is served without a JSON content type",
        why: "Browsers may sniff a JSON body sent as text/html and render it, turning reflected data into XSS.",
        fix: "Send `Content-Type: application/json` (and `X-Content-Type-Options: nosniff`).",
        refs: &[mdn!("Content-Type"), ("OWASP REST Security Cheat Sheet", "https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#send-safe-response-content-types")] },
    Rule { id: "rate-limit-headers-missing", severity: Info, title: "No rate-limit headers",
        why: "Rate-limit headers (RateLimit, RateLimit-Policy, X-RateLimit-*, Retry-After) tell clients their quota; their absence often means there is no limit at all, which invites brute force and scraping.",
        fix: "Enforce per-client limits and advertise them with RateLimit / RateLimit-Policy headers and Retry-After on 429.",
        refs: &[("OWASP API4:2023 Unrestricted Resource Consumption", "https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/"), ("IETF RateLimit header fields", "https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/")] },
    // TLS
    Rule { id: "tls-cert-expired", severity: High, title: "The certificate has expired",
        why: "Clients refuse expired certificates, and users taught to click through the warning will click through a real attack too.",
        fix: "Renew the certificate and automate renewal (ACME).",
        refs: &[RFC5280, MOZ_TLS] },
    Rule { id: "tls-cert-not-yet-valid", severity: High, title: "The certificate is not valid yet",
        why: "Its validity starts in the future, so clients refuse it; usually a clock or deployment mistake.",
        fix: "Check the server's clock and deploy a certificate whose notBefore has passed.",
        refs: &[RFC5280] },
    Rule { id: "tls-cert-self-signed", severity: High, title: "The certificate is self-signed",
        why: "Nobody vouches for a self-signed certificate, so clients cannot tell it from an attacker's.",
        fix: "Use a certificate from a public CA, or from a private CA whose root the clients trust (pass it with --ca).",
        refs: &[RFC5280, MOZ_TLS] },
    Rule { id: "tls-cert-ca-as-leaf", severity: High, title: "A CA certificate is used as the server certificate",
        why: "The leaf has BasicConstraints CA:true (what `openssl req -x509` makes), which verifiers refuse for a server; its key could also sign other certificates.",
        fix: "Issue a proper leaf certificate (CA:false, serverAuth) from a CA.",
        refs: &[("RFC 5280 §4.2.1.9 Basic Constraints", "https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.9")] },
    Rule { id: "tls-cert-untrusted", severity: High, title: "The certificate chain is not trusted",
        why: "The chain does not lead to a trusted root (unknown issuer, missing intermediate or bad signature), so clients cannot tell the server from an impostor.",
        fix: "Serve the full chain of intermediates from a CA the clients trust; for a private CA pass its root with --ca.",
        refs: &[RFC5280, MOZ_TLS] },
    Rule { id: "tls-hostname-mismatch", severity: High, title: "The certificate is not valid for this host name",
        why: "None of the certificate's subject alternative names matches the host, so clients refuse it or, worse, are configured to ignore names.",
        fix: "Issue a certificate whose SANs include this host name.",
        refs: &[RFC6125, RFC5280] },
    Rule { id: "tls-cert-expiring", severity: Medium, title: "The certificate expires within 30 days",
        why: "An expiring certificate will soon break every client; renewals that need a human are often missed.",
        fix: "Renew now and automate renewal (ACME).",
        refs: &[RFC5280, MOZ_TLS] },
    Rule { id: "tls-weak-key", severity: High, title: "The certificate key is too small",
        why: "RSA keys under 2048 bits (or EC keys under 224 bits) are within reach of well-funded attackers.",
        fix: "Use RSA 2048+ or ECDSA P-256.",
        refs: &[("NIST SP 800-57 Part 1 key lengths", "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final"), MOZ_TLS] },
    Rule { id: "tls-sha1-signature", severity: High, title: "A certificate is signed with SHA-1 (or MD5)",
        why: "SHA-1 collisions are practical (SHAttered), so signatures made with it can be forged; browsers refuse them.",
        fix: "Reissue the certificate with a SHA-256 (or better) signature.",
        refs: &[("RFC 9155 Deprecating MD5 and SHA-1 in TLS 1.2", "https://www.rfc-editor.org/rfc/rfc9155"), MOZ_TLS] },
    Rule { id: "tls-legacy-protocol", severity: Medium, title: "The server accepts TLS 1.0 or TLS 1.1",
        why: "TLS 1.0 and 1.1 lack modern cipher suites and have known weaknesses (BEAST, weak MACs); RFC 8996 forbids them.",
        fix: "Disable TLS 1.0 and 1.1; offer TLS 1.2 and 1.3 only.",
        refs: &[RFC8996, MOZ_TLS] },
    Rule { id: "tls-no-tls13", severity: Low, title: "The server does not offer TLS 1.3",
        why: "TLS 1.3 removes legacy cipher suites, encrypts more of the handshake and is faster; servers without it miss those protections.",
        fix: "Enable TLS 1.3 alongside TLS 1.2.",
        refs: &[TLS_RFC, MOZ_TLS] },
    Rule { id: "tls-cipher-null", severity: High, title: "The server accepts NULL-encryption suites",
        why: "A NULL suite authenticates but does not encrypt: everything sent, tokens included, crosses the network in clear.",
        fix: "Remove every NULL suite (OpenSSL: add `!eNULL` to the cipher string); follow Mozilla's intermediate list.",
        refs: &[RFC7525, MOZ_TLS, TESTSSL] },
    Rule { id: "tls-cipher-anonymous", severity: High, title: "The server accepts anonymous suites",
        why: "Anonymous (aNULL) suites skip the certificate, so anyone in the path can play the server in a man-in-the-middle attack.",
        fix: "Remove the anonymous suites (OpenSSL: `!aNULL`); follow Mozilla's intermediate list.",
        refs: &[RFC7525, MOZ_TLS, TESTSSL] },
    Rule { id: "tls-cipher-export", severity: High, title: "The server accepts EXPORT suites",
        why: "EXPORT suites use 40- or 56-bit keys and 512-bit key exchange, broken in hours (FREAK, Logjam).",
        fix: "Remove every EXPORT suite (OpenSSL: `!EXP`); follow Mozilla's intermediate list.",
        refs: &[("FREAK / Logjam: weakdh.org", "https://weakdh.org/"), RFC7525, MOZ_TLS] },
    Rule { id: "tls-cipher-rc4", severity: High, title: "The server accepts RC4 suites",
        why: "RC4's keystream biases let an attacker recover repeated plaintext such as cookies; RFC 7465 forbids it.",
        fix: "Remove the RC4 suites (OpenSSL: `!RC4`).",
        refs: &[("RFC 7465 Prohibiting RC4 Cipher Suites", "https://www.rfc-editor.org/rfc/rfc7465"), MOZ_TLS] },
    Rule { id: "tls-cipher-64bit-block", severity: Medium, title: "The server accepts suites with a 64-bit block cipher (3DES, DES, IDEA)",
        why: "With a 64-bit block, a long connection repeats blocks after about 32 GB, which leaks plaintext such as cookies (Sweet32); single DES is also brute-forced outright.",
        fix: "Remove 3DES, DES, IDEA and RC2 suites (OpenSSL: `!3DES:!DES:!IDEA:!RC2`).",
        refs: &[("Sweet32: sweet32.info", "https://sweet32.info/"), RFC7525, MOZ_TLS] },
    Rule { id: "tls-cipher-cbc-rsa", severity: Low, title: "The server accepts CBC suites with RSA key exchange",
        why: "These suites lack forward secrecy (one stolen key decrypts every recorded session) and use CBC with MAC-then-encrypt, the mode behind Lucky13 and the padding oracles; RSA key exchange is ROBOT's target. testssl.sh rates them low; Mozilla's intermediate profile leaves them out.",
        fix: "Prefer ECDHE with AES-GCM or ChaCha20-Poly1305 and remove the `TLS_RSA_WITH_*_CBC_*` suites; keep them only for clients that need Mozilla's old profile.",
        refs: &[MOZ_TLS, ("ROBOT attack", "https://robotattack.org/"), TESTSSL] },
    Rule { id: "tls-cipher-cbc", severity: Low, title: "The server accepts CBC suites",
        why: "CBC suites use MAC-then-encrypt, the construction behind Lucky13 and other padding oracles; AEAD suites (GCM, ChaCha20-Poly1305) have no such weakness. testssl.sh lists them as obsoleted; Mozilla's intermediate profile leaves them out.",
        fix: "Offer AEAD suites only (ECDHE with AES-GCM or ChaCha20-Poly1305), as Mozilla's intermediate profile does.",
        refs: &[MOZ_TLS, RFC7525, TESTSSL] },
    Rule { id: "tls-no-forward-secrecy", severity: Medium, title: "Suites without forward secrecy are accepted",
        why: "With RSA (or static DH) key exchange, whoever obtains the server's key later can decrypt every session recorded before; ephemeral (EC)DHE prevents that. Medium when no suite has forward secrecy, low when only some lack it.",
        fix: "Offer ECDHE (or DHE) suites and remove the `TLS_RSA_WITH_*` ones.",
        refs: &[RFC7525, MOZ_TLS] },
    Rule { id: "tls-dh-weak", severity: Medium, title: "The DHE suites use a group under 2048 bits",
        why: "A 1024-bit finite-field DH group is within reach of a state-level precomputation (Logjam); under 1024 bits it is broken outright.",
        fix: "Use a 2048-bit or larger group (RFC 7919 ffdhe2048), or drop DHE in favour of ECDHE.",
        refs: &[("Logjam: weakdh.org", "https://weakdh.org/"), ("RFC 7919 Negotiated FFDHE groups", "https://www.rfc-editor.org/rfc/rfc7919"), MOZ_TLS] },
    Rule { id: "tls-no-server-preference", severity: Low, title: "The server follows the client's suite order while accepting weak suites",
        why: "Without its own order, the server lets each client pick, so a client that prefers an old suite gets it even though a better one is on offer.",
        fix: "Remove the weak suites (then the order does not matter, as Mozilla's intermediate profile says), or enforce the server's order (nginx `ssl_prefer_server_ciphers on`, OpenSSL `-serverpref`).",
        refs: &[MOZ_TLS, TESTSSL] },
    Rule { id: "tls-mozilla-profile", severity: Low, title: "The server does not meet Mozilla's intermediate TLS profile",
        why: "Mozilla's intermediate profile (guidelines 5.7) is the recommended configuration for general servers; a server outside it accepts protocols, suites or certificates that modern clients no longer need.",
        fix: "Configure the server from ssl-config.mozilla.org's intermediate profile.",
        refs: &[MOZ_TLS, ("Mozilla SSL Configuration Generator", "https://ssl-config.mozilla.org/")] },
    Rule { id: "tls-no-ocsp-stapling", severity: Info, title: "The server does not staple OCSP responses",
        why: "Without stapling, clients must ask the CA whether the certificate is revoked (slow and a privacy leak) or, as most browsers do, not check at all. Mozilla's profiles recommend stapling.",
        fix: "Enable OCSP stapling (nginx `ssl_stapling on`, Apache `SSLUseStapling on`).",
        refs: &[("RFC 6066 §8 Certificate Status Request", "https://www.rfc-editor.org/rfc/rfc6066#section-8"), MOZ_TLS] },
    Rule { id: "tls-cert-usage", severity: Medium, title: "The certificate's key usage does not allow a TLS server",
        why: "An ExtendedKeyUsage without serverAuth, or a KeyUsage without digitalSignature (or keyEncipherment for RSA), tells clients the key is not for TLS servers; strict clients refuse it.",
        fix: "Reissue the certificate with ExtendedKeyUsage serverAuth and KeyUsage digitalSignature (plus keyEncipherment for RSA key exchange).",
        refs: &[("RFC 5280 §4.2.1.3 and §4.2.1.12", "https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.12"), RFC5280] },
    Rule { id: "tls-no-sct", severity: Info, title: "The certificate embeds no Certificate Transparency timestamps",
        why: "Chrome and Safari require SCTs for publicly trusted certificates; without them (embedded, stapled or in the TLS extension) the certificate is refused. Certificates from a private CA need none.",
        fix: "For a public certificate, use a CA that embeds SCTs (all major ones do); ignore this for a private CA.",
        refs: &[("RFC 6962 Certificate Transparency", "https://www.rfc-editor.org/rfc/rfc6962")] },
    Rule { id: "tls-chain-order", severity: Low, title: "The certificate chain is sent out of order",
        why: "TLS 1.2 requires each certificate to be followed by its issuer; some clients cannot rebuild a chain sent out of order and refuse it.",
        fix: "Serve the leaf first, then each intermediate in the order that leads to the root.",
        refs: &[("RFC 5246 §7.4.2 Server Certificate", "https://www.rfc-editor.org/rfc/rfc5246#section-7.4.2"), RFC5280] },
];

/// The rule with this id. Panics on an unknown id: ids are fixed at compile time, so that is a
/// bug caught by the tests.
pub fn rule(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no audit rule '{id}'"))
}

/// A finding for rule `id` with its default severity and the evidence seen.
pub fn finding(id: &str, evidence: impl Into<String>) -> Finding {
    rule(id).finding(evidence, &[OWASP])
}

/// The same, at a different severity (credentials allowed, a session cookie).
pub fn finding_at(id: &str, severity: Severity, evidence: impl Into<String>) -> Finding {
    let mut f = finding(id, evidence);
    f.severity = severity;
    f
}

/// The area a finding belongs to, for grouping reports: Headers, Cookies, CORS, Redirects,
/// API or TLS.
pub fn area(id: &str) -> &'static str {
    const AREAS: &[(&str, &str)] = &[
        ("tls-", "TLS"),
        ("cookie-", "Cookies"),
        ("cors-", "CORS"),
        ("http-no-redirect", "Redirects"),
        ("redirect-", "Redirects"),
        ("info-leak", "API"),
        ("trace-", "API"),
        ("cache-control", "API"),
        ("json-", "API"),
        ("rate-limit", "API"),
    ];
    AREAS
        .iter()
        .find(|(prefix, _)| id.starts_with(prefix))
        .map_or("Headers", |(_, area)| area)
}

/// Every rule id, for listing and docs.
pub fn ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_an_area() {
        assert_eq!(area("csp-missing"), "Headers");
        assert_eq!(area("cookie-no-secure"), "Cookies");
        assert_eq!(area("tls-no-tls13"), "TLS");
        assert_eq!(area("http-no-redirect"), "Redirects");
        assert_eq!(area("trace-enabled"), "API");
        for id in ids() {
            assert!(!area(id).is_empty());
        }
    }

    #[test]
    fn ids_are_unique_kebab_case_and_fully_described() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate id {}", r.id);
            assert!(
                r.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
            assert!(
                !r.why.is_empty() && !r.fix.is_empty() && !r.refs.is_empty(),
                "{}",
                r.id
            );
        }
        let f = finding("hsts-missing", "none");
        assert!(f.refs.iter().any(|r| r.url.contains("0xa8")));
        assert!(f.refs.iter().any(|r| r.url.contains("rfc6797")));
    }
}
