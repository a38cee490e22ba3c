//! The findings of the cipher-suite scan, the Mozilla profile, OCSP stapling and the
//! certificate's own extensions (key usage, CT timestamps) and chain order.

use super::TlsReport;
use super::ciphers::{Suite, Weakness};
use crate::audit::rules::{finding, finding_at};
use crate::findings::{Finding, Severity};

/// "TLS_RSA_WITH_AES_128_CBC_SHA (TLS 1.0, TLS 1.2), …": each suite once, with its versions.
fn list(suites: &[(&str, &Suite)]) -> String {
    let mut names: Vec<(String, Vec<&str>)> = Vec::new();
    for (version, suite) in suites {
        match names.iter_mut().find(|(n, _)| *n == suite.name) {
            Some((_, versions)) => versions.push(version),
            None => names.push((suite.name.clone(), vec![version])),
        }
    }
    names
        .iter()
        .map(|(n, v)| format!("{n} ({})", v.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One finding per weakness class, listing the suites that have it.
fn suite_findings(report: &TlsReport, out: &mut Vec<Finding>) {
    let Some(scan) = &report.ciphers else {
        return;
    };
    let accepted: Vec<(&str, &Suite)> = scan.accepted().collect();
    if accepted.is_empty() {
        return;
    }
    for weakness in [
        Weakness::Null,
        Weakness::Anonymous,
        Weakness::Export,
        Weakness::Rc4,
        Weakness::Block64,
        Weakness::CbcRsa,
        Weakness::Cbc,
        Weakness::NoForwardSecrecy,
    ] {
        let with: Vec<(&str, &Suite)> = accepted
            .iter()
            .filter(|(_, s)| s.weaknesses().contains(&weakness))
            .copied()
            .collect();
        if with.is_empty() {
            continue;
        }
        let evidence = list(&with);
        out.push(match weakness {
            // Single DES and RC2 fall to brute force, beyond the 64-bit block.
            Weakness::Block64 if with.iter().any(|(_, s)| s.bits < 112) => {
                finding_at(weakness.rule_id(), Severity::High, evidence)
            }
            // Some suites without forward secrecy beside others with it: a smaller matter.
            Weakness::NoForwardSecrecy if with.len() < accepted.len() => {
                finding_at(weakness.rule_id(), Severity::Low, evidence)
            }
            _ => finding(weakness.rule_id(), evidence),
        });
    }
    if let Some(bits) = scan.dh_bits.filter(|b| *b < 2048) {
        let evidence = format!("the DHE suites use a {bits}-bit group");
        out.push(if bits < 1024 {
            finding_at("tls-dh-weak", Severity::High, evidence)
        } else {
            finding("tls-dh-weak", evidence)
        });
    }
    // Only matters when the client could pick something worse than the server's best.
    let intermediate: Vec<&str> = super::profiles::PROFILES[1]
        .ciphers
        .iter()
        .chain(super::profiles::PROFILES[1].ciphersuites)
        .copied()
        .collect();
    let outside = accepted
        .iter()
        .any(|(_, s)| !intermediate.contains(&s.name.as_str()));
    if scan.server_preference == Some(false) && outside {
        out.push(finding(
            "tls-no-server-preference",
            "offered two suites both ways round, the server took the client's first choice each time",
        ));
    }
}

fn profile_findings(report: &TlsReport, out: &mut Vec<Finding>) {
    let Some(verdict) = &report.mozilla else {
        return;
    };
    match verdict.meets.as_deref() {
        Some("modern" | "intermediate") => {}
        Some(other) => out.push(finding(
            "tls-mozilla-profile",
            format!(
                "meets Mozilla's {other} profile only; not intermediate: {}",
                verdict.failures("intermediate").join("; ")
            ),
        )),
        None => out.push(finding(
            "tls-mozilla-profile",
            format!(
                "meets none of Mozilla's profiles; not intermediate: {}",
                verdict.failures("intermediate").join("; ")
            ),
        )),
    }
}

fn certificate_findings(report: &TlsReport, out: &mut Vec<Finding>) {
    let Some(leaf) = report.chain.first() else {
        return;
    };
    if report.ocsp_stapled == Some(false) {
        out.push(finding(
            "tls-no-ocsp-stapling",
            "the server sent no CertificateStatus although asked (status_request)",
        ));
    }
    if let Some(problem) = leaf.server_usage_problem() {
        out.push(finding(
            "tls-cert-usage",
            format!("{}: {problem}", leaf.subject),
        ));
    }
    // Self-signed leaves are refused on other grounds; CT is for publicly trusted chains.
    if leaf.scts == 0 && !leaf.self_signed {
        out.push(finding(
            "tls-no-sct",
            format!("{} embeds no signed certificate timestamp", leaf.subject),
        ));
    }
    // Out of order: a certificate's issuer is in the chain, but not right after it (an
    // issuer missing altogether is a trust problem, named elsewhere).
    let misplaced: Vec<String> = report
        .chain
        .windows(2)
        .filter(|w| {
            w[0].issuer != w[1].subject
                && !w[0].self_signed
                && report.chain.iter().any(|c| c.subject == w[0].issuer)
        })
        .map(|w| format!("{} is followed by {}", w[0].subject, w[1].subject))
        .collect();
    if !misplaced.is_empty() {
        out.push(finding("tls-chain-order", misplaced.join("; ")));
    }
}

/// Every finding of this module.
pub(super) fn extra_findings(report: &TlsReport) -> Vec<Finding> {
    let mut out = Vec::new();
    suite_findings(report, &mut out);
    profile_findings(report, &mut out);
    certificate_findings(report, &mut out);
    out
}
