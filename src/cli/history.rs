//! `apiward history`: the workspace's send history (the last 500, redacted before it was
//! written), newest first: list it, search it, show one entry, or send one again through the
//! same path as `apiward send`. Reading never writes, so a damaged file stays as it is.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::output::{self, bold, dim, paint};
use super::send::{self, SendArgs, Target};
use super::{CliError, CliResult};
use crate::http::{self, Entry, Format, Workspace};

#[derive(Debug, Args)]
#[command(
    after_help = "Entries are numbered from 1, the newest first, so each send renumbers them.\nExamples:\n  apiward history search 500\n  apiward history show 1\n  apiward history resend 1 --env dev"
)]
pub struct HistoryArgs {
    /// What to do; `list` when left out.
    #[command(subcommand)]
    pub command: Option<HistoryCommand>,
    /// Print JSON: the entries, the entry, or the response of a resend.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// Every entry, newest first: number, time, method, URL, status and total time.
    List,
    /// The entries whose method, URL, status, name or error contain TEXT (any case).
    Search {
        /// What to look for.
        #[arg(value_name = "TEXT")]
        text: String,
    },
    /// One entry: its outcome, then the request as `.http` text.
    Show {
        /// The entry's number in `history list` (1 is the newest).
        #[arg(value_name = "N")]
        n: usize,
    },
    /// Send entry N again, as `apiward send` does; it is recorded as a new entry.
    Resend(ResendArgs),
}

#[derive(Debug, Args)]
pub struct ResendArgs {
    /// The entry's number in `history list` (1 is the newest).
    #[arg(value_name = "N")]
    pub n: usize,
    /// The workspace environment whose variables fill {{name}}; the history does not record
    /// which one the first send used.
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// Print the findings after the body.
    #[arg(long)]
    pub findings: bool,
    /// Exit 1 when the status is 4xx or 5xx.
    #[arg(long)]
    pub check_status: bool,
}

pub fn run(args: HistoryArgs, workspace: Option<&Path>) -> CliResult {
    let dir = crate::paths::workspace(workspace)
        .ok_or_else(|| anyhow::anyhow!("no workspace folder: pass --workspace DIR"))?;
    let ws = Workspace::open(dir);
    // Every subcommand reads the whole file first, so a damaged line is reported (exit 2)
    // before anything is sent or written.
    let entries = ws.history().list()?;
    match args.command.unwrap_or(HistoryCommand::List) {
        HistoryCommand::List => print_list(&ws, numbered(&entries).collect(), None, args.json),
        HistoryCommand::Search { text } => {
            let found = numbered(&entries)
                .filter(|(_, e)| e.matches(&text))
                .collect();
            print_list(&ws, found, Some(&text), args.json)
        }
        HistoryCommand::Show { n } => print_entry(n, pick(&entries, n)?, args.json),
        HistoryCommand::Resend(resend) => {
            let entry = pick(&entries, resend.n)?;
            ensure_unmasked(resend.n, entry)?;
            let args = SendArgs {
                env: resend.env,
                json: args.json,
                findings: resend.findings,
                check_status: resend.check_status,
                ..SendArgs::default()
            };
            // Relative paths resolve from the workspace folder, as when the TUI reopens an
            // entry; the history does not keep the `.http` file's `@var` lines.
            let target = Target {
                ws: Some(&ws),
                explicit: true,
                file_vars: &[],
                base_dir: Some(&ws.dir),
            };
            send::send_request(&args, entry.request.clone(), target)
        }
    }
}

/// The entries with their numbers, 1 being the newest.
fn numbered(entries: &[Entry]) -> impl Iterator<Item = (usize, &Entry)> {
    entries.iter().enumerate().map(|(i, e)| (i + 1, e))
}

fn pick(entries: &[Entry], n: usize) -> Result<&Entry, CliError> {
    n.checked_sub(1)
        .and_then(|i| entries.get(i))
        .ok_or_else(|| {
            let have = match entries.len() {
                0 => "the history is empty".to_string(),
                1 => "there is 1 entry".to_string(),
                len => format!("there are {len} entries, 1 the newest"),
            };
            anyhow::anyhow!("no history entry {n}: {have}").into()
        })
}

