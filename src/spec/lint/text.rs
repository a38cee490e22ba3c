//! The readable lint report, grouped by rule: what `apiward spec lint` prints and what the
//! Audit tab copies. The styling is the caller's (the CLI colours a terminal; the clipboard
//! gets plain text), so both read the same words.

use super::Hit;
use crate::findings::Severity;
use crate::spec::Document;

/// The parts of the report a caller may style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The report's heading and each rule's id.
    Strong,
    /// `why:`, `fix:`, `ref:` and `at` labels.
    Label,
    /// A rule's severity, padded.
    Severity(Severity),
}

/// How the report is written.
pub struct TextStyle<'a> {
    /// Places listed under each rule.
    pub show: usize,
    /// Said after "… and N more" when a rule has more places than `show`.
    pub more_hint: &'a str,
    /// Styles one part; identity for plain text.
    pub paint: &'a dyn Fn(Part, &str) -> String,
}

/// The report: heading, then each broken rule once (severity, id, title, why, fix,
/// references) with the places it is broken, then the counts.
pub fn text(source: &str, doc: &Document, hits: &[Hit], style: &TextStyle<'_>) -> String {
    let paint = style.paint;
    let mut out = format!(
        "{} {source} ({})\n\n",
        paint(Part::Strong, "spec lint"),
        doc.version.label()
    );
    if hits.is_empty() {
        out.push_str("No findings.\n");
        return out;
    }
    // Hits come sorted by severity, then rule: each rule's hits are one run.
    for group in hits.chunk_by(|a, b| a.rule.id == b.rule.id) {
        let rule = group[0].rule;
        let label = format!("{:<8}", rule.severity.as_str().to_uppercase());
        out.push_str(&format!(
            "{} {} {} ({})\n",
            paint(Part::Severity(rule.severity), &label),
            paint(Part::Strong, rule.id),
            rule.title,
            group.len()
        ));
        for (name, text) in [("why:", rule.why), ("fix:", rule.fix)] {
            out.push_str(&format!("         {} {text}\n", paint(Part::Label, name)));
        }
        for (title, url) in rule.refs {
            out.push_str(&format!(
                "         {} {title} <{url}>\n",
                paint(Part::Label, "ref:")
            ));
        }
        for hit in group.iter().take(style.show) {
            out.push_str(&format!(
                "         {} {}: {}\n",
                paint(Part::Label, "at"),
                hit.place(doc),
                hit.evidence
            ));
        }
        if group.len() > style.show {
            out.push_str(&format!(
                "         … and {} more{}\n",
                group.len() - style.show,
                style.more_hint
            ));
        }
        out.push('\n');
    }
    let by_severity: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|&sev| {
            let n = hits.iter().filter(|h| h.rule.severity == sev).count();
            (n > 0).then(|| format!("{n} {sev}"))
        })
        .collect();
    let rules = hits.chunk_by(|a, b| a.rule.id == b.rule.id).count();
    out.push_str(&format!(
        "{} findings of {rules} rules: {}\n",
        hits.len(),
        by_severity.join(", ")
    ));
    out
}

/// Plain text, for a clipboard or a file.
pub fn plain(_: Part, text: &str) -> String {
    text.to_string()
}
