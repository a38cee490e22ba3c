//! The harness itself: its HTTP and HTTPS servers answer as configured and record requests.

use crate::harness::{Route, TestCa, TestServer, client, client_trusting};

#[tokio::test]
async fn http_server_serves_routes_and_records_requests() {
    let server = TestServer::http(vec![
        Route::new("/hello")
            .header("x-test", "yes")
            .body("hi there"),
        Route::echo("/echo").method("POST"),
    ]);
    let client = client();
    let resp = client.get(server.url("/hello")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["x-test"], "yes");
    assert_eq!(resp.text().await.unwrap(), "hi there");

    let echoed = client
        .post(server.url("/echo?a=1"))
        .header("x-custom", "42")
        .body("payload")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let echoed: serde_json::Value = serde_json::from_slice(&echoed).unwrap();
    assert_eq!(echoed["method"], "POST");
    assert_eq!(echoed["path"], "/echo?a=1");
    assert_eq!(echoed["headers"]["x-custom"], "42");
    assert_eq!(echoed["body"], "payload");

    let missing = client.get(server.url("/nope")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn https_server_is_trusted_through_the_test_ca_only() {
    let ca = TestCa::new("apiward test CA");
    let cert = ca.issue(&["localhost", "127.0.0.1"]);
    let server = TestServer::https(vec![Route::new("/").body("secure")], &cert);

    let trusting = client_trusting(&ca);
    let body = trusting
        .get(server.localhost_url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(body, "secure");

    // A client that trusts a different CA refuses the certificate.
    let other = client_trusting(&TestCa::new("someone else"));
    let err = other.get(server.url("/")).send().await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
}

#[tokio::test]
async fn routes_can_fail_slowly_and_certificates_export_as_pem() {
    let server = TestServer::http(vec![
        Route::new("/busy")
            .status(503)
            .delay(std::time::Duration::from_millis(20)),
    ]);
    let resp = client().get(server.url("/busy")).send().await.unwrap();
    assert_eq!(resp.status(), 503);

    let ca = TestCa::new("pem CA");
    let cert = ca.issue(&["localhost"]);
    assert!(ca.cert_pem().starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(cert.cert_pem.starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(cert.key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
}
