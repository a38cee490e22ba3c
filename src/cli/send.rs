//! `apiward send`: one request from the command line, HTTPie-style, or a stored one by name.
//! It runs the same `crate::http` prepare/send/findings/history path as the TUI's Request tab,
//! on a current-thread runtime so a small request starts and ends quickly.

pub mod items;
mod offline;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::output::{self, bold, dim, paint};
use super::{CliError, CliResult};
use crate::http::{self, Body, Request, Row, Workspace};

// Default: `history resend` sends with no extra flags through the same path.
#[derive(Debug, Default, Args)]
#[command(
    after_help = "Items: Header:value, param==value, field=value (JSON string), field:=json (raw JSON), field@path (a file, with --form or --multipart), @file (body).\nA body piped on standard input is sent as it is (--ignore-stdin turns that off).\nExamples:\n  apiward send localhost:8080/users page==2\n  apiward send POST https://api.example.test/users name=Ada admin:=true Authorization:'Bearer t'\n  apiward send --form :8080/upload title=Notes file@notes.txt\n  apiward send --offline PUT :8080/x a=1    # print the request, send nothing"
)]
pub struct SendArgs {
    /// [METHOD] URL [ITEM]...; the method defaults to GET, or POST with a body.
    #[arg(value_name = "ARGS", allow_hyphen_values = false)]
    pub args: Vec<String>,
    /// Send the request stored under this name in the workspace.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// A header, "Name: value" (repeatable).
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,
    /// The body: text, `-` for stdin, or `@file`. JSON is sent as JSON.
    #[arg(short = 'd', long = "data", value_name = "DATA")]
    pub data: Option<String>,
    /// Data fields as a form, as HTTPie's --form: urlencoded, or multipart once a field is a
    /// file (field@path).
    #[arg(short = 'f', long)]
    pub form: bool,
    /// Data fields as multipart/form-data, files or not.
    #[arg(long)]
    pub multipart: bool,
    /// The body as it is, typed application/json unless a Content-Type is given (a form type
    /// with --form), as HTTPie's --raw.
    #[arg(long, value_name = "TEXT", conflicts_with = "data")]
    pub raw: Option<String>,
    /// Print the request that would be sent, and send nothing.
    #[arg(long)]
    pub offline: bool,
    /// Never read a body from a piped standard input.
    #[arg(long)]
    pub ignore_stdin: bool,
    /// Basic auth, user:password (Digest with --digest).
    #[arg(short = 'u', long = "user", value_name = "USER:PASS")]
    pub user: Option<String>,
    /// Answer the server's Digest challenge (RFC 7616) with --user, as curl --digest does.
    #[arg(long, requires = "user")]
    pub digest: bool,
    /// Do not verify the TLS certificate.
    #[arg(short = 'k', long)]
    pub insecure: bool,
    /// Trust the CAs in this PEM file too.
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Client certificate (PEM) for mutual TLS; its key in --key or the same file.
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Send through this proxy: host:port (HTTP), socks4://, socks4a://, socks5:// or
    /// socks5h://. Without it, http_proxy, https_proxy and all_proxy apply, as for curl.
    #[arg(short = 'x', long, value_name = "URL")]
    pub proxy: Option<String>,
    /// Hosts that go direct, comma-separated (`*` for all); overrides NO_PROXY.
    #[arg(long, value_name = "HOSTS")]
    pub noproxy: Option<String>,
    /// Seconds for the whole exchange.
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Follow redirects.
    #[arg(long, short = 'F')]
    pub follow: bool,
    #[arg(long, value_name = "N")]
    pub max_redirects: Option<usize>,
    /// The workspace environment whose variables fill {{name}}.
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// A variable's value, NAME=VALUE (repeatable); wins over the environment's. Gives the
    /// values a `.http` file's `# @prompt` lines ask for.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Print {status, headers, body, timing, tls, findings, …} as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print the findings after the body.
    #[arg(long)]
    pub findings: bool,
    /// Exit 1 when the status is 4xx or 5xx.
    #[arg(long)]
    pub check_status: bool,
    /// Keep at most this much of the body: bytes, or with k, M, G (default 64M).
    #[arg(long, value_name = "SIZE")]
    pub max_body: Option<String>,
}

