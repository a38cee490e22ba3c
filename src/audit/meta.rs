//! Policies an HTML page sets on itself: `<meta http-equiv="Content-Security-Policy">` and
//! `<meta name="referrer">`, which browsers enforce as they do the headers, read as the
//! Observatory's retriever reads them (only from a response whose Content-Type is HTML).

use reqwest::header::{HeaderMap, HeaderValue};

use super::sri::{attr, is_html, tags};

/// Directives a meta CSP cannot carry: browsers ignore them there, as the Observatory's
/// `parseCspMeta` does.
const HEADER_ONLY: &[&str] = &["frame-ancestors", "report-uri", "sandbox"];

/// The page's meta policies: each CSP (header-only directives dropped; one left empty is no
/// policy), and the last `<meta name="referrer">`.
pub fn policies(html: &str) -> (Vec<String>, Option<String>) {
    let mut csp = Vec::new();
    let mut referrer = None;
    for tag in tags(html, "meta") {
        let content = attr(tag, "content").filter(|c| !c.trim().is_empty());
        let Some(content) = content else { continue };
        let equiv = attr(tag, "http-equiv").map(|e| e.trim().to_ascii_lowercase());
        if equiv.as_deref() == Some("content-security-policy") {
            let kept: Vec<&str> = content
                .split(';')
                .map(str::trim)
                .filter(|d| {
                    let name = d.split_ascii_whitespace().next().unwrap_or("");
                    !name.is_empty() && !HEADER_ONLY.contains(&name.to_ascii_lowercase().as_str())
                })
                .collect();
            if !kept.is_empty() {
                csp.push(kept.join("; "));
            }
        } else if equiv.is_none()
            && attr(tag, "name").is_some_and(|n| n.trim().eq_ignore_ascii_case("referrer"))
        {
            referrer = Some(content);
        }
    }
    (csp, referrer)
}

/// `headers` with an HTML page's meta policies added after its own: each meta CSP as one
/// more Content-Security-Policy, the meta referrer as the last Referrer-Policy value (the one
/// that wins). Other responses come back unchanged.
pub fn with_meta_policies(headers: &HeaderMap, html: &str) -> HeaderMap {
    let mut out = headers.clone();
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok());
    if !content_type.is_some_and(is_html) {
        return out;
    }
    let (csp, referrer) = policies(html);
    for policy in csp {
        if let Ok(v) = HeaderValue::from_str(&policy) {
            out.append("content-security-policy", v);
        }
    }
    if let Some(v) = referrer.and_then(|r| HeaderValue::from_str(&r).ok()) {
        out.append("referrer-policy", v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html_headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            "content-type",
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        h
    }

    #[test]
    fn reads_meta_csp_without_header_only_directives_and_the_last_referrer() {
        let html = r#"<html><head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'self'; frame-ancestors 'none'; report-uri /r">
            <META HTTP-EQUIV='content-security-policy' CONTENT="sandbox">
            <meta name="referrer" content="origin">
            <meta name="referrer" content="no-referrer">
            <meta name="description" content="default-src *">
        </head></html>"#;
        let (csp, referrer) = policies(html);
        assert_eq!(csp, ["default-src 'self'"]);
        assert_eq!(referrer.as_deref(), Some("no-referrer"));
    }

    #[test]
    fn meta_policies_follow_the_headers_and_only_for_html() {
        let html = r#"<meta http-equiv="Content-Security-Policy" content="script-src 'self'">
            <meta name="referrer" content="same-origin">"#;
        let mut headers = html_headers();
        headers.insert("referrer-policy", HeaderValue::from_static("unsafe-url"));
        let out = with_meta_policies(&headers, html);
        let csp: Vec<_> = out.get_all("content-security-policy").iter().collect();
        assert_eq!(csp, ["script-src 'self'"]);
        let referrer: Vec<_> = out.get_all("referrer-policy").iter().collect();
        assert_eq!(referrer, ["unsafe-url", "same-origin"]);

        let mut json = HeaderMap::new();
        json.insert("content-type", HeaderValue::from_static("application/json"));
        assert!(!with_meta_policies(&json, html).contains_key("content-security-policy"));
        // The Observatory's retriever reads meta tags only with an HTML Content-Type.
        assert!(!with_meta_policies(&HeaderMap::new(), html).contains_key("referrer-policy"));
    }
}
