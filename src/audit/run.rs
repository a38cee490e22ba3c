//! One target's audit: the requests, run concurrently, and the report built from them.
//!
//! Requests per target are bounded: the redirect chain (at most `max_redirects + 1`), the
//! http:// redirect probe of an https target on port 443 (same bound), the CORS probes, one
//! TRACE, and four TLS connections. Nothing is retried. The extra probes (CORS, TRACE, TLS
//! versions) each have [`super::PROBE_TIMEOUT`] and the report lists those that ran out.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use reqwest::{Client, Method, Url};

use super::redirects::{Hop, score_redirects};
use super::tls::{self, TlsOptions};
use super::{AuditOptions, AuditReport, cookies, cors, headers, scoring, sri};
use crate::findings::{self, Finding};

/// Bodies are read up to this much: enough for SRI and the JSON check. A longer body is
/// judged on its first MiB, and the report says so.
pub const BODY_LIMIT: usize = 1 << 20;

/// Request headers that make a request authenticated.
const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "cookie",
    "x-api-key",
    "api-key",
    "x-auth-token",
    "proxy-authorization",
];

/// How long an extra probe may take: ten times what the target took to answer, at least
/// [`PROBE_FLOOR`], at most [`super::PROBE_TIMEOUT`] and the request timeout. A server that
/// answered in 5 ms and holds a TRACE open must not cost a loopback audit two seconds.
fn probe_limit(answered_in: Duration, opts: &AuditOptions) -> Duration {
    (answered_in * 10)
        .clamp(PROBE_FLOOR, super::PROBE_TIMEOUT)
        .min(opts.timeout)
}

/// The least time a probe gets, however fast the target.
const PROBE_FLOOR: Duration = Duration::from_millis(500);

/// `send` bounded by `limit`; on a timeout the error says so in words the report can show.
async fn probe(
    client: &Client,
    method: Method,
    url: &Url,
    extra: &[(String, String)],
    opts: &AuditOptions,
    limit: Duration,
) -> Result<Got, String> {
    match tokio::time::timeout(limit, send(client, method, url, extra, opts)).await {
        Ok(got) => got,
        Err(_) => Err(format!("timed out after {:.1} s", limit.as_secs_f32())),
    }
}

/// A response, read.
struct Got {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
    /// The body went on past [`BODY_LIMIT`].
    truncated: bool,
}