/// Refuses an entry whose credentials the history masked: resending it would put the mask
/// itself on the wire as the credential (a header value accepts its bytes).
fn ensure_unmasked(n: usize, entry: &Entry) -> Result<(), CliError> {
    let masked = serde_json::to_string(&entry.request).map_err(anyhow::Error::from)?;
    if !masked.contains(http::vars::MASK) {
        return Ok(());
    }
    let instead = match entry.request.name.as_str() {
        "" => "send it with `apiward send` instead".to_string(),
        name => format!("send the stored request with `apiward send --name {name}` instead"),
    };
    Err(anyhow::anyhow!(
        "entry {n} cannot be resent: the history masked its credentials (it keeps a value only \
         when it is a bare {{{{variable}}}}); {instead}"
    )
    .into())
}

/// The entry as JSON with its number first, so a script can pass it to `show` or `resend`.
fn numbered_json(n: usize, entry: &Entry) -> Result<serde_json::Value, CliError> {
    let mut map = serde_json::Map::new();
    map.insert("index".into(), n.into());
    // An Entry is a struct, so it always serialises to an object.
    if let serde_json::Value::Object(fields) =
        serde_json::to_value(entry).map_err(anyhow::Error::from)?
    {
        map.extend(fields);
    }
    Ok(map.into())
}

fn print_list(
    ws: &Workspace,
    entries: Vec<(usize, &Entry)>,
    query: Option<&str>,
    json: bool,
) -> CliResult {
    if json {
        let list = entries
            .iter()
            .map(|(n, e)| numbered_json(*n, e))
            .collect::<Result<Vec<_>, _>>()?;
        output::print_json(&list);
        return Ok(ExitCode::SUCCESS);
    }
    if entries.is_empty() {
        match query {
            Some(q) => println!("No history entry matches \"{q}\"."),
            None => println!(
                "No requests sent yet: what `apiward send --workspace {}` sends is listed here.",
                ws.dir.display()
            ),
        }
        return Ok(ExitCode::SUCCESS);
    }
    let color = output::color();
    let nw = entries.iter().map(|(n, _)| n.to_string().len()).max();
    let mw = entries.iter().map(|(_, e)| e.method.len()).max();
    // Long URLs are not padded to: one would push every other line's status far right.
    let uw = entries.iter().map(|(_, e)| e.url.chars().count()).max();
    // Capped: a format width over 65,535 panics, and older files may hold longer methods
    // than `prepare` now sends.
    let mw = mw.unwrap_or(3).min(crate::http::prepare::MAX_METHOD_LEN);
    let (nw, uw) = (nw.unwrap_or(1), uw.unwrap_or(0).min(60));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (n, e) in &entries {
        writeln!(
            out,
            "{n:>nw$}  {}  {}  {:<uw$}  {:>3}  {}",
            paint(&crate::jwt::format_utc(e.at as i64), dim(), color),
            // Padded before painting: escape codes would count towards the width.
            paint(&format!("{:<mw$}", e.method), bold(), color),
            e.url,
            status_text(e),
            e.total_ms
                .map_or_else(|| "-".to_string(), |ms| format!("{ms:.1} ms")),
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The status code, or ERR when the send failed before an answer.
fn status_text(e: &Entry) -> String {
    e.status
        .map_or_else(|| "ERR".to_string(), |s| s.to_string())
}

fn print_entry(n: usize, e: &Entry, json: bool) -> CliResult {
    if json {
        output::print_json(&numbered_json(n, e)?);
        return Ok(ExitCode::SUCCESS);
    }
    let color = output::color();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "{} {}",
        paint(&format!("#{n}"), bold(), color),
        paint(&crate::jwt::format_utc(e.at as i64), dim(), color)
    )?;
    writeln!(out, "{} {}", paint(&e.method, bold(), color), e.url)?;
    match (e.status, &e.error) {
        (Some(status), _) => writeln!(out, "status:  {status}")?,
        (None, error) => writeln!(out, "error:   {}", error.as_deref().unwrap_or("no answer"))?,
    }
    if let Some(ms) = e.total_ms {
        writeln!(out, "time:    {ms:.1} ms")?;
    }
    if let Some(size) = e.size {
        let cut = if e.truncated {
            " (cut at --max-body)"
        } else {
            ""
        };
        writeln!(out, "size:    {size} bytes{cut}")?;
    }
    writeln!(out)?;
    // The request as written, variables unresolved: the history stores nothing else.
    let text = http::export(&e.request, Format::Http);
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
