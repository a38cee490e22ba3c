//! Content-Security-Policy: a parser for one or several policies and the Observatory's CSP
//! test, step for step as the MDN HTTP Observatory's `csp.js` takes it (see docs/audit.md).

use std::collections::BTreeMap;

use super::rules::finding;
use super::scoring::ScoredTest;
use crate::findings::{Finding, Severity};

/// A parsed policy: directive name (lower case) to its sources (lower case, as the
/// Observatory compares them).
pub type Policy = BTreeMap<String, Vec<String>>;

/// Sources that let any host serve the content: a wildcard host (`*`, `https://*`,
/// `http://*.*`, `*.*`) or a bare network scheme (`https:`, `http:`, `ftp:`). The list is the
/// Observatory's `DANGEROUSLY_BROAD`, plus a scheme-less `*.*`, which matches every dotted
/// host as widely as `https://*.*` does.
const BROAD: &[&str] = &[
    "*",
    "*.*",
    "http:",
    "https:",
    "ftp:",
    "http://*",
    "http://*.*",
    "https://*",
    "https://*.*",
];

/// Sources that run inline or page-supplied code: `'unsafe-inline'` and `data:` URLs.
const INLINE: &[&str] = &["'unsafe-inline'", "data:"];

/// Directives whose repetition browsers and the Observatory tolerate.
const REPEATABLE: &[&str] = &["report-uri", "report-to"];

/// A policy shorter than the shortest useful one (`img-src` less one) is not a policy.
const SHORTEST_POLICY: usize = "img-src".len() - 1;

fn is_broad(source: &str) -> bool {
    BROAD.contains(&source)
}

fn is_inline(source: &str) -> bool {
    INLINE.contains(&source)
}

fn is_nonce_or_hash(source: &str) -> bool {
    ["'nonce-", "'sha256-", "'sha384-", "'sha512-"]
        .iter()
        .any(|p| source.starts_with(p))
}

/// Why a header is not a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

/// One policy: its directives, and whether a report directive was repeated (tolerated, but
/// the Observatory reports it under its own result name).
fn parse_one(text: &str) -> Result<(Policy, bool), Invalid> {
    let text = text.replace(['\r', '\n'], "");
    let text = text.trim();
    if text.len() < SHORTEST_POLICY {
        return Err(Invalid(format!("'{text}' is too short to be a policy")));
    }
    let mut policy = Policy::new();
    let mut repeated_report = false;
    for part in text.split(';') {
        let mut words = part.split_ascii_whitespace();
        let Some(name) = words.next() else { continue };
        let name = name.to_ascii_lowercase();
        if policy.contains_key(&name) {
            if REPEATABLE.contains(&name.as_str()) {
                repeated_report = true;
                continue;
            }
            // Browsers use the first and ignore the rest, but a repeat is nearly always a
            // mistake that hides a weaker directive, so it is an invalid policy here too.
            return Err(Invalid(format!("the directive {name} is repeated")));
        }
        let mut sources: Vec<String> = words.map(str::to_ascii_lowercase).collect();
        // A source list with nothing in it allows nothing.
        if sources.is_empty() && name.ends_with("-src") {
            sources.push("'none'".into());
        }
        policy.insert(name, sources);
    }
    Ok((policy, repeated_report))
}

/// Fetch directives that fall back to default-src where a policy does not set them.
const FALLS_BACK: &[&str] = &[
    "child-src",
    "connect-src",
    "font-src",
    "frame-src",
    "img-src",
    "manifest-src",
    "media-src",
    "object-src",
    "script-src",
    "script-src-elem",
    "script-src-attr",
    "style-src",
    "style-src-elem",
    "style-src-attr",
    "worker-src",
];

/// A later policy's source is kept when an earlier policy allows it too: the same source, or
/// one under an earlier path that ends in `/`.
fn allowed_by(earlier: &[String], source: &str) -> bool {
    earlier
        .iter()
        .any(|e| e == source || (e.ends_with('/') && source.starts_with(e.as_str())))
}

