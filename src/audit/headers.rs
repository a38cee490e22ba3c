//! Security headers: the Observatory's header tests (scored) and apiward's API checks
//! (findings only). Pure functions over a response already received, so the request builder
//! can run them on any response too.

use reqwest::header::HeaderMap;

use super::rules::finding;
use super::scoring::ScoredTest;
use super::{cookies, csp};
use crate::findings::Finding;

/// The Observatory's HSTS threshold: 180 days, a little under six months (15,768,000 s),
/// because so many sites send 15552000 that the Observatory counts it as six months.
pub const HSTS_MIN_AGE: u64 = 15_552_000;

/// Scored tests and the findings that explain them.
#[derive(Debug, Clone, Default)]
pub struct HeaderCheck {
    pub tests: Vec<ScoredTest>,
    pub findings: Vec<Finding>,
}

/// The first value of a header, as text (lossy: odd bytes must not hide a header).
pub fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().unwrap_or("").trim())
}

/// Every value of a header joined with ", ", as the Observatory's HTTP client (Node's) hands
/// a repeated header to its tests: a second HSTS or X-Frame-Options then reads as invalid, and a
/// second Referrer-Policy or CSP as one more entry of a list.
pub fn joined(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// Every finding the headers alone give: the scored security headers, cookies, and the API
/// checks that need no request context.
pub fn check_headers(headers: &HeaderMap, is_https: bool) -> Vec<Finding> {
    let mut findings = score_headers(headers, is_https).findings;
    let set_cookies: Vec<&str> = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    findings.extend(cookies::check_cookies(&set_cookies));
    findings.extend(check_api_headers(headers));
    findings
}

/// The Observatory's header tests: CSP, HSTS, X-Frame-Options, X-Content-Type-Options,
/// Referrer-Policy, CORP, and (unscored) COOP and COEP.
pub fn score_headers(headers: &HeaderMap, is_https: bool) -> HeaderCheck {
    let mut out = HeaderCheck::default();
    let csp_values: Vec<&str> = headers
        .get_all("content-security-policy")
        .iter()
        .map(|v| v.to_str().unwrap_or("").trim())
        .collect();
    let report_only = headers.contains_key("content-security-policy-report-only");
    let (test, findings, policy) = csp::check(&csp_values, report_only, is_https);
    out.tests.push(test);
    out.findings.extend(findings);
    hsts(headers, is_https, &mut out);
    let frame_ancestors = policy
        .as_ref()
        .is_some_and(|p| p.contains_key("frame-ancestors"));
    xfo(headers, frame_ancestors, &mut out);
    xcto(headers, &mut out);
    referrer(headers, &mut out);
    cross_origin(headers, &mut out);
    out
}

/// Max-age of a parsable HSTS header.
pub fn hsts_max_age(value: &str) -> Option<u64> {
    value.split(';').find_map(|part| {
        let (k, v) = part.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| v.trim().trim_matches('"').parse().ok())?
    })
}

/// The HSTS result for an https response's header: the name and, for a problem, the finding.
pub fn hsts_result(value: Option<&str>) -> (&'static str, Option<Finding>) {
    let Some(v) = value else {
        let f = finding("hsts-missing", "no Strict-Transport-Security header");
        return ("hsts-not-implemented", Some(f));
    };
    // A comma means the header came twice: browsers then ignore it.
    match hsts_max_age(v).filter(|_| !v.contains(',')) {
        None => (
            "hsts-header-invalid",
            Some(finding(
                "hsts-invalid",
                format!("Strict-Transport-Security: {v}"),
            )),
        ),
        Some(age) if age < HSTS_MIN_AGE => (
            "hsts-implemented-max-age-less-than-six-months",
            Some(finding(
                "hsts-short",
                format!("max-age={age} (under {HSTS_MIN_AGE})"),
            )),
        ),
        Some(_) => ("hsts-implemented-max-age-at-least-six-months", None),
    }
}

