//! `apiward jwt forge` and `apiward jwt probe`: attack variants, and which ones an endpoint
//! accepts. For authorised testing only.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use serde_json::json;

use super::read_token;
use crate::cli::input::{now, parse_header, read_file};
use crate::cli::output::{self, bold, paint};
use crate::cli::{CliError, CliResult, task};
use crate::jwt::probe::{Inconclusive, Placement, ProbeTarget, ProbeVariant, Verdict};
use crate::jwt::{self, ForgeOptions};
use crate::tasks::{Progress, TaskKind};

#[derive(Debug, Args)]
pub struct ForgeArgs {
    /// The token, `-` for stdin, or `@file`.
    pub token: String,
    /// The attack to make, or `all` for every variant the options allow.
    #[arg(long, value_name = "NAME", default_value = "all")]
    pub attack: String,
    #[command(flatten)]
    pub forge: ForgeFlags,
    /// Print JSON: [{attack, token, explanation}].
    #[arg(long)]
    pub json: bool,
}

/// What the forge may use, shared by `forge` and `probe`.
#[derive(Debug, Args)]
pub struct ForgeFlags {
    /// The server's public key PEM, for RS/HS key confusion.
    #[arg(long, value_name = "PUB.pem")]
    pub key: Option<PathBuf>,
    /// A known or cracked HMAC secret, to re-sign edited claims.
    #[arg(long, value_name = "S")]
    pub secret: Option<String>,
    /// A URL you control, for the jku variant (host the printed JWKS there).
    #[arg(long, value_name = "URL")]
    pub jku: Option<String>,
    /// Change a claim in every variant: role=admin, exp=+1h (repeatable).
    #[arg(long = "set", value_name = "K=V")]
    pub set: Vec<String>,
    /// The time relative durations count from, unix seconds (default: now).
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
}

impl ForgeFlags {
    fn options(&self) -> Result<ForgeOptions, CliError> {
        let public_key_pem = match &self.key {
            Some(path) => {
                Some(String::from_utf8_lossy(&read_file(path, "the public key")?).into_owned())
            }
            None => None,
        };
        let set = self
            .set
            .iter()
            .map(|e| jwt::sign::parse_edit(e))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ForgeOptions {
            public_key_pem,
            secret: self.secret.clone().map(String::into_bytes),
            jku_url: self.jku.clone(),
            set,
            now: now(self.now),
        })
    }
}

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// The endpoint to probe. Only probe what you are authorised to test.
    #[arg(long, value_name = "URL")]
    pub url: String,
    /// A token the endpoint accepts: `-` for stdin, or `@file`.
    #[arg(long, value_name = "TOKEN")]
    pub token: String,
    /// The HTTP method.
    #[arg(
        short = 'X',
        long = "method",
        value_name = "METHOD",
        default_value = "GET"
    )]
    pub method: String,
    /// An extra header, 'Name: value' (repeatable).
    #[arg(short = 'H', long = "header", value_name = "K: V")]
    pub headers: Vec<String>,
    /// Where the token goes: bearer, header:NAME, cookie:NAME or query:NAME.
    #[arg(long, value_name = "WHERE", default_value = "bearer")]
    pub placement: String,
    /// Seconds to wait for each answer.
    #[arg(long, value_name = "S", default_value_t = 10.0)]
    pub timeout: f64,
    /// Skip certificate verification.
    #[arg(short = 'k', long)]
    pub insecure: bool,
    /// Trust this CA file (PEM) as well.
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,
    #[command(flatten)]
    pub forge: ForgeFlags,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn forge(args: ForgeArgs) -> CliResult {
    let decoded = read_token(&args.token)?;
    let options = args.forge.options()?;
    let variants = if args.attack == "all" {
        jwt::forge(&decoded, &options)?
    } else {
        if !jwt::forge::ATTACKS.contains(&args.attack.as_str()) {
            return Err(anyhow::anyhow!(
                "unknown attack '{}': use all or one of {}",
                args.attack,
                jwt::forge::ATTACKS.join(", ")
            )
            .into());
        }
        vec![jwt::forge_one(&args.attack, &decoded, &options)?]
    };
    if args.json {
        output::print_json(&variants);
        return Ok(ExitCode::SUCCESS);
    }
    let color = output::color();
    for v in &variants {
        println!("{}  {}", paint(v.attack, bold(), color), v.explanation);
        println!("{}", v.token);
        if let Some(extra) = &v.extra {
            println!("host this at the jku URL:\n{extra}");
        }
        println!();
    }
    Ok(ExitCode::SUCCESS)
}

