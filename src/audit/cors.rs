//! CORS: the probe origins, the judgement of one response, and the Observatory's CORS test.
//!
//! Each probe is exactly one request with a crafted `Origin`; the judgement is a pure function
//! of the origin sent and the headers received, so it can run on any response.

use reqwest::Url;
use reqwest::header::HeaderMap;
use serde::Serialize;

use super::headers::header;
use super::rules::finding_at;
use super::scoring::ScoredTest;
use crate::findings::{Finding, Severity};

/// What a probe tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeKind {
    /// An unrelated origin.
    Foreign,
    /// `Origin: null` (sandboxed frames, data: URLs).
    Null,
    /// `https://HOST.evil.example`: passes a starts-with check.
    Prefix,
    /// `https://evilHOST`: passes an ends-with check.
    Suffix,
    /// `http://HOST`: the plain-http origin of the same host.
    HttpOrigin,
    /// `https://apiward-probe.DOMAIN`: any sub-domain of the site.
    SubDomain,
    /// `https://DOMAIN_.evil.example` and the backtick forms: characters some browsers put
    /// in a host, which slip past checks that stop at the first non-host character.
    SpecialChars,
    /// `https://apixexample.com` for `api.example.com`: a regex whose dots match any char.
    UnescapedDot,
    /// `https://apiward-probe.github.io`: a host anyone can publish on.
    ThirdParty,
}

/// The foreign origin every audit sends.
pub const FOREIGN_ORIGIN: &str = "https://apiward-probe.example";

/// The host anyone can publish pages on that the third-party probe names.
pub const THIRD_PARTY_ORIGIN: &str = "https://apiward-probe.github.io";

/// The probes for `target`, each with the Origin it sends, in the manner of Corsy: the
/// classic mistakes of allowlist checks, built from the target's host and, where it differs,
/// its registrable domain (a check is often written against either). Loopback targets get
/// the same set by host name.
pub fn probes(target: &Url) -> Vec<(ProbeKind, String)> {
    use ProbeKind::*;
    let host = target.host_str().unwrap_or("localhost");
    let port = target.port().map(|p| format!(":{p}")).unwrap_or_default();
    let domain = super::site::registrable(host);
    let mut out = vec![
        (Foreign, FOREIGN_ORIGIN.to_string()),
        (Null, "null".to_string()),
        (Prefix, format!("https://{host}.evil.example")),
        (Suffix, format!("https://evil{host}")),
        (HttpOrigin, format!("http://{host}{port}")),
    ];
    if domain != host {
        out.push((Prefix, format!("https://{domain}.evil.example")));
        out.push((Suffix, format!("https://evil-{domain}")));
    }
    out.extend([
        (SubDomain, format!("https://apiward-probe.{domain}")),
        (SpecialChars, format!("https://{domain}_.evil.example")),
        (SpecialChars, format!("https://{domain}`.evil.example")),
        (SpecialChars, format!("https://{domain}%60.evil.example")),
    ]);
    // Only a host with a dot has one to leave unescaped.
    if let Some((first, rest)) = host.split_once('.') {
        out.push((UnescapedDot, format!("https://{first}x{rest}")));
    }
    out.push((ThirdParty, THIRD_PARTY_ORIGIN.to_string()));
    out
}

/// One probe and what came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorsProbe {
    pub kind: ProbeKind,
    pub origin: String,
    pub status: Option<u16>,
    pub allow_origin: Option<String>,
    pub allow_credentials: bool,
    /// The origin was allowed: echoed back exactly.
    pub allowed: bool,
    pub error: Option<String>,
}

impl CorsProbe {
    /// Reads a probe's response headers.
    pub fn from_response(kind: ProbeKind, origin: &str, status: u16, headers: &HeaderMap) -> Self {
        let allow_origin = header(headers, "access-control-allow-origin").map(str::to_string);
        let allow_credentials = header(headers, "access-control-allow-credentials")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        Self {
            kind,
            origin: origin.to_string(),
            status: Some(status),
            allowed: allow_origin.as_deref() == Some(origin),
            allow_origin,
            allow_credentials,
            error: None,
        }
    }
}

