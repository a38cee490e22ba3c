//! Registrable domains ("sites"): what the Observatory's SRI test and the Corsy-style CORS
//! probes compare hosts by.
//!
//! A short built-in list of multi-label public suffixes stands in for the full Public Suffix
//! List: the audit needs "is this script on the same site" and "what would an attacker's
//! look-alike domain be", where a miss on a rare suffix only makes one more host count as
//! foreign. docs/audit.md records it as a difference from the Observatory (which uses tldts).

use std::net::IpAddr;

/// Public suffixes of more than one label that hosts are commonly registered under.
const MULTI_LABEL_SUFFIXES: &[&str] = &[
    "co.uk",
    "org.uk",
    "ac.uk",
    "gov.uk",
    "me.uk",
    "ltd.uk",
    "plc.uk",
    "com.au",
    "net.au",
    "org.au",
    "edu.au",
    "gov.au",
    "co.nz",
    "org.nz",
    "co.jp",
    "ne.jp",
    "or.jp",
    "ac.jp",
    "co.kr",
    "or.kr",
    "com.br",
    "net.br",
    "org.br",
    "com.cn",
    "net.cn",
    "org.cn",
    "com.tw",
    "com.hk",
    "com.sg",
    "com.my",
    "co.in",
    "net.in",
    "org.in",
    "co.za",
    "org.za",
    "com.mx",
    "com.ar",
    "com.tr",
    "co.il",
    "com.ua",
    "com.pl",
    "co.id",
    "co.th",
    "com.vn",
    "com.ph",
    "github.io",
    "gitlab.io",
    "herokuapp.com",
    "appspot.com",
    "azurewebsites.net",
    "cloudfront.net",
    "netlify.app",
    "vercel.app",
    "pages.dev",
    "workers.dev",
    "web.app",
    "firebaseapp.com",
    "blogspot.com",
    "s3.amazonaws.com",
];

/// The registrable domain of `host` (lower case, no trailing dot): `api.example.co.uk` gives
/// `example.co.uk`. An IP address, a single label (`localhost`) or a bare suffix is its own
/// site.
pub fn registrable(host: &str) -> String {
    let host = host
        .trim_matches(['[', ']'])
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if host.parse::<IpAddr>().is_ok() {
        return host;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() <= 2 {
        return host;
    }
    let suffix_len = MULTI_LABEL_SUFFIXES
        .iter()
        .filter(|s| host.ends_with(&format!(".{s}")))
        .map(|s| s.split('.').count())
        .max()
        .unwrap_or(1);
    let keep = (suffix_len + 1).min(labels.len());
    labels[labels.len() - keep..].join(".")
}

/// Whether two hosts belong to one site.
pub fn same_site(a: &str, b: &str) -> bool {
    registrable(a) == registrable(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrable_domains() {
        for (host, want) in [
            ("mozilla.org", "mozilla.org"),
            ("www.mozilla.org", "mozilla.org"),
            ("a.b.api.example.com", "example.com"),
            ("api.example.co.uk", "example.co.uk"),
            ("example.co.uk", "example.co.uk"),
            ("co.uk", "co.uk"),
            ("me.github.io", "me.github.io"),
            ("x.me.github.io", "me.github.io"),
            ("localhost", "localhost"),
            ("127.0.0.1", "127.0.0.1"),
            ("[::1]", "::1"),
            ("WWW.Example.COM.", "example.com"),
        ] {
            assert_eq!(registrable(host), want, "{host}");
        }
        assert!(same_site("cdn.mozilla.org", "www.mozilla.org"));
        assert!(!same_site("mozilla.org.evil.example", "mozilla.org"));
    }
}