pub fn run(args: SendArgs, workspace: Option<&Path>) -> CliResult {
    let ws_dir = crate::paths::workspace(workspace);
    let ws = ws_dir.as_ref().map(Workspace::open);
    let (req, file_vars, base_dir) = match &args.name {
        Some(name) => {
            let ws = ws
                .as_ref()
                .ok_or_else(|| anyhow::anyhow!("no workspace folder: pass --workspace DIR"))?;
            let stored = ws.request(name)?;
            let base = stored.path.parent().map(Path::to_path_buf);
            // Requests whose responses it uses ({{login.response.body.$.token}}) go first.
            let given = given_vars(&args)?;
            let history = ws.history();
            let cx = http::dotfile::chain::Context {
                ws,
                env: args.env.as_deref(),
                given: &given,
                history: Some(&history),
            };
            let note = &mut |line: &str| eprintln!("apiward: {line}");
            let file_vars = http::dotfile::chain::resolve_blocking(&cx, &stored, note)?;
            (stored.request, file_vars, base)
        }
        None => (from_args(&args)?, Vec::new(), None),
    };
    let target = Target {
        ws: ws.as_ref(),
        explicit: workspace.is_some(),
        file_vars: &file_vars,
        base_dir: base_dir.as_deref(),
    };
    send_request(&args, req, target)
}

/// Where a request comes from: its workspace (None without one) and what its file adds.
pub struct Target<'a> {
    pub ws: Option<&'a Workspace>,
    /// The workspace was named with --workspace, so history is written even into a new folder.
    pub explicit: bool,
    /// The `.http` file's `@var` lines.
    pub file_vars: &'a [(String, String)],
    /// Relative paths (body files, keys, CAs) are taken from here.
    pub base_dir: Option<&'a Path>,
}

