//! The Observatory-style header score: one modifier table, the two-round sum and the grades.
//!
//! The table follows the MDN HTTP Observatory's `src/grader/charts.js` (`SCORE_TABLE`) of
//! release 1.5.0 and later (X-Frame-Options re-scored to +5, CORP same-origin/same-site +10,
//! no-referrer-when-downgrade counted as unsafe); docs/audit.md says how to check it against a
//! newer release. Result names are the Observatory's own, so a score can be compared line by
//! line with the Observatory's.
//!
//! Round one applies every penalty to 100; round two adds the bonuses only when round one
//! left at least 90. The score never drops below 0 and is rounded down to a multiple of 5.

use serde::Serialize;

/// One line of the modifier table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Modifier {
    /// The Observatory test, e.g. `content-security-policy`.
    pub test: &'static str,
    /// The Observatory result name, e.g. `csp-not-implemented`.
    pub result: &'static str,
    pub modifier: i32,
    pub description: &'static str,
}

macro_rules! m {
    ($test:literal, $result:literal, $modifier:expr, $desc:literal) => {
        Modifier {
            test: $test,
            result: $result,
            modifier: $modifier,
            description: $desc,
        }
    };
}

#[rustfmt::skip]
pub const MODIFIERS: &[Modifier] = &[
    m!("content-security-policy", "csp-implemented-with-no-unsafe-default-src-none", 10, "CSP implemented with default-src 'none' and no 'unsafe-inline' or 'unsafe-eval'"),
    m!("content-security-policy", "csp-implemented-with-no-unsafe", 5, "CSP implemented without 'unsafe-inline' or 'unsafe-eval'"),
    m!("content-security-policy", "csp-implemented-with-unsafe-inline-in-style-src-only", 0, "CSP implemented with unsafe sources inside style-src only"),
    m!("content-security-policy", "csp-implemented-with-insecure-scheme-in-passive-content-only", -10, "CSP implemented, but a secure site allows images or media over http"),
    m!("content-security-policy", "csp-implemented-with-unsafe-eval", -10, "CSP implemented, but allows 'unsafe-eval'"),
    m!("content-security-policy", "csp-implemented-with-insecure-scheme", -20, "CSP implemented, but a secure site allows resources over http"),
    m!("content-security-policy", "csp-implemented-with-unsafe-inline", -20, "CSP implemented unsafely ('unsafe-inline', data: or broad sources in script-src/object-src, or no restriction on them)"),
    m!("content-security-policy", "csp-implemented-but-duplicate-directives", 0, "CSP implemented, but a report directive is repeated"),
    m!("content-security-policy", "csp-header-invalid", -25, "CSP header cannot be parsed successfully"),
    m!("content-security-policy", "csp-not-implemented-but-reporting-enabled", -25, "Only Content-Security-Policy-Report-Only is set, which enforces nothing"),
    m!("content-security-policy", "csp-not-implemented", -25, "CSP header not implemented"),

    m!("cookies", "cookies-secure-with-httponly-sessions-and-samesite", 5, "All cookies use Secure, session cookies use HttpOnly, and SameSite is set"),
    m!("cookies", "cookies-not-found", 0, "No cookies detected"),
    m!("cookies", "cookies-secure-with-httponly-sessions", 0, "All cookies use Secure and session cookies use HttpOnly"),
    m!("cookies", "cookies-without-secure-flag-but-protected-by-hsts", -5, "Cookies set without Secure, but http prevented by HSTS"),
    m!("cookies", "cookies-session-without-secure-flag-but-protected-by-hsts", -10, "Session cookie set without Secure, but http prevented by HSTS"),
    m!("cookies", "cookies-without-secure-flag", -20, "Cookies set without the Secure flag"),
    m!("cookies", "cookies-samesite-flag-invalid", -20, "Cookies use SameSite, but set to something other than Strict, Lax or None"),
    m!("cookies", "cookies-anticsrf-without-samesite-flag", -20, "Anti-CSRF tokens set without the SameSite flag"),
    m!("cookies", "cookies-session-without-httponly-flag", -30, "Session cookie set without the HttpOnly flag"),
    m!("cookies", "cookies-session-without-secure-flag", -40, "Session cookie set without the Secure flag"),

    m!("cross-origin-resource-sharing", "cross-origin-resource-sharing-not-implemented", 0, "Content is not visible via CORS"),
    m!("cross-origin-resource-sharing", "cross-origin-resource-sharing-implemented-with-public-access", 0, "Public content is visible via CORS (Access-Control-Allow-Origin: *)"),
    m!("cross-origin-resource-sharing", "cross-origin-resource-sharing-implemented-with-restricted-access", 0, "Content is visible via CORS, restricted to specific domains"),
    m!("cross-origin-resource-sharing", "cross-origin-resource-sharing-implemented-with-universal-access", -50, "Content is visible via CORS to any origin, with credentials"),

    m!("redirection", "redirection-to-https", 0, "Initial redirection is to https on the same host, final destination is https"),
    m!("redirection", "redirection-not-needed-no-http", 0, "Not able to connect via http, so no redirection necessary"),
    m!("redirection", "redirection-off-host-from-http", -5, "Initial redirection from http to https is to a different host, preventing HSTS"),
    m!("redirection", "redirection-not-to-https-on-initial-redirection", -10, "Redirects to https eventually, but the initial redirection is to another http URL"),
    m!("redirection", "redirection-missing", -20, "Does not redirect to an https site"),
    m!("redirection", "redirection-invalid-cert", -20, "Invalid certificate chain encountered during redirection"),
    m!("redirection", "redirection-not-to-https", -20, "Redirects, but the final destination is not an https URL"),

    m!("referrer-policy", "referrer-policy-private", 5, "Referrer-Policy set to no-referrer, same-origin, strict-origin or strict-origin-when-cross-origin"),
    m!("referrer-policy", "referrer-policy-not-implemented", 0, "Referrer-Policy header not implemented"),
    m!("referrer-policy", "referrer-policy-unsafe", -5, "Referrer-Policy unsafely set to origin, origin-when-cross-origin, unsafe-url or no-referrer-when-downgrade"),
    m!("referrer-policy", "referrer-policy-header-invalid", -5, "Referrer-Policy header cannot be recognized"),

    // hsts-preloaded (+5) needs the Chromium preload list, which apiward does not ship, so
    // it is never awarded.
    m!("strict-transport-security", "hsts-preloaded", 5, "Preloaded via the HSTS preloading process"),
    m!("strict-transport-security", "hsts-implemented-max-age-at-least-six-months", 0, "HSTS header set to a minimum of six months (15552000)"),
    m!("strict-transport-security", "hsts-implemented-max-age-less-than-six-months", -10, "HSTS header set to less than six months (15552000)"),
    m!("strict-transport-security", "hsts-not-implemented", -20, "HSTS header not implemented"),
    m!("strict-transport-security", "hsts-not-implemented-no-https", -20, "HSTS header cannot be set for sites not available over https"),
    m!("strict-transport-security", "hsts-header-invalid", -20, "HSTS header cannot be recognized (a repeated header included)"),
    m!("strict-transport-security", "hsts-invalid-cert", -20, "HSTS header cannot be set, as the site's certificate chain is invalid"),

    m!("subresource-integrity", "sri-implemented-and-all-scripts-loaded-securely", 5, "SRI implemented and all scripts loaded from a similar origin"),
    m!("subresource-integrity", "sri-implemented-and-external-scripts-loaded-securely", 5, "SRI implemented and all scripts loaded securely"),
    m!("subresource-integrity", "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0, "SRI not implemented as all scripts are loaded from a similar origin"),
    m!("subresource-integrity", "sri-not-implemented-but-no-scripts-loaded", 0, "SRI not needed since the page loads no scripts"),
    m!("subresource-integrity", "sri-not-implemented-response-not-html", 0, "SRI is only needed for HTML resources"),
    m!("subresource-integrity", "sri-not-implemented-but-external-scripts-loaded-securely", -5, "SRI not implemented, but all external scripts are loaded over https"),
    m!("subresource-integrity", "sri-implemented-but-external-scripts-not-loaded-securely", -20, "SRI implemented, but external scripts are loaded over http"),
    m!("subresource-integrity", "sri-not-implemented-and-external-scripts-not-loaded-securely", -50, "SRI not implemented, and external scripts are loaded over http"),

    m!("x-content-type-options", "x-content-type-options-nosniff", 0, "X-Content-Type-Options set to nosniff"),
    m!("x-content-type-options", "x-content-type-options-not-implemented", -5, "X-Content-Type-Options header not implemented"),
    m!("x-content-type-options", "x-content-type-options-header-invalid", -5, "X-Content-Type-Options header cannot be recognized"),

    m!("x-frame-options", "x-frame-options-implemented-via-csp", 5, "X-Frame-Options implemented via the CSP frame-ancestors directive"),
    m!("x-frame-options", "x-frame-options-sameorigin-or-deny", 5, "X-Frame-Options set to SAMEORIGIN or DENY"),
    m!("x-frame-options", "x-frame-options-allow-from-origin", 0, "X-Frame-Options uses ALLOW-FROM uri"),
    m!("x-frame-options", "x-frame-options-not-implemented", -20, "X-Frame-Options header not implemented"),
    m!("x-frame-options", "x-frame-options-header-invalid", -20, "X-Frame-Options header cannot be recognized"),

    m!("cross-origin-resource-policy", "corp-implemented-with-same-origin", 10, "CORP set to same-origin, which prevents leaks into cross-origin contexts"),
    m!("cross-origin-resource-policy", "corp-implemented-with-same-site", 10, "CORP set to same-site, which prevents leaks into cross-site contexts"),
    m!("cross-origin-resource-policy", "corp-implemented-with-cross-origin", 0, "CORP set to cross-origin"),
    m!("cross-origin-resource-policy", "corp-not-implemented", 0, "CORP header not implemented"),
    m!("cross-origin-resource-policy", "corp-header-invalid", -5, "CORP header cannot be recognized"),

    // The Observatory does not score COOP or COEP: they are reported for information with a
    // modifier of 0 so the table still lists every header apiward looks at.
    m!("cross-origin-opener-policy", "coop-implemented", 0, "Cross-Origin-Opener-Policy set (not scored by the Observatory)"),
    m!("cross-origin-opener-policy", "coop-not-implemented", 0, "Cross-Origin-Opener-Policy not set (not scored by the Observatory)"),
    m!("cross-origin-embedder-policy", "coep-implemented", 0, "Cross-Origin-Embedder-Policy set (not scored by the Observatory)"),
    m!("cross-origin-embedder-policy", "coep-not-implemented", 0, "Cross-Origin-Embedder-Policy not set (not scored by the Observatory)"),
];

/// The table line for a result name. Panics on an unknown name: results are compile-time
/// constants, so that is a bug the tests catch.
pub fn lookup(result: &str) -> &'static Modifier {
    MODIFIERS
        .iter()
        .find(|m| m.result == result)
        .unwrap_or_else(|| panic!("no Observatory result '{result}'"))
}

