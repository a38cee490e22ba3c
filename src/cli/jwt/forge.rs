//! `apiward jwt forge` and `apiward jwt probe`: attack variants, and which ones an endpoint
//! accepts. For authorised testing only.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde_json::json;

use super::read_token;
use crate::cli::input::{now, parse_header, read_file};
use crate::cli::output::{self, bold, paint};
use crate::cli::{CliError, CliResult, task};
use crate::jwt::probe::{Inconclusive, Placement, ProbeTarget, Verdict};
use crate::jwt::probe_run::{ProbeError, ProbeSetup};
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
    /// A URL you control, for the jku variants (host the JWKS there; see --jwks-out). A probe
    /// of a target on this machine hosts the JWKS itself when this is not given.
    #[arg(long, value_name = "URL")]
    pub jku: Option<String>,
    /// Write the JWKS matching the jku variants to this file, for you to serve at --jku.
    #[arg(long, value_name = "FILE")]
    pub jwks_out: Option<PathBuf>,
    /// An open redirect on the trusted jku host, e.g. 'https://trusted/redirect?url=': the
    /// jku URL is appended, percent-encoded, for the jku-redirect variant.
    #[arg(long, value_name = "URL-PREFIX")]
    pub jku_redirect: Option<String>,
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
            jku_redirect: self.jku_redirect.clone(),
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
    /// A second token signed by the same key: recover the public key from the two (as
    /// `jwt recover-key` does), then try it as the HMAC secret of HS256/384/512 in every
    /// encoding (SPKI and PKCS#1 PEM with and without the final newline, JWK).
    #[arg(long, value_name = "TOKEN2")]
    pub recover_from: Option<String>,
    /// Print JSON: the verdict, every variant with its verdict, the findings.
    #[arg(long, conflicts_with = "sarif")]
    pub json: bool,
    /// Print SARIF 2.1.0: a result for every class, failed, passed or not judged.
    #[arg(long)]
    pub sarif: bool,
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
    let jwks = variants.iter().find_map(|v| v.extra.as_deref());
    if let (Some(path), Some(jwks)) = (&args.forge.jwks_out, jwks) {
        crate::fs::write_atomic(path, jwks.as_bytes(), crate::fs::Perm::Keep).map_err(|e| {
            anyhow::anyhow!("the JWKS could not be written to {}: {e}", path.display())
        })?;
        eprintln!(
            "apiward: wrote the JWKS to {}; serve it at the jku URL",
            path.display()
        );
    }
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
    let now = now(args.forge.now);
    let mut setup = ProbeSetup {
        target: ProbeTarget {
            url: args.url.clone(),
            method: args.method.to_ascii_uppercase(),
            headers: args
                .headers
                .iter()
                .map(|h| parse_header(h))
                .collect::<Result<Vec<_>, _>>()?,
            placement: Placement::parse(&args.placement).map_err(anyhow::Error::msg)?,
            timeout: jwt::probe_run::timeout(args.timeout)?,
        },
        original: decoded,
        options,
        jwks_out: args.forge.jwks_out.clone(),
        insecure: args.insecure,
        ca_pem: args
            .ca
            .as_ref()
            .map(|p| read_file(p, "the CA"))
            .transpose()?,
        now,
        recovered: Vec::new(),
    };
    // Bad input is said before the progress bar starts, and exits 2.
    setup.check().map_err(anyhow::Error::from)?;
    if let Some(second) = &args.recover_from {
        let tokens = vec![setup.original.clone(), read_token(second)?];
        setup.recovered = super::recover::recover_verified(tokens)?;
    }
    let report = task::run_async(
        TaskKind::Probe,
        format!("probe {}", args.url),
        move |ctx| async move {
            let report = jwt::probe_run::run(setup, |done, total| {
                ctx.progress(Progress::Count {
                    done: done as u64,
                    total: Some(total as u64),
                })
            })
            .await?;
            Ok(report)
        },
    )?;
    let verdict = report.verdict();
    let why = verdict.inconclusive();
    let findings = report.findings();
    if args.sarif {
        output::print_json(&sarif(&report, &findings));
    } else if args.json {
        output::print_json(&report.to_json());
    } else if why != Some(Inconclusive::Unreachable) {
        print_report(&report, verdict, &findings);
    }
    // Nothing answered at all: a network failure, exit 1 with the error, as `send` does.
    if why == Some(Inconclusive::Unreachable) {
        let error = report.original.error.as_deref().unwrap_or("no answer");
        return Err(ProbeError::Unanswered {
            url: args.url.clone(),
            error: error.to_string(),
        }
        .into());
    }
    // Accepted is a failed check; inconclusive must not pass as "nothing accepted".
    Ok(match verdict {
        Verdict::Rejected => ExitCode::SUCCESS,
        Verdict::Accepted | Verdict::Inconclusive(_) => ExitCode::from(1),
    })
}