/// Applies the flags, fills the variables, sends, records the history and prints: the one
/// path every send from the command line takes (`send`, `history resend`).
pub fn send_request(args: &SendArgs, mut req: Request, target: Target<'_>) -> CliResult {
    let Target {
        ws,
        explicit,
        file_vars,
        base_dir,
    } = target;
    apply_flags(args, &mut req)?;
    let vars = match (&ws, &args.env) {
        // A workspace's shared values apply with no --env too (where `import curl --save`
        // keeps a pasted credential).
        (Some(ws), env) => ws.vars(env.as_deref(), file_vars)?,
        (None, Some(_)) => {
            return Err(anyhow::anyhow!("--env needs a workspace: pass --workspace DIR").into());
        }
        _ => http::Vars::new(),
    };
    let mut vars = vars;
    for (name, value) in given_vars(args)? {
        vars.set(&name, &value, false);
    }
    if let Some(warning) = ws.and_then(Workspace::private_env_warning) {
        eprintln!("apiward: warning: {warning}");
    }
    let prepared = http::prepare(&req, &vars, base_dir)?;
    if args.offline {
        offline::print(&prepared)?;
        return Ok(ExitCode::SUCCESS);
    }
    // History lives in a workspace that exists (or was named): a one-off send creates none.
    let history = match ws {
        Some(ws) if explicit || ws.dir.is_dir() => Some(ws.history()),
        _ => None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (result, history_error) =
        runtime.block_on(http::task::run(&req, &prepared, history.as_ref(), None));
    if let Some(e) = history_error {
        eprintln!("apiward: warning: history not written: {e}");
    }
    let exchange = result.map_err(|e| {
        let text = prepared.redactor.redact(&e.to_string());
        CliError::from(e).reworded(text)
    })?;
    print(args, &exchange)?;
    let headers = exchange.response.headers.iter();
    let learn_ws = ws.filter(|_| explicit).map(|w| w.dir.as_path());
    super::learn::note_lab_run(
        learn_ws,
        headers.map(|(k, v)| (k.as_str(), v.as_str())),
        &exchange.findings,
    );
    if args.check_status && exchange.response.is_error() {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The `--var NAME=VALUE` flags.
fn given_vars(args: &SendArgs) -> Result<Vec<(String, String)>, CliError> {
    (args.vars.iter())
        .map(|v| match v.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                Ok((name.trim().to_string(), value.to_string()))
            }
            _ => Err(anyhow::anyhow!("--var takes NAME=VALUE, not \"{v}\"").into()),
        })
        .collect()
}

/// `[METHOD] URL [ITEM]...` into a request.
fn from_args(args: &SendArgs) -> Result<Request, CliError> {
    let mut words = args.args.iter().peekable();
    let first = words
        .next()
        .ok_or_else(|| anyhow::anyhow!("give a URL to send to, or --name NAME"))?;
    // HTTPie reads a first word of letters as the method when more follows (`get :8080/x`);
    // apiward also lets `localhost a=1` be a URL and an item.
    let is_method = match words.peek() {
        Some(next) if first.chars().all(|c| c.is_ascii_alphabetic()) && !first.is_empty() => {
            first.chars().all(|c| c.is_ascii_uppercase())
                || items::parse(next).is_err()
                || next.contains('/')
                || next.starts_with(':')
        }
        _ => false,
    };
    let (method, url) = if is_method {
        let url = words
            .next()
            .ok_or_else(|| anyhow::anyhow!("give a URL after the method {first}"))?;
        (Some(first.to_ascii_uppercase()), url.clone())
    } else {
        (None, first.clone())
    };
    // Catch a bad URL here, before variables, when it has none.
    if !url.contains("{{") {
        http::prepare::parse_url(&url)?;
    }
    let mut req = Request::new(method.as_deref().unwrap_or("GET"), &url);
    let parsed: Vec<items::Item> = words
        .map(|w| items::parse(w))
        .collect::<Result<_, _>>()
        .map_err(anyhow::Error::msg)?;
    let mode = match (args.multipart, args.form) {
        (true, _) => items::Mode::Multipart,
        (false, true) => items::Mode::Form,
        _ => items::Mode::Json,
    };
    items::apply_as(&mut req, &parsed, mode).map_err(anyhow::Error::msg)?;
    // -H headers are added later, for stored requests too: a type given there counts now,
    // so the body never adds a second Content-Type.
    let typed = req.header_value("content-type").is_some()
        || args.headers.iter().any(|h| {
            crate::cli::input::parse_header(h)
                .is_ok_and(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        });
    let once = |req: &Request| -> Result<(), CliError> {
        if matches!(req.body, Body::None) {
            Ok(())
        } else {
            Err(anyhow::anyhow!("give the body once: items, -d, --raw or stdin, not two").into())
        }
    };
    // HTTPie's type for a body it takes as it is: JSON, or a form with --form.
    let default_type = match mode {
        items::Mode::Json => "application/json",
        _ => items::FORM_TYPE,
    };
    // Only form fields make a form or raw body out of items.
    if mode == items::Mode::Form && matches!(req.body, Body::Form(_) | Body::Raw(_)) && !typed {
        req.headers.push(Row::new("Content-Type", items::FORM_TYPE));
    }
    if let Some(data) = &args.data {
        once(&req)?;
        let text = super::input::read_value(data, "the body")?;
        req.body = if http::prepare::validate_json(&text).is_ok() && !typed {
            Body::Json(text)
        } else {
            if !typed {
                req.headers.push(Row::new(
                    "Content-Type",
                    "application/x-www-form-urlencoded",
                ));
            }
            Body::Raw(text)
        };
    } else if let Some(raw) = &args.raw {
        once(&req)?;
        if !typed {
            req.headers.push(Row::new("Content-Type", default_type));
        }
        req.body = Body::Raw(raw.clone());
    } else if !args.ignore_stdin
        && matches!(req.body, Body::None)
        && let Some(body) = stdin_body()?
    {
        if !typed {
            req.headers.push(Row::new("Content-Type", default_type));
        }
        req.body = body;
    }
    if method.is_none() && !matches!(req.body, Body::None) {
        req.method = "POST".into();
    }
    Ok(req)
}

/// A body piped in, as HTTPie takes one: standard input that is a pipe or a file, never a
/// terminal. Unlike HTTPie, an empty one (a script's closed or idle stdin, a device such as
/// /dev/null) is no body, so it never turns a GET into an empty POST.
fn stdin_body() -> Result<Option<Body>, CliError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let piped = std::fs::metadata("/dev/stdin")
            .is_ok_and(|m| m.file_type().is_fifo() || m.file_type().is_file());
        if !piped {
            return Ok(None);
        }
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut stdin.lock(), &mut bytes)?;
    if bytes.is_empty() {
        return Ok(None);
    }
    // A raw body fills {{variables}}, which HTTPie would not: such a body, or one that is not
    // text, is sent exactly from a file.
    match String::from_utf8(bytes) {
        Ok(text) if !text.contains("{{") => Ok(Some(Body::Raw(text))),
        _ => Err(anyhow::anyhow!(
            "the body on standard input holds {{{{ or bytes that are not text; save it and pass \
             it as @file, which is sent exactly as it is"
        )
        .into()),
    }
}