/// The finding for one probe's response, if it shows a flaw. Credentials raise it to high.
pub fn check_cors_response(kind: ProbeKind, origin: &str, headers: &HeaderMap) -> Option<Finding> {
    judge(&CorsProbe::from_response(kind, origin, 0, headers))
}

fn judge(p: &CorsProbe) -> Option<Finding> {
    let creds = if p.allow_credentials {
        " with Access-Control-Allow-Credentials: true"
    } else {
        ""
    };
    if p.allow_origin.as_deref() == Some("*") && p.allow_credentials {
        return Some(finding_at(
            "cors-wildcard-credentials",
            Severity::Medium,
            "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true",
        ));
    }
    if !p.allowed {
        return None;
    }
    let id = match p.kind {
        ProbeKind::Foreign => "cors-reflects-origin",
        ProbeKind::Null => "cors-null-origin",
        ProbeKind::Prefix => "cors-prefix-bypass",
        ProbeKind::Suffix => "cors-suffix-bypass",
        ProbeKind::HttpOrigin => "cors-http-origin",
        ProbeKind::SubDomain => "cors-subdomain-trusted",
        ProbeKind::SpecialChars => "cors-special-char-bypass",
        ProbeKind::UnescapedDot => "cors-unescaped-dot",
        ProbeKind::ThirdParty => "cors-third-party-origin",
    };
    // Trusting the site's own sub-domains is often meant; it only costs as much as the
    // weakest of them, so it is one step lower than the bypasses.
    let severity = match (p.kind, p.allow_credentials) {
        (ProbeKind::SubDomain, false) => Severity::Low,
        (ProbeKind::SubDomain, true) | (_, false) => Severity::Medium,
        (_, true) => Severity::High,
    };
    Some(finding_at(
        id,
        severity,
        format!("Origin: {} was allowed{creds}", p.origin),
    ))
}

/// Findings for a whole set of probes. When the foreign origin is reflected, the narrower
/// bypasses are the same flaw and are not repeated; one wildcard finding is enough.
pub fn findings(probes: &[CorsProbe], target_is_https: bool) -> Vec<Finding> {
    let reflects_all = probes
        .iter()
        .any(|p| p.kind == ProbeKind::Foreign && p.allowed);
    let mut out: Vec<Finding> = Vec::new();
    for p in probes {
        if reflects_all && p.kind != ProbeKind::Foreign {
            continue;
        }
        // An http origin is only a downgrade when the target itself is https.
        if p.kind == ProbeKind::HttpOrigin && !target_is_https {
            continue;
        }
        if let Some(f) = judge(p).filter(|f| !out.iter().any(|o| o.id == f.id)) {
            out.push(f);
        }
    }
    out
}

