//! `apiward spec check FILE|URL --env NAME`: each safe operation of a description sent to the
//! environment's server (or `--base`), with the workspace environment's variables for path
//! parameters and credentials, and the answers held to the description. Requests are built as
//! `apiward import openapi` writes them (its auth mapping and examples), so an imported
//! workspace's variables fit.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde_json::{Value, json};

use super::LoadArgs;
use crate::cli::output::{self, bold, dim, paint};
use crate::cli::{CliError, CliResult, task};
use crate::findings::{self, Severity};
use crate::http::model::{Body, Request, Row};
use crate::http::vars::Vars;
use crate::http::workspace::Workspace;
use crate::import::openapi::{auth, example, servers};
use crate::spec::Document;
use crate::spec::check::{self, CheckError, Options, Report, Target};
use crate::tasks::{Progress, TaskKind};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The description: a file, or an http(s) URL.
    pub source: String,
    /// The workspace environment whose baseUrl, path parameters and credentials are used.
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// Send to this server instead of the environment's baseUrl.
    #[arg(long, value_name = "URL")]
    pub base: Option<String>,
    /// Also send operations whose method may change data (POST, PUT, PATCH, DELETE …).
    #[arg(long = "unsafe")]
    pub unsafe_methods: bool,
    /// Refuse a check that would send more requests than this.
    #[arg(long, value_name = "N", default_value_t = Options::default().max_requests)]
    pub max: usize,
    /// Requests per second at most.
    #[arg(long, value_name = "R", default_value_t = Options::default().per_second)]
    pub rate: f64,
    /// Send to this non-loopback host too (repeatable): only a host you may test.
    #[arg(long = "allow-host", value_name = "HOST")]
    pub allow_hosts: Vec<String>,
    /// Seconds for each request.
    #[arg(long, value_name = "S", default_value_t = 10.0)]
    pub timeout: f64,
    /// Trust this CA (PEM) too, for a server with a private certificate.
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,
    /// Accept any certificate.
    #[arg(short = 'k', long)]
    pub insecure: bool,
    #[command(flatten)]
    pub load: LoadArgs,
    /// Print JSON.
    #[arg(long, conflicts_with = "sarif")]
    pub json: bool,
    /// Print SARIF 2.1.0 for code-scanning tools.
    #[arg(long)]
    pub sarif: bool,
    /// Exit 1 when a finding at or above this severity is found.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
}

/// The variable the importer keeps each server's URL in.
const BASE: &str = servers::BASE_URL;

