//! `apiward audit`: grade one endpoint's headers, CORS, cookies, redirects and TLS, or many
//! endpoints from a file, with text, JSON or SARIF output.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::output::{self, bold, dim, paint};
use super::{CliResult, task};
use crate::audit::setup::AuditSetup;
use crate::audit::{self, AuditOptions, AuditReport};
use crate::findings::{self, Severity};
use crate::tasks::{Progress, TaskKind};

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The URL to audit (http:// or https://).
    #[arg(required_unless_present = "targets", conflicts_with = "targets")]
    pub url: Option<String>,
    /// A file of URLs, one per line (# starts a comment), audited concurrently.
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// Targets audited at once with --targets.
    #[arg(long, value_name = "N", default_value_t = audit::setup::DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
    /// Print JSON.
    #[arg(long, conflicts_with = "sarif")]
    pub json: bool,
    /// Print SARIF 2.1.0 for code-scanning tools.
    #[arg(long)]
    pub sarif: bool,
    /// With --targets: do not fail the run for targets that could not be reached (they are
    /// still listed).
    #[arg(long, requires = "targets")]
    pub allow_unreachable: bool,
    /// Exit 1 when a finding at or above this severity is found.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// Audit the headers even when the certificate is not trusted.
    #[arg(short = 'k', long)]
    pub insecure: bool,
    /// Trust this CA (PEM) instead of the public roots, for private PKI.
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,
    /// Seconds for each request; a whole target gets three times as long.
    #[arg(long, value_name = "S", default_value_t = audit::setup::DEFAULT_TIMEOUT_SECS)]
    pub timeout: f64,
    /// A header sent with every request, 'Name: value' (repeatable); credentials here make
    /// the audit check Cache-Control on authenticated responses.
    #[arg(short = 'H', long = "header", value_name = "K: V")]
    pub headers: Vec<String>,
    /// The time certificate dates are judged at, unix seconds (default: now).
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
}