/// One scored test in a report: which test, its result and the points it moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoredTest {
    pub test: &'static str,
    pub result: &'static str,
    pub modifier: i32,
    pub description: &'static str,
}

impl ScoredTest {
    pub fn new(result: &str) -> Self {
        let m = lookup(result);
        Self {
            test: m.test,
            result: m.result,
            modifier: m.modifier,
            description: m.description,
        }
    }
}

/// The score for a set of test results: penalties first, bonuses only from 90 up, floor 0,
/// rounded down to a multiple of 5.
pub fn score(tests: &[ScoredTest]) -> u32 {
    let penalties: i32 = tests.iter().map(|t| t.modifier.min(0)).sum();
    let bonuses: i32 = tests.iter().map(|t| t.modifier.max(0)).sum();
    let mut score = 100 + penalties;
    if score >= 90 {
        score += bonuses;
    }
    let score = score.max(0) as u32;
    score - score % 5
}

/// The letter grade for a score, per the Observatory's grading chart.
pub fn grade(score: u32) -> &'static str {
    const CHART: &[(u32, &str)] = &[
        (100, "A+"),
        (90, "A"),
        (85, "A-"),
        (80, "B+"),
        (70, "B"),
        (65, "B-"),
        (60, "C+"),
        (50, "C"),
        (45, "C-"),
        (40, "D+"),
        (30, "D"),
        (25, "D-"),
    ];
    CHART
        .iter()
        .find(|(min, _)| score >= *min)
        .map_or("F", |(_, g)| g)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(results: &[&str]) -> u32 {
        score(
            &results
                .iter()
                .map(|r| ScoredTest::new(r))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn every_result_is_unique_and_modifiers_are_multiples_of_five() {
        let mut seen = std::collections::HashSet::new();
        for m in MODIFIERS {
            assert!(seen.insert(m.result), "duplicate {}", m.result);
            assert_eq!(m.modifier % 5, 0, "{}", m.result);
        }
    }

    #[test]
    fn bonuses_only_count_from_ninety() {
        // 100 - 10 = 90, so the +10 and +5 bonuses apply: 105.
        assert_eq!(
            s(&[
                "hsts-implemented-max-age-less-than-six-months",
                "csp-implemented-with-no-unsafe-default-src-none",
                "referrer-policy-private"
            ]),
            105
        );
        // 100 - 20 = 80 < 90: the +10 bonus is ignored.
        assert_eq!(
            s(&[
                "x-frame-options-not-implemented",
                "csp-implemented-with-no-unsafe-default-src-none"
            ]),
            80
        );
        // The floor is 0.
        assert_eq!(
            s(&[
                "csp-not-implemented",
                "cookies-session-without-secure-flag",
                "cross-origin-resource-sharing-implemented-with-universal-access"
            ]),
            0
        );
    }

    #[test]
    fn grades_follow_the_observatory_chart() {
        let cases = [
            (145, "A+"),
            (100, "A+"),
            (95, "A"),
            (90, "A"),
            (85, "A-"),
            (80, "B+"),
            (75, "B"),
            (70, "B"),
            (65, "B-"),
            (60, "C+"),
            (55, "C"),
            (50, "C"),
            (45, "C-"),
            (40, "D+"),
            (35, "D"),
            (30, "D"),
            (25, "D-"),
            (20, "F"),
            (0, "F"),
        ];
        for (score, want) in cases {
            assert_eq!(grade(score), want, "score {score}");
        }
    }
}
