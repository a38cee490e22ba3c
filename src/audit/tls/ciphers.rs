//! Cipher suites by IANA id: what each is made of (tls-parser's copy of the IANA registry) and
//! what is wrong with it, in the classes testssl.sh and SSL Labs use.

use serde::Serialize;
use tls_parser::{TlsCipherAu, TlsCipherEnc, TlsCipherEncMode, TlsCipherKx, TlsCipherSuite};

/// One cipher suite, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suite {
    /// The IANA id, as `0xc02f`.
    pub id: String,
    /// The IANA name (`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`).
    pub name: String,
    /// Key exchange: RSA, DHE, ECDHE, DH, ECDH, TLS13, …
    pub kx: String,
    /// Authentication: RSA, ECDSA, DSS, NULL (anonymous), TLS13.
    pub auth: String,
    /// Bulk cipher: AES, CHACHA20_POLY1305, 3DES, RC4, NULL, …
    pub cipher: String,
    /// CBC, GCM, CCM, or stream for RC4, ChaCha20 and NULL.
    pub mode: String,
    /// The bulk cipher's key size in bits (40 for EXPORT, 168 for 3DES).
    pub bits: u16,
    pub forward_secret: bool,
    pub aead: bool,
    #[serde(skip)]
    pub code: u16,
}

/// What can be wrong with a suite; one finding each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Weakness {
    Null,
    Anonymous,
    Export,
    Rc4,
    /// DES, 3DES, IDEA, RC2: a 64-bit block (Sweet32).
    Block64,
    /// CBC with RSA key exchange: no forward secrecy and the padding-oracle family.
    CbcRsa,
    /// CBC with an ephemeral key exchange.
    Cbc,
    NoForwardSecrecy,
}

impl Weakness {
    pub fn rule_id(self) -> &'static str {
        match self {
            Weakness::Null => "tls-cipher-null",
            Weakness::Anonymous => "tls-cipher-anonymous",
            Weakness::Export => "tls-cipher-export",
            Weakness::Rc4 => "tls-cipher-rc4",
            Weakness::Block64 => "tls-cipher-64bit-block",
            Weakness::CbcRsa => "tls-cipher-cbc-rsa",
            Weakness::Cbc => "tls-cipher-cbc",
            Weakness::NoForwardSecrecy => "tls-no-forward-secrecy",
        }
    }
}

impl Suite {
    /// The suite with this IANA id; an id the registry does not know keeps its number as name.
    pub fn from_id(code: u16) -> Self {
        let Some(s) = TlsCipherSuite::from_id(code) else {
            return Self {
                id: format!("0x{code:04x}"),
                name: format!("unknown suite 0x{code:04x}"),
                kx: "?".into(),
                auth: "?".into(),
                cipher: "?".into(),
                mode: "?".into(),
                bits: 0,
                forward_secret: false,
                aead: false,
                code,
            };
        };
        let aead = matches!(s.enc_mode, TlsCipherEncMode::Gcm | TlsCipherEncMode::Ccm)
            || s.enc == TlsCipherEnc::Chacha20_Poly1305;
        Self {
            id: format!("0x{code:04x}"),
            name: s.name.to_string(),
            kx: kx_name(s.kx).into(),
            auth: auth_name(s.au).into(),
            cipher: cipher_name(s.enc).into(),
            mode: match s.enc_mode {
                TlsCipherEncMode::Cbc => "CBC",
                TlsCipherEncMode::Gcm => "GCM",
                TlsCipherEncMode::Ccm => "CCM",
                TlsCipherEncMode::Null => "stream",
            }
            .into(),
            // The registry file tls-parser builds from lists ChaCha20 at 128 bits; its key is 256.
            bits: if s.enc == TlsCipherEnc::Chacha20_Poly1305 {
                256
            } else {
                s.enc_size
            },
            forward_secret: matches!(
                s.kx,
                TlsCipherKx::Dhe | TlsCipherKx::Ecdhe | TlsCipherKx::Tls13
            ),
            aead,
            code,
        }
    }

    /// Everything wrong with the suite, most serious first.
    pub fn weaknesses(&self) -> Vec<Weakness> {
        let mut out = Vec::new();
        if self.cipher == "NULL" {
            out.push(Weakness::Null);
        }
        if self.auth == "NULL" && self.kx != "NULL" {
            out.push(Weakness::Anonymous);
        }
        if self.name.contains("EXPORT") {
            out.push(Weakness::Export);
        }
        if self.cipher == "RC4" {
            out.push(Weakness::Rc4);
        }
        if matches!(self.cipher.as_str(), "DES" | "3DES" | "IDEA" | "RC2") {
            out.push(Weakness::Block64);
        }
        if self.mode == "CBC" {
            out.push(if self.kx == "RSA" {
                Weakness::CbcRsa
            } else {
                Weakness::Cbc
            });
        }
        if !self.forward_secret {
            out.push(Weakness::NoForwardSecrecy);
        }
        out
    }

    /// Broken outright: NULL, anonymous, EXPORT or RC4.
    pub fn broken(&self) -> bool {
        self.weaknesses().iter().any(|w| {
            matches!(
                w,
                Weakness::Null | Weakness::Anonymous | Weakness::Export | Weakness::Rc4
            )
        })
    }
}

fn kx_name(kx: TlsCipherKx) -> &'static str {
    match kx {
        TlsCipherKx::Null => "NULL",
        TlsCipherKx::Psk => "PSK",
        TlsCipherKx::Krb5 => "KRB5",
        TlsCipherKx::Srp => "SRP",
        TlsCipherKx::Rsa => "RSA",
        TlsCipherKx::Dh => "DH",
        TlsCipherKx::Dhe => "DHE",
        TlsCipherKx::Ecdh => "ECDH",
        TlsCipherKx::Ecdhe => "ECDHE",
        TlsCipherKx::Aecdh => "AECDH",
        TlsCipherKx::Eccpwd => "ECCPWD",
        TlsCipherKx::Tls13 => "TLS13",
    }
}

