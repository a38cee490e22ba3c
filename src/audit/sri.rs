//! Subresource integrity: the Observatory's SRI test on HTML bodies.
//!
//! A deliberately small tag scanner, not an HTML parser: it finds `<script ... src=...>` tags
//! and reads their `src` and `integrity` attributes, which is all the test needs.

use reqwest::Url;

use super::rules::finding;
use super::scoring::ScoredTest;
use crate::findings::Finding;

/// One `<script src>` found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub src: String,
    pub integrity: bool,
}

/// The script tags with a src in `html`.
pub fn scripts(html: &str) -> Vec<Script> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<script") {
        let start = at + start;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &html[start..end];
        if let Some(src) = attr(tag, "src") {
            out.push(Script {
                src,
                integrity: attr(tag, "integrity").is_some_and(|v| !v.is_empty()),
            });
        }
        at = end;
    }
    out
}

/// The value of attribute `name` in a tag's text, quoted or not.
fn attr(tag: &str, name: &str) -> Option<String> {
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

/// The SRI test for a response: `page` is its URL, `content_type` its header.
pub fn check(page: &Url, content_type: Option<&str>, body: &str) -> (ScoredTest, Vec<Finding>) {
    let html = content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("html"));
    if !html {
        return (
            ScoredTest::new("sri-not-implemented-response-not-html"),
            Vec::new(),
        );
    }
    let scripts = scripts(body);
    if scripts.is_empty() {
        return (
            ScoredTest::new("sri-not-implemented-but-no-scripts-loaded"),
            Vec::new(),
        );
    }
    let mut external = Vec::new();
    let mut any_integrity = false;
    let mut insecure = Vec::new();
    for s in &scripts {
        any_integrity |= s.integrity;
        let Ok(url) = page.join(&s.src) else { continue };
        if url.scheme() == "http" {
            insecure.push(s.src.clone());
        }
        if url.host_str() != page.host_str() {
            external.push((s.src.clone(), s.integrity));
        }
    }
    let missing: Vec<&str> = external
        .iter()
        .filter(|(_, i)| !i)
        .map(|(s, _)| s.as_str())
        .collect();
    let mut findings = Vec::new();
    if !insecure.is_empty() {
        findings.push(finding(
            "sri-insecure-script",
            format!("scripts over http: {}", insecure.join(", ")),
        ));
    }
    if !missing.is_empty() {
        findings.push(finding(
            "sri-missing",
            format!("no integrity on: {}", missing.join(", ")),
        ));
    }
    let result = match (external.is_empty(), missing.is_empty(), insecure.is_empty()) {
        (true, _, true) if any_integrity => "sri-implemented-and-all-scripts-loaded-securely",
        (true, _, true) => "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
        (_, true, true) => "sri-implemented-and-external-scripts-loaded-securely",
        (_, false, true) => "sri-not-implemented-but-external-scripts-loaded-securely",
        (_, true, false) => "sri-implemented-but-external-scripts-not-loaded-securely",
        (_, false, false) => "sri-not-implemented-and-external-scripts-not-loaded-securely",
    };
    (ScoredTest::new(result), findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(body: &str) -> &'static str {
        let page = Url::parse("https://app.example/").unwrap();
        check(&page, Some("text/html; charset=utf-8"), body)
            .0
            .result
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
            check(&page, Some("application/json"), "{}").0.result,
            "sri-not-implemented-response-not-html"
        );
    }
}
