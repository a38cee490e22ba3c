//! `apiward authz`: replay workspace requests as every identity and print the authorization
//! matrix and its findings (text, JSON or SARIF); `apiward authz identity …` keeps the
//! identities.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::output::{self, bold, dim, paint};
use super::{CliResult, task};
use crate::authz::select::{self, Selection};
use crate::authz::setup;
use crate::authz::{self, Credential, Identity, Limits, Matrix, Plan, Role, identities};
use crate::findings::{self, Severity};
use crate::http::workspace::Workspace;
use crate::tasks::{Progress, TaskKind};

#[derive(Debug, Args)]
pub struct AuthzArgs {
    #[command(subcommand)]
    pub command: Option<AuthzCommand>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Subcommand)]
pub enum AuthzCommand {
    /// The identities requests are replayed as: list, set, remove.
    #[command(subcommand)]
    Identity(IdentityCommand),
}

// Parsed once per run, so the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum IdentityCommand {
    /// List the identities, credentials masked.
    List,
    /// Add or replace an identity (kept in http-client.private.env.json, 0600).
    Set(SetArgs),
    /// Remove an identity.
    Remove { name: String },
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The identity's name (alice, admin, anonymous …).
    pub name: String,
    /// user, admin (never flagged) or anonymous (sends no credentials).
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
    /// A bearer token (may use {{variables}}, {{login.response.body.token}} included).
    #[arg(long, value_name = "TOKEN")]
    pub bearer: Option<String>,
    /// Basic auth, USER:PASSWORD.
    #[arg(long, value_name = "USER:PASS")]
    pub basic: Option<String>,
    /// A Cookie header value, 'session=…'.
    #[arg(long, value_name = "COOKIE")]
    pub cookie: Option<String>,
    /// A credential header, 'X-API-Key: …' (repeatable).
    #[arg(long = "header", value_name = "K: V")]
    pub headers: Vec<String>,
    /// Log in with this stored request (sent as this identity) and send the token its JSON
    /// answer holds at --token-path as a bearer token.
    #[arg(long, value_name = "REQUEST", conflicts_with = "bearer")]
    pub login: Option<String>,
    /// Where the token is in the login's answer.
    #[arg(long, value_name = "PATH", default_value = "token", requires = "login")]
    pub token_path: String,
    /// A variable this identity overrides, NAME=VALUE (repeatable): the login's username
    /// and password, say.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Its place among the identities (the first owns requests by default).
    #[arg(long, value_name = "N")]
    pub order: Option<i64>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A stored request to run (repeatable).
    #[arg(long = "name", value_name = "NAME")]
    pub names: Vec<String>,
    /// Every request of this .http file of the workspace (repeatable).
    #[arg(long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Every request tagged NAME by a `# @tag NAME` line (repeatable).
    #[arg(long = "tag", value_name = "NAME")]
    pub tags: Vec<String>,
    /// Every request of the workspace.
    #[arg(long)]
    pub all: bool,
    /// List the chosen requests (every one when none is chosen) with their tags, and send
    /// nothing.
    #[arg(long, conflicts_with_all = ["sarif", "markdown"])]
    pub list: bool,
    /// The environment (default: the workspace's only one, if it has one).
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,
    /// The identities to use, in this order (repeatable; default: all, in their order).
    #[arg(long = "identity", value_name = "NAME")]
    pub identities: Vec<String>,
    /// The identity that owns the requests (default: the first).
    #[arg(long, value_name = "IDENTITY")]
    pub owner: Option<String>,
    /// The owner of one request, REQUEST=IDENTITY (repeatable).
    #[arg(long = "owner-of", value_name = "REQUEST=IDENTITY")]
    pub owner_of: Vec<String>,
    /// A request only an admin should succeed on (repeatable).
    #[arg(long = "admin-only", value_name = "REQUEST")]
    pub admin_only: Vec<String>,
    /// Also send requests whose method may change data (POST, PUT, PATCH, DELETE …).
    #[arg(long = "unsafe")]
    pub unsafe_methods: bool,
    /// Also try neighbouring ids and the other identities' own ids in each id of a URL.
    #[arg(long)]
    pub vary_ids: bool,
    /// Send to this non-loopback host too (repeatable): only a host you may test.
    #[arg(long = "allow-host", value_name = "HOST")]
    pub allow_hosts: Vec<String>,
    /// Refuse a run that would send more requests than this.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_requests)]
    pub max_requests: usize,
    /// Requests per second at most.
    #[arg(long, value_name = "N", default_value_t = Limits::default().per_second)]
    pub rate: f64,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = Limits::default().concurrency)]
    pub concurrency: usize,
    /// Seconds for each request.
    #[arg(long, value_name = "S", default_value_t = 10.0)]
    pub timeout: f64,
    /// Print JSON.
    #[arg(long, conflicts_with_all = ["sarif", "markdown"])]
    pub json: bool,
    /// Print a Markdown report: the matrix as a table, the findings, what was not run.
    #[arg(long, conflicts_with = "sarif")]
    pub markdown: bool,
    /// Print SARIF 2.1.0 for code-scanning tools.
    #[arg(long)]
    pub sarif: bool,
    /// Exit 1 when a finding at or above this severity is found.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
}

