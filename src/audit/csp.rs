//! Content-Security-Policy: a small parser and the Observatory's CSP test.

use std::collections::BTreeMap;

use super::rules::finding;
use super::scoring::ScoredTest;
use crate::findings::{Finding, Severity};

/// A parsed policy: directive name (lower case) to its sources (as written).
pub type Policy = BTreeMap<String, Vec<String>>;

/// Parses a policy. None when nothing in it looks like a directive. A repeated directive is
/// ignored after its first use, as browsers do.
pub fn parse(value: &str) -> Option<Policy> {
    let mut policy = Policy::new();
    for part in value.split(';') {
        let mut words = part.split_ascii_whitespace();
        let Some(name) = words.next() else { continue };
        let name = name.to_ascii_lowercase();
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return None;
        }
        policy
            .entry(name)
            .or_insert_with(|| words.map(str::to_string).collect());
    }
    (!policy.is_empty()).then_some(policy)
}

/// The sources that govern `directive`, falling back to default-src as browsers do.
fn effective<'a>(policy: &'a Policy, directive: &str) -> Option<&'a Vec<String>> {
    policy.get(directive).or_else(|| policy.get("default-src"))
}

fn has(sources: &[String], word: &str) -> bool {
    sources.iter().any(|s| s.eq_ignore_ascii_case(word))
}

/// Sources that allow (nearly) anything: a bare scheme or a wildcard.
fn broad(sources: &[String]) -> bool {
    sources.iter().any(|s| {
        matches!(
            s.to_ascii_lowercase().as_str(),
            "*" | "https:" | "http:" | "data:"
        )
    })
}

/// True when nonces, hashes or 'strict-dynamic' make browsers ignore 'unsafe-inline'.
fn inline_neutralised(sources: &[String]) -> bool {
    sources.iter().any(|s| {
        let s = s.to_ascii_lowercase();
        s.starts_with("'nonce-") || s.starts_with("'sha") || s == "'strict-dynamic'"
    })
}

fn insecure(sources: &[String]) -> bool {
    sources
        .iter()
        .any(|s| s.eq_ignore_ascii_case("http:") || s.to_ascii_lowercase().starts_with("http://"))
}

