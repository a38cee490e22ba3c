//! `apiward import openapi FILE|URL`: an OpenAPI 3.0/3.1 or Swagger 2.0 description into the
//! workspace through the import plan (previewed with `--dry-run`), saying what a re-import
//! added, changed, removed and kept because the user edited it.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::CliResult;
use crate::http::Workspace;
use crate::import::openapi::GroupBy;
use crate::import::source::{self, Kind};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Group {
    /// One file per tag (untagged operations by their first path segment).
    Tag,
    /// One file per first path segment.
    Path,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Each operation becomes a request named by its operationId (else \
\"METHOD /path\") in requests/GROUP.http: {{baseUrl}} and the path with its parameters as \
{{variables}}, query and header parameters as rows (optional ones disabled), an example body \
from the schema, and its security as auth ({{token}}, {{username}}/{{password}}, an API key \
variable). Each server becomes an environment in http-client.env.json; secrets go to \
http-client.private.env.json empty, to fill in. Re-importing replaces only the requests you \
have not edited since the last import. See docs/import.md."
)]
pub struct OpenapiArgs {
    /// The description: a file (JSON or YAML) or an http(s) URL on this machine.
    pub source: String,
    /// How requests are grouped into files.
    #[arg(long, value_enum, default_value = "tag")]
    pub group_by: Group,
    /// Print the files, environments and secrets that would be written (and, for a
    /// re-import, what would change), and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Follow $refs to documents on other hosts, fetching them.
    #[arg(long)]
    pub allow_remote_refs: bool,
    /// Fetch the description from a host other than this machine.
    #[arg(long)]
    pub allow_remote: bool,
}

pub fn run(args: OpenapiArgs, workspace: Option<&Path>) -> CliResult {
    let options = source::Options {
        group_by: match args.group_by {
            Group::Tag => GroupBy::Tag,
            Group::Path => GroupBy::Path,
        },
        allow_remote: args.allow_remote,
        allow_remote_refs: args.allow_remote_refs,
        ..source::Options::default()
    };
    let read = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(source::read(&args.source, Some(Kind::Openapi), &options))?;
    let imported = &read.imported;
    let plan = &imported.plan;
    let dir = crate::paths::workspace(workspace);
    if args.dry_run {
        print!("{}", plan.preview());
        if let Some(dir) = dir.filter(|d| d.exists()) {
            let (changes, _) = imported.changes(&Workspace::open(dir))?;
            println!("==> against the workspace");
            print!("{}", changes.summary());
        }
    } else {
        let dir =
            dir.ok_or_else(|| anyhow::anyhow!("no workspace folder: pass --workspace DIR"))?;
        let ws = Workspace::open(dir);
        let (changes, _) = imported.apply(&ws)?;
        println!(
            "imported {} operation(s) of {} ({}) into {}",
            plan.request_count(),
            args.source,
            read.version.map_or("OpenAPI", |v| v.label()),
            ws.dir.display()
        );
        print!("{}", changes.summary());
    }
    for warning in &plan.warnings {
        eprintln!("apiward: note: {warning}");
    }
    Ok(ExitCode::SUCCESS)
}