/// SARIF for a probe: the findings as failed results, and every other class as a result of
/// its own kind (pass when its variants were refused, open when they could not be judged,
/// notApplicable when they were not sent), so a code-scanning run sees what was tested.
fn sarif(
    report: &jwt::probe::ProbeReport,
    findings: &[crate::findings::Finding],
) -> serde_json::Value {
    use jwt::probe::VariantVerdict;
    use jwt::probe_rules::{PROBE_RULES, rule_for};
    let why = report.verdict().inconclusive();
    let failed: Vec<(&str, &str)> = why
        .map(|w| (report.url.as_str(), w.reason()))
        .into_iter()
        .collect();
    let mut log = crate::cli::sarif::log_many(&[(&report.url, findings)], &failed);
    let run = &mut log["runs"][0];
    // Every class is a rule, so the passed ones can name theirs.
    let known: Vec<String> = run["tool"]["driver"]["rules"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|r| r["id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    for (rule, _) in PROBE_RULES {
        if !known.iter().any(|k| k == rule.id) {
            let entry = json!({
                "id": rule.id,
                "name": rule.id,
                "shortDescription": { "text": rule.title },
                "fullDescription": { "text": rule.why },
                "help": { "text": rule.fix },
                "defaultConfiguration": { "level": rule.severity.sarif_level() },
                "properties": { "severity": rule.severity.as_str() },
            });
            if let Some(rules) = run["tool"]["driver"]["rules"].as_array_mut() {
                rules.push(entry);
            }
        }
    }
    let location = json!([{ "physicalLocation": { "artifactLocation": { "uri": report.url } } }]);
    let mut others = Vec::new();
    for v in report
        .variants
        .iter()
        .filter(|v| v.verdict != VariantVerdict::Accepted)
    {
        let Some(rule) = rule_for(&v.attack) else {
            continue;
        };
        let (kind, text) = match v.verdict {
            VariantVerdict::Expected => (
                "informational",
                format!(
                    "{} accepted as expected: {}",
                    v.attack,
                    v.reason.as_deref().unwrap_or("")
                ),
            ),
            VariantVerdict::Inconclusive => (
                "open",
                format!(
                    "{} not judged: {}",
                    v.attack,
                    v.reason.as_deref().unwrap_or("")
                ),
            ),
            _ => (
                "pass",
                format!("{} refused: {}", v.attack, v.answer.summary()),
            ),
        };
        others.push(json!({
            "ruleId": rule.id,
            "kind": kind,
            "level": "none",
            "message": { "text": text },
            "locations": location,
            "properties": { "attack": v.attack, "verdict": v.verdict.name() },
        }));
    }
    for s in &report.skipped {
        let Some(rule) = rule_for(s.attack) else {
            continue;
        };
        others.push(json!({
            "ruleId": rule.id,
            "kind": "notApplicable",
            "level": "none",
            "message": { "text": format!("{} not sent: needs {} ({})", s.attack, s.needs, s.option) },
            "locations": location,
            "properties": { "attack": s.attack, "verdict": "not-sent" },
        }));
    }
    if let Some(results) = run["results"].as_array_mut() {
        results.extend(others);
    }
    log
}

/// " N could not be judged (above).", when some refusals say nothing (claim variants whose
/// re-signed baseline was refused), else nothing.
fn unjudged(report: &jwt::probe::ProbeReport) -> String {
    let n = report
        .variants
        .iter()
        .filter(|v| v.verdict == jwt::probe::VariantVerdict::Inconclusive)
        .count();
    if n == 0 {
        String::new()
    } else {
        format!(" {n} could not be judged (above).")
    }
}

fn print_report(
    report: &jwt::probe::ProbeReport,
    verdict: Verdict,
    findings: &[crate::findings::Finding],
) {
    let color = output::color();
    println!("{} {}", paint("probe:", bold(), color), report.url);
    println!("  original token  {}", report.original.summary());
    println!("  no token        {}", report.no_token.summary());
    if let Some(jku) = &report.jku {
        println!("  jku             {}", jku.summary());
    }
    println!();
    for v in &report.variants {
        let shown = match v.verdict {
            jwt::probe::VariantVerdict::Accepted => paint(
                "ACCEPTED",
                output::severity_style(crate::findings::Severity::Critical),
                color,
            ),
            other => other.name().to_string(),
        };
        // Padded by hand: the painted word carries escape codes.
        let pad = " ".repeat(12usize.saturating_sub(v.verdict.name().len()));
        println!("  {:<25} {shown}{pad} {}", v.attack, v.answer.summary());
    }
    for s in &report.skipped {
        println!(
            "  {:<25} {:<12} needs {} ({})",
            s.attack, "not sent", s.needs, s.option
        );
    }
    // Which recovered key, in which encoding and HMAC size, got in (--recover-from).
    for v in report.accepted() {
        if v.explanation.contains("keyed with recovered key") {
            println!("  accepted: {}", v.explanation);
        }
    }
    let accepted: Vec<&str> = report.accepted().map(|v| v.attack.as_str()).collect();
    println!();
    match verdict {
        Verdict::Rejected if report.skipped.is_empty() => {
            println!("No forged variant was accepted.{}", unjudged(report))
        }
        Verdict::Rejected => println!(
            "None of the {} variants sent was accepted; {} were not sent (above).{}",
            report.variants.len(),
            report.skipped.len(),
            unjudged(report)
        ),
        Verdict::Accepted => println!(
            "{} forged variant(s) accepted: {}. The endpoint does not verify tokens properly.",
            accepted.len(),
            accepted.join(", ")
        ),
        Verdict::Inconclusive(why) => println!("Inconclusive: {}.", why.reason()),
    }
    if !findings.is_empty() {
        println!();
        print!("{}", output::findings_text(findings, color));
    }
}