/// Every policy in `values` (each header value may hold several, separated by commas, as a
/// repeated header does once joined), combined as browsers enforce them: a source counts only
/// when every policy that sets the directive allows it. Returns the combined policy and
/// whether a report directive was repeated.
pub fn parse_all(values: &[&str]) -> Result<(Policy, bool), Invalid> {
    let mut combined: Option<Policy> = None;
    let mut repeated_report = false;
    for text in values.iter().flat_map(|v| v.split(',')) {
        let (policy, repeated) = parse_one(text)?;
        repeated_report |= repeated;
        combined = Some(match combined {
            None => policy,
            Some(mut so_far) => {
                let mut policy = policy;
                // A directive only one of the policies sets is still bounded by the other's
                // default-src: write each fallback out before intersecting.
                let names: Vec<String> = so_far.keys().chain(policy.keys()).cloned().collect();
                for name in names.iter().filter(|n| FALLS_BACK.contains(&n.as_str())) {
                    for p in [&mut so_far, &mut policy] {
                        if !p.contains_key(name)
                            && let Some(default) = p.get("default-src").cloned()
                        {
                            p.insert(name.clone(), default);
                        }
                    }
                }
                for (name, sources) in policy {
                    let merged = match so_far.get(&name) {
                        None => sources,
                        Some(earlier) => sources
                            .into_iter()
                            .filter(|s| allowed_by(earlier, s))
                            .collect(),
                    };
                    let merged = if merged.is_empty() {
                        vec!["'none'".to_string()]
                    } else {
                        merged
                    };
                    so_far.insert(name, merged);
                }
                so_far
            }
        });
    }
    Ok((combined.unwrap_or_default(), repeated_report))
}

/// Parses one header value. None when it is not a valid policy.
pub fn parse(value: &str) -> Option<Policy> {
    parse_all(&[value]).ok().map(|(p, _)| p)
}

/// The sources that govern `directive`: its own, else default-src, else everything.
fn effective(policy: &Policy, directive: &str) -> Vec<String> {
    policy
        .get(directive)
        .or_else(|| policy.get("default-src"))
        .cloned()
        .unwrap_or_else(|| vec!["*".to_string()])
}

fn insecure_scheme(source: &str) -> bool {
    source.starts_with("http:") || source.starts_with("ftp:")
}

