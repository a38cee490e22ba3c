//! What a certificate says: subject, issuer, names, validity, key and signature, key usage,
//! extended key usage and embedded CT timestamps (x509-parser).

use serde::Serialize;
use x509_parser::prelude::*;

/// One certificate of the chain the server sent, leaf first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    pub sans: Vec<String>,
    /// Unix seconds.
    pub not_before: i64,
    pub not_after: i64,
    pub not_before_text: String,
    pub not_after_text: String,
    /// Whole days from `now` to notAfter; negative once expired.
    pub days_left: i64,
    pub key_type: String,
    pub key_bits: usize,
    pub signature_algorithm: String,
    pub serial: String,
    /// BasicConstraints CA:true.
    pub is_ca: bool,
    /// Subject and issuer are the same name.
    pub self_signed: bool,
    /// The KeyUsage bits by their RFC 5280 names; empty when the extension is absent.
    #[serde(default)]
    pub key_usage: Vec<String>,
    /// ExtendedKeyUsage purposes (`serverAuth`, `clientAuth`, …, or an OID); empty when absent.
    #[serde(default)]
    pub extended_key_usage: Vec<String>,
    /// Signed certificate timestamps embedded in the certificate (RFC 6962).
    #[serde(default)]
    pub scts: usize,
}

impl CertInfo {
    /// Parses a DER certificate; `now` is unix seconds.
    pub fn parse(der: &[u8], now: i64) -> Result<Self, String> {
        let (_, cert) =
            parse_x509_certificate(der).map_err(|e| format!("unparsable certificate: {e}"))?;
        let sans = cert
            .subject_alternative_name()
            .ok()
            .flatten()
            .map(|ext| ext.value.general_names.iter().map(general_name).collect())
            .unwrap_or_default();
        let validity = cert.validity();
        let not_after = validity.not_after.timestamp();
        let (key_type, key_bits) = key(cert.public_key());
        Ok(Self {
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            sans,
            not_before: validity.not_before.timestamp(),
            not_after,
            not_before_text: validity.not_before.to_string(),
            not_after_text: validity.not_after.to_string(),
            days_left: (not_after - now).div_euclid(86_400),
            key_type,
            key_bits,
            signature_algorithm: signature_name(&cert.signature_algorithm.algorithm.to_id_string()),
            serial: cert.raw_serial_as_string(),
            is_ca: cert
                .basic_constraints()
                .ok()
                .flatten()
                .is_some_and(|bc| bc.value.ca),
            self_signed: cert.subject().as_raw() == cert.issuer().as_raw(),
            key_usage: key_usage(&cert),
            extended_key_usage: extended_key_usage(&cert),
            scts: cert
                .iter_extensions()
                .map(|e| match e.parsed_extension() {
                    ParsedExtension::SCT(list) => list.len(),
                    _ => 0,
                })
                .sum(),
        })
    }

    /// Days from notBefore to notAfter.
    pub fn lifetime_days(&self) -> i64 {
        (self.not_after - self.not_before).div_euclid(86_400)
    }

    /// Why a leaf may not serve TLS by its own usage extensions: an ExtendedKeyUsage without
    /// serverAuth, or a KeyUsage that allows neither signing nor (RSA) key encipherment.
    pub fn server_usage_problem(&self) -> Option<String> {
        let eku = &self.extended_key_usage;
        if !eku.is_empty() && !eku.iter().any(|u| u == "serverAuth" || u == "any") {
            return Some(format!(
                "extendedKeyUsage is {} without serverAuth",
                eku.join(", ")
            ));
        }
        let ku = &self.key_usage;
        let has = |n: &str| ku.iter().any(|u| u == n);
        let usable = has("digitalSignature")
            || (self.key_type == "RSA" && has("keyEncipherment"))
            || (self.key_type == "EC" && has("keyAgreement"));
        (!ku.is_empty() && !usable).then(|| format!("keyUsage is {} only", ku.join(", ")))
    }

    /// SHA-1 or MD5 signatures, which can be forged.
    pub fn weak_signature(&self) -> bool {
        let s = self.signature_algorithm.to_ascii_lowercase();
        s.contains("sha1") || s.contains("md5")
    }

    /// RSA (or DSA) under 2048 bits, EC under 224.
    pub fn weak_key(&self) -> bool {
        match self.key_type.as_str() {
            "RSA" | "DSA" => self.key_bits < 2048,
            "EC" => self.key_bits < 224,
            _ => false,
        }
    }
}

fn key_usage(cert: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(ku)) = cert.key_usage() else {
        return Vec::new();
    };
    let ku = ku.value;
    [
        (ku.digital_signature(), "digitalSignature"),
        (ku.non_repudiation(), "nonRepudiation"),
        (ku.key_encipherment(), "keyEncipherment"),
        (ku.data_encipherment(), "dataEncipherment"),
        (ku.key_agreement(), "keyAgreement"),
        (ku.key_cert_sign(), "keyCertSign"),
        (ku.crl_sign(), "cRLSign"),
        (ku.encipher_only(), "encipherOnly"),
        (ku.decipher_only(), "decipherOnly"),
    ]
    .into_iter()
    .filter(|(set, _)| *set)
    .map(|(_, name)| name.to_string())
    .collect()
}

fn extended_key_usage(cert: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(eku)) = cert.extended_key_usage() else {
        return Vec::new();
    };
    let eku = eku.value;
    let mut out: Vec<String> = [
        (eku.any, "any"),
        (eku.server_auth, "serverAuth"),
        (eku.client_auth, "clientAuth"),
        (eku.code_signing, "codeSigning"),
        (eku.email_protection, "emailProtection"),
        (eku.time_stamping, "timeStamping"),
        (eku.ocsp_signing, "OCSPSigning"),
    ]
    .into_iter()
    .filter(|(set, _)| *set)
    .map(|(_, name)| name.to_string())
    .collect();
    out.extend(eku.other.iter().map(|o| o.to_id_string()));
    out
}

fn general_name(name: &GeneralName<'_>) -> String {
    match name {
        GeneralName::DNSName(d) => d.to_string(),
        GeneralName::IPAddress(ip) => match ip.len() {
            4 => std::net::Ipv4Addr::new(ip[0], ip[1], ip[2], ip[3]).to_string(),
            16 => {
                let mut b = [0u8; 16];
                b.copy_from_slice(ip);
                std::net::Ipv6Addr::from(b).to_string()
            }
            _ => format!("IP {ip:02x?}"),
        },
        other => other.to_string(),
    }
}

fn key(spki: &SubjectPublicKeyInfo<'_>) -> (String, usize) {
    match spki.algorithm.algorithm.to_id_string().as_str() {
        "1.3.101.112" => return ("Ed25519".into(), 256),
        "1.3.101.113" => return ("Ed448".into(), 456),
        _ => {}
    }
    match spki.parsed() {
        Ok(x509_parser::public_key::PublicKey::RSA(rsa)) => ("RSA".into(), rsa.key_size()),
        Ok(x509_parser::public_key::PublicKey::EC(ec)) => ("EC".into(), ec.key_size()),
        Ok(x509_parser::public_key::PublicKey::DSA(_)) => ("DSA".into(), 0),
        _ => (spki.algorithm.algorithm.to_id_string(), 0),
    }
}

/// Readable names for the signature algorithms servers use; anything else stays an OID.
fn signature_name(oid: &str) -> String {
    let name = match oid {
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassa-pss",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        other => return other.to_string(),
    };
    name.to_string()
}
