//! A throwaway certificate authority for HTTPS tests: a CA made with rcgen, and server
//! certificates it issues. Tests trust the CA explicitly; nothing touches the system store.

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

/// A certificate and its key, as a server presents them.
pub struct ServerCert {
    pub cert_pem: String,
    pub key_pem: String,
    /// Leaf first, then the CA.
    pub chain: Vec<CertificateDer<'static>>,
    pub key_der: Vec<u8>,
}

impl ServerCert {
    pub fn key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()))
    }
}

impl TestCa {
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate().expect("CA key");
        let issuer = CertifiedIssuer::self_signed(params, key).expect("CA certificate");
        Self { issuer }
    }

    pub fn cert_pem(&self) -> String {
        self.issuer.pem()
    }

    pub fn cert_der(&self) -> CertificateDer<'static> {
        self.issuer.der().clone()
    }

    /// A server certificate for these names (DNS names or IP addresses).
    pub fn issue(&self, hosts: &[&str]) -> ServerCert {
        self.issue_with(hosts, |_| {})
    }

    /// A server certificate, with a chance to change its parameters first (validity dates,
    /// names) for tests of broken certificates.
    pub fn issue_with(
        &self,
        hosts: &[&str],
        edit: impl FnOnce(&mut CertificateParams),
    ) -> ServerCert {
        let names: Vec<String> = hosts.iter().map(|h| h.to_string()).collect();
        let mut params = CertificateParams::new(names).expect("leaf params");
        params
            .distinguished_name
            .push(DnType::CommonName, hosts.first().copied().unwrap_or("test"));
        edit(&mut params);
        let key = KeyPair::generate().expect("leaf key");
        let cert = params
            .signed_by(&key, &self.issuer)
            .expect("leaf certificate");
        ServerCert {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            chain: vec![cert.der().clone(), self.cert_der()],
            key_der: key.serialize_der(),
        }
    }
}

/// Broken certificates for the audit's TLS tests.
impl TestCa {
    /// Valid only in 2020.
    pub fn issue_expired(&self, hosts: &[&str]) -> ServerCert {
        self.issue_with(hosts, |p| {
            p.not_before = rcgen::date_time_ymd(2020, 1, 1);
            p.not_after = rcgen::date_time_ymd(2020, 12, 31);
        })
    }

    /// Valid only from 2090.
    pub fn issue_not_yet_valid(&self, hosts: &[&str]) -> ServerCert {
        self.issue_with(hosts, |p| {
            p.not_before = rcgen::date_time_ymd(2090, 1, 1);
            p.not_after = rcgen::date_time_ymd(2091, 1, 1);
        })
    }
}

/// A self-signed certificate for `hosts`; with `ca` it also says CA:true, as
/// `openssl req -x509` makes them.
pub fn self_signed(hosts: &[&str], ca: bool) -> ServerCert {
    let names: Vec<String> = hosts.iter().map(|h| h.to_string()).collect();
    let mut params = CertificateParams::new(names).expect("params");
    params
        .distinguished_name
        .push(DnType::CommonName, hosts.first().copied().unwrap_or("test"));
    if ca {
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    }
    let key = KeyPair::generate().expect("key");
    let cert = params.self_signed(&key).expect("self-signed certificate");
    ServerCert {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        chain: vec![cert.der().clone()],
        key_der: key.serialize_der(),
    }
}
