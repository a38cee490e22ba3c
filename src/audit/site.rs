//! Registrable domains ("sites"): what the Observatory's SRI test and the Corsy-style CORS
//! probes compare hosts by.
//!
//! The whole Public Suffix List, private section included, from the psl crate (compiled in,
//! released with each list update): `me.github.io` and `you.github.io` are two sites, as
//! browsers see them. docs/audit.md records that as a difference from the Observatory, whose
//! tldts call leaves the private section out.

use std::net::IpAddr;

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
    psl::domain_str(&host).map_or(host.clone(), str::to_string)
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
            // Suffixes a short list would miss.
            ("shop.example.com.mx", "example.com.mx"),
            ("a.b.example.kawasaki.jp", "b.example.kawasaki.jp"),
            ("app.vercel.app", "app.vercel.app"),
        ] {
            assert_eq!(registrable(host), want, "{host}");
        }
        assert!(same_site("cdn.mozilla.org", "www.mozilla.org"));
        assert!(!same_site("mozilla.org.evil.example", "mozilla.org"));
    }
}
