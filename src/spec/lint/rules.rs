//! The spec lint's rules: stable ids, default severities, and the why, fix and references of
//! each. Kept as data, apart from the walk that finds them, so SARIF and `docs/spec-lint.md`
//! can describe every rule without running anything. Ids are a public contract: never rename
//! one.

pub use crate::findings::Rule;
use crate::findings::Severity::{High, Info, Low, Medium};

macro_rules! owasp {
    ($n:literal, $slug:literal, $name:literal) => {
        (
            concat!("OWASP API", $n, ":2023 ", $name),
            concat!(
                "https://owasp.org/API-Security/editions/2023/en/0xa",
                $slug,
                "/"
            ),
        )
    };
}

const API1: (&str, &str) = owasp!(
    "1",
    "1-broken-object-level-authorization",
    "Broken Object Level Authorization"
);
const API2: (&str, &str) = owasp!("2", "2-broken-authentication", "Broken Authentication");
const API3: (&str, &str) = owasp!(
    "3",
    "3-broken-object-property-level-authorization",
    "Broken Object Property Level Authorization"
);
const API4: (&str, &str) = owasp!(
    "4",
    "4-unrestricted-resource-consumption",
    "Unrestricted Resource Consumption"
);
const API5: (&str, &str) = owasp!(
    "5",
    "5-broken-function-level-authorization",
    "Broken Function Level Authorization"
);
const API7: (&str, &str) = owasp!(
    "7",
    "7-server-side-request-forgery",
    "Server Side Request Forgery"
);
const API8: (&str, &str) = owasp!(
    "8",
    "8-security-misconfiguration",
    "Security Misconfiguration"
);
const API9: (&str, &str) = owasp!(
    "9",
    "9-improper-inventory-management",
    "Improper Inventory Management"
);
const RFC8725: (&str, &str) = (
    "RFC 8725 JSON Web Token Best Current Practices",
    "https://www.rfc-editor.org/rfc/rfc8725",
);
const OAUTH_BCP: (&str, &str) = (
    "RFC 9700 OAuth 2.0 Security Best Current Practice §2.1.2, §2.4",
    "https://www.rfc-editor.org/rfc/rfc9700",
);
const OAS_SECURITY: (&str, &str) = (
    "OpenAPI 3.1 Security Scheme Object",
    "https://spec.openapis.org/oas/v3.1.0#security-scheme-object",
);
const RATELIMIT_DRAFT: (&str, &str) = (
    "IETF draft: RateLimit header fields for HTTP",
    "https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/",
);
const SPECTRAL_OWASP: (&str, &str) = (
    "Spectral OWASP ruleset",
    "https://github.com/stoplightio/spectral-owasp-ruleset",
);

