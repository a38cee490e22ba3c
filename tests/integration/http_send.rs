//! The request builder's core against real local servers: methods, headers and bodies,
//! redirects, compression, cookies, timeouts, TLS, the body cap, history and findings.

use std::time::Duration;

use apiward::http::{
    self, Auth, Body, History, HttpVersion, Part, PartValue, Request, Row, SendError, Vars,
};
use tokio::io::AsyncReadExt;

use crate::harness::{Route, TestCa, TestServer};

async fn send(req: &Request) -> Result<http::Response, SendError> {
    let prepared = http::prepare(req, &Vars::new(), None).expect("prepare");
    http::send(&prepared, None).await
}

fn echo_json(resp: &http::Response) -> serde_json::Value {
    serde_json::from_slice(&resp.body).expect("echo JSON")
}

#[tokio::test]
async fn methods_headers_and_every_body_type() {
    let server = TestServer::http(vec![Route::echo("/echo")]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("up.txt"), "uploaded bytes").unwrap();

    let mut req = Request::new("PURGE", &server.url("/echo"))
        .header("X-One", "1")
        .query("q", "a b");
    req.headers.push(Row::new("X-Off", "no").disabled());
    let resp = send(&req).await.unwrap();
    let echo = echo_json(&resp);
    assert_eq!(echo["method"], "PURGE");
    assert_eq!(echo["path"], "/echo?q=a+b");
    assert_eq!(echo["headers"]["x-one"], "1");
    assert!(echo["headers"].get("x-off").is_none());
    assert_eq!(resp.status, 200);
    assert!(
        resp.timing.phases && resp.timing.connect_ms.is_some() && resp.timing.ttfb_ms.is_some()
    );
    assert_eq!(resp.remote_addr, Some(server.addr));

    let bodies = [
        (
            Body::Json("{\"a\": 1}".into()),
            "application/json",
            "{\"a\": 1}".to_string(),
        ),
        (
            Body::Form(vec![Row::new("a", "1 2")]),
            "application/x-www-form-urlencoded",
            "a=1+2".into(),
        ),
        (
            Body::Raw("raw text".into()),
            "text/plain; charset=utf-8",
            "raw text".into(),
        ),
        (
            Body::File(dir.path().join("up.txt")),
            "text/plain",
            "uploaded bytes".into(),
        ),
    ];
    for (body, ct, sent) in bodies {
        let mut req = Request::new("POST", &server.url("/echo"));
        req.body = body;
        let echo = echo_json(&send(&req).await.unwrap());
        assert_eq!(echo["headers"]["content-type"], ct);
        assert_eq!(echo["body"], sent.as_str());
    }
    let mut req = Request::new("POST", &server.url("/echo"));
    req.body = Body::Multipart(vec![
        Part {
            name: "t".into(),
            value: PartValue::Text("v".into()),
            enabled: true,
        },
        Part {
            name: "f".into(),
            value: PartValue::File(dir.path().join("up.txt")),
            enabled: true,
        },
    ]);
    let echo = echo_json(&send(&req).await.unwrap());
    assert!(
        echo["headers"]["content-type"]
            .as_str()
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    let body = echo["body"].as_str().unwrap();
    assert!(
        body.contains("name=\"t\"\r\n\r\nv\r\n") && body.contains("uploaded bytes"),
        "{body}"
    );

    let mut req = Request::new("GET", &server.url("/echo"));
    req.auth = Auth::Basic {
        username: "u".into(),
        password: "p".into(),
    };
    let echo = echo_json(&send(&req).await.unwrap());
    assert_eq!(echo["headers"]["authorization"], "Basic dTpw");
}

#[tokio::test]
async fn redirects_are_followed_recorded_and_limited() {
    let server = TestServer::http(vec![
        Route::new("/a").status(302).header("location", "/b"),
        Route::new("/b").status(301).header("location", "/echo"),
        Route::echo("/echo"),
        Route::new("/loop").status(302).header("location", "/loop"),
    ]);
    let mut req = Request::new("POST", &server.url("/a"));
    req.body = Body::Raw("x".into());
    let resp = send(&req).await.unwrap();
    assert_eq!(resp.status, 302, "not followed by default");
    req.options.follow_redirects = true;
    let resp = send(&req).await.unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.redirects.len(), 2);
    assert_eq!(resp.redirects[0].status, 302);
    assert_eq!(resp.redirects[1].location.as_deref(), Some("/echo"));
    assert_eq!(
        echo_json(&resp)["method"],
        "GET",
        "a POST redirected by 302 becomes GET"
    );
    let mut req = Request::new("GET", &server.url("/loop"));
    req.options.follow_redirects = true;
    req.options.max_redirects = 3;
    let err = send(&req).await.unwrap_err();
    assert!(
        matches!(err, SendError::TooManyRedirects { max: 3, .. }),
        "{err}"
    );
}

