//! The header and TLS audit against real servers on 127.0.0.1, started by each test.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use apiward::audit::tls::legacy;
use apiward::audit::{AuditOptions, AuditReport, TrustIssue, audit, audit_many};
use apiward::findings::Severity;
use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;

use crate::audit_support::{
    FnServer, good_route, protocol_version_alert, raw_tls_server, server_hello,
};
use crate::harness::pki::{ServerCert, self_signed};
use crate::harness::{Route, TestCa, TestServer};

const HOSTS: &[&str] = &["localhost", "127.0.0.1"];

fn opts(ca: &TestCa) -> AuditOptions {
    AuditOptions {
        timeout: Duration::from_secs(5),
        target_timeout: Duration::from_secs(15),
        ca_pem: Some(ca.cert_pem().into_bytes()),
        ..AuditOptions::default()
    }
}

fn https(routes: Vec<Route>, cert: &ServerCert) -> TestServer {
    TestServer::https(routes, cert)
}

fn assert_has(report: &AuditReport, id: &str) {
    assert!(
        report.finding(id).is_some(),
        "expected {id} in {:?} (error {:?})",
        report.finding_ids(),
        report.error
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_well_configured_https_api_gets_a_top_grade() {
    let ca = TestCa::new("audit CA");
    let server = https(vec![good_route("/")], &ca.issue(HOSTS));
    let report = audit(&server.localhost_url("/"), &opts(&ca)).await;
    assert_eq!(report.error, None);
    // 100, no penalties; bonuses +10 CSP, +5 frame-ancestors, +5 referrer, +5 cookies,
    // +10 CORP same-origin: the Observatory's maximum.
    assert_eq!(report.score, Some(135), "{:#?}", report.tests);
    assert_eq!(report.grade.as_deref(), Some("A+"));
    // A trusted TLS 1.3 server: the overall grade is the TLS grade, A.
    assert_eq!(
        report.tls_grade.as_ref().map(|g| g.grade.as_str()),
        Some("A")
    );
    assert_eq!(report.overall_grade.as_deref(), Some("A"));
    let serious: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Medium)
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
    let tls = report.tls.as_ref().expect("tls report");
    assert!(tls.trusted, "{:?}", tls.verdict);
    assert_eq!(tls.version.as_deref(), Some("TLS 1.3"));
    assert_eq!(tls.alpn.as_deref(), Some("h2"));
    assert!(tls.cipher_suite.is_some() && tls.key_exchange.is_some());
    assert_eq!(tls.chain.len(), 2);
    assert!(
        tls.chain[0].sans.contains(&"localhost".to_string()),
        "{:?}",
        tls.chain[0].sans
    );
    assert_eq!(tls.chain[0].key_type, "EC");
    assert_eq!(tls.chain[1].subject, "CN=audit CA");
    let accepted: Vec<_> = tls
        .protocols
        .iter()
        .map(|p| (p.version.as_str(), p.accepted))
        .collect();
    assert_eq!(
        accepted,
        [
            ("TLS 1.0", Some(false)),
            ("TLS 1.1", Some(false)),
            ("TLS 1.2", Some(true)),
            ("TLS 1.3", Some(true))
        ]
    );
    // Every Corsy-style probe went out, and a strict allowlist allowed none of them.
    let url = reqwest::Url::parse(&server.localhost_url("/")).unwrap();
    assert_eq!(report.cors.len(), apiward::audit::cors::probes(&url).len());
    assert!(report.cors.iter().all(|p| !p.allowed), "{:?}", report.cors);
    assert_eq!(report.headers["x-content-type-options"], "nosniff");
    let json = serde_json::to_value(&report).unwrap();
    for key in [
        "target",
        "score",
        "grade",
        "findings",
        "tls",
        "headers",
        "redirects",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    eprintln!("full loopback https audit took {} ms", report.elapsed_ms);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_security_headers_means_a_low_grade_and_the_header_findings() {
    let ca = TestCa::new("audit CA");
    let server = https(
        vec![
            Route::new("/")
                .header("server", "nginx/1.18.0")
                .header("x-powered-by", "Express"),
        ],
        &ca.issue(HOSTS),
    );
    let report = audit(&server.localhost_url("/"), &opts(&ca)).await;
    // -25 CSP, -20 HSTS, -20 XFO, -5 XCTO: 30.
    assert_eq!(
        (report.score, report.grade.as_deref()),
        (Some(30), Some("D"))
    );
    for id in [
        "csp-missing",
        "hsts-missing",
        "xfo-missing",
        "xcto-missing",
        "info-leak-header",
        "permissions-policy-missing",
    ] {
        assert_has(&report, id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_certificate_is_named_and_its_chain_captured() {
    let ca = TestCa::new("audit CA");
    let server = https(vec![good_route("/")], &ca.issue_expired(HOSTS));
    let report = audit(&server.localhost_url("/"), &opts(&ca)).await;
    assert_has(&report, "tls-cert-expired");
    let tls = report.tls.as_ref().unwrap();
    assert!(!tls.trusted);
    assert_eq!(tls.issues, [TrustIssue::Expired]);
    assert_eq!(
        tls.chain.len(),
        2,
        "the chain is captured though it is refused"
    );
    assert!(tls.chain[0].days_left < 0);
    assert!(
        report.error.is_some(),
        "the headers cannot be fetched over an untrusted connection"
    );

    // With --insecure the headers are audited too, and the TLS finding stays.
    let report = audit(
        &server.localhost_url("/"),
        &AuditOptions {
            insecure: true,
            ..opts(&ca)
        },
    )
    .await;
    assert_eq!(report.error, None);
    assert_has(&report, "tls-cert-expired");
    // HSTS counts for nothing behind a refused certificate (hsts-invalid-cert, -20, so the
    // bonuses drop out: 80, B+), and the overall grade is capped by the TLS grade: F.
    assert_eq!(report.grade.as_deref(), Some("B+"), "{:#?}", report.tests);
    assert_eq!(report.tls_grade.as_ref().unwrap().grade, "F");
    assert_eq!(report.overall_grade.as_deref(), Some("F"));
    assert!(
        report.tests.iter().any(|t| t.result == "hsts-invalid-cert"),
        "{:#?}",
        report.tests
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_not_valid_yet_is_named() {
    let ca = TestCa::new("audit CA");
    let server = https(vec![good_route("/")], &ca.issue_not_yet_valid(HOSTS));
    let report = audit(&server.localhost_url("/"), &opts(&ca)).await;
    assert_has(&report, "tls-cert-not-yet-valid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiry_is_computed_against_the_injected_clock() {
    let ca = TestCa::new("audit CA");
    let cert = ca.issue_with(HOSTS, |p| p.not_after = rcgen::date_time_ymd(2030, 1, 1));
    let server = https(vec![good_route("/")], &cert);
    // 2029-12-22T00:00:00Z: ten days before notAfter, so still trusted but expiring.
    let now = Some(1_892_592_000);
    let report = audit(
        &server.localhost_url("/"),
        &AuditOptions { now, ..opts(&ca) },
    )
    .await;
    assert!(report.tls.as_ref().unwrap().trusted);
    assert_eq!(report.tls.as_ref().unwrap().chain[0].days_left, 10);
    assert_has(&report, "tls-cert-expiring");
    // And a clock past notAfter makes the same certificate expired.
    let later = AuditOptions {
        now: Some(1_900_000_000),
        insecure: true,
        ..opts(&ca)
    };
    assert_has(
        &audit(&server.localhost_url("/"), &later).await,
        "tls-cert-expired",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_signed_and_ca_as_leaf_certificates_are_named() {
    let ca = TestCa::new("audit CA");
    let server = https(vec![good_route("/")], &self_signed(HOSTS, false));
    let report = audit(&server.localhost_url("/"), &opts(&ca)).await;
    assert_has(&report, "tls-cert-self-signed");
    assert_eq!(report.tls.as_ref().unwrap().chain.len(), 1);

    // What `openssl req -x509` makes: self-signed and CA:true.
    let server = https(vec![good_route("/")], &self_signed(HOSTS, true));
    let report = audit(&server.localhost_url("/"), &opts(&ca)).await;
    assert_has(&report, "tls-cert-self-signed");
    assert_has(&report, "tls-cert-ca-as-leaf");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_issuer_and_a_wrong_host_name_are_named() {
    let ca = TestCa::new("audit CA");
    let server = https(vec![good_route("/")], &ca.issue(&["other.example"]));
    let report = audit(&server.localhost_url("/"), &opts(&ca)).await;
    assert_has(&report, "tls-hostname-mismatch");
    assert_eq!(
        report.tls.as_ref().unwrap().issues,
        [TrustIssue::HostnameMismatch]
    );

    let stranger = TestCa::new("someone else");
    let server = https(vec![good_route("/")], &stranger.issue(HOSTS));
    let report = audit(&server.localhost_url("/"), &opts(&ca)).await;
    assert_has(&report, "tls-cert-untrusted");
    assert_eq!(
        report.tls.as_ref().unwrap().issues,
        [TrustIssue::UnknownIssuer]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls12_only_server_lacks_tls13() {
    let ca = TestCa::new("audit CA");
    let cert = ca.issue(HOSTS);
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS12])
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(cert.chain.clone(), cert.key())
    .unwrap();
    let server = TestServer::https_with(vec![good_route("/")], config);
    let report = audit(&server.localhost_url("/"), &opts(&ca)).await;
    assert_eq!(report.error, None);
    assert_has(&report, "tls-no-tls13");
    let tls = report.tls.unwrap();
    assert_eq!(tls.version.as_deref(), Some("TLS 1.2"));
    assert!(tls.cipher_suite.unwrap().starts_with("TLS_ECDHE_"));
}

fn reflecting_cors(credentials: bool) -> FnServer {
    FnServer::start(
        None,
        Arc::new(move |parts| {
            let mut resp = Response::builder()
                .status(200)
                .header("content-type", "application/json");
            if let Some(origin) = parts.headers.get("origin") {
                resp = resp.header("access-control-allow-origin", origin.clone());
                if credentials {
                    resp = resp.header("access-control-allow-credentials", "true");
                }
            }
            resp.body(Full::new(Bytes::from_static(b"{}"))).unwrap()
        }),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_that_reflects_the_origin_with_credentials_is_high() {
    let server = reflecting_cors(true);
    let report = audit(&server.localhost_url("http", "/"), &AuditOptions::default()).await;
    let f = report
        .finding("cors-reflects-origin")
        .expect("cors-reflects-origin");
    assert_eq!(f.severity, Severity::High);
    assert!(report.cors.iter().all(|p| p.allowed && p.allow_credentials));
    // Universal access costs 50 on top of the missing headers: floored at 0.
    assert_eq!(report.score, Some(0));
    // The narrower probes are the same flaw and are not repeated.
    assert!(report.finding("cors-null-origin").is_none());

    let server = reflecting_cors(false);
    let report = audit(&server.localhost_url("http", "/"), &AuditOptions::default()).await;
    assert_eq!(
        report.finding("cors-reflects-origin").unwrap().severity,
        Severity::Medium
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_without_flags_are_findings() {
    let server = TestServer::http(vec![
        Route::new("/").header("set-cookie", "session=abc123; Path=/"),
    ]);
    let report = audit(&server.url("/"), &AuditOptions::default()).await;
    for id in [
        "cookie-no-secure",
        "cookie-no-httponly",
        "cookie-no-samesite",
    ] {
        assert_has(&report, id);
    }
    assert!(
        report
            .tests
            .iter()
            .any(|t| t.result == "cookies-session-without-secure-flag")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_with_and_without_the_https_redirect() {
    let ca = TestCa::new("audit CA");
    let secure = https(vec![good_route("/")], &ca.issue(HOSTS));
    let target = format!("https://127.0.0.1:{}/", secure.addr.port());
    let redirecting = TestServer::http(vec![
        Route::new("/").status(301).header("location", &target),
    ]);
    let report = audit(&redirecting.url("/"), &opts(&ca)).await;
    assert_eq!(report.error, None);
    assert!(
        report.finding("http-no-redirect").is_none(),
        "{:?}",
        report.finding_ids()
    );
    assert_eq!(report.redirects.len(), 2);
    assert_eq!(report.redirects[0].status, 301);
    assert_eq!(
        report.redirects[0].location.as_deref(),
        Some(target.as_str())
    );
    assert_eq!(report.final_url.as_deref(), Some(target.as_str()));
    assert!(
        report
            .tests
            .iter()
            .any(|t| t.result == "redirection-to-https")
    );
    assert!(
        report.tls.as_ref().is_some_and(|t| t.trusted),
        "TLS of the https side is inspected"
    );

    let plain = TestServer::http(vec![Route::new("/")]);
    let report = audit(&plain.url("/"), &opts(&ca)).await;
    assert_has(&report, "http-no-redirect");
    assert!(
        report
            .tests
            .iter()
            .any(|t| t.result == "redirection-missing")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_that_echoes_is_found_and_authenticated_responses_need_no_store() {
    let server = TestServer::http(vec![
        Route::echo("/").method("TRACE"),
        Route::new("/").header("cache-control", "private"),
    ]);
    let opts = AuditOptions {
        request_headers: vec![("Authorization".into(), "Bearer t0ken".into())],
        ..AuditOptions::default()
    };
    let report = audit(&server.url("/"), &opts).await;
    assert_has(&report, "trace-enabled");
    assert_has(&report, "cache-control-missing");
    assert!(server.requests().iter().all(|r| {
        r.headers
            .get("authorization")
            .is_some_and(|v| v == "Bearer t0ken")
    }));
    // The page, its http twin, one TRACE and the CORS probes: nothing repeated.
    assert!(
        server.requests().len() <= 17,
        "{} requests",
        server.requests().len()
    );
}

#[tokio::test]
async fn legacy_protocol_probe_reads_server_hello_or_alert() {
    let accepting = raw_tls_server(server_hello(legacy::TLS10));
    let got = legacy::probe(
        "127.0.0.1",
        accepting.port(),
        legacy::TLS10,
        Duration::from_secs(2),
    )
    .await;
    assert_eq!(got.accepted, Some(true), "{got:?}");

    let refusing = raw_tls_server(protocol_version_alert());
    let got = legacy::probe(
        "127.0.0.1",
        refusing.port(),
        legacy::TLS10,
        Duration::from_secs(2),
    )
    .await;
    assert_eq!(got.accepted, Some(false), "{got:?}");
    assert!(got.detail.contains("70"), "{}", got.detail);

    // A server that answers a TLS 1.1 hello with TLS 1.0 has not accepted 1.1.
    let downgrading = raw_tls_server(server_hello(legacy::TLS10));
    let got = legacy::probe(
        "127.0.0.1",
        downgrading.port(),
        legacy::TLS11,
        Duration::from_secs(2),
    )
    .await;
    assert_eq!(got.accepted, Some(false), "{got:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_survives_dead_and_slow_hosts() {
    let good = TestServer::http(vec![Route::new("/")]);
    let slow = TestServer::http(vec![Route::new("/").delay(Duration::from_secs(600))]);
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let urls = [
        good.url("/"),
        format!("http://127.0.0.1:{dead}/"),
        slow.url("/"),
        "not a url".to_string(),
    ];
    let opts = AuditOptions {
        timeout: Duration::from_millis(500),
        target_timeout: Duration::from_secs(2),
        ..AuditOptions::default()
    };
    let seen = AtomicUsize::new(0);
    // The bound only catches a batch the slow host stalls for good; its report must say it
    // failed (below).
    let reports = tokio::time::timeout(
        Duration::from_secs(60),
        audit_many(&urls, &opts, 2, |_| {
            seen.fetch_add(1, Ordering::SeqCst);
        }),
    )
    .await
    .expect("the slow host stalled the batch");
    assert_eq!(seen.load(Ordering::SeqCst), 4);
    let targets: Vec<_> = reports.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(targets, urls.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(reports[0].error, None);
    assert!(reports[0].score.is_some());
    for r in &reports[1..] {
        assert!(r.error.is_some(), "{} should fail", r.target);
        assert_eq!(r.score, None);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trace_that_never_answers_costs_a_short_probe_timeout_and_is_reported() {
    // The page answers; TRACE is held open far past the probe timeout.
    let server = TestServer::http(vec![
        Route::new("/")
            .method("TRACE")
            .delay(Duration::from_secs(60)),
        Route::new("/").body("{}"),
    ]);
    let report = audit(
        &server.url("/"),
        &AuditOptions {
            timeout: Duration::from_secs(30),
            target_timeout: Duration::from_secs(45),
            ..AuditOptions::default()
        },
    )
    .await;
    assert_eq!(report.error, None);
    // A loopback server answers in milliseconds, so its probes get the 0.5 s floor, not the
    // 30 s request timeout nor the 2 s cap.
    assert!(
        report
            .probe_timeouts
            .iter()
            .any(|t| t.starts_with("TRACE timed out after 0.5 s")),
        "{:?}",
        report.probe_timeouts
    );
    assert!(report.score.is_some());
    assert!(report.elapsed_ms < 2_000, "{} ms", report.elapsed_ms);
}