fn hsts(headers: &HeaderMap, is_https: bool, out: &mut HeaderCheck) {
    let value = joined(headers, "strict-transport-security");
    let result = match (is_https, value) {
        // Browsers ignore HSTS sent over http, so the header cannot count there; nor is it
        // a finding of its own: hsts-missing is about https answers (its title says so), and
        // plain http is what http-no-redirect and credentials-over-http report.
        (false, _) => "hsts-not-implemented-no-https",
        (true, value) => {
            let (result, f) = hsts_result(value.as_deref());
            out.findings.extend(f);
            result
        }
    };
    out.tests.push(ScoredTest::new(result));
}

fn xfo(headers: &HeaderMap, frame_ancestors: bool, out: &mut HeaderCheck) {
    let value = joined(headers, "x-frame-options");
    let result = if frame_ancestors {
        "x-frame-options-implemented-via-csp"
    } else {
        match value.map(|v| v.to_ascii_lowercase()) {
            None => {
                out.findings.push(finding(
                    "xfo-missing",
                    "no X-Frame-Options header and no CSP frame-ancestors",
                ));
                "x-frame-options-not-implemented"
            }
            Some(v) if v == "deny" || v == "sameorigin" => "x-frame-options-sameorigin-or-deny",
            Some(v) if v.starts_with("allow-from") => "x-frame-options-allow-from-origin",
            Some(v) => {
                out.findings
                    .push(finding("xfo-invalid", format!("X-Frame-Options: {v}")));
                "x-frame-options-header-invalid"
            }
        }
    };
    out.tests.push(ScoredTest::new(result));
}

fn xcto(headers: &HeaderMap, out: &mut HeaderCheck) {
    let result = match joined(headers, "x-content-type-options") {
        None => {
            out.findings
                .push(finding("xcto-missing", "no X-Content-Type-Options header"));
            "x-content-type-options-not-implemented"
        }
        Some(v) if v.eq_ignore_ascii_case("nosniff") => "x-content-type-options-nosniff",
        Some(v) => {
            out.findings.push(finding(
                "xcto-invalid",
                format!("X-Content-Type-Options: {v}"),
            ));
            "x-content-type-options-header-invalid"
        }
    };
    out.tests.push(ScoredTest::new(result));
}

fn referrer(headers: &HeaderMap, out: &mut HeaderCheck) {
    const PRIVATE: &[&str] = &[
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    ];
    // no-referrer-when-downgrade sends the full URL to every https site: unsafe since the
    // Observatory's 2024 rewrite.
    const UNSAFE: &[&str] = &[
        "origin",
        "origin-when-cross-origin",
        "unsafe-url",
        "no-referrer-when-downgrade",
    ];
    let Some(value) = joined(headers, "referrer-policy") else {
        out.tests
            .push(ScoredTest::new("referrer-policy-not-implemented"));
        return;
    };
    // Browsers use the last value they recognise in a comma-separated list.
    let chosen = value
        .split(',')
        .map(|v| v.trim().to_ascii_lowercase())
        .rfind(|v| PRIVATE.contains(&v.as_str()) || UNSAFE.contains(&v.as_str()));
    let result = match chosen.as_deref() {
        Some(v) if PRIVATE.contains(&v) => "referrer-policy-private",
        Some(v) => {
            out.findings.push(finding(
                "referrer-policy-unsafe",
                format!("Referrer-Policy: {v}"),
            ));
            "referrer-policy-unsafe"
        }
        None => {
            out.findings.push(finding(
                "referrer-policy-invalid",
                format!("Referrer-Policy: {value}"),
            ));
            "referrer-policy-header-invalid"
        }
    };
    out.tests.push(ScoredTest::new(result));
}

