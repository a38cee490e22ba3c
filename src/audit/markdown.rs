//! An audit report as Markdown, for pasting into a ticket or a pull request.

use std::fmt::Write;

use super::AuditReport;

pub fn report(report: &AuditReport) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Security audit of {}\n", report.target);
    match (&report.grade, report.score) {
        (Some(grade), Some(score)) => {
            let _ = writeln!(
                md,
                "**Grade {grade}** ({score}/100), {} findings.\n",
                report.findings.len()
            );
        }
        _ => {
            let _ = writeln!(md, "No grade, {} findings.\n", report.findings.len());
        }
    }
    if let Some(err) = &report.error {
        let _ = writeln!(md, "> The audit could not finish: {err}\n");
    }
    if !report.findings.is_empty() {
        let _ = writeln!(
            md,
            "| severity | area | id | finding | evidence |\n|---|---|---|---|---|"
        );
        for f in &report.findings {
            let _ = writeln!(
                md,
                "| {} | {} | `{}` | {} | {} |",
                f.severity,
                super::rules::area(&f.id),
                f.id,
                cell(&f.title),
                cell(&f.evidence)
            );
        }
        md.push('\n');
        let _ = writeln!(md, "## How to fix\n");
        for f in &report.findings {
            let refs: Vec<String> = f
                .refs
                .iter()
                .map(|r| format!("[{}]({})", r.title, r.url))
                .collect();
            let _ = writeln!(md, "- **`{}`**: {} {}", f.id, f.fix, refs.join(", "));
        }
        md.push('\n');
    }
    if let Some(tls) = &report.tls {
        let _ = writeln!(md, "## TLS\n");
        let parts: Vec<&str> = [
            &tls.version,
            &tls.cipher_suite,
            &tls.key_exchange,
            &tls.alpn,
        ]
        .iter()
        .filter_map(|p| p.as_deref())
        .collect();
        let _ = writeln!(md, "- Negotiated: {}", parts.join(", "));
        let _ = writeln!(md, "- Trusted: {}", if tls.trusted { "yes" } else { "no" });
        for (i, c) in tls.chain.iter().enumerate() {
            let _ = writeln!(
                md,
                "- Certificate {i}: {} (issued by {}, expires {}, {} days left)",
                c.subject, c.issuer, c.not_after_text, c.days_left
            );
        }
        for p in &tls.protocols {
            let state = match p.accepted {
                Some(true) => "accepted",
                Some(false) => "refused",
                None => "unknown",
            };
            let _ = writeln!(md, "- {}: {state}", p.version);
        }
        if let Some(scan) = &tls.ciphers {
            for v in scan.versions.iter().filter(|v| !v.suites.is_empty()) {
                let names: Vec<String> = v.suites.iter().map(|s| format!("`{}`", s.name)).collect();
                let _ = writeln!(md, "- {} suites: {}", v.version, names.join(", "));
            }
        }
        if let Some(m) = &tls.mozilla {
            let _ = writeln!(
                md,
                "- Mozilla profile ({}): {}",
                m.guidelines,
                m.meets.as_deref().unwrap_or("none")
            );
        }
    }
    md
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Finding, Severity};

    #[test]
    fn markdown_has_a_table_and_fixes() {
        let mut r = AuditReport::empty("https://api.example.test/");
        r.grade = Some("B".into());
        r.score = Some(70);
        r.findings.push(
            Finding::new("csp-missing", Severity::Medium, "No CSP")
                .evidence("a|b")
                .fix("Send a CSP"),
        );
        let md = report(&r);
        assert!(md.starts_with("# Security audit of https://api.example.test/"));
        assert!(md.contains("**Grade B** (70/100), 1 findings."));
        assert!(md.contains("| medium | Headers | `csp-missing` | No CSP | a\\|b |"));
        assert!(md.contains("- **`csp-missing`**: Send a CSP"));
    }
}
