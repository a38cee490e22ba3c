//! The TLS grade (SSL Labs' rating guide as the model) and the overall grade, which is never
//! better than the worse of the header grade and the TLS grade.
//!
//! The header grade stays the Observatory's; these two exist so that `A+ 135/100` can no longer
//! stand beside a certificate no browser accepts.

use serde::Serialize;

use super::tls::ciphers::{Suite, Weakness};
use super::tls::{TlsReport, TrustIssue};

/// The TLS grade and how it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlsGrade {
    /// A, A-, B, C, D, E or F.
    pub grade: String,
    /// SSL Labs' weighted score: protocol 30%, key exchange 30%, cipher 40%.
    pub score: u32,
    /// Each cap that applied, in words.
    pub caps: Vec<String>,
}

/// Every grade from best to worst, the Observatory's and the TLS letters in one order.
const ORDER: &[&str] = &[
    "A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "E", "F",
];

fn rank(grade: &str) -> usize {
    ORDER
        .iter()
        .position(|g| *g == grade)
        .unwrap_or(ORDER.len())
}

/// The worse of two grades.
pub fn worse<'a>(a: &'a str, b: &'a str) -> &'a str {
    if rank(a) >= rank(b) { a } else { b }
}

/// SSL Labs' protocol scores: TLS 1.0 90, 1.1 95, 1.2 and 1.3 100; the score is the mean of
/// the best and the worst accepted.
fn protocol_score(report: &TlsReport) -> u32 {
    let score = |v: &str| match v {
        "TLS 1.0" => 90,
        "TLS 1.1" => 95,
        _ => 100,
    };
    let accepted: Vec<u32> = report
        .protocols
        .iter()
        .filter(|p| p.accepted == Some(true))
        .map(|p| score(&p.version))
        .collect();
    match (accepted.iter().max(), accepted.iter().min()) {
        (Some(best), Some(worst)) => (best + worst) / 2,
        _ => report.version.as_deref().map_or(0, score),
    }
}

/// SSL Labs' key-exchange bands, for an RSA-equivalent size in bits.
fn key_band(rsa_bits: usize) -> u32 {
    match rsa_bits {
        0 => 0,
        b if b < 512 => 20,
        b if b < 1024 => 40,
        b if b < 2048 => 80,
        b if b < 4096 => 90,
        _ => 100,
    }
}

/// Key exchange strength: the certificate key, in SSL Labs' RSA-equivalent bands, lowered to
/// the DH group's band when the DHE suites use a smaller one, and to SSL Labs' scores for
/// anonymous (0) and EXPORT (40) key exchange when those suites are accepted.
fn key_exchange_score(report: &TlsReport) -> u32 {
    let Some(leaf) = report.chain.first() else {
        return 0;
    };
    let rsa_bits = match leaf.key_type.as_str() {
        "RSA" | "DSA" => leaf.key_bits,
        // EC and EdDSA keys, in RSA-equivalent bits (NIST SP 800-57).
        "EC" if leaf.key_bits >= 384 => 7680,
        "EC" if leaf.key_bits >= 256 => 3072,
        "EC" => 2048,
        "Ed25519" => 3072,
        "Ed448" => 7680,
        _ => 0,
    };
    let mut score = key_band(rsa_bits);
    if let Some(scan) = &report.ciphers {
        if let Some(dh) = scan.dh_bits {
            score = score.min(key_band(dh));
        }
        for (_, s) in scan.accepted() {
            let weak = s.weaknesses();
            if weak.contains(&Weakness::Anonymous) {
                score = 0;
            } else if weak.contains(&Weakness::Export) {
                score = score.min(40);
            }
        }
    }
    score
}

/// SSL Labs' cipher bands: 0 bits 0, under 128 20, under 256 80, 256 and over 100.
fn cipher_band(bits: u16) -> u32 {
    match bits {
        0 => 0,
        b if b < 128 => 20,
        b if b < 256 => 80,
        _ => 100,
    }
}

