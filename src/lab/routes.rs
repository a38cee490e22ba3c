//! The route table: every vulnerable route, its hardened twin, what is wrong with it, its
//! OWASP API Security Top 10 2023 entry and the success id an exploit records. `GET /` serves
//! it, `apiward lab` prints it, and lessons link to it.
//!
//! Every twin is the vulnerable path with `/hardened` in front, served over HTTPS (plain HTTP
//! to a twin is redirected).

use serde::Serialize;

/// One vulnerable route.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LabRoute {
    pub method: &'static str,
    pub path: &'static str,
    /// The twin that does it right.
    pub twin: &'static str,
    /// The vulnerability class, short.
    pub vulnerability: &'static str,
    /// The OWASP API Security Top 10 2023 id and name.
    pub owasp: &'static str,
    pub description: &'static str,
    /// The success id an exploit records.
    pub success: &'static str,
}

/// The OWASP API Security Top 10 2023 entries the lab and its lessons teach.
pub const API1: &str = "API1:2023 Broken Object Level Authorization";
pub const API2: &str = "API2:2023 Broken Authentication";
pub const API3: &str = "API3:2023 Broken Object Property Level Authorization";
pub const API4: &str = "API4:2023 Unrestricted Resource Consumption";
pub const API5: &str = "API5:2023 Broken Function Level Authorization";
pub const API6: &str = "API6:2023 Unrestricted Access to Sensitive Business Flows";
pub const API7: &str = "API7:2023 Server Side Request Forgery";
pub const API8: &str = "API8:2023 Security Misconfiguration";
pub const API9: &str = "API9:2023 Improper Inventory Management";
pub const API10: &str = "API10:2023 Unsafe Consumption of APIs";

macro_rules! route {
    ($method:literal, $path:literal, $vuln:literal, $owasp:expr, $desc:literal, $success:literal) => {
        LabRoute {
            method: $method,
            path: $path,
            twin: concat!("/hardened", $path),
            vulnerability: $vuln,
            owasp: $owasp,
            description: $desc,
            success: $success,
        }
    };
}

