//! TLS inspection over tokio-rustls: the negotiated parameters, the certificate chain, why
//! trust fails (named), which protocol versions and cipher suites the server accepts, and
//! which of Mozilla's profiles it meets.
//!
//! TLS 1.0–1.2 suites are enumerated with a hand-built ClientHello ([`legacy`], [`scan`]),
//! since rustls speaks neither TLS 1.0/1.1 nor the legacy suites; TLS 1.3 suites with rustls
//! restricted to one suite at a time. When rustls cannot complete a handshake at all (a
//! server with only CBC suites), the chain comes from the hand-built handshake, which TLS 1.2
//! and older send in clear.

pub mod cert;
pub mod ciphers;
mod findings;
pub mod legacy;
pub mod profiles;
pub mod scan;
mod trust;
pub mod verifier;

use std::sync::Arc;
use std::time::Duration;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, RootCertStore, SupportedCipherSuite};
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
    /// The accepted cipher suites per version, DH size and server preference; None when the
    /// version probes were not run.
    pub ciphers: Option<scan::CipherScan>,
    /// The server stapled an OCSP response; None when no handshake showed a certificate.
    pub ocsp_stapled: Option<bool>,
    /// The Mozilla server-side TLS profile (5.7) the server meets, and why not the others.
    pub mozilla: Option<profiles::ProfileVerdict>,
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