/// Cipher strength: the mean of the strongest and the weakest accepted suite when the scan
/// ran, else the negotiated suite alone (256-bit 100, 128-bit 80).
fn cipher_score(report: &TlsReport) -> u32 {
    if let Some(scan) = &report.ciphers {
        let bits: Vec<u16> = scan
            .accepted()
            .map(|(_, s)| if s.cipher == "NULL" { 0 } else { s.bits })
            .collect();
        if let (Some(best), Some(worst)) = (bits.iter().max(), bits.iter().min()) {
            return (cipher_band(*best) + cipher_band(*worst)) / 2;
        }
    }
    match report.cipher_suite.as_deref() {
        // The bulk cipher's key size, not the hash's ("AES_128_GCM_SHA256" is 128-bit).
        Some(s) if s.contains("AES_256") || s.contains("CHACHA20") => 100,
        Some(s) if s.contains("AES_128") => 80,
        Some(_) => 20,
        None => 0,
    }
}

/// The caps the cipher scan earns, in SSL Labs' terms.
fn suite_caps(report: &TlsReport, cap: &mut dyn FnMut(&'static str, String)) {
    let Some(scan) = &report.ciphers else {
        return;
    };
    let accepted: Vec<(&str, &Suite)> = scan.accepted().collect();
    if accepted.is_empty() {
        return;
    }
    let any = |w: Weakness| accepted.iter().any(|(_, s)| s.weaknesses().contains(&w));
    for (w, what) in [
        (Weakness::Null, "NULL"),
        (Weakness::Anonymous, "anonymous"),
        (Weakness::Export, "EXPORT"),
    ] {
        if any(w) {
            cap("F", format!("{what} suites accepted"));
        }
    }
    if any(Weakness::Rc4) {
        cap("C", "RC4 accepted".into());
    }
    // SSL Labs caps 3DES at C where TLS 1.1 or newer could have been used instead.
    if accepted
        .iter()
        .any(|(v, s)| s.cipher == "3DES" && *v != "TLS 1.0")
    {
        cap("C", "3DES accepted with TLS 1.1 or newer (Sweet32)".into());
    }
    if let Some(bits) = scan.dh_bits.filter(|b| *b < 2048) {
        cap("B", format!("a {bits}-bit DH group"));
    }
    if !accepted.iter().any(|(_, s)| s.forward_secret) {
        cap("B", "no suite with forward secrecy".into());
    }
    if !accepted.iter().any(|(_, s)| s.aead) {
        cap("A-", "no AEAD suite".into());
    }
}

fn letter(score: u32) -> &'static str {
    match score {
        80.. => "A",
        65.. => "B",
        50.. => "C",
        35.. => "D",
        20.. => "E",
        _ => "F",
    }
}

/// Grades a TLS report.
pub fn tls_grade(report: &TlsReport) -> TlsGrade {
    let score =
        (protocol_score(report) * 3 + key_exchange_score(report) * 3 + cipher_score(report) * 4)
            / 10;
    let mut grade = letter(score);
    let mut caps = Vec::new();
    let mut cap = |to: &'static str, why: String| {
        caps.push(format!("{to}: {why}"));
        grade = worse(grade, to);
    };
    if report.version.is_none() {
        cap("F", "no handshake completed".into());
    }
    for issue in &report.issues {
        let why = match issue {
            TrustIssue::Expired => "the certificate has expired".to_string(),
            TrustIssue::NotYetValid => "the certificate is not valid yet".into(),
            TrustIssue::SelfSigned => "the certificate is self-signed".into(),
            TrustIssue::UnknownIssuer => "no trusted root issued the certificate".into(),
            TrustIssue::HostnameMismatch => "the certificate is for another host".into(),
            TrustIssue::CaAsLeaf => "a CA certificate is the server certificate".into(),
            TrustIssue::Other(e) => format!("the certificate is not trusted: {e}"),
        };
        cap("F", why);
    }
    if !report.trusted && report.issues.is_empty() && !report.chain.is_empty() {
        cap("F", "the certificate is not trusted".into());
    }
    let legacy: Vec<&str> = report
        .protocols
        .iter()
        .filter(|p| p.accepted == Some(true) && matches!(p.version.as_str(), "TLS 1.0" | "TLS 1.1"))
        .map(|p| p.version.as_str())
        .collect();
    if !legacy.is_empty() {
        cap("B", format!("{} accepted", legacy.join(" and ")));
    }
    let weak = report
        .chain
        .iter()
        .any(|c| c.weak_key() || (c.weak_signature() && !(c.self_signed && c.is_ca)));
    if weak {
        cap("B", "a weak key or a SHA-1 signature in the chain".into());
    }
    suite_caps(report, &mut cap);
    if report.version.is_some() && report.version.as_deref() != Some("TLS 1.3") {
        cap("A-", "no TLS 1.3".into());
    }
    TlsGrade {
        grade: grade.to_string(),
        score,
        caps,
    }
}

