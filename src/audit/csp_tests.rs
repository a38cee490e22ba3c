//! The CSP test against the Observatory's own cases (its test/csp.test.js): each row holds
//! the policy, the result the Observatory expects and its modifier, which apiward must give.

use super::*;

/// Policy, the Observatory's expected result.
type Case = (&'static str, &'static str);

#[rustfmt::skip]
const OBSERVATORY_CASES: &[Case] = &[
    // "header invalid"
    ("  ", "csp-header-invalid"),
    ("", "csp-header-invalid"),
    ("default-src 'none'; default-src 'none'", "csp-header-invalid"),
    ("default-src 'none'; img-src 'self'; default-src 'none'", "csp-header-invalid"),
    ("default-src 'none'; script-src 'strict-dynamic'", "csp-header-invalid"),
    ("defa", "csp-header-invalid"),
    // "insecure scheme broad and unsafe"
    ("default-src 'none'; script-src https://*", "csp-implemented-with-unsafe-inline"),
    ("default-src 'none'; script-src 'unsafe-inline'", "csp-implemented-with-unsafe-inline"),
    // "insecure scheme"
    ("default-src http://mozilla.org", "csp-implemented-with-insecure-scheme"),
    ("default-src 'none'; script-src http://mozilla.org", "csp-implemented-with-insecure-scheme"),
    ("default-src 'none'; script-src ftp://mozilla.org", "csp-implemented-with-insecure-scheme"),
    // "insecure scheme in passive content only"
    ("default-src 'none'; img-src http://mozilla.org", "csp-implemented-with-insecure-scheme-in-passive-content-only"),
    ("default-src 'self'; img-src ftp:", "csp-implemented-with-insecure-scheme-in-passive-content-only"),
    ("default-src 'self'; img-src http:", "csp-implemented-with-insecure-scheme-in-passive-content-only"),
    ("default-src 'none'; img-src https:; media-src http://mozilla.org", "csp-implemented-with-insecure-scheme-in-passive-content-only"),
    ("default-src 'none'; img-src http: https:; script-src 'self'; style-src 'self'", "csp-implemented-with-insecure-scheme-in-passive-content-only"),
    ("default-src 'none'; img-src 'none'; media-src http:; script-src 'self'; style-src 'self'", "csp-implemented-with-insecure-scheme-in-passive-content-only"),
    ("default-src 'none'; img-src 'none'; media-src http:; script-src 'self'; style-src 'unsafe-inline'", "csp-implemented-with-insecure-scheme-in-passive-content-only"),
    // "unsafe inline"
    ("script-src 'unsafe-inline'", "csp-implemented-with-unsafe-inline"),
    ("script-src data:", "csp-implemented-with-unsafe-inline"),
    ("script-src http:", "csp-implemented-with-unsafe-inline"),
    ("script-src ftp:", "csp-implemented-with-unsafe-inline"),
    ("default-src 'unsafe-inline'", "csp-implemented-with-unsafe-inline"),
    ("default-src 'UNSAFE-INLINE'", "csp-implemented-with-unsafe-inline"),
    ("upgrade-insecure-requests", "csp-implemented-with-unsafe-inline"),
    ("script-src 'none'", "csp-implemented-with-unsafe-inline"),
    ("script-src https:", "csp-implemented-with-unsafe-inline"),
    ("script-src https://mozilla.org https:", "csp-implemented-with-unsafe-inline"),
    ("default-src https://mozilla.org https:", "csp-implemented-with-unsafe-inline"),
    ("default-src 'none'; script-src *", "csp-implemented-with-unsafe-inline"),
    ("default-src *; script-src *; object-src 'none'", "csp-implemented-with-unsafe-inline"),
    ("default-src 'none'; script-src 'none'; object-src *", "csp-implemented-with-unsafe-inline"),
    ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'", "csp-implemented-with-unsafe-inline"),
    ("default-src 'none'; script-src 'unsafe-inline' http:", "csp-implemented-with-unsafe-inline"),
    ("object-src https:; script-src 'none'", "csp-implemented-with-unsafe-inline"),
    // "unsafe eval"
    ("default-src 'none'; script-src 'unsafe-eval'", "csp-implemented-with-unsafe-eval"),
    // "unsafe inline in style src only"
    ("object-src 'none'; script-src 'none'; style-src 'unsafe-inline'", "csp-implemented-with-unsafe-inline-in-style-src-only"),
    ("default-src 'none'; script-src https://mozilla.org; style-src 'unsafe-inline'", "csp-implemented-with-unsafe-inline-in-style-src-only"),
    ("default-src 'unsafe-inline'; script-src https://mozilla.org", "csp-implemented-with-unsafe-inline-in-style-src-only"),
    ("default-src 'none';;; ;;;style-src 'self' 'unsafe-inline'", "csp-implemented-with-unsafe-inline-in-style-src-only"),
    ("default-src 'none'; style-src data:", "csp-implemented-with-unsafe-inline-in-style-src-only"),
    ("default-src 'none'; style-src *", "csp-implemented-with-unsafe-inline-in-style-src-only"),
    ("default-src 'none'; style-src https:", "csp-implemented-with-unsafe-inline-in-style-src-only"),
    ("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-hqBEA/HXB3aJU2FgOnYN8rkAgEVgyfi3Vs1j2/XMPBB=' 'unsafe-inline'", "csp-implemented-with-unsafe-inline-in-style-src-only"),
    // "no unsafe"
    ("default-src https://mozilla.org", "csp-implemented-with-no-unsafe"),
    ("default-src https://mozilla.org;;; ;;;script-src 'none'", "csp-implemented-with-no-unsafe"),
    ("object-src 'none'; script-src https://mozilla.org; style-src https://mozilla.org; upgrade-insecure-requests;", "csp-implemented-with-no-unsafe"),
    ("object-src 'none'; script-src 'strict-dynamic' 'nonce-abc' 'unsafe-inline'; style-src 'none'", "csp-implemented-with-no-unsafe"),
    ("object-src 'none'; style-src 'self';script-src 'sha256-hqBEA/HXB3aJU2FgOnYN8rkAgEVgyfi3Vs1j2/XMPBA='", "csp-implemented-with-no-unsafe"),
    ("object-src 'none'; style-src 'self'; script-src 'unsafe-inline' 'sha256-hqBEA/HXB3aJU2FgOnYN8rkAgEVgyfi3Vs1j2/XMPBA=''sha256-hqBEA/HXB3aJU2FgOnYN8rkAgEVgyfi3Vs1j2/XMPBB='", "csp-implemented-with-no-unsafe"),
    ("object-src 'none'; script-src 'unsafe-inline' 'nonce-abc123' 'unsafe-inline'; style-src 'none'", "csp-implemented-with-no-unsafe"),
    ("default-src https://mozilla.org; style-src 'unsafe-inline' 'nonce-abc123' 'unsafe-inline'", "csp-implemented-with-no-unsafe"),
    ("default-src https://mozilla.org; style-src 'unsafe-inline' 'sha256-hqBEA/HXB3aJU2FgOnYN8rkAgEVgyfi3Vs1j2/XMPBB=' 'unsafe-inline'", "csp-implemented-with-no-unsafe"),
    // "no unsafe default src none"
    ("default-src", "csp-implemented-with-no-unsafe-default-src-none"),
    ("default-src 'none'; script-src 'strict-dynamic' 'nonce-abc123' 'unsafe-inline'", "csp-implemented-with-no-unsafe-default-src-none"),
    ("default-src 'none'; script-src https://mozilla.org; style-src https://mozilla.org; upgrade-insecure-requests;", "csp-implemented-with-no-unsafe-default-src-none"),
    ("default-src 'none'; object-src https://mozilla.org", "csp-implemented-with-no-unsafe-default-src-none"),
    // "strict dynamic"
    ("default-src 'none'; script-src 'strict-dynamic' 'nonce-abc123'", "csp-implemented-with-no-unsafe-default-src-none"),
    ("default-src 'none'; script-src 'strict-dynamic' 'sha256-abc123'", "csp-implemented-with-no-unsafe-default-src-none"),
    ("default-src 'none'; script-src 'strict-dynamic' 'sha256-abc123' https://*", "csp-implemented-with-no-unsafe-default-src-none"),
    ("default-src 'none'; script-src 'strict-dynamic' 'sha256-abc123' 'unsafe-inline'", "csp-implemented-with-no-unsafe-default-src-none"),
    // "multiple CSP headers combined per RFC 9110" and "... correct intersection"
    ("default-src 'none'; script-src 'self', default-src 'none'; script-src 'self'", "csp-implemented-with-no-unsafe-default-src-none"),
    ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline', default-src 'none'; style-src 'self', default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'", "csp-implemented-with-no-unsafe-default-src-none"),
    // "ignore frame-anchestors in http-equiv" (the header half; apiward reads no meta tags)
    ("frame-anchestors 'none'", "csp-implemented-with-unsafe-inline"),
];

