//! Building reqwest clients the one way apiward does: rustls on the ring provider (so no
//! aws-lc RNG seeding at start-up), the platform's trust store plus an optional private CA,
//! no retries, and an explicit timeout.

use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("the CA file holds no PEM certificate")]
    NoCaCertificate,
    #[error("the CA file is not valid PEM: {0}")]
    BadCa(String),
    #[error("TLS set-up failed: {0}")]
    Tls(String),
    #[error("the client certificate or key is not usable: {0}")]
    BadIdentity(String),
    #[error("the HTTP client could not be built: {0}")]
    Build(String),
}

crate::error_kind::bad_input!(HttpError);

/// How a client connects.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The whole request, connect to last byte.
    pub timeout: Duration,
    /// Skip certificate verification (`-k`). Shown as a warning wherever it is used.
    pub insecure: bool,
    /// A PEM bundle of extra CAs to trust, for private PKI.
    pub ca_pem: Option<Vec<u8>>,
    /// Follow up to this many redirects; `None` follows none.
    pub follow_redirects: Option<usize>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            insecure: false,
            ca_pem: None,
            follow_redirects: None,
        }
    }
}

/// A body read up to a cap.
#[derive(Debug, Clone, Default)]
pub struct Capped {
    pub bytes: Vec<u8>,
    /// The body went on past the cap, and the rest was not read.
    pub truncated: bool,
}

/// Reads `response`'s body, stopping at `cap` bytes. Every body from a server apiward does
/// not control is read through this: the chunks arrive already decompressed, so an endless
/// body and a gzip bomb alike cost at most `cap` (plus one chunk) of memory. The client's
/// timeout still bounds a slow body. An error part-way keeps what had arrived.
pub async fn read_capped(
    response: &mut reqwest::Response,
    cap: usize,
) -> Result<Capped, reqwest::Error> {
    let mut out = Capped::default();
    while let Some(chunk) = response.chunk().await? {
        let room = cap - out.bytes.len();
        if chunk.len() > room {
            out.bytes.extend_from_slice(&chunk[..room]);
            out.truncated = true;
            break;
        }
        out.bytes.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// The one crypto provider apiward uses: ring, which needs no RNG seeding at start-up.
/// Every rustls config and verifier is built on it, never on a process-wide default.
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The rustls configuration for `options`.
pub fn tls_config(options: &ClientOptions) -> Result<rustls::ClientConfig, HttpError> {
    tls_config_with(options, None)
}

/// A client certificate chain and its key, for mutual TLS.
pub struct Identity {
    pub certs: Vec<CertificateDer<'static>>,
    pub key: rustls::pki_types::PrivateKeyDer<'static>,
}

impl Identity {
    /// From PEM: the certificate chain, and the private key (PKCS#8, PKCS#1 or SEC1).
    pub fn from_pem(cert_pem: &[u8], key_pem: &[u8]) -> Result<Self, HttpError> {
        use rustls::pki_types::pem::PemObject;
        let certs = CertificateDer::pem_slice_iter(cert_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| HttpError::BadIdentity(format!("the certificate: {e}")))?;
        if certs.is_empty() {
            return Err(HttpError::BadIdentity("no certificate in the file".into()));
        }
        let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(key_pem)
            .map_err(|e| HttpError::BadIdentity(format!("the private key: {e}")))?;
        Ok(Self { certs, key })
    }
}

/// [`tls_config`] that also presents `identity` when the server asks for a client
/// certificate.
pub fn tls_config_with(
    options: &ClientOptions,
    identity: Option<Identity>,
) -> Result<rustls::ClientConfig, HttpError> {
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| HttpError::Tls(e.to_string()))?;
    let config = if options.insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnything))
    } else {
        let extra = match &options.ca_pem {
            Some(pem) => parse_certs(pem)?,
            None => Vec::new(),
        };
        let verifier = if extra.is_empty() {
            rustls_platform_verifier::Verifier::new(provider())
        } else {
            rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider())
        }
        .map_err(|e| HttpError::Tls(e.to_string()))?;
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
    };
    match identity {
        None => Ok(config.with_no_client_auth()),
        Some(id) => config
            .with_client_auth_cert(id.certs, id.key)
            .map_err(|e| HttpError::BadIdentity(e.to_string())),
    }
}

/// Certificates from a PEM bundle.
pub fn parse_certs(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, HttpError> {
    use rustls::pki_types::pem::PemObject;
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| HttpError::BadCa(e.to_string()))?;
    if certs.is_empty() {
        return Err(HttpError::NoCaCertificate);
    }
    Ok(certs)
}

/// A reqwest client for `options`.
pub fn build_client(options: &ClientOptions) -> Result<reqwest::Client, HttpError> {
    client_builder(options, tls_config(options)?)
        .build()
        .map_err(|e| HttpError::Build(e.to_string()))
}

/// A reqwest error in one sentence, with its underlying cause.
pub fn describe_error(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "failed"
    };
    let mut cause = String::new();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    if cause.is_empty() {
        format!("the request {kind}")
    } else {
        format!("the request {kind}: {cause}")
    }
}

/// The builder [`build_client`] finishes, for callers that add to it (a proxy).
pub fn client_builder(
    options: &ClientOptions,
    tls: rustls::ClientConfig,
) -> reqwest::ClientBuilder {
    let redirect = match options.follow_redirects {
        Some(max) => reqwest::redirect::Policy::limited(max),
        None => reqwest::redirect::Policy::none(),
    };
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(options.timeout)
        .connect_timeout(options.timeout)
        .redirect(redirect)
        .retry(reqwest::retry::never())
        .user_agent(concat!("apiward/", env!("CARGO_PKG_VERSION")))
}

/// For `--insecure`: accepts any certificate, still checks handshake signatures.
#[derive(Debug)]
struct AcceptAnything;

impl ServerCertVerifier for AcceptAnything {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &provider().signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &provider().signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}
