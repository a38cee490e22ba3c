//! `apiward jwt recover-key`: the public key behind RS256/384/512 or ES256/384/512 tokens, for
//! algorithm confusion where the server publishes no key. Runs as a task (progress, cancel).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde_json::json;

use super::read_token;
use crate::cli::output::{self, bold, paint};
use crate::cli::{CliError, CliResult, task};
use crate::jwt::recover::{self, Candidate, RecoverError};
use crate::tasks::TaskKind;

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// Tokens signed by one key: two or more for RS256/384/512, one or more for ES256/384/512.
    /// Each is the token, `-` for stdin, or `@file`.
    #[arg(required = true, value_name = "TOKEN")]
    pub tokens: Vec<String>,
    /// Print JSON: {"candidates":[{e, bits, thumbprint, spki_pem, pkcs1_pem, verifies}]}.
    #[arg(long)]
    pub json: bool,
    /// Write each candidate to this folder as THUMBPRINT.spki.pem, THUMBPRINT.pkcs1.pem (RSA)
    /// and THUMBPRINT.jwk.json, mode 0644: they are public keys.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn recover_key(args: RecoverArgs) -> CliResult {
    let tokens = args
        .tokens
        .iter()
        .map(|t| read_token(t))
        .collect::<Result<Vec<_>, _>>()?;
    let count = tokens.len();
    let candidates = run(tokens)?;
    if let Some(dir) = &args.out {
        write_out(dir, &candidates)?;
    }
    let verified = candidates.iter().any(|c| c.verifies);
    if args.json {
        output::print_json(&json!({ "candidates": candidates }));
    } else {
        print_text(&candidates, count);
    }
    Ok(if verified {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Recovery as a task with a progress bar: tokens sharing no key are exit 1, unusable input 2.
fn run(tokens: Vec<crate::jwt::Decoded>) -> Result<Vec<Candidate>, CliError> {
    let alg = tokens[0].alg.clone().unwrap_or_default();
    let found = task::run_cpu(TaskKind::Other, format!("recover {alg} key"), move |ctx| {
        // The outcome travels as a value: the task runner would make every error exit 2.
        Ok(recover::recover(&tokens, ctx))
    })?;
    match found {
        Ok(c) => Ok(c),
        Err(err) => Err(err.into()),
    }
}

/// The recovered keys that verify every token, for `jwt probe --recover-from`; none is exit 1.
pub fn recover_verified(tokens: Vec<crate::jwt::Decoded>) -> Result<Vec<Candidate>, CliError> {
    let keys: Vec<Candidate> = run(tokens)?.into_iter().filter(|c| c.verifies).collect();
    if keys.is_empty() {
        return Err(RecoverError::NoneVerifies.into());
    }
    for k in &keys {
        eprintln!(
            "apiward: recovered {} key {} ({} bits)",
            if k.e.is_some() { "RSA" } else { "EC" },
            k.thumbprint,
            k.bits
        );
    }
    Ok(keys)
}

fn print_text(candidates: &[Candidate], tokens: usize) {
    let color = output::color();
    if tokens == 1 && candidates.len() > 1 {
        eprintln!(
            "apiward: one ECDSA signature fits {} keys; a second token from the same key leaves one",
            candidates.len()
        );
    }
    for (i, c) in candidates.iter().enumerate() {
        println!(
            "{} {}, {}",
            paint(&format!("candidate {}:", i + 1), bold(), color),
            c.describe(),
            c.verdict(tokens)
        );
        println!("thumbprint: {}", c.thumbprint);
        print!("{}", c.spki_pem);
        if let Some(pkcs1) = &c.pkcs1_pem {
            print!("{pkcs1}");
        }
        println!();
    }
}

/// Writes every candidate's encodings into `dir`, 0644 whatever the umask: public keys.
fn write_out(dir: &Path, candidates: &[Candidate]) -> Result<(), CliError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    for c in candidates {
        let jwk = serde_json::to_string_pretty(&c.jwk).unwrap_or_default() + "\n";
        let mut files = vec![
            ("spki.pem", c.spki_pem.as_str()),
            ("jwk.json", jwk.as_str()),
        ];
        if let Some(pkcs1) = &c.pkcs1_pem {
            files.push(("pkcs1.pem", pkcs1));
        }
        for (suffix, text) in files {
            let path = dir.join(format!("{}.{suffix}", c.thumbprint));
            write_public(&path, text.as_bytes())
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        }
    }
    eprintln!(
        "apiward: wrote {} key file(s) to {}",
        candidates.len(),
        dir.display()
    );
    Ok(())
}

fn write_public(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::fs::write_atomic(path, bytes, crate::fs::Perm::Keep)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))?;
    }
    Ok(())
}