#[test]
fn every_observatory_case_gets_the_observatorys_result_and_modifier() {
    let mut wrong = Vec::new();
    for (policy, want) in OBSERVATORY_CASES {
        let (test, _, _) = check(&[policy], false, true);
        let expected = ScoredTest::new(want);
        if (test.result, test.modifier) != (expected.result, expected.modifier) {
            wrong.push(format!(
                "{policy:?}: Observatory {want} ({}), apiward {} ({})",
                expected.modifier, test.result, test.modifier
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} differ:\n{}",
        wrong.len(),
        OBSERVATORY_CASES.len(),
        wrong.join("\n")
    );
}

#[test]
fn missing_and_report_only() {
    assert_eq!(check(&[], false, true).0.result, "csp-not-implemented");
    // "report only"
    assert_eq!(
        check(&[], true, true).0.result,
        "csp-not-implemented-but-reporting-enabled"
    );
    assert_eq!(check(&[], true, true).1[0].id, "csp-missing");
}

#[test]
fn repeated_headers_are_policies_to_intersect() {
    // Two headers, as a server sends them: the second narrows script-src to 'self'.
    let (test, _, policy) = check(
        &[
            "default-src 'none'; script-src 'self' https:",
            "script-src 'self'",
        ],
        false,
        true,
    );
    assert_eq!(
        test.result,
        "csp-implemented-with-no-unsafe-default-src-none"
    );
    assert_eq!(policy.unwrap()["script-src"], ["'self'"]);
    // A repeated report-uri is tolerated and named, with no points lost.
    let (test, _, _) = check(
        &["default-src 'none'; report-uri /a; report-uri /b"],
        false,
        true,
    );
    assert_eq!(
        (test.result, test.modifier),
        ("csp-implemented-but-duplicate-directives", 0)
    );
}

#[test]
fn plain_http_sites_are_not_judged_on_schemes() {
    let (test, _, _) = check(&["default-src http://mozilla.org"], false, false);
    assert_eq!(test.result, "csp-implemented-with-no-unsafe");
}

#[test]
fn unsafe_inline_and_eval_are_both_findings() {
    let (test, findings, _) = check(
        &["default-src 'self' 'unsafe-inline' 'unsafe-eval'"],
        false,
        true,
    );
    assert_eq!(test.modifier, -20);
    let ids: Vec<_> = findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["csp-unsafe-inline", "csp-unsafe-eval"]);
}

/// Browsers enforce every policy, and a directive one policy leaves out falls back to that
/// policy's default-src: so a later script-src cannot widen an earlier default-src, in either
/// order. (The Observatory reads two headers as one comma-joined string; docs/audit.md.)
#[test]
fn a_directive_set_by_one_policy_is_bounded_by_the_others_default_src() {
    for values in [
        ["default-src 'self'", "script-src 'self' 'unsafe-inline'"],
        ["script-src 'self' 'unsafe-inline'", "default-src 'self'"],
    ] {
        let (policy, _) = parse_all(&values).unwrap();
        assert_eq!(policy["script-src"], ["'self'"], "{values:?}");
    }
    // Without a default-src the other policy does not restrict it.
    let (policy, _) = parse_all(&["img-src 'self'", "script-src 'self' 'unsafe-inline'"]).unwrap();
    assert_eq!(policy["script-src"], ["'self'", "'unsafe-inline'"]);
}
