//! The lab's HTTPS side: a throwaway certificate authority and a leaf for localhost made with
//! rcgen at every start, a ring-based rustls `ServerConfig`, and a listener that does the TLS
//! handshake so axum can serve it like plain TCP.
//!
//! A separate CA (rather than one self-signed leaf) lets a learner trust the lab with
//! `--ca ca.pem`, which rustls accepts, instead of reaching for `--insecure`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use super::LabError;

/// The certificates made for one run of the lab.
pub struct LabTls {
    /// The CA certificate to trust, PEM.
    pub ca_pem: String,
    pub server_config: Arc<rustls::ServerConfig>,
}

/// Makes a CA and a leaf for localhost, 127.0.0.1 and ::1, valid for the run.
pub fn generate() -> Result<LabTls, LabError> {
    let fail = |e: &dyn std::fmt::Display| LabError::Tls(e.to_string());
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(|e| fail(&e))?;
    params
        .distinguished_name
        .push(DnType::CommonName, "apiward practice lab CA");
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().map_err(|e| fail(&e))?;
    let issuer = CertifiedIssuer::self_signed(params, ca_key).map_err(|e| fail(&e))?;

    let hosts = vec!["localhost".to_string(), "127.0.0.1".into(), "::1".into()];
    let mut leaf = CertificateParams::new(hosts).map_err(|e| fail(&e))?;
    leaf.distinguished_name
        .push(DnType::CommonName, "apiward practice lab");
    let leaf_key = KeyPair::generate().map_err(|e| fail(&e))?;
    let cert = leaf.signed_by(&leaf_key, &issuer).map_err(|e| fail(&e))?;

    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| fail(&e))?
    .with_no_client_auth()
    .with_single_cert(vec![cert.der().clone(), issuer.der().clone()], key)
    .map_err(|e| fail(&e))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(LabTls {
        ca_pem: issuer.pem(),
        server_config: Arc::new(config),
    })
}

/// A listener that hands axum finished TLS streams. Handshakes run in their own tasks so one
/// slow or broken client cannot hold up the others.
pub struct TlsListener {
    local: SocketAddr,
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    _accept: tokio::task::JoinHandle<()>,
}

impl TlsListener {
    pub fn new(tcp: TcpListener, config: Arc<rustls::ServerConfig>) -> std::io::Result<Self> {
        let local = tcp.local_addr()?;
        let (tx, ready) = mpsc::channel(64);
        let acceptor = TlsAcceptor::from(config);
        let accept = tokio::spawn(async move {
            loop {
                let Ok((stream, peer)) = tcp.accept().await else {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let (acceptor, tx) = (acceptor.clone(), tx.clone());
                tokio::spawn(async move {
                    let handshake =
                        tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream));
                    if let Ok(Ok(tls)) = handshake.await {
                        let _ = tx.send((tls, peer)).await;
                    }
                });
            }
        });
        Ok(Self {
            local,
            ready,
            _accept: accept,
        })
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        self._accept.abort();
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(conn) => conn,
            // The accept task only ends when the listener is dropped; wait for shutdown.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}
