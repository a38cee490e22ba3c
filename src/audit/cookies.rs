//! Set-Cookie checks: the Observatory's cookie test and the cookie findings.

use super::rules::{finding, finding_at};
use super::scoring::ScoredTest;
use crate::findings::{Finding, Severity};

/// Cookies neither scored nor reported.
const EXEMPT: &[&str] = &["heroku-session-affinity"];

/// The Observatory's cookie results from best to worst: of several problems, the one latest
/// in this list is the result (its `onlyIfWorse` order, which is not quite the modifier order).
const WORSE_LAST: &[&str] = &[
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
];

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
    /// widened with the names APIs use for the same thing. Findings use this; the score uses
    /// the Observatory's own narrower test ([`Cookie::is_observatory_session`]).
    pub fn is_session(&self) -> bool {
        let n = self.name.to_ascii_lowercase();
        self.is_observatory_session()
            || ["sid", "token", "auth", "jwt"]
                .iter()
                .any(|k| n.contains(k))
    }

    /// The Observatory's session test: the name holds "login" or "sess".
    pub fn is_observatory_session(&self) -> bool {
        let n = self.name.to_ascii_lowercase();
        ["login", "sess"].iter().any(|k| n.contains(k))
    }

    pub fn is_anti_csrf(&self) -> bool {
        let n = self.name.to_ascii_lowercase();
        n.contains("csrf") || n.contains("xsrf")
    }

    /// Heroku's router sets this affinity cookie itself, without flags the application could
    /// change; the Observatory leaves it out (mozilla/http-observatory issue 282), and so does
    /// apiward.
    pub fn is_exempt(&self) -> bool {
        EXEMPT.contains(&self.name.as_str())
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

/// The Observatory's cookie test (`hsts` says the https response's HSTS passes: six months
/// or more), and the findings. One finding per problem, naming every cookie that has it.
pub fn score_cookies(set_cookies: &[&str], hsts: bool) -> (ScoredTest, Vec<Finding>) {
    let cookies: Vec<Cookie> = set_cookies
        .iter()
        .filter_map(|v| Cookie::parse(v))
        .filter(|c| !c.is_exempt())
        .collect();
    if cookies.is_empty() {
        return (ScoredTest::new("cookies-not-found"), Vec::new());
    }
    let mut results: Vec<&'static str> = Vec::new();
    for c in &cookies {
        let session = c.is_observatory_session();
        let csrf = c.name.to_ascii_lowercase().contains("csrf");
        // SameSite=None is only honoured beside Secure.
        let none_without_secure = !c.secure
            && c.same_site
                .as_deref()
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("none"));
        if (c.same_site.is_some() && !c.same_site_valid()) || none_without_secure {
            results.push("cookies-samesite-flag-invalid");
        }
        if !c.secure {
            results.push(match (session, hsts) {
                (true, true) => "cookies-session-without-secure-flag-but-protected-by-hsts",
                (true, false) => "cookies-session-without-secure-flag",
                (false, true) => "cookies-without-secure-flag-but-protected-by-hsts",
                (false, false) => "cookies-without-secure-flag",
            });
        }
        if csrf && c.same_site.is_none() {
            results.push("cookies-anticsrf-without-samesite-flag");
        }
        if session && !c.http_only {
            results.push("cookies-session-without-httponly-flag");
        }
    }
    let worst = results
        .iter()
        .max_by_key(|r| WORSE_LAST.iter().position(|w| w == *r));
    let test = ScoredTest::new(match worst {
        Some(r) => r,
        None if cookies.iter().any(|c| c.same_site.is_none()) => {
            "cookies-secure-with-httponly-sessions"
        }
        None => "cookies-secure-with-httponly-sessions-and-samesite",
    });
    (test, cookie_findings(&cookies))
}

