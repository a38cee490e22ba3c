//! The printing side of `apiward keys`: key lists, the plan, JWKS findings and exports.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;

use super::keyring_file;
use crate::cli::output::{self, bold, dim, paint};
use crate::cli::{CliError, CliResult};
use crate::findings::Severity;
use crate::jwt::humanize_secs;
use crate::keys::lifecycle::when;
use crate::keys::{self, KeyState, Keyring, KeysError, Policy};

pub(super) fn policy_line(p: &Policy) -> String {
    format!(
        "policy: rotate every {}, tokens live up to {}, verifiers cache the JWKS {}, clock skew {}",
        humanize_secs(p.rotation_period),
        humanize_secs(p.max_token_lifetime),
        humanize_secs(p.jwks_cache_ttl),
        humanize_secs(p.clock_skew)
    )
}

pub(super) fn action_label(state: KeyState, kind: keys::StepKind) -> &'static str {
    match (state, kind) {
        (KeyState::Active, _) => "rotate",
        (_, kind) => kind.as_str(),
    }
}

pub(super) fn list(ring: &Keyring, now: i64, json: bool) {
    let rows = keys::summaries(ring, now);
    if json {
        return output::print_json(&json!({ "keys": rows }));
    }
    if rows.is_empty() {
        return println!("No keys yet: `apiward keys gen --alg ES256` makes one.");
    }
    let color = output::color();
    println!(
        "{}",
        paint(
            &format!(
                "{:<44} {:<6} {:<9} {:<8} NEXT",
                "KID", "ALG", "STATE", "AGE"
            ),
            bold(),
            color
        )
    );
    for r in rows {
        let next = match (r.next_action, &r.revoke_reason) {
            (Some((kind, at)), _) => format!("{} {}", action_label(r.state, kind), when(at, now)),
            (None, Some(reason)) => format!("revoked: {reason}"),
            (None, None) => "-".into(),
        };
        println!(
            "{:<44} {:<6} {:<9} {:<8} {next}",
            r.kid,
            r.alg,
            r.state.as_str(),
            humanize_secs(r.age_secs)
        );
    }
}

pub(super) fn show_plan(ring: &Keyring, now: i64, json: bool) {
    let plan = keys::plan(ring, now);
    if json {
        return output::print_json(&plan);
    }
    let color = output::color();
    println!("{}", policy_line(&plan.policy));
    for o in &plan.overdue {
        println!(
            "{} {} ({}): {} since {}",
            paint("OVERDUE", output::severity_style(Severity::High), color),
            o.kid,
            o.state,
            o.what,
            when(o.since, now)
        );
    }
    if plan.steps.is_empty() {
        println!("Nothing planned: generate a key with `apiward keys gen`.");
    }
    for s in &plan.steps {
        let kid = s.kid.as_deref().unwrap_or("(new key)");
        let status = if s.is_ready(now) {
            "ready now".to_string()
        } else {
            format!("at {}", when(s.at(), now))
        };
        println!("{:<13} {kid} {}: {status}", s.kind.as_str(), s.alg);
        if !s.is_safe(now) {
            println!(
                "{}",
                paint(
                    &format!(
                        "              safe from {}: {}",
                        when(s.safe_at, now),
                        s.why
                    ),
                    dim(),
                    color
                )
            );
        }
    }
}

pub(super) fn check_jwks(
    source: &str,
    workspace: Option<&Path>,
    now: i64,
    json: bool,
    fail_on: Option<Severity>,
) -> CliResult {
    let text = crate::cli::input::read_jwks(source)?;
    let mut findings = keys::jwks::check(&text, source)?;
    // Compare with the keyring when the workspace has one.
    let has_ring =
        crate::paths::workspace(workspace).is_some_and(|d| keys::keyring_path(&d).exists());
    if has_ring {
        let ring = keyring_file(workspace, false)?.open()?;
        findings.extend(keys::jwks::compare(&text, &ring, now)?);
        crate::findings::sort(&mut findings);
    }
    if json {
        output::print_json(&json!({ "findings": findings }));
    } else {
        print!("{}", output::findings_text(&findings, output::color()));
    }
    let failed =
        fail_on.is_some_and(|level| crate::findings::worst(&findings).is_some_and(|w| w >= level));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub(super) fn export(
    ring: &Keyring,
    kid: &str,
    jwk: bool,
    private: bool,
    out: Option<PathBuf>,
) -> Result<(), CliError> {
    let key = ring.key(kid)?;
    let text = if private {
        eprintln!(
            "apiward: warning: exporting the PRIVATE key of {kid}; anyone with this file can sign as you"
        );
        match (jwk, key.private_pem()) {
            (false, Some(pem)) => pem.to_string(),
            // An HMAC secret has no PEM form, so it is always written as an oct JWK.
            _ => {
                let mut private = key.private()?.private_jwk()?;
                private["kid"] = key.kid.clone().into();
                private["alg"] = key.alg.clone().into();
                private["use"] = "sig".into();
                format!("{}\n", serde_json::to_string_pretty(&private)?)
            }
        }
    } else if jwk {
        let jwk = key.public_jwk.as_ref().ok_or_else(no_public(kid))?;
        format!("{}\n", serde_json::to_string_pretty(jwk)?)
    } else {
        key.private()?.public_pem()?.ok_or_else(no_public(kid))?
    };
    match out {
        Some(path) => {
            let perm = if private {
                crate::fs::Perm::Private
            } else {
                crate::fs::Perm::Keep
            };
            crate::fs::write_atomic(&path, text.as_bytes(), perm)
                .map_err(|e| KeysError::io("write", &path, e))?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}

pub(super) fn no_public(kid: &str) -> impl FnOnce() -> CliError + '_ {
    move || {
        anyhow::anyhow!(
            "key {kid} is an HMAC secret: it has no public half (export it with --private)"
        )
        .into()
    }
}
