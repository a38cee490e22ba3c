//! Trust verdicts named, and the findings a TLS report gives.

use rustls::CertificateError;

use super::{CertInfo, TlsReport, TrustIssue, server_name, verifier};
use crate::audit::rules::finding;
use crate::findings::Finding;

/// Names every reason the chain is refused: the checks apiward can make itself (dates,
/// self-signed, CA as leaf, host name), then whatever the verifier still objects to once
/// time is set aside (unknown issuer and the rest).
pub(super) fn classify(
    chain: &[CertInfo],
    rec: &verifier::Recorded,
    host: &str,
    now: i64,
) -> Vec<TrustIssue> {
    let mut issues = Vec::new();
    let add = |i: TrustIssue, issues: &mut Vec<TrustIssue>| {
        if !issues.contains(&i) {
            issues.push(i);
        }
    };
    if chain.iter().any(|c| now > c.not_after) {
        add(TrustIssue::Expired, &mut issues);
    }
    if chain.iter().any(|c| now < c.not_before) {
        add(TrustIssue::NotYetValid, &mut issues);
    }
    if let Some(leaf) = chain.first() {
        if leaf.self_signed {
            add(TrustIssue::SelfSigned, &mut issues);
        }
        if leaf.is_ca {
            add(TrustIssue::CaAsLeaf, &mut issues);
        }
    }
    if let (Some(der), Ok(name)) = (rec.chain.first(), server_name(host))
        && let Ok(parsed) = rustls::server::ParsedCertificate::try_from(der)
        && rustls::client::verify_server_name(&parsed, &name).is_err()
    {
        add(TrustIssue::HostnameMismatch, &mut issues);
    }
    let rest = rec.verdict_ignoring_time.as_ref().unwrap_or(&rec.verdict);
    if let Err(e) = rest {
        let issue = match e {
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
                TrustIssue::UnknownIssuer
            }
            rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            ) => TrustIssue::HostnameMismatch,
            rustls::Error::InvalidCertificate(
                CertificateError::Expired | CertificateError::ExpiredContext { .. },
            ) => TrustIssue::Expired,
            other if other.to_string().contains("CaUsedAsEndEntity") => TrustIssue::CaAsLeaf,
            other => TrustIssue::Other(other.to_string()),
        };
        // A self-signed leaf is its own unknown issuer: naming it twice helps nobody.
        let covered =
            issue == TrustIssue::UnknownIssuer && issues.contains(&TrustIssue::SelfSigned);
        if !covered {
            add(issue, &mut issues);
        }
    }
    issues
}

/// The findings a TLS report gives.
pub fn tls_findings(report: &TlsReport) -> Vec<Finding> {
    let mut out = Vec::new();
    let leaf = report.chain.first();
    for issue in &report.issues {
        let evidence = match (issue, leaf) {
            (TrustIssue::Expired, Some(l)) => {
                format!("notAfter {} ({} days ago)", l.not_after_text, -l.days_left)
            }
            (TrustIssue::NotYetValid, Some(l)) => format!("notBefore {}", l.not_before_text),
            (TrustIssue::SelfSigned, Some(l)) => {
                format!("subject and issuer are both {}", l.subject)
            }
            (TrustIssue::CaAsLeaf, Some(l)) => {
                format!("{} has BasicConstraints CA:true", l.subject)
            }
            (TrustIssue::HostnameMismatch, Some(l)) => {
                format!("{} is not in [{}]", report.host, l.sans.join(", "))
            }
            (TrustIssue::UnknownIssuer, Some(l)) => {
                format!("no trusted root for issuer {}", l.issuer)
            }
            (TrustIssue::Other(e), _) => e.clone(),
            _ => report.verdict.clone().unwrap_or_default(),
        };
        if !out.iter().any(|f: &Finding| f.id == issue.rule_id()) {
            out.push(finding(issue.rule_id(), evidence));
        }
    }
    if let Some(l) = leaf
        && (0..30).contains(&l.days_left)
    {
        out.push(finding(
            "tls-cert-expiring",
            format!("notAfter {} ({} days left)", l.not_after_text, l.days_left),
        ));
    }
    let weak: Vec<String> = report
        .chain
        .iter()
        .filter(|c| c.weak_key())
        .map(|c| format!("{} ({} {})", c.subject, c.key_type, c.key_bits))
        .collect();
    if !weak.is_empty() {
        out.push(finding("tls-weak-key", weak.join("; ")));
    }
    // A self-signed root's own signature is never checked, so only the others count.
    let sha1: Vec<String> = report
        .chain
        .iter()
        .filter(|c| c.weak_signature() && !(c.self_signed && c.is_ca))
        .map(|c| format!("{} ({})", c.subject, c.signature_algorithm))
        .collect();
    if !sha1.is_empty() {
        out.push(finding("tls-sha1-signature", sha1.join("; ")));
    }
    let legacy: Vec<&str> = report
        .protocols
        .iter()
        .filter(|p| p.accepted == Some(true) && (p.version == "TLS 1.0" || p.version == "TLS 1.1"))
        .map(|p| p.version.as_str())
        .collect();
    if !legacy.is_empty() {
        out.push(finding(
            "tls-legacy-protocol",
            format!("accepted: {}", legacy.join(", ")),
        ));
    }
    if report
        .protocols
        .iter()
        .any(|p| p.version == "TLS 1.3" && p.accepted == Some(false))
    {
        let v = report.version.clone().unwrap_or_default();
        out.push(finding(
            "tls-no-tls13",
            format!("offered TLS 1.3, the server chose {v}"),
        ));
    }
    out.extend(super::findings::extra_findings(report));
    out
}
