//! TLS inspection over tokio-rustls: the negotiated parameters, the certificate chain, why
//! trust fails (named), and which protocol versions the server accepts.
//!
//! TLS 1.2 and 1.3 are probed with rustls restricted to one version; TLS 1.0 and 1.1 with a
//! hand-built ClientHello ([`legacy`]), since rustls does not speak them.

pub mod cert;
pub mod legacy;
mod trust;
pub mod verifier;

use std::sync::Arc;
use std::time::Duration;

use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, RootCertStore};
use serde::Serialize;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

pub use cert::CertInfo;
use trust::classify;
pub use trust::tls_findings;
use verifier::{RecordingVerifier, SinceEpoch};

/// Why a certificate is not trusted, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrustIssue {
    Expired,
    NotYetValid,
    SelfSigned,
    UnknownIssuer,
    HostnameMismatch,
    /// BasicConstraints CA:true on the leaf.
    CaAsLeaf,
    Other(String),
}

impl TrustIssue {
    pub fn rule_id(&self) -> &'static str {
        match self {
            TrustIssue::Expired => "tls-cert-expired",
            TrustIssue::NotYetValid => "tls-cert-not-yet-valid",
            TrustIssue::SelfSigned => "tls-cert-self-signed",
            TrustIssue::HostnameMismatch => "tls-hostname-mismatch",
            TrustIssue::CaAsLeaf => "tls-cert-ca-as-leaf",
            TrustIssue::UnknownIssuer | TrustIssue::Other(_) => "tls-cert-untrusted",
        }
    }
}

/// Whether the server accepts one protocol version; `accepted` is None when the probe could
/// not tell (timeout, connection refused).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtocolSupport {
    pub version: String,
    pub accepted: Option<bool>,
    pub detail: String,
}

impl ProtocolSupport {
    pub fn new(version: &str, accepted: bool, detail: &str) -> Self {
        Self {
            version: version.into(),
            accepted: Some(accepted),
            detail: detail.into(),
        }
    }

    pub fn unknown(version: &str, detail: &str) -> Self {
        Self {
            version: version.into(),
            accepted: None,
            detail: detail.into(),
        }
    }
}

/// Everything the TLS inspection learned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlsReport {
    pub host: String,
    pub port: u16,
    pub version: Option<String>,
    pub cipher_suite: Option<String>,
    pub key_exchange: Option<String>,
    pub alpn: Option<String>,
    /// As the server sent it, leaf first; captured even when it is not trusted.
    pub chain: Vec<CertInfo>,
    pub trusted: bool,
    /// The verifier's own words when it refused the chain.
    pub verdict: Option<String>,
    pub issues: Vec<TrustIssue>,
    /// TLS 1.0, 1.1, 1.2, 1.3 in that order.
    pub protocols: Vec<ProtocolSupport>,
    pub error: Option<String>,
}

/// What an inspection needs.
#[derive(Debug, Clone)]
pub struct TlsOptions {
    pub roots: Arc<RootCertStore>,
    /// Unix seconds for validity checks; None for the system clock.
    pub now: Option<i64>,
    pub timeout: Duration,
    /// Run the per-version probes (four more connections).
    pub probe_versions: bool,
}

pub use crate::http::client::provider;

/// The roots to trust: the PEM certificates in `ca_pem` when given (a private CA), else the
/// public webpki roots.
pub fn roots(ca_pem: Option<&[u8]>) -> Result<RootCertStore, String> {
    use rustls::pki_types::pem::PemObject;
    let Some(pem) = ca_pem else {
        return Ok(RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        });
    };
    let mut store = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem) {
        let cert = cert.map_err(|e| format!("the CA file is not valid PEM: {e}"))?;
        store
            .add(cert)
            .map_err(|e| format!("the CA file holds an unusable certificate: {e}"))?;
    }
    if store.is_empty() {
        return Err("the CA file holds no certificate".into());
    }
    Ok(store)
}

/// A recording verifier over `roots`.
pub fn recording_verifier(
    roots: Arc<RootCertStore>,
    now: Option<i64>,
) -> Result<Arc<RecordingVerifier>, String> {
    let inner = WebPkiServerVerifier::builder_with_provider(roots, provider())
        .build()
        .map_err(|e| format!("cannot build a certificate verifier: {e}"))?;
    let now = now.map(|n| UnixTime::since_unix_epoch_secs(n.max(0) as u64));
    Ok(Arc::new(RecordingVerifier::new(inner, now)))
}

