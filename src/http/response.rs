//! What a send returns: status, headers, cookies, the (capped, decoded) body, phase timings,
//! the remote address, TLS details and the redirect chain.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;

pub use crate::audit::Hop;
use crate::audit::tls::CertInfo;

/// `Default` is an empty answer, for tests and benches to fill in.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Response {
    pub status: u16,
    /// The canonical reason phrase ("Not Found"), empty for unknown codes.
    pub reason: String,
    /// "HTTP/1.1" or "HTTP/2".
    pub version: String,
    /// The URL that answered: the last hop when redirects were followed.
    pub url: String,
    /// As received, in order, names lower-case.
    pub headers: Vec<(String, String)>,
    pub cookies: Vec<Cookie>,
    /// Decoded (gzip, br) and capped at `max_body`.
    #[serde(skip)]
    pub body: Bytes,
    /// The body was longer than the cap; `body` is its first part.
    pub truncated: bool,
    /// The Content-Encoding that was decoded, if any.
    pub decoded_from: Option<String>,
    pub timing: Timings,
    pub remote_addr: Option<SocketAddr>,
    pub tls: Option<TlsInfo>,
    /// Each redirect answer before this one.
    pub redirects: Vec<Hop>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The headers as an `http::HeaderMap`, for the audit's checks.
    pub fn header_map(&self) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (name, value) in &self.headers {
            if let (Ok(n), Ok(v)) = (
                http::HeaderName::from_bytes(name.as_bytes()),
                http::HeaderValue::from_str(value),
            ) {
                map.append(n, v);
            }
        }
        map
    }

    pub fn is_error(&self) -> bool {
        self.status >= 400
    }

    /// True when the body claims to be JSON (`application/json`, `…+json`).
    pub fn is_json(&self) -> bool {
        self.header("content-type").is_some_and(|ct| {
            let ct = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            ct == "application/json" || ct.ends_with("+json")
        })
    }
}

/// Milliseconds per phase. Phases are `None` when they did not happen (DNS for an IP
/// literal, TLS on http) or could not be measured (through a proxy: only `total_ms`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timings {
    pub dns_ms: Option<f64>,
    pub connect_ms: Option<f64>,
    pub tls_ms: Option<f64>,
    /// Request written to the response head received.
    pub ttfb_ms: Option<f64>,
    pub download_ms: Option<f64>,
    pub total_ms: f64,
    /// False when the request went through a proxy and only the total is known.
    pub phases: bool,
}

pub(crate) fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

/// The negotiated TLS parameters and the server's chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlsInfo {
    pub version: String,
    pub cipher: String,
    pub alpn: Option<String>,
    /// Leaf first.
    pub certificates: Vec<CertInfo>,
    /// False when verification was turned off (`-k`).
    pub verified: bool,
}

/// One `Set-Cookie`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cookie {
    pub name: String,
    pub value: String,
    pub domain: Option<String>,
    pub path: Option<String>,
    pub expires: Option<String>,
    pub max_age: Option<i64>,
    pub secure: bool,
    pub http_only: bool,
    pub same_site: Option<String>,
}

impl Cookie {
    /// Parses a `Set-Cookie` value; `None` when it has no `name=`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split(';');
        let (name, value) = parts.next()?.split_once('=')?;
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let mut cookie = Cookie {
            name: name.to_string(),
            value: value.trim().trim_matches('"').to_string(),
            ..Cookie::default()
        };
        for attr in parts {
            let (key, val) = match attr.split_once('=') {
                Some((k, v)) => (k.trim(), Some(v.trim().to_string())),
                None => (attr.trim(), None),
            };
            match key.to_ascii_lowercase().as_str() {
                "domain" => cookie.domain = val,
                "path" => cookie.path = val,
                "expires" => cookie.expires = val,
                "max-age" => cookie.max_age = val.and_then(|v| v.parse().ok()),
                "secure" => cookie.secure = true,
                "httponly" => cookie.http_only = true,
                "samesite" => cookie.same_site = val,
                _ => {}
            }
        }
        Some(cookie)
    }
}

/// Every cookie the headers set.
pub fn cookies(headers: &[(String, String)]) -> Vec<Cookie> {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| Cookie::parse(v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_set_cookie() {
        let c = Cookie::parse(
            "sid=abc123; Path=/; Domain=example.test; Max-Age=60; Secure; HttpOnly; SameSite=Lax",
        )
        .unwrap();
        assert_eq!((c.name.as_str(), c.value.as_str()), ("sid", "abc123"));
        assert_eq!(c.path.as_deref(), Some("/"));
        assert_eq!(c.max_age, Some(60));
        assert!(c.secure && c.http_only);
        assert_eq!(c.same_site.as_deref(), Some("Lax"));
        let plain = Cookie::parse("a=\"b\"").unwrap();
        assert_eq!(plain.value, "b");
        assert!(!plain.secure);
        assert!(Cookie::parse("novalue").is_none());
        assert!(Cookie::parse("=x").is_none());
    }

    #[test]
    fn ms_rounds_to_microseconds() {
        assert_eq!(ms(Duration::from_micros(1234)), 1.234);
    }
}
