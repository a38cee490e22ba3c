//! Moving keys through their lifecycle: next → active → retiring → retired, or revoked.
//!
//! Each transition checks the plan's safety times and refuses an unsafe step with the time it
//! becomes safe ([`KeysError::Unsafe`]); `force` performs it anyway and returns a warning, for
//! the operator who knows better (a compromise, a test system).

use serde::Serialize;

use super::keyring::{KeyEntry, KeyState, Keyring};
use super::plan::{self, Step, StepKind};
use super::{KeysError, Refusal, Result};
use crate::jwt::format_utc;

/// What a transition did, and the warning when it was forced past a safety check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transition {
    pub summary: String,
    pub warning: Option<String>,
}

fn check_safe(
    what: String,
    safe_at: i64,
    why: &str,
    now: i64,
    force: bool,
) -> Result<Option<String>> {
    if now >= safe_at {
        return Ok(None);
    }
    let refusal = Refusal {
        what,
        safe_at,
        why: why.to_string(),
    };
    if force {
        Ok(Some(format!("forced: {refusal}")))
    } else {
        Err(KeysError::Unsafe(refusal))
    }
}

fn bad(key: &KeyEntry, why: &str) -> KeysError {
    KeysError::BadTransition {
        kid: key.kid.clone(),
        state: key.state,
        why: why.to_string(),
    }
}

/// Makes the next key `kid` active; the active key, if any, starts retiring.
pub fn promote(ring: &mut Keyring, kid: &str, now: i64, force: bool) -> Result<Transition> {
    let key = ring.key(kid)?;
    if key.state != KeyState::Next {
        return Err(bad(key, "only a next key can be promoted"));
    }
    let has_active = ring.active().is_some();
    let safe_at = plan::promote_safe_at(&ring.policy, key, has_active);
    let warning = check_safe(
        format!("promoting {kid}"),
        safe_at,
        "verifiers may still hold a cached JWKS without it, and would reject its tokens",
        now,
        force,
    )?;
    let mut summary = format!("{kid} is now active");
    for k in ring.keys.iter_mut().filter(|k| k.state == KeyState::Active) {
        k.state = KeyState::Retiring;
        k.deactivated_at = Some(now);
        summary.push_str(&format!("; {} is retiring", k.kid));
    }
    let key = ring.key_mut(kid)?;
    key.state = KeyState::Active;
    key.activated_at = Some(now);
    Ok(Transition { summary, warning })
}

/// Retires `kid`: a retiring key leaves the JWKS (once its tokens have expired); a next key
/// that never signed leaves at once; an active key stops signing (refused without `force`
/// when no other key would sign).
pub fn retire(ring: &mut Keyring, kid: &str, now: i64, force: bool) -> Result<Transition> {
    let policy = ring.policy;
    let key = ring.key_mut(kid)?;
    let (warning, summary) = match key.state {
        KeyState::Retiring => {
            let warning = check_safe(
                format!("removing {kid}"),
                plan::remove_safe_at(&policy, key),
                "tokens it signed may still be valid, and they would fail to verify",
                now,
                force,
            )?;
            key.state = KeyState::Retired;
            key.retired_at = Some(now);
            (warning, format!("{kid} is retired and no longer published"))
        }
        KeyState::Next => {
            key.state = KeyState::Retired;
            key.retired_at = Some(now);
            (None, format!("{kid} never signed; it is retired"))
        }
        KeyState::Active => {
            if !force {
                return Err(bad(
                    key,
                    "retiring it would leave nothing to sign with; promote a next key instead",
                ));
            }
            key.state = KeyState::Retiring;
            key.deactivated_at = Some(now);
            (
                Some("forced: no key signs now".into()),
                format!("{kid} stopped signing and is retiring"),
            )
        }
        KeyState::Retired | KeyState::Revoked => return Err(bad(key, "it is already gone")),
    };
    Ok(Transition { summary, warning })
}

