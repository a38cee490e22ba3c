//! The JWT tab's key recovery: a second token signed by the same key (none needed for ES*),
//! the recovery as a job on the task runner, the candidates it found, and which one is
//! selected for copying, saving and probing.

use crate::jwt::recover::Candidate;
use crate::jwt::{self, Decoded, VerifyOptions};
use crate::tui::widgets::input::TextInput;

/// What the tab knows about recovering the key behind the inspected token.
#[derive(Debug, Default)]
pub struct Recovery {
    /// The second token, as typed or pasted; kept so `r` again starts from it.
    pub second: TextInput,
    /// The tokens (raw) of the recovery running now, if one is.
    pub running: Option<Vec<String>>,
    /// The tokens (raw) the candidates were recovered from.
    pub tokens: Vec<String>,
    pub candidates: Vec<Candidate>,
    pub selected: usize,
    /// One line on how the last recovery went, shown under the verify panel.
    pub note: Option<String>,
}

impl Recovery {
    /// The tokens to recover from: the inspected one, and the second one when given. A
    /// mistake is one sentence for the status bar.
    pub fn tokens(&self, first: &Decoded) -> Result<Vec<Decoded>, String> {
        let mut tokens = vec![first.clone()];
        let text = self.second.text().trim();
        let alg = first.alg.as_deref().unwrap_or("none");
        if text.is_empty() {
            if alg.starts_with("ES") {
                return Ok(tokens);
            }
            return Err(if alg.starts_with("RS") {
                format!("{alg} needs a second token signed by the same key: paste or type one (r)")
            } else {
                format!(
                    "{alg} tokens do not give their key away: recovery works on RS256/384/512 and ES256/384/512"
                )
            });
        }
        let second = jwt::decode(text).map_err(|e| format!("the second token: {e}"))?;
        if second.raw == first.raw {
            return Err(
                "the second token is the inspected one: recovery needs a different signature"
                    .into(),
            );
        }
        tokens.push(second);
        Ok(tokens)
    }

    /// Whether the candidates shown came from exactly these tokens (so `r` again shows them
    /// instead of spending another 40 s on an RSA key).
    pub fn has(&self, tokens: &[Decoded]) -> bool {
        !self.candidates.is_empty()
            && self.tokens.len() == tokens.len()
            && self.tokens.iter().zip(tokens).all(|(a, b)| *a == b.raw)
    }

    /// Takes a finished recovery's candidates, the ones that verify every token first.
    pub fn found(&mut self, tokens: Vec<String>, candidates: Vec<Candidate>) {
        let good = candidates.iter().filter(|c| c.verifies).count();
        let what = match tokens.len() {
            1 => "the token",
            2 => "both tokens",
            _ => "every token",
        };
        self.note = Some(match (good, candidates.len()) {
            (0, n) => format!("{n} candidate(s), none verifies {what}"),
            (1, 1) => format!("1 key, it verifies {what} (r shows it)"),
            (g, n) => format!("{n} candidates, {g} verify {what} (r shows them)"),
        });
        self.tokens = tokens;
        self.candidates = candidates;
        self.selected = 0;
    }

    pub fn selected(&self) -> Option<&Candidate> {
        self.candidates.get(self.selected)
    }

    pub fn select(&mut self, up: bool) {
        let last = self.candidates.len().saturating_sub(1);
        self.selected = if up {
            self.selected.saturating_sub(1)
        } else {
            (self.selected + 1).min(last)
        };
    }

    /// The candidates worth probing `token` with: those that verify every token they were
    /// recovered from and this one too (the inspected token may have changed since).
    pub fn for_probe(&self, token: &Decoded) -> Vec<Candidate> {
        let opts = VerifyOptions::new(0);
        self.candidates
            .iter()
            .filter(|c| {
                c.verifies && jwt::verify(token, &c.key, &opts).is_ok_and(|v| v.signature_valid)
            })
            .cloned()
            .collect()
    }

    /// "verifies both tokens" and the like, for the candidate list.
    pub fn verdict(&self, candidate: &Candidate) -> &'static str {
        candidate.verdict(self.tokens.len())
    }
}

/// The name a saved candidate gets: the one `apiward jwt recover-key --out` gives its SPKI
/// PEM, so both front ends leave the same file.
pub fn file_name(candidate: &Candidate) -> String {
    format!("{}.spki.pem", candidate.thumbprint)
}