fn auth_name(au: TlsCipherAu) -> &'static str {
    match au {
        TlsCipherAu::Null => "NULL",
        TlsCipherAu::Psk => "PSK",
        TlsCipherAu::Krb5 => "KRB5",
        TlsCipherAu::Srp | TlsCipherAu::Srp_Dss | TlsCipherAu::Srp_Rsa => "SRP",
        TlsCipherAu::Dss => "DSS",
        TlsCipherAu::Rsa => "RSA",
        TlsCipherAu::Dhe => "DHE",
        TlsCipherAu::Ecdsa => "ECDSA",
        TlsCipherAu::Eccpwd => "ECCPWD",
        TlsCipherAu::Tls13 => "TLS13",
    }
}

fn cipher_name(enc: TlsCipherEnc) -> &'static str {
    match enc {
        TlsCipherEnc::Null => "NULL",
        TlsCipherEnc::Des => "DES",
        TlsCipherEnc::TripleDes => "3DES",
        TlsCipherEnc::Rc2 => "RC2",
        TlsCipherEnc::Rc4 => "RC4",
        TlsCipherEnc::Aria => "ARIA",
        TlsCipherEnc::Idea => "IDEA",
        TlsCipherEnc::Seed => "SEED",
        TlsCipherEnc::Aes => "AES",
        TlsCipherEnc::Camellia => "CAMELLIA",
        TlsCipherEnc::Chacha20_Poly1305 => "CHACHA20_POLY1305",
        TlsCipherEnc::Sm4 => "SM4",
        TlsCipherEnc::Aegis => "AEGIS",
    }
}

/// The suites a hand-built ClientHello of `version` offers: every registered suite that a
/// certificate-based server can pick (no PSK, SRP, Kerberos or password suites, which need
/// credentials the scan does not have, and no signalling values). TLS 1.0 and 1.1 get only
/// the suites defined for them: AEAD and SHA-256/384 suites came with TLS 1.2.
pub fn candidates(version: u16) -> Vec<u16> {
    let mut ids: Vec<u16> = tls_parser::CIPHERS
        .values()
        .filter(|s| {
            !matches!(
                s.kx,
                TlsCipherKx::Null
                    | TlsCipherKx::Psk
                    | TlsCipherKx::Krb5
                    | TlsCipherKx::Srp
                    | TlsCipherKx::Eccpwd
                    | TlsCipherKx::Tls13
            ) && !matches!(s.au, TlsCipherAu::Psk | TlsCipherAu::Krb5)
        })
        .filter(|s| version >= 0x0303 || !tls12_only(s))
        .map(|s| s.id.0)
        .collect();
    ids.sort_unstable();
    ids
}

/// Defined only for TLS 1.2 and later: AEAD suites and those with a SHA-256/384 MAC.
fn tls12_only(s: &TlsCipherSuite) -> bool {
    use tls_parser::TlsCipherMac;
    !matches!(
        s.mac,
        TlsCipherMac::Null | TlsCipherMac::HmacMd5 | TlsCipherMac::HmacSha1
    ) || s.enc == TlsCipherEnc::Chacha20_Poly1305
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suites_carry_their_properties() {
        let gcm = Suite::from_id(0xc02f);
        assert_eq!(gcm.name, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assert_eq!(
            (gcm.kx.as_str(), gcm.auth.as_str(), gcm.mode.as_str()),
            ("ECDHE", "RSA", "GCM")
        );
        assert!(gcm.forward_secret && gcm.aead && gcm.weaknesses().is_empty());

        let cbc_rsa = Suite::from_id(0x002f);
        assert_eq!(
            cbc_rsa.weaknesses(),
            [Weakness::CbcRsa, Weakness::NoForwardSecrecy]
        );
        assert_eq!(Suite::from_id(0xc013).weaknesses(), [Weakness::Cbc]);
        let triple = Suite::from_id(0x000a);
        assert_eq!(triple.bits, 168);
        assert!(triple.weaknesses().contains(&Weakness::Block64));
        assert!(Suite::from_id(0x0005).weaknesses().contains(&Weakness::Rc4));
        let anon = Suite::from_id(0x0034); // TLS_DH_anon_WITH_AES_128_CBC_SHA
        assert!(anon.weaknesses().contains(&Weakness::Anonymous), "{anon:?}");
        let export = Suite::from_id(0x0003);
        assert!(export.broken() && export.weaknesses().contains(&Weakness::Export));
        assert!(
            Suite::from_id(0x0002)
                .weaknesses()
                .contains(&Weakness::Null)
        );
        assert_eq!(Suite::from_id(0xcca8).bits, 256);
        assert_eq!(Suite::from_id(0x1302).kx, "TLS13");
        assert!(Suite::from_id(0xfefe).name.contains("unknown"));
    }

    #[test]
    fn old_versions_are_offered_only_their_own_suites() {
        let t12 = candidates(0x0303);
        let t10 = candidates(0x0301);
        assert!(t12.contains(&0xc02f) && !t10.contains(&0xc02f));
        assert!(t10.contains(&0xc013) && t10.contains(&0x000a) && t10.contains(&0x0003));
        assert!(!t12.contains(&0x00ff) && !t12.contains(&0x1301) && !t12.contains(&0x00a8));
        // Enough to cover what OpenSSL 3 can serve and testssl.sh rates.
        assert!(t12.len() > 150, "{}", t12.len());
    }
}