/// Runs the CSP test: the worst result decides the score, and every problem is a finding.
pub fn check(value: Option<&str>, is_https: bool) -> (ScoredTest, Vec<Finding>, Option<Policy>) {
    let Some(value) = value else {
        let f = finding("csp-missing", "no Content-Security-Policy header");
        return (ScoredTest::new("csp-not-implemented"), vec![f], None);
    };
    let Some(policy) = parse(value) else {
        let f = finding("csp-invalid", format!("Content-Security-Policy: {value}"));
        return (ScoredTest::new("csp-header-invalid"), vec![f], None);
    };
    let mut findings = Vec::new();
    // Every result that applies; the lowest modifier wins.
    let mut results: Vec<&'static str> = Vec::new();
    let script = effective(&policy, "script-src");
    let object = effective(&policy, "object-src");
    let script_unsafe = match script {
        None => Some("no script-src or default-src restricts scripts".to_string()),
        Some(src) if has(src, "'unsafe-inline'") && !inline_neutralised(src) => {
            Some("script-src allows 'unsafe-inline'".into())
        }
        Some(src) if broad(src) => Some(format!("script-src allows '{}'", src.join(" "))),
        _ => None,
    };
    let object_unsafe = match object {
        None => Some("no object-src or default-src restricts plugins".to_string()),
        Some(src) if broad(src) => Some(format!("object-src allows '{}'", src.join(" "))),
        _ => None,
    };
    for why in [script_unsafe, object_unsafe].into_iter().flatten() {
        results.push("csp-implemented-with-unsafe-inline");
        findings.push(finding("csp-unsafe-inline", why));
    }
    if script.is_some_and(|s| has(s, "'unsafe-eval'")) {
        results.push("csp-implemented-with-unsafe-eval");
        findings.push(finding(
            "csp-unsafe-eval",
            "script-src allows 'unsafe-eval'",
        ));
    }
    if is_https {
        let active = [
            "script-src",
            "object-src",
            "style-src",
            "connect-src",
            "frame-src",
            "font-src",
            "worker-src",
        ];
        let passive = ["img-src", "media-src"];
        let bad_active: Vec<_> = active
            .iter()
            .filter(|d| effective(&policy, d).is_some_and(|s| insecure(s)))
            .collect();
        let bad_passive = passive
            .iter()
            .any(|d| effective(&policy, d).is_some_and(|s| insecure(s)));
        if !bad_active.is_empty() {
            results.push("csp-implemented-with-insecure-scheme");
            let list: Vec<&str> = bad_active.iter().map(|d| **d).collect();
            findings.push(finding(
                "csp-insecure-scheme",
                format!("http sources allowed in {}", list.join(", ")),
            ));
        } else if bad_passive {
            results.push("csp-implemented-with-insecure-scheme-in-passive-content-only");
            let mut f = finding(
                "csp-insecure-scheme",
                "http sources allowed for images or media",
            );
            f.severity = Severity::Low;
            findings.push(f);
        }
    }
    let style = effective(&policy, "style-src");
    if results.is_empty() && style.is_some_and(|s| has(s, "'unsafe-inline'") || broad(s)) {
        results.push("csp-implemented-with-unsafe-inline-in-style-src-only");
    }
    if results.is_empty() {
        let none = policy
            .get("default-src")
            .is_some_and(|s| s.len() == 1 && has(s, "'none'"));
        results.push(if none {
            "csp-implemented-with-no-unsafe-default-src-none"
        } else {
            "csp-implemented-with-no-unsafe"
        });
    }
    let worst = results
        .into_iter()
        .map(ScoredTest::new)
        .min_by_key(|t| t.modifier)
        .expect("at least one result");
    (worst, findings, Some(policy))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(v: &str) -> &'static str {
        check(Some(v), true).0.result
    }

    #[test]
    fn results_follow_the_observatory() {
        assert_eq!(
            result("default-src 'none'"),
            "csp-implemented-with-no-unsafe-default-src-none"
        );
        assert_eq!(
            result("default-src 'self'"),
            "csp-implemented-with-no-unsafe"
        );
        assert_eq!(
            result("default-src 'self'; script-src 'self' 'unsafe-inline'"),
            "csp-implemented-with-unsafe-inline"
        );
        assert_eq!(
            result("default-src 'self'; script-src 'self' 'nonce-abc' 'unsafe-inline'"),
            "csp-implemented-with-no-unsafe"
        );
        assert_eq!(
            result("default-src 'self'; script-src 'self' 'unsafe-eval'"),
            "csp-implemented-with-unsafe-eval"
        );
        assert_eq!(
            result("default-src 'self'; style-src 'unsafe-inline'"),
            "csp-implemented-with-unsafe-inline-in-style-src-only"
        );
        assert_eq!(
            result("default-src 'self'; img-src http:"),
            "csp-implemented-with-insecure-scheme-in-passive-content-only"
        );
        assert_eq!(
            result("default-src 'self' http://cdn.example"),
            "csp-implemented-with-insecure-scheme"
        );
        assert_eq!(
            result("frame-ancestors 'none'"),
            "csp-implemented-with-unsafe-inline"
        );
        assert_eq!(result("@@@"), "csp-header-invalid");
        assert_eq!(check(None, true).0.result, "csp-not-implemented");
    }

    #[test]
    fn unsafe_inline_and_eval_are_both_findings() {
        let (test, findings, _) = check(
            Some("default-src 'self' 'unsafe-inline' 'unsafe-eval'"),
            true,
        );
        assert_eq!(test.modifier, -20);
        let ids: Vec<_> = findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["csp-unsafe-inline", "csp-unsafe-eval"]);
    }
}
