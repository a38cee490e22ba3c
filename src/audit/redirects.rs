//! Redirects: the recorded chain and the Observatory's redirection test.

use reqwest::Url;
use serde::Serialize;

use super::rules::finding;
use super::scoring::ScoredTest;
use crate::findings::Finding;

/// One response in a redirect chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    pub url: String,
    pub status: u16,
    /// The Location header, as sent.
    pub location: Option<String>,
}

/// Judges a chain that started on plain http. `None` means http could not be reached at all.
pub fn score_redirects(chain: Option<&[Hop]>) -> (ScoredTest, Vec<Finding>) {
    let Some(chain) = chain.filter(|c| !c.is_empty()) else {
        return (
            ScoredTest::new("redirection-not-needed-no-http"),
            Vec::new(),
        );
    };
    let start = Url::parse(&chain[0].url).ok();
    let first_target = chain.get(1).and_then(|h| Url::parse(&h.url).ok());
    let last = chain.last().and_then(|h| Url::parse(&h.url).ok());
    let mut findings = Vec::new();
    let Some(first_target) = first_target else {
        let f = finding(
            "http-no-redirect",
            format!(
                "{} answered {} without redirecting to https",
                chain[0].url, chain[0].status
            ),
        );
        return (ScoredTest::new("redirection-missing"), vec![f]);
    };
    if last.as_ref().is_none_or(|u| u.scheme() != "https") {
        let end = chain.last().map_or("", |h| h.url.as_str());
        findings.push(finding(
            "http-no-redirect",
            format!("redirects end on {end}, not https"),
        ));
        return (ScoredTest::new("redirection-not-to-https"), findings);
    }
    if first_target.scheme() != "https" {
        findings.push(finding(
            "redirect-not-https-first",
            format!("first redirect goes to {first_target}"),
        ));
        return (
            ScoredTest::new("redirection-not-to-https-on-initial-redirection"),
            findings,
        );
    }
    if start.as_ref().and_then(|s| s.host_str()) != first_target.host_str() {
        findings.push(finding(
            "redirect-other-host-first",
            format!("{} redirects first to {first_target}", chain[0].url),
        ));
        return (ScoredTest::new("redirection-off-host-from-http"), findings);
    }
    (ScoredTest::new("redirection-to-https"), findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(urls: &[&str]) -> Vec<Hop> {
        urls.iter()
            .enumerate()
            .map(|(i, u)| Hop {
                url: u.to_string(),
                status: if i + 1 < urls.len() { 301 } else { 200 },
                location: urls.get(i + 1).map(|s| s.to_string()),
            })
            .collect()
    }

    fn result(urls: &[&str]) -> &'static str {
        score_redirects(Some(&chain(urls))).0.result
    }

    #[test]
    fn results_follow_the_observatory() {
        assert_eq!(
            result(&["http://a.example/", "https://a.example/"]),
            "redirection-to-https"
        );
        assert_eq!(result(&["http://a.example/"]), "redirection-missing");
        assert_eq!(
            result(&["http://a.example/", "http://b.example/"]),
            "redirection-not-to-https"
        );
        assert_eq!(
            result(&[
                "http://a.example/",
                "http://a.example/x",
                "https://a.example/"
            ]),
            "redirection-not-to-https-on-initial-redirection"
        );
        assert_eq!(
            result(&["http://a.example/", "https://www.a.example/"]),
            "redirection-off-host-from-http"
        );
        assert_eq!(
            score_redirects(None).0.result,
            "redirection-not-needed-no-http"
        );
        let (_, f) = score_redirects(Some(&chain(&["http://a.example/"])));
        assert_eq!(f[0].id, "http-no-redirect");
    }
}
