//! `apiward jwt …`: decode, verify, lint, sign, forge, probe and crack tokens from scripts.
//! Every command runs the same `crate::jwt` functions as the TUI's JWT tab.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::json;

mod forge;
pub(crate) mod recover;
pub(crate) mod verify;

use super::input::{now, read_value};
use super::lazy::Lazy;
use super::output::{self, bold, dim, paint};
use super::{CliError, CliResult, task};
use crate::findings::{self, Severity};
use crate::jwt::{self, Decoded, LintOptions, TokenKind};
use crate::tasks::TaskKind;

#[derive(Debug, Subcommand)]
pub enum JwtCommand {
    /// Decode a token without verifying it.
    Decode(Lazy<DecodeArgs>),
    /// Lint a token: every weakness, with why it matters and how to fix it.
    Lint(Lazy<LintArgs>),
    /// Verify the signature and the claims with a secret, PEM key, JWK or JWKS.
    Verify(Lazy<verify::VerifyArgs>),
    /// Sign claims into a token with a secret, PEM private key or JWK.
    Sign(Lazy<verify::SignArgs>),
    /// Make attack variants of a token, for authorised testing.
    Forge(Lazy<forge::ForgeArgs>),
    /// Send the token and its forged variants to an endpoint; report which were accepted.
    Probe(Lazy<forge::ProbeArgs>),
    /// Find a weak HMAC secret from the built-in list and a wordlist, on every core.
    Crack(Lazy<CrackArgs>),
    /// Recover the public key from RS256/384/512 or ES256/384/512 tokens (no key published).
    RecoverKey(Lazy<recover::RecoverArgs>),
}

#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The token, `-` for stdin, or `@file`.
    pub token: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// The time to compare claims against, unix seconds (default: now).
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// The token, `-` for stdin, or `@file`.
    pub token: String,
    /// Print JSON: {"findings":[…]}.
    #[arg(long, conflicts_with = "sarif")]
    pub json: bool,
    /// Print SARIF 2.1.0 for code-scanning tools.
    #[arg(long)]
    pub sarif: bool,
    /// Exit 1 when a finding at or above this severity is found.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// The longest acceptable lifetime (exp − iat), e.g. 24h, 15m, 7d.
    #[arg(long, value_name = "DUR", default_value = "24h")]
    pub max_lifetime: String,
    /// The HMAC secret, when known (checks its length).
    #[arg(long, value_name = "S")]
    pub secret: Option<String>,
    /// The time to compare claims against, unix seconds (default: now).
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
}

#[derive(Debug, Args)]
pub struct CrackArgs {
    /// The token, `-` for stdin, or `@file`.
    pub token: String,
    /// A wordlist file, one guess per line, streamed.
    #[arg(long, value_name = "FILE")]
    pub wordlist: Option<PathBuf>,
    /// Threads to use (default: every core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(command: JwtCommand) -> CliResult {
    match command {
        JwtCommand::Decode(Lazy(args)) => decode(args),
        JwtCommand::Lint(Lazy(args)) => lint(args),
        JwtCommand::Verify(Lazy(args)) => verify::verify(args),
        JwtCommand::Sign(Lazy(args)) => verify::sign(args),
        JwtCommand::Forge(Lazy(args)) => forge::forge(args),
        JwtCommand::Probe(Lazy(args)) => forge::probe(args),
        JwtCommand::Crack(Lazy(args)) => crack(args),
        JwtCommand::RecoverKey(Lazy(args)) => recover::recover_key(args),
    }
}

/// Reads and decodes a token argument; an undecodable token is bad input (exit 2).
pub fn read_token(arg: &str) -> Result<Decoded, CliError> {
    let text = read_value(arg, "the token")?;
    Ok(jwt::decode(&text)?)
}