pub fn run(args: AuditArgs, workspace: Option<&std::path::Path>) -> CliResult {
    let options = options(&args)?;
    let reports = match (&args.url, &args.targets) {
        (Some(url), _) => {
            check_url(url)?;
            let url = url.clone();
            vec![task::run_async(
                TaskKind::Audit,
                format!("audit {url}"),
                move |_| async move { Ok(audit::audit(&url, &options).await) },
            )?]
        }
        (None, Some(file)) => {
            let urls = audit::targets::read(file)?;
            let total = urls.len() as u64;
            let concurrency = setup(&args).concurrency();
            task::run_async(
                TaskKind::Audit,
                format!("audit {total} targets"),
                move |ctx| async move {
                    let done = std::sync::atomic::AtomicU64::new(0);
                    let on_done = move |_: &AuditReport| {
                        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                        ctx.progress(Progress::Count {
                            done: n,
                            total: Some(total),
                        });
                    };
                    Ok(audit::audit_many(urls, &options, concurrency, on_done).await)
                },
            )?
        }
        (None, None) => unreachable!("clap requires a URL or --targets"),
    };
    for r in &reports {
        let headers = r.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        super::learn::note_lab_run(workspace, headers, &r.findings);
    }
    if args.sarif {
        let targets: Vec<(&str, &[findings::Finding])> = reports
            .iter()
            .map(|r| (r.target.as_str(), r.findings.as_slice()))
            .collect();
        let failed: Vec<(&str, &str)> = reports
            .iter()
            .filter_map(|r| Some((r.target.as_str(), r.error.as_deref()?)))
            .collect();
        output::print_json(&super::sarif::log_many(&targets, &failed));
    } else if args.json {
        match (&args.url, reports.as_slice()) {
            (Some(_), [one]) => output::print_json(one),
            _ => output::print_json(&reports),
        }
    } else {
        let color = output::color();
        for report in &reports {
            print!("{}", report_text(report, color));
        }
        if args.targets.is_some() {
            print!("{}", unreachable_text(&reports));
        }
    }
    // A target that could not be audited fails the run: a CI job must not pass on silence.
    let failed_target = !args.allow_unreachable && reports.iter().any(|r| r.error.is_some());
    let over = args.fail_on.is_some_and(|floor| {
        reports
            .iter()
            .any(|r| findings::worst(&r.findings).is_some_and(|w| w >= floor))
    });
    Ok(if failed_target || over {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The options through the core's one set-up, which the Audit tab uses too.
fn options(args: &AuditArgs) -> Result<AuditOptions, super::CliError> {
    Ok(setup(args).options()?)
}

fn setup(args: &AuditArgs) -> AuditSetup {
    AuditSetup {
        timeout_secs: args.timeout,
        insecure: args.insecure,
        ca_file: args.ca.clone(),
        headers: args.headers.clone(),
        now: args.now,
        concurrency: args.concurrency,
    }
}

/// The closing lines of a batch: which targets could not be audited, if any.
fn unreachable_text(reports: &[AuditReport]) -> String {
    let failed: Vec<&AuditReport> = reports.iter().filter(|r| r.error.is_some()).collect();
    if failed.is_empty() {
        return format!("All {} targets were audited.\n", reports.len());
    }
    let mut out = format!(
        "{} of {} targets could not be audited:\n",
        failed.len(),
        reports.len()
    );
    for r in failed {
        out.push_str(&format!(
            "  {}: {}\n",
            r.target,
            r.error.as_deref().unwrap_or_default()
        ));
    }
    out
}

fn check_url(url: &str) -> Result<(), super::CliError> {
    if !audit::targets::is_target(url) {
        return Err(anyhow::anyhow!("'{url}' is not an http:// or https:// URL").into());
    }
    Ok(())
}

/// The readable report: grade, findings grouped by area, and the TLS summary.
pub fn report_text(report: &AuditReport, color: bool) -> String {
    let mut out = String::new();
    let headers = match (&report.grade, report.score) {
        (Some(g), Some(s)) => format!("headers {g} ({s}/100)"),
        _ => "no header grade".to_string(),
    };
    let tls = report
        .tls_grade
        .as_ref()
        .map_or("no TLS".to_string(), |t| format!("TLS {}", t.grade));
    let grade = match &report.overall_grade {
        Some(o) => format!("{o} overall · {headers} · {tls}"),
        None => format!("{headers} · {tls}"),
    };
    out.push_str(&format!(
        "{} {}  {}  {}\n",
        paint("audit", bold(), color),
        report.target,
        paint(&grade, bold(), color),
        paint(&format!("{} ms", report.elapsed_ms), dim(), color)
    ));
    if let Some(err) = &report.error {
        out.push_str(&format!("  error: {err}\n"));
    }
    if let Some(cap) = report.body_cut_at {
        out.push_str(&format!(
            "  body: longer than {} KiB; only that much was read and judged\n",
            cap >> 10
        ));
    }
    if report.redirects.len() > 1 {
        let chain: Vec<String> = report
            .redirects
            .iter()
            .map(|h| format!("{} {}", h.status, h.url))
            .collect();
        out.push_str(&format!("  redirects: {}\n", chain.join(" → ")));
    }
    if let Some(tls) = &report.tls {
        out.push_str(&tls_text(tls));
    }
    for note in &report.probe_timeouts {
        out.push_str(&format!("  probe: {note}\n"));
    }
    if let Some(g) = &report.tls_grade {
        for cap in &g.caps {
            out.push_str(&format!("  TLS grade capped at {cap}\n"));
        }
    }
    out.push('\n');
    for area in ["Headers", "Cookies", "CORS", "Redirects", "API", "TLS"] {
        let in_area: Vec<_> = report
            .findings
            .iter()
            .filter(|f| audit::rules::area(&f.id) == area)
            .cloned()
            .collect();
        if in_area.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "{}\n",
            paint(&format!("── {area} "), bold(), color)
        ));
        let text = output::findings_text(&in_area, color);
        // Drop the per-area count line; one total is printed at the end.
        let body = text
            .rsplit_once("\n\n")
            .map_or(text.as_str(), |(body, _)| body);
        out.push_str(body);
        out.push_str("\n\n");
    }
    out.push_str(
        output::findings_text(&report.findings, color)
            .lines()
            .last()
            .unwrap_or_default(),
    );
    out.push_str("\n\n");
    out
}

/// The accepted suites per version, then DH size, suite order, OCSP and the Mozilla profile.
fn suites_text(tls: &audit::TlsReport, scan: &audit::tls::scan::CipherScan) -> String {
    let mut out = String::new();
    for v in scan.versions.iter().filter(|v| !v.suites.is_empty()) {
        out.push_str(&format!("  suites {}:\n", v.version));
        for s in &v.suites {
            let weak: Vec<&str> = s.weaknesses().iter().map(|w| w.rule_id()).collect();
            let note = if weak.is_empty() {
                String::new()
            } else {
                format!("  ({})", weak.join(", "))
            };
            out.push_str(&format!("    {} {}{note}\n", s.id, s.name));
        }
    }
    let mut facts = Vec::new();
    if let Some(bits) = scan.dh_bits {
        facts.push(format!("DH {bits}-bit"));
    }
    facts.push(match scan.server_preference {
        Some(true) => "suite order: the server's".to_string(),
        Some(false) => "suite order: the client's".to_string(),
        None => "suite order: not tested (fewer than two suites)".to_string(),
    });
    facts.push(match tls.ocsp_stapled {
        Some(true) => "OCSP stapled".to_string(),
        Some(false) => "no OCSP staple".to_string(),
        None => "OCSP unknown".to_string(),
    });
    facts.push(format!(
        "{} connections in {} ms",
        scan.connections, scan.elapsed_ms
    ));
    out.push_str(&format!("  {}\n", facts.join(" · ")));
    if let Some(m) = &tls.mozilla {
        let meets = m.meets.as_deref().unwrap_or("none");
        out.push_str(&format!("  Mozilla profile ({}): {meets}\n", m.guidelines));
        // Why not the next stricter profile: the one change that would move the server up.
        let next = match meets {
            "modern" => None,
            "intermediate" => Some("modern"),
            _ => Some("intermediate"),
        };
        if let Some(next) = next {
            for why in m.failures(next) {
                out.push_str(&format!("    not {next}: {why}\n"));
            }
        }
    }
    out
}

fn tls_text(tls: &audit::TlsReport) -> String {
    let mut out = String::new();
    let join = |parts: &[&Option<String>]| {
        parts
            .iter()
            .filter_map(|p| p.as_deref())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    out.push_str(&format!(
        "  TLS: {}\n",
        join(&[
            &tls.version,
            &tls.cipher_suite,
            &tls.key_exchange,
            &tls.alpn
        ])
    ));
    let trust = if tls.trusted {
        "trusted".to_string()
    } else {
        let issues: Vec<String> = tls.issues.iter().map(|i| i.rule_id().to_string()).collect();
        format!(
            "NOT trusted ({})",
            tls.verdict.clone().unwrap_or_else(|| issues.join(", "))
        )
    };
    out.push_str(&format!("  certificate: {trust}\n"));
    for (i, cert) in tls.chain.iter().enumerate() {
        out.push_str(&format!(
            "    {i} {}  issued by {}  {} {}-bit {}  expires {} ({} days)\n",
            cert.subject,
            cert.issuer,
            cert.key_type,
            cert.key_bits,
            cert.signature_algorithm,
            cert.not_after_text,
            cert.days_left
        ));
    }
    if !tls.protocols.is_empty() {
        let protocols: Vec<String> = tls
            .protocols
            .iter()
            .map(|p| {
                let mark = match p.accepted {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "?",
                };
                format!("{} {mark}", p.version)
            })
            .collect();
        out.push_str(&format!("  protocols: {}\n", protocols.join(" · ")));
    }
    if let Some(scan) = &tls.ciphers {
        out.push_str(&suites_text(tls, scan));
    }
    if let Some(err) = &tls.error {
        out.push_str(&format!("  TLS error: {err}\n"));
    }
    out
}
