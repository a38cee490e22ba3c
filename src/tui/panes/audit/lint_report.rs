//! What the Audit tab keeps of a spec lint: the findings in the CLI's order and the CLI's
//! own text report for `y`, made once in the job so the description itself is not kept.

use crate::findings::Finding;
use crate::spec::Document;
use crate::spec::lint::{self, text};

/// Places listed under each rule in the copied report, as `apiward spec lint` lists them.
const SHOW: usize = 10;

#[derive(Debug, Clone)]
pub struct LintReport {
    /// The file or URL as typed.
    pub source: String,
    /// "OpenAPI 3.1", "Swagger 2.0", …
    pub version: &'static str,
    /// Worst first, then by rule and place, as the CLI lists them; each finding's evidence
    /// starts with its place (`#/json/pointer`).
    pub findings: Vec<Finding>,
    /// Each finding's place, `#/json/pointer` (or `FILE#/pointer` in another file).
    pub places: Vec<String>,
    /// The report as `apiward spec lint SOURCE` prints it, without colour.
    pub text: String,
}

impl LintReport {
    /// Lints `doc`, loaded from `source`.
    pub fn new(source: String, doc: &Document) -> Self {
        let hits = lint::lint(doc);
        let style = text::TextStyle {
            show: SHOW,
            more_hint: " (apiward spec lint --json lists them all)",
            paint: &text::plain,
        };
        Self {
            text: text::text(&source, doc, &hits, &style),
            findings: hits.iter().map(|h| h.finding(doc)).collect(),
            places: hits.iter().map(|h| h.place(doc)).collect(),
            version: doc.version.label(),
            source,
        }
    }
}
