//! Test helpers: real local servers, a test CA, and a reqwest client that trusts it.

pub mod pki;
pub mod raw;
pub mod server;

pub use pki::TestCa;
pub use server::{Route, TestServer};

use std::sync::Arc;

/// A reqwest client on rustls+ring that trusts only `ca`.
pub fn client_trusting(ca: &TestCa) -> reqwest::Client {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca.cert_der()).expect("CA certificate");
    client_with_roots(roots)
}

/// A reqwest client for plain HTTP (it trusts no certificate at all).
pub fn client() -> reqwest::Client {
    client_with_roots(rustls::RootCertStore::empty())
}

fn client_with_roots(roots: rustls::RootCertStore) -> reqwest::Client {
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocol versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .build()
        .expect("client")
}