pub fn run(args: CheckArgs, workspace: Option<&Path>) -> CliResult {
    if !(args.rate > 0.0 && args.rate.is_finite()) {
        return Err(
            anyhow::anyhow!("--rate must be a positive number of requests a second").into(),
        );
    }
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        return Err(anyhow::anyhow!("--timeout must be a positive number of seconds").into());
    }
    let mut vars = variables(&args, workspace)?;
    if let Some(base) = &args.base {
        let url = reqwest::Url::parse(base)
            .map_err(|e| anyhow::anyhow!("--base {base} is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(anyhow::anyhow!("--base must be an http or https URL, not {base}").into());
        }
        vars.set(BASE, base.trim_end_matches('/'), false);
    }
    let Some(base) = vars.get(BASE).map(|v| v.value.clone()) else {
        return Err(anyhow::anyhow!(
            "no server to send to: pass --base URL, or --env NAME of an environment with {BASE} (apiward import openapi writes one per server)"
        )
        .into());
    };
    let options = Options {
        unsafe_methods: args.unsafe_methods,
        max_requests: args.max,
        per_second: args.rate,
        allow_hosts: args.allow_hosts.clone(),
        timeout_ms: (args.timeout * 1000.0) as u64,
        ca_file: args.ca.clone(),
        insecure: args.insecure,
    };
    if let Some(ca) = &args.ca {
        crate::cli::input::read_file(ca, "the CA")?;
    }
    let doc = super::load(&args.source, args.load.options())?;
    let version = doc.version.label();
    let unsafe_methods = args.unsafe_methods;
    let result = task::run_async(
        TaskKind::Other,
        format!("spec check {base}"),
        move |ctx| async move {
            let mut vars = vars;
            let targets = targets(&doc, &mut vars, unsafe_methods);
            let progress = move |done: u64, total: u64| {
                ctx.progress(Progress::Count {
                    done,
                    total: Some(total),
                })
            };
            Ok(check::run(&doc, &targets, &vars, &options, &progress).await)
        },
    )?;
    let report = match result {
        Ok(r) => r,
        Err(e @ CheckError::Nothing(_)) => {
            let mut err = CliError::from(e);
            err.code = 1;
            return Err(err);
        }
        Err(e) => return Err(e.into()),
    };
    if args.sarif {
        output::print_json(&crate::cli::sarif::log(&report.findings, &base));
    } else if args.json {
        output::print_json(&json!({
            "source": args.source,
            "version": version,
            "base": base,
            "probes": report.probes,
            "skipped": report.skipped,
            "findings": report.findings,
        }));
    } else {
        print!(
            "{}",
            report_text(&args.source, &base, &report, output::color())
        );
    }
    let over = args
        .fail_on
        .is_some_and(|floor| findings::worst(&report.findings).is_some_and(|w| w >= floor));
    Ok(if over {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The environment's variables (the shared ones without --env), or none without a workspace.
fn variables(args: &CheckArgs, workspace: Option<&Path>) -> Result<Vars, CliError> {
    let dir = crate::paths::workspace(workspace);
    match (&args.env, dir) {
        (Some(env), Some(dir)) => Ok(Workspace::open(dir).vars(Some(env), &[])?),
        (Some(_), None) => {
            Err(anyhow::anyhow!("--env needs a workspace folder: pass --workspace DIR").into())
        }
        (None, Some(dir)) if dir.is_dir() => Ok(Workspace::open(dir).vars(None, &[])?),
        (None, _) => Ok(Vars::new()),
    }
}

/// An example value as the text a URL or header carries.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Each operation as the importer would write it: `{{baseUrl}}` and the path with its
/// parameters as `{{variables}}` (the description's examples where the environment has no
/// value), required query and header parameters, the security as auth, and with `unsafe` a
/// JSON example body.
fn targets<'a>(doc: &'a Document, vars: &mut Vars, unsafe_methods: bool) -> Vec<Target<'a>> {
    let schemes = doc.security_schemes();
    let mut out = Vec::new();
    for op in doc.operations() {
        let url = format!("{{{{{BASE}}}}}{}", servers::template(op.path));
        let mut request = Request::new(&op.method, &url);
        for p in doc.parameters(&op) {
            let known = vars.get(p.name).is_some();
            let example = || {
                value_text(
                    &example::for_media(doc, &p.node, p.schema.as_ref()).unwrap_or(Value::Null),
                )
            };
            let value = if known {
                format!("{{{{{}}}}}", p.name)
            } else {
                example()
            };
            match p.location {
                "path" if !known => vars.set(p.name, &example(), false),
                "query" if p.required => request.query.push(Row::new(p.name, &value)),
                "header" if p.required => request.headers.push(Row::new(p.name, &value)),
                _ => {}
            }
        }
        auth::apply(doc, &schemes, &op, &mut request);
        if unsafe_methods
            && let Some(media) = doc
                .request_bodies(&op)
                .into_iter()
                .find(|m| m.media_type.contains("json"))
        {
            let body =
                example::for_media(doc, &media.node, media.schema.as_ref()).unwrap_or(Value::Null);
            request.body = Body::Json(serde_json::to_string(&body).unwrap_or_default());
        }
        out.push(Target { op, request });
    }
    out
}

/// Each request sent with its status, what was not sent, then the findings.
fn report_text(source: &str, base: &str, report: &Report, color: bool) -> String {
    let mut out = format!(
        "{} {source} against {base}\n\n",
        paint("spec check", bold(), color)
    );
    for p in &report.probes {
        let status = match (p.status, &p.error) {
            (Some(s), _) => s.to_string(),
            (None, Some(_)) => "---".into(),
            (None, None) => "?".into(),
        };
        out.push_str(&format!(
            "  {status:>3}  {:<40} {}\n",
            p.operation,
            paint(p.variant.label(), dim(), color)
        ));
        if let Some(e) = &p.error {
            out.push_str(&format!("       {}\n", paint(e, dim(), color)));
        }
    }
    for s in &report.skipped {
        out.push_str(&format!("  {} {s}\n", paint("not sent:", dim(), color)));
    }
    out.push('\n');
    out.push_str(&output::findings_text(&report.findings, color));
    out
}
