//! Findings on every exchange: the request's own mistakes (credentials over plain http, a
//! token in the URL) and the response checks shared with the audit.

use crate::audit::{self, ProbeKind, TlsReport};
use crate::findings::{self, Finding, Severity};

use super::prepare::Prepared;
use super::response::Response;
use super::sensitive::{is_credential_header, is_secret_param};

pub const CREDENTIALS_OVER_HTTP: &str = "credentials-over-http";
pub const TOKEN_IN_QUERY: &str = "token-in-query";

/// Everything wrong with this request and its response, worst first.
pub fn check(prepared: &Prepared, response: &Response) -> Vec<Finding> {
    let mut out = check_request(prepared);
    let headers = response.header_map();
    let is_https = response.url.starts_with("https:");
    // The audit's header checks already take in the cookie and API-header checks.
    out.extend(audit::check_headers(&headers, is_https));
    if headers.contains_key("access-control-allow-origin") {
        let origin = prepared.header("origin").unwrap_or("");
        out.extend(audit::check_cors_response(
            ProbeKind::Foreign,
            origin,
            &headers,
        ));
    }
    out.extend(audit::check_cache_control(
        &headers,
        sends_credentials(prepared),
    ));
    out.extend(audit::check_json_content_type(&headers, &response.body));
    if let Some(tls) = &response.tls {
        let url = reqwest::Url::parse(&response.url).ok();
        let report = TlsReport {
            host: url
                .as_ref()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default(),
            port: url
                .as_ref()
                .and_then(|u| u.port_or_known_default())
                .unwrap_or(443),
            version: Some(tls.version.clone()),
            cipher_suite: Some(tls.cipher.clone()),
            key_exchange: None,
            alpn: tls.alpn.clone(),
            chain: tls.certificates.clone(),
            trusted: tls.verified,
            verdict: None,
            issues: Vec::new(),
            ..TlsReport::default()
        };
        out.extend(audit::tls::tls_findings(&report));
    }
    findings::sort(&mut out);
    out
}

fn sends_credentials(p: &Prepared) -> bool {
    p.headers.iter().any(|(n, _)| is_credential_header(n))
        || p.url.password().is_some()
        || p.url.query_pairs().any(|(n, _)| is_secret_param(&n))
}

/// The request-side findings, which need no response.
pub fn check_request(p: &Prepared) -> Vec<Finding> {
    let mut out = Vec::new();
    let in_body = if p.url.scheme() == "http" {
        secret_body_fields(p)
    } else {
        Vec::new()
    };
    if p.url.scheme() == "http" && (sends_credentials(p) || !in_body.is_empty()) {
        let mut what: Vec<String> = p
            .headers
            .iter()
            .filter(|(n, _)| is_credential_header(n))
            .map(|(n, _)| format!("{n} header"))
            .collect();
        if p.url.password().is_some() {
            what.push("a password in the URL".into());
        }
        what.extend(
            p.url
                .query_pairs()
                .filter(|(n, _)| is_secret_param(n))
                .map(|(n, _)| format!("query parameter {n}")),
        );
        what.extend(in_body.iter().map(|n| format!("field {n} in the body")));
        out.push(
            Finding::new(
                CREDENTIALS_OVER_HTTP,
                Severity::High,
                "Credentials are sent over plain http",
            )
            .evidence(format!("{} to {}", what.join(", "), p.url.origin().ascii_serialization()))
            .why("Anyone on the network path (Wi-Fi, proxy, ISP) can read and replay them; http has no encryption or server authentication.")
            .fix("Use https:// for every request that carries a token, key, password or session cookie, and have the server refuse credentials over http.")
            .reference("OWASP API2:2023 Broken Authentication", "https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/")
            .reference("RFC 6750 §5.3", "https://www.rfc-editor.org/rfc/rfc6750#section-5.3"),
        );
    }
    let mut names: Vec<String> = p
        .url
        .query_pairs()
        .filter(|(n, _)| is_secret_param(n))
        .map(|(n, _)| n.into_owned())
        .collect();
    if let Some(key) = &p.key_in_query
        && !names.contains(key)
    {
        names.push(key.clone());
    }
    if !names.is_empty() {
        out.push(
            Finding::new(TOKEN_IN_QUERY, Severity::Medium, "A token or API key is sent in the URL query")
                .evidence(format!("query parameter {}", names.join(", ")))
                .why("URLs end up in server and proxy logs, browser history and Referer headers, so a credential in the query leaks to everyone who can read those.")
                .fix("Send the credential in a header (Authorization: Bearer …, or an API-key header) instead of the query string.")
                .reference("OWASP API2:2023 Broken Authentication", "https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/")
                .reference("RFC 6750 §2.3", "https://www.rfc-editor.org/rfc/rfc6750#section-2.3"),
        );
    }
    out
}