/// Every Display in an error's source chain: reqwest's own message rarely names the cause.
pub(crate) fn describe(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

fn client(opts: &AuditOptions, roots: Arc<rustls::RootCertStore>) -> Result<Client, String> {
    let builder = rustls::ClientConfig::builder_with_provider(tls::provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    let config = if opts.insecure {
        // --insecure: the recording verifier accepts any chain (the TLS report still says why
        // it would have been refused).
        builder
            .dangerous()
            .with_custom_certificate_verifier(tls::recording_verifier(roots, opts.now)?)
            .with_no_client_auth()
    } else {
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    Client::builder()
        .tls_backend_preconfigured(config)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(opts.timeout)
        .user_agent(concat!("apiward/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| describe(&e))
}

async fn send(
    client: &Client,
    method: Method,
    url: &Url,
    extra: &[(String, String)],
    opts: &AuditOptions,
) -> Result<Got, String> {
    let mut req = client.request(method, url.clone());
    for (k, v) in opts.request_headers.iter().chain(extra) {
        req = req.header(k, v);
    }
    let mut resp = req.send().await.map_err(|e| describe(&e))?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    // A body that fails half-way still leaves the headers to judge.
    let body = crate::net::read_capped(&mut resp, BODY_LIMIT)
        .await
        .unwrap_or_default();
    Ok(Got {
        status,
        headers,
        body: body.bytes,
        truncated: body.truncated,
    })
}

/// Follows redirects by hand so every hop is recorded. Returns the chain and the last response.
async fn follow(
    client: &Client,
    start: &Url,
    opts: &AuditOptions,
) -> (Vec<Hop>, Result<(Url, Got), String>) {
    let mut hops = Vec::new();
    let mut url = start.clone();
    loop {
        let got = match send(client, Method::GET, &url, &[], opts).await {
            Ok(got) => got,
            Err(e) => return (hops, Err(e)),
        };
        let location = headers::header(&got.headers, "location").map(str::to_string);
        hops.push(Hop {
            url: url.to_string(),
            status: got.status,
            location: location.clone(),
        });
        let next = location
            .filter(|_| (300..400).contains(&got.status))
            .and_then(|l| url.join(&l).ok());
        match next {
            Some(next) if hops.len() <= opts.max_redirects => url = next,
            _ => return (hops, Ok((url, got))),
        }
    }
}

fn authenticated(opts: &AuditOptions) -> bool {
    opts.request_headers
        .iter()
        .any(|(k, _)| CREDENTIAL_HEADERS.contains(&k.to_ascii_lowercase().as_str()))
}

fn host_port(url: &Url) -> Option<(String, u16)> {
    Some((url.host_str()?.to_string(), url.port_or_known_default()?))
}

async fn tls_for(
    url: &Url,
    opts: &AuditOptions,
    roots: &Arc<rustls::RootCertStore>,
) -> Option<tls::TlsReport> {
    let (host, port) = host_port(url).filter(|_| url.scheme() == "https")?;
    let topts = TlsOptions {
        roots: roots.clone(),
        now: opts.now,
        timeout: opts.timeout,
        probe_versions: opts.probe_tls_versions,
    };
    Some(tls::inspect(&host, port, &topts).await)
}

/// The audit itself, without the overall deadline (the caller adds it).
pub(crate) async fn run(target: &str, opts: &AuditOptions) -> AuditReport {
    let started = Instant::now();
    let mut report = AuditReport::empty(target);
    let url = match crate::net::http_url(target) {
        Ok(u) => u,
        Err(e) => return report.failed(e.to_string(), started),
    };
    let roots = match tls::roots(opts.ca_pem.as_deref()) {
        Ok(r) => Arc::new(r),
        Err(e) => return report.failed(e, started),
    };
    let client = match client(opts, roots.clone()) {
        Ok(c) => c,
        Err(e) => return report.failed(e, started),
    };

    // Phase one, concurrently: the chain from the target, TLS of an https target, and for an
    // https target on the default port, where plain http leads.
    let http_start = (url.scheme() == "https" && url.port().is_none()).then(|| {
        let mut u = url.clone();
        let _ = u.set_scheme("http");
        u
    });
    let (chain, tls_report, http_chain) = tokio::join!(
        follow(&client, &url, opts),
        tls_for(&url, opts, &roots),
        async {
            match &http_start {
                Some(u) => Some(follow(&client, u, opts).await),
                None => None,
            }
        }
    );
    report.tls = tls_report;
    let (hops, last) = chain;
    report.redirects = hops;
    let redirect_chain: Option<Vec<Hop>> = if url.scheme() == "http" {
        Some(report.redirects.clone())
    } else {
        // An https target: judge its http:// twin; unreachable http needs no redirect.
        http_chain.and_then(|(hops, _)| (!hops.is_empty()).then_some(hops))
    };
    if let Some(hops) = &redirect_chain
        && url.scheme() == "https"
    {
        report.http_redirects = hops.clone();
    }
    let (final_url, got) = match last {
        Ok(ok) => ok,
        Err(e) => {
            report.findings = report
                .tls
                .as_ref()
                .map(tls::tls_findings)
                .unwrap_or_default();
            report.tls_grade = report.tls.as_ref().map(super::grades::tls_grade);
            return report.failed(e, started);
        }
    };
    let is_https = final_url.scheme() == "https";
    let limit = probe_limit(started.elapsed(), opts);

    // Phase two, concurrently on the final URL: CORS probes, TRACE, and TLS when the https
    // side was only reached through redirects.
    let probes = cors::probes(&final_url);
    let cors_fut = futures_util::future::join_all(probes.iter().map(|(kind, origin)| {
        let (client, final_url) = (&client, &final_url);
        async move {
            let extra = [("origin".to_string(), origin.clone())];
            match probe(client, Method::GET, final_url, &extra, opts, limit).await {
                Ok(g) => cors::CorsProbe::from_response(*kind, origin, g.status, &g.headers),
                Err(e) => cors::CorsProbe {
                    kind: *kind,
                    origin: origin.clone(),
                    status: None,
                    allow_origin: None,
                    allow_credentials: false,
                    allowed: false,
                    error: Some(e),
                },
            }
        }
    }));
    let marker = format!("apiward-{}", started.elapsed().as_nanos());
    let trace_headers = [("x-apiward-trace".to_string(), marker.clone())];
    let trace_fut = probe(
        &client,
        Method::TRACE,
        &final_url,
        &trace_headers,
        opts,
        limit,
    );
    let need_tls = report.tls.is_none() && is_https;
    let late_tls = async {
        if need_tls {
            tls_for(&final_url, opts, &roots).await
        } else {
            None
        }
    };
    let (cors_probes, trace, late_tls) = tokio::join!(cors_fut, trace_fut, late_tls);
    if late_tls.is_some() {
        report.tls = late_tls;
    }
    report.cors = cors_probes;
    if let Err(e) = &trace
        && e.starts_with("timed out")
    {
        report.probe_timeouts.push(format!("TRACE {e}"));
    }
    for p in &report.cors {
        if let Some(e) = p.error.as_ref().filter(|e| e.starts_with("timed out")) {
            report
                .probe_timeouts
                .push(format!("CORS probe with Origin: {} {e}", p.origin));
        }
    }
    if let Some(t) = &report.tls {
        for p in t
            .protocols
            .iter()
            .filter(|p| p.detail.contains("timed out"))
        {
            report
                .probe_timeouts
                .push(format!("{} probe timed out", p.version));
        }
    }

    // Scored tests. An HTML page's own meta CSP and referrer count beside its headers, as
    // browsers (and the Observatory) apply them.
    let body = String::from_utf8_lossy(&got.body);
    let policy_headers = super::meta::with_meta_policies(&got.headers, &body);
    let mut header_check = headers::score_headers(&policy_headers, is_https);
    let hsts_value = headers::joined(&got.headers, "strict-transport-security");
    let mut hsts_result = if is_https {
        headers::hsts_result(hsts_value.as_deref()).0
    } else {
        "hsts-not-implemented-no-https"
    };
    // HSTS means nothing behind a certificate browsers refuse (the Observatory's
    // hsts-invalid-cert): the test is replaced, the header's own findings stay.
    if is_https && report.tls.as_ref().is_some_and(|t| !t.trusted) {
        hsts_result = "hsts-invalid-cert";
        for t in header_check.tests.iter_mut() {
            if t.test == "strict-transport-security" {
                *t = scoring::ScoredTest::new(hsts_result);
            }
        }
    }
    let hsts_ok = hsts_result == "hsts-implemented-max-age-at-least-six-months";
    let set_cookies: Vec<&str> = got
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let (cookie_test, cookie_findings) = cookies::score_cookies(&set_cookies, hsts_ok);
    let (redirect_test, redirect_findings) = score_redirects(redirect_chain.as_deref());
    // https is enforced when http cannot load the page: no http at all, or its first
    // redirect goes straight to https.
    let https_enforced = is_https
        && redirect_chain
            .as_ref()
            .is_none_or(|hops| hops.get(1).is_some_and(|h| h.url.starts_with("https://")));
    let content_type = headers::header(&got.headers, "content-type");
    let (sri_test, sri_findings) = sri::check(&final_url, content_type, &body, https_enforced);
    let mut tests = header_check.tests;
    tests.extend([
        cookie_test,
        cors::score(&report.cors),
        redirect_test,
        sri_test,
    ]);
    let score = scoring::score(&tests);

    let mut findings: Vec<Finding> = header_check.findings;
    findings.extend(cookie_findings);
    findings.extend(cors::findings(
        &report.cors,
        url.scheme() == "https" || is_https,
    ));
    findings.extend(redirect_findings);
    findings.extend(sri_findings);
    findings.extend(headers::check_api_headers(&got.headers));
    findings.extend(headers::check_cache_control(
        &got.headers,
        authenticated(opts),
    ));
    findings.extend(headers::check_json_content_type(&got.headers, &got.body));
    if let Ok(t) = &trace
        && (200..300).contains(&t.status)
        && (String::from_utf8_lossy(&t.body).contains(&marker) || t.body.starts_with(b"TRACE "))
    {
        findings.push(super::rules::finding(
            "trace-enabled",
            format!(
                "TRACE {final_url} answered {} and echoed the request",
                t.status
            ),
        ));
    }
    findings.extend(
        report
            .tls
            .as_ref()
            .map(tls::tls_findings)
            .unwrap_or_default(),
    );
    findings::sort(&mut findings);

    report.final_url = Some(final_url.to_string());
    report.status = Some(got.status);
    report.body_cut_at = got.truncated.then_some(BODY_LIMIT);
    report.headers = header_map(&got.headers);
    report.score = Some(score);
    report.grade = Some(scoring::grade(score).to_string());
    report.tls_grade = report.tls.as_ref().map(super::grades::tls_grade);
    report.overall_grade = Some(super::grades::overall(
        scoring::grade(score),
        report.tls_grade.as_ref(),
    ));
    report.tests = tests;
    report.findings = findings;
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    report
}

/// Headers as a sorted map; repeated headers are joined with ", " (Set-Cookie with "\n").
fn header_map(h: &HeaderMap) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for name in h.keys() {
        let sep = if name == "set-cookie" { "\n" } else { ", " };
        let values: Vec<String> = h
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        out.insert(name.to_string(), values.join(sep));
    }
    out
}
