//! `apiward export --name NAME`: a stored request as a curl, HTTPie or xh command, or `.http`
//! text. The export is a template: `{{variables}}` stay as written and no environment is
//! read, so a secret from the private env file can never end up in the output.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;

use super::CliResult;
use super::import::To;
use crate::http::{self, Workspace};

#[derive(Debug, Args)]
#[command(
    after_help = "Variables stay as {{name}}: fill them in your shell, or send with `apiward send --name NAME --env ENV`."
)]
pub struct ExportArgs {
    /// The stored request to export (its @name, or the file name of a one-request file).
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// What to print.
    #[arg(long, value_enum, default_value = "curl")]
    pub format: To,
}

pub fn run(args: ExportArgs, workspace: Option<&Path>) -> CliResult {
    let dir = crate::paths::workspace(workspace)
        .ok_or_else(|| anyhow::anyhow!("no workspace folder: pass --workspace DIR"))?;
    let stored = Workspace::open(dir).request(&args.name)?;
    let out = http::export(&stored.request, args.format.into());
    print!("{out}");
    if !out.ends_with('\n') {
        println!();
    }
    Ok(ExitCode::SUCCESS)
}