#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    // API1: object level authorization
    Rule { id: "spec-numeric-id", severity: Medium, title: "An id parameter is an integer (guessable ids)",
        why: "Sequential integer ids let a caller walk every object (/users/1, /users/2, …); one missing ownership check then leaks all of them.",
        fix: "Use random ids that cannot be guessed (UUIDs or long random strings) for objects callers name, and still check ownership on every access.",
        refs: &[API1, SPECTRAL_OWASP] },
    // API2: authentication
    Rule { id: "spec-http-basic", severity: Medium, title: "A security scheme uses HTTP Basic",
        why: "Basic sends the password itself with every request, base64 only: any log, proxy or TLS-terminating hop that keeps headers keeps the password.",
        fix: "Use short-lived tokens (OAuth 2.0 or OpenID Connect bearer tokens) instead of sending passwords on every call.",
        refs: &[API2, SPECTRAL_OWASP] },
    Rule { id: "spec-apikey-in-url", severity: High, title: "An API key is sent in the URL",
        why: "Keys in the query string or path end up in server and proxy logs, browser history and Referer headers, where anyone who reads them can reuse the key.",
        fix: "Take the key in a header (`in: header`, e.g. X-API-Key) or a cookie, never in the URL.",
        refs: &[API2, OAS_SECURITY] },
    Rule { id: "spec-credential-in-url", severity: High, title: "A parameter in the URL carries a credential",
        why: "A token, password, secret or API key in a query or path parameter is written to logs, history and Referer headers, where it can be read and replayed.",
        fix: "Move credentials to the Authorization header (or a request body over TLS), and document them as a security scheme rather than a parameter.",
        refs: &[API2, SPECTRAL_OWASP] },
    Rule { id: "spec-sensitive-in-url", severity: Medium, title: "A parameter in the URL carries personal data",
        why: "Emails, phone numbers, national ids or card numbers in the URL are logged by every server and proxy on the way and kept in browser history.",
        fix: "Send personal data in the request body (POST a search) or refer to it by an opaque id.",
        refs: &[API3, API8] },
    Rule { id: "spec-insecure-auth-scheme", severity: High, title: "A security scheme uses an outdated HTTP authentication scheme",
        why: "Negotiate (NTLM) and OAuth 1 over the Authorization header are considered insecure: relayable challenges, weak signatures, no modern token handling.",
        fix: "Use bearer tokens from OAuth 2.0 or OpenID Connect.",
        refs: &[API2, ("IANA HTTP Authentication Schemes", "https://www.iana.org/assignments/http-authschemes/")] },
    Rule { id: "spec-jwt-no-rfc8725", severity: Low, title: "A JWT or OAuth 2 scheme does not say it follows RFC 8725",
        why: "JWT libraries that accept alg none, switch algorithms on the token's word or skip audience checks are common; a description that states the RFC 8725 profile tells implementers what must be refused.",
        fix: "Say in the scheme's description that tokens follow RFC 8725 (fixed algorithms, aud, iss and exp checked, alg none refused).",
        refs: &[API2, RFC8725, SPECTRAL_OWASP] },
    Rule { id: "spec-bearer-format-missing", severity: Info, title: "A bearer scheme does not name its token format",
        why: "Without bearerFormat, clients and reviewers cannot tell whether tokens are JWTs (to be validated as such) or opaque handles.",
        fix: "Add `bearerFormat: JWT` (or the format used) to the http bearer scheme.",
        refs: &[API2, OAS_SECURITY] },
    Rule { id: "spec-oauth-no-refresh", severity: Low, title: "An OAuth 2 flow has no refresh URL (long-lived access tokens)",
        why: "Without refresh tokens, access tokens tend to be long-lived, so a stolen token keeps working for a long time.",
        fix: "Issue short-lived access tokens with refresh tokens, and give each flow its refreshUrl.",
        refs: &[API2, SPECTRAL_OWASP] },
    Rule { id: "spec-oauth-implicit", severity: Medium, title: "An OAuth 2 scheme allows the implicit flow",
        why: "The implicit flow returns access tokens in the redirect URL, where history, logs and injected scripts can take them, and it cannot bind tokens to the client; the OAuth security BCP forbids it.",
        fix: "Use the authorization code flow with PKCE instead.",
        refs: &[API2, OAUTH_BCP] },
    Rule { id: "spec-oauth-password", severity: Medium, title: "An OAuth 2 scheme allows the password flow",
        why: "The resource owner password flow hands the user's password to the client and cannot carry multi-factor authentication; the OAuth security BCP forbids it.",
        fix: "Use the authorization code flow with PKCE (or client credentials for machine clients).",
        refs: &[API2, OAUTH_BCP] },
    Rule { id: "spec-oauth-url-http", severity: High, title: "An OAuth or OpenID Connect URL is plain http",
        why: "Codes, tokens and client secrets sent to an http authorization, token or discovery URL can be read and changed by anyone on the network path.",
        fix: "Use https URLs for authorizationUrl, tokenUrl, refreshUrl and openIdConnectUrl.",
        refs: &[API2, API8] },
    Rule { id: "spec-write-unprotected", severity: High, title: "A write operation needs no credentials",
        why: "POST, PUT, PATCH and DELETE without any security requirement let anyone change or delete data.",
        fix: "Add a security requirement to the operation (or globally), and make a public write operation an explicit, reviewed exception.",
        refs: &[API2, SPECTRAL_OWASP] },
    Rule { id: "spec-read-unprotected", severity: Medium, title: "A read operation needs no credentials",
        why: "GET and HEAD without any security requirement are readable by anyone; fine for a public catalogue, a leak for anything else.",
        fix: "Add a security requirement, or mark the operation public on purpose with `security: [{}]` and a description saying so.",
        refs: &[API2, SPECTRAL_OWASP] },
    Rule { id: "spec-optional-security", severity: Medium, title: "A security requirement allows anonymous calls ({})",
        why: "An empty object among the requirements means \"no credentials\" is one of the accepted alternatives, so the other schemes protect nothing.",
        fix: "Remove the empty requirement `{}` unless the operation is meant to be public, and then say so in its description.",
        refs: &[API2, ("OpenAPI 3.1 Security Requirement Object", "https://spec.openapis.org/oas/v3.1.0#security-requirement-object")] },
    Rule { id: "spec-undefined-scheme", severity: High, title: "A security requirement names a scheme that is not defined",
        why: "Tools and gateways that enforce the description cannot enforce a scheme that does not exist; the operation may end up open.",
        fix: "Define the scheme under components.securitySchemes (securityDefinitions in Swagger 2), or fix the name.",
        refs: &[API2, OAS_SECURITY] },
    Rule { id: "spec-undefined-scope", severity: Low, title: "A security requirement uses an OAuth scope no flow declares",
        why: "A scope that no flow grants is either a typo (and the check never passes or is skipped) or a privilege nobody reviewed.",
        fix: "Declare the scope in the scheme's flows, or fix its name.",
        refs: &[API5, OAS_SECURITY] },
    // API3: object property level authorization
    Rule { id: "spec-additional-properties", severity: Low, title: "A schema allows any additional property (additionalProperties: true)",
        why: "Unlisted fields are accepted or returned: in requests they are the door to mass assignment (role, is_admin), in responses they hide excessive data exposure.",
        fix: "Set `additionalProperties: false` (or `unevaluatedProperties: false` in 3.1) and list every property.",
        refs: &[API3, SPECTRAL_OWASP] },
    Rule { id: "spec-additional-properties-unbounded", severity: Low, title: "A schema allows additional properties without maxProperties",
        why: "A map of arbitrary keys with no limit on their number lets a caller send (or a server return) as many fields as they like: mass assignment and resource exhaustion.",
        fix: "Add `maxProperties`, or set additionalProperties (unevaluatedProperties) to false.",
        refs: &[API3, API4, SPECTRAL_OWASP] },
    Rule { id: "spec-mass-assignment", severity: Medium, title: "A request body object does not refuse unknown properties",
        why: "An object schema for a write request without `additionalProperties: false` accepts fields it does not list; servers that bind the body to a model then let callers set role, owner or price (mass assignment).",
        fix: "Give write request bodies `additionalProperties: false` (or `unevaluatedProperties: false`), mark server-set fields readOnly, and bind to an allow-list on the server.",
        refs: &[API3, ("OWASP Mass Assignment Cheat Sheet", "https://cheatsheetseries.owasp.org/cheatsheets/Mass_Assignment_Cheat_Sheet.html")] },
    Rule { id: "spec-request-no-schema", severity: Medium, title: "A request body has no schema",
        why: "Without a schema nothing (gateway, validator or reviewer) can tell what the operation accepts, so anything is accepted.",
        fix: "Give every request body media type a schema with its properties, types and limits.",
        refs: &[API3, API8] },
    Rule { id: "spec-response-no-schema", severity: Low, title: "A success response has content but no schema",
        why: "Without a response schema nobody can check that the API returns only what it should; excessive data exposure goes unnoticed (apiward spec check cannot compare fields either).",
        fix: "Give each success response's media type a schema listing the fields it returns.",
        refs: &[API3] },
    // API4: resource consumption
    Rule { id: "spec-rate-limit-headers", severity: Low, title: "A 2XX or 4XX response declares no rate-limit headers",
        why: "Rate limits that clients can see are rate limits that exist; a response that declares none suggests the operation has no limit at all.",
        fix: "Declare RateLimit (or RateLimit-Limit and RateLimit-Reset, or X-RateLimit-Limit) headers on 2XX and 4XX responses, and enforce the limit.",
        refs: &[API4, RATELIMIT_DRAFT, SPECTRAL_OWASP] },
    Rule { id: "spec-retry-after-missing", severity: Low, title: "A 429 response has no Retry-After header",
        why: "Without Retry-After, clients retry at once and keep the overload going.",
        fix: "Declare a Retry-After header on every 429 response.",
        refs: &[API4, ("RFC 9110 §10.2.3 Retry-After", "https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3")] },
    Rule { id: "spec-no-429", severity: Low, title: "An operation documents no 429 Too Many Requests response",
        why: "An operation that cannot answer 429 is probably not rate limited, so it can be called as fast as an attacker likes (brute force, scraping, cost).",
        fix: "Rate limit the operation and document its 429 response with content and a Retry-After header.",
        refs: &[API4, SPECTRAL_OWASP] },
    Rule { id: "spec-array-unbounded", severity: Low, title: "An array has no maxItems",
        why: "Unbounded arrays let one request carry (or one response return) millions of items: memory and CPU exhaustion.",
        fix: "Add `maxItems` to every array, and bound its items too.",
        refs: &[API4, SPECTRAL_OWASP] },
    Rule { id: "spec-string-unbounded", severity: Low, title: "A string has no maxLength, enum or const",
        why: "Strings without a length limit let a caller send megabytes in one field: storage, parsing and regex costs grow without bound.",
        fix: "Add `maxLength` (or an enum or const) to every string.",
        refs: &[API4, SPECTRAL_OWASP] },
    Rule { id: "spec-string-unrestricted", severity: Info, title: "A string has no format, pattern, enum or const",
        why: "A string that may hold anything is where injection payloads travel; a format or pattern lets the server (and gateways) refuse them early.",
        fix: "Add a `format` (uuid, date-time, email …), a `pattern`, an enum or a const.",
        refs: &[API4, API8, SPECTRAL_OWASP] },
    Rule { id: "spec-number-unbounded", severity: Low, title: "An integer or number has no minimum or maximum",
        why: "Unbounded numbers allow negative quantities, huge page sizes and loop counts: business logic abuse and resource exhaustion.",
        fix: "Add `minimum` and `maximum` (or their exclusive forms) to every integer and number.",
        refs: &[API4, SPECTRAL_OWASP] },
    Rule { id: "spec-integer-format", severity: Info, title: "An integer has no format (int32 or int64)",
        why: "Without a format, clients and servers may disagree on the range, and overflow on values the other side accepts.",
        fix: "Add `format: int32` or `format: int64`.",
        refs: &[API4, SPECTRAL_OWASP] },
    // API5: function level authorization
    Rule { id: "spec-admin-same-security", severity: Medium, title: "An admin operation has the same security as ordinary ones",
        why: "An admin path that any caller with ordinary credentials satisfies is protected by obscurity only: privilege escalation is one URL away.",
        fix: "Require a different scheme or an admin scope (e.g. `[admin]`) on admin operations, and check it on the server.",
        refs: &[API5, SPECTRAL_OWASP] },
    // API7: server-side request forgery
    Rule { id: "spec-url-parameter", severity: Info, title: "A parameter takes a URL (review for SSRF)",
        why: "Parameters named url, callback or redirect are where servers fetch or redirect to what the caller names, which reaches internal services (SSRF) or phishing sites (open redirect).",
        fix: "Allow-list the destinations, refuse private and loopback addresses after resolving, and never follow redirects blindly.",
        refs: &[API7, SPECTRAL_OWASP] },
    // API8: misconfiguration
    Rule { id: "spec-server-http", severity: High, title: "A server is plain http",
        why: "Everything sent to an http server, tokens and personal data included, can be read and changed by anyone on the network path.",
        fix: "Serve the API over https only (and redirect or refuse http).",
        refs: &[API8, ("OWASP Transport Layer Security Cheat Sheet", "https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html")] },
    Rule { id: "spec-cors-undefined", severity: Info, title: "Response headers do not declare Access-Control-Allow-Origin",
        why: "A response that documents its headers but not its CORS policy leaves the browser-facing policy to chance; a permissive one is easy to ship by default.",
        fix: "Declare Access-Control-Allow-Origin on responses, with the exact origins allowed.",
        refs: &[API8, ("MDN: CORS", "https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS")] },
    Rule { id: "spec-no-400", severity: Low, title: "An operation documents no 400, 422 or 4XX response",
        why: "An operation that never rejects bad input probably does not validate it; and undocumented errors tend to leak stack traces.",
        fix: "Validate input and document the 400 (or 422) answer with an error schema.",
        refs: &[API8, SPECTRAL_OWASP] },
    Rule { id: "spec-no-401", severity: Low, title: "An operation documents no 401 response with content",
        why: "Without a documented 401 nobody can test that missing or bad credentials are refused, nor that the refusal leaks nothing.",
        fix: "Document a 401 response with an error schema.",
        refs: &[API8, API2, SPECTRAL_OWASP] },
    Rule { id: "spec-no-403", severity: Low, title: "A secured operation documents no 403 response",
        why: "An operation with credentials but no 403 suggests every authenticated caller may use it: authorization may be missing.",
        fix: "Check the caller's rights and document the 403 response.",
        refs: &[API5, API1] },
    Rule { id: "spec-no-500", severity: Info, title: "An operation documents no 500 response with content",
        why: "Undocumented server errors are where stack traces, SQL and internal addresses leak; a documented error schema can be checked.",
        fix: "Document a 500 response with a generic error schema (message and request id only).",
        refs: &[API8, SPECTRAL_OWASP] },
    // API9: inventory
    Rule { id: "spec-server-audience", severity: Low, title: "A server does not say whether it is internal (x-internal)",
        why: "Without a declared audience, internal servers get published with public documentation and become part of the attack surface.",
        fix: "Give each server `x-internal: true` or `x-internal: false`.",
        refs: &[API9, SPECTRAL_OWASP] },
    Rule { id: "spec-server-environment", severity: Low, title: "A server does not say which environment it is",
        why: "Unlabelled servers mix test, staging and production: test data or weaker staging security become reachable.",
        fix: "Name the environment (production, staging, sandbox, local …) in each server's description.",
        refs: &[API9, SPECTRAL_OWASP] },
    Rule { id: "spec-version-prerelease", severity: Info, title: "info.version is a pre-release or 0.x version",
        why: "A description versioned 0.x, alpha, beta, rc, draft or snapshot documents an API whose contract is not settled, often deployed beside the real one and forgotten.",
        fix: "Release a stable version (1.0.0 and up) and retire pre-release deployments.",
        refs: &[API9] },
    Rule { id: "spec-old-api-version", severity: Medium, title: "An older API version is still served beside a newer one",
        why: "Old versions keep old bugs and weaker checks and are rarely monitored; attackers go for /v1 when /v2 is hardened.",
        fix: "Retire the old version (410 Gone), or mark its operations deprecated with a sunset date and give them the same security as the new.",
        refs: &[API9] },
];

/// The rule with `id`.
pub fn rule(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| unreachable!("spec lint rule {id} is in the table"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_prefixed_and_every_rule_explains_itself() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        for r in RULES {
            assert!(r.id.starts_with("spec-"), "{}", r.id);
            assert!(
                !r.why.is_empty() && !r.fix.is_empty() && !r.refs.is_empty(),
                "{}",
                r.id
            );
            assert!(r.refs.iter().all(|(_, url)| url.starts_with("https://")));
        }
        assert_eq!(rule("spec-server-http").severity, High);
    }
}
