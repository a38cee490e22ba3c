//! `apiward import postman FILE`, `apiward import har FILE` and `apiward import insomnia FILE`:
//! a whole collection or a browser's recording into the workspace, through the import plan (previewed with
//! `--dry-run`). Secrets go to the private env file; what could not be carried over is
//! said on stderr.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::CliResult;
use crate::http::Workspace;
use crate::import::collection::Imported;
use crate::import::source::{self, Kind};

#[derive(Debug, Args)]
#[command(
    after_help = "Each top-level folder becomes requests/FOLDER.http (deeper folders \
prefix the request names); collection variables and --env files become environments in \
http-client.env.json, secret ones and literal credentials go to http-client.private.env.json. \
Scripts are kept as comments and not run. See docs/import.md."
)]
pub struct PostmanArgs {
    /// A Postman Collection v2.0 or v2.1 (JSON, as Postman exports it).
    pub file: PathBuf,
    /// A Postman environment file to import as an environment (repeatable).
    #[arg(long = "env", value_name = "FILE")]
    pub envs: Vec<PathBuf>,
    /// Print what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "One requests/HOST.http file per host, the origin as {{base_url}} in \
http-client.env.json. The browser's own headers (sec-ch-*, sec-fetch-*, HTTP/2 \
pseudo-headers, accept-encoding …), static assets and repeated requests are left out; \
Authorization, cookies and tokens in the query or body go to http-client.private.env.json \
as variables. See docs/import.md."
)]
pub struct HarArgs {
    /// A HAR 1.1 or 1.2 file (a browser's "Save all as HAR").
    pub file: PathBuf,
    /// Import only the requests to this host (`api.example.com` or `api.example.com:8443`).
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,
    /// Print what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Each top-level folder becomes requests/FOLDER.http (deeper folders \
prefix the request names); the base environment becomes $shared and each sub-environment an \
environment in http-client.env.json, secret-named values and literal credentials go to \
http-client.private.env.json; {{ _.name }} becomes {{name}}. See docs/import.md."
)]
pub struct InsomniaArgs {
    /// An Insomnia v4 export (JSON, from Insomnia's Export Data).
    pub file: PathBuf,
    /// Print what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Reads `file` as `kind` through the import's one path from a source to a plan.
fn read(file: &Path, kind: Kind, options: source::Options) -> anyhow::Result<Imported> {
    let source = file.display().to_string();
    let read = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(source::read(&source, Some(kind), &options))?;
    Ok(read.imported)
}

pub fn run_postman(args: PostmanArgs, workspace: Option<&Path>) -> CliResult {
    let options = source::Options {
        postman_envs: args.envs,
        ..source::Options::default()
    };
    let imported = read(&args.file, Kind::Postman, options)?;
    finish(&imported, args.dry_run, workspace)
}

pub fn run_har(args: HarArgs, workspace: Option<&Path>) -> CliResult {
    let options = source::Options {
        har_host: args.host,
        ..source::Options::default()
    };
    let imported = read(&args.file, Kind::Har, options)?;
    finish(&imported, args.dry_run, workspace)
}

pub fn run_insomnia(args: InsomniaArgs, workspace: Option<&Path>) -> CliResult {
    let imported = read(&args.file, Kind::Insomnia, source::Options::default())?;
    finish(&imported, args.dry_run, workspace)
}

/// Previews or applies, then says what happened and what was not carried over.
fn finish(imported: &Imported, dry_run: bool, workspace: Option<&Path>) -> CliResult {
    let secrets = imported.secret_names();
    if dry_run {
        print!("{}", imported.plan.preview());
        if !secrets.is_empty() {
            println!(
                "==> secrets, with the values read ({})",
                crate::http::workspace::PRIVATE_ENV_FILE
            );
            println!("{}", secrets.join(", "));
        }
    } else {
        let dir = crate::paths::workspace(workspace)
            .ok_or_else(|| anyhow::anyhow!("no workspace folder: pass --workspace DIR"))?;
        let ws = Workspace::open(dir);
        let (changes, written) = imported.apply(&ws)?;
        println!(
            "imported {} request(s) into {}",
            imported.plan.request_count(),
            ws.dir.display()
        );
        print!("{}", changes.summary());
        if !written.is_empty() {
            println!(
                "secrets set in {}: {}",
                crate::http::workspace::PRIVATE_ENV_FILE,
                written.join(", ")
            );
        }
    }
    for warning in &imported.plan.warnings {
        eprintln!("apiward: note: {warning}");
    }
    Ok(ExitCode::SUCCESS)
}