pub fn run(args: AuthzArgs, workspace: Option<&Path>) -> CliResult {
    let dir = crate::paths::workspace(workspace)
        .ok_or_else(|| anyhow::anyhow!("no workspace folder: pass --workspace DIR"))?;
    let ws = Workspace::open(dir);
    match args.command {
        Some(AuthzCommand::Identity(command)) => identity(&ws, command),
        None => run_matrix(&ws, args.run),
    }
}

fn identity(ws: &Workspace, command: IdentityCommand) -> CliResult {
    match command {
        IdentityCommand::List => {
            let all = identities::load(ws)?;
            if all.is_empty() {
                println!("No identities: add one with `apiward authz identity set NAME …`.");
            }
            for i in all {
                let creds: Vec<String> = i
                    .credentials
                    .iter()
                    .map(|c| match c {
                        Credential::Bearer(v) => format!("bearer {}", shown(v)),
                        Credential::Basic(v) => format!("basic {}", shown(v)),
                        Credential::Cookie(v) => format!("cookie {}", shown(v)),
                        Credential::Header(v) => {
                            let (n, v) = v.split_once(':').unwrap_or((v, ""));
                            format!("header {n}: {}", shown(v.trim()))
                        }
                    })
                    .collect();
                let vars: Vec<String> = i.vars.iter().map(|(n, _)| format!("{n}=…")).collect();
                println!(
                    "{:<12} {:<9} {}{}",
                    i.name,
                    i.role.as_str(),
                    if creds.is_empty() {
                        "no credentials".into()
                    } else {
                        creds.join(", ")
                    },
                    if vars.is_empty() {
                        String::new()
                    } else {
                        format!("; vars {}", vars.join(" "))
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        IdentityCommand::Set(set) => {
            let existing = identities::load(ws)?;
            let order = set.order.unwrap_or_else(|| {
                existing.iter().find(|i| i.name == set.name).map_or_else(
                    || existing.iter().map(|i| i.order + 1).max().unwrap_or(1),
                    |i| i.order,
                )
            });
            let mut credentials = Vec::new();
            if let Some(request) = &set.login {
                let path = set.token_path.trim_start_matches("$.");
                credentials.push(Credential::Bearer(format!(
                    "{{{{{request}.response.body.$.{path}}}}}"
                )));
            }
            credentials.extend(set.bearer.map(Credential::Bearer));
            credentials.extend(set.basic.map(Credential::Basic));
            credentials.extend(set.cookie.map(Credential::Cookie));
            for h in set.headers {
                if !h.contains(':') {
                    return Err(anyhow::anyhow!("--header \"{h}\" is not 'Name: value'").into());
                }
                credentials.push(Credential::Header(h));
            }
            let mut vars = Vec::new();
            for v in set.vars {
                let (n, value) = v
                    .split_once('=')
                    .ok_or_else(|| anyhow::anyhow!("--var \"{v}\" is not NAME=VALUE"))?;
                vars.push((n.trim().to_string(), value.to_string()));
            }
            let role = match set.role.as_deref() {
                Some(r) => Role::parse(r).ok_or_else(|| {
                    anyhow::anyhow!("--role \"{r}\" is not user, admin or anonymous")
                })?,
                None if credentials.is_empty() && vars.is_empty() => Role::Anonymous,
                None => Role::User,
            };
            let identity = Identity {
                name: set.name,
                role,
                order,
                credentials,
                vars,
            };
            identities::save(ws, &identity)?;
            println!(
                "Saved identity {} ({}).",
                identity.name,
                identity.role.as_str()
            );
            Ok(ExitCode::SUCCESS)
        }
        IdentityCommand::Remove { name } => match identities::remove(ws, &name)? {
            true => {
                println!("Removed identity {name}.");
                Ok(ExitCode::SUCCESS)
            }
            false => Err(anyhow::anyhow!("no identity \"{name}\" in the workspace").into()),
        },
    }
}

/// A stored value for display: a reference as written, a literal masked.
fn shown(value: &str) -> String {
    match crate::http::sensitive::is_reference(value) || value.starts_with("{{") {
        true => value.to_string(),
        false => crate::http::sensitive::mask_literal(value),
    }
}

fn run_matrix(ws: &Workspace, args: RunArgs) -> CliResult {
    setup::exists(ws)?;
    let mut selection = Selection {
        names: args.names.clone(),
        files: args.files.clone(),
        tags: args.tags.clone(),
        all: args.all,
    };
    if args.list {
        selection.all |= selection.is_empty();
        return list(ws, &selection, args.json);
    }
    if selection.is_empty() {
        return Err(anyhow::anyhow!(
            "choose the requests: --name NAME, --file FILE, --tag NAME or --all"
        )
        .into());
    }
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        return Err(anyhow::anyhow!("--timeout must be a positive number of seconds").into());
    }
    if !(args.rate > 0.0 && args.rate.is_finite()) {
        return Err(
            anyhow::anyhow!("--rate must be a positive number of requests a second").into(),
        );
    }
    let (base, problems) = setup::plan(ws, &selection, &args.identities, args.env.clone())?;
    for p in &problems {
        eprintln!("apiward: skipped a file: {p}");
    }
    let mut owners = BTreeMap::new();
    for pair in &args.owner_of {
        let (r, i) = pair
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("--owner-of \"{pair}\" is not REQUEST=IDENTITY"))?;
        owners.insert(r.trim().to_string(), i.trim().to_string());
    }
    let plan = Plan {
        owner: args.owner.clone(),
        owners,
        admin_only: args.admin_only.iter().cloned().collect::<BTreeSet<_>>(),
        unsafe_methods: args.unsafe_methods,
        vary_ids: args.vary_ids,
        allow_hosts: args.allow_hosts.clone(),
        limits: Limits {
            max_requests: args.max_requests,
            per_second: args.rate,
            concurrency: args.concurrency.max(1),
            timeout_ms: (args.timeout * 1000.0) as u64,
        },
        ..base
    };
    let title = format!(
        "authz {} requests × {} identities",
        plan.requests.len(),
        plan.identities.len()
    );
    let ws2 = ws.clone();
    let matrix = task::run_async(TaskKind::Send, title, move |ctx| async move {
        let report = move |done: u64, total: u64| {
            ctx.progress(Progress::Count {
                done,
                total: Some(total),
            })
        };
        Ok(authz::matrix::run(&ws2, &plan, &report).await?)
    })?;
    for i in matrix.identities.iter() {
        if let Some(e) = &i.error {
            eprintln!("apiward: identity {} could not log in: {e}", i.name);
        }
    }
    // Cells the table can only call "error": why, once per request and reason.
    let mut said = BTreeSet::new();
    for r in &matrix.rows {
        for c in &r.cells {
            if let Some(e) = c.error.as_ref().filter(|e| !e.starts_with("not logged in"))
                && said.insert((r.name.as_str(), e.as_str()))
            {
                eprintln!("apiward: {} as {}: {e}", r.name, c.identity);
            }
        }
    }
    if args.sarif {
        let targets: Vec<(String, Vec<findings::Finding>)> = matrix
            .rows
            .iter()
            .map(|r| {
                let mine = matrix.findings_of(r).into_iter().cloned().collect();
                (r.url.clone(), mine)
            })
            .collect();
        let targets: Vec<(&str, &[findings::Finding])> = targets
            .iter()
            .map(|(t, f)| (t.as_str(), f.as_slice()))
            .collect();
        output::print_json(&super::sarif::log_many(&targets, &[]));
    } else if args.json {
        output::print_json(&matrix);
    } else if args.markdown {
        print!("{}", authz::report::markdown(&matrix));
    } else {
        print!("{}", matrix_text(&matrix, output::color()));
        print!(
            "{}",
            output::findings_text(&matrix.findings, output::color())
        );
    }
    let over = args
        .fail_on
        .is_some_and(|floor| findings::worst(&matrix.findings).is_some_and(|w| w >= floor));
    Ok(if over {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The requests chosen by --name, --file, --tag and --all; files that could not be read are
/// named on stderr.
fn choose_requests(
    ws: &Workspace,
    selection: &Selection,
) -> Result<Vec<crate::http::workspace::Stored>, super::CliError> {
    let (chosen, problems) = select::choose(ws, selection)?;
    for p in &problems {
        eprintln!("apiward: skipped a file: {p}");
    }
    Ok(chosen)
}

/// `--list`: each chosen request's name, method, URL as written, file and tags.
fn list(ws: &Workspace, selection: &Selection, json: bool) -> CliResult {
    let chosen = choose_requests(ws, selection)?;
    let file = |s: &crate::http::workspace::Stored| {
        let shown = s.path.strip_prefix(&ws.dir).unwrap_or(&s.path);
        shown.display().to_string()
    };
    if json {
        let rows: Vec<serde_json::Value> = chosen
            .iter()
            .map(|s| {
                serde_json::json!({
                    "name": s.request.name,
                    "method": s.request.method,
                    "url": s.request.url,
                    "file": file(s),
                    "tags": s.request.tags,
                })
            })
            .collect();
        output::print_json(&rows);
        return Ok(ExitCode::SUCCESS);
    }
    let color = output::color();
    let width = chosen.iter().map(|s| s.request.name.chars().count()).max();
    let width = width.unwrap_or(0);
    for s in &chosen {
        let tags = match s.request.tags.is_empty() {
            true => String::new(),
            false => format!(
                "  {}",
                paint(&format!("#{}", s.request.tags.join(" #")), dim(), color)
            ),
        };
        println!(
            "{:<width$}  {:<7} {}  {}{tags}",
            s.request.name,
            s.request.method,
            s.request.url,
            paint(&file(s), dim(), color)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The matrix as a table: requests down, identities across; each cell status, size and
/// similarity to the owner's body; the row's flags at the end.
pub fn matrix_text(m: &Matrix, color: bool) -> String {
    let mut out = format!(
        "{} {} requests × {} identities, {} sent in {:.1} s\n",
        paint("Authorization matrix:", bold(), color),
        m.rows.len(),
        m.identities.len(),
        m.sent,
        m.elapsed_ms as f64 / 1000.0
    );
    let table = authz::report::table(m);
    let widths: Vec<usize> = (0..table[0].len())
        .map(|c| {
            table
                .iter()
                .map(|l| l[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (n, line) in table.iter().enumerate() {
        let text: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        let text = text.join("  ").trim_end().to_string();
        out.push_str(&match n {
            0 => paint(&text, dim(), color),
            _ => text,
        });
        out.push('\n');
    }
    for s in &m.skipped {
        out.push_str(&format!(
            "{} {}: {}\n",
            paint("not run:", dim(), color),
            s.name,
            s.reason
        ));
    }
    out.push('\n');
    out
}
