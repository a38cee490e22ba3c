//! `apiward apikey …`: issue, list, verify, check, rotate and revoke API keys. The records live
//! in the encrypted keyring (see `crate::keys::apikey`); `check` needs no keyring at all.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::json;

use super::CliResult;
use super::input::{now, read_value};
use super::keys::{keyring_file, with_ring};
use super::output::{self, bold, paint};
use crate::jwt::{format_utc, parse_duration};
use crate::keys::apikey::{self, ApiKeyRecord, IssuedKey};

#[derive(Debug, Args)]
pub struct ApikeyArgs {
    /// The time to act at, unix seconds (default: now).
    #[arg(long, global = true, value_name = "UNIX")]
    pub now: Option<i64>,
    #[command(subcommand)]
    pub command: ApikeyCommand,
}

#[derive(Debug, Subcommand)]
pub enum ApikeyCommand {
    /// Issue a key: shown once, stored as a hash.
    New {
        /// The key prefix, 2-16 letters and digits, so secret scanners can find leaks.
        #[arg(long, value_name = "P")]
        prefix: String,
        /// A scope the key grants (repeatable).
        #[arg(long = "scope", value_name = "S")]
        scopes: Vec<String>,
        /// Expire after this long (e.g. 30d); default: never.
        #[arg(long, value_name = "DUR")]
        expires: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the keys (never the keys themselves: id, last 4 characters, scopes, times).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Verify a key against the keyring: exit 0 valid, 1 invalid. `-` reads stdin.
    Verify { key: String },
    /// Check a key's format and checksum offline: exit 0 well-formed, 1 not.
    Check { key: String },
    /// Issue a replacement; the old key stays valid for the overlap.
    Rotate {
        id: String,
        /// How long the old key keeps working (e.g. 7d).
        #[arg(long, value_name = "DUR")]
        overlap: String,
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key at once.
    Revoke {
        id: String,
        /// Why, kept with the key's record.
        #[arg(long)]
        reason: Option<String>,
    },
}

pub fn run(args: ApikeyArgs, workspace: Option<&Path>) -> CliResult {
    let now = now(args.now);
    match args.command {
        ApikeyCommand::Check { key } => {
            let key = read_value(&key, "the API key")?;
            return Ok(match apikey::check(&key) {
                Ok(prefix) => {
                    println!("well-formed: prefix {prefix}, checksum ok");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    println!("invalid: {e}");
                    ExitCode::from(1)
                }
            });
        }
        ApikeyCommand::Verify { key } => {
            let key = read_value(&key, "the API key")?;
            let ring = keyring_file(workspace, false)?.open()?;
            return Ok(match apikey::verify(&ring, &key, now) {
                Ok(r) => {
                    println!("valid: key {} (scopes: {})", r.id, scopes(r));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    println!("invalid: {e}");
                    ExitCode::from(1)
                }
            });
        }
        ApikeyCommand::List { json } => {
            let ring = keyring_file(workspace, false)?.open()?;
            list(&ring.api_keys, now, json);
        }
        ApikeyCommand::New {
            prefix,
            scopes,
            expires,
            json,
        } => {
            let expires_at = expires
                .map(|d| parse_duration(&d).map(|d| now + d.abs()))
                .transpose()?;
            apikey::check_prefix(&prefix)?;
            let issued = with_ring(workspace, |ring| {
                Ok(apikey::issue(ring, &prefix, &scopes, expires_at, now)?)
            })?;
            show_issued(&issued, json);
        }
        ApikeyCommand::Rotate { id, overlap, json } => {
            let overlap = parse_duration(&overlap)?.abs();
            let issued = with_ring(workspace, |ring| {
                Ok(apikey::rotate(ring, &id, overlap, now)?)
            })?;
            eprintln!("key {id} stays valid until {}", format_utc(now + overlap));
            show_issued(&issued, json);
        }
        ApikeyCommand::Revoke { id, reason } => {
            let reason = reason.as_deref();
            with_ring(workspace, |ring| {
                Ok(apikey::revoke(ring, &id, reason, now)?)
            })?;
            println!("key {id} is revoked");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn scopes(r: &ApiKeyRecord) -> String {
    if r.scopes.is_empty() {
        "none".into()
    } else {
        r.scopes.join(", ")
    }
}

/// The key goes to stdout alone (easy to capture); the reminder to stderr.
fn show_issued(issued: &IssuedKey, json: bool) {
    if json {
        output::print_json(&json!({ "key": issued.key, "record": issued.record }));
    } else {
        println!("{}", issued.key);
    }
    eprintln!(
        "apiward: key {} issued; store it now, it is not shown again",
        issued.record.id
    );
}

fn list(records: &[ApiKeyRecord], now: i64, json: bool) {
    if json {
        let rows: Vec<_> = records
            .iter()
            .map(|r| json!({ "status": r.status(now), "record": r }))
            .collect();
        return output::print_json(&json!({ "api_keys": rows }));
    }
    if records.is_empty() {
        return println!("No API keys yet: `apiward apikey new --prefix acme` issues one.");
    }
    let header = format!(
        "{:<9} {:<16} {:<8} {:<23} {:<23} SCOPES",
        "ID", "KEY", "STATUS", "CREATED", "EXPIRES"
    );
    println!("{}", paint(&header, bold(), output::color()));
    for r in records {
        println!(
            "{:<9} {:<16} {:<8} {:<23} {:<23} {}",
            r.id,
            format!("{}_…{}", r.prefix, r.last4),
            r.status(now),
            format_utc(r.created_at),
            r.expires_at.map_or("never".into(), format_utc),
            scopes(r)
        );
    }
}