pub use crate::net::client::provider;

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
    suites: Option<Vec<SupportedCipherSuite>>,
) -> Result<ClientConfig, String> {
    let mut provider = Arc::unwrap_or_clone(provider());
    if let Some(suites) = suites {
        provider.cipher_suites = suites;
    }
    let mut config = ClientConfig::builder_with_provider(Arc::new(provider))
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

type Handshake =
    Result<(TlsReport, Option<verifier::Recorded>), (String, Option<verifier::Recorded>)>;

/// One handshake with `versions` (and only `suites`, when given); returns the connection's
/// parameters and the record.
async fn handshake(
    host: &str,
    port: u16,
    versions: &[&'static rustls::SupportedProtocolVersion],
    suites: Option<Vec<SupportedCipherSuite>>,
    opts: &TlsOptions,
) -> Handshake {
    let no_chain = |e: String| (e, None);
    let verifier = recording_verifier(opts.roots.clone(), opts.now).map_err(no_chain)?;
    let connector = TlsConnector::from(Arc::new(
        config(verifier.clone(), versions, suites).map_err(no_chain)?,
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
        ..TlsReport::default()
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

/// Inspects host:port: one full handshake, plus (optionally) the cipher-suite scan, all at
/// once.
pub async fn inspect(host: &str, port: u16, opts: &TlsOptions) -> TlsReport {
    let now = opts.now.unwrap_or_else(unix_now);
    let main = handshake(host, port, rustls::ALL_VERSIONS, None, opts);
    let scan = async {
        if opts.probe_versions {
            Some(scan_all(host, port, opts).await)
        } else {
            None
        }
    };
    let (main, scan) = tokio::join!(main, scan);
    let (mut report, mut recorded) = match main {
        Ok(ok) => ok,
        Err((e, recorded)) => {
            let mut r = TlsReport {
                host: host.into(),
                port,
                ..TlsReport::default()
            };
            r.error = Some(e);
            (r, recorded)
        }
    };
    // rustls never saw a certificate (no suite in common: a CBC-only server): judge the
    // chain the hand-built handshake read in clear.
    if recorded.is_none()
        && let Some(chain) = scan.as_ref().map(|s| &s.chain).filter(|c| !c.is_empty())
    {
        recorded = verify_chain(chain, host, opts);
    }
    if let Some(rec) = &recorded {
        report.chain = rec
            .chain
            .iter()
            .filter_map(|c| CertInfo::parse(c, now).ok())
            .collect();
        report.trusted = rec.verdict.is_ok();
        if let Err(e) = &rec.verdict {
            report.verdict = Some(e.to_string());
            report.issues = classify(&report.chain, rec, host, now);
        }
    }
    let stapled_main = recorded
        .as_ref()
        .filter(|_| report.version.is_some())
        .map(|r| !r.ocsp.is_empty());
    let stapled_scan = scan.as_ref().and_then(|s| s.ocsp_stapled);
    report.ocsp_stapled = match (stapled_main, stapled_scan) {
        (None, None) => None,
        (a, b) => Some(a == Some(true) || b == Some(true)),
    };
    if let Some(scan) = scan {
        report.protocols = protocols(&report, &scan);
        if report.version.is_none()
            && let Some(best) = scan
                .versions
                .iter()
                .rev()
                .find(|v| v.accepted == Some(true))
        {
            // What a client offering every suite would get, as near as the scan can tell.
            report.version = Some(best.version.clone());
            report.cipher_suite = best.suites.first().map(|s| s.name.clone());
            if let Some(e) = report.error.take() {
                report.error = Some(format!(
                    "apiward's own client (rustls) could not connect ({e}); the hand-built \
                     handshake could, and the report shows what it read"
                ));
            }
        }
        report.ciphers = Some(scan);
        report.mozilla = Some(profiles::judge(&report));
    }
    report
}

/// The scan: TLS 1.0–1.2 by hand, TLS 1.3 with rustls one suite at a time, side by side.
/// Every connection gets the short probe timeout, so a server that stalls an old
/// ClientHello costs seconds, not the whole audit.
async fn scan_all(host: &str, port: u16, opts: &TlsOptions) -> scan::CipherScan {
    let started = std::time::Instant::now();
    let opts = &TlsOptions {
        timeout: opts.timeout.min(crate::audit::PROBE_TIMEOUT),
        ..opts.clone()
    };
    let bare = host.trim_matches(['[', ']']);
    let tls13: Vec<SupportedCipherSuite> = provider()
        .cipher_suites
        .iter()
        .filter(|s| s.version() == &rustls::version::TLS13)
        .copied()
        .collect();
    let one =
        |suites: Vec<SupportedCipherSuite>| handshake(host, port, TLS13_ONLY, Some(suites), opts);
    let t13 = futures_util::future::join_all(tls13.iter().map(|s| async {
        let id = u16::from(s.suite());
        let verdict = match one(vec![*s]).await {
            Ok(_) => Ok(true),
            // The certificate came, so the ServerHello had chosen this suite.
            Err((_, Some(_))) => Ok(true),
            Err((e, None)) if e.contains("timed out") || e.starts_with("connect") => Err(e),
            Err(_) => Ok(false),
        };
        (id, verdict)
    }));
    let (mut scan, t13) = tokio::join!(scan::scan_legacy(bare, port, opts.timeout), t13);
    scan::add_tls13(&mut scan, &t13, tls13.len());
    // Only TLS 1.3 has two suites to play off: ask rustls both ways round.
    let pair: Vec<SupportedCipherSuite> = tls13
        .iter()
        .filter(|s| {
            t13.iter()
                .any(|(id, r)| *id == u16::from(s.suite()) && r == &Ok(true))
        })
        .copied()
        .collect();
    if scan.server_preference.is_none()
        && let [a, .., b] = pair[..]
    {
        let chosen = |r: Handshake| r.ok().and_then(|(r, _)| r.cipher_suite);
        let (ab, ba) = tokio::join!(one(vec![a, b]), one(vec![b, a]));
        scan.connections += 2;
        if let (Some(x), Some(y)) = (chosen(ab), chosen(ba)) {
            scan.server_preference = Some(x == y);
        }
    }
    scan.elapsed_ms = started.elapsed().as_millis() as u64;
    scan
}

const TLS13_ONLY: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS13];

/// The verifier's verdict on a chain read off the wire, as if a handshake had shown it.
fn verify_chain(chain: &[Vec<u8>], host: &str, opts: &TlsOptions) -> Option<verifier::Recorded> {
    let verifier = recording_verifier(opts.roots.clone(), opts.now).ok()?;
    let name = server_name(host).ok()?;
    let (leaf, rest) = chain.split_first()?;
    let rest: Vec<CertificateDer<'_>> = rest.iter().map(|c| CertificateDer::from(&c[..])).collect();
    let _ = verifier.verify_server_cert(
        &CertificateDer::from(&leaf[..]),
        &rest,
        &name,
        &[],
        UnixTime::now(),
    );
    verifier.take()
}

/// The protocol lines: TLS 1.0–1.2 from the scan, TLS 1.3 from the main handshake when it
/// negotiated 1.3, else from the scan's rustls probes.
fn protocols(report: &TlsReport, scan: &scan::CipherScan) -> Vec<ProtocolSupport> {
    let mut list: Vec<ProtocolSupport> = scan
        .versions
        .iter()
        .map(|v| ProtocolSupport {
            version: v.version.clone(),
            accepted: v.accepted,
            detail: match v.accepted {
                Some(true) => format!("{} suites", v.suites.len()),
                _ => v.detail.clone(),
            },
        })
        .collect();
    if report.version.as_deref() == Some("TLS 1.3")
        && let Some(t13) = list.iter_mut().find(|p| p.version == "TLS 1.3")
    {
        t13.accepted = Some(true);
    }
    list
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
