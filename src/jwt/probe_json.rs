//! A probe's report as JSON: what `apiward jwt probe --json` prints and the JWT tab copies
//! (`y` over the report), built once so the two never differ.

use serde_json::{Value, json};

use super::probe::{Inconclusive, ProbeReport};

impl ProbeReport {
    /// The verdict, every variant with its answer and verdict, the variants not sent, the JWKS
    /// host and the findings.
    pub fn to_json(&self) -> Value {
        let verdict = self.verdict();
        let why = verdict.inconclusive();
        json!({
            "url": self.url,
            "verdict": verdict.name(),
            "inconclusive": why.map(Inconclusive::id),
            "reason": why.map(Inconclusive::reason),
            "protected": self.protected,
            "original": self.original,
            "no_token": self.no_token,
            "variants": self.variants,
            "accepted": self.accepted().map(|v| v.attack.clone()).collect::<Vec<_>>(),
            "skipped": self.skipped,
            "jku": self.jku,
            "findings": self.findings(),
        })
    }
}