/// Runs the CSP test on every Content-Security-Policy value of a response. `report_only`
/// says a Content-Security-Policy-Report-Only header was sent. As in the Observatory, the
/// first problem in this order decides the result: an invalid policy, unsafe script or
/// object sources, http sources for active content, 'unsafe-eval', http sources for images
/// and media, unsafe style sources. Every problem found is a finding.
pub fn check(
    values: &[&str],
    report_only: bool,
    is_https: bool,
) -> (ScoredTest, Vec<Finding>, Option<Policy>) {
    if values.is_empty() {
        let (result, evidence) = if report_only {
            (
                "csp-not-implemented-but-reporting-enabled",
                "only Content-Security-Policy-Report-Only, which enforces nothing",
            )
        } else {
            ("csp-not-implemented", "no Content-Security-Policy header")
        };
        let f = finding("csp-missing", evidence);
        return (ScoredTest::new(result), vec![f], None);
    }
    let shown = values.join(", ");
    let (policy, repeated_report) = match parse_all(values) {
        Ok(p) => p,
        Err(Invalid(why)) => {
            let f = finding(
                "csp-invalid",
                format!("Content-Security-Policy: {shown} ({why})"),
            );
            return (ScoredTest::new("csp-header-invalid"), vec![f], None);
        }
    };
    if policy.is_empty() {
        // Only separators: the Observatory reads that as no policy at all.
        let f = finding("csp-missing", format!("Content-Security-Policy: {shown}"));
        return (ScoredTest::new("csp-not-implemented"), vec![f], None);
    }
    let mut findings = Vec::new();
    let mut result: Option<&'static str> = None;
    let mut first = |r: &'static str| {
        result.get_or_insert(r);
    };

    let object = effective(&policy, "object-src");
    let mut script = effective(&policy, "script-src");
    let mut style = effective(&policy, "style-src");
    // A nonce or a hash makes browsers ignore 'unsafe-inline' beside it.
    for list in [&mut script, &mut style] {
        if list.iter().any(|s| is_nonce_or_hash(s)) {
            list.retain(|s| s != "'unsafe-inline'");
        }
    }
    if script.iter().any(|s| s == "'strict-dynamic'") {
        if script.iter().any(|s| is_nonce_or_hash(s)) {
            // Under 'strict-dynamic' browsers ignore host and scheme sources, 'self' and
            // 'unsafe-inline': only the nonce or hash lets a script in.
            script.retain(|s| {
                !(BROAD.iter().any(|b| s.starts_with(b)) || s == "'self'" || s == "'unsafe-inline'")
            });
        } else {
            first("csp-header-invalid");
            findings.push(finding(
                "csp-invalid",
                "script-src has 'strict-dynamic' without a nonce or hash, so no script can load",
            ));
        }
    }

    let script_bad: Vec<&String> = script
        .iter()
        .filter(|s| is_broad(s) || is_inline(s))
        .collect();
    let object_bad: Vec<&String> = object.iter().filter(|s| is_broad(s)).collect();
    if !script_bad.is_empty() || !object_bad.is_empty() {
        first("csp-implemented-with-unsafe-inline");
        let mut why = Vec::new();
        for (name, bad) in [("script-src", &script_bad), ("object-src", &object_bad)] {
            if bad.is_empty() {
                continue;
            }
            if policy.contains_key(name) || policy.contains_key("default-src") {
                let list: Vec<&str> = bad.iter().map(|s| s.as_str()).collect();
                why.push(format!("{name} allows {}", list.join(" ")));
            } else {
                why.push(format!("no {name} or default-src restricts {name}"));
            }
        }
        findings.push(finding("csp-unsafe-inline", why.join("; ")));
    }

    if is_https {
        // Active content: every directive but images and media, with script-src as it is
        // enforced.
        let mut active: Vec<&str> = policy
            .iter()
            .filter(|(d, _)| !matches!(d.as_str(), "img-src" | "media-src" | "script-src"))
            .flat_map(|(d, sources)| {
                sources
                    .iter()
                    .filter(|s| insecure_scheme(s))
                    .map(move |_| d.as_str())
            })
            .collect();
        if script.iter().any(|s| insecure_scheme(s)) {
            active.push("script-src");
        }
        active.dedup();
        if !active.is_empty() {
            first("csp-implemented-with-insecure-scheme");
            findings.push(finding(
                "csp-insecure-scheme",
                format!("http or ftp sources allowed in {}", active.join(", ")),
            ));
        }
    }

    if script.iter().chain(&style).any(|s| s == "'unsafe-eval'") {
        first("csp-implemented-with-unsafe-eval");
        findings.push(finding(
            "csp-unsafe-eval",
            "script-src or style-src allows 'unsafe-eval'",
        ));
    }

    if is_https {
        let passive = ["img-src", "media-src"].iter().any(|d| {
            policy
                .get(*d)
                .or_else(|| policy.get("default-src"))
                .is_some_and(|s| s.iter().any(|s| insecure_scheme(s)))
        });
        if passive {
            first("csp-implemented-with-insecure-scheme-in-passive-content-only");
            if !findings.iter().any(|f| f.id == "csp-insecure-scheme") {
                let mut f = finding(
                    "csp-insecure-scheme",
                    "http or ftp sources allowed for images or media",
                );
                f.severity = Severity::Low;
                findings.push(f);
            }
        }
    }

    if style.iter().any(|s| is_broad(s) || is_inline(s)) {
        first("csp-implemented-with-unsafe-inline-in-style-src-only");
    }

    let default_none = policy
        .get("default-src")
        .is_some_and(|s| s.len() == 1 && s[0] == "'none'");
    first(if default_none {
        "csp-implemented-with-no-unsafe-default-src-none"
    } else {
        "csp-implemented-with-no-unsafe"
    });
    let mut result = result.expect("a result was set");
    // A passing policy with a repeated report directive is reported under its own name.
    let passing = [
        "csp-implemented-with-no-unsafe",
        "csp-implemented-with-no-unsafe-default-src-none",
        "csp-implemented-with-unsafe-inline-in-style-src-only",
        "csp-implemented-with-insecure-scheme-in-passive-content-only",
    ];
    if repeated_report && passing.contains(&result) {
        result = "csp-implemented-but-duplicate-directives";
    }
    (ScoredTest::new(result), findings, Some(policy))
}

#[cfg(test)]
#[path = "csp_tests.rs"]
mod tests;
