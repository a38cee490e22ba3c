//! Findings: the one shape every check reports in, shared by jwt, audit, keys and lab.
//!
//! A finding's `id` is a public contract (JSON output, SARIF rule ids and docs use it), so ids
//! are stable kebab-case strings and are never renamed.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How bad a finding is. Ordered, so `--fail-on high` means "high or critical".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The SARIF `level` this severity maps to.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low | Severity::Info => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a severity name that is not one of the five.
#[derive(Debug, thiserror::Error)]
#[error("unknown severity '{0}': use critical, high, medium, low or info")]
pub struct UnknownSeverity(String);

impl FromStr for Severity {
    type Err = UnknownSeverity;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownSeverity(s.to_string()))
    }
}

/// A pointer to further reading: an OWASP entry, an RFC section, an MDN page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub title: String,
    pub url: String,
}

impl Reference {
    pub fn new(title: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            url: url.into(),
        }
    }
}

/// One thing a check found: what is wrong, the evidence, why it matters and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub id: String,
    pub severity: Severity,
    pub title: String,
    pub evidence: String,
    pub why: String,
    pub fix: String,
    pub refs: Vec<Reference>,
}

impl Finding {
    pub fn new(id: &str, severity: Severity, title: impl Into<String>) -> Self {
        Self {
            id: id.to_string(),
            severity,
            title: title.into(),
            evidence: String::new(),
            why: String::new(),
            fix: String::new(),
            refs: Vec::new(),
        }
    }

    pub fn evidence(mut self, evidence: impl Into<String>) -> Self {
        self.evidence = evidence.into();
        self
    }

    pub fn why(mut self, why: impl Into<String>) -> Self {
        self.why = why.into();
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = fix.into();
        self
    }

    pub fn reference(mut self, title: impl Into<String>, url: impl Into<String>) -> Self {
        self.refs.push(Reference::new(title, url));
        self
    }
}

/// A check's fixed texts, kept as data apart from the check itself, so output formats and docs
/// can describe every rule without running anything.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    /// The usual severity; a check may raise or lower it for what it saw.
    pub severity: Severity,
    pub title: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    /// (title, url) pairs.
    pub refs: &'static [(&'static str, &'static str)],
}

impl Rule {
    /// A finding of this rule with the evidence seen, its references followed by `common`
    /// ones (the OWASP entry every rule of a module shares).
    pub fn finding(&self, evidence: impl Into<String>, common: &[(&str, &str)]) -> Finding {
        let mut f = Finding::new(self.id, self.severity, self.title)
            .evidence(evidence)
            .why(self.why)
            .fix(self.fix);
        for (title, url) in self.refs.iter().chain(common) {
            f = f.reference(*title, *url);
        }
        f
    }
}

/// The worst severity among `findings`, if any.
pub fn worst(findings: &[Finding]) -> Option<Severity> {
    findings.iter().map(|f| f.severity).max()
}

/// Sorts findings worst first, then by id, so output is stable.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.id.cmp(&b.id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_orders_and_parses() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::Low > Severity::Info);
        assert_eq!("HIGH".parse::<Severity>().unwrap(), Severity::High);
        let err = "severe".parse::<Severity>().unwrap_err().to_string();
        assert!(err.contains("severe"), "{err}");
    }

    #[test]
    fn sort_puts_worst_first_and_worst_finds_it() {
        let mut list = vec![
            Finding::new("b-low", Severity::Low, "low"),
            Finding::new("a-crit", Severity::Critical, "crit"),
            Finding::new("a-low", Severity::Low, "low"),
        ];
        sort(&mut list);
        let ids: Vec<_> = list.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["a-crit", "a-low", "b-low"]);
        assert_eq!(worst(&list), Some(Severity::Critical));
        assert_eq!(worst(&[]), None);
    }

    #[test]
    fn serializes_with_lowercase_severity() {
        let f = Finding::new("alg-none", Severity::Critical, "t").reference("RFC 8725", "u");
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["severity"], "critical");
        assert_eq!(json["refs"][0]["title"], "RFC 8725");
    }
}
