//! Set-Cookie checks: the Observatory's cookie test and the cookie findings.

use super::rules::{finding, finding_at};
use super::scoring::ScoredTest;
use crate::findings::{Finding, Severity};

/// The attributes of one Set-Cookie that matter here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cookie {
    pub name: String,
    pub secure: bool,
    pub http_only: bool,
    /// The SameSite value as written, if any.
    pub same_site: Option<String>,
    /// No Expires or Max-Age: lives for the browser session.
    pub session_lifetime: bool,
}

impl Cookie {
    /// Parses a Set-Cookie value; None when it has no `name=`.
    pub fn parse(value: &str) -> Option<Self> {
        let mut parts = value.split(';');
        let (name, _) = parts.next()?.split_once('=')?;
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let mut cookie = Cookie {
            name: name.to_string(),
            secure: false,
            http_only: false,
            same_site: None,
            session_lifetime: true,
        };
        for attr in parts {
            let (key, val) = attr.split_once('=').map_or((attr, ""), |(k, v)| (k, v));
            match key.trim().to_ascii_lowercase().as_str() {
                "secure" => cookie.secure = true,
                "httponly" => cookie.http_only = true,
                "samesite" => cookie.same_site = Some(val.trim().to_string()),
                "expires" | "max-age" => cookie.session_lifetime = false,
                _ => {}
            }
        }
        Some(cookie)
    }

    /// A session (login) cookie by its name, as the Observatory judges it ("login", "sess"),
    /// widened with the names APIs use for the same thing.
    pub fn is_session(&self) -> bool {
        let n = self.name.to_ascii_lowercase();
        ["login", "sess", "sid", "token", "auth", "jwt"]
            .iter()
            .any(|k| n.contains(k))
    }

    pub fn is_anti_csrf(&self) -> bool {
        let n = self.name.to_ascii_lowercase();
        n.contains("csrf") || n.contains("xsrf")
    }

    fn same_site_valid(&self) -> bool {
        self.same_site
            .as_deref()
            .is_some_and(|v| ["strict", "lax", "none"].contains(&v.to_ascii_lowercase().as_str()))
    }
}

/// Findings for a response's Set-Cookie values.
pub fn check_cookies(set_cookies: &[&str]) -> Vec<Finding> {
    score_cookies(set_cookies, false).1
}

/// The Observatory's cookie test (`hsts` says a valid HSTS header covers http), and the
/// findings. One finding per problem, naming every cookie that has it.
pub fn score_cookies(set_cookies: &[&str], hsts: bool) -> (ScoredTest, Vec<Finding>) {
    let cookies: Vec<Cookie> = set_cookies
        .iter()
        .filter_map(|v| Cookie::parse(v))
        .collect();
    if cookies.is_empty() {
        return (ScoredTest::new("cookies-not-found"), Vec::new());
    }
    let names = |pred: &dyn Fn(&Cookie) -> bool| -> Vec<&str> {
        cookies
            .iter()
            .filter(|c| pred(c))
            .map(|c| c.name.as_str())
            .collect()
    };
    let mut results = Vec::new();
    let mut findings = Vec::new();

    let no_secure = names(&|c| !c.secure);
    if !no_secure.is_empty() {
        let session = cookies.iter().any(|c| !c.secure && c.is_session());
        results.push(match (session, hsts) {
            (true, false) => "cookies-session-without-secure-flag",
            (true, true) => "cookies-session-without-secure-flag-but-protected-by-hsts",
            (false, false) => "cookies-without-secure-flag",
            (false, true) => "cookies-without-secure-flag-but-protected-by-hsts",
        });
        let sev = if session {
            Severity::High
        } else {
            Severity::Medium
        };
        findings.push(finding_at(
            "cookie-no-secure",
            sev,
            format!("without Secure: {}", no_secure.join(", ")),
        ));
    }
    let no_httponly = names(&|c| !c.http_only);
    if !no_httponly.is_empty() {
        let session = cookies.iter().any(|c| !c.http_only && c.is_session());
        if session {
            results.push("cookies-session-without-httponly-flag");
        }
        let sev = if session {
            Severity::High
        } else {
            Severity::Low
        };
        findings.push(finding_at(
            "cookie-no-httponly",
            sev,
            format!("without HttpOnly: {}", no_httponly.join(", ")),
        ));
    }
    let no_samesite = names(&|c| c.same_site.is_none());
    if !no_samesite.is_empty() {
        if cookies
            .iter()
            .any(|c| c.same_site.is_none() && c.is_anti_csrf())
        {
            results.push("cookies-anticsrf-without-samesite-flag");
        }
        findings.push(finding(
            "cookie-no-samesite",
            format!("without SameSite: {}", no_samesite.join(", ")),
        ));
    }
    let bad_samesite = names(&|c| c.same_site.is_some() && !c.same_site_valid());
    if !bad_samesite.is_empty() {
        results.push("cookies-samesite-flag-invalid");
        findings.push(finding(
            "cookie-samesite-invalid",
            format!("invalid SameSite: {}", bad_samesite.join(", ")),
        ));
    }
    let test = results
        .into_iter()
        .map(ScoredTest::new)
        .min_by_key(|t| t.modifier)
        .unwrap_or_else(|| {
            ScoredTest::new(if no_samesite.is_empty() {
                "cookies-secure-with-httponly-sessions-and-samesite"
            } else {
                "cookies-secure-with-httponly-sessions"
            })
        });
    (test, findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(values: &[&str]) -> Vec<String> {
        check_cookies(values).into_iter().map(|f| f.id).collect()
    }

    #[test]
    fn parses_attributes_in_any_case() {
        let c =
            Cookie::parse("sid=abc; Path=/; SECURE; httponly; SameSite=Lax; Max-Age=60").unwrap();
        assert!(c.secure && c.http_only && !c.session_lifetime && c.is_session());
        assert_eq!(c.same_site.as_deref(), Some("Lax"));
        assert!(Cookie::parse("garbage").is_none());
    }

    #[test]
    fn flagless_cookie_gets_all_three_findings_and_the_worst_result() {
        assert_eq!(
            ids(&["session=abc"]),
            [
                "cookie-no-secure",
                "cookie-no-httponly",
                "cookie-no-samesite"
            ]
        );
        let (test, findings) = score_cookies(&["session=abc"], false);
        assert_eq!(test.result, "cookies-session-without-secure-flag");
        assert_eq!(test.modifier, -40);
        assert_eq!(findings[0].severity, Severity::High);
        let (test, _) = score_cookies(&["session=abc"], true);
        assert_eq!(test.result, "cookies-session-without-httponly-flag");
    }

    #[test]
    fn good_cookies_earn_the_bonus() {
        let (test, findings) = score_cookies(
            &[
                "sid=1; Secure; HttpOnly; SameSite=Strict",
                "theme=dark; Secure; HttpOnly; SameSite=Lax",
            ],
            false,
        );
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(test.modifier, 5);
        let (test, _) = score_cookies(&["sid=1; Secure; HttpOnly"], false);
        assert_eq!(test.result, "cookies-secure-with-httponly-sessions");
        assert_eq!(score_cookies(&[], false).0.result, "cookies-not-found");
        let (test, _) = score_cookies(&["csrftoken=1; Secure; HttpOnly"], false);
        assert_eq!(test.result, "cookies-anticsrf-without-samesite-flag");
        let (test, f) = score_cookies(&["a=1; Secure; HttpOnly; SameSite=Sometimes"], false);
        assert_eq!(
            (test.modifier, f[0].id.as_str()),
            (-20, "cookie-samesite-invalid")
        );
    }
}
