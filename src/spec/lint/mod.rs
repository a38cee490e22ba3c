//! `apiward spec lint`: security findings on an API description, found by walking it once
//! (the OWASP API Top 10 checks of Spectral's OWASP ruleset, vacuum and 42Crunch; the rules are
//! data in [`rules`], and `docs/spec-lint.md` maps each peer rule to its id). A finding is
//! placed by its file and JSON pointer; nothing is expanded, so a 13 MB description costs its
//! parsed tree.

mod operations;
pub mod rules;
mod schemas;
mod security;
mod servers;
pub mod text;

use std::collections::HashSet;

use serde::Serialize;

use super::document::{Document, Node};
use crate::findings::{Finding, Rule, Severity};
pub use rules::RULES;

/// One rule broken at one place.
#[derive(Debug, Clone)]
pub struct Hit {
    pub rule: &'static Rule,
    /// The file of the description (0 is the root) and the JSON pointer in it.
    pub file: usize,
    pub pointer: String,
    /// What was seen there, short.
    pub evidence: String,
}

impl Hit {
    pub fn id(&self) -> &'static str {
        self.rule.id
    }

    /// The finding in the shape every check reports in; its evidence names the place.
    pub fn finding(&self, doc: &Document) -> Finding {
        let place = self.place(doc);
        self.rule
            .finding(format!("{place}: {}", self.evidence), &[])
    }

    /// `#/json/pointer` in the root file, `FILE#/pointer` in another.
    pub fn place(&self, doc: &Document) -> String {
        match self.file {
            0 => format!("#{}", self.pointer),
            n => format!("{}#{}", doc.files()[n].location, self.pointer),
        }
    }
}

/// A hit as JSON: the finding's fields with the place beside them.
#[derive(Debug, Serialize)]
pub struct Located {
    pub file: String,
    pub pointer: String,
    #[serde(flatten)]
    pub finding: Finding,
}

impl Located {
    pub fn new(hit: &Hit, doc: &Document) -> Self {
        Self {
            file: doc.files()[hit.file].location.to_string(),
            pointer: hit.pointer.clone(),
            finding: hit.finding(doc),
        }
    }
}

/// Collects hits, one per rule and place.
pub(crate) struct Hits {
    list: Vec<Hit>,
    seen: HashSet<(&'static str, usize, String)>,
}

impl Hits {
    fn new() -> Self {
        Self {
            list: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// Rule `id` broken at `node`.
    pub(crate) fn at(&mut self, id: &'static str, node: &Node<'_>, evidence: impl Into<String>) {
        self.push(id, node.file, node.pointer.clone(), evidence.into());
    }

    pub(crate) fn push(
        &mut self,
        id: &'static str,
        file: usize,
        pointer: String,
        evidence: String,
    ) {
        if self.seen.insert((id, file, pointer.clone())) {
            self.list.push(Hit {
                rule: rules::rule(id),
                file,
                pointer,
                evidence,
            });
        }
    }
}

/// Every rule broken in `doc`, worst first, then by rule id and place.
pub fn lint(doc: &Document) -> Vec<Hit> {
    let mut hits = Hits::new();
    servers::check(doc, &mut hits);
    security::check(doc, &mut hits);
    operations::check(doc, &mut hits);
    for (file, source) in doc.files().iter().enumerate() {
        schemas::check(doc.version, file, &source.value, &mut hits);
    }
    let mut list = hits.list;
    list.sort_by(|a, b| {
        b.rule
            .severity
            .cmp(&a.rule.severity)
            .then_with(|| a.rule.id.cmp(b.rule.id))
            .then_with(|| (a.file, &a.pointer).cmp(&(b.file, &b.pointer)))
    });
    list
}

/// The worst severity among `hits`.
pub fn worst(hits: &[Hit]) -> Option<Severity> {
    hits.iter().map(|h| h.rule.severity).max()
}

/// Whether a path segment or name reads as an API version: `v1`, `V2`.
fn version_number(segment: &str) -> Option<u32> {
    let digits = segment.strip_prefix(['v', 'V'])?;
    digits.parse().ok()
}

/// `name` lower-cased with `_`, `-` and `.` removed, for matching names written in any case.
fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests;
