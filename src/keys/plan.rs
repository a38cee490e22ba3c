//! The rotation plan: from the policy and each key's times, what should happen next, when it
//! is due, and when it becomes safe.
//!
//! Two clocks matter. Verifiers cache the JWKS for `jwks_cache_ttl`, so a new key must be
//! published that long before it signs, or its tokens fail at verifiers holding the old set.
//! Tokens live up to `max_token_lifetime` (plus the verifiers' `clock_skew`), so a key that
//! stopped signing must stay published until its last token has expired, and a cache TTL more
//! so that no verifier is left holding a set without it. Pure functions of `now`.

use serde::Serialize;

use super::keyring::{KeyEntry, KeyState, Keyring, Policy};

/// What a plan step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// Generate a next key and publish it.
    PublishNext,
    /// Make the next key active; the active key starts retiring.
    Promote,
    /// Take a retiring key out of the JWKS.
    Remove,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::PublishNext => "publish-next",
            StepKind::Promote => "promote",
            StepKind::Remove => "remove",
        }
    }
}

/// One step of the plan, with its times, for a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub kind: StepKind,
    /// The key it acts on (for publish-next: none yet).
    pub kid: Option<String>,
    /// The algorithm of the key it concerns.
    pub alg: String,
    /// When the policy wants it done.
    pub due_at: i64,
    /// The earliest time it cannot break a verifier.
    pub safe_at: i64,
    /// Why `safe_at` is what it is, in one sentence.
    pub why: String,
}

impl Step {
    /// When the step should actually happen: due and safe.
    pub fn at(&self) -> i64 {
        self.due_at.max(self.safe_at)
    }

    pub fn is_due(&self, now: i64) -> bool {
        now >= self.due_at
    }

    pub fn is_safe(&self, now: i64) -> bool {
        now >= self.safe_at
    }

    /// Due and safe: rotation performs it now.
    pub fn is_ready(&self, now: i64) -> bool {
        self.is_due(now) && self.is_safe(now)
    }
}

/// A key whose time has passed: an active key past its rotation period, or a retiring key
/// still published long after its tokens expired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overdue {
    pub kid: String,
    pub state: KeyState,
    pub since: i64,
    pub what: String,
}

/// Everything that should happen, in time order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub now: i64,
    pub policy: Policy,
    pub steps: Vec<Step>,
    pub overdue: Vec<Overdue>,
}

/// The earliest time a next key may be promoted: one cache TTL after it was published, so
/// every verifier has it. With no active key there is nothing to keep working, so at once.
pub fn promote_safe_at(policy: &Policy, key: &KeyEntry, has_active: bool) -> i64 {
    match (has_active, key.published_at) {
        (true, Some(published)) => published.saturating_add(policy.jwks_cache_ttl),
        // HMAC keys are never published: verifiers get the secret out of band.
        _ => key.created_at,
    }
}

/// The earliest time a retiring key may leave the JWKS: after its last token expired (max
/// lifetime plus skew) and a cache TTL more.
pub fn remove_safe_at(policy: &Policy, key: &KeyEntry) -> i64 {
    key.deactivated_at
        .unwrap_or(key.created_at)
        .saturating_add(policy.max_token_lifetime)
        .saturating_add(policy.jwks_cache_ttl)
        .saturating_add(policy.clock_skew)
}

/// When the active key should be replaced.
pub fn rotation_due_at(policy: &Policy, key: &KeyEntry) -> i64 {
    key.activated_at
        .unwrap_or(key.created_at)
        .saturating_add(policy.rotation_period)
}

/// The rotation plan at `now`.
pub fn plan(ring: &Keyring, now: i64) -> Plan {
    let policy = ring.policy;
    let active = ring.active();
    let next = ring.keys.iter().find(|k| k.state == KeyState::Next);
    let mut steps = Vec::new();
    let mut overdue = Vec::new();

    if let Some(a) = active {
        let due = rotation_due_at(&policy, a);
        if now >= due {
            overdue.push(Overdue {
                kid: a.kid.clone(),
                state: a.state,
                since: due,
                what: "the active key is past its rotation period".into(),
            });
        }
    }
    let rotation_due = active.map_or(now, |a| rotation_due_at(&policy, a));
    let alg = active
        .or(next)
        .or_else(|| ring.keys.last())
        .map(|k| k.alg.clone());
    match next {
        None => {
            if let Some(alg) = &alg {
                // Published one cache TTL before the rotation is due, the next key is safe to
                // promote exactly when it is needed.
                steps.push(Step {
                    kind: StepKind::PublishNext,
                    kid: None,
                    alg: alg.clone(),
                    due_at: rotation_due.saturating_sub(policy.jwks_cache_ttl),
                    safe_at: i64::MIN,
                    why: "publishing a key is always safe".into(),
                });
            }
        }
        Some(n) => {
            let safe_at = promote_safe_at(&policy, n, active.is_some());
            steps.push(Step {
                kind: StepKind::Promote,
                kid: Some(n.kid.clone()),
                alg: n.alg.clone(),
                due_at: rotation_due,
                safe_at,
                why: if active.is_some() && n.published_at.is_some() {
                    "verifiers cache the JWKS: the next key must be published one cache TTL \
                     before it signs"
                        .into()
                } else {
                    "no key signs yet, so nothing can break".into()
                },
            });
        }
    }
    for r in ring.keys.iter().filter(|k| k.state == KeyState::Retiring) {
        let safe_at = remove_safe_at(&policy, r);
        // A removal is due as soon as it is safe; long after that it is overdue clutter.
        if now >= safe_at.saturating_add(policy.rotation_period) {
            overdue.push(Overdue {
                kid: r.kid.clone(),
                state: r.state,
                since: safe_at,
                what: "the retiring key is still published long after its tokens expired".into(),
            });
        }
        steps.push(Step {
            kind: StepKind::Remove,
            kid: Some(r.kid.clone()),
            alg: r.alg.clone(),
            due_at: safe_at,
            safe_at,
            why: "its tokens live up to the max token lifetime plus clock skew, and verifiers \
                  cache the JWKS one cache TTL more"
                .into(),
        });
    }
    steps.sort_by_key(Step::at);
    Plan {
        now,
        policy,
        steps,
        overdue,
    }
}

/// One row of a key list: the key, its age and what comes next for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeySummary {
    pub kid: String,
    pub alg: String,
    pub state: KeyState,
    pub created_at: i64,
    pub age_secs: i64,
    pub published: bool,
    /// The next step for this key and when it should happen.
    pub next_action: Option<(StepKind, i64)>,
    pub revoke_reason: Option<String>,
}

/// Every key with its state, age and next action, in keyring order.
pub fn summaries(ring: &Keyring, now: i64) -> Vec<KeySummary> {
    let plan = plan(ring, now);
    ring.keys
        .iter()
        .map(|k| {
            let step = plan
                .steps
                .iter()
                .find(|s| s.kid.as_deref() == Some(&k.kid))
                .map(|s| (s.kind, s.at()));
            // The active key's next action is being rotated out.
            let next_action = step.or_else(|| {
                (k.state == KeyState::Active)
                    .then(|| (StepKind::Promote, rotation_due_at(&ring.policy, k)))
            });
            KeySummary {
                kid: k.kid.clone(),
                alg: k.alg.clone(),
                state: k.state,
                created_at: k.created_at,
                age_secs: now.saturating_sub(k.created_at),
                published: k.state.is_published() && k.public_jwk.is_some(),
                next_action,
                revoke_reason: k.revoke_reason.clone(),
            }
        })
        .collect()
}
