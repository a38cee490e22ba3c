//! Subresource integrity: the Observatory's SRI test on HTML bodies.
//!
//! A deliberately small tag scanner, not an HTML parser: it finds `<script>` tags and reads
//! their `src` and `integrity` attributes, which is all the test needs. The verdict follows
//! the Observatory's `subresource-integrity.js`: scripts on the page's own registrable domain
//! count as secure origin, and a protocol-relative `//host/x.js` is scored as a foreign script
//! with no secure scheme, wherever it is (as the Observatory scores it, its own site's too).
//! The `sri-insecure-script` finding is apiward's own judgement and skips a protocol-relative
//! script where http cannot be used to load the page, since it then always comes over https.

use reqwest::Url;

use super::rules::finding;
use super::scoring::ScoredTest;
use super::site;
use crate::findings::Finding;

/// One `<script src>` found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub src: String,
    pub integrity: bool,
}

/// The script tags with a src in `html`.
pub fn scripts(html: &str) -> Vec<Script> {
    script_tags(html).into_iter().flatten().collect()
}

/// Every script tag in `html`: `Some` for one with a src, `None` for an inline one (which the
/// Observatory counts as "scripts loaded", though it has nothing to check).
fn script_tags(html: &str) -> Vec<Option<Script>> {
    tags(html, "script")
        .into_iter()
        .map(|tag| {
            attr(tag, "src")
                .filter(|s| !s.is_empty())
                .map(|src| Script {
                    src,
                    integrity: attr(tag, "integrity").is_some_and(|v| !v.is_empty()),
                })
        })
        .collect()
}

/// The text of every `<name …>` start tag in `html` (from `<` up to, not including, `>`),
/// `name` in lower case.
pub(super) fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{name}");
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find(&open) {
        let start = at + start;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &html[start..end];
        // "<scripts" or "<script-x" are other tags.
        let rest = &tag[open.len()..];
        if rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_whitespace() || c == '/') {
            out.push(tag);
        }
        at = end.max(start + 1);
    }
    out
}

/// The value of attribute `name` in a tag's text, quoted or not.
pub(super) fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(name) {
        let pos = from + pos;
        from = pos + name.len();
        // Must be a whole attribute name: preceded by whitespace, followed by '='.
        let before_ok = lower[..pos].ends_with(|c: char| c.is_ascii_whitespace());
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let offset = tag.len() - rest.len() + 1;
        let value = tag[offset..].trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or("").to_string(),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_string(),
        });
    }
    None
}

/// The Observatory's SRI results from best to worst; of several, the latest one wins (its
/// `onlyIfWorse` order, which is not the modifier order).
const WORSE_LAST: &[&str] = &[
    "sri-implemented-and-all-scripts-loaded-securely",
    "sri-implemented-and-external-scripts-loaded-securely",
    "sri-implemented-but-external-scripts-not-loaded-securely",
    "sri-not-implemented-but-external-scripts-loaded-securely",
    "sri-not-implemented-and-external-scripts-not-loaded-securely",
];

/// Media types that are HTML.
const HTML_TYPES: &[&str] = &["text/html", "application/xhtml+xml"];

/// Whether a Content-Type value names HTML.
pub(super) fn is_html(content_type: &str) -> bool {
    let mime = content_type.split(';').next().unwrap_or("").trim();
    HTML_TYPES.iter().any(|t| mime.eq_ignore_ascii_case(t))
}

