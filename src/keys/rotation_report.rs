//! A rotation told in sentences, and the size of the key it makes: the set-up the CLI's
//! `keys rotate` and the Keys tab share, so they say the same thing and make the same key.

use super::Keyring;
use super::lifecycle::{Rotation, StepOutcome, when};
use super::material::{Private, RSA_BITS};

/// The RSA size of a new key when nothing else says: the floor of RFC 7518 §3.3.
pub const DEFAULT_RSA_BITS: usize = RSA_BITS[0];

/// The RSA size for a rotation's new key: that of the active key it replaces, so a rotation
/// never weakens (or slows) the keys; [`DEFAULT_RSA_BITS`] when the active key is not RSA.
pub fn next_rsa_bits(ring: &Keyring) -> usize {
    ring.active()
        .and_then(|k| match k.private() {
            Ok(Private::Rsa(r)) => Some(rsa::traits::PublicKeyParts::size(&*r) * 8),
            _ => None,
        })
        .unwrap_or(DEFAULT_RSA_BITS)
}

/// One step of a rotation, in the plan's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepReport {
    /// Done: "k1 is active and signs"; with the warning when it was forced.
    Done {
        summary: String,
        warning: Option<String>,
    },
    /// Not due yet: "promote k2 is due in 3 days".
    Waiting(String),
    /// Due but not safe yet, which force would override: "promote k2 is not safe until …: why".
    NotSafe(String),
}

/// Each step of `rotation` as a sentence, with times relative to `now`. Empty when the plan
/// had no step at all (no key to rotate).
pub fn report(rotation: &Rotation, now: i64) -> Vec<StepReport> {
    rotation
        .steps
        .iter()
        .map(|(step, outcome)| {
            let kid = step.kid.as_deref().unwrap_or("a new key");
            let kind = step.kind.as_str();
            match outcome {
                StepOutcome::Done { summary } => StepReport::Done {
                    summary: summary.clone(),
                    warning: None,
                },
                StepOutcome::Forced { summary, warning } => StepReport::Done {
                    summary: summary.clone(),
                    warning: Some(warning.clone()),
                },
                StepOutcome::NotDue { due_at } => {
                    StepReport::Waiting(format!("{kind} {kid} is due {}", when(*due_at, now)))
                }
                StepOutcome::NotSafe { safe_at, why } => StepReport::NotSafe(format!(
                    "{kind} {kid} is not safe until {}: {why}",
                    when(*safe_at, now)
                )),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KeyEntry, Policy, rotate};

    const NOW: i64 = 1_700_000_000;

    #[test]
    fn a_rotation_reads_the_same_for_both_front_ends() {
        let mut ring = Keyring::new(Policy::default());
        assert!(report(&rotate(&mut ring, NOW, false, None).unwrap(), NOW).is_empty());
        assert_eq!(next_rsa_bits(&ring), DEFAULT_RSA_BITS);
        ring.add(KeyEntry::generate("ES256", DEFAULT_RSA_BITS, Some("a".into()), NOW).unwrap())
            .unwrap();
        let lines = report(&rotate(&mut ring, NOW, false, None).unwrap(), NOW);
        assert!(
            lines
                .iter()
                .any(|l| matches!(l, StepReport::Done { summary, warning: None }
                if summary.contains('a'))),
            "{lines:?}"
        );
        // The next step is not due: it says which, and when.
        let waiting = report(&rotate(&mut ring, NOW + 1, false, None).unwrap(), NOW + 1);
        assert!(
            waiting
                .iter()
                .any(|l| matches!(l, StepReport::Waiting(w) if w.contains(" is due "))),
            "{waiting:?}"
        );
    }

    #[test]
    fn a_rotation_keeps_the_rsa_size_of_the_active_key() {
        let mut ring = Keyring::new(Policy::default());
        ring.add(KeyEntry::generate("RS256", 3072, Some("r".into()), NOW).unwrap())
            .unwrap();
        crate::keys::promote(&mut ring, "r", NOW, true).unwrap();
        assert_eq!(next_rsa_bits(&ring), 3072);
    }
}
