//! A certificate verifier that records instead of refusing, for inspection handshakes only.
//!
//! It keeps the chain the server sent, asks the real `WebPkiServerVerifier` for its verdict
//! (once at the audit's clock and once at the middle of the leaf's validity, so a chain that
//! is both expired and from an unknown issuer is named as both), stores the answers, and then
//! lets the handshake continue so the negotiated parameters can be read. Handshake
//! signatures are still checked by the real verifier. Connections made with it never carry
//! application data, except when the user asked for `--insecure`.

use std::sync::{Arc, Mutex};

use rustls::DigitallySignedStruct;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};

/// What the verifier saw and thought.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub chain: Vec<CertificateDer<'static>>,
    /// The real verdict at the audit's clock.
    pub verdict: Result<(), rustls::Error>,
    /// The verdict with the clock moved inside the leaf's validity: what is wrong besides time.
    pub verdict_ignoring_time: Option<Result<(), rustls::Error>>,
    /// The OCSP response the server stapled; empty when none.
    pub ocsp: Vec<u8>,
}

#[derive(Debug)]
pub struct RecordingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    now: Option<UnixTime>,
    record: Mutex<Option<Recorded>>,
}

impl RecordingVerifier {
    pub fn new(inner: Arc<WebPkiServerVerifier>, now: Option<UnixTime>) -> Self {
        Self {
            inner,
            now,
            record: Mutex::new(None),
        }
    }

    pub fn take(&self) -> Option<Recorded> {
        self.record.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let now = self.now.unwrap_or(now);
        let verdict = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ());
        let verdict_ignoring_time = verdict.is_err().then(|| {
            let mid = x509_parser::parse_x509_certificate(end_entity)
                .ok()
                .map(|(_, c)| {
                    let v = c.validity();
                    (v.not_before.timestamp() / 2 + v.not_after.timestamp() / 2).max(0) as u64
                });
            let at = mid.map_or(now, UnixTime::since_unix_epoch_secs);
            self.inner
                .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, at)
                .map(|_| ())
        });
        let mut chain = vec![end_entity.clone().into_owned()];
        chain.extend(intermediates.iter().map(|c| c.clone().into_owned()));
        *self.record.lock().unwrap_or_else(|e| e.into_inner()) = Some(Recorded {
            chain,
            verdict,
            verdict_ignoring_time,
            ocsp: ocsp_response.to_vec(),
        });
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Unix seconds as rustls time.
pub trait SinceEpoch {
    fn since_unix_epoch_secs(secs: u64) -> Self;
}

impl SinceEpoch for UnixTime {
    fn since_unix_epoch_secs(secs: u64) -> Self {
        UnixTime::since_unix_epoch(std::time::Duration::from_secs(secs))
    }
}