/// The SRI test for a response: `page` is its URL, `content_type` its header, and
/// `https_enforced` says plain http cannot load the page (no http, or http redirects straight
/// to https), so a protocol-relative script always comes over https: that spares it the
/// finding, not the score.
pub fn check(
    page: &Url,
    content_type: Option<&str>,
    body: &str,
    https_enforced: bool,
) -> (ScoredTest, Vec<Finding>) {
    // No Content-Type at all is read as HTML, as browsers sniff it.
    let mime = content_type
        .and_then(|ct| ct.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty());
    if mime.is_some_and(|m| !HTML_TYPES.contains(&m.as_str())) {
        return (
            ScoredTest::new("sri-not-implemented-response-not-html"),
            Vec::new(),
        );
    }
    let tags = script_tags(body);
    if tags.is_empty() {
        return (
            ScoredTest::new("sri-not-implemented-but-no-scripts-loaded"),
            Vec::new(),
        );
    }
    let page_host = page.host_str().unwrap_or("");
    let mut result: Option<&'static str> = None;
    let worse = |result: &mut Option<&'static str>, r: &'static str| {
        let rank = |x: &str| WORSE_LAST.iter().position(|w| *w == x);
        if result.is_none_or(|old| rank(r) > rank(old)) {
            *result = Some(r);
        }
    };
    let mut foreign = false;
    let mut insecure = Vec::new();
    let mut missing = Vec::new();
    for s in tags.iter().flatten() {
        let lower = s.src.to_ascii_lowercase();
        let protocol_relative = lower.starts_with("//") && !lower.starts_with("///");
        let absolute = lower.starts_with("http://") || lower.starts_with("https://");
        let resolved = page.join(&s.src).ok();
        let host = resolved.as_ref().and_then(|u| u.host_str()).unwrap_or("");
        // The Observatory never counts a protocol-relative script as same-site or secure.
        let same_site =
            !(protocol_relative || absolute) || (absolute && site::same_site(host, page_host));
        let secure_scheme = if absolute {
            lower.starts_with("https://")
        } else {
            !protocol_relative && page.scheme() == "https"
        };
        // Where http cannot load the page, a protocol-relative script comes over https.
        let loads_over_https = secure_scheme || (protocol_relative && https_enforced);
        if !loads_over_https {
            insecure.push(s.src.clone());
        }
        if same_site {
            if s.integrity && secure_scheme && result.is_none() {
                result = Some("sri-implemented-and-all-scripts-loaded-securely");
            }
            continue;
        }
        foreign = true;
        if !s.integrity {
            missing.push(s.src.clone());
        }
        match (s.integrity, secure_scheme) {
            (true, true) => {}
            (true, false) => worse(
                &mut result,
                "sri-implemented-but-external-scripts-not-loaded-securely",
            ),
            (false, true) => worse(
                &mut result,
                "sri-not-implemented-but-external-scripts-loaded-securely",
            ),
            (false, false) => worse(
                &mut result,
                "sri-not-implemented-and-external-scripts-not-loaded-securely",
            ),
        }
    }
    let result = result.unwrap_or(if foreign {
        "sri-implemented-and-external-scripts-loaded-securely"
    } else {
        "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
    });
    let mut findings = Vec::new();
    if !insecure.is_empty() {
        findings.push(finding(
            "sri-insecure-script",
            format!("scripts that may load over http: {}", insecure.join(", ")),
        ));
    }
    if !missing.is_empty() {
        findings.push(finding(
            "sri-missing",
            format!("no integrity on: {}", missing.join(", ")),
        ));
    }
    (ScoredTest::new(result), findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(body: &str) -> &'static str {
        let page = Url::parse("https://app.example/").unwrap();
        check(&page, Some("text/html; charset=utf-8"), body, true)
            .0
            .result
    }

    /// The Observatory's cases (its test/subresource-integrity.test.js and the pages in its
    /// test/files), on a page at https://mozilla.org/: the script tags, whether https is
    /// enforced, and the result the Observatory expects.
    #[test]
    fn every_observatory_case_gets_the_observatorys_result_and_modifier() {
        #[rustfmt::skip]
        let cases: &[(&str, bool, &str)] = &[
            ("<p>no scripts</p>", true, "sri-not-implemented-but-no-scripts-loaded"),
            (r#"<script src="/static/js/foo.js"></script>"#, true, "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"),
            // test_content_sri_sameorigin3.html: the page's own site, but without a scheme.
            (r#"<script src="//www.mozilla.org/static/js/foo.js"></script>"#, true, "sri-not-implemented-and-external-scripts-not-loaded-securely"),
            (r#"<script src="//www.mozilla.org/static/js/foo.js"></script>"#, false, "sri-not-implemented-and-external-scripts-not-loaded-securely"),
            (r#"<script src="https://mozilla.org/static/js/foo.js"></script>"#, true, "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"),
            (r#"<script src="https://www.mozilla.org/static/js/foo.js"></script>"#, true, "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"),
            (r#"<script src="https://ajax.googleapis.com/jquery.min.js" integrity="sha384-x" crossorigin="anonymous"></script>"#, true, "sri-implemented-and-external-scripts-loaded-securely"),
            (r#"<script src="https://localhost/jquery.min.js" integrity="sha384-x"></script>"#, true, "sri-implemented-and-external-scripts-loaded-securely"),
            (r#"<script src="/static/js/foo.js" integrity="sha384-x"></script>"#, true, "sri-implemented-and-all-scripts-loaded-securely"),
            (r#"<script src="https://ajax.googleapis.com/jquery.min.js"></script>"#, true, "sri-not-implemented-but-external-scripts-loaded-securely"),
            (r#"<script src="http://ajax.googleapis.com/jquery.min.js" integrity="sha384-x"></script>"#, true, "sri-implemented-but-external-scripts-not-loaded-securely"),
            (r#"<script src="//ajax.googleapis.com/jquery.min.js" integrity="sha384-x"></script>"#, true, "sri-implemented-but-external-scripts-not-loaded-securely"),
            (r#"<script src="//ajax.googleapis.com/jquery.min.js" integrity="sha384-x"></script>"#, false, "sri-implemented-but-external-scripts-not-loaded-securely"),
            (r#"<script src="http://ajax.googleapis.com/jquery.min.js"></script>"#, true, "sri-not-implemented-and-external-scripts-not-loaded-securely"),
            (r#"<script src="//ajax.googleapis.com/jquery.min.js"></script>"#, true, "sri-not-implemented-and-external-scripts-not-loaded-securely"),
            (r#"<script src="//ajax.googleapis.com/jquery.min.js"></script>"#, false, "sri-not-implemented-and-external-scripts-not-loaded-securely"),
            // From the analyser: an inline script is a script loaded, all from the page's origin.
            ("<script>inline()</script>", true, "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"),
        ];
        let page = Url::parse("https://mozilla.org/").unwrap();
        for (body, enforced, want) in cases {
            let (test, _) = check(&page, Some("text/html"), body, *enforced);
            let expected = ScoredTest::new(want);
            assert_eq!(
                (test.result, test.modifier),
                (expected.result, expected.modifier),
                "Observatory vs apiward on {body} (https enforced: {enforced})"
            );
        }
        let (test, _) = check(&page, Some("application/json"), "{}", true);
        assert_eq!(test.result, "sri-not-implemented-response-not-html");
    }

    #[test]
    fn a_protocol_relative_script_costs_the_score_but_is_insecure_only_where_http_loads_the_page() {
        let page = Url::parse("https://shop.example/").unwrap();
        let body = r#"<script src="//cdn.example.net/a.js"></script>"#;
        for enforced in [true, false] {
            let (test, findings) = check(&page, Some("text/html"), body, enforced);
            assert_eq!(test.modifier, -50, "https enforced: {enforced}");
            let insecure = findings.iter().any(|f| f.id == "sri-insecure-script");
            assert_eq!(insecure, !enforced, "https enforced: {enforced}");
            assert!(findings.iter().any(|f| f.id == "sri-missing"));
        }
    }

    #[test]
    fn finds_scripts_and_attributes() {
        let found = scripts(
            r#"<p><SCRIPT src="/a.js"></script><script integrity='sha384-x' src=https://cdn.example/b.js async></script><script>inline()</script>"#,
        );
        assert_eq!(
            found,
            [
                Script {
                    src: "/a.js".into(),
                    integrity: false
                },
                Script {
                    src: "https://cdn.example/b.js".into(),
                    integrity: true
                },
            ]
        );
    }

    #[test]
    fn results_follow_the_observatory() {
        assert_eq!(
            result("<p>hi</p>"),
            "sri-not-implemented-but-no-scripts-loaded"
        );
        assert_eq!(
            result(r#"<script src="/app.js"></script>"#),
            "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
        );
        assert_eq!(
            result(r#"<script src="https://cdn.example/x.js" integrity="sha384-a"></script>"#),
            "sri-implemented-and-external-scripts-loaded-securely"
        );
        assert_eq!(
            result(r#"<script src="https://cdn.example/x.js"></script>"#),
            "sri-not-implemented-but-external-scripts-loaded-securely"
        );
        assert_eq!(
            result(r#"<script src="http://cdn.example/x.js"></script>"#),
            "sri-not-implemented-and-external-scripts-not-loaded-securely"
        );
        let page = Url::parse("https://app.example/").unwrap();
        assert_eq!(
            check(&page, Some("application/json"), "{}", true).0.result,
            "sri-not-implemented-response-not-html"
        );
    }
}