fn cross_origin(headers: &HeaderMap, out: &mut HeaderCheck) {
    let corp = match joined(headers, "cross-origin-resource-policy").map(|v| v.to_ascii_lowercase())
    {
        None => {
            out.findings.push(finding(
                "corp-missing",
                "no Cross-Origin-Resource-Policy header",
            ));
            "corp-not-implemented"
        }
        Some(v) if v == "same-origin" => "corp-implemented-with-same-origin",
        Some(v) if v == "same-site" => "corp-implemented-with-same-site",
        Some(v) if v == "cross-origin" => "corp-implemented-with-cross-origin",
        Some(v) => {
            out.findings.push(finding(
                "corp-invalid",
                format!("Cross-Origin-Resource-Policy: {v}"),
            ));
            "corp-header-invalid"
        }
    };
    out.tests.push(ScoredTest::new(corp));
    for (name, id, set, unset) in [
        (
            "cross-origin-opener-policy",
            "coop-missing",
            "coop-implemented",
            "coop-not-implemented",
        ),
        (
            "cross-origin-embedder-policy",
            "coep-missing",
            "coep-implemented",
            "coep-not-implemented",
        ),
    ] {
        if header(headers, name).is_some() {
            out.tests.push(ScoredTest::new(set));
        } else {
            out.findings.push(finding(id, format!("no {name} header")));
            out.tests.push(ScoredTest::new(unset));
        }
    }
}

/// Headers that name the software behind the API. Server only counts when it has a version.
const LEAKY: &[&str] = &[
    "x-powered-by",
    "x-aspnet-version",
    "x-aspnetmvc-version",
    "x-generator",
    "x-runtime",
    "x-version",
];

/// API checks on headers alone: information leaks, Permissions-Policy, rate-limit headers.
pub fn check_api_headers(headers: &HeaderMap) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut leaks: Vec<String> = LEAKY
        .iter()
        .filter_map(|name| header(headers, name).map(|v| format!("{name}: {v}")))
        .collect();
    if let Some(server) =
        header(headers, "server").filter(|v| v.chars().any(|c| c.is_ascii_digit()))
    {
        leaks.insert(0, format!("server: {server}"));
    }
    if !leaks.is_empty() {
        findings.push(finding("info-leak-header", leaks.join("; ")));
    }
    if header(headers, "permissions-policy").is_none() {
        findings.push(finding(
            "permissions-policy-missing",
            "no Permissions-Policy header",
        ));
    }
    let rate_limited = headers.keys().any(|k| {
        let k = k.as_str();
        k == "ratelimit"
            || k == "ratelimit-policy"
            || k == "retry-after"
            || k.starts_with("x-ratelimit-")
            || k.starts_with("ratelimit-")
    });
    if !rate_limited {
        findings.push(finding(
            "rate-limit-headers-missing",
            "no RateLimit, RateLimit-Policy, X-RateLimit-* or Retry-After header",
        ));
    }
    findings
}

/// `cache-control-missing` when a response to an authenticated request may be stored.
pub fn check_cache_control(headers: &HeaderMap, authenticated: bool) -> Option<Finding> {
    if !authenticated {
        return None;
    }
    let value = header(headers, "cache-control").unwrap_or("");
    let no_store = value
        .split(',')
        .any(|d| d.trim().eq_ignore_ascii_case("no-store"));
    (!no_store).then(|| {
        let seen = if value.is_empty() {
            "no Cache-Control header".to_string()
        } else {
            format!("Cache-Control: {value}")
        };
        finding(
            "cache-control-missing",
            format!("{seen} on a response to an authenticated request"),
        )
    })
}

/// `json-content-type` when the body is JSON but the Content-Type does not say so.
pub fn check_json_content_type(headers: &HeaderMap, body: &[u8]) -> Option<Finding> {
    let ct = header(headers, "content-type").unwrap_or("");
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let is_json = mime == "application/json" || mime.ends_with("+json") || mime.ends_with("/json");
    // Labelled JSON needs no look at the body. Otherwise validate without building a Value,
    // which for a 20 MB body would cost hundreds of megabytes.
    let trimmed = body.trim_ascii_start();
    if is_json
        || !matches!(trimmed.first(), Some(b'{' | b'['))
        || serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err()
    {
        return None;
    }
    Some({
        let seen = if ct.is_empty() {
            "no Content-Type".to_string()
        } else {
            format!("Content-Type: {ct}")
        };
        finding(
            "json-content-type",
            format!("a JSON body served with {seen}"),
        )
    })
}

#[cfg(test)]
#[path = "headers_tests.rs"]
mod tests;