/// The overall grade: the worse of the header grade and the TLS grade. A target without TLS
/// is capped at C, since nothing it sends is protected on the way.
pub fn overall(header: &str, tls: Option<&TlsGrade>) -> String {
    match tls {
        Some(t) => worse(header, &t.grade).to_string(),
        None => worse(header, "C").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::tls::{CertInfo, ProtocolSupport};

    fn cert(key_type: &str, bits: usize) -> CertInfo {
        CertInfo {
            subject: "CN=a".into(),
            issuer: "CN=ca".into(),
            sans: vec!["a".into()],
            not_before: 0,
            not_after: i64::MAX,
            not_before_text: String::new(),
            not_after_text: String::new(),
            days_left: 365,
            key_type: key_type.into(),
            key_bits: bits,
            signature_algorithm: "sha256WithRSAEncryption".into(),
            serial: "01".into(),
            is_ca: false,
            self_signed: false,
            key_usage: Vec::new(),
            extended_key_usage: Vec::new(),
            scts: 0,
        }
    }

    fn report(version: &str, suite: &str, protocols: &[(&str, bool)]) -> TlsReport {
        TlsReport {
            host: "a".into(),
            port: 443,
            version: Some(version.into()),
            cipher_suite: Some(suite.into()),
            key_exchange: Some("X25519".into()),
            alpn: None,
            chain: vec![cert("EC", 256)],
            trusted: true,
            verdict: None,
            issues: Vec::new(),
            protocols: protocols
                .iter()
                .map(|(v, ok)| ProtocolSupport::new(v, *ok, ""))
                .collect(),
            ..TlsReport::default()
        }
    }

    const MODERN: &[(&str, bool)] = &[
        ("TLS 1.0", false),
        ("TLS 1.1", false),
        ("TLS 1.2", true),
        ("TLS 1.3", true),
    ];

    #[test]
    fn grades_follow_the_ssl_labs_model() {
        let good = report("TLS 1.3", "TLS13_AES_256_GCM_SHA384", MODERN);
        let g = tls_grade(&good);
        // 0.3 * 100 + 0.3 * 90 + 0.4 * 100 = 97.
        assert_eq!((g.grade.as_str(), g.score), ("A", 97), "{:?}", g.caps);

        let mut untrusted = good.clone();
        untrusted.trusted = false;
        untrusted.issues = vec![TrustIssue::UnknownIssuer];
        assert_eq!(tls_grade(&untrusted).grade, "F");

        let legacy = report(
            "TLS 1.3",
            "TLS13_AES_128_GCM_SHA256",
            &[
                ("TLS 1.0", true),
                ("TLS 1.1", true),
                ("TLS 1.2", true),
                ("TLS 1.3", true),
            ],
        );
        let g = tls_grade(&legacy);
        // Protocols (100 + 90) / 2 = 95: 0.3 * 95 + 0.3 * 90 + 0.4 * 80 = 87, capped at B.
        assert_eq!((g.grade.as_str(), g.score), ("B", 87));

        let no13 = report("TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", MODERN);
        assert_eq!(tls_grade(&no13).grade, "A-");

        let mut weak = good.clone();
        weak.chain = vec![cert("RSA", 1024)];
        assert_eq!(tls_grade(&weak).grade, "B");
    }

    #[test]
    fn the_overall_grade_is_the_worse_of_the_two() {
        let mut t = tls_grade(&report("TLS 1.3", "TLS13_AES_256_GCM_SHA384", MODERN));
        assert_eq!(overall("A+", Some(&t)), "A");
        assert_eq!(overall("C+", Some(&t)), "C+");
        t.grade = "F".into();
        // The issue's case: A+ headers beside an untrusted certificate.
        assert_eq!(overall("A+", Some(&t)), "F");
        assert_eq!(overall("A+", None), "C");
        assert_eq!(overall("D", None), "D");
    }
}