async fn compress(data: &[u8], brotli: bool) -> Vec<u8> {
    use async_compression::tokio::bufread::{BrotliEncoder, GzipEncoder};
    let mut out = Vec::new();
    if brotli {
        BrotliEncoder::new(data)
            .read_to_end(&mut out)
            .await
            .unwrap();
    } else {
        GzipEncoder::new(data).read_to_end(&mut out).await.unwrap();
    }
    out
}

#[tokio::test]
async fn gzip_and_brotli_are_decoded_and_the_cap_truncates() {
    let text = "hello compressed world ".repeat(1000);
    let server = TestServer::http(vec![
        Route::new("/gz")
            .header("content-encoding", "gzip")
            .body(compress(text.as_bytes(), false).await),
        Route::new("/br")
            .header("content-encoding", "br")
            .body(compress(text.as_bytes(), true).await),
        Route::new("/big").body(vec![b'x'; 100_000]),
    ]);
    for (path, enc) in [("/gz", "gzip"), ("/br", "br")] {
        let resp = send(&Request::new("GET", &server.url(path))).await.unwrap();
        assert_eq!(resp.body, text.as_bytes(), "{path}");
        assert_eq!(resp.decoded_from.as_deref(), Some(enc));
    }
    let seen = server.requests();
    assert_eq!(seen[0].headers["accept-encoding"], "gzip, br");
    let mut req = Request::new("GET", &server.url("/big"));
    req.options.max_body = 1000;
    let resp = send(&req).await.unwrap();
    assert!(resp.truncated);
    assert_eq!(resp.body.len(), 1000);
    req.options.max_body = 100_000;
    assert!(!send(&req).await.unwrap().truncated);
}

#[tokio::test]
async fn cookies_and_findings() {
    let server = TestServer::http(vec![
        Route::new("/c")
            .header("set-cookie", "sid=abc; Path=/")
            .header("set-cookie", "pref=1; Secure; HttpOnly; SameSite=Strict")
            .header("server", "nginx/1.25.3"),
    ]);
    let mut req = Request::new("GET", &server.url("/c")).query("access_token", "t0k");
    req.auth = Auth::Bearer {
        token: "bearer-token".into(),
    };
    let prepared = http::prepare(&req, &Vars::new(), None).unwrap();
    let resp = http::send(&prepared, None).await.unwrap();
    assert_eq!(resp.cookies.len(), 2);
    assert_eq!(resp.cookies[0].name, "sid");
    assert!(resp.cookies[1].secure && resp.cookies[1].http_only);
    let ids: Vec<String> = http::findings::check(&prepared, &resp)
        .into_iter()
        .map(|f| f.id)
        .collect();
    for id in [
        "credentials-over-http",
        "token-in-query",
        "cookie-no-httponly",
        "info-leak-header",
        "xcto-missing",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id} missing from {ids:?}");
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = TestServer::http(vec![Route::new("/slow").delay(Duration::from_secs(600))]);
    let mut req = Request::new("GET", &server.url("/slow"));
    req.options.timeout_ms = 300;
    // The outer bound only catches a send that never stops; the verdict is the timeout error.
    let err = tokio::time::timeout(Duration::from_secs(30), send(&req))
        .await
        .expect("the send never stopped")
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
}