/// The secret-named fields (password, token, api_key …) of a JSON or form body, at any
/// depth: a login posts its password there, not in a header.
fn secret_body_fields(p: &Prepared) -> Vec<String> {
    let mut names = Vec::new();
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(&p.body) {
        collect_secret_fields(&json, &mut names);
    } else if p
        .header("content-type")
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"))
    {
        names.extend(
            form_urlencoded::parse(&p.body)
                .filter(|(n, v)| is_secret_param(n) && !v.is_empty())
                .map(|(n, _)| n.into_owned()),
        );
    }
    names.dedup();
    names
}

fn collect_secret_fields(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (name, v) in map {
                match v {
                    serde_json::Value::String(s) if !s.is_empty() && is_secret_param(name) => {
                        out.push(name.clone())
                    }
                    _ => collect_secret_fields(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => {
            items.iter().for_each(|v| collect_secret_fields(v, out));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{Auth, Body, KeyPlace, Request, Row, Vars, prepare};

    #[test]
    fn credentials_over_http_and_token_in_query() {
        let mut req = Request::new("GET", "http://127.0.0.1:9/x?access_token=abc");
        req.auth = Auth::Bearer {
            token: "t0ken".into(),
        };
        let p = prepare(&req, &Vars::new(), None).unwrap();
        let ids: Vec<String> = check_request(&p).into_iter().map(|f| f.id).collect();
        assert_eq!(ids, [CREDENTIALS_OVER_HTTP, TOKEN_IN_QUERY]);
        let f = &check_request(&p)[0];
        assert!(
            f.evidence.contains("Authorization header"),
            "{}",
            f.evidence
        );
        assert!(!f.why.is_empty() && !f.fix.is_empty() && !f.refs.is_empty());

        let mut req = Request::new("GET", "https://h/x");
        req.auth = Auth::ApiKey {
            name: "k".into(),
            value: "v".into(),
            place: KeyPlace::Query,
        };
        let p = prepare(&req, &Vars::new(), None).unwrap();
        let ids: Vec<String> = check_request(&p).into_iter().map(|f| f.id).collect();
        assert_eq!(ids, [TOKEN_IN_QUERY]);
        let p = prepare(
            &Request::new("GET", "http://h/x?page=1"),
            &Vars::new(),
            None,
        )
        .unwrap();
        assert!(check_request(&p).is_empty());
    }

    #[test]
    fn a_password_in_a_json_or_form_body_over_http_is_flagged() {
        let login = |url: &str, body: Body| {
            let mut req = Request::new("POST", url);
            req.body = body;
            let p = prepare(&req, &Vars::new(), None).unwrap();
            check_request(&p)
        };
        let json = || Body::Json(r#"{"username":"alice","password":"alice-password"}"#.into());
        let found = login("http://127.0.0.1:9/login", json());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].id, CREDENTIALS_OVER_HTTP);
        assert!(
            found[0].evidence.contains("field password in the body"),
            "{}",
            found[0].evidence
        );
        assert!(!found[0].why.is_empty() && !found[0].fix.is_empty());
        assert!(login("https://127.0.0.1:9/login", json()).is_empty());
        let plain = Body::Json(r#"{"username":"alice","note":"hi"}"#.into());
        assert!(login("http://127.0.0.1:9/login", plain).is_empty());
        let form = Body::Form(vec![
            Row::new("username", "bob"),
            Row::new("password", "sunshine"),
        ]);
        assert_eq!(
            login("http://127.0.0.1:9/login", form)[0].id,
            CREDENTIALS_OVER_HTTP
        );
    }

    #[test]
    fn each_response_finding_is_listed_once() {
        let p = prepare(
            &Request::new("POST", "http://127.0.0.1:9/login"),
            &Vars::new(),
            None,
        )
        .unwrap();
        let response = Response {
            status: 200,
            url: "http://127.0.0.1:9/login".into(),
            headers: vec![
                ("server".into(), "apiward-lab/1".into()),
                ("x-powered-by".into(), "apiward-lab/1".into()),
                ("set-cookie".into(), "session=abc; Path=/".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: bytes::Bytes::from_static(b"{}"),
            ..Response::default()
        };
        let found = check(&p, &response);
        let cookie = found.iter().filter(|f| f.id.starts_with("cookie-")).count();
        assert!(cookie > 0, "the cookie without flags is reported");
        for (i, f) in found.iter().enumerate() {
            assert!(
                !found[i + 1..].contains(f),
                "{} ({}) is listed twice",
                f.id,
                f.evidence
            );
        }
    }
}
