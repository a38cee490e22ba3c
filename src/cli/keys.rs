//! `apiward keys …`: the encrypted keyring of signing keys from scripts: generate, list, plan,
//! rotate, publish and check the JWKS, import and export. Every command runs the same
//! `crate::keys` functions as the TUI's Keys tab.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

mod show;

use super::input::{now, read_value};
use super::{CliError, CliResult, output, task};
use crate::findings::Severity;
use crate::jwt::parse_duration;
use crate::keys::lifecycle::{self, Transition};
use crate::keys::{self, KeyEntry, KeyState, Keyring, KeyringFile, KeysError, Policy, StepReport};
use crate::tasks::TaskKind;
use show::{check_jwks, export, list, policy_line, show_plan};

#[derive(Debug, Args)]
pub struct KeysArgs {
    /// The time to act at, unix seconds (default: now).
    #[arg(long, global = true, value_name = "UNIX")]
    pub now: Option<i64>,
    #[command(subcommand)]
    pub command: KeysCommand,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create the encrypted keyring and its rotation policy.
    Init(InitArgs),
    /// Generate a signing key; it is published as the next key.
    Gen {
        /// HS256/384/512, RS256/384/512, PS256/384/512, ES256, ES384, ES512 or EdDSA.
        #[arg(long, value_name = "ALG")]
        alg: String,
        /// The kid (default: the RFC 7638 thumbprint; random for HMAC keys).
        #[arg(long, value_name = "K", allow_hyphen_values = true)]
        kid: Option<String>,
        /// RSA key size: 2048, 3072 or 4096.
        #[arg(long, value_name = "N", default_value_t = keys::DEFAULT_RSA_BITS)]
        bits: usize,
    },
    /// List the keys with their state, age and next step.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show the rotation plan: what is due, when it is safe, what is overdue.
    Plan {
        #[arg(long)]
        json: bool,
    },
    /// Perform the rotation steps that are due and safe now.
    Rotate {
        /// Perform every step now, even when not due or not safe.
        #[arg(long)]
        force: bool,
    },
    /// Make a next key active (the active key starts retiring).
    Promote {
        /// The key's kid. Thumbprints may start with '-', so that is allowed here.
        #[arg(allow_hyphen_values = true)]
        kid: String,
        /// Promote even before verifiers' caches have the key.
        #[arg(long)]
        force: bool,
    },
    /// Retire a key: unpublish a retiring key, or stop an active one signing.
    Retire {
        /// The key's kid. Thumbprints may start with '-', so that is allowed here.
        #[arg(allow_hyphen_values = true)]
        kid: String,
        /// Retire even while its tokens may still be valid.
        #[arg(long)]
        force: bool,
    },
    /// Revoke a compromised key: unpublished at once.
    Revoke {
        /// The key's kid. Thumbprints may start with '-', so that is allowed here.
        #[arg(allow_hyphen_values = true)]
        kid: String,
        /// Why, for the record.
        #[arg(long, value_name = "R")]
        reason: String,
    },
    /// Print the public JWKS, or check a published one.
    Jwks {
        /// A published JWKS (file or http(s) URL) to check, and compare with the keyring.
        #[arg(long, value_name = "FILE_OR_URL")]
        check: Option<String>,
        /// Print JSON findings (with --check).
        #[arg(long, requires = "check")]
        json: bool,
        /// Exit 1 when a finding at or above this severity is found (with --check).
        #[arg(long, value_name = "SEVERITY", requires = "check")]
        fail_on: Option<Severity>,
    },
    /// Print the RFC 7638 thumbprint of a JWK (file, or `-` for stdin).
    Thumbprint {
        #[arg(value_name = "JWK_FILE_OR_-")]
        jwk: String,
    },
    /// Export a key: public PEM (default) or JWK; the private key only with --private.
    Export {
        /// The key's kid. Thumbprints may start with '-', so that is allowed here.
        #[arg(allow_hyphen_values = true)]
        kid: String,
        /// Export a JWK instead of PEM (with --private, the private JWK).
        #[arg(long)]
        jwk: bool,
        /// Export the private key (mode 0600; needs --out).
        #[arg(long, requires = "out")]
        private: bool,
        /// Write to this file instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Import a private key (PEM or JWK) as a next key.
    Import {
        file: PathBuf,
        /// Its algorithm (default: the JWK's alg, else the usual one for the key type).
        #[arg(long, value_name = "ALG")]
        alg: Option<String>,
        /// Its kid (default: the JWK's kid, else the thumbprint).
        #[arg(long, value_name = "K", allow_hyphen_values = true)]
        kid: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// How long a key signs before it is rotated.
    #[arg(long, value_name = "DUR", default_value = "90d")]
    pub rotation_period: String,
    /// The longest lifetime of the tokens the keys sign.
    #[arg(long, value_name = "DUR", default_value = "1h")]
    pub max_token_lifetime: String,
    /// How long verifiers cache the JWKS.
    #[arg(long, value_name = "DUR", default_value = "1h")]
    pub jwks_cache_ttl: String,
    /// The clock skew verifiers allow.
    #[arg(long, value_name = "DUR", default_value = "60s")]
    pub clock_skew: String,
}

/// The passphrase: `APIWARD_PASSPHRASE` for scripts, else a masked prompt on a terminal.
fn passphrase(confirm: bool) -> Result<String, CliError> {
    if let Ok(p) = std::env::var("APIWARD_PASSPHRASE") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(anyhow::anyhow!(
            "the keyring needs a passphrase: set APIWARD_PASSPHRASE, or run in a terminal"
        )
        .into());
    }
    let first = rpassword::prompt_password("Keyring passphrase: ")?;
    if confirm && rpassword::prompt_password("Repeat the passphrase: ")? != first {
        return Err(anyhow::anyhow!("the two passphrases differ").into());
    }
    Ok(first)
}

/// The workspace's keyring file, with its passphrase. A missing keyring is reported before
/// anyone is asked for a passphrase.
pub(crate) fn keyring_file(
    workspace: Option<&Path>,
    create: bool,
) -> Result<KeyringFile, CliError> {
    let dir = crate::paths::workspace(workspace)
        .ok_or_else(|| anyhow::anyhow!("no workspace folder: pass --workspace DIR"))?;
    let path = keys::keyring_path(&dir);
    if create && path.exists() {
        return Err(KeysError::Exists(path).into());
    }
    if !create && !path.exists() {
        return Err(KeysError::NoKeyring(path).into());
    }
    Ok(KeyringFile::new(path, &passphrase(create)?)?)
}

/// Opens the keyring, lets `f` change it, and saves it when `f` succeeds, holding the file's
/// lock throughout so a concurrent apiward waits its turn instead of losing this change.
pub(crate) fn with_ring<T>(
    workspace: Option<&Path>,
    f: impl FnOnce(&mut Keyring) -> Result<T, CliError>,
) -> Result<T, CliError> {
    keyring_file(workspace, false)?.update(f)
}

/// A promotion or retirement refused; where `--force` would do it anyway, it says so.
fn refused(err: KeysError) -> CliError {
    // Retiring the active key: the one refusal of a state that --force overrides (an unsafe
    // step gets its hint in `cli::error`).
    let forceable = matches!(
        &err,
        KeysError::BadTransition {
            state: KeyState::Active,
            ..
        }
    );
    let err = CliError::from(err);
    if forceable {
        err.hint(", or use --force")
    } else {
        err
    }
}

fn report(t: Transition) -> Result<(), CliError> {
    if let Some(w) = &t.warning {
        eprintln!("apiward: warning: {w}");
    }
    println!("{}", t.summary);
    Ok(())
}

fn dur(text: &str) -> Result<i64, CliError> {
    Ok(parse_duration(text)?.abs())
}

pub fn run(args: KeysArgs, workspace: Option<&Path>) -> CliResult {
    let now = now(args.now);
    match args.command {
        KeysCommand::Init(a) => {
            let policy = Policy {
                rotation_period: dur(&a.rotation_period)?,
                max_token_lifetime: dur(&a.max_token_lifetime)?,
                jwks_cache_ttl: dur(&a.jwks_cache_ttl)?,
                clock_skew: dur(&a.clock_skew)?,
            };
            let file = keyring_file(workspace, true)?;
            file.create(&Keyring::new(policy))?;
            println!("created {}", file.path.display());
            println!("{}", policy_line(&policy));
        }
        KeysCommand::Gen { alg, kid, bits } => {
            let alg = keys::material::check_alg(&alg)?.to_string();
            let file = keyring_file(workspace, false)?;
            // Generated before the lock is taken: an RSA key can take a while.
            let key = generate(&alg, bits, kid, now)?;
            let (kid, alg) = (key.kid.clone(), key.alg.clone());
            let had_active = file.update(|ring| {
                let had_active = ring.active().is_some();
                ring.add(key).map(|_| had_active)
            })?;
            println!("{kid} ({alg}) generated and published as the next key");
            if !had_active {
                println!("no key is active yet: `apiward keys promote {kid}` makes it sign");
            }
        }
        KeysCommand::List { json } => list(&keyring_file(workspace, false)?.open()?, now, json),
        KeysCommand::Plan { json } => {
            show_plan(&keyring_file(workspace, false)?.open()?, now, json)
        }
        KeysCommand::Rotate { force } => with_ring(workspace, |ring| rotate(ring, now, force))?,
        KeysCommand::Promote { kid, force } => with_ring(workspace, |ring| {
            report(keys::promote(ring, &kid, now, force).map_err(refused)?)
        })?,
        KeysCommand::Retire { kid, force } => with_ring(workspace, |ring| {
            report(keys::retire(ring, &kid, now, force).map_err(refused)?)
        })?,
        KeysCommand::Revoke { kid, reason } => with_ring(workspace, |ring| {
            report(keys::revoke(ring, &kid, &reason, now)?)
        })?,
        KeysCommand::Jwks { check: None, .. } => {
            let ring = keyring_file(workspace, false)?.open()?;
            output::print_json(&keys::jwks::public_jwks(&ring));
        }
        KeysCommand::Jwks {
            check: Some(source),
            json,
            fail_on,
        } => return check_jwks(&source, workspace, now, json, fail_on),
        KeysCommand::Thumbprint { jwk } => {
            let arg = if jwk == "-" { jwk } else { format!("@{jwk}") };
            let jwk: serde_json::Value = serde_json::from_str(&read_value(&arg, "the JWK")?)
                .map_err(|e| anyhow::anyhow!("the JWK is not valid JSON: {e}"))?;
            println!("{}", keys::thumbprint(&jwk)?);
        }
        KeysCommand::Export {
            kid,
            jwk,
            private,
            out,
        } => export(
            &keyring_file(workspace, false)?.open()?,
            &kid,
            jwk,
            private,
            out,
        )?,
        KeysCommand::Import { file, alg, kid } => {
            let text =
                String::from_utf8_lossy(&super::input::read_file(&file, "the key")?).into_owned();
            let key = KeyEntry::import(&text, alg.as_deref(), kid, now)?;
            let line = format!("{} ({}) imported as a next key", key.kid, key.alg);
            with_ring(workspace, |ring| Ok(ring.add(key)?))?;
            println!("{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Generates a key as a CPU task, so RSA shows a spinner on a terminal.
fn generate(alg: &str, bits: usize, kid: Option<String>, now: i64) -> Result<KeyEntry, CliError> {
    let (alg, title) = (alg.to_string(), format!("generating a {alg} key"));
    task::run_cpu(TaskKind::KeyGen, title, move |_| {
        Ok(KeyEntry::generate(&alg, bits, kid, now)?)
    })
}

fn rotate(ring: &mut Keyring, now: i64, force: bool) -> Result<(), CliError> {
    let new_key = match lifecycle::needs_new_key(ring, now, force) {
        Some(alg) => Some(generate(&alg, keys::next_rsa_bits(ring), None, now)?),
        None => None,
    };
    let steps = keys::rotation_report::report(&keys::rotate(ring, now, force, new_key)?, now);
    for step in &steps {
        match step {
            StepReport::Done { summary, warning } => {
                if let Some(w) = warning {
                    eprintln!("apiward: warning: {w}");
                }
                println!("done: {summary}");
            }
            StepReport::Waiting(line) | StepReport::NotSafe(line) => println!("waiting: {line}"),
        }
    }
    if steps.is_empty() {
        println!("nothing to rotate: generate a key with `apiward keys gen`");
    }
    Ok(())
}

/// For `jwt sign --keyring`: the kid, alg and signing key of the active key, or of `kid`.
pub(crate) fn signer(
    workspace: Option<&Path>,
    kid: Option<&str>,
) -> Result<(String, String, crate::jwt::SigningKey), CliError> {
    let ring = keyring_file(workspace, false)?.open()?;
    let key = ring.signer(kid)?;
    Ok((key.kid.clone(), key.alg.clone(), key.signing_key()))
}