#[tokio::test]
async fn refused_connections_say_so() {
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let err = send(&Request::new("GET", &format!("http://{addr}/")))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Refused(_)), "{err}");
    assert!(err.to_string().contains("refused"));
}

#[tokio::test]
async fn tls_with_the_ca_file_without_it_and_insecure() {
    let ca = TestCa::new("apiward http test CA");
    let cert = ca.issue(&["localhost"]);
    let server = TestServer::https(vec![Route::echo("/e")], &cert);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.cert_pem()).unwrap();

    let mut req = Request::new("GET", &server.localhost_url("/e"));
    req.options.ca_file = Some(ca_file.clone());
    let resp = send(&req).await.unwrap();
    let tls = resp.tls.as_ref().unwrap();
    assert!(tls.verified);
    assert_eq!(tls.version, "TLS 1.3");
    assert!(!tls.cipher.is_empty());
    assert_eq!(tls.alpn.as_deref(), Some("h2"));
    assert_eq!(resp.version, "HTTP/2");
    assert!(tls.certificates[0].subject.contains("localhost"));
    assert!(resp.timing.tls_ms.is_some());

    req.options.http_version = HttpVersion::Http1;
    let resp = send(&req).await.unwrap();
    assert_eq!(resp.version, "HTTP/1.1");

    let plain = Request::new("GET", &server.localhost_url("/e"));
    let err = send(&plain).await.unwrap_err();
    assert!(matches!(err, SendError::Tls { .. }), "{err}");
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "{err}"
    );

    let mut insecure = plain.clone();
    insecure.options.verify_tls = false;
    let resp = send(&insecure).await.unwrap();
    assert!(!resp.tls.unwrap().verified);
}

#[tokio::test]
async fn a_cancelled_task_stops_and_history_is_redacted() {
    let server = TestServer::http(vec![
        Route::new("/slow").delay(Duration::from_secs(30)),
        Route::echo("/e"),
    ]);
    let (runner, _events) = apiward::tasks::TaskRunner::new(4);
    let req = Request::new("GET", &server.url("/slow"));
    let prepared = http::prepare(&req, &Vars::new(), None).unwrap();
    let handle = http::spawn_send(&runner, req, prepared, None);
    tokio::time::sleep(Duration::from_millis(100)).await;
    runner.cancel(handle.id);
    let ended = tokio::time::timeout(Duration::from_secs(30), handle.join())
        .await
        .expect("the cancelled send never stopped");
    assert!(
        matches!(ended, Err(apiward::tasks::TaskError::Cancelled)),
        "{ended:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let history = History::in_dir(dir.path());
    let mut vars = Vars::new();
    vars.set("secret", "env-secret-value-42", true);
    let mut req = Request::new("POST", &server.url("/e")).header("X-Api-Key", "{{secret}}");
    req.body = Body::Json("{\"password\": \"{{secret}}\"}".into());
    req.auth = Auth::Bearer {
        token: "literal-bearer-99".into(),
    };
    let prepared = http::prepare(&req, &vars, None).unwrap();
    let handle = http::spawn_send(&runner, req, prepared, Some(history.clone()));
    let exchange = handle.join().await.unwrap();
    assert!(String::from_utf8_lossy(&exchange.response.body).contains("env-secret-value-42"));
    let written = std::fs::read_to_string(history.path()).unwrap();
    assert!(!written.contains("env-secret-value-42"), "{written}");
    assert!(!written.contains("literal-bearer-99"), "{written}");
    assert_eq!(history.list().unwrap()[0].status, Some(200));
}