pub fn probe(args: ProbeArgs) -> CliResult {
    let decoded = read_token(&args.token)?;
    let options = args.forge.options()?;
    let variants: Vec<ProbeVariant> = jwt::forge(&decoded, &options)?
        .into_iter()
        .map(|v| ProbeVariant {
            attack: v.attack.to_string(),
            explanation: v.explanation,
            token: v.token,
        })
        .collect();
    let headers = args
        .headers
        .iter()
        .map(|h| parse_header(h))
        .collect::<Result<Vec<_>, _>>()?;
    let url = reqwest::Url::parse(&args.url)
        .map_err(|e| anyhow::anyhow!("'{}' is not a URL: {e}", args.url))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(anyhow::anyhow!("'{}' is not an http or https URL", args.url).into());
    }
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        return Err(anyhow::anyhow!("--timeout must be a positive number of seconds").into());
    }
    let target = ProbeTarget {
        url: args.url.clone(),
        method: args.method.to_ascii_uppercase(),
        headers,
        placement: Placement::parse(&args.placement).map_err(anyhow::Error::msg)?,
        timeout: Duration::from_secs_f64(args.timeout),
    };
    let client = crate::http::build_client(&crate::http::ClientOptions {
        timeout: target.timeout,
        insecure: args.insecure,
        ca_pem: args
            .ca
            .as_ref()
            .map(|p| read_file(p, "the CA"))
            .transpose()?,
        follow_redirects: None,
    })?;
    let original = decoded.raw.clone();
    let total = variants.len() as u64 + 2;
    let report = task::run_async(
        TaskKind::Probe,
        format!("probe {}", args.url),
        move |ctx| async move {
            let report = jwt::probe::probe(&client, &target, &original, &variants, |sent| {
                ctx.progress(Progress::Count {
                    done: sent as u64,
                    total: Some(total),
                })
            })
            .await;
            Ok(report)
        },
    )?;
    let report = report.complete(&options, &decoded, now(args.forge.now));
    let verdict = report.verdict();
    let why = verdict.inconclusive();
    if args.json {
        output::print_json(&json!({
            "url": report.url,
            "verdict": verdict.name(),
            "inconclusive": why.map(Inconclusive::id),
            "reason": why.map(Inconclusive::reason),
            "protected": report.protected,
            "original": report.original,
            "no_token": report.no_token,
            "variants": report.variants,
            "accepted": report.accepted().map(|v| v.attack.clone()).collect::<Vec<_>>(),
            "skipped": report.skipped.iter().map(|s| json!({
                "attack": s.attack,
                "needs": s.needs,
                "option": option_for(s.attack),
            })).collect::<Vec<_>>(),
        }));
    } else if why != Some(Inconclusive::Unreachable) {
        print_report(&report, verdict);
    }
    // Nothing answered at all: a network failure, exit 1 with the error, as `send` does.
    if why == Some(Inconclusive::Unreachable) {
        let error = report.original.error.as_deref().unwrap_or("no answer");
        return Err(CliError::failed(anyhow::anyhow!(
            "{} did not answer: {error}",
            args.url
        )));
    }
    // Accepted is a failed check; inconclusive must not pass as "nothing accepted".
    Ok(match verdict {
        Verdict::Rejected => ExitCode::SUCCESS,
        Verdict::Accepted | Verdict::Inconclusive(_) => ExitCode::from(1),
    })
}

/// The flag that would let a skipped variant be sent.
fn option_for(attack: &str) -> &'static str {
    match attack {
        "key-confusion" => "--key PUB.pem",
        "jku" => "--jku URL",
        _ => "--secret S",
    }
}

fn print_report(report: &jwt::probe::ProbeReport, verdict: Verdict) {
    let color = output::color();
    println!("{} {}", paint("probe:", bold(), color), report.url);
    println!("  original token  {}", report.original.summary());
    println!("  no token        {}", report.no_token.summary());
    println!();
    for v in &report.variants {
        let verdict = if v.accepted {
            paint(
                "ACCEPTED",
                output::severity_style(crate::findings::Severity::Critical),
                color,
            )
        } else {
            "rejected".to_string()
        };
        println!("  {:<25} {:<9} {}", v.attack, verdict, v.answer.summary());
    }
    for s in &report.skipped {
        println!(
            "  {:<25} {:<9} needs {} ({})",
            s.attack,
            "not sent",
            s.needs,
            option_for(s.attack)
        );
    }
    let accepted: Vec<&str> = report.accepted().map(|v| v.attack.as_str()).collect();
    println!();
    match verdict {
        Verdict::Rejected if report.skipped.is_empty() => {
            println!("No forged variant was accepted.")
        }
        Verdict::Rejected => println!(
            "None of the {} variants sent was accepted; {} were not sent (above).",
            report.variants.len(),
            report.skipped.len()
        ),
        Verdict::Accepted => println!(
            "{} forged variant(s) accepted: {}. The endpoint does not verify tokens properly.",
            accepted.len(),
            accepted.join(", ")
        ),
        Verdict::Inconclusive(why) => println!("Inconclusive: {}.", why.reason()),
    }
}
