//! Tests of the header checks, and the Observatory scoring table: header sets whose scores
//! are worked out by hand from the modifier table in `scoring.rs`.

use super::*;
use crate::audit::scoring::{ScoredTest, grade, score};

/// Name, response headers, https, expected score and grade.
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], bool, u32, &'a str);

fn map(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.append(
            reqwest::header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    h
}

fn ids(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.id.as_str()).collect()
}

/// Headers only (no cookies, CORS, redirect or SRI tests: each of those would add 0 here).
fn scored(pairs: &[(&str, &str)], https: bool) -> (u32, &'static str) {
    let check = score_headers(&map(pairs), https);
    let s = score(&check.tests);
    (s, grade(s))
}

const GOOD: &[(&str, &str)] = &[
    (
        "content-security-policy",
        "default-src 'none'; frame-ancestors 'none'",
    ),
    (
        "strict-transport-security",
        "max-age=63072000; includeSubDomains",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-resource-policy", "same-origin"),
];

#[test]
fn observatory_scoring_table() {
    #[rustfmt::skip]
    let cases: &[Case] = &[
        // -25 csp, -20 hsts, -20 xfo, -5 xcto = 30: D.
        ("nothing over https", &[], true, 30, "D"),
        // Same penalties over http (hsts-not-implemented-no-https is also -20).
        ("nothing over http", &[], false, 30, "D"),
        // No penalties; bonuses +10 (default-src none), +5 (frame-ancestors), +5 (referrer),
        // +10 (CORP same-origin) = 130.
        ("everything right", GOOD, true, 130, "A+"),
        // Repeated HSTS and X-Frame-Options read as invalid (-20 each): 60; the bonuses of
        // the CSP and the referrer policy do not count under 90.
        ("repeated headers", &[
            ("content-security-policy", "default-src 'none'"),
            ("strict-transport-security", "max-age=63072000"),
            ("strict-transport-security", "max-age=63072000"),
            ("x-frame-options", "DENY"),
            ("x-frame-options", "DENY"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "no-referrer"),
        ], true, 60, "C+"),
        // X-Frame-Options DENY is +5 since the Observatory's 1.5.0: 100 + 10 + 5 + 5 = 120.
        ("xfo deny", &[
            ("content-security-policy", "default-src 'none'"),
            ("strict-transport-security", "max-age=63072000"),
            ("x-frame-options", "DENY"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "no-referrer"),
        ], true, 120, "A+"),
        // -10 for a short HSTS leaves 90, so the +20 of bonuses still count: 110.
        ("short hsts", &[
            ("content-security-policy", "default-src 'none'; frame-ancestors 'none'"),
            ("strict-transport-security", "max-age=300"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "no-referrer"),
        ], true, 110, "A+"),
        // -20 unsafe-inline: 80 < 90, so +5 frame-ancestors and +5 referrer are dropped: 80 B+.
        ("unsafe inline", &[
            ("content-security-policy", "default-src 'self' 'unsafe-inline'; frame-ancestors 'none'"),
            ("strict-transport-security", "max-age=63072000"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "no-referrer"),
        ], true, 80, "B+"),
        // -25 csp, xfo DENY 0, -5 referrer unsafe, xcto 0, hsts 0: 70 B.
        ("no csp, unsafe referrer", &[
            ("strict-transport-security", "max-age=63072000"),
            ("x-frame-options", "DENY"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "unsafe-url"),
        ], true, 70, "B"),
        // csp +5 (no unsafe, not none) but -10 unsafe-eval wins: -10; -20 hsts invalid;
        // -5 xcto invalid; -5 corp invalid; xfo SAMEORIGIN 0: 60 C+.
        ("invalid values", &[
            ("content-security-policy", "default-src 'self' 'unsafe-eval'"),
            ("strict-transport-security", "includeSubDomains"),
            ("x-frame-options", "SAMEORIGIN"),
            ("x-content-type-options", "yes"),
            ("cross-origin-resource-policy", "everyone"),
        ], true, 60, "C+"),
        // -25 csp invalid, -20 hsts, -20 xfo invalid, -5 xcto, -5 referrer invalid: 25 D-.
        ("garbage everywhere", &[
            ("content-security-policy", "!!!"),
            ("x-frame-options", "maybe"),
            ("referrer-policy", "whatever"),
        ], true, 25, "D-"),
    ];
    for (name, headers, https, want_score, want_grade) in cases {
        assert_eq!(
            scored(headers, *https),
            (*want_score, *want_grade),
            "{name}"
        );
    }
}

/// The test, the response headers, and the result the Observatory expects.
type TestCase<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);