fn decode(args: DecodeArgs) -> CliResult {
    let decoded = read_token(&args.token)?;
    let now = now(args.now);
    let claims = decoded
        .claims()
        .map(|c| jwt::describe_claims(c, now))
        .unwrap_or_default();
    if args.json {
        output::print_json(&json!({
            "kind": decoded.kind,
            "header": decoded.header,
            "payload": decoded.payload,
            "payload_format": decoded.payload_format,
            "signature": decoded.signature_b64,
            "claims": claims,
            "duplicate_keys": decoded.duplicate_keys,
            "noncanonical_segments": decoded.noncanonical_segments,
        }));
        return Ok(ExitCode::SUCCESS);
    }
    let color = output::color();
    let kind = match decoded.kind {
        TokenKind::Jws => "JWS (signed; not verified)",
        TokenKind::Jwe => "JWE (encrypted; only the protected header is readable)",
        TokenKind::Unsecured => "unsecured JWS (alg none: no signature protects it)",
    };
    println!("{} {kind}", paint("kind:", bold(), color));
    println!("{}", paint("header:", bold(), color));
    println!(
        "{}",
        indent(&pretty(&serde_json::Value::Object(decoded.header.clone())))
    );
    if let Some(payload) = &decoded.payload {
        println!("{}", paint("payload:", bold(), color));
        println!("{}", indent(&pretty(payload)));
    }
    if !claims.is_empty() {
        println!("{}", paint("claims:", bold(), color));
        for c in &claims {
            let mut line = format!("  {:<5} {}", c.name, compact(&c.value));
            if let (Some(date), Some(rel)) = (&c.date, &c.relative) {
                line.push_str(&format!("  {date} ({rel})"));
            }
            if !c.meaning.is_empty() {
                line.push_str(&paint(&format!("  · {}", c.meaning), dim(), color));
            }
            println!("{line}");
        }
    }
    if decoded.kind != TokenKind::Jwe {
        println!(
            "{} {}",
            paint("signature:", bold(), color),
            decoded.signature_b64
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn lint(args: LintArgs) -> CliResult {
    let decoded = read_token(&args.token)?;
    let options = LintOptions {
        now: now(args.now),
        max_lifetime: jwt::parse_duration(&args.max_lifetime)?.abs(),
        known_secret: args.secret.map(String::into_bytes),
    };
    let findings = jwt::lint(&decoded, &options);
    if args.sarif {
        output::print_json(&super::sarif::log(&findings, "jwt"));
    } else if args.json {
        output::print_json(&json!({ "findings": findings }));
    } else {
        print!("{}", output::findings_text(&findings, output::color()));
    }
    let failed = args
        .fail_on
        .is_some_and(|floor| findings::worst(&findings).is_some_and(|w| w >= floor));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn crack(args: CrackArgs) -> CliResult {
    let decoded = read_token(&args.token)?;
    let target = jwt::CrackTarget::from_decoded(&decoded)?;
    if let Some(path) = &args.wordlist {
        // A missing wordlist is bad input: say so now, not from inside the task.
        std::fs::metadata(path)
            .map_err(|e| anyhow::anyhow!("cannot read the wordlist {}: {e}", path.display()))?;
    }
    let started = std::time::Instant::now();
    let wordlist = args.wordlist.clone();
    let threads = args.threads;
    let title = format!("crack {}", target.alg());
    let secret = task::run_cpu(TaskKind::Crack, title, move |ctx| {
        let work = || jwt::crack_with_task(ctx, &target, wordlist.as_deref());
        Ok(match threads {
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()?
                .install(work)?,
            None => work()?,
        })
    })?;
    if args.json {
        output::print_json(&json!({
            "found": secret.is_some(),
            "secret": secret.as_ref().map(|s| String::from_utf8_lossy(s).into_owned()),
            "seconds": started.elapsed().as_secs_f64(),
        }));
    } else if let Some(s) = &secret {
        println!("{}", String::from_utf8_lossy(s));
    } else {
        let tried = if args.wordlist.is_some() {
            " or the wordlist"
        } else {
            "; try --wordlist FILE"
        };
        eprintln!("apiward: the secret is not in the built-in list{tried}");
    }
    Ok(if secret.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn compact(value: &serde_json::Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