/// Every vulnerable route. JWT routes take a token from `POST /jwt/{class}/login` (body
/// `{"username":"alice","password":"alice-password"}`); `/me` has a twin `/admin` that only
/// admins pass.
pub const ROUTES: &[LabRoute] = &[
    route!(
        "GET",
        "/jwt/unverified/me",
        "JWT signature not verified",
        API2,
        "Decodes the token and trusts its claims without checking the signature.",
        "jwt-signature-not-verified"
    ),
    route!(
        "GET",
        "/jwt/none/me",
        "JWT alg none accepted",
        API2,
        "Takes alg from the token; any spelling of 'none' skips the signature check.",
        "jwt-none-accepted"
    ),
    route!(
        "GET",
        "/jwt/weak-secret/me",
        "JWT weak HMAC secret",
        API2,
        "Signs HS256 with 'secret1', which every wordlist has: crack it and sign what you like.",
        "jwt-weak-secret-forged"
    ),
    route!(
        "GET",
        "/jwt/jwk/me",
        "JWT jwk header injection",
        API2,
        "Verifies with the public key embedded in the token's own jwk header.",
        "jwt-jwk-injection"
    ),
    route!(
        "GET",
        "/jwt/jku/me",
        "JWT jku header injection",
        API7,
        "Fetches the JWKS from the token's jku URL (loopback only) and trusts it.",
        "jwt-jku-injection"
    ),
    route!(
        "GET",
        "/jwt/kid/me",
        "JWT kid path traversal",
        API2,
        "Reads the HMAC key from a file named by kid: enough ../ to reach /dev/null gives an empty key.",
        "jwt-kid-traversal"
    ),
    route!(
        "GET",
        "/jwt/confusion/me",
        "JWT RS/HS algorithm confusion",
        API2,
        "RS256 tokens, but an HS256 token is checked with the public key PEM as its secret (see /.well-known/public.pem).",
        "jwt-alg-confusion"
    ),
    route!(
        "GET",
        "/jwt/exp/me",
        "JWT expiry not checked",
        API2,
        "Checks the signature but never exp; login also hands out an expired token to try.",
        "jwt-expired-accepted"
    ),
    route!(
        "GET",
        "/jwt/hidden-key/me",
        "JWT algorithm confusion, no exposed key",
        API2,
        "RS256 with a key published nowhere (no JWKS, no PEM), yet HS256 is checked with that public key's PEM: recover it from two tokens.",
        "jwt-alg-confusion-hidden-key"
    ),
    route!(
        "GET",
        "/api/users/{id}",
        "Broken object-level authorization",
        API1,
        "Returns any user's record by id; the twin only yours.",
        "bola-read-other-user"
    ),
    route!(
        "GET",
        "/api/users",
        "Excessive data exposure",
        API3,
        "Lists whole user records, password hashes and API keys included.",
        "excessive-data-exposure"
    ),
    route!(
        "PATCH",
        "/api/me",
        "Mass assignment",
        API3,
        "Copies every field of the body onto your profile, role included: {\"role\":\"admin\"}.",
        "mass-assignment-admin"
    ),
    route!(
        "POST",
        "/login",
        "No rate limit on login",
        API4,
        "Unlimited password guesses (bob's password is a common one); the twin answers 429 after 5 failures.",
        "login-brute-force"
    ),
    route!(
        "GET",
        "/api/reports",
        "API key in the query string",
        API2,
        "Accepts ?api_key=…, which ends up in logs, proxies and browser history; the twin takes X-API-Key only.",
        "api-key-in-query"
    ),
    route!(
        "GET",
        "/api/orders/{id}",
        "Verbose errors",
        API8,
        "A non-numeric id answers with a stack trace, the SQL and a database URL; the twin gives a request id.",
        "verbose-error-leak"
    ),
    route!(
        "GET",
        "/api/status",
        "Missing security headers, permissive CORS",
        API8,
        "No CSP, HSTS, nosniff, frame or referrer policy, and CORS reflects any Origin with credentials.",
        "cors-origin-reflected"
    ),
    route!(
        "POST",
        "/login",
        "Cookies without flags, plain HTTP without redirect",
        API8,
        "Sets the session cookie without Secure, HttpOnly or SameSite, and takes passwords over plain HTTP; the twin redirects HTTP to HTTPS.",
        "plain-http-credentials"
    ),
    route!(
        "GET",
        "/api/admin/export",
        "Broken function-level authorization",
        API5,
        "An admin-only export of every account that checks you are logged in, not that you are an admin; the twin answers 403.",
        "bfla-admin-function"
    ),
    route!(
        "POST",
        "/api/coupons/redeem",
        "Business flow without limits",
        API6,
        "The one-per-customer coupon WELCOME10 adds credit every time it is redeemed; the twin allows it once.",
        "coupon-redeemed-repeatedly"
    ),
    route!(
        "POST",
        "/api/link-preview",
        "Server-side request forgery",
        API7,
        "Fetches any URL you give it (the lab keeps it to loopback) from inside its network, so /internal/metadata answers; the twin allow-lists https hosts and refuses loopback and private ranges.",
        "ssrf-internal-reached"
    ),
    route!(
        "GET",
        "/v1/users/{id}",
        "Old API version still deployed",
        API9,
        "The first version of the user API: no login, API keys included; the twin has retired it (410).",
        "old-api-version-used"
    ),
    route!(
        "GET",
        "/api/companies/{id}",
        "Partner data trusted unvalidated",
        API10,
        "Passes on the partner directory's answer as it comes, and anyone may edit a listing there (PUT on the partner API); the twin validates it.",
        "partner-data-trusted"
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_records_a_known_success() {
        for r in ROUTES {
            assert!(
                super::super::progress::SUCCESS_IDS
                    .iter()
                    .any(|(id, _)| *id == r.success),
                "{}",
                r.success
            );
            assert_eq!(r.twin, format!("/hardened{}", r.path));
        }
    }
}