/// Flags that apply to ad-hoc and stored requests alike.
fn apply_flags(args: &SendArgs, req: &mut Request) -> Result<(), CliError> {
    for h in &args.headers {
        let (n, v) = crate::cli::input::parse_header(h)?;
        req.headers.push(Row::new(&n, &v));
    }
    if let Some(user) = &args.user {
        let (u, p) = user.split_once(':').unwrap_or((user, ""));
        let (username, password) = (u.into(), p.into());
        req.auth = if args.digest {
            http::Auth::Digest { username, password }
        } else {
            http::Auth::Basic { username, password }
        };
    }
    let o = &mut req.options;
    if args.insecure {
        o.verify_tls = false;
    }
    if let Some(secs) = args.timeout {
        if !(secs > 0.0 && secs.is_finite()) {
            return Err(anyhow::anyhow!("--timeout must be a positive number of seconds").into());
        }
        o.timeout_ms = (secs * 1000.0).ceil() as u64;
    }
    o.follow_redirects |= args.follow;
    if let Some(n) = args.max_redirects {
        o.max_redirects = n;
    }
    for (slot, value) in [
        (&mut o.ca_file, &args.ca_file),
        (&mut o.client_cert, &args.cert),
        (&mut o.client_key, &args.key),
    ] {
        if value.is_some() {
            slot.clone_from(value);
        }
    }
    if args.proxy.is_some() {
        o.proxy.clone_from(&args.proxy);
    }
    if args.noproxy.is_some() {
        o.no_proxy.clone_from(&args.noproxy);
    }
    if let Some(size) = &args.max_body {
        o.max_body = http::model::parse_size(size).ok_or_else(|| {
            anyhow::anyhow!("--max-body \"{size}\" is not a size: use bytes or e.g. 512k, 10M, 1G")
        })?;
    }
    Ok(())
}

fn print(args: &SendArgs, x: &http::Exchange) -> Result<(), CliError> {
    let r = &x.response;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, stdout.lock());
    let maybe_json = r.is_json() || looks_like_json(&r.body);
    if r.truncated {
        eprintln!(
            "apiward: the body was cut at {} bytes (--max-body)",
            r.body.len()
        );
    }
    if args.json {
        let mut value = serde_json::to_value(x).map_err(anyhow::Error::from)?;
        let headers: serde_json::Map<String, serde_json::Value> = group_headers(&r.headers);
        value["response"]["headers"] = headers.into();
        let mut flat = value["response"].take();
        let body_json = maybe_json
            .then(|| serde_json::from_slice::<serde_json::Value>(&r.body).ok())
            .flatten();
        flat["body"] =
            body_json.unwrap_or_else(|| String::from_utf8_lossy(&r.body).into_owned().into());
        flat["findings"] = value["findings"].take();
        http::pretty::write_json(&mut out, &flat, false)?;
        out.flush()?;
        return Ok(());
    }
    let color = output::color();
    writeln!(
        out,
        "{}",
        paint(
            &format!("{} {} {}", r.version, r.status, r.reason),
            bold(),
            color
        )
    )?;
    for (name, value) in &r.headers {
        writeln!(out, "{}: {value}", paint(name, dim(), color))?;
    }
    writeln!(out)?;
    // Validating without building a Value is cheap; the reformatter then streams the bytes.
    let is_json = maybe_json && serde_json::from_slice::<serde::de::IgnoredAny>(&r.body).is_ok();
    match is_json {
        true => http::pretty::reformat(&mut out, &r.body, color)?,
        false if std::str::from_utf8(&r.body).is_ok() => {
            out.write_all(&r.body)?;
            if !r.body.ends_with(b"\n") && !r.body.is_empty() {
                writeln!(out)?;
            }
        }
        false if std::io::stdout().is_terminal() => {
            writeln!(out, "[binary body, {} bytes, not shown]", r.body.len())?
        }
        false => out.write_all(&r.body)?,
    }
    if args.findings {
        writeln!(out)?;
        out.write_all(output::findings_text(&x.findings, color).as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

fn looks_like_json(body: &[u8]) -> bool {
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{' || *b == b'[')
}

/// Headers as a JSON object; a repeated header becomes an array.
fn group_headers(headers: &[(String, String)]) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::Value;
    let mut map = serde_json::Map::new();
    for (name, value) in headers {
        match map.get_mut(name) {
            None => {
                map.insert(name.clone(), Value::String(value.clone()));
            }
            Some(Value::Array(list)) => list.push(Value::String(value.clone())),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, Value::String(value.clone())]);
            }
        }
    }
    map
}