/// Revokes `kid` after a compromise: unpublished at once, whatever its tokens.
pub fn revoke(ring: &mut Keyring, kid: &str, reason: &str, now: i64) -> Result<Transition> {
    if reason.trim().is_empty() {
        return Err(KeysError::InvalidKey(
            "a revocation needs a reason, for the record".into(),
        ));
    }
    let key = ring.key_mut(kid)?;
    if key.state == KeyState::Revoked {
        return Err(bad(key, "it is already revoked"));
    }
    let was_active = key.state == KeyState::Active;
    key.state = KeyState::Revoked;
    key.revoked_at = Some(now);
    key.revoke_reason = Some(reason.trim().to_string());
    if was_active {
        key.deactivated_at = Some(now);
    }
    Ok(Transition {
        summary: format!("{kid} is revoked and unpublished; every token it signed now fails"),
        warning: was_active
            .then(|| "the active key was revoked: no key signs until one is promoted".into()),
    })
}

/// What happened to one plan step during a rotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum StepOutcome {
    Done { summary: String },
    Forced { summary: String, warning: String },
    NotDue { due_at: i64 },
    NotSafe { safe_at: i64, why: String },
}

/// A rotation's report: each step of the plan and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rotation {
    pub steps: Vec<(Step, StepOutcome)>,
}

/// Whether rotating now needs a freshly generated next key, and for which algorithm: the
/// caller generates it (RSA is slow: a CPU task) and passes it to [`rotate`].
pub fn needs_new_key(ring: &Keyring, now: i64, force: bool) -> Option<String> {
    plan::plan(ring, now)
        .steps
        .into_iter()
        .find(|s| s.kind == StepKind::PublishNext && (force || s.is_ready(now)))
        .map(|s| s.alg)
}

/// Performs the steps of the plan that are due and safe now; with `force`, all of them. A
/// `new_key` (see [`needs_new_key`]) is published first. The plan is recomputed after each
/// step, so a rotation can publish, promote and remove in one go when the times allow.
pub fn rotate(
    ring: &mut Keyring,
    now: i64,
    force: bool,
    new_key: Option<KeyEntry>,
) -> Result<Rotation> {
    let mut report = Vec::new();
    let mut new_key = new_key;
    let mut handled: Vec<(StepKind, Option<String>)> = Vec::new();
    loop {
        let plan = plan::plan(ring, now);
        let Some(step) = plan
            .steps
            .into_iter()
            .find(|s| !handled.contains(&(s.kind, s.kid.clone())))
        else {
            break;
        };
        handled.push((step.kind, step.kid.clone()));
        if !force && !step.is_due(now) {
            let due_at = step.due_at;
            report.push((step, StepOutcome::NotDue { due_at }));
            continue;
        }
        let outcome = match (step.kind, &step.kid) {
            (StepKind::PublishNext, _) => match new_key.take() {
                Some(key) => {
                    let summary = format!("{} ({}) is published as the next key", key.kid, key.alg);
                    ring.add(key)?;
                    Ok(StepOutcome::Done { summary })
                }
                None => continue,
            },
            (StepKind::Promote, Some(kid)) => transition(promote(ring, kid, now, force)),
            (StepKind::Remove, Some(kid)) => transition(retire(ring, kid, now, force)),
            _ => continue,
        };
        report.push((step, outcome?));
    }
    Ok(Rotation { steps: report })
}

fn transition(result: Result<Transition>) -> Result<StepOutcome> {
    match result {
        Ok(Transition {
            summary,
            warning: Some(warning),
        }) => Ok(StepOutcome::Forced { summary, warning }),
        Ok(Transition { summary, .. }) => Ok(StepOutcome::Done { summary }),
        Err(KeysError::Unsafe(r)) => Ok(StepOutcome::NotSafe {
            safe_at: r.safe_at,
            why: r.why,
        }),
        Err(e) => Err(e),
    }
}

/// "2025-01-01 00:00:00 UTC (in 2h)": a time for messages.
pub fn when(t: i64, now: i64) -> String {
    let d = t.saturating_sub(now);
    let rel = crate::jwt::humanize_secs(d.unsigned_abs() as i64);
    if d >= 0 {
        format!("{} (in {rel})", format_utc(t))
    } else {
        format!("{} ({rel} ago)", format_utc(t))
    }
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
pub(crate) mod tests;