fn config(
    verifier: Arc<RecordingVerifier>,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> Result<ClientConfig, String> {
    let mut config = ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(versions)
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

fn server_name(host: &str) -> Result<ServerName<'static>, String> {
    ServerName::try_from(host.trim_matches(['[', ']']).to_string())
        .map_err(|e| format!("bad host name {host}: {e}"))
}

/// One handshake with `versions`; returns the connection's parameters and the record.
async fn handshake(
    host: &str,
    port: u16,
    versions: &[&'static rustls::SupportedProtocolVersion],
    opts: &TlsOptions,
) -> Result<(TlsReport, Option<verifier::Recorded>), (String, Option<verifier::Recorded>)> {
    let no_chain = |e: String| (e, None);
    let verifier = recording_verifier(opts.roots.clone(), opts.now).map_err(no_chain)?;
    let connector = TlsConnector::from(Arc::new(
        config(verifier.clone(), versions).map_err(no_chain)?,
    ));
    let name = server_name(host).map_err(no_chain)?;
    let work = async {
        let tcp = TcpStream::connect((host.trim_matches(['[', ']']), port))
            .await
            .map_err(|e| format!("connect: {e}"))?;
        connector
            .connect(name, tcp)
            .await
            .map_err(|e| e.to_string())
    };
    // A handshake can fail after the certificate was seen (a server key too weak for ring to
    // check its signature, say): the chain recorded so far is still the report's to show.
    let tls = match tokio::time::timeout(opts.timeout, work).await {
        Ok(Ok(tls)) => tls,
        Ok(Err(e)) => return Err((e, verifier.take())),
        Err(_) => return Err(("the TLS handshake timed out".to_string(), verifier.take())),
    };
    let (_, conn) = tls.get_ref();
    let report = TlsReport {
        host: host.to_string(),
        port,
        version: conn.protocol_version().map(version_text),
        cipher_suite: conn
            .negotiated_cipher_suite()
            .map(|s| format!("{:?}", s.suite())),
        key_exchange: conn
            .negotiated_key_exchange_group()
            .map(|g| format!("{:?}", g.name())),
        alpn: conn
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned()),
        chain: Vec::new(),
        trusted: false,
        verdict: None,
        issues: Vec::new(),
        protocols: Vec::new(),
        error: None,
    };
    Ok((report, verifier.take()))
}

fn version_text(v: rustls::ProtocolVersion) -> String {
    match v {
        rustls::ProtocolVersion::TLSv1_2 => "TLS 1.2".into(),
        rustls::ProtocolVersion::TLSv1_3 => "TLS 1.3".into(),
        other => format!("{other:?}"),
    }
}

/// Inspects host:port: one full handshake, plus (optionally) the version probes, all at once.
pub async fn inspect(host: &str, port: u16, opts: &TlsOptions) -> TlsReport {
    let now = opts.now.unwrap_or_else(unix_now);
    let bare = host.trim_matches(['[', ']']);
    let main = handshake(host, port, rustls::ALL_VERSIONS, opts);
    // The version probes are extras: each gets the short probe timeout, so a server that
    // stalls an old ClientHello costs seconds, not the whole audit.
    let probe_opts = TlsOptions {
        timeout: opts.timeout.min(crate::audit::PROBE_TIMEOUT),
        ..opts.clone()
    };
    let probes = async {
        if !opts.probe_versions {
            return None;
        }
        let opts = &probe_opts;
        const TLS12_ONLY: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS12];
        let t12 = handshake(host, port, TLS12_ONLY, opts);
        let t10 = legacy::probe(bare, port, legacy::TLS10, opts.timeout);
        let t11 = legacy::probe(bare, port, legacy::TLS11, opts.timeout);
        let (t12, t10, t11) = tokio::join!(t12, t10, t11);
        let t12 = match t12 {
            Ok(_) => ProtocolSupport::new("TLS 1.2", true, "handshake completed"),
            Err((e, _)) => ProtocolSupport::new("TLS 1.2", false, &e),
        };
        Some([t10, t11, t12])
    };
    let (main, probes) = tokio::join!(main, probes);
    let (mut report, recorded) = match main {
        Ok(ok) => ok,
        Err((e, recorded)) => {
            let mut r = empty(host, port);
            r.error = Some(e);
            (r, recorded)
        }
    };
    if let Some(rec) = recorded {
        report.chain = rec
            .chain
            .iter()
            .filter_map(|c| CertInfo::parse(c, now).ok())
            .collect();
        report.trusted = rec.verdict.is_ok();
        if let Err(e) = &rec.verdict {
            report.verdict = Some(e.to_string());
            report.issues = classify(&report.chain, &rec, host, now);
        }
    }
    if let Some(mut list) = probes.map(Vec::from) {
        // The main handshake offered 1.3; the server picks it whenever it can.
        list.push(match (report.version.as_deref(), &report.error) {
            (Some("TLS 1.3"), _) => ProtocolSupport::new("TLS 1.3", true, "negotiated"),
            (Some(v), _) => {
                ProtocolSupport::new("TLS 1.3", false, &format!("offered, the server chose {v}"))
            }
            (None, e) => {
                ProtocolSupport::unknown("TLS 1.3", e.as_deref().unwrap_or("no handshake"))
            }
        });
        report.protocols = list;
    }
    report
}

fn empty(host: &str, port: u16) -> TlsReport {
    TlsReport {
        host: host.into(),
        port,
        version: None,
        cipher_suite: None,
        key_exchange: None,
        alpn: None,
        chain: Vec::new(),
        trusted: false,
        verdict: None,
        issues: Vec::new(),
        protocols: Vec::new(),
        error: None,
    }
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