/// The result of one scored test for a header set.
fn result_of(test: &str, pairs: &[(&str, &str)]) -> ScoredTest {
    score_headers(&map(pairs), true)
        .tests
        .into_iter()
        .find(|t| t.test == test)
        .unwrap()
}

/// Per-analyser tables from the Observatory's unit tests (test/strict-transport-security,
/// x-frame-options, x-content-type-options, referrer-policy, cross-origin-resource-policy
/// .test.js): the headers, and the result the Observatory expects, whose modifier apiward must
/// give too.
#[test]
fn every_observatory_header_case_gets_the_observatorys_result_and_modifier() {
    #[rustfmt::skip]
    let cases: &[TestCase] = &[
        ("strict-transport-security", &[], "hsts-not-implemented"),
        ("strict-transport-security", &[("strict-transport-security", "includeSubDomains; preload")], "hsts-header-invalid"),
        ("strict-transport-security", &[("strict-transport-security", "max-age=15768000; includeSubDomains, max-age=15768000; includeSubDomains")], "hsts-header-invalid"),
        ("strict-transport-security", &[("strict-transport-security", "max-age=15768000"), ("strict-transport-security", "max-age=15768000")], "hsts-header-invalid"),
        ("strict-transport-security", &[("strict-transport-security", "max-age=86400")], "hsts-implemented-max-age-less-than-six-months"),
        ("strict-transport-security", &[("strict-transport-security", "max-age=15768000; includeSubDomains; preload")], "hsts-implemented-max-age-at-least-six-months"),
        // The Observatory's white lie: 15552000 (180 days) counts as six months.
        ("strict-transport-security", &[("strict-transport-security", "max-age=15552000")], "hsts-implemented-max-age-at-least-six-months"),
        ("x-frame-options", &[], "x-frame-options-not-implemented"),
        ("x-frame-options", &[("x-frame-options", "whimsy")], "x-frame-options-header-invalid"),
        ("x-frame-options", &[("x-frame-options", "DENY")], "x-frame-options-sameorigin-or-deny"),
        ("x-frame-options", &[("x-frame-options", "sameorigin")], "x-frame-options-sameorigin-or-deny"),
        ("x-frame-options", &[("x-frame-options", "ALLOW-FROM https://mozilla.org")], "x-frame-options-allow-from-origin"),
        ("x-frame-options", &[("x-frame-options", "DENY"), ("x-frame-options", "DENY")], "x-frame-options-header-invalid"),
        ("x-frame-options", &[("x-frame-options", "DENY"), ("content-security-policy", "frame-ancestors https://mozilla.org")], "x-frame-options-implemented-via-csp"),
        ("x-frame-options", &[("x-frame-options", "whimsy"), ("content-security-policy", "frame-ancestors 'none'")], "x-frame-options-implemented-via-csp"),
        ("x-content-type-options", &[], "x-content-type-options-not-implemented"),
        ("x-content-type-options", &[("x-content-type-options", "whimsy")], "x-content-type-options-header-invalid"),
        ("x-content-type-options", &[("x-content-type-options", "nosniff, nosniff")], "x-content-type-options-header-invalid"),
        ("x-content-type-options", &[("x-content-type-options", "nosniff")], "x-content-type-options-nosniff"),
        ("x-content-type-options", &[("x-content-type-options", "NOSNIFF")], "x-content-type-options-nosniff"),
        ("referrer-policy", &[], "referrer-policy-not-implemented"),
        ("referrer-policy", &[("referrer-policy", "no-referrer")], "referrer-policy-private"),
        ("referrer-policy", &[("referrer-policy", "same-origin")], "referrer-policy-private"),
        ("referrer-policy", &[("referrer-policy", "strict-origin")], "referrer-policy-private"),
        ("referrer-policy", &[("referrer-policy", "STRICT-ORIGIN")], "referrer-policy-private"),
        ("referrer-policy", &[("referrer-policy", "strict-origin-when-cross-origin")], "referrer-policy-private"),
        ("referrer-policy", &[("referrer-policy", "whimsy")], "referrer-policy-header-invalid"),
        ("referrer-policy", &[("referrer-policy", "origin")], "referrer-policy-unsafe"),
        ("referrer-policy", &[("referrer-policy", "origin-when-cross-origin")], "referrer-policy-unsafe"),
        ("referrer-policy", &[("referrer-policy", "unsafe-url")], "referrer-policy-unsafe"),
        ("referrer-policy", &[("referrer-policy", "no-referrer-when-downgrade")], "referrer-policy-unsafe"),
        ("referrer-policy", &[("referrer-policy", "origin-when-cross-origin, no-referrer, unsafe-url")], "referrer-policy-unsafe"),
        ("referrer-policy", &[("referrer-policy", "no-referrer, unsafe-url")], "referrer-policy-unsafe"),
        ("referrer-policy", &[("referrer-policy", "no-referrer"), ("referrer-policy", "unsafe-url")], "referrer-policy-unsafe"),
        ("referrer-policy", &[("referrer-policy", "no-referrer, whimsy")], "referrer-policy-private"),
        ("referrer-policy", &[("referrer-policy", "whimsy, whimsy1, whimsy2")], "referrer-policy-header-invalid"),
        ("cross-origin-resource-policy", &[], "corp-not-implemented"),
        ("cross-origin-resource-policy", &[("cross-origin-resource-policy", "same-site")], "corp-implemented-with-same-site"),
        ("cross-origin-resource-policy", &[("cross-origin-resource-policy", "same-origin")], "corp-implemented-with-same-origin"),
        ("cross-origin-resource-policy", &[("cross-origin-resource-policy", "cross-origin")], "corp-implemented-with-cross-origin"),
        ("cross-origin-resource-policy", &[("cross-origin-resource-policy", "whimsy")], "corp-header-invalid"),
        ("content-security-policy", &[("content-security-policy-report-only", "default-src 'none'; report-to /_/csp-reports")], "csp-not-implemented-but-reporting-enabled"),
    ];
    let mut wrong = Vec::new();
    for (test, pairs, want) in cases {
        let got = result_of(test, pairs);
        let expected = ScoredTest::new(want);
        if (got.result, got.modifier) != (expected.result, expected.modifier) {
            wrong.push(format!(
                "{pairs:?}: Observatory {want} ({}), apiward {} ({})",
                expected.modifier, got.result, got.modifier
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} differ:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn missing_headers_are_findings() {
    let f = check_headers(&HeaderMap::new(), true);
    for id in [
        "csp-missing",
        "hsts-missing",
        "xfo-missing",
        "xcto-missing",
        "permissions-policy-missing",
        "rate-limit-headers-missing",
    ] {
        assert!(ids(&f).contains(&id), "{id} in {:?}", ids(&f));
    }
    let good = check_headers(&map(GOOD), true);
    assert!(
        !ids(&good)
            .iter()
            .any(|id| id.starts_with("csp") || id.starts_with("hsts") || id.starts_with("xfo")),
        "{:?}",
        ids(&good)
    );
}

#[test]
fn hsts_max_age_parses_quoted_and_spaced() {
    assert_eq!(
        hsts_max_age("max-age=\"31536000\"; preload"),
        Some(31_536_000)
    );
    assert_eq!(hsts_max_age("includeSubDomains; Max-Age = 10"), Some(10));
    assert_eq!(hsts_max_age("max-age=soon"), None);
}

#[test]
fn info_leaks_need_a_version_in_server() {
    let f = check_api_headers(&map(&[("server", "nginx"), ("retry-after", "5")]));
    assert!(!ids(&f).contains(&"info-leak-header"));
    assert!(!ids(&f).contains(&"rate-limit-headers-missing"));
    let f = check_api_headers(&map(&[
        ("server", "nginx/1.25.3"),
        ("x-powered-by", "Express"),
        ("x-aspnet-version", "4.0.30319"),
    ]));
    let leak = f.iter().find(|f| f.id == "info-leak-header").unwrap();
    assert!(
        leak.evidence.contains("nginx/1.25.3")
            && leak.evidence.contains("Express")
            && leak.evidence.contains("4.0.30319"),
        "{}",
        leak.evidence
    );
}

#[test]
fn cache_control_only_matters_when_authenticated() {
    assert!(check_cache_control(&HeaderMap::new(), false).is_none());
    assert_eq!(
        check_cache_control(&map(&[("cache-control", "private, max-age=60")]), true)
            .unwrap()
            .id,
        "cache-control-missing"
    );
    assert!(check_cache_control(&map(&[("cache-control", "private, no-store")]), true).is_none());
}

#[test]
fn json_bodies_need_a_json_type() {
    let body = br#"{"user":"alice"}"#;
    assert!(
        check_json_content_type(
            &map(&[("content-type", "application/json; charset=utf-8")]),
            body
        )
        .is_none()
    );
    assert!(
        check_json_content_type(&map(&[("content-type", "application/problem+json")]), body)
            .is_none()
    );
    assert_eq!(
        check_json_content_type(&map(&[("content-type", "text/html")]), body)
            .unwrap()
            .id,
        "json-content-type"
    );
    assert!(check_json_content_type(&map(&[("content-type", "text/html")]), b"<html>").is_none());
}