/// apiward's cookie findings, with its wider idea of a session cookie.
fn cookie_findings(cookies: &[Cookie]) -> Vec<Finding> {
    let names = |pred: &dyn Fn(&Cookie) -> bool| -> Vec<&str> {
        cookies
            .iter()
            .filter(|c| pred(c))
            .map(|c| c.name.as_str())
            .collect()
    };
    let mut findings = Vec::new();
    let no_secure = names(&|c| !c.secure);
    if !no_secure.is_empty() {
        let sev = if cookies.iter().any(|c| !c.secure && c.is_session()) {
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
        let sev = if cookies.iter().any(|c| !c.http_only && c.is_session()) {
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
        findings.push(finding(
            "cookie-no-samesite",
            format!("without SameSite: {}", no_samesite.join(", ")),
        ));
    }
    let bad_samesite = names(&|c| c.same_site.is_some() && !c.same_site_valid());
    if !bad_samesite.is_empty() {
        findings.push(finding(
            "cookie-samesite-invalid",
            format!("invalid SameSite: {}", bad_samesite.join(", ")),
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(values: &[&str]) -> Vec<String> {
        check_cookies(values).into_iter().map(|f| f.id).collect()
    }

    /// The Observatory's cases (its test/cookies.test.js): the Set-Cookie values, whether
    /// HSTS passes, and the result the Observatory expects.
    #[test]
    fn every_observatory_case_gets_the_observatorys_result_and_modifier() {
        #[rustfmt::skip]
        let cases: &[(&[&str], bool, &str)] = &[
            (&[], false, "cookies-not-found"),
            (&["SESSIONID=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly",
               "foo=bar; Domain=mozilla.org; Secure; Path=/",
               "heroku-session-affinity=bar; Domain=mozilla.org; Path=/"], false,
             "cookies-secure-with-httponly-sessions"),
            (&["SESSIONID_SAMESITE_STRICT=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=Strict",
               "SESSIONID_SAMESITE_LAX=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=Lax",
               "SESSIONID_SAMESITE_NONE=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=None"], false,
             "cookies-secure-with-httponly-sessions-and-samesite"),
            (&["SESSIONID_SAMESITE_STRICT=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=Strict",
               "SESSIONID_SAMESITE_NO_SAMESITE=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly"], false,
             "cookies-secure-with-httponly-sessions"),
            (&["CSRFTOKEN=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly"], false,
             "cookies-anticsrf-without-samesite-flag"),
            (&["SESSIONID=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite="], false,
             "cookies-samesite-flag-invalid"),
            (&["SESSIONID=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=True"], false,
             "cookies-samesite-flag-invalid"),
            (&["SESSIONID=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=Invalid"], false,
             "cookies-samesite-flag-invalid"),
            (&["foo=bar; Domain=mozilla.org; Path=/"], true,
             "cookies-without-secure-flag-but-protected-by-hsts"),
            (&["SESSIONID=bar; Domain=mozilla.org; Path=/; HttpOnly"], true,
             "cookies-session-without-secure-flag-but-protected-by-hsts"),
            (&["foo=bar; Domain=mozilla.org; Path=/"], false, "cookies-without-secure-flag"),
            (&["SESSIONID=bar; Domain=mozilla.org; Path=/; Secure"], false,
             "cookies-session-without-httponly-flag"),
            (&["SESSIONID=bar; Domain=mozilla.org; Path=/; HttpOnly"], false,
             "cookies-session-without-secure-flag"),
            (&["SESSIONID=bar; Domain=mozilla.org; Path=/"], false,
             "cookies-session-without-secure-flag"),
            // From the analyser itself: SameSite=None needs Secure.
            (&["foo=bar; HttpOnly; SameSite=None"], true, "cookies-samesite-flag-invalid"),
        ];
        for (values, hsts, want) in cases {
            let (test, _) = score_cookies(values, *hsts);
            let expected = ScoredTest::new(want);
            assert_eq!(
                (test.result, test.modifier),
                (expected.result, expected.modifier),
                "Observatory vs apiward on {values:?}"
            );
        }
    }

    #[test]
    fn api_session_names_are_findings_but_not_score() {
        // "token" is a session cookie to apiward's findings, not to the Observatory's score.
        let (test, findings) = score_cookies(&["token=1; Secure"], false);
        assert_eq!(test.result, "cookies-secure-with-httponly-sessions");
        assert_eq!(findings[0].id, "cookie-no-httponly");
        assert_eq!(findings[0].severity, Severity::High);
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
        // The exempt Heroku cookie counts for nothing.
        let (test, f) = score_cookies(&["heroku-session-affinity=1"], false);
        assert_eq!((test.result, f.len()), ("cookies-not-found", 0));
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
