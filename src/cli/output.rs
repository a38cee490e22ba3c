//! Printing for the CLI: colour that follows the terminal, JSON, and the readable text form of
//! findings shared by every subcommand that reports them.

use std::io::IsTerminal;

use anstyle::{AnsiColor, Style};

use crate::findings::{Finding, Severity};

/// Colour on stdout: only on a terminal, and never with NO_COLOR set.
pub fn color() -> bool {
    std::io::stdout().is_terminal() && !crate::config::no_color()
}

/// Wraps text in a style when colour is on.
pub fn paint(text: &str, style: Style, color: bool) -> String {
    if color {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

pub fn bold() -> Style {
    Style::new().bold()
}

pub fn dim() -> Style {
    Style::new().dimmed()
}

pub fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Critical => AnsiColor::BrightMagenta,
        Severity::High => AnsiColor::Red,
        Severity::Medium => AnsiColor::Yellow,
        Severity::Low => AnsiColor::Blue,
        Severity::Info => AnsiColor::BrightBlack,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

/// Pretty JSON on stdout. A reader that went away early (`| head`) is not an error.
pub fn print_json(value: &impl serde::Serialize) {
    use std::io::Write;
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            let _ = writeln!(std::io::stdout().lock(), "{text}");
        }
        Err(err) => eprintln!("apiward: cannot serialise the output: {err}"),
    }
}

/// Findings as readable text: severity, id and title, then evidence, why, fix and references.
pub fn findings_text(findings: &[Finding], color: bool) -> String {
    if findings.is_empty() {
        return "No findings.\n".to_string();
    }
    let mut out = String::new();
    for f in findings {
        let label = format!("{:<8}", f.severity.as_str().to_uppercase());
        out.push_str(&format!(
            "{} {} {}\n",
            paint(&label, severity_style(f.severity), color),
            paint(&f.id, bold(), color),
            f.title
        ));
        for (name, text) in [("evidence", &f.evidence), ("why", &f.why), ("fix", &f.fix)] {
            if !text.is_empty() {
                out.push_str(&format!(
                    "         {} {text}\n",
                    paint(&format!("{name}:"), dim(), color)
                ));
            }
        }
        for r in &f.refs {
            out.push_str(&format!(
                "         {} {} <{}>\n",
                paint("ref:", dim(), color),
                r.title,
                r.url
            ));
        }
        out.push('\n');
    }
    let counts: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|&sev| {
            let n = findings.iter().filter(|f| f.severity == sev).count();
            (n > 0).then(|| format!("{n} {sev}"))
        })
        .collect();
    out.push_str(&format!(
        "{} findings: {}\n",
        findings.len(),
        counts.join(", ")
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_text_lists_every_part_and_counts() {
        let findings = vec![
            Finding::new("alg-none", Severity::Critical, "Unsecured token")
                .evidence("alg: none")
                .why("anyone can write claims")
                .fix("reject none")
                .reference(
                    "RFC 8725 §2.1",
                    "https://www.rfc-editor.org/rfc/rfc8725#section-2.1",
                ),
            Finding::new("jti-missing", Severity::Low, "No jti"),
        ];
        let text = findings_text(&findings, false);
        assert!(text.contains("CRITICAL alg-none Unsecured token"), "{text}");
        assert!(text.contains("evidence: alg: none"));
        assert!(text.contains("ref: RFC 8725 §2.1 <https://"));
        assert!(text.ends_with("2 findings: 1 critical, 1 low\n"), "{text}");
        assert!(!text.contains('\x1b'), "no colour when off");
        assert_eq!(findings_text(&[], false), "No findings.\n");
    }
}