/// The Observatory's CORS test, from the foreign-origin probe (the Observatory sends its own
/// origin the same way): reflected with credentials is universal access.
pub fn score(probes: &[CorsProbe]) -> ScoredTest {
    let foreign = probes.iter().find(|p| p.kind == ProbeKind::Foreign);
    let result = match foreign.and_then(|p| p.allow_origin.as_deref().map(|a| (p, a))) {
        None => "cross-origin-resource-sharing-not-implemented",
        Some((_, "*")) => "cross-origin-resource-sharing-implemented-with-public-access",
        Some((p, _)) if p.allowed && p.allow_credentials => {
            "cross-origin-resource-sharing-implemented-with-universal-access"
        }
        Some(_) => "cross-origin-resource-sharing-implemented-with-restricted-access",
    };
    ScoredTest::new(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap()))
            .collect()
    }

    #[test]
    fn probes_use_the_target_host_and_its_domain() {
        let url = Url::parse("https://api.example.com:8443/v1").unwrap();
        let origins: Vec<_> = probes(&url).into_iter().map(|(_, o)| o).collect();
        assert_eq!(
            origins,
            [
                FOREIGN_ORIGIN,
                "null",
                "https://api.example.com.evil.example",
                "https://evilapi.example.com",
                "http://api.example.com:8443",
                "https://example.com.evil.example",
                "https://evil-example.com",
                "https://apiward-probe.example.com",
                "https://example.com_.evil.example",
                "https://example.com`.evil.example",
                "https://example.com%60.evil.example",
                "https://apixexample.com",
                THIRD_PARTY_ORIGIN,
            ]
        );
        // A loopback target gets the same set by its name, without domain duplicates.
        let url = Url::parse("http://localhost:8080/").unwrap();
        let kinds: Vec<_> = probes(&url).into_iter().map(|(k, _)| k).collect();
        assert!(kinds.contains(&ProbeKind::SpecialChars) && kinds.contains(&ProbeKind::SubDomain));
        assert!(!kinds.contains(&ProbeKind::UnescapedDot));
    }

    #[test]
    fn each_mistaken_check_has_its_finding() {
        let allowed = |origin: &str, creds: bool| {
            let mut pairs = vec![("access-control-allow-origin", origin)];
            if creds {
                pairs.push(("access-control-allow-credentials", "true"));
            }
            headers(&pairs)
        };
        for (kind, origin, id, plain, with_creds) in [
            (
                ProbeKind::SubDomain,
                "https://apiward-probe.example.com",
                "cors-subdomain-trusted",
                Severity::Low,
                Severity::Medium,
            ),
            (
                ProbeKind::SpecialChars,
                "https://example.com_.evil.example",
                "cors-special-char-bypass",
                Severity::Medium,
                Severity::High,
            ),
            (
                ProbeKind::UnescapedDot,
                "https://apixexample.com",
                "cors-unescaped-dot",
                Severity::Medium,
                Severity::High,
            ),
            (
                ProbeKind::ThirdParty,
                THIRD_PARTY_ORIGIN,
                "cors-third-party-origin",
                Severity::Medium,
                Severity::High,
            ),
        ] {
            let f = check_cors_response(kind, origin, &allowed(origin, false)).unwrap();
            assert_eq!((f.id.as_str(), f.severity), (id, plain));
            let f = check_cors_response(kind, origin, &allowed(origin, true)).unwrap();
            assert_eq!((f.id.as_str(), f.severity), (id, with_creds));
            assert!(!f.why.is_empty() && !f.fix.is_empty(), "{id} has its texts");
        }
    }

    #[test]
    fn reflection_with_credentials_is_high() {
        let h = headers(&[
            ("access-control-allow-origin", FOREIGN_ORIGIN),
            ("access-control-allow-credentials", "true"),
        ]);
        let f = check_cors_response(ProbeKind::Foreign, FOREIGN_ORIGIN, &h).unwrap();
        assert_eq!(
            (f.id.as_str(), f.severity),
            ("cors-reflects-origin", Severity::High)
        );
        let p = CorsProbe::from_response(ProbeKind::Foreign, FOREIGN_ORIGIN, 200, &h);
        assert_eq!(score(&[p]).modifier, -50);
        let h = headers(&[("access-control-allow-origin", "null")]);
        let f = check_cors_response(ProbeKind::Null, "null", &h).unwrap();
        assert_eq!(
            (f.id.as_str(), f.severity),
            ("cors-null-origin", Severity::Medium)
        );
    }

    #[test]
    fn wildcard_and_exact_allowlists() {
        let h = headers(&[
            ("access-control-allow-origin", "*"),
            ("access-control-allow-credentials", "true"),
        ]);
        assert_eq!(
            check_cors_response(ProbeKind::Foreign, FOREIGN_ORIGIN, &h)
                .unwrap()
                .id,
            "cors-wildcard-credentials"
        );
        let p = CorsProbe::from_response(ProbeKind::Foreign, FOREIGN_ORIGIN, 200, &h);
        assert_eq!(
            score(&[p]).result,
            "cross-origin-resource-sharing-implemented-with-public-access"
        );
        let h = headers(&[("access-control-allow-origin", "https://app.example")]);
        assert!(check_cors_response(ProbeKind::Foreign, FOREIGN_ORIGIN, &h).is_none());
        assert!(
            check_cors_response(ProbeKind::Foreign, FOREIGN_ORIGIN, &HeaderMap::new()).is_none()
        );
    }
}
